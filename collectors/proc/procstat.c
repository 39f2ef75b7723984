/* procstat.c - see procstat.h */
#include "collectors/proc/procstat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collectors/proc/diskstats.h"
#include "collectors/proc/procfs.h"

#define PROCSTAT_MAX_IDS (1 << 22)

struct procstat {
	int dirfd;
	char root[4096];
	int64_t *ids;
	size_t nids, cap;
};

/* ---- parsers ---- */

static int parse_u64_token(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int parse_i64_token(const char *s, size_t n, int64_t *out)
{
	uint64_t v;
	int neg = n > 0 && s[0] == '-';

	if (parse_u64_token(s + neg, n - (size_t)neg, &v) < 0 ||
	    v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int procstat_parse_io(const char *text, size_t len, struct procstat_io *io,
		      struct tp_error *err)
{
	static const char *const keys[7] = {
		"rchar", "wchar", "syscr", "syscw", "read_bytes", "write_bytes",
		"cancelled_write_bytes",
	};
	uint64_t *dst[7];
	const char *p = text, *end = text + len;
	unsigned seen = 0;
	int64_t lineno = 0;
	int k;

	dst[0] = &io->rchar;
	dst[1] = &io->wchar;
	dst[2] = &io->syscr;
	dst[3] = &io->syscw;
	dst[4] = &io->read_bytes;
	dst[5] = &io->write_bytes;
	dst[6] = &io->cancelled_write_bytes;
	memset(io, 0, sizeof(*io));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *colon, *v;

		if (!nl)
			nl = end;
		lineno++;
		colon = memchr(p, ':', (size_t)(nl - p));
		if (colon) {
			for (k = 0; k < 7; k++)
				if ((size_t)(colon - p) == strlen(keys[k]) &&
				    memcmp(p, keys[k], (size_t)(colon - p)) == 0)
					break;
			if (k < 7) {
				const char *ve;

				for (v = colon + 1; v < nl && (*v == ' ' || *v == '\t'); v++)
					;
				for (ve = nl; ve > v && (ve[-1] == ' ' || ve[-1] == '\r'); ve--)
					;
				if (parse_u64_token(v, (size_t)(ve - v), dst[k]) < 0)
					return tp_error_set(err, -EBADMSG, "io", lineno, -1,
							    "%s is not a number", keys[k]);
				seen |= 1u << k;
			}
		}
		p = nl + 1;
	}
	for (k = 0; k < 7; k++)
		if (!(seen & (1u << k)))
			return tp_error_set(err, -EBADMSG, "io", 0, -1, "no %s line", keys[k]);
	return 0;
}

int procstat_parse_stat(const char *text, size_t len, struct procstat_stat *st,
			struct tp_error *err)
{
	const char *open, *close, *p, *end = text + len;
	size_t n;
	int field;

	memset(st, 0, sizeof(*st));
	st->processor = -1;
	while (end > text && (end[-1] == '\n' || end[-1] == '\0'))
		end--;
	open = memchr(text, '(', (size_t)(end - text));
	if (!open)
		return tp_error_set(err, -EBADMSG, "stat", 1, -1, "no '(' before the command");
	close = end;
	while (close > open && close[-1] != ')')
		close--;
	if (close == open)
		return tp_error_set(err, -EBADMSG, "stat", 1, -1, "no ')' after the command");
	close--;	/* at the last ')' */
	n = (size_t)(open - text);
	if (n < 2 || text[n - 1] != ' ' || parse_i64_token(text, n - 1, &st->pid) < 0)
		return tp_error_set(err, -EBADMSG, "stat", 1, -1, "no process id");
	n = (size_t)(close - open - 1);
	if (n >= PROCSTAT_COMM_MAX)
		n = PROCSTAT_COMM_MAX - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';

	p = close + 1;
	for (field = 3; p < end; field++) {
		const char *tok;
		size_t tlen;
		int rc = 0;
		uint64_t u;

		if (*p != ' ')
			return tp_error_set(err, -EBADMSG, "stat", 1, -1,
					    "expected a space before field %d", field);
		tok = ++p;
		while (p < end && *p != ' ')
			p++;
		tlen = (size_t)(p - tok);
		switch (field) {
		case 3:
			if (tlen != 1)
				rc = -1;
			else
				st->state = tok[0];
			break;
		case 4: rc = parse_i64_token(tok, tlen, &st->ppid); break;
		case 14: rc = parse_u64_token(tok, tlen, &st->utime); break;
		case 15: rc = parse_u64_token(tok, tlen, &st->stime); break;
		case 20: rc = parse_i64_token(tok, tlen, &st->num_threads); break;
		case 22: rc = parse_u64_token(tok, tlen, &st->starttime); break;
		case 39: rc = parse_i64_token(tok, tlen, &st->processor); break;
		default:
			/* Other fields are numbers too (some negative). */
			rc = (tlen > 0 && tok[0] == '-') ? parse_u64_token(tok + 1, tlen - 1, &u)
							 : parse_u64_token(tok, tlen, &u);
		}
		if (rc < 0)
			return tp_error_set(err, -EBADMSG, "stat", 1, -1,
					    "field %d is not a number", field);
	}
	if (field <= 22)
		return tp_error_set(err, -EBADMSG, "stat", 1, -1,
				    "%d fields, expected at least 22", field - 1);
	return 0;
}

/* ---- reading ---- */

int procstat_open(struct procstat **out, const char *root, struct tp_error *err)
{
	struct procstat *ps;
	int fd;

	*out = NULL;
	if (!root || strcmp(root, "/") == 0)
		root = "";
	if (strlen(root) >= sizeof(ps->root))
		return tp_error_set(err, -ENAMETOOLONG, root, 0, -1, "path too long");
	fd = procfs_open_dir(root, err);
	if (fd < 0)
		return fd;
	ps = calloc(1, sizeof(*ps));
	if (!ps) {
		close(fd);
		return tp_error_msg(err, -ENOMEM, "out of memory");
	}
	ps->dirfd = fd;
	snprintf(ps->root, sizeof(ps->root), "%s", root);
	*out = ps;
	return 0;
}

void procstat_close(struct procstat *ps)
{
	if (!ps)
		return;
	if (ps->dirfd >= 0)
		close(ps->dirfd);
	free(ps->ids);
	free(ps);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int procstat_list(struct procstat *ps, int64_t pid, const int64_t **ids, size_t *n,
		  struct tp_error *err)
{
	char rel[64];
	struct dirent *de;
	DIR *dir;
	int fd;

	*ids = NULL;
	*n = 0;
	ps->nids = 0;
	if (pid > 0)
		snprintf(rel, sizeof(rel), "%lld/task", (long long)pid);
	else
		snprintf(rel, sizeof(rel), ".");
	fd = openat(ps->dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (pid > 0 && (e == ENOENT || e == ESRCH))
			return -ENOENT;
		return tp_error_set(err, -e, ps->root, 0, -1, "cannot list /proc/%s: %s", rel,
				    strerror(e));
	}
	dir = fdopendir(fd);
	if (!dir) {
		int e = errno;

		close(fd);
		return tp_error_msg(err, -e, "cannot list /proc/%s: %s", rel, strerror(e));
	}
	while ((de = readdir(dir)) != NULL) {
		uint64_t v;

		if (parse_u64_token(de->d_name, strlen(de->d_name), &v) < 0 || v == 0 ||
		    v > INT64_MAX)
			continue;
		if (ps->nids == ps->cap) {
			size_t cap = ps->cap ? ps->cap * 2 : 1024;
			int64_t *nv;

			if (cap > PROCSTAT_MAX_IDS) {
				closedir(dir);
				return tp_error_msg(err, -E2BIG, "more than %d entries in /proc/%s",
						    PROCSTAT_MAX_IDS, rel);
			}
			nv = realloc(ps->ids, cap * sizeof(*nv));
			if (!nv) {
				closedir(dir);
				return tp_error_msg(err, -ENOMEM, "out of memory");
			}
			ps->ids = nv;
			ps->cap = cap;
		}
		ps->ids[ps->nids++] = (int64_t)v;
	}
	closedir(dir);
	qsort(ps->ids, ps->nids, sizeof(*ps->ids), cmp_i64);
	*ids = ps->ids;
	*n = ps->nids;
	return 0;
}

static void task_path(char *out, size_t n, int64_t pid, int64_t tid, const char *file)
{
	if (tid > 0)
		snprintf(out, n, "%lld/task/%lld/%s", (long long)pid, (long long)tid, file);
	else
		snprintf(out, n, "%lld/%s", (long long)pid, file);
}

/* Read a small per-task file: exits and permission errors are returned
 * quietly; others set err. */
static int read_task_file(struct procstat *ps, int64_t pid, int64_t tid, const char *file,
			  char *out, size_t cap, size_t *len, struct tp_error *err)
{
	char rel[96];
	int rc;

	task_path(rel, sizeof(rel), pid, tid, file);
	rc = procfs_read_small(ps->dirfd, rel, out, cap, len);
	if (rc == -ESRCH)
		rc = -ENOENT;
	if (rc < 0 && rc != -ENOENT && rc != -EACCES && rc != -EPERM)
		return tp_error_set(err, rc, ps->root, 0, -1, "cannot read /proc/%s: %s", rel,
				    strerror(-rc));
	if (rc == -EPERM)
		rc = -EACCES;
	return rc;
}

int procstat_read_io(struct procstat *ps, int64_t pid, int64_t tid, struct procstat_io *io,
		     struct tp_error *err)
{
	char text[1024];
	size_t len;
	int rc;

	rc = read_task_file(ps, pid, tid, "io", text, sizeof(text), &len, err);
	if (rc < 0)
		return rc;
	/* An empty read: the task exited after open. */
	if (len == 0)
		return -ENOENT;
	return procstat_parse_io(text, len, io, err);
}

int procstat_read_stat(struct procstat *ps, int64_t pid, int64_t tid,
		       struct procstat_stat *st, struct tp_error *err)
{
	char text[2048];
	size_t len;
	int rc;

	rc = read_task_file(ps, pid, tid, "stat", text, sizeof(text), &len, err);
	if (rc < 0)
		return rc;
	if (len == 0)
		return -ENOENT;
	return procstat_parse_stat(text, len, st, err);
}

int procstat_uptime(struct procstat *ps, uint64_t *uptime_cs, struct tp_error *err)
{
	char text[256], name[4200];
	size_t len;
	int rc;

	snprintf(name, sizeof(name), "%s/proc/uptime", ps->root);
	rc = procfs_read_small(ps->dirfd, "uptime", text, sizeof(text), &len);
	if (rc < 0)
		return tp_error_set(err, rc, name, 0, -1, "cannot read: %s", strerror(-rc));
	return diskstats_parse_uptime(text, len, name, uptime_cs, err);
}

long procstat_clk_tck(void)
{
	long t = sysconf(_SC_CLK_TCK);

	return t > 0 ? t : 100;
}
