/* taskrate.c - see taskrate.h */
#include "analyzers/metrics/taskrate.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/jsonw.h"
#include "analyzers/bundle/schema.h"
#include "analyzers/model/threadname.h"

static int cmp_sample(const void *a, const void *b)
{
	const struct task_sample *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return 0;
}

void taskrate_sort(struct task_sample *s, size_t n)
{
	if (n > 1)
		qsort(s, n, sizeof(*s), cmp_sample);
}

void taskrate_report_init(struct taskrate_report *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->notes, 1 << 20);
}

void taskrate_report_free(struct taskrate_report *r)
{
	free(r->rate);
	buf_free(&r->notes);
	memset(r, 0, sizeof(*r));
}

/* b - a, or 0 (and *bad set) when the counter went down. */
static uint64_t delta(uint64_t a, uint64_t b, int *bad)
{
	if (b < a) {
		*bad = 1;
		return 0;
	}
	return b - a;
}

static double fdelta(double a, double b, int *bad)
{
	if (b < a) {
		*bad = 1;
		return 0;
	}
	return b - a;
}

static void compute(struct task_rate *t, const struct task_sample *p,
		    const struct task_sample *c, double itv, int *bad)
{
	unsigned have = p->have & c->have;
	double per = itv > 0 ? 1.0 / itv : 0;

	t->have = have;
	if (have & TASK_HAVE_CPU)
		t->cpu_pct = fdelta(p->cpu_total, c->cpu_total, bad) * per * 100;
	if (have & TASK_HAVE_SPLIT) {
		t->user_pct = fdelta(p->cpu_user, c->cpu_user, bad) * per * 100;
		t->sys_pct = fdelta(p->cpu_sys, c->cpu_sys, bad) * per * 100;
	}
	if (have & TASK_HAVE_IO) {
		t->read_bps = (double)delta(p->read_bytes, c->read_bytes, bad) * per;
		t->write_bps = (double)delta(p->write_bytes, c->write_bytes, bad) * per;
		t->cancelled_bps = (double)delta(p->cancelled_write_bytes,
						 c->cancelled_write_bytes, bad) * per;
		t->rchar_bps = (double)delta(p->rchar, c->rchar, bad) * per;
		t->wchar_bps = (double)delta(p->wchar, c->wchar, bad) * per;
		t->syscr_ps = (double)delta(p->syscr, c->syscr, bad) * per;
		t->syscw_ps = (double)delta(p->syscw, c->syscw, bad) * per;
	}
	if (have & TASK_HAVE_DELAY)
		t->iowait_pct = (double)delta(p->blkio_delay_ns, c->blkio_delay_ns, bad) *
				per / 1e9 * 100;
}

int taskrate_build(struct taskrate_report *r, const struct task_sample *prev, size_t nprev,
		   const struct task_sample *curr, size_t ncurr, double interval_s,
		   struct tp_error *err)
{
	size_t i, reused = 0;

	r->n = 0;
	r->denied = 0;
	r->backwards = 0;
	r->interval_s = interval_s;
	buf_reset(&r->notes);
	free(r->rate);
	r->rate = ncurr ? calloc(ncurr, sizeof(*r->rate)) : NULL;
	if (ncurr && !r->rate)
		return tp_error_msg(err, -ENOMEM, "out of memory computing task rates");
	if (prev && !(interval_s > 0))
		buf_printf(&r->notes, "interval of %.3f s: rates are 0\n", interval_s);
	for (i = 0; i < ncurr; i++) {
		const struct task_sample *c = &curr[i];
		const struct task_sample *p = NULL;
		struct task_rate *t = &r->rate[r->n++];
		int bad = 0;

		t->s = c;
		if (prev && nprev)
			p = bsearch(c, prev, nprev, sizeof(*prev), cmp_sample);
		if (p && p->start && c->start && p->start != c->start) {
			p = NULL;
			reused++;
		}
		t->cpu_seconds = c->cpu_total;
		if (c->have & TASK_IO_DENIED)
			r->denied++;
		if (!p) {
			t->is_new = 1;
			t->have = c->have;
			continue;
		}
		compute(t, p, c, interval_s, &bad);
		if (bad)
			r->backwards++;
	}
	if (r->denied)
		buf_printf(&r->notes, "%zu task%s: IO counters not readable (permission denied)\n",
			   r->denied, r->denied == 1 ? "" : "s");
	if (r->backwards)
		buf_printf(&r->notes, "%zu task%s: a counter went down, counted as 0\n",
			   r->backwards, r->backwards == 1 ? "" : "s");
	if (reused)
		buf_printf(&r->notes, "%zu task id%s reused by a new task, counted from its start\n",
			   reused, reused == 1 ? "" : "s");
	return 0;
}

/* Larger first; values within rounding noise are equal, so the order
 * falls to the names and ids and stays deterministic. */
static int cmp_desc(double x, double y)
{
	double tol = 1e-9 * (fabs(x) > fabs(y) ? fabs(x) : fabs(y)) + 1e-9;

	if (fabs(x - y) <= tol)
		return 0;
	return x > y ? -1 : 1;
}

static int cmp_id(const struct task_rate *x, const struct task_rate *y)
{
	return cmp_sample(x->s, y->s);
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct task_rate *x = a, *y = b;

	int c = cmp_desc(x->cpu_pct, y->cpu_pct);

	return c ? c : cmp_id(x, y);
}

static int cmp_io(const void *a, const void *b)
{
	const struct task_rate *x = a, *y = b;
	int c = cmp_desc(x->read_bps + x->write_bps, y->read_bps + y->write_bps);

	return c ? c : cmp_id(x, y);
}

static int cmp_by_id(const void *a, const void *b)
{
	return cmp_id(a, b);
}

void taskrate_order(struct taskrate_report *r, int by)
{
	if (r->n < 2)
		return;
	qsort(r->rate, r->n, sizeof(*r->rate),
	      by == TASKRATE_BY_CPU ? cmp_cpu : by == TASKRATE_BY_IO ? cmp_io : cmp_by_id);
}

static int cmp_pool_name(const void *a, const void *b)
{
	return strcmp(((const struct task_pool *)a)->name, ((const struct task_pool *)b)->name);
}

static int cmp_pool_cpu(const void *a, const void *b)
{
	const struct task_pool *x = a, *y = b;

	int c = cmp_desc(x->cpu_pct, y->cpu_pct);

	return c ? c : strcmp(x->name, y->name);
}

int taskrate_pools(const struct taskrate_report *r, struct task_pool **pools, size_t *n,
		   struct tp_error *err)
{
	struct task_pool *pl, key;
	size_t i, np = 0;

	*pools = NULL;
	*n = 0;
	if (r->n == 0)
		return 0;
	pl = calloc(r->n, sizeof(*pl));
	if (!pl)
		return tp_error_msg(err, -ENOMEM, "out of memory grouping threads");
	for (i = 0; i < r->n; i++) {
		const struct task_rate *t = &r->rate[i];
		struct task_pool *p;
		size_t k;

		threadname_tikv_pool(t->s->comm, strlen(t->s->comm), key.name, sizeof(key.name));
		/* Few pools: a linear search keeps this simple. */
		for (k = 0; k < np; k++)
			if (strcmp(pl[k].name, key.name) == 0)
				break;
		p = &pl[k];
		if (k == np) {
			np++;
			memcpy(p->name, key.name, sizeof(p->name));
			p->have = t->have;
		}
		p->have &= t->have;
		p->threads++;
		p->user_pct += t->user_pct;
		p->sys_pct += t->sys_pct;
		p->cpu_pct += t->cpu_pct;
		p->cpu_seconds += t->cpu_seconds;
		p->read_bps += t->read_bps;
		p->write_bps += t->write_bps;
	}
	qsort(pl, np, sizeof(*pl), cmp_pool_name);
	qsort(pl, np, sizeof(*pl), cmp_pool_cpu);
	*pools = pl;
	*n = np;
	return 0;
}

/* The lines of io.jsonl and threads.jsonl: the keys the report reads are
 * named in analyzers/bundle/schema.h. */
int taskrate_write_json(FILE *fp, const char *kind, const struct taskrate_report *r,
			const struct task_pool *pools, size_t npools, const char *host,
			int64_t pid, double time, struct tp_error *err)
{
	int threads = strcmp(kind, SERIES_TYPE_THREADS) == 0;
	struct jsonw w;
	size_t i;
	int rc;

	jsonw_init(&w, fp);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, SERIES_TYPE, kind);
	if (host)
		jsonw_kv_string(&w, SERIES_HOST, host);
	jsonw_kv_double(&w, SERIES_TIME, time, 3);
	jsonw_kv_double(&w, "interval", r->interval_s, 3);
	if (pid > 0)
		jsonw_kv_int(&w, SERIES_PID, pid);
	jsonw_key(&w, SERIES_TASKS);
	jsonw_array_begin(&w);
	for (i = 0; i < r->n; i++) {
		const struct task_rate *t = &r->rate[i];

		jsonw_object_begin(&w);
		jsonw_kv_int(&w, SERIES_TASK_PID, t->s->pid);
		if (t->s->tid > 0)
			jsonw_kv_int(&w, "tid", t->s->tid);
		jsonw_kv_string(&w, SERIES_TASK_COMM, t->s->comm);
		if (t->is_new)
			jsonw_kv_bool(&w, "new", 1);
		if (threads) {
			if (t->have & TASK_HAVE_SPLIT) {
				jsonw_kv_double(&w, "user", t->user_pct, 2);
				jsonw_kv_double(&w, "sys", t->sys_pct, 2);
			}
			if (t->have & TASK_HAVE_CPU) {
				jsonw_kv_double(&w, "cpu", t->cpu_pct, 2);
				jsonw_kv_double(&w, "time", t->cpu_seconds, 2);
			}
		}
		if (t->s->have & TASK_IO_DENIED) {
			jsonw_kv_string(&w, "io", "denied");
		} else if (t->have & TASK_HAVE_IO) {
			jsonw_kv_double(&w, SERIES_TASK_READ_BPS, t->read_bps, 1);
			jsonw_kv_double(&w, SERIES_TASK_WRITE_BPS, t->write_bps, 1);
			if (!threads) {
				jsonw_kv_double(&w, "cancelled_write_Bps", t->cancelled_bps, 1);
				jsonw_kv_double(&w, "rchar_Bps", t->rchar_bps, 1);
				jsonw_kv_double(&w, "wchar_Bps", t->wchar_bps, 1);
				jsonw_kv_double(&w, "syscr/s", t->syscr_ps, 2);
				jsonw_kv_double(&w, "syscw/s", t->syscw_ps, 2);
			}
		}
		if (t->have & TASK_HAVE_DELAY)
			jsonw_kv_double(&w, "iowait", t->iowait_pct, 2);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	if (pools) {
		jsonw_key(&w, SERIES_POOLS);
		jsonw_array_begin(&w);
		for (i = 0; i < npools; i++) {
			const struct task_pool *p = &pools[i];

			jsonw_object_begin(&w);
			jsonw_kv_string(&w, SERIES_POOL_NAME, p->name);
			jsonw_kv_uint(&w, SERIES_POOL_THREADS, p->threads);
			if (p->have & TASK_HAVE_SPLIT) {
				jsonw_kv_double(&w, "user", p->user_pct, 2);
				jsonw_kv_double(&w, "sys", p->sys_pct, 2);
			}
			jsonw_kv_double(&w, SERIES_POOL_CPU, p->cpu_pct, 2);
			jsonw_kv_double(&w, "time", p->cpu_seconds, 2);
			if (p->have & TASK_HAVE_IO) {
				jsonw_kv_double(&w, SERIES_POOL_READ_BPS, p->read_bps, 1);
				jsonw_kv_double(&w, SERIES_POOL_WRITE_BPS, p->write_bps, 1);
			}
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
	}
	jsonw_kv_lines(&w, "notes", r->notes.data, r->notes.len);
	jsonw_object_end(&w);
	rc = jsonw_end_line(&w);
	if (rc < 0)
		return tp_error_msg(err, rc, "cannot write the %s report", kind);
	return 0;
}
