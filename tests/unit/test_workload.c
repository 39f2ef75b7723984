/* test_workload.c - sysbench, go-ycsb and go-tpc summaries.
 *
 * The sysbench logs in tests/fixtures/workload/ are real runs of Debian's
 * sysbench 1.0.20 against the throwaway MariaDB of scripts/mariadb.sh
 * (1.0.x "General statistics" form). The sysbench 1.1 "Throughput" log and
 * the go-ycsb and go-tpc logs were constructed from the tools' format
 * strings (shared/specs/tidb-endpoints.md section 6), since Debian packages
 * none of those; see tests/fixtures/workload/README.md. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/error.h"
#include "analyzers/bundle/workload.h"
#include "check.h"

#define CHECK_NUM(a, b) do { \
	double a_ = (a), b_ = (b); \
	if (!(fabs(a_ - b_) <= 1e-9 * (fabs(b_) + 1))) { \
		fprintf(stderr, "  %s:%d: %s == %.6f, expected %.6f\n", __FILE__, __LINE__, #a, a_, b_); \
		check_failed_++; \
	} } while (0)

static const char *top(void)
{
	const char *t = getenv("TOP");

	return t ? t : ".";
}

static int parse(const char *name, struct workload *w)
{
	char path[1024];
	struct tp_error err;
	int rc;

	snprintf(path, sizeof(path), "%s/tests/fixtures/workload/%s", top(), name);
	workload_init(w);
	tp_error_init(&err);
	rc = workload_parse_file(path, w, &err);
	if (rc < 0)
		fprintf(stderr, "  %s: %s\n", name, err.msg);
	return rc;
}

static int parse_text(const char *text, struct workload *w, struct tp_error *err)
{
	workload_init(w);
	tp_error_init(err);
	return workload_parse_mem("text", text, strlen(text), w, err);
}

static void test_sysbench_10_oltp(void)
{
	struct workload w;
	const struct workload_row *t, *q;

	CHECK_EQ_INT(parse("sysbench-1.0.20-oltp_read_write.log", &w), 0);
	CHECK_EQ_INT(w.tool, WORKLOAD_SYSBENCH);
	CHECK_EQ_STR(w.version, "1.0.20");
	CHECK_EQ_STR(w.form, "sysbench 1.0");
	CHECK(w.complete);
	CHECK_NUM(w.threads, 4);
	CHECK_NUM(w.total_time_s, 9.3324);
	CHECK_NUM(w.events, 4536);
	CHECK_NUM(w.reads, 63504);
	CHECK_NUM(w.writes, 18144);
	CHECK_NUM(w.others, 9072);
	CHECK_EQ_INT(w.percentile, 95);
	CHECK_EQ_INT(w.nrows, 2);
	t = workload_row(&w, "transactions");
	q = workload_row(&w, "queries");
	CHECK(t && q);
	if (t && q) {
		CHECK_NUM(t->count, 4536);
		CHECK_NUM(t->rate, 486.03);
		CHECK_NUM(t->min_ms, 1.17);
		CHECK_NUM(t->avg_ms, 8.22);
		CHECK_NUM(t->max_ms, 1509.23);
		CHECK_NUM(t->p95_ms, 14.21);
		CHECK(isnan(t->p99_ms));
		CHECK_NUM(t->errors, 0);
		CHECK_NUM(q->count, 90720);
		CHECK_NUM(q->rate, 9720.55);
		CHECK(isnan(q->avg_ms));
	}
	CHECK_EQ_INT(w.npoints, 9);
	if (w.npoints == 9) {
		CHECK_NUM(w.points[0].t, 1);
		CHECK_NUM(w.points[0].threads, 4);
		CHECK_NUM(w.points[0].rate, 576.28);
		CHECK_NUM(w.points[0].qps, 11582.46);
		CHECK_NUM(w.points[0].lat_ms, 14.46);
		CHECK_NUM(w.points[0].err_ps, 0);
		CHECK_NUM(w.points[8].t, 9);
		CHECK_NUM(w.points[8].rate, 0);
	}
	workload_free(&w);
}

static void test_sysbench_10_percentile(void)
{
	struct workload w;
	const struct workload_row *t;

	CHECK_EQ_INT(parse("sysbench-1.0.20-point_select-p99.log", &w), 0);
	CHECK_EQ_INT(w.percentile, 99);
	t = workload_row(&w, "transactions");
	CHECK(t != NULL);
	if (t) {
		CHECK_NUM(t->p99_ms, 0.13);
		CHECK(isnan(t->p95_ms));
		CHECK_NUM(t->rate, 52963.57);
		CHECK_NUM(t->max_ms, 60.62);
	}
	CHECK_EQ_INT(w.npoints, 4);
	workload_free(&w);
}

static void test_sysbench_10_errors(void)
{
	struct workload w;
	const struct workload_row *t;

	CHECK_EQ_INT(parse("sysbench-1.0.20-ignored-errors.log", &w), 0);
	t = workload_row(&w, "transactions");
	CHECK(t != NULL);
	if (t)
		CHECK_NUM(t->errors, 867);
	CHECK_NUM(w.ignored_errors_ps, 214.96);
	CHECK_NUM(w.reconnects, 0);
	CHECK_EQ_INT(w.npoints, 2);
	if (w.npoints == 2) {
		CHECK_NUM(w.points[1].t, 4);
		CHECK_NUM(w.points[1].err_ps, 242.13);
		CHECK_NUM(w.points[1].lat_ms, 112.67);
	}
	workload_free(&w);
}

static void test_sysbench_10_cpu(void)
{
	struct workload w;
	const struct workload_row *e;

	CHECK_EQ_INT(parse("sysbench-1.0.20-cpu.log", &w), 0);
	CHECK_EQ_INT(w.nrows, 1);
	e = workload_row(&w, "events");
	CHECK(e != NULL);
	if (e) {
		CHECK_NUM(e->count, 1959);
		CHECK_NUM(e->rate, 956.08);
		CHECK_NUM(e->p95_ms, 3.43);
		CHECK(isnan(e->errors));
	}
	CHECK_EQ_INT(w.npoints, 2);
	if (w.npoints == 2)
		CHECK_NUM(w.points[0].rate, 893.89);
	workload_free(&w);
}

static void test_sysbench_11(void)
{
	struct workload w;
	const struct workload_row *t;

	CHECK_EQ_INT(parse("sysbench-1.1-constructed.log", &w), 0);
	CHECK_EQ_STR(w.form, "sysbench 1.1");
	CHECK_EQ_STR(w.version, "1.1.0-df89d34");
	CHECK_NUM(w.total_time_s, 3.0003);
	CHECK_NUM(w.eps, 1004.5612);
	CHECK_NUM(w.events, 3014);
	t = workload_row(&w, "transactions");
	CHECK(t != NULL);
	if (t) {
		CHECK_NUM(t->rate, 1004.56);
		CHECK_NUM(t->errors, 1);
		CHECK_NUM(t->p95_ms, 12.08);
	}
	CHECK_EQ_INT(w.npoints, 3);
	workload_free(&w);
}

static void test_ycsb(void)
{
	struct workload w;
	const struct workload_row *r, *u, *t;

	CHECK_EQ_INT(parse("go-ycsb-constructed.log", &w), 0);
	CHECK_EQ_INT(w.tool, WORKLOAD_YCSB);
	CHECK_EQ_STR(w.form, "go-ycsb");
	CHECK(w.complete);
	CHECK_NUM(w.run_seconds, 20.781914862);
	CHECK_EQ_INT(w.nrows, 3);
	CHECK(workload_row(&w, "READ_ERROR") == NULL);
	r = workload_row(&w, "READ");
	u = workload_row(&w, "UPDATE");
	t = workload_row(&w, "TOTAL");
	CHECK(r && u && t);
	if (r && u && t) {
		CHECK_NUM(r->count, 50012);
		CHECK_NUM(r->rate, 2407.1);
		CHECK_NUM(r->seconds, 20.8);
		CHECK_NUM(r->avg_ms, 2.598);
		CHECK_NUM(r->min_ms, 0.395);
		CHECK_NUM(r->p95_ms, 5.599);
		CHECK_NUM(r->p99_ms, 10.999);
		CHECK_NUM(r->p999_ms, 39.999);
		CHECK_NUM(r->max_ms, 98.11);
		CHECK_NUM(r->errors, 12);
		CHECK_NUM(u->errors, 0);
		CHECK_NUM(t->errors, 12);
		CHECK_NUM(t->rate, 4812.0);
	}
	/* the interim TOTAL line before "Run finished" */
	CHECK_EQ_INT(w.npoints, 1);
	if (w.npoints == 1) {
		CHECK_NUM(w.points[0].t, 10);
		CHECK_NUM(w.points[0].rate, 4812);
		CHECK_NUM(w.points[0].lat_ms, 7.407);
	}
	workload_free(&w);
}

static void test_tpc(void)
{
	struct workload w;
	const struct workload_row *no, *pay;

	CHECK_EQ_INT(parse("go-tpc-constructed.log", &w), 0);
	CHECK_EQ_INT(w.tool, WORKLOAD_TPC);
	CHECK_NUM(w.tpmc, 12000);
	CHECK_NUM(w.tpmtotal, 25172);
	CHECK_NUM(w.efficiency_pct, 93.3);
	CHECK_EQ_INT(w.nrows, 5);
	no = workload_row(&w, "NEW_ORDER");
	pay = workload_row(&w, "PAYMENT");
	CHECK(no && pay);
	CHECK(workload_row(&w, "NEW_ORDER_ERR") == NULL);
	if (no && pay) {
		CHECK_NUM(no->tpm, 12000);
		CHECK_NUM(no->rate, 200);
		CHECK_NUM(no->count, 120000);
		CHECK_NUM(no->avg_ms, 35.2);
		CHECK_NUM(no->p90_ms, 50.3);
		CHECK_NUM(no->p99_ms, 88.1);
		CHECK_NUM(no->max_ms, 402.7);
		CHECK_NUM(no->errors, 17);
		CHECK_NUM(pay->errors, 0);
	}
	CHECK_EQ_INT(w.npoints, 1);
	if (w.npoints == 1) {
		CHECK_NUM(w.points[0].t, 10);
		CHECK_NUM(w.points[0].rate, 6126);
	}
	workload_free(&w);
}

static void test_nothing(void)
{
	struct workload w;
	struct tp_error err;

	CHECK_EQ_INT(parse_text("hello\nworld\n[ not a report\n", &w, &err), -ENODATA);
	CHECK(strstr(err.msg, "no sysbench") != NULL);
	workload_free(&w);
	CHECK_EQ_INT(parse_text("", &w, &err), -ENODATA);
	workload_free(&w);
}

/* Wrapper noise, CRLF line ends, two runs: the last summary wins. */
static void test_last_run_wins(void)
{
	const char *text =
		"+ sysbench oltp_read_write run\r\n"
		"sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)\r\n"
		"SQL statistics:\r\n"
		"    transactions:                        10   (1.00 per sec.)\r\n"
		"    queries:                             200  (20.00 per sec.)\r\n"
		"General statistics:\r\n"
		"    total time:                          10.0001s\r\n"
		"Latency (ms):\r\n"
		"         avg:                                    5.00\r\n"
		"         95th percentile:                        9.00\r\n"
		"Threads fairness:\r\n"
		"== second run ==\r\n"
		"Threads started!\r\n"
		"[ 1s ] thds: 2 tps: 7.00 qps: 140.00 (r/w/o: 98.00/28.00/14.00) lat (ms,95%): 3.00 err/s: 0.00 reconn/s: 0.00\r\n"
		"SQL statistics:\r\n"
		"    transactions:                        7    (7.00 per sec.)\r\n"
		"    ignored errors:                      2      (2.00 per sec.)\r\n"
		"General statistics:\r\n"
		"    total time:                          1.0001s\r\n"
		"Latency (ms):\r\n"
		"         avg:                                    2.50\r\n"
		"         90th percentile:                        2.90\r\n"
		"         max:                                    4.00\r\n"
		"Threads fairness:\r\n";
	struct workload w;
	struct tp_error err;
	const struct workload_row *t;

	CHECK_EQ_INT(parse_text(text, &w, &err), 0);
	t = workload_row(&w, "transactions");
	CHECK(t != NULL);
	if (t) {
		CHECK_NUM(t->count, 7);
		CHECK_NUM(t->avg_ms, 2.5);
		CHECK_NUM(t->p90_ms, 2.9);
		CHECK(isnan(t->p95_ms));
		CHECK_NUM(t->errors, 2);
	}
	CHECK(workload_row(&w, "queries") == NULL);
	CHECK_EQ_INT(w.percentile, 90);
	CHECK_EQ_INT(w.npoints, 1);
	workload_free(&w);
}

/* A run cut short: interim lines only. */
static void test_interrupted(void)
{
	const char *text =
		"[ 1s ] thds: 4 tps: 10.00 qps: 200.00 (r/w/o: 140.00/40.00/20.00) lat (ms,95%): 5.00 err/s: 0.00 reconn/s: 0.00\n"
		"[ 2s ] thds: 4 tps: 11.00 qps: 220.00 (r/w/o: 154.00/44.00/22.00) lat (ms,95%): 6.00 err/s: 0.50 reconn/s: 0.00\n"
		"^C\n";
	struct workload w;
	struct tp_error err;

	CHECK_EQ_INT(parse_text(text, &w, &err), 0);
	CHECK_EQ_INT(w.tool, WORKLOAD_SYSBENCH);
	CHECK(!w.complete);
	CHECK_EQ_INT(w.nrows, 0);
	CHECK_EQ_INT(w.npoints, 2);
	workload_free(&w);
}

/* Hostile numbers and names are ignored or cut, never trusted. */
static void test_hostile(void)
{
	struct workload w;
	struct tp_error err;
	char *text, *p;
	int i;

	CHECK_EQ_INT(parse_text("Run finished, takes nans\n"
				"READ   - Takes(s): nan, Count: inf, OPS: 1e400, Avg(us): -, Max(us): 1e3\n"
				"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA - Takes(s): 1.0, Count: 5\n",
				&w, &err), 0);
	CHECK_EQ_INT(w.nrows, 2);
	if (w.nrows == 2) {
		CHECK(isnan(w.rows[0].seconds));
		CHECK(isnan(w.rows[0].count));
		CHECK(isnan(w.rows[0].rate));
		CHECK(isnan(w.rows[0].avg_ms));
		CHECK_NUM(w.rows[0].max_ms, 1);
		CHECK_EQ_INT(strlen(w.rows[1].op), WORKLOAD_OP_MAX - 1);
	}
	CHECK(isnan(w.run_seconds));
	workload_free(&w);

	/* more operations than rows */
	text = malloc(100 * 64 + 64);
	CHECK(text != NULL);
	if (!text)
		return;
	p = text + sprintf(text, "Run finished, takes 1s\n");
	for (i = 0; i < 100; i++)
		p += sprintf(p, "OP%d - Takes(s): 1.0, Count: %d\n", i, i);
	CHECK_EQ_INT(parse_text(text, &w, &err), 0);
	CHECK_EQ_INT(w.nrows, WORKLOAD_MAX_ROWS);
	CHECK(w.rows_dropped);
	workload_free(&w);
	free(text);
}

int main(void)
{
	RUN(test_sysbench_10_oltp);
	RUN(test_sysbench_10_percentile);
	RUN(test_sysbench_10_errors);
	RUN(test_sysbench_10_cpu);
	RUN(test_sysbench_11);
	RUN(test_ycsb);
	RUN(test_tpc);
	RUN(test_nothing);
	RUN(test_last_run_wins);
	RUN(test_interrupted);
	RUN(test_hostile);
	return CHECK_DONE();
}
