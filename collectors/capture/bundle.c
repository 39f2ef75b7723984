/* bundle.c - see bundle.h */
#include "collectors/capture/bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct bundle_file {
	struct bundle *b;
	int fd;
	char *dir;		/* absolute-or-relative directory path */
	char *tmp;		/* named temporary file, or NULL (O_TMPFILE) */
	struct bundle_file *next, *prev;
};

struct bundle {
	char *path;
	struct bundle_file *open;	/* files not yet committed */
};

static char *join(const char *a, const char *b)
{
	char *s;

	if (!b || !*b)
		return strdup(a);
	if (asprintf(&s, "%s/%s", a, b) < 0)
		return NULL;
	return s;
}

int bundle_create(struct bundle **bp, const char *dir, struct tp_error *err)
{
	struct bundle *b;
	char name[64];
	struct tm tm;
	time_t now;
	int i;

	*bp = NULL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	if (dir) {
		if (mkdir(dir, 0755) < 0) {
			int e = errno;

			free(b);
			return tp_error_set(err, -e, dir, 0, -1, "%s",
					    e == EEXIST ? "already exists (a bundle is always a new directory)"
							: strerror(e));
		}
		b->path = strdup(dir);
	} else {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(name, sizeof(name), "capture-%Y%m%d-%H%M%S", &tm);
		for (i = 1; i <= 100; i++) {
			char try[80];

			if (i == 1)
				snprintf(try, sizeof(try), "%s", name);
			else
				snprintf(try, sizeof(try), "%s-%d", name, i);
			if (mkdir(try, 0755) == 0) {
				b->path = strdup(try);
				break;
			}
			if (errno != EEXIST) {
				int e = errno;

				free(b);
				return tp_error_set(err, -e, try, 0, -1, "%s", strerror(e));
			}
		}
		if (i > 100) {
			free(b);
			return tp_error_set(err, -EEXIST, name, 0, -1, "already exists");
		}
	}
	if (!b->path) {
		free(b);
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	}
	*bp = b;
	return 0;
}

const char *bundle_path(const struct bundle *b)
{
	return b->path;
}

int bundle_mkdir(struct bundle *b, const char *rel, struct tp_error *err)
{
	char *p = join(b->path, rel);
	int rc = 0;

	if (!p)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	if (mkdir(p, 0755) < 0)
		rc = tp_error_set(err, -errno, p, 0, -1, "%s", strerror(errno));
	free(p);
	return rc;
}

static void unlink_open(struct bundle_file *bf)
{
	struct bundle *b = bf->b;

	if (bf->prev)
		bf->prev->next = bf->next;
	else
		b->open = bf->next;
	if (bf->next)
		bf->next->prev = bf->prev;
}

int bundle_file_open(struct bundle *b, const char *reldir, struct bundle_file **out,
		     struct tp_error *err)
{
	struct bundle_file *bf = calloc(1, sizeof(*bf));
	int rc;

	*out = NULL;
	if (!bf)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	bf->b = b;
	bf->dir = join(b->path, reldir);
	if (!bf->dir) {
		free(bf);
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	}
	bf->fd = open(bf->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
	if (bf->fd < 0) {
		if (asprintf(&bf->tmp, "%s/.tiprof-XXXXXX", bf->dir) < 0) {
			bf->tmp = NULL;
			rc = tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
			goto fail;
		}
		bf->fd = mkostemp(bf->tmp, O_CLOEXEC);
		if (bf->fd < 0) {
			rc = tp_error_set(err, -errno, bf->dir, 0, -1,
					  "cannot create a temporary file: %s", strerror(errno));
			goto fail;
		}
		fchmod(bf->fd, 0644);
	}
	bf->next = b->open;
	if (b->open)
		b->open->prev = bf;
	b->open = bf;
	*out = bf;
	return 0;
fail:
	free(bf->tmp);
	free(bf->dir);
	free(bf);
	return rc;
}

int bundle_file_fd(const struct bundle_file *bf)
{
	return bf->fd;
}

static void release(struct bundle_file *bf)
{
	unlink_open(bf);
	if (bf->fd >= 0)
		close(bf->fd);
	free(bf->dir);
	free(bf->tmp);
	free(bf);
}

void bundle_file_abort(struct bundle_file *bf)
{
	if (!bf)
		return;
	if (bf->tmp)
		unlink(bf->tmp);
	release(bf);
}

/* Link the unnamed file bf to path. */
static int link_to(struct bundle_file *bf, const char *path)
{
	char src[64];

	if (linkat(bf->fd, "", AT_FDCWD, path, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno == EEXIST)
		return -1;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", bf->fd);
	return linkat(AT_FDCWD, src, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

int bundle_file_commit(struct bundle_file *bf, const char *relname, int replace,
		       struct tp_error *err)
{
	const char *base = strrchr(relname, '/');
	char *path = NULL, *tmp2 = NULL;
	int rc = 0;

	base = base ? base + 1 : relname;
	path = join(bf->dir, base);
	if (!path) {
		rc = tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
		goto out;
	}
	if (bf->tmp) {
		if (replace ? rename(bf->tmp, path) < 0 : link(bf->tmp, path) < 0)
			rc = tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
		goto out;
	}
	if (!replace) {
		if (link_to(bf, path) < 0)
			rc = tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
		goto out;
	}
	if (asprintf(&tmp2, "%s/.tiprof-%d-%s", bf->dir, (int)getpid(), base) < 0) {
		tmp2 = NULL;
		rc = tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
		goto out;
	}
	unlink(tmp2);
	if (link_to(bf, tmp2) < 0) {
		rc = tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
		goto out;
	}
	if (rename(tmp2, path) < 0) {
		rc = tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
		unlink(tmp2);
	}
out:
	free(path);
	free(tmp2);
	if (bf->tmp)
		unlink(bf->tmp);	/* linked or renamed, or failed */
	release(bf);
	return rc;
}

static int write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static char *dir_part(const char *relname)
{
	const char *slash = strrchr(relname, '/');

	return slash ? strndup(relname, (size_t)(slash - relname)) : strdup("");
}

int bundle_write(struct bundle *b, const char *relname, const void *data, size_t n,
		 int replace, struct tp_error *err)
{
	struct bundle_file *bf;
	char *dir = dir_part(relname);
	int rc;

	if (!dir)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	rc = bundle_file_open(b, dir, &bf, err);
	free(dir);
	if (rc < 0)
		return rc;
	if ((rc = write_all(bf->fd, data, n)) < 0) {
		bundle_file_abort(bf);
		return tp_error_set(err, rc, relname, 0, -1, "write error: %s", strerror(-rc));
	}
	return bundle_file_commit(bf, relname, replace, err);
}

int bundle_write_with(struct bundle *b, const char *relname, bundle_writer_fn fn,
		      void *ctx, struct tp_error *err)
{
	struct bundle_file *bf;
	char *dir = dir_part(relname);
	FILE *fp;
	int rc, fd;

	if (!dir)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	rc = bundle_file_open(b, dir, &bf, err);
	free(dir);
	if (rc < 0)
		return rc;
	fd = dup(bf->fd);
	fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!fp) {
		if (fd >= 0)
			close(fd);
		bundle_file_abort(bf);
		return tp_error_set(err, -EIO, relname, 0, -1, "cannot open a stream");
	}
	rc = fn(ctx, fp);
	if (fflush(fp) != 0 || ferror(fp))
		rc = rc ? rc : -EIO;
	if (fclose(fp) != 0 && rc == 0)
		rc = -EIO;
	if (rc < 0) {
		bundle_file_abort(bf);
		return tp_error_set(err, rc, relname, 0, -1, "write error");
	}
	return bundle_file_commit(bf, relname, 1, err);
}

void bundle_abort_files(struct bundle *b)
{
	while (b->open)
		bundle_file_abort(b->open);
}

void bundle_free(struct bundle *b)
{
	if (!b)
		return;
	bundle_abort_files(b);
	free(b->path);
	free(b);
}

char *bundle_safe_name(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			  (c == '.' && i > 0)) ? (char)c : '_';
	}
	if (n)
		out[i] = '\0';
	return out;
}
