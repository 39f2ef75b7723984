/* hostfile.h - host.json of a capture bundle: the hardware of the hosts.
 *
 * One host object for the capturing host (hostinfo_collect(), with the
 * file system and disk of every data directory) and one for every
 * node_exporter (its /metrics, through hostinfo_from_node_exporter()),
 * written as {"format":"tiprof-hosts","hosts":[...]} through a temporary
 * file. A host that cannot be read is left out and the capture goes on;
 * the caller hears of it through a callback. Nothing prints.
 */
#ifndef TIPROF_HOSTFILE_H
#define TIPROF_HOSTFILE_H

#include <stddef.h>
#include "analyzers/base/error.h"
#include "collectors/capture/bundle.h"

#define HOSTFILE_TIMEOUT_MS 3000	/* per node_exporter */

/* A problem: left_out is the node_exporter (HOST:PORT) whose host is left
 * out, or NULL (this host could not be read, or host.json not written). */
typedef void (*hostfile_warn_fn)(void *ctx, const char *left_out, const struct tp_error *err);

/* Describe this host (with data_dirs[0..ndata_dirs)) and the host of every
 * node_exporters[0..nnode_exporters) into host.json of b; nothing is
 * written when no host could be read. Every problem goes to warn (which
 * may be NULL). 0, or the negative errno of the last problem. */
int hostfile_write(struct bundle *b, const char *const *data_dirs, size_t ndata_dirs,
		   const char *const *node_exporters, size_t nnode_exporters,
		   hostfile_warn_fn warn, void *ctx);

#endif
