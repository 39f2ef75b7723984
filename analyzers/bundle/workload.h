/* workload.h - the summaries stress tools print: sysbench, go-ycsb, go-tpc.
 *
 * A log is read line by line and whatever the tools print is recognised,
 * wherever it is in the log (a wrapper script's own lines are skipped):
 *
 *  - sysbench 1.0.x ("General statistics:", "total time:") and 1.1
 *    ("Throughput:", "events/s (eps):", "time elapsed:"): the SQL
 *    statistics (transactions, queries, ignored errors, reconnects), the
 *    latency block (min, avg, max, the Nth percentile that --percentile
 *    chose), and the interim lines "[ 5s ] thds: .. tps: .. qps: ..
 *    lat (ms,95%): .. err/s: .. reconn/s: .." (or "eps:" for non-SQL tests);
 *  - go-ycsb: the per-operation lines "OP - Takes(s): .., Count: .., OPS: ..,
 *    Avg(us): .., .." after "Run finished, takes ..." (the same lines printed
 *    earlier are interim reports); OP_ERROR lines give the errors of OP;
 *  - go-tpc: the "[Summary] OP - Takes(s): .., Count: .., TPM: .., .."
 *    lines ("[Current]" ones are interim), OP_ERR lines for errors, and
 *    "tpmC: .., tpmTotal: .., efficiency: ..%".
 *
 * The result is one table: a row per operation with its count, throughput,
 * latencies in milliseconds (avg, min, p50, p90, p95, p99, p99.9, max; NAN
 * where the tool does not print one) and errors, plus the interim points as
 * a time series. When a log holds several runs, the last summary wins.
 * Numbers are kept as the tools printed them (a value is parsed from its
 * decimal text), so the same printf precision gives the same text back.
 */
#ifndef TIPROF_WORKLOAD_H
#define TIPROF_WORKLOAD_H

#include <stddef.h>
#include "analyzers/base/error.h"
#include "analyzers/base/linereader.h"

#define WORKLOAD_MAX_ROWS 64
#define WORKLOAD_MAX_POINTS 200000	/* interim reports kept */
#define WORKLOAD_MAX_LINE ((size_t)1 << 20)
#define WORKLOAD_OP_MAX 48

enum workload_tool {
	WORKLOAD_UNKNOWN = 0,
	WORKLOAD_SYSBENCH,
	WORKLOAD_YCSB,
	WORKLOAD_TPC,
};

struct workload_row {
	char op[WORKLOAD_OP_MAX];	/* "transactions", "READ", "NEW_ORDER", ... */
	double count;			/* events or operations */
	double rate;			/* per second */
	double tpm;			/* go-tpc: per minute, as printed */
	double seconds;			/* go-ycsb/go-tpc "Takes(s)" */
	double avg_ms, min_ms, max_ms;
	double p50_ms, p90_ms, p95_ms, p99_ms, p999_ms;
	int xpct;			/* sysbench --percentile other than 95/99, or 0 */
	double xpct_ms;
	double errors;			/* count; NAN when the tool gives none */
};

/* One interim report. NAN where a value is absent. */
struct workload_point {
	double t;			/* seconds since the run started */
	double threads;
	double rate;			/* transactions (or events, ops) per second */
	double qps;			/* sysbench: queries per second */
	double lat_ms;			/* the latency percentile the tool prints */
	double err_ps;			/* errors per second */
	double reconn_ps;
};

struct workload {
	enum workload_tool tool;
	char version[64];		/* "1.0.20", or "" */
	const char *form;		/* static: "sysbench 1.0", "sysbench 1.1", "go-ycsb", "go-tpc" */
	int complete;			/* the final summary was seen */
	double threads;			/* sysbench "Number of threads:" */
	/* sysbench */
	double total_time_s;		/* "total time" / "time elapsed" */
	double events, eps;
	double reads, writes, others, queries, qps;
	double transactions, tps;
	double ignored_errors, ignored_errors_ps, reconnects, reconnects_ps;
	int percentile;			/* the latency percentile shown (95 unless changed) */
	/* go-ycsb */
	double run_seconds;		/* "Run finished, takes" */
	/* go-tpc */
	double tpmc, tpmtotal, efficiency_pct;
	struct workload_row rows[WORKLOAD_MAX_ROWS];
	size_t nrows;
	int rows_dropped;		/* operations past WORKLOAD_MAX_ROWS */
	struct workload_point *points;	/* malloc'd */
	size_t npoints, cappoints;
	int points_dropped;		/* past WORKLOAD_MAX_POINTS */
	/* parser state (private) */
	int st_section, st_ycsb_final, st_lineno;
	double st_tpc_t, st_ycsb_prev_t, st_ycsb_prev_n;
	char st_tpc_first[WORKLOAD_OP_MAX];
};

void workload_init(struct workload *w);
void workload_free(struct workload *w);

/* Read every line of lr into w (w was initialised). 0 when a summary or at
 * least one interim report was found; -ENODATA (err says so) when the log
 * has neither; -ENOMEM; or lr's error (-E2BIG for an over-long line,
 * -EBADMSG for corrupt gzip). */
int workload_parse(struct linereader *lr, struct workload *w, struct tp_error *err);

/* The same for a file ("-": stdin) or a memory block (borrowed). */
int workload_parse_file(const char *path, struct workload *w, struct tp_error *err);
int workload_parse_mem(const char *name, const void *data, size_t len, struct workload *w,
		       struct tp_error *err);

/* "sysbench", "go-ycsb", "go-tpc" or "unknown". */
const char *workload_tool_name(enum workload_tool t);

/* The row named op, or NULL. */
const struct workload_row *workload_row(const struct workload *w, const char *op);

#endif
