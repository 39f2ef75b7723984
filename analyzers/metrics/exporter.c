/* exporter.c - see exporter.h */
#include "analyzers/metrics/exporter.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/metrics/promtext.h"

/* ---- node_exporter ---- */

enum scale { AS_COUNT, AS_BYTES, AS_SECONDS };

static const struct {
	const char *metric;
	int field;
	enum scale scale;
} node_map[] = {
	{ "node_disk_reads_completed_total", IOSTAT_RD_IOS, AS_COUNT },
	{ "node_disk_reads_merged_total", IOSTAT_RD_MERGES, AS_COUNT },
	{ "node_disk_read_bytes_total", IOSTAT_RD_SECTORS, AS_BYTES },
	{ "node_disk_read_time_seconds_total", IOSTAT_RD_TICKS, AS_SECONDS },
	{ "node_disk_writes_completed_total", IOSTAT_WR_IOS, AS_COUNT },
	{ "node_disk_writes_merged_total", IOSTAT_WR_MERGES, AS_COUNT },
	{ "node_disk_written_bytes_total", IOSTAT_WR_SECTORS, AS_BYTES },
	{ "node_disk_write_time_seconds_total", IOSTAT_WR_TICKS, AS_SECONDS },
	{ "node_disk_io_now", IOSTAT_IOS_PGR, AS_COUNT },
	{ "node_disk_io_time_seconds_total", IOSTAT_TOT_TICKS, AS_SECONDS },
	{ "node_disk_io_time_weighted_seconds_total", IOSTAT_RQ_TICKS, AS_SECONDS },
	{ "node_disk_discards_completed_total", IOSTAT_DC_IOS, AS_COUNT },
	{ "node_disk_discards_merged_total", IOSTAT_DC_MERGES, AS_COUNT },
	{ "node_disk_discarded_sectors_total", IOSTAT_DC_SECTORS, AS_COUNT },
	{ "node_disk_discard_time_seconds_total", IOSTAT_DC_TICKS, AS_SECONDS },
	{ "node_disk_flush_requests_total", IOSTAT_FL_IOS, AS_COUNT },
	{ "node_disk_flush_requests_time_seconds_total", IOSTAT_FL_TICKS, AS_SECONDS },
};

#define NNODE (sizeof(node_map) / sizeof(node_map[0]))

struct node_ctx {
	struct iostat_snapshot *s;
	double time, boot;
	int has_time, has_boot, ndisk;
	size_t last;		/* index of the device last used */
	struct tp_error *err;
	const char *name;
};

static int eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* A counter value as an integer; -1 if it is not a finite value >= 0. */
static int to_u64(double v, uint64_t *out)
{
	if (!(v >= 0) || v >= 1.8e19)
		return -1;
	*out = (uint64_t)(v + 0.5);
	return 0;
}

static int on_node(void *vctx, const struct promtext_sample *smp)
{
	struct node_ctx *c = vctx;
	const char *dev;
	struct iostat_dev *d = NULL;
	size_t i, dlen = 0;
	uint64_t v;
	double x;

	if (eq(smp->name, smp->name_len, "node_time_seconds")) {
		c->time = smp->value;
		c->has_time = isfinite(smp->value);
		return 0;
	}
	if (eq(smp->name, smp->name_len, "node_boot_time_seconds")) {
		c->boot = smp->value;
		c->has_boot = isfinite(smp->value);
		return 0;
	}
	if (smp->name_len < 10 || memcmp(smp->name, "node_disk_", 10) != 0)
		return 0;
	for (i = 0; i < NNODE; i++)
		if (eq(smp->name, smp->name_len, node_map[i].metric))
			break;
	if (i == NNODE)
		return 0;
	dev = promtext_label(smp, "device", &dlen);
	if (!dev || dlen == 0)
		return 0;
	c->ndisk++;
	if (c->last < c->s->n && strlen(c->s->dev[c->last].name) == dlen &&
	    memcmp(c->s->dev[c->last].name, dev, dlen) == 0) {
		d = &c->s->dev[c->last];
	} else {
		size_t k, cut = dlen < IOSTAT_NAME_MAX ? dlen : IOSTAT_NAME_MAX - 1;

		for (k = 0; k < c->s->n; k++)
			if (strlen(c->s->dev[k].name) == cut &&
			    memcmp(c->s->dev[k].name, dev, cut) == 0)
				break;
		if (k < c->s->n) {
			d = &c->s->dev[k];
		} else {
			d = iostat_snapshot_add(c->s, dev, dlen);
			if (!d)
				return tp_error_set(c->err, -E2BIG, c->name, smp->line, -1,
						    "too many devices");
		}
		c->last = (size_t)(d - c->s->dev);
	}
	x = smp->value;
	if (node_map[i].scale == AS_BYTES)
		x = x / 512;
	else if (node_map[i].scale == AS_SECONDS)
		x = x * 1000;
	if (to_u64(x, &v) < 0)
		return 0;
	d->v[node_map[i].field] = v;
	return 0;
}

int exporter_node_disks(const char *name, const void *text, size_t len,
			struct iostat_snapshot *s, int *has_uptime, struct tp_error *err)
{
	struct node_ctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.err = err;
	c.name = name;
	iostat_snapshot_reset(s);
	*has_uptime = 0;
	rc = promtext_parse(name, text, len, on_node, NULL, &c, err);
	if (rc < 0)
		return rc;
	if (c.ndisk == 0)
		return tp_error_set(err, -ENODATA, name, 0, -1,
				    "no node_disk_ metrics (is the diskstats collector on?)");
	if (c.has_time && c.has_boot && c.time >= c.boot && c.time - c.boot < 1e15) {
		s->uptime_cs = (uint64_t)llround((c.time - c.boot) * 100);
		*has_uptime = 1;
	} else if (c.has_time && c.time >= 0 && c.time < 1e15) {
		s->uptime_cs = (uint64_t)llround(c.time * 100);
	}
	return 0;
}

/* ---- TiKV ---- */

struct tikv_ctx {
	struct task_sample *s;
	size_t n, cap;
	int ncpu;
	struct tp_error *err;
	const char *name;
};

static int cmp_tid(const void *a, const void *b)
{
	const struct task_sample *x = a, *y = b;

	if (x->tid != y->tid)
		return (x->tid > y->tid) - (x->tid < y->tid);
	/* start holds the input position while merging: keeps the sort stable */
	return (x->start > y->start) - (x->start < y->start);
}

static int on_tikv(void *vctx, const struct promtext_sample *smp)
{
	struct tikv_ctx *c = vctx;
	const char *tname, *tid_s, *io = NULL;
	size_t nlen = 0, tlen = 0, iolen = 0, i;
	struct task_sample *t;
	int64_t tid = 0;
	int kind;

	if (eq(smp->name, smp->name_len, "tikv_thread_cpu_seconds_total"))
		kind = 0;
	else if (eq(smp->name, smp->name_len, "tikv_threads_io_bytes_total"))
		kind = 1;
	else
		return 0;
	tname = promtext_label(smp, "name", &nlen);
	tid_s = promtext_label(smp, "tid", &tlen);
	if (kind == 1)
		io = promtext_label(smp, "io", &iolen);
	if (!tname || !tid_s || tlen == 0 || tlen > 18 || (kind == 1 && !io) ||
	    !isfinite(smp->value) || smp->value < 0)
		return 0;
	for (i = 0; i < tlen; i++) {
		if (tid_s[i] < '0' || tid_s[i] > '9')
			return 0;
		tid = tid * 10 + (tid_s[i] - '0');
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;

		if (cap > 3 * EXPORTER_MAX_THREADS)
			return tp_error_set(c->err, -E2BIG, c->name, smp->line, -1,
					    "too many thread metrics");
		t = realloc(c->s, cap * sizeof(*t));
		if (!t)
			return tp_error_msg(c->err, -ENOMEM, "out of memory");
		c->s = t;
		c->cap = cap;
	}
	t = &c->s[c->n];
	memset(t, 0, sizeof(*t));
	t->start = c->n++;
	t->tid = tid;
	if (nlen >= sizeof(t->comm))
		nlen = sizeof(t->comm) - 1;
	for (i = 0; i < nlen; i++)
		t->comm[i] = tname[i] == '_' ? '-' : tname[i];
	if (kind == 0) {
		t->cpu_total = smp->value;
		t->have = TASK_HAVE_CPU;
		c->ncpu++;
	} else if (eq(io, iolen, "read")) {
		t->read_bytes = (uint64_t)smp->value;
		t->have = TASK_HAVE_IO;
	} else if (eq(io, iolen, "write")) {
		t->write_bytes = (uint64_t)smp->value;
		t->have = TASK_HAVE_IO;
	} else {
		c->n--;
	}
	return 0;
}

int exporter_tikv_threads(const char *name, const void *text, size_t len,
			  struct task_sample **samples, size_t *n, struct tp_error *err)
{
	struct tikv_ctx c;
	size_t i, out = 0;
	int rc;

	*samples = NULL;
	*n = 0;
	memset(&c, 0, sizeof(c));
	c.err = err;
	c.name = name;
	rc = promtext_parse(name, text, len, on_tikv, NULL, &c, err);
	if (rc < 0)
		goto fail;
	if (c.ncpu == 0) {
		rc = tp_error_set(err, -ENODATA, name, 0, -1,
				  "no tikv_thread_cpu_seconds_total metric");
		goto fail;
	}
	/* Merge the entries of each tid (a stable sort keeps input order). */
	if (c.n > 1)
		qsort(c.s, c.n, sizeof(*c.s), cmp_tid);
	for (i = 0; i < c.n; i++) {
		struct task_sample *t = &c.s[i];

		if (out > 0 && c.s[out - 1].tid == t->tid) {
			struct task_sample *m = &c.s[out - 1];

			m->have |= t->have;
			if (t->have & TASK_HAVE_CPU)
				m->cpu_total = t->cpu_total;
			m->read_bytes += t->read_bytes;
			m->write_bytes += t->write_bytes;
			if (!m->comm[0])
				memcpy(m->comm, t->comm, sizeof(m->comm));
			continue;
		}
		c.s[out++] = *t;
	}
	for (i = 0; i < out; i++)
		c.s[i].start = 0;
	/* Threads with IO metrics but no CPU one are dropped. */
	for (i = 0, c.n = out, out = 0; i < c.n; i++)
		if (c.s[i].have & TASK_HAVE_CPU)
			c.s[out++] = c.s[i];
	if (out > EXPORTER_MAX_THREADS) {
		rc = tp_error_set(err, -E2BIG, name, 0, -1, "more than %d threads",
				  EXPORTER_MAX_THREADS);
		goto fail;
	}
	*samples = c.s;
	*n = out;
	return 0;
fail:
	free(c.s);
	return rc;
}
