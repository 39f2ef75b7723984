/* instance.h - one profiled instance of a capture bundle, decoded and
 * summarised for the report.
 *
 * From a target's directory: a TiDB or PD debug zip (CPU profile, mutex,
 * heap, goroutine dump, version), a TiKV profile.pb (pprof-rs: every
 * sample's "thread" label becomes its thread-pool root frame, as TiKV's own
 * flame graphs show it), metrics.txt and metrics-end.txt (thread CPU per
 * pool over the window), config.json (configured pool sizes), status.json
 * (version); or local/profile.pb.gz from tiprof's own sampler. Then:
 *   - CPU: total, average busy cores over the profile's duration, top
 *     functions by flat and cumulative share, the hottest call path
 *     (hotspot.h), the GC and allocation share (Go), the RocksDB
 *     compaction/flush share;
 *   - thread pools: share and busy cores from the profile, thread count and
 *     busy cores from the metrics, configured size from config.json;
 *   - mutex: total delay and the functions that held the lock;
 *   - heap: the top allocation site by alloc_space;
 *   - goroutines: count, by state, and the largest groups with one stack.
 * Missing or undecodable files are notes with their reason.
 */
#ifndef TIPROF_INSTANCE_H
#define TIPROF_INSTANCE_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/model/profile.h"

#define INSTANCE_TOPN 10
#define INSTANCE_PATH 16
#define INSTANCE_MAX_POOLS 48
#define INSTANCE_MAX_STATES 6
#define INSTANCE_MAX_GROUPS 4
#define INSTANCE_MAX_NOTES 6

struct instance_fn {
	char name[256];
	int64_t value;
	double share;		/* of the profile's total */
};

struct instance_prof {
	int present;
	struct profile *p;	/* owned; pool roots added for TiKV and local */
	int vi;			/* the value summarised */
	char type[32], unit[32];
	int64_t total;
	double seconds;		/* the profile's duration, 0 unknown */
	char source[64];	/* "debug.zip: profile", "profile.pb", ... */
	struct instance_fn flat[INSTANCE_TOPN], cum[INSTANCE_TOPN], path[INSTANCE_PATH];
	int nflat, ncum, npath;
};

struct instance_pool {
	char name[64];
	double prof_cores;	/* busy cores in the profile; NAN unknown */
	double prof_share;	/* of the instance's CPU profile; NAN */
	char top_fn[256];	/* its hottest function (flat) */
	double top_fn_share;	/* of the pool */
	char path[512];		/* the end of its hottest path: "a > b > c" */
	int threads;		/* from the metrics or thread series; 0 unknown */
	double metric_cores;	/* from the metrics over the window; NAN */
	char size_key[64];	/* the config key for its size, "" none */
	long size;		/* configured size; 0 unknown */
};

struct instance_group {
	char state[64], frame[256];
	int64_t count, wait_max;	/* wait in minutes; -1 none */
};

struct instance {
	char component[16];	/* tidb, tikv, pd, tiflash, local */
	char address[300];	/* host:port, or "local" */
	char dir[320];		/* directory in the bundle */
	char host[256];
	int port;
	char status[16];	/* ok, failed, truncated (manifest), "" unknown */
	char reason[400];
	char version[96];
	char failed_files[1024];	/* "debug.zip: HTTP 500 ...; ..." */
	struct instance_prof cpu, mutex, heap;
	double cpu_cores;	/* average busy cores; NAN unknown */
	double gc_share, mark_share, malloc_share, assist_share;	/* Go; NAN */
	double compaction_share;	/* RocksDB compaction/flush frames; NAN */
	char alloc_top[256];	/* top alloc_space function */
	double alloc_top_share;
	int64_t alloc_total;	/* bytes allocated since start (alloc_space) */
	char mutex_holder[256];	/* function holding the most contended lock */
	double mutex_holder_share;
	struct instance_pool pools[INSTANCE_MAX_POOLS];
	int npools;
	int64_t goroutines;	/* -1 unknown */
	struct instance_group states[INSTANCE_MAX_STATES];	/* state, count only */
	int nstates;
	struct instance_group groups[INSTANCE_MAX_GROUPS];
	int ngroups;
	char notes[INSTANCE_MAX_NOTES][300];
	int nnotes;
};

/* Options from the manifest for one target. */
struct instance_opts {
	double window_s;	/* the capture window; 0 unknown */
	double metrics_s;	/* seconds between the two metrics fetches; 0 unknown */
};

void instance_init(struct instance *in);

/* Load the files of the directory path (the instance's component,
 * address and dir already set). Never fails for missing or bad files
 * (they become notes); -ENOMEM only. */
int instance_load(struct instance *in, const char *path, const struct instance_opts *o,
		  struct tp_error *err);

/* Add a note (printf format); kept when there is room. */
void instance_note(struct instance *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void instance_free(struct instance *in);

#endif
