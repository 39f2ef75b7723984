/* diskstats.h - read /proc/diskstats and /proc/uptime into an iostat
 * snapshot (analyzers/metrics/iostat.h).
 *
 * Lines have the device's major and minor numbers, its name, and 17
 * counters (kernels since 5.5); lines with 11 or 15 counters (older
 * kernels) leave the rest 0, and the 4-counter partition lines of
 * kernels before 2.6.25 give reads, read sectors, writes and written
 * sectors.
 */
#ifndef TIPROF_DISKSTATS_H
#define TIPROF_DISKSTATS_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/metrics/iostat.h"

#define DISKSTATS_MAX_BYTES ((size_t)8 << 20)

/* Parse diskstats text into s (appending devices). name is used in errors.
 * 0, -EBADMSG for a malformed line (err has its line number), -E2BIG past
 * IOSTAT_MAX_DEVICES, or -ENOMEM. */
int diskstats_parse(const char *text, size_t len, const char *name,
		    struct iostat_snapshot *s, struct tp_error *err);

/* Parse /proc/uptime text ("642.28 452.51") into hundredths of a second.
 * 0 or -EBADMSG. */
int diskstats_parse_uptime(const char *text, size_t len, const char *name,
			   uint64_t *uptime_cs, struct tp_error *err);

/* Read root/proc/uptime and root/proc/diskstats into s (reset first).
 * root NULL, "" or "/" is the running system. 0 or a negative errno. */
int diskstats_read(const char *root, struct iostat_snapshot *s, struct tp_error *err);

#endif
