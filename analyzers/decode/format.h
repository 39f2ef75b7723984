/* format.h - input formats: recognise them by content and load them.
 *
 * One entry point for every command that reads profiles: the format is
 * detected from the first bytes (after gzip, which linereader removes),
 * never from the file name, unless the caller names it.
 *
 * Whole-file formats (profile.proto, zip archives) are recognised from the
 * raw bytes and read into memory (at most 1 GiB); text formats (perf
 * script, folded stacks, goroutine dumps, debug=1 texts) are streamed.
 * A zip archive (TiDB's /debug/zip, PD's pprof zip) is read as one of its
 * entries: the one format_opts.entry names (an entry name, or a kind:
 * cpu, heap, allocs, mutex, block, goroutine), by default the CPU profile.
 */
#ifndef TIPROF_FORMAT_H
#define TIPROF_FORMAT_H

#include "analyzers/base/error.h"
#include "analyzers/decode/goroutine.h"
#include "analyzers/decode/legacy.h"
#include "analyzers/base/linereader.h"
#include "analyzers/decode/perfscript.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"

enum format {
	FORMAT_AUTO = 0,
	FORMAT_PERF,		/* perf script text */
	FORMAT_FOLDED,		/* folded stacks */
	FORMAT_PPROF,		/* profile.proto, gzip'd or raw */
	FORMAT_ZIP,		/* zip of profiles (TiDB /debug/zip, PD pprof zip) */
	FORMAT_GOROUTINE,	/* goroutine dump, debug=2 (goroutine.h) */
	FORMAT_LEGACY,		/* Go debug=1 text: goroutine, heap, mutex, block */
};

/* "auto", "perf", "folded", "pprof", "zip", "goroutine", "legacy" -> 0 and
 * *f; -EINVAL otherwise. */
int format_parse(const char *name, enum format *f);

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
	/* zip: the entry to read, by name or kind (NULL: the CPU profile). */
	const char *entry;
};

/* Warnings a load produced, as text for the command layer to print. */
#define FORMAT_MAX_WARN 4
struct format_report {
	enum format format;		/* what was read */
	uint64_t records;		/* samples or lines read */
	int nwarn;
	char warn[FORMAT_MAX_WARN][320];
	char entry[256];		/* zip: the entry read */
	const char *kind;		/* format_profile_kind() of what was read */
	/* The flame graph palette the content calls for: "go" (Go runtime
	 * profiles, goroutine dumps), "rust" (pprof-rs: TiKV), or NULL. */
	const char *palette;
	/* The sample type read (streamed column, or the default one). */
	char type[64], unit[64];
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

/* Read a goroutine dump (FORMAT_GOROUTINE) or a debug=1 text
 * (FORMAT_LEGACY) from lr whole into a new profile *q, with its facts in
 * *gs or *li (the other is untouched). *q keeps the labels (state, wait,
 * thread labels, ...). On failure *q is NULL. */
int format_read_whole(struct linereader *lr, enum format f, struct profile **q,
		      struct legacy_info *li, struct goroutine_stats *gs, struct tp_error *err);

/* The records a whole-read profile came from: goroutines, debug=1
 * records, or stacks. */
uint64_t format_whole_records(const struct profile *q, enum format f,
			      const struct legacy_info *li, const struct goroutine_stats *gs);

/* What kind of profile p is, from its sample types: "cpu", "heap",
 * "allocs", "contention" (mutex or block), "goroutine", "threadcreate", or
 * NULL when none of these. */
const char *format_profile_kind(const struct profile *p);

/* One input, or one entry of a zip, as format_each_entry() shows it. */
struct format_entry {
	const char *name;		/* zip entry name; NULL for a plain input */
	enum format format;		/* how it was read; FORMAT_AUTO: not a profile */
	int content;			/* enum zip_content (zip entries) */
	const char *kind;		/* format_profile_kind(), or NULL */
	const char *data;		/* zip entries: the content (borrowed) */
	size_t len;
	struct profile *p;		/* the profile (borrowed), or NULL */
	const struct legacy_info *legacy;	/* FORMAT_LEGACY */
	const struct goroutine_stats *goroutines;	/* FORMAT_GOROUTINE */
	const struct tp_error *error;	/* a zip entry that did not decode */
};

typedef int (*format_entry_fn)(void *ctx, const struct format_entry *e);

/* Open path: for a zip archive, call fn for every entry in order (profiles
 * decoded; config, version and other entries with p NULL and their data;
 * an entry that does not decode with its error, and the walk goes on), or
 * only for the entry o->entry selects (its failure is the return value);
 * for anything else, call fn once with the input loaded as
 * format_load_file() loads it. A non-zero return from fn ends the walk and
 * is returned. 0 or negative errno (err) for the input itself. */
int format_each_entry(const char *path, enum format from, const struct format_opts *o,
		      format_entry_fn fn, void *ctx, struct format_report *rep,
		      struct tp_error *err);

#endif
