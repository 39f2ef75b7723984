/* format.c - see format.h */
#include "format.h"
#include "folded.h"
#include "threadname.h"
#include "top.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DETECT_BYTES 65536

static const char *const names[] = { "auto", "perf", "folded", "pprof" };

int format_parse(const char *name, enum format *f)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0) {
			*f = (enum format)i;
			return 0;
		}
	return -EINVAL;
}

const char *format_name(enum format f)
{
	return (size_t)f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

enum format format_detect(const char *buf, size_t n)
{
	if (perfscript_detect(buf, n))
		return FORMAT_PERF;
	if (folded_detect(buf, n))
		return FORMAT_FOLDED;
	return FORMAT_AUTO;
}

void format_opts_init(struct format_opts *o)
{
	memset(o, 0, sizeof(*o));
	perfscript_opts_init(&o->perf);
	o->thread_root = 1;
}

static void warn(struct format_report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct format_report *rep, const char *fmt, ...)
{
	va_list ap;

	if (!rep || rep->nwarn >= FORMAT_MAX_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(rep->warn[rep->nwarn++], sizeof(rep->warn[0]), fmt, ap);
	va_end(ap);
}

int format_resolve(struct linereader *lr, enum format *from, struct tp_error *err)
{
	size_t want = DETECT_BYTES, n;
	const char *p;
	int r;

	if (*from != FORMAT_AUTO)
		return 0;
	for (;;) {
		if ((r = linereader_peek(lr, want, &p, &n, err)) < 0)
			return r;
		if (n == 0) {
			*from = FORMAT_FOLDED;	/* empty input: an empty profile */
			return 0;
		}
		*from = format_detect(p, n);
		/* A first line longer than the window (a very deep folded
		 * stack): look further, up to the longest line allowed. */
		if (*from != FORMAT_AUTO || n < want || memchr(p, '\n', n) ||
		    want >= LINEREADER_MAX_LINE)
			break;
		want *= 4;
	}
	if (*from == FORMAT_AUTO)
		return tp_error_set(err, -EBADMSG, linereader_name(lr), 0, -1,
				    "unrecognized input format (expected perf script text or folded stacks)");
	return 0;
}

struct perf_adapter {
	format_stack_fn fn;
	void *ctx;
};

static int perf_sample(void *ctx, struct profile *p, const uint32_t *frames,
		       size_t n, int64_t period)
{
	struct perf_adapter *a = ctx;

	return a->fn(a->ctx, p, frames, n, &period, 1);
}

static void perf_warnings(struct linereader *lr, const struct perfscript_stats *st,
			  struct format_report *rep)
{
	if (st->first_dropped_event[0])
		warn(rep, "%s: kept only events of type \"%s\"; skipped %llu sample(s) of other types such as \"%s\" (use --event-filter)",
		     linereader_name(lr), st->event, (unsigned long long)st->filtered,
		     st->first_dropped_event);
	if (st->truncated)
		warn(rep, "%s: the input ends inside a sample (no blank line after it); that sample was left out, as stackcollapse-perf.pl does (--keep-truncated counts it)",
		     linereader_name(lr));
	if (st->unrecognized)
		warn(rep, "%s:%lld: %llu unrecognized line(s) skipped",
		     linereader_name(lr), (long long)st->first_unrecognized,
		     (unsigned long long)st->unrecognized);
	if (rep)
		rep->records = st->samples;
}

static void folded_warnings(struct linereader *lr, const struct folded_stats *st,
			    struct format_report *rep)
{
	if (st->ignored)
		warn(rep, "%s:%lld: %llu line(s) that are not folded stacks skipped",
		     linereader_name(lr), (long long)st->first_ignored,
		     (unsigned long long)st->ignored);
	if (st->fractional)
		warn(rep, "%s: %llu fractional count(s) truncated to integers",
		     linereader_name(lr), (unsigned long long)st->fractional);
	if (rep)
		rep->records = st->lines;
}

int format_each(struct linereader *lr, enum format from, const struct format_opts *o,
		struct profile *p, format_stack_fn fn, void *ctx,
		struct format_report *rep, struct tp_error *err)
{
	int r;

	if ((r = format_resolve(lr, &from, err)) < 0)
		return r;
	if (from == FORMAT_PPROF)
		return tp_error_set(err, -EINVAL, linereader_name(lr), 0, -1,
				    "profile.proto is read whole, not as text");
	if (rep)
		rep->format = from;
	if (from == FORMAT_PERF) {
		struct perfscript_stats st;
		struct perf_adapter a = { fn, ctx };

		r = perfscript_each(lr, &o->perf, p, perf_sample, &a, &st, err);
		perf_warnings(lr, &st, rep);
	} else {
		struct folded_stats st;

		r = folded_each(lr, p, (folded_line_fn)fn, ctx, &st, err);
		folded_warnings(lr, &st, rep);
	}
	return r;
}

int format_load(struct linereader *lr, enum format from, const struct format_opts *o,
		struct profile *p, struct format_report *rep, struct tp_error *err)
{
	int r;

	if ((r = format_resolve(lr, &from, err)) < 0)
		return r;
	if (from == FORMAT_PPROF)
		return tp_error_set(err, -EINVAL, linereader_name(lr), 0, -1,
				    "profile.proto is read whole, not as text");
	if (rep)
		rep->format = from;
	if (from == FORMAT_PERF) {
		struct perfscript_stats st;

		r = perfscript_collapse(lr, &o->perf, p, &st, err);
		perf_warnings(lr, &st, rep);
	} else {
		struct folded_stats st;

		r = folded_read(lr, p, &st, err);
		folded_warnings(lr, &st, rep);
	}
	return r;
}

/* ---- whole-file inputs: sniff the first bytes, then text or pprof ---- */

#define PPROF_MAX_INPUT ((size_t)1 << 30)

struct input {
	const char *name;
	int fd, own;
	char head[DETECT_BYTES];
	size_t nhead;
	enum format from;
};

static int input_open(struct input *in, const char *path, enum format from,
		      struct tp_error *err)
{
	ssize_t r;

	memset(in, 0, sizeof(*in));
	in->from = from;
	if (!path || strcmp(path, "-") == 0) {
		in->name = "<stdin>";
		in->fd = 0;
	} else {
		in->name = path;
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
		in->own = 1;
	}
	while (in->nhead < sizeof(in->head)) {
		r = read(in->fd, in->head + in->nhead, sizeof(in->head) - in->nhead);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			if (in->own)
				close(in->fd);
			return tp_error_set(err, -e, in->name, 0, -1, "read error: %s", strerror(e));
		}
		if (r == 0)
			break;
		in->nhead += (size_t)r;
	}
	if (in->from == FORMAT_AUTO &&
	    pprof_detect((const uint8_t *)in->head, in->nhead) != PPROF_NONE)
		in->from = FORMAT_PPROF;
	return 0;
}

/* The rest of a pprof input, decoded into a new profile *q. */
static int input_pprof(struct input *in, const struct format_opts *o,
		       struct profile **q, struct tp_error *err)
{
	struct buf all;
	ssize_t r;
	int rc;

	*q = NULL;
	buf_init(&all, PPROF_MAX_INPUT);
	if ((rc = buf_append(&all, in->head, in->nhead)) < 0)
		goto oom;
	for (;;) {
		if ((rc = buf_reserve(&all, 1 << 20)) < 0) {
			if (rc == -E2BIG) {
				rc = tp_error_set(err, rc, in->name, 0, -1,
						  "larger than %zu bytes", PPROF_MAX_INPUT);
				goto out;
			}
			goto oom;
		}
		r = read(in->fd, all.data + all.len, all.cap - all.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = tp_error_set(err, -errno, in->name, 0, -1, "read error: %s",
					  strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		all.len += (size_t)r;
	}
	*q = profile_new();
	if (!*q)
		goto oom;
	tp_error_init(err);
	rc = pprof_decode((const uint8_t *)all.data, all.len, &o->pprof, *q, err);
	if (rc < 0) {
		if (err && !err->file[0])
			snprintf(err->file, sizeof(err->file), "%s", in->name);
		profile_free(*q);
		*q = NULL;
	}
	goto out;
oom:
	rc = tp_error_set(err, -ENOMEM, in->name, 0, -1, "out of memory");
out:
	buf_free(&all);
	return rc;
}

static void input_close(struct input *in)
{
	if (in->own && in->fd >= 0)
		close(in->fd);
	in->fd = -1;
}

/* The frame a pprof stack's "thread" label turns into, or 0 if none. */
static int thread_frame(const struct profile *q, uint32_t labels, const struct format_opts *o,
			struct profile *p, uint32_t *fid)
{
	const struct label *l;
	size_t n, i;

	if (!o->thread_root || !labels)
		return 0;
	l = profile_labelset_get(q, labels, &n);
	for (i = 0; i < n; i++) {
		size_t klen, vlen;
		const char *k = profile_str(q, l[i].key, &klen);
		const char *v = profile_str(q, l[i].str, &vlen);
		char pool[256];
		int r;

		if (klen != 6 || memcmp(k, "thread", 6) != 0 || !l[i].str)
			continue;
		if (o->perf.group_tikv) {
			size_t plen = threadname_tikv_pool(v, vlen, pool, sizeof(pool));

			if (plen < sizeof(pool)) {
				v = pool;
				vlen = plen;
			}
		}
		if ((r = profile_frame_named(p, v, vlen, FRAME_ROOT, fid)) < 0)
			return r;
		return 1;
	}
	return 0;
}

/* Walk the stacks of q in sorted order, re-interned into p (plus the
 * thread root), calling fn with the values of columns [vi0, vi0+ncols). */
static int pprof_walk(const struct profile *q, const struct format_opts *o,
		      struct profile *p, size_t vi0, int ncols, int keep_labels,
		      format_stack_fn fn, void *ctx)
{
	uint32_t *order = NULL, *frames = NULL;
	size_t i, cap = 0;
	int r;

	if ((r = profile_sorted(q, &order)) < 0)
		return r;
	for (i = 0; i < profile_nstacks(q); i++) {
		struct stack_view sv;
		uint32_t k, fid, lid = 0;
		size_t n = 0;

		profile_stack(q, order[i], &sv);
		if (sv.nframes + 1 > cap) {
			uint32_t *nf = realloc(frames, (sv.nframes + 1) * sizeof(*nf));

			if (!nf) {
				r = -ENOMEM;
				break;
			}
			frames = nf;
			cap = sv.nframes + 1;
		}
		if ((r = thread_frame(q, sv.labels, o, p, &fid)) < 0)
			break;
		if (r == 1)
			frames[n++] = fid;
		for (k = 0; k < sv.nframes; k++)
			if ((r = profile_import_frame(p, q, sv.frames[k], &frames[n++])) < 0)
				goto out;
		if (keep_labels && (r = profile_import_labelset(p, q, sv.labels, &lid)) < 0)
			break;
		(void)lid;
		if ((r = fn(ctx, p, frames, n, sv.values + vi0, ncols)) < 0)
			break;
	}
out:
	free(order);
	free(frames);
	return r < 0 ? r : 0;
}

static int merge_stack(void *ctx, struct profile *p, const uint32_t *frames, size_t n,
		       const int64_t *values, int ncolumns)
{
	(void)ctx;
	(void)ncolumns;
	return profile_add(p, frames, n, 0, values, NULL);
}

static int pprof_into(const struct profile *q, const struct format_opts *o,
		      struct profile *p, const char *name, struct tp_error *err)
{
	size_t i;
	int r;

	if (profile_nvalues(p) == 0) {
		for (i = 0; i < profile_nvalues(q); i++) {
			uint32_t unit, type = profile_sample_type(q, i, &unit);

			if ((r = profile_add_sample_type(p, profile_str(q, type, NULL),
							 profile_str(q, unit, NULL))) < 0)
				return tp_error_set(err, r, name, 0, -1, "too many sample types");
		}
		if (profile_nstacks(p) == 0) {
			const struct profile_meta *qm = profile_meta_const(q);
			struct profile_meta *pm = profile_meta(p);
			size_t len;
			const char *s;

			pm->period = qm->period;
			pm->time_nanos = qm->time_nanos;
			pm->duration_nanos = qm->duration_nanos;
			s = profile_str(q, qm->period_type, &len);
			profile_intern(p, s, len, &pm->period_type);
			s = profile_str(q, qm->period_unit, &len);
			profile_intern(p, s, len, &pm->period_unit);
			s = profile_str(q, qm->default_sample_type, &len);
			profile_intern(p, s, len, &pm->default_sample_type);
		}
	} else {
		int same = profile_nvalues(p) == profile_nvalues(q);

		for (i = 0; same && i < profile_nvalues(q); i++) {
			uint32_t u1, u2;
			const char *t1 = profile_str(p, profile_sample_type(p, i, &u1), NULL);
			const char *t2 = profile_str(q, profile_sample_type(q, i, &u2), NULL);

			same = strcmp(t1, t2) == 0 &&
			       strcmp(profile_str(p, u1, NULL), profile_str(q, u2, NULL)) == 0;
		}
		if (!same)
			return tp_error_set(err, -EINVAL, name, 0, -1,
					    "its sample types differ from the first input's; cannot merge");
	}
	r = pprof_walk(q, o, p, 0, (int)profile_nvalues(q), 1, merge_stack, NULL);
	if (r < 0)
		return tp_error_set(err, r, name, 0, -1, r == -EOVERFLOW ?
				    "counts overflow a signed 64-bit sum" : "out of memory");
	return 0;
}

int format_load_file(const char *path, enum format from, const struct format_opts *o,
		     struct profile *p, struct format_report *rep, struct tp_error *err)
{
	struct input in;
	struct linereader *lr;
	int r;

	if ((r = input_open(&in, path, from, err)) < 0)
		return r;
	if (in.from == FORMAT_PPROF) {
		struct profile *q;

		if (rep)
			rep->format = FORMAT_PPROF;
		r = input_pprof(&in, o, &q, err);
		input_close(&in);
		if (r < 0)
			return r;
		if (rep)
			rep->records = profile_nstacks(q);
		r = pprof_into(q, o, p, in.name, err);
		profile_free(q);
		return r;
	}
	r = linereader_open_fd(&lr, in.name, in.fd, in.own, in.head, in.nhead, err);
	if (r < 0)
		return r;
	r = format_load(lr, in.from, o, p, rep, err);
	linereader_close(lr);
	return r;
}

int format_each_file(const char *path, enum format from, const struct format_opts *o,
		     struct profile *p, format_stack_fn fn, void *ctx,
		     struct format_report *rep, struct tp_error *err)
{
	struct input in;
	struct linereader *lr;
	int r;

	if ((r = input_open(&in, path, from, err)) < 0)
		return r;
	if (in.from == FORMAT_PPROF) {
		struct profile *q;
		int vi;

		if (rep)
			rep->format = FORMAT_PPROF;
		r = input_pprof(&in, o, &q, err);
		input_close(&in);
		if (r < 0)
			return r;
		if (o->sample_index) {
			vi = profile_find_sample_type(q, o->sample_index);
			if (vi < 0) {
				profile_free(q);
				return tp_error_set(err, -EINVAL, in.name, 0, -1,
						    "has no sample type \"%s\"", o->sample_index);
			}
		} else {
			vi = top_default_index(q);
		}
		if (rep)
			rep->records = profile_nstacks(q);
		r = pprof_walk(q, o, p, (size_t)(vi < 0 ? 0 : vi), 1, 0, fn, ctx);
		profile_free(q);
		if (r < 0 && err && !err->msg[0])
			tp_error_set(err, r, in.name, 0, -1, "%s", r == -EOVERFLOW ?
				     "counts overflow a signed 64-bit sum" : strerror(-r));
		return r;
	}
	r = linereader_open_fd(&lr, in.name, in.fd, in.own, in.head, in.nhead, err);
	if (r < 0)
		return r;
	r = format_each(lr, in.from, o, p, fn, ctx, rep, err);
	linereader_close(lr);
	return r;
}
