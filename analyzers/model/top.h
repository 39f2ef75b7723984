/* top.h - flat and cumulative totals per function, as `go tool pprof -top`.
 *
 * A function is a frame name: frames with the same name (whatever their
 * file, line, address or kind) count as one function, as pprof's default
 * "functions" granularity does. For value vi of each stack:
 *   flat: added to the stack's leaf frame;
 *   cum:  added once to every distinct function on the stack, so recursion
 *         does not count twice.
 * Stacks whose value is 0 are skipped, and so are functions seen only in
 * them (pprof drops zero samples too).
 *
 * `tiprof top` shows this table as it is. The report's tables
 * (analyzers/bundle/instance.c) ask the same computation for a variant
 * (struct top_query): magnitudes, the stacks under one root frame, and
 * frames to leave out (diagnose/classify.h says which: generic roots such
 * as runtime.goexit, thread-pool roots, a lock's own machinery).
 */
#ifndef TIPROF_TOP_H
#define TIPROF_TOP_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/model/profile.h"

struct top_row {
	uint32_t name;		/* string id of the function name */
	int64_t flat, cum;
};

/* A frame to leave out (frame: a frame id of p). */
typedef int (*top_skip_fn)(const struct profile *p, uint32_t frame, void *ctx);

/* What top_query_run() totals. top_query_init() gives what top_compute()
 * does: pprof's table, every frame and every stack, signed sums. */
struct top_query {
	size_t vi;		/* the value column */
	int sort_cum;		/* order by cum instead of flat */
	/* Sum |value| of each stack, saturating at INT64_MAX, as the report's
	 * shares do (hotspot_total), instead of signed sums that fail with
	 * -EOVERFLOW. */
	int magnitude;
	/* Only the stacks whose first frame is named root. */
	int has_root;
	uint32_t root;
	/* Frames to leave out of the table: a stack's flat value goes to the
	 * frame nearest its leaf that is not skipped (none when all are), its
	 * cum to each function of a frame not skipped. NULL skips none. */
	top_skip_fn skip;
	void *skip_ctx;
};

/* The value pprof shows by default: the sample type named by
 * default_sample_type when there is one, else the last. -1 when the
 * profile has no sample types. */
int top_default_index(const struct profile *p);

/* One row per function into *rows (malloc'd, the caller frees it; NULL
 * when *n is 0). Ordered like pprof: by |flat| descending, then name
 * (bytewise), then |cum| descending; with sort_cum by |cum|, name, |flat|.
 * 0, -EINVAL (vi out of range), -ENOMEM, -EOVERFLOW when a sum leaves
 * int64 (err names the function). */
int top_compute(const struct profile *p, size_t vi, int sort_cum,
		struct top_row **rows, size_t *n, struct tp_error *err);

void top_query_init(struct top_query *q, size_t vi);

/* The table of q, as top_compute() (which is this with top_query_init()
 * and sort_cum): a row for each function that a stack with a non-zero
 * value counts, ordered the same way. */
int top_query_run(const struct profile *p, const struct top_query *q,
		  struct top_row **rows, size_t *n, struct tp_error *err);

/* Order rows[0..n) as top_compute() does for sort_cum. */
void top_sort(const struct profile *p, struct top_row *rows, size_t n, int sort_cum);

/* Sum of |value vi| over all stacks: what pprof calls the total when it
 * prints percentages. 0, -EINVAL or -EOVERFLOW. */
int top_total(const struct profile *p, size_t vi, int64_t *total, struct tp_error *err);

#endif
