/* perfscript.h - `perf script` text to stacks, as stackcollapse-perf.pl
 * reads it.
 *
 * Lines are streamed; memory grows with the distinct frames and stacks,
 * not with the input. The parsing rules are those of FlameGraph's
 * stackcollapse-perf.pl (its regular expressions are emulated exactly,
 * including how they backtrack), with these differences:
 *  - C++ argument lists are cut at the first '(' outside template angle
 *    brackets (perfname_cut());
 *  - control characters in names become "\xNN", ';' in a process name
 *    becomes ':';
 *  - with keep_truncated, a record at the end of the input without a
 *    blank line after it still counts;
 *  - an event line indented by perf's comm padding is still an event line,
 *    and one that carries its only frame on the same line (perf script
 *    without -g) is a sample of its own;
 *  - kernel frames also come from versioned vmlinux files and .ko modules,
 *    JIT frames also from perf-inject jitted-*.so files;
 *  - with repair_rust, partly mangled Rust names are repaired.
 */
#ifndef TIPROF_PERFSCRIPT_H
#define TIPROF_PERFSCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/base/linereader.h"
#include "analyzers/model/profile.h"

struct perfscript_opts {
	int include_pid, include_tid;		/* --pid, --tid */
	int annotate_kernel, annotate_jit;	/* --kernel, --jit (--all = both) */
	int include_addrs;			/* --addrs */
	int repair_rust;			/* inferno-style Rust name repair */
	int group_tikv;				/* --group-threads tikv */
	const char *event_filter;		/* NULL or "": first event type seen */
	int keep_truncated;			/* count a last record that has no
						 * blank line after it (inferno does;
						 * stackcollapse-perf.pl drops it) */
};

struct perfscript_stats {
	uint64_t samples;		/* samples kept */
	uint64_t filtered;		/* samples skipped by the event filter */
	uint64_t unrecognized;		/* lines not understood */
	int64_t first_unrecognized;	/* its line number, 0 if none */
	char event[128];		/* event type kept ("" if none named) */
	char first_dropped_event[128];	/* first other event type dropped ("" if none) */
	int truncated;			/* the input ended inside a sample that
					 * was left out (keep_truncated off) */
};

/* Called once per sample; frames are root first (pname frame first, kind
 * FRAME_ROOT). frames is borrowed until the call returns. A non-zero
 * return stops perfscript_each(), which returns that value. */
typedef int (*perfscript_sample_fn)(void *ctx, struct profile *p,
		const uint32_t *frames, size_t n, int64_t period);

/* All options off, no event filter. */
void perfscript_opts_init(struct perfscript_opts *o);

/* Read lr to its end and call fn for every sample. Frames are interned in
 * p with their tidied name, module path, address (the pc) and kind
 * (FRAME_KERNEL, FRAME_JIT, FRAME_INLINED or FRAME_USER; the "_[k]"-style
 * suffix is part of the name only when the options ask for it). The root
 * frame is the process name: comm, "comm-PID" (include_pid) or
 * "comm-PID/TID" (include_tid), spaces turned into '_'; with group_tikv
 * the comm is replaced by threadname_tikv_pool() and the root is the pool
 * (with "-PID" for include_pid and include_tid alike).
 *
 * Lines that are not understood are skipped and counted in st (may be
 * NULL), which is filled in either case; so are stack lines that belong
 * to no sample (a dropped event's lines are skipped without counting).
 * Returns 0; -EBADMSG (err set) when the input had lines that were not
 * understood and no sample, or for a period that does not fit an int64;
 * -E2BIG for a stack deeper than PROFILE_MAX_DEPTH; -EOVERFLOW when a
 * stack's sum would pass INT64_MAX; errors of lr and of p; or fn's
 * non-zero value. An empty input is no error (0 samples). */
int perfscript_each(struct linereader *lr, const struct perfscript_opts *o,
		struct profile *p, perfscript_sample_fn fn, void *ctx,
		struct perfscript_stats *st, struct tp_error *err);

/* Aggregate into p: each sample adds its period to the stack's first
 * value. If p has no sample type yet, ("samples","count") is added at the
 * first kept sample. Frames are interned by name: every distinct name
 * below the root is one frame of p (the one p already has with that name,
 * or a new one with the module and kind of its first occurrence and no
 * address), so that the folded lines of p are exactly the stacks
 * stackcollapse-perf.pl prints. Same return values as perfscript_each().
 */
int perfscript_collapse(struct linereader *lr, const struct perfscript_opts *o,
		struct profile *p, struct perfscript_stats *st, struct tp_error *err);

/* 1 if buf[0..n) (the start of an input) looks like perf script text: the
 * first line that is neither blank nor a '#' comment is an event line
 * ("comm [pid/]tid ... event:"), followed by a stack line, a blank line,
 * another event line or the end of buf. */
int perfscript_detect(const char *buf, size_t n);

#endif
