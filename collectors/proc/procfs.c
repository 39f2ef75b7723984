/* procfs.c - see procfs.h */
#include "collectors/proc/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* root/proc as a display name. */
static void proc_name(const char *root, const char *rel, char *out, size_t n)
{
	if (!root || !*root || strcmp(root, "/") == 0)
		root = "";
	snprintf(out, n, "%s/proc%s%s", root, rel ? "/" : "", rel ? rel : "");
}

int procfs_open_dir(const char *root, struct tp_error *err)
{
	char path[4096];
	int fd;

	proc_name(root, NULL, path, sizeof(path));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		return tp_error_set(err, -e, path, 0, -1, "cannot open: %s", strerror(e));
	}
	return fd;
}

int procfs_read_small(int dirfd, const char *rel, char *out, size_t cap, size_t *len)
{
	size_t n = 0;
	int fd, rc = 0;

	*len = 0;
	if (cap == 0)
		return -E2BIG;
	out[0] = '\0';
	fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r;

		if (n == cap - 1) {
			char extra;

			/* Full: it fits only if the file ends here. */
			r = read(fd, &extra, 1);
			if (r > 0)
				rc = -E2BIG;
			else if (r < 0)
				rc = -errno;
			break;
		}
		r = read(fd, out + n, cap - 1 - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (rc < 0)
		n = 0;
	out[n] = '\0';
	*len = n;
	return rc;
}

int procfs_read_buf(int dirfd, const char *root, const char *rel, struct buf *b,
		    struct tp_error *err)
{
	char name[4096];
	int fd, rc = 0;

	buf_reset(b);
	fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto fail;
	}
	for (;;) {
		size_t room = b->max - b->len, want = room < 4096 ? room : 4096;
		ssize_t r;

		if (want == 0) {
			char extra;

			/* At the cap: fine only if the file ends here. */
			r = read(fd, &extra, 1);
			if (r == 0)
				break;
			rc = r > 0 ? -E2BIG : -errno;
			goto fail;
		}
		rc = buf_reserve(b, want);
		if (rc < 0)
			goto fail;
		r = read(fd, b->data + b->len, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto fail;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
		b->data[b->len] = '\0';
	}
	close(fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	proc_name(root, rel, name, sizeof(name));
	if (rc == -E2BIG)
		return tp_error_set(err, rc, name, 0, -1, "larger than %zu bytes", b->max);
	return tp_error_set(err, rc, name, 0, -1, "cannot read: %s", strerror(-rc));
}
