/* tasksampler.h - successive samples of processes or threads (CPU times,
 * /proc/PID/io counters, taskstats block IO delay) and the rates between
 * them, from the local /proc or from a TiKV's /metrics.
 *
 * The first sample gives no report (rates need two); each later one gives
 * the rates since the previous sample. Tasks that exit between listing and
 * reading are skipped and counted in the notes; tasks whose io file is not
 * readable are kept, marked, and counted.
 */
#ifndef TIPROF_TASKSAMPLER_H
#define TIPROF_TASKSAMPLER_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/metrics/taskrate.h"

struct tasksampler_opts {
	int threads;		/* one sample per thread, not per process */
	const int64_t *pids;	/* only these processes (n 0: all) */
	size_t npids;
	int io;			/* read /proc/.../io */
	int io_only;		/* no CPU times: stat is read only for tasks not
				 * seen in the previous sample (or whose IO
				 * counters went down), which halves the cost */
	int delay;		/* try taskstats for the IO wait % */
	const char *tikv;	/* "HOST:PORT": TiKV's /metrics instead of /proc */
	long timeout_ms;	/* per fetch (0: 10 s) */
	const char *root;	/* for the taskstats check: NULL/"" is the running system */
};

struct tasksampler;

int tasksampler_new(struct tasksampler **ts, const struct tasksampler_opts *o,
		    struct tp_error *err);

/* Take a sample. *have_report is 1 when rep was built (from the second
 * sample on). root is where /proc is read this time (ignored for TiKV).
 * 0 or a negative errno (-ESRCH when none of the selected processes
 * exists any more). */
int tasksampler_sample(struct tasksampler *ts, const char *root, struct taskrate_report *rep,
		       int *have_report, struct tp_error *err);

/* Why the IO wait % is missing ("delay accounting is off ..."), or NULL
 * when taskstats works or was not asked for. */
const char *tasksampler_delay_note(const struct tasksampler *ts);

/* "local" or the TiKV's HOST:PORT. */
const char *tasksampler_host(const struct tasksampler *ts);

void tasksampler_free(struct tasksampler *ts);

#endif
