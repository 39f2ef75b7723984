/* flametree.h - the flame graph layout model, independent of any output.
 *
 * Stacks (root first) are merged into a tree of frames keyed by frame NAME:
 * two frames of the profile with the same name string under the same parent
 * are one node. Each node keeps its totals (one value, or two for a
 * differential tree); self values are implied (total minus the children's
 * totals). The root node stands for "all" and holds the grand totals.
 *
 * Normal mode: a stack merges with any existing child of the same name, and
 * children are laid out ordered by name, bytewise (a shorter prefix first).
 * Chart mode (flame chart): a stack merges only with the LAST child at each
 * level, so the input (time) order is kept and nothing is sorted.
 *
 * Memory is proportional to the number of nodes (about 24-40 bytes each);
 * nothing recurses on depth, so stacks may be 100,000 frames deep.
 */
#ifndef TIPROF_FLAMETREE_H
#define TIPROF_FLAMETREE_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/model/profile.h"

#define FLAMETREE_ROOT UINT32_MAX	/* name of the root ("all") node */
#define FLAMETREE_MAX_VALUES 2

struct flametree;

/* Names come from p (borrowed; it must outlive the tree). nvalues is 1, or
 * 2 for a differential tree (value[0] = base, value[1] = new; widths use
 * new). chart != 0 selects flame chart mode. NULL when out of memory or
 * when nvalues is not 1 or 2. */
struct flametree *flametree_new(const struct profile *p, int nvalues, int chart);

/* Add values (nvalues of them) to the stack frames[0..n) (frame ids of p,
 * root first). Values must not be negative. n may be 0 (the root's self).
 * Returns 0, -EINVAL (a frame id unknown to p), -ERANGE (a negative value),
 * -EOVERFLOW (a total would pass INT64_MAX; nothing is added), -E2BIG (more
 * than 2^31-2 nodes) or -ENOMEM. After a failure the tree is still valid
 * and holds every earlier stack. */
int flametree_add(struct flametree *t, const uint32_t *frames, size_t n,
		  const int64_t *values);

/* Accepts NULL. */
void flametree_free(struct flametree *t);

const struct profile *flametree_profile(const struct flametree *t);
int flametree_nvalues(const struct flametree *t);
int flametree_is_chart(const struct flametree *t);
/* Grand total of value vi (the root's total). */
int64_t flametree_total(const struct flametree *t, int vi);
/* Nodes, the root included. */
size_t flametree_nnodes(const struct flametree *t);
/* Bytes held, for memory accounting. */
size_t flametree_bytes(const struct flametree *t);

/* One frame as a walk presents it. */
struct flametree_frame {
	uint32_t name;		/* string id in the profile, FLAMETREE_ROOT for the root */
	uint32_t depth;		/* 0 for the root */
	int64_t offset;		/* left edge in width units (undefined when unordered) */
	int64_t value[FLAMETREE_MAX_VALUES];	/* totals; [nvalues-1] is the width */
	int64_t self[FLAMETREE_MAX_VALUES];	/* self values */
};

/* Return 0 to go on, or a negative errno to stop the walk with it. */
typedef int (*flametree_fn)(void *ctx, const struct flametree_frame *f);

#define FLAMETREE_UNORDERED 1	/* children in any order; offsets undefined */

/* Visit the frames whose width is at least minvalue (and above 0) in
 * depth-first pre-order, children left to right; a skipped frame's subtree
 * is skipped too, but its width still counts in its parent. Frames are laid
 * out from the left edge of their parent, so a parent's self value ends up
 * at its right. 0, -ENOMEM, or fn's error. */
int flametree_walk(const struct flametree *t, int64_t minvalue, int flags,
		   flametree_fn fn, void *ctx);

#endif
