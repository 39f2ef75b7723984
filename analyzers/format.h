/* format.h - input formats: recognise them by content and load them.
 *
 * One entry point for every command that reads profiles: the format is
 * detected from the first bytes (after gzip, which linereader removes),
 * never from the file name, unless the caller names it.
 */
#ifndef TIPROF_FORMAT_H
#define TIPROF_FORMAT_H

#include "error.h"
#include "linereader.h"
#include "perfscript.h"
#include "pprof.h"
#include "profile.h"

enum format {
	FORMAT_AUTO = 0,
	FORMAT_PERF,		/* perf script text */
	FORMAT_FOLDED,		/* folded stacks */
	FORMAT_PPROF,		/* profile.proto, gzip'd or raw */
};

/* "auto", "perf", "folded", "pprof" -> 0 and *f; -EINVAL otherwise. */
int format_parse(const char *name, enum format *f);
const char *format_name(enum format f);

/* FORMAT_AUTO when nothing matched. */
enum format format_detect(const char *buf, size_t n);

/* When *from is FORMAT_AUTO, detect the format of lr's input without
 * consuming it (an empty input counts as folded). 0, or -EBADMSG with err
 * when the content is not a known format. */
int format_resolve(struct linereader *lr, enum format *from, struct tp_error *err);

struct format_opts {
	struct perfscript_opts perf;
	struct pprof_opts pprof;
	/* pprof: a sample's "thread" label (pprof-rs, TiKV) becomes its root
	 * frame (on by default); with perf.group_tikv the pool name. */
	int thread_root;
	/* pprof, per-stack reading: the sample type to stream (NULL: the
	 * profile's default). */
	const char *sample_index;
};

/* Warnings a load produced, as text for the command layer to print. */
#define FORMAT_MAX_WARN 4
struct format_report {
	enum format format;		/* what was read */
	uint64_t records;		/* samples or lines read */
	int nwarn;
	char warn[FORMAT_MAX_WARN][320];
};

void format_opts_init(struct format_opts *o);

/* Per-stack callback (frames root first, values has ncolumns entries). */
typedef int (*format_stack_fn)(void *ctx, struct profile *p, const uint32_t *frames,
			       size_t n, const int64_t *values, int ncolumns);

/* Read every stack of lr in input order, calling fn for each; frames are
 * interned into p. from FORMAT_AUTO detects. 0 or negative errno (err). */
int format_each(struct linereader *lr, enum format from, const struct format_opts *o,
		struct profile *p, format_stack_fn fn, void *ctx,
		struct format_report *rep, struct tp_error *err);

/* Aggregate lr into p (see folded_read and perfscript_collapse for the
 * sample types set up on an empty profile). */
int format_load(struct linereader *lr, enum format from, const struct format_opts *o,
		struct profile *p, struct format_report *rep, struct tp_error *err);

/* Open path ("-" for stdin), detect its format from the first bytes
 * (profile.proto is recognised before any text is read), and add it to p.
 * A pprof input is merged into a p that has the same sample types (or
 * none yet). */
int format_load_file(const char *path, enum format from, const struct format_opts *o,
		     struct profile *p, struct format_report *rep, struct tp_error *err);

/* Open path and call fn for each stack in input order (pprof: in stack
 * order, one column: the value o->sample_index selects). */
int format_each_file(const char *path, enum format from, const struct format_opts *o,
		     struct profile *p, format_stack_fn fn, void *ctx,
		     struct format_report *rep, struct tp_error *err);

#endif
