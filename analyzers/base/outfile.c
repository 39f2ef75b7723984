/* outfile.c - see outfile.h */
#include "analyzers/base/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct outfile {
	FILE *fp;
	char *path;		/* destination; NULL for stdout */
	char *tmp;		/* named temporary file, or NULL */
	int fd;			/* unnamed O_TMPFILE descriptor, or -1 */
	int direct;		/* writing straight into a device or FIFO */
};

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

int outfile_open(struct outfile **ofp, const char *path, struct tp_error *err)
{
	struct outfile *of;
	char *dir = NULL;
	const char *base;
	int fd = -1, rc = 0;
	struct stat st;

	*ofp = NULL;
	of = calloc(1, sizeof(*of));
	if (!of)
		return tp_error_set(err, -ENOMEM, path, 0, -1, "out of memory");
	of->fd = -1;
	if (!path || strcmp(path, "-") == 0) {
		of->fp = stdout;
		*ofp = of;
		return 0;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = tp_error_set(err, -EISDIR, path, 0, -1, "is a directory");
		goto fail;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device or FIFO (/dev/null, a pipe): write to it in place;
		 * there is nothing to replace atomically. */
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || !(of->fp = fdopen(fd, "w"))) {
			rc = tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		of->direct = 1;
		of->path = strdup(path);
		*ofp = of;
		return 0;
	}
	/* Replace the file a symbolic link points to, not the link. */
	of->path = realpath(path, NULL);
	if (!of->path && errno != ENOENT) {
		rc = tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
		goto fail;
	}
	if (!of->path)
		of->path = strdup(path);
	dir = of->path ? dir_of(of->path) : NULL;
	if (!of->path || !dir) {
		rc = tp_error_set(err, -ENOMEM, path, 0, -1, "out of memory");
		goto fail;
	}
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (fd >= 0) {
		of->fd = fd;
	} else {
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
		if (asprintf(&of->tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
			of->tmp = NULL;
			rc = tp_error_set(err, -ENOMEM, path, 0, -1, "out of memory");
			goto fail;
		}
		fd = mkstemp(of->tmp);
		if (fd < 0) {
			rc = tp_error_set(err, -errno, path, 0, -1,
					  "cannot create a temporary file in %s: %s",
					  dir, strerror(errno));
			free(of->tmp);
			of->tmp = NULL;
			goto fail;
		}
		fchmod(fd, 0644);
	}
	of->fp = fdopen(fd, "w");
	if (!of->fp) {
		rc = tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
		close(fd);
		of->fd = -1;
		goto fail;
	}
	setvbuf(of->fp, NULL, _IOFBF, 1 << 20);
	free(dir);
	*ofp = of;
	return 0;
fail:
	free(dir);
	outfile_abort(of);
	return rc;
}

FILE *outfile_stream(struct outfile *of)
{
	return of->fp;
}

static void release(struct outfile *of)
{
	free(of->path);
	free(of->tmp);
	free(of);
}

int outfile_commit(struct outfile *of, struct tp_error *err)
{
	char link_src[64], *tmp2 = NULL;
	int rc = 0, fd;

	if (of->direct) {
		if (fflush(of->fp) != 0 || ferror(of->fp))
			rc = tp_error_set(err, -EIO, of->path, 0, -1, "write error: %s",
					  strerror(errno));
		if (fclose(of->fp) != 0 && rc == 0)
			rc = tp_error_set(err, -EIO, of->path, 0, -1, "write error: %s",
					  strerror(errno));
		release(of);
		return rc;
	}
	if (!of->path) {	/* stdout */
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = tp_error_set(err, -EIO, "<stdout>", 0, -1,
					  "write error: %s", strerror(errno));
		release(of);
		return rc;
	}

	if (fflush(of->fp) != 0 || ferror(of->fp)) {
		rc = tp_error_set(err, -EIO, of->path, 0, -1, "write error: %s",
				  strerror(errno));
		outfile_abort(of);
		return rc;
	}
	fd = fileno(of->fp);
	if (of->tmp) {
		if (fclose(of->fp) != 0) {
			of->fp = NULL;
			rc = tp_error_set(err, -EIO, of->path, 0, -1,
					  "write error: %s", strerror(errno));
			outfile_abort(of);
			return rc;
		}
		of->fp = NULL;
		if (rename(of->tmp, of->path) != 0) {
			rc = tp_error_set(err, -errno, of->path, 0, -1,
					  "cannot rename into place: %s", strerror(errno));
			outfile_abort(of);
			return rc;
		}
		release(of);
		return 0;
	}
	/* Unnamed file: give it a temporary name, then rename over. */
	snprintf(link_src, sizeof(link_src), "/proc/self/fd/%d", fd);
	for (int i = 0; i < 100; i++) {
		free(tmp2);
		if (asprintf(&tmp2, "%s.tmp%d.%d", of->path, (int)getpid(), i) < 0) {
			tmp2 = NULL;
			break;
		}
		if (linkat(AT_FDCWD, link_src, AT_FDCWD, tmp2, AT_SYMLINK_FOLLOW) == 0)
			goto linked;
		if (errno != EEXIST)
			break;
	}
	rc = tp_error_set(err, -errno ? -errno : -EIO, of->path, 0, -1,
			  "cannot create: %s", strerror(errno));
	free(tmp2);
	outfile_abort(of);
	return rc;
linked:
	if (rename(tmp2, of->path) != 0) {
		rc = tp_error_set(err, -errno, of->path, 0, -1,
				  "cannot rename into place: %s", strerror(errno));
		unlink(tmp2);
	}
	free(tmp2);
	fclose(of->fp);
	of->fp = NULL;
	release(of);
	return rc;
}

void outfile_abort(struct outfile *of)
{
	if (!of)
		return;
	if (of->direct) {
		fclose(of->fp);
	} else if (of->path) {
		if (of->fp)
			fclose(of->fp);
		else if (of->fd >= 0 && !of->tmp)
			close(of->fd);
		if (of->tmp)
			unlink(of->tmp);
	}
	release(of);
}
