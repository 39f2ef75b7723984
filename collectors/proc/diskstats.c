/* diskstats.c - see diskstats.h */
#include "collectors/proc/diskstats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collectors/proc/procfs.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A decimal u64 at *p (after blanks); advances *p. 0 or -1. */
static int parse_u64(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	while (s < end && is_space(*s))
		s++;
	if (s == end || *s < '0' || *s > '9')
		return -1;
	while (s < end && *s >= '0' && *s <= '9') {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
		s++;
	}
	if (s < end && !is_space(*s))
		return -1;
	*p = s;
	*out = v;
	return 0;
}

static int parse_line(const char *s, const char *end, const char *name, int64_t lineno,
		      struct iostat_snapshot *snap, struct tp_error *err)
{
	static const int old_part[4] = {
		IOSTAT_RD_IOS, IOSTAT_RD_SECTORS, IOSTAT_WR_IOS, IOSTAT_WR_SECTORS
	};
	uint64_t major, minor, v[IOSTAT_NFIELDS];
	const char *dev;
	struct iostat_dev *d;
	size_t devlen;
	int n = 0, i;

	if (parse_u64(&s, end, &major) < 0 || parse_u64(&s, end, &minor) < 0 ||
	    major > UINT32_MAX || minor > UINT32_MAX)
		return tp_error_set(err, -EBADMSG, name, lineno, -1,
				    "expected major and minor device numbers");
	while (s < end && is_space(*s))
		s++;
	dev = s;
	while (s < end && !is_space(*s))
		s++;
	devlen = (size_t)(s - dev);
	if (devlen == 0)
		return tp_error_set(err, -EBADMSG, name, lineno, -1, "missing device name");
	if (devlen >= IOSTAT_NAME_MAX)
		return tp_error_set(err, -EBADMSG, name, lineno, -1,
				    "device name longer than %d bytes", IOSTAT_NAME_MAX - 1);
	for (;;) {
		uint64_t x;

		while (s < end && is_space(*s))
			s++;
		if (s == end)
			break;
		if (parse_u64(&s, end, &x) < 0)
			return tp_error_set(err, -EBADMSG, name, lineno, -1,
					    "counter %d of %.*s is not a number", n + 1,
					    (int)devlen, dev);
		if (n < IOSTAT_NFIELDS)
			v[n] = x;
		n++;	/* later kernels may add fields: ignored */
	}
	if (n != 4 && n < 11)
		return tp_error_set(err, -EBADMSG, name, lineno, -1,
				    "%d counters for %.*s (expected 4, or 11 or more)", n,
				    (int)devlen, dev);
	d = iostat_snapshot_add(snap, dev, devlen);
	if (!d)
		return snap->n >= IOSTAT_MAX_DEVICES ?
			tp_error_set(err, -E2BIG, name, lineno, -1, "more than %d devices",
				     IOSTAT_MAX_DEVICES) :
			tp_error_set(err, -ENOMEM, name, lineno, -1, "out of memory");
	d->major = (unsigned)major;
	d->minor = (unsigned)minor;
	if (n == 4) {
		for (i = 0; i < 4; i++)
			d->v[old_part[i]] = v[i];
	} else {
		for (i = 0; i < n && i < IOSTAT_NFIELDS; i++)
			d->v[i] = v[i];
	}
	return 0;
}

int diskstats_parse(const char *text, size_t len, const char *name,
		    struct iostat_snapshot *s, struct tp_error *err)
{
	const char *p = text, *end = text + len;
	int64_t lineno = 0;
	int rc;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q;

		if (!nl)
			nl = end;
		lineno++;
		for (q = p; q < nl && is_space(*q); q++)
			;
		if (q < nl) {
			rc = parse_line(p, nl, name, lineno, s, err);
			if (rc < 0)
				return rc;
		}
		p = nl + 1;
	}
	return 0;
}

int diskstats_parse_uptime(const char *text, size_t len, const char *name,
			   uint64_t *uptime_cs, struct tp_error *err)
{
	const char *s = text, *end = text + len;
	uint64_t sec = 0, frac = 0;
	int digits = 0;

	while (s < end && is_space(*s))
		s++;
	if (s == end || *s < '0' || *s > '9')
		goto bad;
	while (s < end && *s >= '0' && *s <= '9') {
		if (sec > (UINT64_MAX / 100 - 99) / 10)
			goto bad;
		sec = sec * 10 + (uint64_t)(*s++ - '0');
	}
	if (s < end && *s == '.') {
		s++;
		while (s < end && *s >= '0' && *s <= '9') {
			if (digits < 2) {
				frac = frac * 10 + (uint64_t)(*s - '0');
				digits++;
			}
			s++;
		}
		if (digits == 0)
			goto bad;
		if (digits == 1)
			frac *= 10;
	}
	if (s < end && !is_space(*s) && *s != '\n')
		goto bad;
	*uptime_cs = sec * 100 + frac;
	return 0;
bad:
	return tp_error_set(err, -EBADMSG, name, 1, -1,
			    "expected the uptime in seconds (\"642.28 452.51\")");
}

int diskstats_read(const char *root, struct iostat_snapshot *s, struct tp_error *err)
{
	struct buf b;
	char name[4096];
	int dirfd, rc;

	buf_init(&b, DISKSTATS_MAX_BYTES);
	iostat_snapshot_reset(s);
	dirfd = procfs_open_dir(root, err);
	if (dirfd < 0)
		return dirfd;
	if (!root || strcmp(root, "/") == 0)
		root = "";
	rc = procfs_read_buf(dirfd, root, "uptime", &b, err);
	if (rc < 0)
		goto out;
	snprintf(name, sizeof(name), "%s/proc/uptime", root);
	rc = diskstats_parse_uptime(b.data, b.len, name, &s->uptime_cs, err);
	if (rc < 0)
		goto out;
	rc = procfs_read_buf(dirfd, root, "diskstats", &b, err);
	if (rc < 0)
		goto out;
	snprintf(name, sizeof(name), "%s/proc/diskstats", root);
	rc = diskstats_parse(b.data, b.len, name, s, err);
out:
	close(dirfd);
	buf_free(&b);
	return rc;
}
