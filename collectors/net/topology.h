/* topology.h - find a cluster's instances.
 *
 * Sources, any number of them, merged into one struct cluster:
 *  - PD's API (/pd/api/v1/members and /stores): PD, TiKV and TiFlash nodes
 *    with versions, labels and capacities. Several PD addresses may be
 *    given; they are tried in order until one answers.
 *  - TiDB's /info/all: every TiDB server (one TiDB lists them all).
 *  - a tiup topology file (YAML), or saved `tiup cluster display` output.
 *  - explicit HOST:PORT lists (the TiDB/TiKV status port, the PD client
 *    port), comma-separated.
 * Requests go over https when a CA or client certificate is given.
 */
#ifndef TIPROF_TOPOLOGY_H
#define TIPROF_TOPOLOGY_H

#include "analyzers/cluster/cluster.h"
#include "analyzers/base/error.h"
#include "collectors/net/fetch.h"

#define TOPOLOGY_TIMEOUT_S 10.0
#define TOPOLOGY_MAX_LIST 64	/* lists per role */

struct topology_source {
	const char *pd;			/* comma-separated PD addresses, or NULL */
	const char *tidb_info;		/* comma-separated TiDB status addresses */
	const char *yaml;		/* tiup topology file */
	const char *display;		/* saved `tiup cluster display` output */
	const char *display_cluster;	/* which cluster of the display file */
	const char *tidb[TOPOLOGY_MAX_LIST], *tikv[TOPOLOGY_MAX_LIST],
		   *pd_node[TOPOLOGY_MAX_LIST];	/* explicit lists */
	int ntidb, ntikv, npd_node;
};

/* 1 when s names no source at all. */
int topology_empty(const struct topology_source *s);

/* Add the comma-separated HOST:PORT list to c as role nodes. 0 or -EINVAL
 * (err names the bad item). */
int topology_add_list(struct cluster *c, const char *role, const char *list,
		      struct tp_error *err);

/* Discover from every source of s into c (sorted when done). fo: TLS files
 * for the HTTP sources (may be NULL). 0 or negative errno with err set
 * (which source failed and why). */
int topology_discover(const struct topology_source *s, const struct fetch_opts *fo,
		      struct cluster *c, struct tp_error *err);

/* "http" or "https" for requests made with fo. */
const char *topology_scheme(const struct fetch_opts *fo);

#endif
