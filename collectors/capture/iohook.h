/* iohook.h - `tiprof capture --io`: the IO and thread time series of the
 * capture window, as a capture hook.
 *
 * Once a second during the window it samples, through iosampler, the local
 * disks and processes, the threads of the given local processes, every
 * node_exporter and every TiKV status port, and appends one JSON line per
 * source to local/io.jsonl and local/threads.jsonl. Both files are
 * temporary until the window closes, then linked into place.
 */
#ifndef TIPROF_IOHOOK_H
#define TIPROF_IOHOOK_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "collectors/capture/capture.h"

struct iohook_opts {
	const int64_t *thread_pids;		/* local processes: per-thread CPU */
	size_t nthread_pids;
	const char *const *node_exporters;	/* HOST:PORT each */
	size_t nnode_exporters;
	const char *const *tikvs;		/* TiKV status HOST:PORT each */
	size_t ntikvs;
};

/* Fill h with a hook sampling what o names (o's arrays are copied). 0 or
 * a negative errno. Free it with iohook_free(h->ctx) after the capture. */
int iohook_new(struct capture_hook *h, const struct iohook_opts *o, struct tp_error *err);

/* Accepts NULL. */
void iohook_free(void *ctx);

#endif
