/* cluster.h - a cluster's topology: its instances, as discovered.
 *
 * One record per instance (a TiDB, TiKV, PD, TiFlash, ...). Every
 * discovery source (PD's API, TiDB's /info/all, a tiup topology file,
 * `tiup cluster display` output, explicit host:port lists) adds nodes with
 * cluster_add(); an instance named twice (same role, host and status port)
 * is one node, and what the later source knows fills the fields the earlier
 * one left empty. The records are transparent; strings are owned by the
 * cluster.
 */
#ifndef TIPROF_CLUSTER_H
#define TIPROF_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"

#define CLUSTER_MAX_NODES 100000
#define CLUSTER_MAX_LABELS 64

struct jsonw;

struct cluster_label {
	char *key, *value;
};

struct cluster_node {
	char *role;		/* "tidb", "tikv", "pd", "tiflash", "cdc", ... */
	char *host;		/* without brackets */
	int port;		/* service port (SQL, gRPC, PD client); 0 unknown */
	int status_port;	/* HTTP status port (PD: the client port); 0 unknown */
	char *version, *status, *git_hash, *deploy_dir, *name;
	struct cluster_label *labels;
	size_t nlabels;
	int64_t capacity, available;	/* bytes; -1 unknown */
	int64_t regions, leaders;	/* -1 unknown */
	int leader;		/* PD leader */
	char *source;		/* which source found it first */
};

struct cluster {
	struct cluster_node *nodes;
	size_t n, cap;
	char *name, *version;	/* cluster name and version, when known */
};

void cluster_init(struct cluster *c);
void cluster_free(struct cluster *c);

/* The node (role, host, status_port) (status_port 0: matched on port),
 * created when new; *node borrowed until the next cluster_add(). host may be
 * given as "[v6]". 0, -ENOMEM, -E2BIG (CLUSTER_MAX_NODES). */
int cluster_add(struct cluster *c, const char *role, const char *host, int port,
		int status_port, const char *source, struct cluster_node **node);

/* Set *field to s[0..n) unless it is set already (first source wins).
 * s may be NULL (no-op). 0 or -ENOMEM. */
int cluster_set(char **field, const char *s, size_t n);
/* The same with a C string. */
int cluster_sets(char **field, const char *s);

/* Add a label unless one with that key exists. 0, -ENOMEM, -E2BIG. */
int cluster_add_label(struct cluster_node *nd, const char *key, const char *value);

/* Order: pd, tidb, tikv, tiflash, others; then host, then port. */
void cluster_sort(struct cluster *c);

/* Count of nodes with role. */
size_t cluster_count(const struct cluster *c, const char *role);

/* "host:port" (with brackets for IPv6) into out; returns out. */
char *cluster_hostport(const char *host, int port, char *out, size_t n);

/* Split "host:port" or "[v6]:port" (port 1..65535). 0 or -EINVAL. host
 * receives the host without brackets. */
int cluster_parse_hostport(const char *s, size_t n, char *host, size_t hostn, int *port);

/* Write the cluster as one JSON object: {"name","version","nodes":[...]}. */
void cluster_write_json(const struct cluster *c, struct jsonw *w);

#endif
