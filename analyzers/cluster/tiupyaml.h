/* tiupyaml.h - a tiup cluster topology file (topology.yaml).
 *
 * Reads the *_servers sections: pd_servers (client_port, default 2379),
 * tidb_servers (port 4000, status_port 10080), tikv_servers (port 20160,
 * status_port 20180), tiflash_servers (tcp_port 9000, flash_proxy_status_port
 * 20292), cdc_servers (port 8300), with each entry's host, deploy_dir and,
 * for TiKV/TiFlash, the labels in config."server.labels". Other sections
 * (global, server_configs, monitoring) are skipped. Parsed with libyaml's
 * document loader; aliases are followed at most one level (the walk has a
 * fixed depth, so no alias can make it loop).
 */
#ifndef TIPROF_TIUPYAML_H
#define TIPROF_TIUPYAML_H

#include <stddef.h>
#include "analyzers/cluster/cluster.h"
#include "analyzers/base/error.h"

#define TIUPYAML_MAX_SIZE ((size_t)16 << 20)

/* 0, -EBADMSG (line set), -EFBIG, -ENOMEM, -E2BIG. */
int tiupyaml_parse(const char *buf, size_t len, struct cluster *c, struct tp_error *err);

#endif
