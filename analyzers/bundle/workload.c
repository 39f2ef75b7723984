/* workload.c - see workload.h */
#include "analyzers/bundle/workload.h"
#include "analyzers/base/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	SEC_NONE = 0,
	SEC_SQL,		/* sysbench "SQL statistics:" */
	SEC_GENERAL,		/* "General statistics:" / "Throughput:" */
	SEC_LATENCY,		/* "Latency (ms):" */
	SEC_FAIRNESS,		/* "Threads fairness:" */
	SEC_OTHER,		/* "CPU speed:", "File operations:" */
	SEC_TPC,		/* consecutive go-tpc [Summary] lines */
};

/* Fields of a go-ycsb / go-tpc measurement line. */
struct fields {
	double takes, count, ops, tpm, avg, min, max, p50, p90, p95, p99, p999;
};

static const double nan_value = NAN;

static void row_clear(struct workload_row *r)
{
	memset(r, 0, sizeof(*r));
	r->count = r->rate = r->tpm = r->seconds = nan_value;
	r->avg_ms = r->min_ms = r->max_ms = nan_value;
	r->p50_ms = r->p90_ms = r->p95_ms = r->p99_ms = r->p999_ms = nan_value;
	r->xpct_ms = nan_value;
	r->errors = nan_value;
}

static void summary_reset(struct workload *w, enum workload_tool tool)
{
	w->tool = tool;
	w->complete = 0;
	w->form = NULL;
	w->total_time_s = w->events = w->eps = nan_value;
	w->reads = w->writes = w->others = w->queries = w->qps = nan_value;
	w->transactions = w->tps = nan_value;
	w->ignored_errors = w->ignored_errors_ps = w->reconnects = w->reconnects_ps = nan_value;
	w->percentile = 0;
	w->run_seconds = nan_value;
	w->tpmc = w->tpmtotal = w->efficiency_pct = nan_value;
	w->nrows = 0;
	w->rows_dropped = 0;
	/* sysbench latency figures live in rows[0] until the end */
	row_clear(&w->rows[0]);
}

void workload_init(struct workload *w)
{
	memset(w, 0, sizeof(*w));
	summary_reset(w, WORKLOAD_UNKNOWN);
	w->threads = nan_value;
}

void workload_free(struct workload *w)
{
	if (!w)
		return;
	free(w->points);
	w->points = NULL;
	w->npoints = w->cappoints = 0;
}

const char *workload_tool_name(enum workload_tool t)
{
	switch (t) {
	case WORKLOAD_SYSBENCH:
		return "sysbench";
	case WORKLOAD_YCSB:
		return "go-ycsb";
	case WORKLOAD_TPC:
		return "go-tpc";
	default:
		return "unknown";
	}
}

const struct workload_row *workload_row(const struct workload *w, const char *op)
{
	size_t i;

	for (i = 0; i < w->nrows; i++)
		if (strcmp(w->rows[i].op, op) == 0)
			return &w->rows[i];
	return NULL;
}

/* ---- text helpers ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

/* A decimal number at p: [-+]digits[.digits][e[-+]digits]. Never inf or
 * nan. Returns the end of the number, or NULL when there is none. */
static const char *number(const char *p, const char *end, double *out)
{
	char tmp[64];
	const char *s = p;
	size_t n;
	int digits = 0;

	if (p < end && (*p == '-' || *p == '+'))
		p++;
	while (p < end && is_digit(*p)) {
		p++;
		digits++;
	}
	if (p < end && *p == '.') {
		p++;
		while (p < end && is_digit(*p)) {
			p++;
			digits++;
		}
	}
	if (!digits)
		return NULL;
	if (p + 1 < end && (*p == 'e' || *p == 'E')) {
		const char *q = p + 1;

		if (q < end && (*q == '-' || *q == '+'))
			q++;
		if (q < end && is_digit(*q)) {
			while (q < end && is_digit(*q))
				q++;
			p = q;
		}
	}
	n = (size_t)(p - s);
	if (n >= sizeof(tmp))
		return NULL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*out = strtod(tmp, NULL);
	if (!isfinite(*out))
		return NULL;
	return p;
}

/* Does [p, end) start with the C string s? */
static int starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/* The number after the first occurrence of key in [p, end), after spaces. */
static int value_after(const char *p, const char *end, const char *key, double *out)
{
	size_t k = strlen(key);
	const char *q;

	for (q = p; (size_t)(end - q) >= k; q++)
		if (memcmp(q, key, k) == 0) {
			q = skip_space(q + k, end);
			return number(q, end, out) ? 0 : -1;
		}
	return -1;
}

/* "N (X per sec.)": count and rate. */
static void count_rate(const char *p, const char *end, double *count, double *rate)
{
	double v;
	const char *q;

	p = skip_space(p, end);
	q = number(p, end, &v);
	if (!q)
		return;
	*count = v;
	q = skip_space(q, end);
	if (q < end && *q == '(' && (q = number(q + 1, end, &v)) && starts(skip_space(q, end), end, "per sec"))
		*rate = v;
}

/* ---- points ---- */

static int point_add(struct workload *w, const struct workload_point *pt)
{
	if (w->npoints >= WORKLOAD_MAX_POINTS) {
		w->points_dropped = 1;
		return 0;
	}
	if (w->npoints == w->cappoints) {
		size_t nc = w->cappoints ? w->cappoints * 2 : 64;
		struct workload_point *np = realloc(w->points, nc * sizeof(*np));

		if (!np)
			return -ENOMEM;
		w->points = np;
		w->cappoints = nc;
	}
	w->points[w->npoints++] = *pt;
	return 0;
}

static void point_clear(struct workload_point *pt)
{
	pt->t = pt->threads = pt->rate = pt->qps = nan_value;
	pt->lat_ms = pt->err_ps = pt->reconn_ps = nan_value;
}

/* ---- rows ---- */

static struct workload_row *row_get(struct workload *w, const char *op, size_t oplen)
{
	size_t i;

	if (oplen >= WORKLOAD_OP_MAX)
		oplen = WORKLOAD_OP_MAX - 1;
	for (i = 0; i < w->nrows; i++)
		if (strlen(w->rows[i].op) == oplen && memcmp(w->rows[i].op, op, oplen) == 0)
			return &w->rows[i];
	if (w->nrows == WORKLOAD_MAX_ROWS) {
		w->rows_dropped = 1;
		return NULL;
	}
	row_clear(&w->rows[w->nrows]);
	memcpy(w->rows[w->nrows].op, op, oplen);
	w->rows[w->nrows].op[oplen] = '\0';
	return &w->rows[w->nrows++];
}

/* ---- sysbench ---- */

/* "[ 5s ] thds: 8 tps: .. qps: .. (r/w/o: ..) lat (ms,95%): .. err/s: ..
 * reconn/s: .." or "[ 1s ] thds: 1 eps: .. lat (ms,95%): ..". */
static int sysbench_interim(struct workload *w, const char *p, const char *end)
{
	struct workload_point pt;
	const char *q;
	double v;

	point_clear(&pt);
	q = number(skip_space(p + 1, end), end, &v);
	if (!q || !starts(q, end, "s ]"))
		return 0;
	pt.t = v;
	q += 3;
	if (value_after(q, end, "thds:", &pt.threads) < 0)
		return 0;
	if (value_after(q, end, "tps:", &pt.rate) < 0)
		value_after(q, end, "eps:", &pt.rate);
	value_after(q, end, "qps:", &pt.qps);
	value_after(q, end, "%):", &pt.lat_ms);
	value_after(q, end, "err/s:", &pt.err_ps);
	value_after(q, end, "reconn/s:", &pt.reconn_ps);
	if (w->tool == WORKLOAD_UNKNOWN)
		w->tool = WORKLOAD_SYSBENCH;
	return point_add(w, &pt);
}

/* A summary header: start a new summary unless this continues one. */
static void sysbench_block(struct workload *w, int section, int always_new)
{
	if (always_new || w->tool != WORKLOAD_SYSBENCH ||
	    (w->st_section != SEC_SQL && w->st_section != SEC_GENERAL && w->st_section != SEC_OTHER))
		summary_reset(w, WORKLOAD_SYSBENCH);
	w->st_section = section;
	if (!w->form)
		w->form = "sysbench 1.0";
}

/* "key:   value" lines inside a sysbench summary. Returns 1 if used. */
static int sysbench_summary_line(struct workload *w, const char *p, const char *end)
{
	struct workload_row *lat = &w->rows[0];
	double v;
	const char *q;

	switch (w->st_section) {
	case SEC_SQL:
		if (starts(p, end, "read:"))
			return number(skip_space(p + 5, end), end, &w->reads) != NULL;
		if (starts(p, end, "write:"))
			return number(skip_space(p + 6, end), end, &w->writes) != NULL;
		if (starts(p, end, "other:"))
			return number(skip_space(p + 6, end), end, &w->others) != NULL;
		if (starts(p, end, "transactions:")) {
			count_rate(p + 13, end, &w->transactions, &w->tps);
			return 1;
		}
		if (starts(p, end, "queries:")) {
			count_rate(p + 8, end, &w->queries, &w->qps);
			return 1;
		}
		if (starts(p, end, "ignored errors:")) {
			count_rate(p + 15, end, &w->ignored_errors, &w->ignored_errors_ps);
			return 1;
		}
		if (starts(p, end, "reconnects:")) {
			count_rate(p + 11, end, &w->reconnects, &w->reconnects_ps);
			return 1;
		}
		return 0;
	case SEC_GENERAL:
	case SEC_OTHER:
		if (starts(p, end, "total time:"))
			return number(skip_space(p + 11, end), end, &w->total_time_s) != NULL;
		if (starts(p, end, "time elapsed:")) {
			w->form = "sysbench 1.1";
			return number(skip_space(p + 13, end), end, &w->total_time_s) != NULL;
		}
		if (starts(p, end, "total number of events:"))
			return number(skip_space(p + 23, end), end, &w->events) != NULL;
		if (starts(p, end, "events/s (eps):")) {
			w->form = "sysbench 1.1";
			return number(skip_space(p + 15, end), end, &w->eps) != NULL;
		}
		if (starts(p, end, "events per second:"))
			return number(skip_space(p + 18, end), end, &w->eps) != NULL;
		return 0;
	case SEC_LATENCY:
		if (starts(p, end, "min:"))
			return number(skip_space(p + 4, end), end, &lat->min_ms) != NULL;
		if (starts(p, end, "avg:"))
			return number(skip_space(p + 4, end), end, &lat->avg_ms) != NULL;
		if (starts(p, end, "max:"))
			return number(skip_space(p + 4, end), end, &lat->max_ms) != NULL;
		q = number(p, end, &v);
		if (q && starts(q, end, "th percentile:") && v >= 1 && v <= 100 && v == floor(v)) {
			double ms;

			if (!number(skip_space(q + 14, end), end, &ms))
				return 0;
			w->percentile = (int)v;
			switch (w->percentile) {
			case 50: lat->p50_ms = ms; break;
			case 90: lat->p90_ms = ms; break;
			case 95: lat->p95_ms = ms; break;
			case 99: lat->p99_ms = ms; break;
			default: lat->xpct = w->percentile; lat->xpct_ms = ms; break;
			}
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

static int sysbench_line(struct workload *w, const char *p, const char *end)
{
	const char *q;
	size_t n;

	if (starts(p, end, "sysbench ") && p + 9 < end && is_digit(p[9])) {
		q = p + 9;
		while (q < end && !is_space(*q))
			q++;
		n = (size_t)(q - (p + 9));
		if (n >= sizeof(w->version))
			n = sizeof(w->version) - 1;
		memcpy(w->version, p + 9, n);
		w->version[n] = '\0';
		if (w->tool == WORKLOAD_UNKNOWN)
			w->tool = WORKLOAD_SYSBENCH;
		return 1;
	}
	if (starts(p, end, "Number of threads:"))
		return number(skip_space(p + 18, end), end, &w->threads) != NULL;
	if (starts(p, end, "Threads started!")) {
		w->npoints = 0;
		return 1;
	}
	if (starts(p, end, "SQL statistics:")) {
		sysbench_block(w, SEC_SQL, 1);
		return 1;
	}
	if (starts(p, end, "General statistics:")) {
		sysbench_block(w, SEC_GENERAL, 0);
		return 1;
	}
	if (starts(p, end, "Throughput:")) {
		sysbench_block(w, SEC_GENERAL, 0);
		return 1;
	}
	if (starts(p, end, "CPU speed:") || starts(p, end, "File operations:")) {
		sysbench_block(w, SEC_OTHER, 0);
		return 1;
	}
	if (w->tool != WORKLOAD_SYSBENCH)
		return 0;
	if (starts(p, end, "Latency (ms):")) {
		if (w->st_section != SEC_GENERAL && w->st_section != SEC_OTHER && w->st_section != SEC_SQL)
			summary_reset(w, WORKLOAD_SYSBENCH);
		w->st_section = SEC_LATENCY;
		w->complete = 1;
		if (!w->form)
			w->form = "sysbench 1.0";
		return 1;
	}
	if (starts(p, end, "Threads fairness:")) {
		w->st_section = SEC_FAIRNESS;
		return 1;
	}
	return sysbench_summary_line(w, p, end);
}

/* ---- go-ycsb and go-tpc measurement lines ---- */

/* "Takes(s): 10.0, Count: 1000, OPS: 100.0, Avg(us): 123, ..." */
static void parse_fields(const char *p, const char *end, struct fields *f)
{
	f->takes = f->count = f->ops = f->tpm = f->avg = f->min = f->max = nan_value;
	f->p50 = f->p90 = f->p95 = f->p99 = f->p999 = nan_value;
	while (p < end) {
		const char *k = skip_space(p, end), *ke, *ue = NULL, *u = NULL, *next;
		double v, scale = 1;
		size_t kn;

		for (ke = k; ke < end && *ke != ':' && *ke != ','; ke++)
			;
		for (next = ke; next < end && *next != ','; next++)
			;
		if (ke < end && *ke == ':' && number(skip_space(ke + 1, end), next, &v)) {
			kn = (size_t)(ke - k);
			/* the unit in parentheses: "Avg(us)" */
			for (u = k; u < ke && *u != '('; u++)
				;
			if (u < ke) {
				ue = u + 1;
				if (starts(ue, ke, "us)"))
					scale = 1e-3;
				else if (starts(ue, ke, "ns)"))
					scale = 1e-6;
				else if (starts(ue, ke, "s)") && !starts(k, ke, "Takes"))
					scale = 1e3;
				kn = (size_t)(u - k);
			}
#define KEY(s) (kn == sizeof(s) - 1 && memcmp(k, s, kn) == 0)
			if (KEY("Takes"))
				f->takes = v;
			else if (KEY("Count"))
				f->count = v;
			else if (KEY("OPS"))
				f->ops = v;
			else if (KEY("TPM"))
				f->tpm = v;
			else if (KEY("Avg"))
				f->avg = v * scale;
			else if (KEY("Min"))
				f->min = v * scale;
			else if (KEY("Max"))
				f->max = v * scale;
			else if (KEY("50th"))
				f->p50 = v * scale;
			else if (KEY("90th"))
				f->p90 = v * scale;
			else if (KEY("95th"))
				f->p95 = v * scale;
			else if (KEY("99th"))
				f->p99 = v * scale;
			else if (KEY("99.9th"))
				f->p999 = v * scale;
#undef KEY
		}
		p = next < end ? next + 1 : end;
	}
}

/* "OP - Takes(s): ..." at p: the operation name and where the fields start. */
static int measurement(const char *p, const char *end, const char **op, size_t *oplen,
		       const char **fields)
{
	const char *q = p;

	while (q < end && ((*q >= 'A' && *q <= 'Z') || is_digit(*q) || *q == '_'))
		q++;
	if (q == p || !(*p >= 'A' && *p <= 'Z'))
		return 0;
	*op = p;
	*oplen = (size_t)(q - p);
	q = skip_space(q, end);
	if (!starts(q, end, "- "))
		return 0;
	q = skip_space(q + 2, end);
	if (!starts(q, end, "Takes(s):"))
		return 0;
	*fields = q;
	return 1;
}

static void row_from_fields(struct workload_row *r, const struct fields *f)
{
	r->seconds = f->takes;
	r->count = f->count;
	r->rate = !isnan(f->ops) ? f->ops :
		  !isnan(f->tpm) ? f->tpm / 60 :
		  (!isnan(f->count) && f->takes > 0 ? f->count / f->takes : nan_value);
	r->tpm = f->tpm;
	r->avg_ms = f->avg;
	r->min_ms = f->min;
	r->max_ms = f->max;
	r->p50_ms = f->p50;
	r->p90_ms = f->p90;
	r->p95_ms = f->p95;
	r->p99_ms = f->p99;
	r->p999_ms = f->p999;
}

/* A Go duration: "20.78s", "1m0.5s", "1h2m3s", "350ms". */
static int go_duration(const char *p, const char *end, double *out)
{
	double total = 0, v;
	const char *q;
	int any = 0;

	while (p < end && (q = number(p, end, &v))) {
		if (starts(q, end, "ms"))
			total += v / 1e3, q += 2;
		else if (starts(q, end, "us") || starts(q, end, "\xc2\xb5s"))
			total += v / 1e6, q += *q == 'u' ? 2 : 3;
		else if (starts(q, end, "ns"))
			total += v / 1e9, q += 2;
		else if (starts(q, end, "h"))
			total += v * 3600, q += 1;
		else if (starts(q, end, "m"))
			total += v * 60, q += 1;
		else if (starts(q, end, "s"))
			total += v, q += 1;
		else
			break;
		any = 1;
		p = q;
	}
	if (!any)
		return -1;
	*out = total;
	return 0;
}

static int ycsb_line(struct workload *w, const char *p, const char *end)
{
	const char *op, *fp;
	size_t oplen;
	struct fields f;
	struct workload_point pt;

	if (starts(p, end, "Run finished, takes")) {
		summary_reset(w, WORKLOAD_YCSB);
		w->form = "go-ycsb";
		w->st_ycsb_final = 1;
		w->complete = 1;
		go_duration(skip_space(p + 19, end), end, &w->run_seconds);
		return 1;
	}
	if (starts(p, end, "***************** properties")) {
		w->npoints = 0;
		w->st_ycsb_final = 0;
		w->st_ycsb_prev_t = w->st_ycsb_prev_n = 0;
		if (w->tool == WORKLOAD_UNKNOWN)
			w->tool = WORKLOAD_YCSB;
		return 1;
	}
	if (!measurement(p, end, &op, &oplen, &fp))
		return 0;
	parse_fields(fp, end, &f);
	if (w->st_ycsb_final && w->tool == WORKLOAD_YCSB) {
		struct workload_row *r = row_get(w, op, oplen);

		if (r)
			row_from_fields(r, &f);
		return 1;
	}
	if (w->tool == WORKLOAD_UNKNOWN)
		w->tool = WORKLOAD_YCSB;
	if (oplen != 5 || memcmp(op, "TOTAL", 5) != 0 || isnan(f.takes))
		return 1;
	/* interim TOTAL lines are cumulative: the rate of this interval */
	point_clear(&pt);
	pt.t = f.takes;
	if (!isnan(f.count) && f.takes > w->st_ycsb_prev_t)
		pt.rate = (f.count - w->st_ycsb_prev_n) / (f.takes - w->st_ycsb_prev_t);
	pt.lat_ms = f.p95;
	if (!isnan(f.count)) {
		w->st_ycsb_prev_t = f.takes;
		w->st_ycsb_prev_n = f.count;
	}
	return point_add(w, &pt);
}

static int tpc_line(struct workload *w, const char *p, const char *end, int *used)
{
	const char *op, *fp;
	size_t oplen;
	struct fields f;
	int summary;

	*used = 0;
	if (starts(p, end, "tpmC:")) {
		if (w->tool != WORKLOAD_TPC)
			summary_reset(w, WORKLOAD_TPC);
		w->form = "go-tpc";
		value_after(p, end, "tpmC:", &w->tpmc);
		value_after(p, end, "tpmTotal:", &w->tpmtotal);
		value_after(p, end, "efficiency:", &w->efficiency_pct);
		w->complete = 1;
		*used = 1;
		return 0;
	}
	summary = starts(p, end, "[Summary]");
	if (!summary && !starts(p, end, "[Current]"))
		return 0;
	if (!measurement(skip_space(p + 9, end), end, &op, &oplen, &fp))
		return 0;
	*used = 1;
	parse_fields(fp, end, &f);
	if (summary) {
		struct workload_row *r;

		if (w->st_section != SEC_TPC || w->tool != WORKLOAD_TPC) {
			summary_reset(w, WORKLOAD_TPC);
			w->form = "go-tpc";
		}
		w->st_section = SEC_TPC;
		w->complete = 1;
		r = row_get(w, op, oplen);
		if (r)
			row_from_fields(r, &f);
		return 0;
	}
	if (w->tool == WORKLOAD_UNKNOWN)
		w->tool = WORKLOAD_TPC;
	/* [Current] lines cover one interval each; NEW_ORDER gives tpmC */
	if (oplen == 9 && memcmp(op, "NEW_ORDER", 9) == 0 && !isnan(f.takes)) {
		struct workload_point pt;

		point_clear(&pt);
		w->st_tpc_t += f.takes;
		pt.t = w->st_tpc_t;
		pt.rate = f.tpm;
		pt.lat_ms = f.p95;
		return point_add(w, &pt);
	}
	return 0;
}

/* ---- the end: rows from what was seen ---- */

static void sysbench_rows(struct workload *w)
{
	struct workload_row lat = w->rows[0], *r;

	w->nrows = 0;
	if (!isnan(w->transactions)) {
		r = row_get(w, "transactions", 12);
		*r = lat;
		snprintf(r->op, sizeof(r->op), "transactions");
		r->count = w->transactions;
		r->rate = w->tps;
		r->seconds = w->total_time_s;
		r->errors = w->ignored_errors;
		if (!isnan(w->queries)) {
			r = row_get(w, "queries", 7);
			r->count = w->queries;
			r->rate = w->qps;
			r->seconds = w->total_time_s;
			r->errors = w->ignored_errors;
		}
	} else {
		r = row_get(w, "events", 6);
		*r = lat;
		snprintf(r->op, sizeof(r->op), "events");
		r->count = w->events;
		r->rate = !isnan(w->eps) ? w->eps :
			  (w->total_time_s > 0 && !isnan(w->events) ? w->events / w->total_time_s
								     : nan_value);
		r->seconds = w->total_time_s;
	}
	if (w->percentile == 0)
		w->percentile = 95;
}

/* OP_ERROR / OP_ERR rows become the errors of OP; TOTAL gets their sum. */
static void merge_errors(struct workload *w)
{
	double sum = 0;
	int any = 0;
	size_t i, j, k, n, bl;

	for (i = 0; i < w->nrows; i++)
		if (isnan(w->rows[i].errors) && strcmp(w->rows[i].op, "TOTAL") != 0)
			w->rows[i].errors = 0;
	for (i = 0; i < w->nrows;) {
		struct workload_row *e = &w->rows[i];

		n = strlen(e->op);
		bl = n > 6 && strcmp(e->op + n - 6, "_ERROR") == 0 ? n - 6 :
		     n > 4 && strcmp(e->op + n - 4, "_ERR") == 0 ? n - 4 : 0;
		if (!bl) {
			i++;
			continue;
		}
		any = 1;
		sum += isnan(e->count) ? 0 : e->count;
		for (j = 0; j < w->nrows; j++)
			if (j != i && strlen(w->rows[j].op) == bl && memcmp(w->rows[j].op, e->op, bl) == 0)
				break;
		if (j == w->nrows) {
			e->errors = e->count;
			i++;
			continue;
		}
		w->rows[j].errors = (isnan(w->rows[j].errors) ? 0 : w->rows[j].errors) +
				    (isnan(e->count) ? 0 : e->count);
		for (k = i; k + 1 < w->nrows; k++)
			w->rows[k] = w->rows[k + 1];
		w->nrows--;
	}
	for (i = 0; i < w->nrows; i++)
		if (strcmp(w->rows[i].op, "TOTAL") == 0)
			w->rows[i].errors = any ? sum : 0;
}

static void finish(struct workload *w)
{
	if (w->tool == WORKLOAD_SYSBENCH && w->complete)
		sysbench_rows(w);
	else if (w->tool == WORKLOAD_SYSBENCH)
		w->nrows = 0;
	else if (w->tool == WORKLOAD_YCSB || w->tool == WORKLOAD_TPC)
		merge_errors(w);
	if (!w->form && w->tool != WORKLOAD_UNKNOWN)
		w->form = w->tool == WORKLOAD_SYSBENCH ? "sysbench 1.0" : workload_tool_name(w->tool);
}

static int one_line(struct workload *w, const char *line, size_t len)
{
	const char *end = line + len, *p;
	int used, rc;

	while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	p = skip_space(line, end);
	if (p == end)
		return 0;
	if (*p == '[' && p + 1 < end && p[1] == ' ')
		return sysbench_interim(w, p, end);
	if ((rc = tpc_line(w, p, end, &used)) < 0 || used)
		return rc;
	if (w->st_section == SEC_TPC)
		w->st_section = SEC_NONE;
	if (sysbench_line(w, p, end))
		return 0;
	return ycsb_line(w, p, end) < 0 ? -ENOMEM : 0;
}

int workload_parse(struct linereader *lr, struct workload *w, struct tp_error *err)
{
	const char *line;
	size_t len;
	int rc;

	linereader_set_max_line(lr, WORKLOAD_MAX_LINE);
	while ((rc = linereader_next(lr, &line, &len, err)) > 0) {
		w->st_lineno++;
		if ((rc = one_line(w, line, len)) < 0)
			return tp_error_set(err, rc, linereader_name(lr), linereader_lineno(lr), -1,
					    "out of memory");
	}
	if (rc < 0)
		return rc;
	finish(w);
	if (w->tool == WORKLOAD_UNKNOWN || (!w->complete && w->npoints == 0))
		return tp_error_set(err, -ENODATA, linereader_name(lr), 0, -1,
				    "no sysbench, go-ycsb or go-tpc results in the log");
	return 0;
}

int workload_parse_file(const char *path, struct workload *w, struct tp_error *err)
{
	struct linereader *lr;
	int rc;

	if ((rc = linereader_open(&lr, path, err)) < 0)
		return rc;
	rc = workload_parse(lr, w, err);
	linereader_close(lr);
	return rc;
}

int workload_parse_mem(const char *name, const void *data, size_t len, struct workload *w,
		       struct tp_error *err)
{
	struct linereader *lr;
	int rc;

	if ((rc = linereader_open_mem(&lr, name, data, len, err)) < 0)
		return rc;
	rc = workload_parse(lr, w, err);
	linereader_close(lr);
	return rc;
}
