/* iostat.h - disk statistics as sysstat 12.6's iostat computes them.
 *
 * A snapshot holds, per block device, the 17 counters of a /proc/diskstats
 * line (from the local kernel, or rebuilt from node_exporter's node_disk_*
 * metrics) and the uptime they were read at. Two snapshots give one report:
 * r/s, rkB/s, rrqm/s, %rrqm, r_await, rareq-sz, the same for writes (w) and
 * discards (d), f/s, f_await, aqu-sz and %util, with iostat's formulas and
 * its rounding (see docs/DESIGN.md). With no previous snapshot the report
 * covers the time since boot, as iostat's first report does.
 *
 * Counters never give a negative rate. A device whose I/O counters all went
 * down was reset or replaced (iostat's rule): it counts from zero. Any other
 * counter that goes down counts as 0 for that interval, except the 32-bit
 * millisecond counters, which the kernel lets wrap around. Each such event
 * is written to the report's notes.
 */
#ifndef TIPROF_IOSTAT_H
#define TIPROF_IOSTAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"

/* The fields of a /proc/diskstats line after the device name, in order. */
enum iostat_field {
	IOSTAT_RD_IOS, IOSTAT_RD_MERGES, IOSTAT_RD_SECTORS, IOSTAT_RD_TICKS,
	IOSTAT_WR_IOS, IOSTAT_WR_MERGES, IOSTAT_WR_SECTORS, IOSTAT_WR_TICKS,
	IOSTAT_IOS_PGR, IOSTAT_TOT_TICKS, IOSTAT_RQ_TICKS,
	IOSTAT_DC_IOS, IOSTAT_DC_MERGES, IOSTAT_DC_SECTORS, IOSTAT_DC_TICKS,
	IOSTAT_FL_IOS, IOSTAT_FL_TICKS,
	IOSTAT_NFIELDS
};

#define IOSTAT_NAME_MAX 64	/* device name bytes, with the NUL */
#define IOSTAT_MAX_DEVICES 8192

struct iostat_dev {
	char name[IOSTAT_NAME_MAX];
	unsigned major, minor;
	uint64_t v[IOSTAT_NFIELDS];
};

struct iostat_snapshot {
	struct iostat_dev *dev;
	size_t n, cap;
	uint64_t uptime_cs;	/* uptime in 1/100 s when it was read */
};

void iostat_snapshot_init(struct iostat_snapshot *s);
/* A new zeroed device named name[0..len) (cut to IOSTAT_NAME_MAX - 1);
 * NULL when out of memory or past IOSTAT_MAX_DEVICES. */
struct iostat_dev *iostat_snapshot_add(struct iostat_snapshot *s, const char *name,
				       size_t len);
void iostat_snapshot_reset(struct iostat_snapshot *s);
void iostat_snapshot_free(struct iostat_snapshot *s);

/* The figures of one device over one interval, unrounded. */
struct iostat_row {
	double rs, rkbs, rrqms, rrqm_pct, r_await, rareq_sz;
	double ws, wkbs, wrqms, wrqm_pct, w_await, wareq_sz;
	double ds, dkbs, drqms, drqm_pct, d_await, dareq_sz;
	double fs, f_await, aqu_sz, util;
	/* iostat without -x */
	double tps;
	uint64_t kb_read, kb_wrtn, kb_dscd;
};

enum {
	IOSTAT_F_RESET = 1,	/* counters restarted: counted from zero */
	IOSTAT_F_BACKWARDS = 2,	/* some counter went down: counted as 0 */
	IOSTAT_F_NEW = 4,	/* not in the previous snapshot */
};

/* Figures for the interval prev -> curr (prev NULL: since boot) over itv_cs
 * hundredths of a second (0 is taken as 1, as iostat does). Returns the
 * IOSTAT_F_* flags. When bad_field is not NULL it gets the first field that
 * went down, or -1. */
unsigned iostat_compute(const struct iostat_dev *prev, const struct iostat_dev *curr,
			uint64_t itv_cs, struct iostat_row *row, int *bad_field);

/* The diskstats name of a field ("rd_ios", ...). */
const char *iostat_field_name(int field);

struct iostat_line {
	const struct iostat_dev *dev;	/* borrowed from the current snapshot */
	struct iostat_row row;
	unsigned flags;
};

struct iostat_report {
	int since_boot;
	uint64_t itv_cs;
	struct iostat_line *line;
	size_t n;
	struct buf notes;	/* one note per line, '\n'-terminated */
};

/* Which devices a report shows. With names (n > 0), those devices, in
 * snapshot order, active or not, and a note for each that is missing.
 * Without, every device with I/O in the interval (iostat -z). */
struct iostat_select {
	const char *const *names;
	size_t n;
};

void iostat_report_init(struct iostat_report *r);
/* Build the report for prev -> curr (prev NULL or empty with uptime 0: since
 * boot). The lines borrow curr's devices. 0 or -ENOMEM. */
int iostat_report_build(struct iostat_report *r, const struct iostat_snapshot *prev,
			const struct iostat_snapshot *curr, const struct iostat_select *sel,
			struct tp_error *err);
void iostat_report_free(struct iostat_report *r);

/* Text exactly as sysstat 12.6's iostat -d [-x] prints it: a header line
 * starting with "Device", one line per device, then two empty lines. */
void iostat_write_text(FILE *fp, const struct iostat_report *r, int extended);

/* One JSON object on one line: {"type":"iostat","host":..,"time":..,
 * "interval":..,"since_boot":..,"disk":[{"disk_device":..,"r/s":..,...}],
 * "notes":[..]} with sysstat's JSON member names. host may be NULL.
 * time is seconds since the epoch. 0 or -EIO. */
int iostat_write_json(FILE *fp, const struct iostat_report *r, const char *host,
		      double time, int extended, struct tp_error *err);

#endif
