/* exporter.h - the figures of iostat and threads from Prometheus metrics:
 * node_exporter's node_disk_* counters and TiKV's per-thread metrics.
 *
 * node_exporter reads the same /proc/diskstats and publishes each counter
 * scaled (sectors as bytes, milliseconds as seconds); scaled back they give
 * the diskstats counters exactly. Its node_time_seconds and
 * node_boot_time_seconds give the uptime. TiKV publishes
 * tikv_thread_cpu_seconds_total{name,tid} (user + system seconds) and
 * tikv_threads_io_bytes_total{name,tid,io="read"|"write"}; its thread
 * names have '-' and ' ' turned into '_', turned back here into '-' so the
 * pool names of threadname.h apply.
 */
#ifndef TIPROF_EXPORTER_H
#define TIPROF_EXPORTER_H

#include <stddef.h>
#include "analyzers/base/error.h"
#include "analyzers/metrics/iostat.h"
#include "analyzers/metrics/taskrate.h"

#define EXPORTER_MAX_THREADS 100000

/* Parse node_exporter /metrics text into s (reset first). *has_uptime is
 * set when both node_time_seconds and node_boot_time_seconds were present
 * (s->uptime_cs is then their difference; otherwise it is
 * node_time_seconds, good for intervals only, or 0). 0 or a negative errno
 * (-EBADMSG for malformed text, -ENODATA when no node_disk_ metric). */
int exporter_node_disks(const char *name, const void *text, size_t len,
			struct iostat_snapshot *s, int *has_uptime, struct tp_error *err);

/* Parse TiKV /metrics text into *samples (malloc'd, sorted by tid), one per
 * thread. 0, -ENODATA when there is no tikv_thread_cpu_seconds_total, or a
 * negative errno. */
int exporter_tikv_threads(const char *name, const void *text, size_t len,
			  struct task_sample **samples, size_t *n, struct tp_error *err);

#endif
