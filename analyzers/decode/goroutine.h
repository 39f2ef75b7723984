/* goroutine.h - Go goroutine dumps (debug=2 full stacks) as a profile.
 *
 * The text `pprof.Lookup("goroutine").WriteTo(w, 2)`, a panic or SIGQUIT
 * writes (TiDB's /debug/zip "goroutine" entry, /debug/pprof/goroutine?debug=2):
 *
 *   goroutine 23 [chan receive, 3 minutes, locked to thread]:
 *   main.worker(0xc000010000, {0x6e2f80, 0x4})
 *   	/src/demo/main.go:44 +0x3e
 *   math/rand.(*Rand).Int63(...)
 *   	/usr/lib/go/src/math/rand/rand.go:84
 *   ...additional frames elided...
 *   created by main.main in goroutine 1
 *   	/src/demo/main.go:185 +0x26a
 *   <blank line>
 *
 * becomes a profile with one sample type, goroutine/count. Each goroutine
 * adds 1 to the stack of its frames (function name without arguments,
 * file, line; a call printed with "(...)" and no +0x offset is an inlined
 * frame, FRAME_INLINED), labelled with:
 *   state       string: "chan receive", "running", "IO wait", ...
 *   wait        number, unit "minutes", when the header has "N minutes"
 *   locked      "thread" when the goroutine is locked to its OS thread
 *   created_by  the creating function ("in goroutine N" dropped)
 * so goroutines with identical frames, state, wait, lock and creator are one
 * stack with their count. An elided middle ("...additional frames
 * elided...") becomes a frame of that name at the root end of what is
 * known. "goroutine running on other thread; stack unavailable" gives a
 * stack with the single frame "<stack unavailable>". Text before the first
 * header (a panic message) is skipped.
 *
 * goroutine_groups() groups stacks further, the way panicparse buckets
 * goroutines: the same frames, state, lock and creator, with the wait
 * minutes merged into a range.
 *
 * Errors (-EBADMSG, with the line number): a call line not followed by
 * its tab-indented "file:line", a stray line inside a goroutine, no
 * goroutine header at all. Stacks deeper than PROFILE_MAX_DEPTH give
 * -E2BIG.
 */
#ifndef TIPROF_GOROUTINE_H
#define TIPROF_GOROUTINE_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/base/linereader.h"
#include "analyzers/model/profile.h"

struct goroutine_stats {
	uint64_t goroutines;	/* headers read */
	uint64_t elided;	/* goroutines with elided frames */
	uint64_t locked;	/* goroutines locked to a thread */
	uint64_t unavailable;	/* goroutines without a stack */
};

/* 1 when buf[0..n) starts (after blank lines, or a panic message of at
 * most a few lines) with a goroutine header "goroutine N [...]:". */
int goroutine_detect(const char *buf, size_t n);

/* Read a dump into p, which must be empty (new). st may be NULL. 0 or
 * negative errno with err (file and line) filled in. */
int goroutine_read(struct linereader *lr, struct profile *p,
		   struct goroutine_stats *st, struct tp_error *err);

struct goroutine_group {
	size_t stack;		/* index of the group's first stack (sorted order) */
	uint32_t state;		/* string ids; 0 = none */
	uint32_t created_by;
	int locked;
	int64_t count;
	int64_t wait_min, wait_max;	/* minutes; -1 when no goroutine had a wait */
	size_t nstacks;		/* profile stacks merged into the group */
};

/* Groups of p (as goroutine_read() made it), largest first, then by
 * state, then in folded order. *g is malloc'd (NULL when *n is 0). 0 or
 * -ENOMEM. */
int goroutine_groups(const struct profile *p, struct goroutine_group **g, size_t *n);

struct goroutine_state {
	uint32_t state;		/* string id */
	int64_t count;
};

/* Goroutine counts by state, largest first, then by name. *s is malloc'd.
 * 0 or -ENOMEM. */
int goroutine_states(const struct profile *p, struct goroutine_state **s, size_t *n);

#endif
