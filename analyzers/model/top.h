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

/* Sum of |value vi| over all stacks: what pprof calls the total when it
 * prints percentages. 0, -EINVAL or -EOVERFLOW. */
int top_total(const struct profile *p, size_t vi, int64_t *total, struct tp_error *err);

#endif
