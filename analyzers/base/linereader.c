/* linereader.c - see linereader.h */
#include "analyzers/base/linereader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK ((size_t)1 << 20)

struct linereader {
	char *name;
	int fd;			/* -1 for memory input */
	int own_fd;
	const unsigned char *mem;	/* memory input */
	size_t mem_len, mem_pos;

	/* raw (possibly compressed) input staging for gzip */
	int gzip;
	z_stream zs;
	int zs_init;
	int zs_end;		/* last member finished, no more input */
	unsigned char *in;
	size_t in_cap;

	char *buf;		/* decompressed text */
	size_t cap, start, end;
	int eof;		/* no more text will arrive */
	size_t max_line;
	int64_t lineno;
	uint64_t offset;
};

/* Raw bytes from the source into dst; returns count, 0 at end, <0 errno. */
static ssize_t raw_read(struct linereader *lr, void *dst, size_t n)
{
	if (lr->fd < 0) {
		size_t left = lr->mem_len - lr->mem_pos;

		if (n > left)
			n = left;
		memcpy(dst, lr->mem + lr->mem_pos, n);
		lr->mem_pos += n;
		return (ssize_t)n;
	}
	for (;;) {
		ssize_t r = read(lr->fd, dst, n);

		if (r >= 0)
			return r;
		if (errno != EINTR)
			return -errno;
	}
}

static int setup(struct linereader *lr, const void *prefix, size_t plen,
		 struct tp_error *err)
{
	ssize_t r;
	size_t got = 0;

	lr->max_line = LINEREADER_MAX_LINE;
	lr->in_cap = plen > CHUNK ? plen : CHUNK;
	lr->in = malloc(lr->in_cap);
	lr->cap = CHUNK;
	lr->buf = malloc(lr->cap + 1);
	if (!lr->in || !lr->buf || lr->in_cap > lr->cap) {
		if (lr->in && lr->buf && lr->in_cap > lr->cap) {
			char *nb = realloc(lr->buf, lr->in_cap + 1);

			if (nb) {
				lr->buf = nb;
				lr->cap = lr->in_cap;
			}
		}
		if (!lr->in || !lr->buf || lr->in_cap > lr->cap)
			return tp_error_set(err, -ENOMEM, lr->name, 0, -1, "out of memory");
	}
	if (plen) {
		memcpy(lr->in, prefix, plen);
		got = plen;
	}
	/* Read the first bytes to look for the gzip magic. */
	while (got < 2) {
		r = raw_read(lr, lr->in + got, lr->in_cap - got);
		if (r < 0)
			return tp_error_set(err, (int)r, lr->name, 0, -1,
					    "read error: %s", strerror((int)-r));
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got >= 2 && lr->in[0] == 0x1f && lr->in[1] == 0x8b) {
		lr->gzip = 1;
		memset(&lr->zs, 0, sizeof(lr->zs));
		if (inflateInit2(&lr->zs, 15 + 16) != Z_OK)
			return tp_error_set(err, -ENOMEM, lr->name, 0, -1,
					    "cannot initialise zlib");
		lr->zs_init = 1;
		lr->zs.next_in = lr->in;
		lr->zs.avail_in = (uInt)got;
	} else {
		memcpy(lr->buf, lr->in, got);
		lr->end = got;
		if (got == 0)
			lr->eof = 1;
	}
	return 0;
}

static struct linereader *alloc_reader(const char *name)
{
	struct linereader *lr = calloc(1, sizeof(*lr));

	if (!lr)
		return NULL;
	lr->fd = -1;
	lr->name = strdup(name);
	if (!lr->name) {
		free(lr);
		return NULL;
	}
	return lr;
}

int linereader_open(struct linereader **out, const char *path, struct tp_error *err)
{
	struct linereader *lr;
	int rc;
	const char *name = (!path || strcmp(path, "-") == 0) ? "<stdin>" : path;

	*out = NULL;
	lr = alloc_reader(name);
	if (!lr)
		return tp_error_set(err, -ENOMEM, name, 0, -1, "out of memory");
	if (!path || strcmp(path, "-") == 0) {
		lr->fd = 0;
	} else {
		lr->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (lr->fd < 0) {
			rc = tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
			lr->fd = -1;
			linereader_close(lr);
			return rc;
		}
		lr->own_fd = 1;
	}
	if ((rc = setup(lr, NULL, 0, err)) < 0) {
		linereader_close(lr);
		return rc;
	}
	*out = lr;
	return 0;
}

int linereader_open_fd(struct linereader **out, const char *name, int fd, int own,
		       const void *prefix, size_t plen, struct tp_error *err)
{
	struct linereader *lr;
	int rc;

	*out = NULL;
	lr = alloc_reader(name);
	if (!lr) {
		if (own)
			close(fd);
		return tp_error_set(err, -ENOMEM, name, 0, -1, "out of memory");
	}
	lr->fd = fd;
	lr->own_fd = own;
	if ((rc = setup(lr, prefix, plen, err)) < 0) {
		linereader_close(lr);
		return rc;
	}
	*out = lr;
	return 0;
}

int linereader_open_mem(struct linereader **out, const char *name,
			const void *data, size_t len, struct tp_error *err)
{
	struct linereader *lr;
	int rc;

	*out = NULL;
	lr = alloc_reader(name ? name : "<memory>");
	if (!lr)
		return tp_error_set(err, -ENOMEM, name, 0, -1, "out of memory");
	lr->mem = data;
	lr->mem_len = len;
	if ((rc = setup(lr, NULL, 0, err)) < 0) {
		linereader_close(lr);
		return rc;
	}
	*out = lr;
	return 0;
}

void linereader_set_max_line(struct linereader *lr, size_t max)
{
	lr->max_line = max;
}

/* Append more text at buf[end..cap). Sets eof when nothing more comes. */
static int fill(struct linereader *lr, struct tp_error *err)
{
	size_t room = lr->cap - lr->end;
	ssize_t r;

	if (!lr->gzip) {
		r = raw_read(lr, lr->buf + lr->end, room);
		if (r < 0)
			return tp_error_set(err, (int)r, lr->name, 0, (int64_t)lr->offset,
					    "read error: %s", strerror((int)-r));
		if (r == 0)
			lr->eof = 1;
		lr->end += (size_t)r;
		return 0;
	}
	while (room > 0 && !lr->eof) {
		int zr;
		size_t before;

		if (lr->zs.avail_in == 0 && !lr->zs_end) {
			r = raw_read(lr, lr->in, lr->in_cap);
			if (r < 0)
				return tp_error_set(err, (int)r, lr->name, 0, -1,
						    "read error: %s", strerror((int)-r));
			if (r == 0) {
				if (lr->zs.total_in == 0 && lr->zs_end == 0 &&
				    lr->zs.total_out == 0)
					return tp_error_set(err, -EBADMSG, lr->name, 0, -1,
							    "truncated gzip data");
				/* End of input in the middle of a member. */
				return tp_error_set(err, -EBADMSG, lr->name, 0, -1,
						    "truncated gzip data (unexpected end after %llu compressed bytes)",
						    (unsigned long long)lr->zs.total_in);
			}
			lr->zs.next_in = lr->in;
			lr->zs.avail_in = (uInt)r;
		}
		before = room;
		lr->zs.next_out = (unsigned char *)lr->buf + lr->end;
		lr->zs.avail_out = (uInt)room;
		zr = inflate(&lr->zs, Z_NO_FLUSH);
		lr->end += before - lr->zs.avail_out;
		room = lr->zs.avail_out;
		if (zr == Z_STREAM_END) {
			/* Another member may follow. Skip zero padding. */
			while (lr->zs.avail_in > 0 && lr->zs.next_in[0] == 0) {
				lr->zs.next_in++;
				lr->zs.avail_in--;
			}
			if (lr->zs.avail_in == 0) {
				r = raw_read(lr, lr->in, lr->in_cap);
				if (r < 0)
					return tp_error_set(err, (int)r, lr->name, 0, -1,
							    "read error: %s", strerror((int)-r));
				lr->zs.next_in = lr->in;
				lr->zs.avail_in = (uInt)r;
				while (lr->zs.avail_in > 0 && lr->zs.next_in[0] == 0) {
					lr->zs.next_in++;
					lr->zs.avail_in--;
				}
			}
			if (lr->zs.avail_in == 0) {
				lr->zs_end = 1;
				lr->eof = 1;
				break;
			}
			if (lr->zs.avail_in >= 2 &&
			    !(lr->zs.next_in[0] == 0x1f && lr->zs.next_in[1] == 0x8b))
				return tp_error_set(err, -EBADMSG, lr->name, 0, -1,
						    "trailing garbage after gzip data");
			inflateReset(&lr->zs);
			continue;
		}
		if (zr == Z_BUF_ERROR && lr->zs.avail_in == 0)
			continue;	/* needs more input */
		if (zr != Z_OK)
			return tp_error_set(err, -EBADMSG, lr->name, 0, -1,
					    "corrupt gzip data: %s",
					    lr->zs.msg ? lr->zs.msg : "inflate failed");
		if (before == room && room > 0)
			continue;
	}
	return 0;
}

/* Make sure at least want bytes are buffered from start, or eof. */
static int ensure(struct linereader *lr, size_t want, struct tp_error *err)
{
	int rc;

	while (lr->end - lr->start < want && !lr->eof) {
		if (lr->start > 0) {
			memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
			lr->end -= lr->start;
			lr->start = 0;
		}
		if (lr->end == lr->cap) {
			size_t nc = lr->cap * 2;
			char *nb = realloc(lr->buf, nc + 1);

			if (!nb)
				return tp_error_set(err, -ENOMEM, lr->name, 0, -1,
						    "out of memory");
			lr->buf = nb;
			lr->cap = nc;
		}
		if ((rc = fill(lr, err)) < 0)
			return rc;
	}
	return 0;
}

int linereader_next(struct linereader *lr, const char **line, size_t *len,
		    struct tp_error *err)
{
	size_t scanned = 0;
	int rc;

	for (;;) {
		char *s = lr->buf + lr->start;
		size_t have = lr->end - lr->start;
		char *nl = have > scanned ? memchr(s + scanned, '\n', have - scanned) : NULL;

		if (nl) {
			size_t n = (size_t)(nl - s);

			if (n > lr->max_line)
				goto too_long;
			*line = s;
			*len = n;
			*nl = '\0';
			lr->start += n + 1;
			lr->offset += n + 1;
			lr->lineno++;
			return 1;
		}
		scanned = have;
		if (have > lr->max_line)
			goto too_long;
		if (lr->eof) {
			if (have == 0)
				return 0;
			*line = s;
			*len = have;
			s[have] = '\0';
			lr->start = lr->end;
			lr->offset += have;
			lr->lineno++;
			return 1;
		}
		if (lr->start > 0 && lr->end == lr->cap) {
			memmove(lr->buf, lr->buf + lr->start, have);
			lr->end = have;
			lr->start = 0;
		}
		if (lr->end == lr->cap) {
			size_t nc = lr->cap * 2;
			char *nb = realloc(lr->buf, nc + 1);

			if (!nb)
				return tp_error_set(err, -ENOMEM, lr->name, 0, -1,
						    "out of memory");
			lr->buf = nb;
			lr->cap = nc;
		}
		if ((rc = fill(lr, err)) < 0) {
			if (err)
				err->line = lr->lineno + 1;
			return rc;
		}
	}
too_long:
	return tp_error_set(err, -E2BIG, lr->name, lr->lineno + 1, -1,
			    "line longer than %zu bytes", lr->max_line);
}

int linereader_peek(struct linereader *lr, size_t want, const char **p,
		    size_t *n, struct tp_error *err)
{
	int rc = ensure(lr, want, err);

	if (rc < 0)
		return rc;
	*p = lr->buf + lr->start;
	*n = lr->end - lr->start;
	if (*n > want)
		*n = want;
	return 0;
}

int64_t linereader_lineno(const struct linereader *lr)
{
	return lr->lineno;
}

const char *linereader_name(const struct linereader *lr)
{
	return lr->name;
}

int linereader_is_gzip(const struct linereader *lr)
{
	return lr->gzip;
}

void linereader_close(struct linereader *lr)
{
	if (!lr)
		return;
	if (lr->zs_init)
		inflateEnd(&lr->zs);
	if (lr->own_fd && lr->fd >= 0)
		close(lr->fd);
	free(lr->in);
	free(lr->buf);
	free(lr->name);
	free(lr);
}
