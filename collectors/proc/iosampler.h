/* iosampler.h - the IO and thread time series of a capture: one JSON line
 * per source and interval, into io.jsonl and threads.jsonl.
 *
 * Sources: the local disks (iostat -x figures), the local processes' IO
 * (iotop), the threads of given local processes (CPU per thread and per
 * TiKV pool), every node_exporter (disks) and every TiKV (threads). The
 * caller calls iosampler_tick() once per interval (1 s in a capture), from
 * whatever loop it runs; the first tick only takes the baseline. A source
 * that fails writes an {"type":"error",...} line and is tried again at the
 * next tick. The lines are the ones `tiprof iostat -x --json`,
 * `tiprof iotop --json` and `tiprof threads --json --group tikv` print.
 */
#ifndef TIPROF_IOSAMPLER_H
#define TIPROF_IOSAMPLER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "analyzers/base/error.h"

struct iosampler_opts {
	const char *root;		/* /proc root; NULL: the running system */
	int local_disks;		/* iostat of this host */
	int local_procs;		/* iotop of this host (every process) */
	const int64_t *thread_pids;	/* threads of these local processes */
	size_t nthread_pids;
	const char *const *node_exporters;	/* HOST:PORT each */
	size_t nnode_exporters;
	const char *const *tikvs;	/* HOST:PORT of TiKV status ports */
	size_t ntikvs;
	long timeout_ms;		/* per remote fetch (0: 1 s) */
};

struct iosampler;

int iosampler_new(struct iosampler **s, const struct iosampler_opts *o, struct tp_error *err);

/* Sample every source; write disk lines to io (iostat and iotop) and
 * thread lines to threads (either may be NULL to skip those sources).
 * Returns 0, 3 (EXIT_PARTIAL's meaning: some source failed, its error line
 * was written), or a negative errno when writing failed. */
int iosampler_tick(struct iosampler *s, FILE *io, FILE *threads, struct tp_error *err);

/* Notes to show once (why the IO wait % is missing), one per line, or
 * NULL. Borrowed. */
const char *iosampler_notes(const struct iosampler *s);

void iosampler_free(struct iosampler *s);

#endif
