/* folded.h - folded stack text: read and write.
 *
 * One stack per line, root first, frames separated by ';', then a space
 * and a count; differential files carry two counts ("stack base new").
 * docs/folded-format.md is the format's reference. Counts are integers;
 * a fractional count is truncated (and counted in the stats). Lines that
 * cannot be parsed are skipped and counted, as flamegraph.pl does.
 */
#ifndef TIPROF_FOLDED_H
#define TIPROF_FOLDED_H

#include <stdio.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/linereader.h"
#include "analyzers/model/profile.h"

struct folded_stats {
	uint64_t lines;			/* stack lines read */
	uint64_t ignored;		/* lines skipped as unparsable */
	int64_t first_ignored;		/* line number of the first, 0 if none */
	uint64_t fractional;		/* counts that had a fraction dropped */
	int columns;			/* 1 or 2 counts per line, 0 if no line */
};

/* Called per line, frames root first; values has st->columns entries. */
typedef int (*folded_line_fn)(void *ctx, struct profile *p, const uint32_t *frames,
			      size_t n, const int64_t *values, int ncolumns);

/* Stream the lines of lr, interning frames (kind FRAME_USER, root frame
 * of a line kept as FRAME_USER too) into p, and call fn for each. The column
 * count is set by the first valid line; later lines with another count
 * are ignored. 0, or a negative errno with err: -EBADMSG when lines were
 * present but none could be parsed. */
int folded_each(struct linereader *lr, struct profile *p, folded_line_fn fn,
		void *ctx, struct folded_stats *st, struct tp_error *err);

/* Aggregate lr into p. If p has no sample types yet, "samples"/"count" is
 * added (and for two columns "base"/"count" and "new"/"count"); otherwise
 * p must have as many sample types as the file has columns. */
int folded_read(struct linereader *lr, struct profile *p, struct folded_stats *st,
		struct tp_error *err);

/* Write p in bytewise-sorted stack order. vi selects one value; -1 writes
 * every value (one or two columns). Stacks whose written values are all 0
 * are skipped. Names are made safe (folded_safe_name). 0 or -EIO/-ENOMEM. */
int folded_write(const struct profile *p, int vi, FILE *out, struct tp_error *err);

/* Append name made safe for a folded line to out: ';' becomes ':', control
 * characters (0x00-0x1f, 0x7f) become "\xNN". For the leaf (last) frame,
 * a space that would make the end of the line read as a count ("f 12",
 * "f ") also becomes "\x20". Idempotent. 0 or -ENOMEM. */
int folded_safe_name(const char *name, size_t len, int leaf, struct buf *out);

/* True when name needs no change (in the leaf position when leaf != 0). */
int folded_name_is_safe(const char *name, size_t len, int leaf);

/* The number of counts (1 or 2) on the first parsable line of buf[0..n);
 * 1 when there is none. */
int folded_columns(const char *buf, size_t n);

/* 1 if buf[0..n) (the start of an input) looks like folded text. */
int folded_detect(const char *buf, size_t n);

#endif
