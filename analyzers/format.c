/* format.c - see format.h */
#include "format.h"
#include "folded.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DETECT_BYTES 65536

static const char *const names[] = { "auto", "perf", "folded" };

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

int format_load_file(const char *path, enum format from, const struct format_opts *o,
		     struct profile *p, struct format_report *rep, struct tp_error *err)
{
	struct linereader *lr;
	int r;

	if ((r = linereader_open(&lr, path, err)) < 0)
		return r;
	r = format_load(lr, from, o, p, rep, err);
	linereader_close(lr);
	return r;
}
