/* hotspot.h - where a profile spends its time, as an issue report tells it
 * (the top functions are top.h's, with a struct top_query):
 *  - The hottest call path: from the root, the heaviest child at each
 *    level (frames merged by name, as a flame graph merges them), listed
 *    without the frames the caller skips, down to where the heaviest child
 *    holds less than a part (1/part) of the total.
 *  - The share of the total in stacks that contain a frame matching a
 *    predicate (GC and allocation functions, RocksDB compaction, ...),
 *    each stack counted once.
 *  - Totals per root frame (a TiKV thread pool when roots are pools).
 * Which frames to skip or match is the caller's to say (the report's
 * classifiers are analyzers/diagnose/classify.h). Value vi of each stack
 * is used; negative values count as their magnitude, as pprof does for
 * totals.
 */
#ifndef TIPROF_HOTSPOT_H
#define TIPROF_HOTSPOT_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/model/profile.h"
#include "analyzers/model/top.h"

struct hotspot_fn {
	uint32_t name;		/* string id in the profile */
	int64_t value;
};

struct hotspot_path_opts {
	top_skip_fn skip;	/* frames walked through but not listed; NULL none */
	void *skip_ctx;
	int64_t part;		/* stop where the heaviest child holds < 1/part of the total */
	int has_root;		/* only the stacks whose root frame is named root */
	uint32_t root;
};

/* The hottest path into out[0..max) (root first), each with the
 * cumulative value of the path so far; under a root, the part is of the
 * total of the stacks under it. Returns the count or a negative errno. */
int hotspot_path(const struct profile *p, size_t vi, const struct hotspot_path_opts *o,
		 struct hotspot_fn *out, size_t max);

/* The value of the stacks that have a frame for which match(name, len,
 * ctx) is true, each stack once. */
typedef int (*hotspot_match_fn)(const char *name, size_t len, void *ctx);
int64_t hotspot_share(const struct profile *p, size_t vi, hotspot_match_fn match, void *ctx);

/* Totals by root frame (the first frame of each stack, whatever its kind),
 * largest first then by name, into out[0..max). Returns the count (of
 * distinct roots, at most max) or a negative errno. */
int hotspot_roots(const struct profile *p, size_t vi, struct hotspot_fn *out, size_t max);

/* Sum of |value vi| over all stacks. */
int64_t hotspot_total(const struct profile *p, size_t vi);

#endif
