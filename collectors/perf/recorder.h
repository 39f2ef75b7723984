/* recorder.h - turn sampler records into a profile.
 *
 * Keeps what the sampler's side records say about the targets: processes
 * (name, executable mappings, each with its ELF file and load bias) and
 * threads (name from COMM, inherited over FORK). Each sample becomes a
 * stack: kernel frames from the kernel callchain (--kernel), user frames
 * from the callchain (frame pointers) or from unwinding the copied stack
 * (DWARF, unwind.h); every address symbolized (symtab.h) and demangled.
 *
 * The profile (profile.h) has two sample types, samples/count and
 * cpu/nanoseconds (the sampling period), period_type cpu/nanoseconds, and
 * a "thread" label per stack (the thread name, or its TiKV pool with
 * group_tikv). With per_thread, the thread or pool name is also the root
 * frame (FRAME_ROOT). For pprof (keep_addresses) frames carry their
 * address and mapping (file offset, build-id), and kernel and JIT frames
 * keep plain names; otherwise kernel frames end in "_[k]" and JIT frames
 * in "_[j]", as stackcollapse-perf marks them. A frame without a symbol is
 * named "[FILE]" after its module's base name, or "[unknown]".
 */
#ifndef TIPROF_RECORDER_H
#define TIPROF_RECORDER_H

#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/model/profile.h"
#include "collectors/perf/sampler.h"
#include "collectors/perf/symtab.h"

enum recorder_mode {
	RECORDER_FP = 1,	/* user frames from the kernel's callchain */
	RECORDER_DWARF,		/* user frames unwound from the stack copy */
};

struct recorder_opts {
	enum recorder_mode mode;
	int kernel;		/* kernel frames from the callchain */
	int group_tikv;		/* thread names -> TiKV pool names */
	int per_thread;		/* thread (or pool) as the root frame */
	int keep_addresses;	/* frames with addresses and mappings (pprof) */
	unsigned freq;		/* for the profile's period */
	struct symtab_opts sym;	/* symbol sources; no_cache for measuring */
};

struct recorder_stats {
	uint64_t samples;	/* samples added to the profile */
	uint64_t frames;	/* frames in them */
	uint64_t one_frame;	/* user samples whose stack has a single frame */
	uint64_t unknown;	/* frames without a symbol */
	uint64_t unwind_ns;	/* time spent unwinding (DWARF) */
	uint64_t symbolize_ns;	/* time spent resolving and interning frames */
	uint64_t full_stack_copies;	/* samples whose stack copy was full */
	struct symtab_stats sym;
};

struct recorder;

int recorder_new(struct recorder **r, const struct recorder_opts *o, struct tp_error *err);

/* Accepts NULL. */
void recorder_free(struct recorder *r);

/* A sampler_fn: ctx is the recorder. 0 or -ENOMEM (-E2BIG, -EOVERFLOW
 * from the profile). */
int recorder_record(void *ctx, const struct sampler_record *rec);

/* The profile gathered so far: borrowed, valid until recorder_free(). */
struct profile *recorder_profile(struct recorder *r);

void recorder_get_stats(const struct recorder *r, struct recorder_stats *out);

#endif
