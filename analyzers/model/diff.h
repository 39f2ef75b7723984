/* diff.h - differential profiles: two profiles side by side.
 *
 * The result has two sample types, "base" and "new", and holds the union
 * of the stacks of both inputs (a stack missing from one side has 0 there),
 * as difffolded.pl's two-count folded output does.
 */
#ifndef TIPROF_DIFF_H
#define TIPROF_DIFF_H

#include "analyzers/base/error.h"
#include "analyzers/model/profile.h"

struct diff_opts {
	int normalize;		/* scale base so its total equals new's total */
	int strip_hex;		/* rewrite "0x<hex>" in names to "0x..." */
};

/* Combine value base_vi of base and value new_vi of new into a new
 * profile *out. Frames are matched by name (as folded text would).
 * 0 or a negative errno with err filled in. */
int diff_profiles(const struct profile *base, size_t base_vi,
		  const struct profile *new, size_t new_vi,
		  const struct diff_opts *o, struct profile **out,
		  struct tp_error *err);

#endif
