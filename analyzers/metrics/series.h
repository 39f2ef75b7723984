/* series.h - the IO and thread time series of a capture bundle.
 *
 * Reads the JSON lines `tiprof iostat -x --json`, `tiprof iotop --json` and
 * `tiprof threads --json` print (io.jsonl and threads.jsonl of a bundle):
 *   {"type":"iostat","host":H,"time":T,"since_boot":B,"disk":[{"disk_device":D,
 *     "r/s":..,"w/s":..,"rkB/s":..,"wkB/s":..,"r_await":..,"w_await":..,
 *     "aqu-sz":..,"util":..},..]}
 *   {"type":"iotop","host":H,"time":T,"tasks":[{"pid":P,"comm":C,
 *     "read_Bps":..,"write_Bps":..},..]}
 *   {"type":"threads","host":H,"time":T,"pid":P,"tasks":[..],
 *     "pools":[{"pool":N,"threads":K,"cpu":PCT},..]}
 *   {"type":"error","source":S,"host":H,"time":T,"message":M}
 * into one series per disk (per host), per process and per thread pool,
 * with times relative to the earliest line, plus each series' average and
 * maximum. iostat's since-boot report is skipped. Lines that are not JSON
 * or not of these types are counted, not fatal. Memory is bounded:
 * SERIES_MAX_* series, SERIES_MAX_POINTS points each.
 */
#ifndef TIPROF_SERIES_H
#define TIPROF_SERIES_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"

#define SERIES_MAX_DISKS 256
#define SERIES_MAX_TASKS 4096
#define SERIES_MAX_POOLS 512
#define SERIES_MAX_ERRORS 64
#define SERIES_MAX_POINTS 100000
#define SERIES_MAX_LINE ((size_t)16 << 20)

enum series_disk_field {
	SD_UTIL, SD_R_AWAIT, SD_W_AWAIT, SD_AQU, SD_RKBS, SD_WKBS, SD_RS, SD_WS, SD_NFIELDS
};

/* Points of one series: t[i] seconds from the start, v[k][i] values. */
struct series_disk {
	char host[128], dev[64];
	size_t n, cap;
	double *t;
	double *v[SD_NFIELDS];
	double avg[SD_NFIELDS], max[SD_NFIELDS];
};

struct series_task {
	char host[128], comm[64];
	int64_t pid;
	size_t n, cap;
	double *t, *read_bps, *write_bps;
	double avg_read, avg_write, max_write;
};

struct series_pool {
	char host[128], pool[64];
	int64_t pid;
	int threads;		/* the largest thread count seen */
	size_t n, cap;
	double *t, *cpu;	/* % of one CPU (100 = one core busy) */
	double avg_cpu, max_cpu;
};

struct series_error {
	char source[32], host[128], message[256];
	int count;
};

struct series {
	double t0;		/* the earliest time (s since the epoch), NAN if none */
	double span;		/* seconds from the first to the last line */
	struct series_disk *disks;
	size_t ndisks;
	struct series_task *tasks;
	size_t ntasks;
	struct series_pool *pools;
	size_t npools;
	struct series_error errors[SERIES_MAX_ERRORS];
	size_t nerrors;
	uint64_t lines, bad_lines, dropped;	/* dropped: past a cap */
	int have_io, have_threads;	/* lines of each kind were read */
};

void series_init(struct series *s);
void series_free(struct series *s);

/* Add the lines of a file (gzip allowed). The first pass collects the
 * earliest time, so call series_load() for every file, then
 * series_finish(). 0, or a negative errno when the file cannot be read
 * (-ENOENT when missing). */
int series_load(struct series *s, const char *path, struct tp_error *err);

/* Make times relative to the earliest line, compute averages and maxima,
 * and sort: disks by host then name, tasks by average write rate, pools
 * by average CPU. */
void series_finish(struct series *s);

#endif
