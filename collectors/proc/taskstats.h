/* taskstats.h - per-task delay accounting through the kernel's taskstats
 * netlink interface (NETLINK_GENERIC family "TASKSTATS").
 *
 * It gives how long a task waited for block IO (blkio_delay_total), which
 * /proc does not: iotop's IO %. It needs delay accounting to be on
 * (/proc/sys/kernel/task_delayacct = 1; off by default since Linux 5.14)
 * and CAP_NET_ADMIN. taskstats_open() checks both and says why it cannot
 * work, so the caller can say it once.
 */
#ifndef TIPROF_TASKSTATS_H
#define TIPROF_TASKSTATS_H

#include <stdint.h>
#include "analyzers/base/error.h"

struct taskstats_conn;

/* The figures we use from struct taskstats. */
struct taskstats_delay {
	uint64_t blkio_delay_ns;	/* total time waiting for block IO */
	uint64_t blkio_count;
	uint64_t read_bytes, write_bytes;
};

/* Open a connection. root is the /proc root in use: anything other than the
 * running system (NULL, "" or "/") cannot be asked about, and gives
 * -ENOTSUP. Also -ENOTSUP when delay accounting is off, -EPERM without
 * CAP_NET_ADMIN, or another negative errno; err says why in a sentence. */
int taskstats_open(struct taskstats_conn **tc, const char *root, struct tp_error *err);

/* Delays of one thread (tid) or of a whole process (tgid, tid 0: pid).
 * 0, -ESRCH when it has exited, or a negative errno (err set). */
int taskstats_get(struct taskstats_conn *tc, int64_t pid, int64_t tid,
		  struct taskstats_delay *out, struct tp_error *err);

void taskstats_close(struct taskstats_conn *tc);

#endif
