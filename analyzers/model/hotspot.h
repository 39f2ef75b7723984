/* hotspot.h - where a profile spends its time, as an issue report tells it.
 *
 *  - Generic frames: the roots every stack shares and that say nothing
 *    about the workload (runtime.goexit, runtime.main, main.main, thread
 *    starts such as start_thread, clone, _start, __libc_start_main, Rust's
 *    thread_start and call_once shims, frames without a symbol such as
 *    "[unknown]" or "[mariadbd]") and thread/pool root
 *    frames (FRAME_ROOT). hotspot_generic() names them.
 *  - Top functions by flat and by cumulative value, generic ones skipped.
 *  - The hottest call path: from the root, the heaviest child at each
 *    level (frames merged by name, as a flame graph merges them), listed
 *    without the generic frames, down to where the heaviest child holds
 *    less than a tenth of the total.
 *  - The share of the total in stacks that contain a frame matching a
 *    predicate (GC and allocation functions, RocksDB compaction, ...),
 *    each stack counted once.
 *  - Totals per root frame (a TiKV thread pool when roots are pools).
 * Value vi of each stack is used; negative values count as their
 * magnitude, as pprof does for totals.
 */
#ifndef TIPROF_HOTSPOT_H
#define TIPROF_HOTSPOT_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/model/profile.h"

struct hotspot_fn {
	uint32_t name;		/* string id in the profile */
	int64_t value;
};

/* 1 when the function name is a generic root (see above). */
int hotspot_generic(const char *name, size_t len);

/* The n largest functions by flat (cum = 0) or cumulative (cum = 1) value,
 * generic ones and root frames left out, into out[0..max); ties by name.
 * Returns how many were written, or a negative errno. */
int hotspot_top(const struct profile *p, size_t vi, int cum, struct hotspot_fn *out, size_t max);

/* The hottest path into out[0..max) (root first, generic frames left out),
 * each with the cumulative value of the path so far. Returns the count or
 * a negative errno. */
int hotspot_path(const struct profile *p, size_t vi, struct hotspot_fn *out, size_t max);

/* The same among the stacks whose root frame is named root (its share
 * threshold relative to their total). */
int hotspot_path_under(const struct profile *p, size_t vi, uint32_t root, struct hotspot_fn *out,
		       size_t max);

/* The value of the stacks that have a frame for which match(name, len,
 * ctx) is true, each stack once. */
typedef int (*hotspot_match_fn)(const char *name, size_t len, void *ctx);
int64_t hotspot_share(const struct profile *p, size_t vi, hotspot_match_fn match, void *ctx);

/* Totals by root frame (the first frame of each stack, whatever its kind),
 * largest first then by name, into out[0..max). Returns the count (of
 * distinct roots, at most max) or a negative errno. */
int hotspot_roots(const struct profile *p, size_t vi, struct hotspot_fn *out, size_t max);

/* The largest function by flat value among stacks whose root frame is
 * named root (generic ones skipped): *out, and 1; 0 when none. */
int hotspot_top_under(const struct profile *p, size_t vi, uint32_t root, struct hotspot_fn *out);

/* Sum of |value vi| over all stacks. */
int64_t hotspot_total(const struct profile *p, size_t vi);

#endif
