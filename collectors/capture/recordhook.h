/* recordhook.h - `tiprof capture --pid PID`: our own sampler on local
 * processes during the capture window, as a capture hook.
 *
 * The hook runs `tiprof record -p PID.. --seconds N -o local/profile.pb.gz`
 * as a child process when the window opens (so sampling, unwinding and
 * symbolization stay in one place and the capture loop is never blocked),
 * stops it with SIGTERM when the window closes or is interrupted (record
 * writes what it gathered either way, atomically), and keeps its messages
 * in local/record.log.
 */
#ifndef TIPROF_RECORDHOOK_H
#define TIPROF_RECORDHOOK_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "collectors/capture/capture.h"

struct recordhook_opts {
	const int64_t *pids;
	size_t npids;
	long seconds;		/* the capture window */
	long frequency;		/* 0: record's default */
	int group_tikv;		/* --group-threads tikv */
};

/* Fill h (o's arrays are copied). 0 or a negative errno. Free with
 * recordhook_free(h->ctx) after the capture. */
int recordhook_new(struct capture_hook *h, const struct recordhook_opts *o,
		   struct tp_error *err);

/* Stops a child still running. Accepts NULL. */
void recordhook_free(void *ctx);

#endif
