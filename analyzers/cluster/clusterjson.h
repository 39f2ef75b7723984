/* clusterjson.h - the JSON documents clusters describe themselves with.
 *
 *  - PD  /pd/api/v1/members: {"members":[{name, client_urls[], binary_version,
 *    git_hash, deploy_path, ...}], "leader":{name, ...}} -> "pd" nodes (the
 *    status port is the client URL's port; the leader is marked).
 *  - PD  /pd/api/v1/stores: {"stores":[{"store":{address, status_address,
 *    version, labels[{key,value}], state_name, git_hash, deploy_path},
 *    "status":{capacity, available (strings like "1.819TiB"), region_count,
 *    leader_count}}]} -> "tikv" nodes ("tiflash" with label engine=tiflash).
 *  - TiDB /info/all: {"all_servers_info":{ID:{ip, listening_port,
 *    status_port, version, git_hash, labels{}}}} -> "tidb" nodes.
 *
 * Parsed with jansson. Integers are read as doubles (PD's member ids are
 * unsigned 64-bit and do not fit jansson's signed integers). Unknown fields
 * are ignored; a field of the wrong type is an error naming it. Errors are
 * -EBADMSG with the line and byte offset of bad JSON.
 */
#ifndef TIPROF_CLUSTERJSON_H
#define TIPROF_CLUSTERJSON_H

#include <stddef.h>
#include "analyzers/cluster/cluster.h"
#include "analyzers/base/error.h"

#define CLUSTERJSON_MAX_SIZE ((size_t)64 << 20)

int clusterjson_pd_members(const char *buf, size_t len, struct cluster *c,
			   struct tp_error *err);
int clusterjson_pd_stores(const char *buf, size_t len, struct cluster *c,
			  struct tp_error *err);
int clusterjson_tidb_info_all(const char *buf, size_t len, struct cluster *c,
			      struct tp_error *err);

/* 0 when buf[0..len) is one well-formed JSON value, else -EBADMSG. */
int clusterjson_check(const char *buf, size_t len, struct tp_error *err);

#endif
