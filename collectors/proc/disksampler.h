/* disksampler.h - successive disk snapshots and the iostat report between
 * them, from the local /proc or from a node_exporter.
 *
 * The first sample gives the report since boot (iostat's first report);
 * each later one the report since the previous sample. The caller chooses
 * when to sample (a sleep loop, or the capture's event loop).
 */
#ifndef TIPROF_DISKSAMPLER_H
#define TIPROF_DISKSAMPLER_H

#include "analyzers/base/error.h"
#include "analyzers/metrics/iostat.h"

struct disksampler;

/* node_exporter: NULL to read root/proc (root given per sample), or
 * "HOST:PORT" (or a full http:// URL) to read its /metrics. timeout_ms
 * bounds each fetch (0: 10 s). */
int disksampler_new(struct disksampler **ds, const char *node_exporter, long timeout_ms,
		    struct tp_error *err);

/* Take a sample (from root/proc, or the exporter) and build rep for the
 * interval since the previous one (since boot the first time). sel may be
 * NULL. 0 or a negative errno; after an error the previous sample is kept,
 * so the next report covers the longer interval. */
int disksampler_sample(struct disksampler *ds, const char *root,
		       const struct iostat_select *sel, struct iostat_report *rep,
		       struct tp_error *err);

/* The name sources are reported under: "local" or the exporter's HOST:PORT. */
const char *disksampler_host(const struct disksampler *ds);

void disksampler_free(struct disksampler *ds);

#endif
