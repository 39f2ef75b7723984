/* taskrate.h - per-process and per-thread CPU % and IO rates from two
 * samples, and their sums per TiKV thread pool.
 *
 * A sample describes one task at one time: its CPU seconds (user and
 * system, or only their total, as TiKV's metrics give it), its IO counters
 * (/proc/PID/io), and its block IO delay (taskstats). Two samples of the same
 * task, matched by pid, tid and start time (so a reused id is a new task),
 * give its rates over the interval. Counters never give negative rates: a
 * counter that went down counts as 0 and is noted.
 */
#ifndef TIPROF_TASKRATE_H
#define TIPROF_TASKRATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"

#define TASKRATE_COMM_MAX 64

enum {
	TASK_HAVE_CPU = 1,	/* cpu_total is known */
	TASK_HAVE_SPLIT = 2,	/* cpu_user and cpu_sys are known */
	TASK_HAVE_IO = 4,	/* the IO counters are known */
	TASK_HAVE_DELAY = 8,	/* blkio_delay_ns is known */
	TASK_IO_DENIED = 16,	/* the IO counters could not be read (EACCES) */
};

struct task_sample {
	int64_t pid, tid;		/* tid 0: a whole process */
	uint64_t start;			/* start time (any unit; 0 unknown) */
	char comm[TASKRATE_COMM_MAX];
	unsigned have;			/* TASK_HAVE_* and TASK_IO_DENIED */
	double cpu_user, cpu_sys, cpu_total;	/* seconds */
	uint64_t rchar, wchar, syscr, syscw;
	uint64_t read_bytes, write_bytes, cancelled_write_bytes;
	uint64_t blkio_delay_ns;
};

/* Sort samples by (pid, tid): taskrate_build() wants prev sorted. */
void taskrate_sort(struct task_sample *s, size_t n);

struct task_rate {
	const struct task_sample *s;	/* borrowed from curr */
	unsigned have;		/* what both samples had (rates are 0 elsewhere) */
	int is_new;		/* no earlier sample: rates are 0 */
	double user_pct, sys_pct, cpu_pct;	/* % of one CPU */
	double cpu_seconds;	/* the cumulative total, as ps TIME shows */
	double read_bps, write_bps, cancelled_bps, rchar_bps, wchar_bps;
	double syscr_ps, syscw_ps;
	double iowait_pct;	/* % of the interval waiting for block IO */
};

struct taskrate_report {
	double interval_s;
	struct task_rate *rate;
	size_t n;
	size_t denied;		/* tasks whose IO was unreadable */
	size_t backwards;	/* tasks with a counter that went down */
	struct buf notes;	/* one note per line */
};

void taskrate_report_init(struct taskrate_report *r);
void taskrate_report_free(struct taskrate_report *r);

/* Rates of every task in curr over interval_s seconds against prev (sorted
 * with taskrate_sort(); may be NULL). The report's rates borrow curr. 0 or
 * -ENOMEM. */
int taskrate_build(struct taskrate_report *r, const struct task_sample *prev, size_t nprev,
		   const struct task_sample *curr, size_t ncurr, double interval_s,
		   struct tp_error *err);

/* Order the rates: by CPU (TASKRATE_BY_CPU) or by IO (read+write bytes),
 * largest first, then by pid and tid. */
enum { TASKRATE_BY_CPU, TASKRATE_BY_IO, TASKRATE_BY_ID };
void taskrate_order(struct taskrate_report *r, int by);

/* The sum of the rates of the threads of one pool. */
struct task_pool {
	char name[TASKRATE_COMM_MAX];
	size_t threads;
	unsigned have;		/* what all of its threads had */
	double user_pct, sys_pct, cpu_pct, cpu_seconds;
	double read_bps, write_bps;
};

/* Group the report's tasks by TiKV pool (threadname_tikv_pool() of comm),
 * largest CPU first, then by name. *pools is malloc'd. 0 or -ENOMEM. */
int taskrate_pools(const struct taskrate_report *r, struct task_pool **pools, size_t *n,
		   struct tp_error *err);

/* One JSON line per report. kind "iotop" writes IO rates per task,
 * "threads" CPU per task (and pools when pools is not NULL). host may be
 * NULL; pid is the process the threads belong to (0: none). time is seconds
 * since the epoch. 0 or -EIO. */
int taskrate_write_json(FILE *fp, const char *kind, const struct taskrate_report *r,
			const struct task_pool *pools, size_t npools, const char *host,
			int64_t pid, double time, struct tp_error *err);

#endif
