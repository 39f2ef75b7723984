/* filter.h - focus, ignore and hide frames by regular expression.
 *
 * The semantics follow pprof's options of the same names:
 *  - focus RE:  keep only stacks with at least one frame whose name matches;
 *  - ignore RE: drop stacks with at least one frame whose name matches;
 *  - hide RE:   remove matching frames from stacks (the stack is kept).
 * Expressions are POSIX extended regular expressions, unanchored. Each
 * distinct frame is matched once; results are cached by frame id.
 */
#ifndef TIPROF_FILTER_H
#define TIPROF_FILTER_H

#include "analyzers/base/error.h"
#include "analyzers/model/profile.h"

struct filter;

/* Any of the expressions may be NULL. 0, or -EINVAL with err naming the
 * bad expression, or -ENOMEM. */
int filter_new(struct filter **f, const char *focus, const char *ignore,
	       const char *hide, struct tp_error *err);

/* Decide for the stack frames[0..*n) of p: returns 1 to keep (hidden
 * frames removed in place and *n updated), 0 to drop, or -ENOMEM. */
int filter_stack(struct filter *f, const struct profile *p, uint32_t *frames, size_t *n);

/* A new profile with the same sample types holding the stacks of in that
 * pass the filter. 0 or a negative errno. */
int filter_profile(struct filter *f, const struct profile *in, struct profile **out,
		   struct tp_error *err);

/* Accepts NULL. */
void filter_free(struct filter *f);

#endif
