/* tiupdisplay.h - saved `tiup cluster display` output.
 *
 * The text has a header ("Cluster name: X", "Cluster version: vX"), a
 * column line "ID Role Host Ports OS/Arch Status Data Dir Deploy Dir", a
 * dashed line, one row per instance, and "Total nodes: N". Columns are
 * separated by runs of spaces (blogs and chats often squeeze them to one),
 * so a row is read from both ends: ID, Role, Host, Ports, OS/Arch from the
 * left, Deploy Dir and Data Dir from the right, and the Status is what lies
 * between (it may contain spaces, "Pending Offline"). Ports are split on
 * '/': TiDB "4000/10080" (SQL/status), TiKV "20160/20180", PD "2379/2380"
 * (client/peer), TiFlash's fifth port is its proxy status port. Text
 * around the table (shell prompts, prose) is ignored. When the file holds
 * several clusters, want names the one to read (NULL: the first).
 */
#ifndef TIPROF_TIUPDISPLAY_H
#define TIPROF_TIUPDISPLAY_H

#include <stddef.h>
#include "analyzers/cluster/cluster.h"
#include "analyzers/base/error.h"

#define TIUPDISPLAY_MAX_SIZE ((size_t)64 << 20)

/* 0, or -EBADMSG (no table, a bad row: line set), -ENOENT (no cluster
 * named want), -ENOMEM, -E2BIG. */
int tiupdisplay_parse(const char *buf, size_t len, const char *want, struct cluster *c,
		      struct tp_error *err);

#endif
