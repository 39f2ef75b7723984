/* format.c - see format.h */
#include "analyzers/decode/format.h"
#include "analyzers/model/folded.h"
#include "analyzers/model/threadname.h"
#include "analyzers/model/top.h"
#include "analyzers/decode/zip.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DETECT_BYTES 65536

static const char *const names[] = {
	"auto", "perf", "folded", "pprof", "zip", "goroutine", "legacy",
};

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

enum format format_detect(const char *buf, size_t n)
{
	if (goroutine_detect(buf, n))
		return FORMAT_GOROUTINE;
	if (legacy_detect(buf, n) != LEGACY_NONE)
		return FORMAT_LEGACY;
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
				    "unrecognized input format (expected perf script text, folded stacks, profile.proto, a zip of profiles, a goroutine dump or a debug=1 profile text)");
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

/* ---- profiles read whole (pprof, goroutine dumps, debug=1 texts) ---- */

const char *format_profile_kind(const struct profile *p)
{
	size_t i, n = profile_nvalues(p);

	for (i = 0; i < n; i++) {
		const char *t = profile_str(p, profile_sample_type(p, i, NULL), NULL);

		if (strcmp(t, "cpu") == 0)
			return "cpu";
		if (strcmp(t, "inuse_space") == 0 || strcmp(t, "alloc_space") == 0 ||
		    strcmp(t, "space") == 0) {
			const char *d = profile_str(p, profile_meta_const(p)->default_sample_type, NULL);

			return strcmp(d, "alloc_space") == 0 ? "allocs" : "heap";
		}
		if (strcmp(t, "contentions") == 0 || strcmp(t, "delay") == 0)
			return "contention";
		if (strcmp(t, "goroutine") == 0)
			return "goroutine";
		if (strcmp(t, "threadcreate") == 0)
			return "threadcreate";
	}
	return NULL;
}

static int ends(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* 1 when some sample of q has a string label "thread" (pprof-rs). */
static int has_thread_label(const struct profile *q)
{
	uint32_t key, id;
	size_t i, n;

	if (strtab_find(profile_strings_const(q), "thread", 6, &key) < 0)
		return 0;
	for (id = 1; id < profile_nlabelsets(q); id++) {
		const struct label *l = profile_labelset_get(q, id, &n);

		for (i = 0; i < n; i++)
			if (l[i].key == key && l[i].str)
				return 1;
	}
	return 0;
}

/* The palette a profile's content calls for: pprof-rs labels every sample
 * with its thread; Go code has .go files and runtime. functions. */
static const char *guess_palette(const struct profile *q, enum format f)
{
	size_t i, n;

	if (f == FORMAT_GOROUTINE || f == FORMAT_LEGACY)
		return "go";
	if (has_thread_label(q))
		return "rust";
	n = profile_nframes(q);
	for (i = 0; i < n && i < 100000; i++) {
		const struct frame *fr = profile_frame_get(q, (uint32_t)i);
		size_t len;
		const char *s = profile_str(q, fr->file, &len);

		if (ends(s, len, ".go"))
			return "go";
		s = profile_str(q, fr->name, &len);
		if (len > 8 && memcmp(s, "runtime.", 8) == 0)
			return "go";
	}
	return NULL;
}

static void report_profile(struct format_report *rep, const struct profile *q, enum format f,
			   int vi)
{
	uint32_t unit;

	if (!rep)
		return;
	rep->format = f;
	rep->kind = format_profile_kind(q);
	rep->palette = guess_palette(q, f);
	if (vi >= 0 && (size_t)vi < profile_nvalues(q)) {
		const char *t = profile_str(q, profile_sample_type(q, (size_t)vi, &unit), NULL);

		snprintf(rep->type, sizeof(rep->type), "%s", t);
		snprintf(rep->unit, sizeof(rep->unit), "%s", profile_str(q, unit, NULL));
	}
}

/* The column a per-stack reading streams: --sample-index or the default. */
static int pick_column(const struct profile *q, const struct format_opts *o,
		       const char *name, int *vi, struct tp_error *err)
{
	if (o->sample_index) {
		*vi = profile_find_sample_type(q, o->sample_index);
		if (*vi < 0)
			return tp_error_set(err, -EINVAL, name, 0, -1,
					    "has no sample type \"%s\"", o->sample_index);
	} else {
		*vi = top_default_index(q);
	}
	if (*vi < 0)
		*vi = 0;
	return 0;
}

int format_read_whole(struct linereader *lr, enum format f, struct profile **q,
		      struct legacy_info *li, struct goroutine_stats *gs, struct tp_error *err)
{
	int r;

	*q = profile_new();
	if (!*q)
		return tp_error_set(err, -ENOMEM, linereader_name(lr), 0, -1, "out of memory");
	if (f == FORMAT_GOROUTINE)
		r = goroutine_read(lr, *q, gs, err);
	else
		r = legacy_read(lr, *q, li, err);
	if (r < 0) {
		profile_free(*q);
		*q = NULL;
	}
	return r;
}

uint64_t format_whole_records(const struct profile *q, enum format f,
			      const struct legacy_info *li, const struct goroutine_stats *gs)
{
	if (f == FORMAT_GOROUTINE)
		return gs->goroutines;
	if (f == FORMAT_LEGACY)
		return li->records;
	return profile_nstacks(q);
}

static int pprof_walk(const struct profile *q, const struct format_opts *o,
		      struct profile *p, size_t vi0, int ncols, int sorted,
		      format_stack_fn fn, void *ctx);
static int pprof_into(const struct profile *q, const struct format_opts *o,
		      struct profile *p, const char *name, struct tp_error *err);

/* Stream the stacks of a whole profile q (one column). */
static int each_whole(const struct profile *q, enum format f, const struct format_opts *o,
		      struct profile *p, format_stack_fn fn, void *ctx, const char *name,
		      struct format_report *rep, struct tp_error *err)
{
	int vi, r;

	if ((r = pick_column(q, o, name, &vi, err)) < 0)
		return r;
	report_profile(rep, q, f, vi);
	r = pprof_walk(q, o, p, (size_t)vi, 1, 1, fn, ctx);
	if (r < 0 && err && !err->msg[0])
		tp_error_set(err, r, name, 0, -1, "%s", r == -EOVERFLOW ?
			     "counts overflow a signed 64-bit sum" : strerror(-r));
	return r;
}

/* The start of reading a text input: detect its format (into *from) and
 * refuse the binary ones; a goroutine or debug=1 dump is read whole into
 * *q (NULL for the streamed formats). 0 or a negative errno. */
static int text_start(struct linereader *lr, enum format *from, struct profile **q,
		      struct format_report *rep, struct tp_error *err)
{
	struct legacy_info li;
	struct goroutine_stats gs;
	int r;

	*q = NULL;
	if ((r = format_resolve(lr, from, err)) < 0)
		return r;
	if (*from == FORMAT_PPROF || *from == FORMAT_ZIP)
		return tp_error_set(err, -EINVAL, linereader_name(lr), 0, -1,
				    "%s is read whole, not as text",
				    *from == FORMAT_ZIP ? "a zip archive" : "profile.proto");
	if (rep)
		rep->format = *from;
	if (*from != FORMAT_GOROUTINE && *from != FORMAT_LEGACY)
		return 0;
	if ((r = format_read_whole(lr, *from, q, &li, &gs, err)) < 0)
		return r;
	if (rep)
		rep->records = format_whole_records(*q, *from, &li, &gs);
	return 0;
}

int format_each(struct linereader *lr, enum format from, const struct format_opts *o,
		struct profile *p, format_stack_fn fn, void *ctx,
		struct format_report *rep, struct tp_error *err)
{
	struct profile *q;
	int r;

	if ((r = text_start(lr, &from, &q, rep, err)) < 0)
		return r;
	if (q) {
		r = each_whole(q, from, o, p, fn, ctx, linereader_name(lr), rep, err);
		profile_free(q);
		return r;
	}
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
	struct profile *q;
	int r;

	if ((r = text_start(lr, &from, &q, rep, err)) < 0)
		return r;
	if (q) {
		report_profile(rep, q, from, top_default_index(q));
		r = pprof_into(q, o, p, linereader_name(lr), err);
		profile_free(q);
		return r;
	}
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
	if (in->from == FORMAT_AUTO && zip_detect(in->head, in->nhead))
		in->from = FORMAT_ZIP;
	else if (in->from == FORMAT_AUTO &&
		 pprof_detect((const uint8_t *)in->head, in->nhead) != PPROF_NONE)
		in->from = FORMAT_PPROF;
	return 0;
}

/* The whole input (what input_open() read, then the rest) into all. */
static int input_slurp(struct input *in, struct buf *all, struct tp_error *err)
{
	ssize_t r;
	int rc;

	buf_init(all, PPROF_MAX_INPUT);
	if ((rc = buf_append(all, in->head, in->nhead)) < 0)
		goto oom;
	for (;;) {
		if ((rc = buf_reserve(all, 1 << 20)) < 0) {
			if (rc == -E2BIG)
				return tp_error_set(err, rc, in->name, 0, -1,
						    "larger than %zu bytes", PPROF_MAX_INPUT);
			goto oom;
		}
		r = read(in->fd, all->data + all->len, all->cap - all->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return tp_error_set(err, -errno, in->name, 0, -1, "read error: %s",
					    strerror(errno));
		if (r == 0)
			break;
		all->len += (size_t)r;
	}
	return 0;
oom:
	return tp_error_set(err, -ENOMEM, in->name, 0, -1, "out of memory");
}

/* The rest of a pprof input, decoded into a new profile *q. */
static int input_pprof(struct input *in, const struct format_opts *o,
		       struct profile **q, struct tp_error *err)
{
	struct buf all;
	int rc;

	*q = NULL;
	if ((rc = input_slurp(in, &all, err)) < 0)
		goto out;
	*q = profile_new();
	if (!*q) {
		rc = tp_error_set(err, -ENOMEM, in->name, 0, -1, "out of memory");
		goto out;
	}
	tp_error_init(err);
	rc = pprof_decode((const uint8_t *)all.data, all.len, &o->pprof, *q, err);
	if (rc < 0) {
		if (err && !err->file[0])
			snprintf(err->file, sizeof(err->file), "%s", in->name);
		profile_free(*q);
		*q = NULL;
	}
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

/* Walk the stacks of q (in sorted order when sorted is set, else in q's
 * order), re-interned into p (plus the thread root), calling fn with the
 * values of columns [vi0, vi0+ncols). Each distinct frame of q is imported
 * once. */
static int pprof_walk(const struct profile *q, const struct format_opts *o,
		      struct profile *p, size_t vi0, int ncols, int sorted,
		      format_stack_fn fn, void *ctx)
{
	uint32_t *order = NULL, *frames = NULL, *memo = NULL;
	size_t i, cap = 0, nf = profile_nframes(q);
	int r = 0;

	memo = malloc((nf ? nf : 1) * sizeof(*memo));
	if (!memo)
		return -ENOMEM;
	memset(memo, 0xff, (nf ? nf : 1) * sizeof(*memo));
	if (sorted && (r = profile_sorted(q, &order)) < 0)
		goto out;
	for (i = 0; i < profile_nstacks(q); i++) {
		struct stack_view sv;
		uint32_t k, fid;
		size_t n = 0;

		profile_stack(q, order ? order[i] : i, &sv);
		if (sv.nframes + 1 > cap) {
			uint32_t *nfr = realloc(frames, (sv.nframes + 1) * sizeof(*nfr));

			if (!nfr) {
				r = -ENOMEM;
				break;
			}
			frames = nfr;
			cap = sv.nframes + 1;
		}
		if ((r = thread_frame(q, sv.labels, o, p, &fid)) < 0)
			break;
		if (r == 1)
			frames[n++] = fid;
		for (k = 0; k < sv.nframes; k++) {
			uint32_t qf = sv.frames[k];

			if (memo[qf] == UINT32_MAX &&
			    (r = profile_import_frame(p, q, qf, &memo[qf])) < 0)
				goto out;
			frames[n++] = memo[qf];
		}
		if ((r = fn(ctx, p, frames, n, sv.values + vi0, ncols)) < 0)
			break;
	}
out:
	free(order);
	free(frames);
	free(memo);
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
		if ((r = profile_copy_header(p, q)) < 0)
			return tp_error_set(err, r, name, 0, -1, "%s", r == -E2BIG ?
					    "too many sample types" : "out of memory");
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
	r = pprof_walk(q, o, p, 0, (int)profile_nvalues(q), 0, merge_stack, NULL);
	if (r < 0)
		return tp_error_set(err, r, name, 0, -1, r == -EOVERFLOW ?
				    "counts overflow a signed 64-bit sum" : "out of memory");
	return 0;
}

/* ---- zip archives: one entry as a profile ----
 *
 * An entry is read (capped as zip.h says), recognised by content
 * (zip_sniff()) and decoded: profile.proto with pprof_decode(), goroutine
 * dumps and debug=1 texts with their readers, perf script text and folded
 * stacks with format_load(). Entries that are not profiles (config,
 * version, other) are read but not decoded. Errors name the entry as
 * "ARCHIVE(ENTRY)". */

struct zipentry {
	uint8_t *data;			/* the content (malloc'd) */
	size_t len;
	enum zip_content content;
	enum format format;		/* FORMAT_AUTO: not a profile */
	struct profile *q;		/* the profile, or NULL */
	struct legacy_info li;		/* FORMAT_LEGACY */
	struct goroutine_stats gs;	/* FORMAT_GOROUTINE */
	const char *entry;		/* the entry's name (borrowed from the archive) */
	char name[256];			/* "archive(entry)" for messages */
};

static void zipentry_free(struct zipentry *u)
{
	free(u->data);
	profile_free(u->q);
	u->data = NULL;
	u->q = NULL;
}

/* What a kind asked for with --entry matches. */
static int kind_matches(const char *want, const char *kind, const struct zipentry *u)
{
	if (!kind)
		return 0;
	if (strcmp(want, "profile") == 0 || strcmp(want, "cpu") == 0)
		return strcmp(kind, "cpu") == 0;
	if (strcmp(want, "mutex") == 0 || strcmp(want, "block") == 0) {
		if (strcmp(kind, "contention") != 0)
			return 0;
		/* debug=1 texts say which one they are; profile.proto does
		 * not (both are contentions/delay), so its name must */
		if (u->format == FORMAT_LEGACY)
			return strcmp(u->li.type, want) == 0;
		return strstr(u->entry, want) != NULL;
	}
	if (strcmp(want, "heap") == 0)
		return strcmp(kind, "heap") == 0 || strcmp(kind, "allocs") == 0;
	return strcmp(want, kind) == 0;
}

static const char *zipentry_kind(const struct zipentry *u)
{
	if (!u->q)
		return NULL;
	if (u->format == FORMAT_LEGACY && u->li.kind == LEGACY_COUNT)
		return u->li.type[0] ? u->li.type : NULL;
	return format_profile_kind(u->q);
}

/* Read and decode entry i of za (zname names the archive). u is filled
 * (and must be freed) even on failure; an entry that is not a profile is
 * no error (u->q NULL). 0 or negative errno with err. */
static int zipentry_unpack(struct zip_archive *za, size_t i, const char *zname,
		     const struct format_opts *o, struct zipentry *u,
		     struct tp_error *err)
{
	const struct zip_entry *e = zip_archive_entry(za, i);
	size_t max = o->pprof.max_size;
	struct linereader *lr;
	enum format f;
	int r;

	memset(u, 0, sizeof(*u));
	u->entry = e->name;
	snprintf(u->name, sizeof(u->name), "%.120s(%.120s)", zname, e->name);
	r = zip_archive_read(za, i, max, max != 0, &u->data, &u->len, err);
	if (r < 0)
		return r;
	u->content = zip_sniff(u->data, u->len);
	switch (u->content) {
	case ZIP_CONTENT_PPROF:
		u->q = profile_new();
		if (!u->q)
			return tp_error_set(err, -ENOMEM, u->name, 0, -1, "out of memory");
		tp_error_init(err);
		r = pprof_decode(u->data, u->len, &o->pprof, u->q, err);
		if (r < 0) {
			snprintf(err->file, sizeof(err->file), "%s", u->name);
			return r;
		}
		u->format = FORMAT_PPROF;
		return 0;
	case ZIP_CONTENT_GOROUTINE:
	case ZIP_CONTENT_LEGACY:
	case ZIP_CONTENT_TEXT:
		break;
	default:
		return 0;
	}
	if ((r = linereader_open_mem(&lr, u->name, u->data, u->len, err)) < 0)
		return r;
	f = FORMAT_AUTO;
	if (format_resolve(lr, &f, NULL) < 0 || f == FORMAT_AUTO) {
		linereader_close(lr);
		return 0;	/* text, but no profile */
	}
	if (f == FORMAT_GOROUTINE || f == FORMAT_LEGACY) {
		r = format_read_whole(lr, f, &u->q, &u->li, &u->gs, err);
	} else {
		u->q = profile_new();
		r = u->q ? format_load(lr, f, o, u->q, NULL, err) :
		    tp_error_set(err, -ENOMEM, u->name, 0, -1, "out of memory");
	}
	linereader_close(lr);
	if (r == 0)
		u->format = f;
	return r;
}

static int no_entry(struct zip_archive *za, const char *zname, const char *want,
		    struct tp_error *err)
{
	char list[200];
	size_t i, len = 0;

	list[0] = '\0';
	for (i = 0; i < zip_archive_count(za) && len + 1 < sizeof(list); i++) {
		int w = snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				 zip_archive_entry(za, i)->name);

		if (w < 0)
			break;
		len += (size_t)w;
	}
	if (len >= sizeof(list))
		memcpy(list + sizeof(list) - 4, "...", 4);
	return tp_error_set(err, -ENOENT, zname, 0, -1,
			    "no %s profile entry (entries: %s); choose one with --entry NAME",
			    want, zip_archive_count(za) ? list : "none");
}

/* The entry o->entry selects: the entry of that name, else the first of
 * that kind (cpu or profile, heap (or allocs), allocs, mutex, block,
 * goroutine, ...; mutex and block profile.proto entries must have the word
 * in their name, as the content does not tell them apart); by default the
 * first CPU profile. An entry that fails to decode while searching by kind
 * is skipped, and its error is returned if nothing matched. -ENOENT (with
 * the list of entries) when nothing matched, -EINVAL when the named entry
 * is not a profile. */
static int zipentry_select(struct zip_archive *za, const char *zname, const struct format_opts *o,
		     struct zipentry *u, struct tp_error *err)
{
	const char *want = o->entry ? o->entry : "cpu";
	struct tp_error first;
	size_t i;
	long k;
	int r, failed = 0;

	if (o->entry && (k = zip_archive_find(za, o->entry)) >= 0) {
		if ((r = zipentry_unpack(za, (size_t)k, zname, o, u, err)) < 0)
			return r;
		if (!u->q)
			return tp_error_set(err, -EINVAL, u->name, 0, -1,
					    "holds %s, not a profile", zip_content_name(u->content));
		return 0;
	}
	tp_error_init(&first);
	for (i = 0; i < zip_archive_count(za); i++) {
		struct tp_error e;

		tp_error_init(&e);
		r = zipentry_unpack(za, i, zname, o, u, &e);
		if (r == 0 && kind_matches(want, zipentry_kind(u), u))
			return 0;
		if (r < 0 && !failed) {
			first = e;
			failed = 1;
		}
		zipentry_free(u);
	}
	if (failed) {
		/* An entry that might have been it did not decode: say why. */
		if (err)
			*err = first;
		return first.code ? first.code : -EBADMSG;
	}
	return no_entry(za, zname, want, err);
}

struct zipped {
	struct buf all;
	struct zip_archive *za;
};

static int zipped_open(struct input *in, struct zipped *z, struct tp_error *err)
{
	int r;

	memset(z, 0, sizeof(*z));
	if ((r = input_slurp(in, &z->all, err)) < 0)
		return r;
	return zip_archive_open(&z->za, z->all.data, z->all.len, in->name, err);
}

static void zipped_close(struct zipped *z)
{
	zip_archive_close(z->za);
	buf_free(&z->all);
}

static void report_entry(struct format_report *rep, const struct zipentry *u)
{
	if (!rep)
		return;
	rep->records = format_whole_records(u->q, u->format, &u->li, &u->gs);
	snprintf(rep->entry, sizeof(rep->entry), "%s", u->entry);
}

/* ---- files ---- */

/* Load an opened non-zip input into p. */
static int load_opened(struct input *in, const struct format_opts *o, struct profile *p,
		       struct format_report *rep, struct tp_error *err)
{
	struct linereader *lr;
	int r;

	if (in->from == FORMAT_PPROF) {
		struct profile *q;

		if (rep)
			rep->format = FORMAT_PPROF;
		r = input_pprof(in, o, &q, err);
		input_close(in);
		if (r < 0)
			return r;
		if (rep)
			rep->records = profile_nstacks(q);
		report_profile(rep, q, FORMAT_PPROF, top_default_index(q));
		r = pprof_into(q, o, p, in->name, err);
		profile_free(q);
		return r;
	}
	r = linereader_open_fd(&lr, in->name, in->fd, in->own, in->head, in->nhead, err);
	if (r < 0)
		return r;
	r = format_load(lr, in->from, o, p, rep, err);
	linereader_close(lr);
	return r;
}

/* Open the zip input in (closing in) and select the entry o names into u,
 * reported in rep. z and u are to be freed whatever the result. */
static int zipped_select(struct input *in, const struct format_opts *o, struct zipped *z,
			 struct zipentry *u, struct format_report *rep, struct tp_error *err)
{
	int r;

	memset(u, 0, sizeof(*u));
	r = zipped_open(in, z, err);
	input_close(in);
	if (r == 0 && (r = zipentry_select(z->za, in->name, o, u, err)) == 0)
		report_entry(rep, u);
	return r;
}

int format_load_file(const char *path, enum format from, const struct format_opts *o,
		     struct profile *p, struct format_report *rep, struct tp_error *err)
{
	struct input in;
	int r;

	if ((r = input_open(&in, path, from, err)) < 0)
		return r;
	if (in.from == FORMAT_ZIP) {
		struct zipped z;
		struct zipentry u;

		if ((r = zipped_select(&in, o, &z, &u, rep, err)) == 0) {
			report_profile(rep, u.q, u.format, top_default_index(u.q));
			if (rep)
				rep->format = FORMAT_ZIP;
			r = pprof_into(u.q, o, p, u.name, err);
		}
		zipentry_free(&u);
		zipped_close(&z);
		return r;
	}
	return load_opened(&in, o, p, rep, err);
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
	if (in.from == FORMAT_ZIP) {
		struct zipped z;
		struct zipentry u;

		if ((r = zipped_select(&in, o, &z, &u, rep, err)) == 0) {
			r = each_whole(u.q, u.format, o, p, fn, ctx, u.name, rep, err);
			if (rep)
				rep->format = FORMAT_ZIP;
		}
		zipentry_free(&u);
		zipped_close(&z);
		return r;
	}
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
		r = each_whole(q, FORMAT_PPROF, o, p, fn, ctx, in.name, rep, err);
		profile_free(q);
		return r;
	}
	r = linereader_open_fd(&lr, in.name, in.fd, in.own, in.head, in.nhead, err);
	if (r < 0)
		return r;
	r = format_each(lr, in.from, o, p, fn, ctx, rep, err);
	linereader_close(lr);
	return r;
}

int format_each_entry(const char *path, enum format from, const struct format_opts *o,
		      format_entry_fn fn, void *ctx, struct format_report *rep,
		      struct tp_error *err)
{
	struct format_entry e;
	struct input in;
	int r;

	if ((r = input_open(&in, path, from, err)) < 0)
		return r;
	memset(&e, 0, sizeof(e));
	if (in.from == FORMAT_ZIP) {
		struct zipped z;
		size_t i;

		if (rep)
			rep->format = FORMAT_ZIP;
		r = zipped_open(&in, &z, err);
		input_close(&in);
		if (r == 0 && o->entry) {
			/* only the entry --entry selects */
			struct zipentry u;

			if ((r = zipentry_select(z.za, in.name, o, &u, err)) == 0) {
				report_entry(rep, &u);
				e.name = u.entry;
				e.content = (int)u.content;
				e.data = (const char *)u.data;
				e.len = u.len;
				e.format = u.format;
				e.p = u.q;
				e.kind = zipentry_kind(&u);
				e.legacy = u.format == FORMAT_LEGACY ? &u.li : NULL;
				e.goroutines = u.format == FORMAT_GOROUTINE ? &u.gs : NULL;
				r = fn(ctx, &e);
			}
			zipentry_free(&u);
			zipped_close(&z);
			return r;
		}
		for (i = 0; r == 0 && i < zip_archive_count(z.za); i++) {
			struct zipentry u;
			struct tp_error ee;
			int d;

			tp_error_init(&ee);
			d = zipentry_unpack(z.za, i, in.name, o, &u, &ee);
			memset(&e, 0, sizeof(e));
			e.name = zip_archive_entry(z.za, i)->name;
			e.content = (int)u.content;
			e.data = (const char *)u.data;
			e.len = u.len;
			if (d < 0) {
				if (!ee.file[0])
					snprintf(ee.file, sizeof(ee.file), "%s", u.name);
				e.error = &ee;
			} else if (u.q) {
				e.format = u.format;
				e.p = u.q;
				e.kind = zipentry_kind(&u);
				e.legacy = u.format == FORMAT_LEGACY ? &u.li : NULL;
				e.goroutines = u.format == FORMAT_GOROUTINE ? &u.gs : NULL;
			}
			r = fn(ctx, &e);
			zipentry_free(&u);
		}
		zipped_close(&z);
		return r;
	}
	if (in.from != FORMAT_PPROF) {
		/* Goroutine dumps and debug=1 texts keep their labels and
		 * header facts: read them here rather than merged. */
		struct linereader *lr;
		enum format f = in.from;

		r = linereader_open_fd(&lr, in.name, in.fd, in.own, in.head, in.nhead, err);
		if (r < 0)
			return r;
		r = format_resolve(lr, &f, err);
		if (r == 0 && (f == FORMAT_GOROUTINE || f == FORMAT_LEGACY)) {
			struct legacy_info li;
			struct goroutine_stats gs;
			struct profile *q;

			if ((r = format_read_whole(lr, f, &q, &li, &gs, err)) == 0) {
				if (rep)
					rep->records = format_whole_records(q, f, &li, &gs);
				report_profile(rep, q, f, top_default_index(q));
				e.format = f;
				e.p = q;
				e.kind = f == FORMAT_LEGACY && li.kind == LEGACY_COUNT ? li.type :
					 format_profile_kind(q);
				e.legacy = f == FORMAT_LEGACY ? &li : NULL;
				e.goroutines = f == FORMAT_GOROUTINE ? &gs : NULL;
				r = fn(ctx, &e);
				profile_free(q);
			}
		} else if (r == 0) {
			struct profile *p = profile_new();

			r = p ? format_load(lr, f, o, p, rep, err) :
			    tp_error_set(err, -ENOMEM, in.name, 0, -1, "out of memory");
			if (r == 0) {
				e.format = f;
				e.p = p;
				r = fn(ctx, &e);
			}
			profile_free(p);
		}
		linereader_close(lr);
		return r;
	}
	{
		/* profile.proto: shown as decoded, unless thread labels call
		 * for root frames (then merged into a new profile, as
		 * format_load_file() does) */
		struct profile *q, *p = NULL;

		r = input_pprof(&in, o, &q, err);
		input_close(&in);
		if (r < 0)
			return r;
		if (rep) {
			rep->format = FORMAT_PPROF;
			rep->records = profile_nstacks(q);
		}
		report_profile(rep, q, FORMAT_PPROF, top_default_index(q));
		if (o->thread_root && has_thread_label(q)) {
			p = profile_new();
			r = p ? pprof_into(q, o, p, in.name, err) :
			    tp_error_set(err, -ENOMEM, in.name, 0, -1, "out of memory");
			profile_free(q);
			q = NULL;
		}
		if (r == 0) {
			e.format = FORMAT_PPROF;
			e.p = p ? p : q;
			e.kind = format_profile_kind(e.p);
			r = fn(ctx, &e);
		}
		profile_free(p);
		profile_free(q);
		return r;
	}
}
