/* sampler.h - CPU sampling with perf_event_open and mmap ring buffers.
 *
 * One cpu-clock software event (PERF_COUNT_SW_CPU_CLOCK, sampled at a
 * frequency) per (thread, CPU), with inherit=1 so threads and processes
 * created later are followed. Per-task inherited events cannot be
 * mmap'ed, hence the per-CPU layout: every thread of every target gets one
 * event on each online CPU; the first event of a CPU owns that CPU's ring
 * buffer and the others are redirected into it (PERF_EVENT_IOC_SET_OUTPUT).
 *
 * Records (samples, MMAP2, COMM, FORK, EXIT, LOST, THROTTLE) carry their
 * time (sample_id_all). Rings are read in rounds; records from different
 * CPUs arrive out of order, so each round is sorted and delivered only up
 * to the newest time of the round before it, which no later record can
 * precede. sampler_flush() delivers the rest at the end.
 *
 * MMAP2 reports executable mappings only: mappings that existed before
 * attaching are synthesized from /proc/PID/maps (executable ones), and
 * thread names from /proc/PID/task/TID/comm, delivered first with time 0.
 */
#ifndef TIPROF_SAMPLER_H
#define TIPROF_SAMPLER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "analyzers/base/error.h"

#define SAMPLER_MAX_PIDS 64
#define SAMPLER_MAX_FREQ 100000
#define SAMPLER_MAX_STACK 65528	/* bytes of user stack per sample */

struct sampler_opts {
	const pid_t *pids;	/* processes: every thread is attached */
	size_t npids;
	int enable_on_exec;	/* pids[0] is a child about to exec: count
				 * from its exec on, synthesize nothing */
	unsigned freq;		/* samples per CPU-second per thread */
	int callchain;		/* record kernel callchains (PERF_SAMPLE_CALLCHAIN) */
	int user_callchain;	/* ... including the user part (frame pointers) */
	int kernel;		/* sample in kernel mode too (exclude_kernel=0) */
	unsigned stack_size;	/* > 0: copy user regs and this much user stack */
	size_t ring_pages;	/* data pages per CPU ring, a power of two;
				 * 0: 128, or 1024 with stack_size */
	const char *proc;	/* NULL: "/proc" */
};

enum sampler_kind {
	SAMPLER_SAMPLE = 1,
	SAMPLER_MMAP,
	SAMPLER_COMM,
	SAMPLER_FORK,
	SAMPLER_EXIT,
};

/* A record, borrowed for the duration of the callback. */
struct sampler_record {
	enum sampler_kind kind;
	pid_t pid, tid;
	uint64_t time;
	union {
		struct {
			uint64_t ip, period;
			int user;		/* the IP is in user mode */
			const uint64_t *callchain;	/* raw, PERF_CONTEXT_* markers included */
			uint64_t nr;
			int has_regs;		/* user regs were sampled */
			uint64_t regs[24];	/* by perf register number */
			const unsigned char *stack;	/* user stack copy */
			uint64_t stack_len;	/* valid bytes */
			uint64_t stack_cap;	/* bytes asked for */
		} sample;
		struct {
			uint64_t start, len, pgoff;
			uint32_t prot;
			const char *filename;
		} mmap;
		struct {
			const char *name;
			int exec;		/* the process called exec */
		} comm;
		struct {
			pid_t ppid, ptid;	/* parent (pid, tid are the child) */
		} fork;
	} u;
};

/* Return 0 to go on, or a negative errno to stop (handed back). */
typedef int (*sampler_fn)(void *ctx, const struct sampler_record *r);

struct sampler_stats {
	uint64_t samples;	/* sample records delivered */
	uint64_t lost;		/* records the kernel dropped (LOST, LOST_SAMPLES) */
	uint64_t throttled;	/* THROTTLE records */
	uint64_t records;	/* all records read */
	uint64_t bytes;		/* bytes read from the rings */
	size_t nevents, ncpus;	/* events open, CPUs */
	size_t ring_pages;	/* data pages per ring, as mapped */
};

struct sampler;

/* Open and enable (or arm, with enable_on_exec) the events. Errors name
 * the cause: -ESRCH "no process with PID N", -EACCES/-EPERM with what to
 * change (kernel.perf_event_paranoid, CAP_PERFMON), -EMFILE, -EINVAL. */
int sampler_open(struct sampler **s, const struct sampler_opts *o, struct tp_error *err);

/* Accepts NULL. Closes the events. */
void sampler_free(struct sampler *s);

/* Deliver the records synthesized from /proc (none with enable_on_exec).
 * Call once, before the first sampler_poll(). */
int sampler_synthesize(struct sampler *s, sampler_fn fn, void *ctx);

/* Wait up to timeout_ms for data, read every ring, and deliver what can
 * be ordered. 0, fn's error, or -ENOMEM. EINTR is not an error. */
int sampler_poll(struct sampler *s, int timeout_ms, sampler_fn fn, void *ctx);

/* Stop counting (the events stay open so the rings can be drained). */
void sampler_disable(struct sampler *s);

/* Read the rings one last time and deliver everything held back. */
int sampler_flush(struct sampler *s, sampler_fn fn, void *ctx);

/* Whether any target process is still alive (not gone, not a zombie). */
int sampler_alive(const struct sampler *s);

void sampler_get_stats(const struct sampler *s, struct sampler_stats *out);

#endif
