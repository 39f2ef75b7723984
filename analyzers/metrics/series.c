/* series.c - see series.h. JSON is parsed with jansson, one line at a time. */
#include "analyzers/metrics/series.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/linereader.h"
#include "analyzers/bundle/schema.h"
#include "analyzers/base/text.h"

static const char *const disk_keys[SD_NFIELDS] = {
	SERIES_DISK_UTIL, SERIES_DISK_R_AWAIT, SERIES_DISK_W_AWAIT, SERIES_DISK_AQU_SZ,
	SERIES_DISK_RKBS, SERIES_DISK_WKBS, SERIES_DISK_RS, SERIES_DISK_WS,
};

void series_init(struct series *s)
{
	memset(s, 0, sizeof(*s));
	s->t0 = NAN;
}

void series_free(struct series *s)
{
	size_t i;
	int k;

	if (!s)
		return;
	for (i = 0; i < s->ndisks; i++) {
		free(s->disks[i].t);
		for (k = 0; k < SD_NFIELDS; k++)
			free(s->disks[i].v[k]);
	}
	for (i = 0; i < s->ntasks; i++) {
		free(s->tasks[i].t);
		free(s->tasks[i].read_bps);
		free(s->tasks[i].write_bps);
	}
	for (i = 0; i < s->npools; i++) {
		free(s->pools[i].t);
		free(s->pools[i].cpu);
	}
	free(s->disks);
	free(s->tasks);
	free(s->pools);
	series_init(s);
}

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* Grow the arrays of a series to hold one more point. */
static int grow(size_t *cap, size_t n, double **arrays[], int narrays)
{
	size_t nc;
	int k;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 32;
	for (k = 0; k < narrays; k++) {
		double *p = realloc(*arrays[k], nc * sizeof(double));

		if (!p)
			return -ENOMEM;
		*arrays[k] = p;
	}
	*cap = nc;
	return 0;
}

static struct series_disk *disk_get(struct series *s, const char *host, const char *dev)
{
	size_t i;
	struct series_disk *d;

	for (i = 0; i < s->ndisks; i++)
		if (strcmp(s->disks[i].host, host) == 0 && strcmp(s->disks[i].dev, dev) == 0)
			return &s->disks[i];
	if (s->ndisks == SERIES_MAX_DISKS)
		return NULL;
	if (!s->disks && !(s->disks = calloc(SERIES_MAX_DISKS, sizeof(*s->disks))))
		return NULL;
	d = &s->disks[s->ndisks++];
	str_copy(d->host, sizeof(d->host), host);
	str_copy(d->dev, sizeof(d->dev), dev);
	return d;
}

static struct series_task *task_get(struct series *s, const char *host, int64_t pid, const char *comm)
{
	size_t i;
	struct series_task *t;

	for (i = 0; i < s->ntasks; i++)
		if (s->tasks[i].pid == pid && strcmp(s->tasks[i].host, host) == 0 &&
		    strcmp(s->tasks[i].comm, comm) == 0)
			return &s->tasks[i];
	if (s->ntasks == SERIES_MAX_TASKS)
		return NULL;
	if (!s->tasks && !(s->tasks = calloc(SERIES_MAX_TASKS, sizeof(*s->tasks))))
		return NULL;
	t = &s->tasks[s->ntasks++];
	str_copy(t->host, sizeof(t->host), host);
	str_copy(t->comm, sizeof(t->comm), comm);
	t->pid = pid;
	return t;
}

static struct series_pool *pool_get(struct series *s, const char *host, int64_t pid, const char *name)
{
	size_t i;
	struct series_pool *p;

	for (i = 0; i < s->npools; i++)
		if (s->pools[i].pid == pid && strcmp(s->pools[i].host, host) == 0 &&
		    strcmp(s->pools[i].pool, name) == 0)
			return &s->pools[i];
	if (s->npools == SERIES_MAX_POOLS)
		return NULL;
	if (!s->pools && !(s->pools = calloc(SERIES_MAX_POOLS, sizeof(*s->pools))))
		return NULL;
	p = &s->pools[s->npools++];
	str_copy(p->host, sizeof(p->host), host);
	str_copy(p->pool, sizeof(p->pool), name);
	p->pid = pid;
	return p;
}

static int add_iostat(struct series *s, json_t *o, const char *host, double t)
{
	json_t *disks = json_object_get(o, SERIES_DISKS), *d;
	size_t i;
	int k;

	if (json_is_true(json_object_get(o, SERIES_SINCE_BOOT)) || !json_is_array(disks))
		return 0;
	s->have_io = 1;
	json_array_foreach(disks, i, d) {
		struct series_disk *sd;
		double **arr[SD_NFIELDS + 1];

		if (!json_is_object(d) || !str(d, SERIES_DISK_DEVICE)[0])
			continue;
		sd = disk_get(s, host, str(d, SERIES_DISK_DEVICE));
		if (!sd || sd->n >= SERIES_MAX_POINTS) {
			s->dropped++;
			continue;
		}
		arr[0] = &sd->t;
		for (k = 0; k < SD_NFIELDS; k++)
			arr[k + 1] = &sd->v[k];
		if (grow(&sd->cap, sd->n, arr, SD_NFIELDS + 1) < 0)
			return -ENOMEM;
		sd->t[sd->n] = t;
		for (k = 0; k < SD_NFIELDS; k++)
			sd->v[k][sd->n] = num(d, disk_keys[k]);
		sd->n++;
	}
	return 0;
}

static int add_iotop(struct series *s, json_t *o, const char *host, double t)
{
	json_t *tasks = json_object_get(o, SERIES_TASKS), *x;
	size_t i;

	if (!json_is_array(tasks))
		return 0;
	s->have_io = 1;
	json_array_foreach(tasks, i, x) {
		struct series_task *st;
		double r = num(x, SERIES_TASK_READ_BPS), w = num(x, SERIES_TASK_WRITE_BPS);
		double **arr[3];

		if (isnan(r) && isnan(w))
			continue;	/* "io": "denied" */
		st = task_get(s, host, (int64_t)num(x, SERIES_TASK_PID), str(x, SERIES_TASK_COMM));
		if (!st || st->n >= SERIES_MAX_POINTS) {
			s->dropped++;
			continue;
		}
		arr[0] = &st->t;
		arr[1] = &st->read_bps;
		arr[2] = &st->write_bps;
		if (grow(&st->cap, st->n, arr, 3) < 0)
			return -ENOMEM;
		st->t[st->n] = t;
		st->read_bps[st->n] = r;
		st->write_bps[st->n] = w;
		st->n++;
	}
	return 0;
}

static int add_threads(struct series *s, json_t *o, const char *host, double t)
{
	json_t *pools = json_object_get(o, SERIES_POOLS), *x;
	int64_t pid = (int64_t)(isnan(num(o, SERIES_PID)) ? 0 : num(o, SERIES_PID));
	size_t i;

	s->have_threads = 1;
	if (!json_is_array(pools))
		return 0;
	json_array_foreach(pools, i, x) {
		struct series_pool *sp;
		double **arr[2];
		double th = num(x, SERIES_POOL_THREADS);

		if (!str(x, SERIES_POOL_NAME)[0])
			continue;
		sp = pool_get(s, host, pid, str(x, SERIES_POOL_NAME));
		if (!sp || sp->n >= SERIES_MAX_POINTS) {
			s->dropped++;
			continue;
		}
		arr[0] = &sp->t;
		arr[1] = &sp->cpu;
		if (grow(&sp->cap, sp->n, arr, 2) < 0)
			return -ENOMEM;
		if (th > sp->threads && th < 1e6)
			sp->threads = (int)th;
		sp->t[sp->n] = t;
		sp->cpu[sp->n] = num(x, SERIES_POOL_CPU);
		sp->n++;
	}
	return 0;
}

static void add_error(struct series *s, json_t *o)
{
	const char *src = str(o, SERIES_ERROR_SOURCE), *host = str(o, SERIES_HOST);
	const char *msg = str(o, SERIES_ERROR_MESSAGE);
	size_t i;

	for (i = 0; i < s->nerrors; i++)
		if (strcmp(s->errors[i].source, src) == 0 && strcmp(s->errors[i].host, host) == 0) {
			s->errors[i].count++;
			return;
		}
	if (s->nerrors == SERIES_MAX_ERRORS)
		return;
	str_copy(s->errors[s->nerrors].source, sizeof(s->errors[0].source), src);
	str_copy(s->errors[s->nerrors].host, sizeof(s->errors[0].host), host);
	str_copy(s->errors[s->nerrors].message, sizeof(s->errors[0].message), msg);
	s->errors[s->nerrors++].count = 1;
}

static int add_line(struct series *s, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *o;
	const char *type, *host;
	double t;
	int rc = 0;

	while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (!len)
		return 0;
	s->lines++;
	o = json_loadb(line, len, JSON_DECODE_ANY, &jerr);
	if (!json_is_object(o)) {
		s->bad_lines++;
		json_decref(o);
		return 0;
	}
	type = str(o, SERIES_TYPE);
	host = str(o, SERIES_HOST)[0] ? str(o, SERIES_HOST) : BUNDLE_HOST_LOCAL;
	t = num(o, SERIES_TIME);
	if (strcmp(type, SERIES_TYPE_ERROR) == 0) {
		add_error(s, o);
	} else if (!isfinite(t)) {
		s->bad_lines++;
	} else {
		if (isnan(s->t0) || t < s->t0)
			s->t0 = t;
		if (strcmp(type, SERIES_TYPE_IOSTAT) == 0)
			rc = add_iostat(s, o, host, t);
		else if (strcmp(type, SERIES_TYPE_IOTOP) == 0)
			rc = add_iotop(s, o, host, t);
		else if (strcmp(type, SERIES_TYPE_THREADS) == 0)
			rc = add_threads(s, o, host, t);
		else
			s->bad_lines++;
		if (!isnan(s->t0) && t - s->t0 > s->span)
			s->span = t - s->t0;
	}
	json_decref(o);
	return rc;
}

int series_load(struct series *s, const char *path, struct tp_error *err)
{
	struct linereader *lr;
	const char *line;
	size_t len;
	int rc;

	if ((rc = linereader_open(&lr, path, err)) < 0)
		return rc;
	linereader_set_max_line(lr, SERIES_MAX_LINE);
	while ((rc = linereader_next(lr, &line, &len, err)) > 0)
		if ((rc = add_line(s, line, len)) < 0) {
			rc = tp_error_set(err, rc, path, linereader_lineno(lr), -1, "out of memory");
			break;
		}
	linereader_close(lr);
	return rc < 0 ? rc : 0;
}

static void stats(const double *v, size_t n, double *avg, double *max)
{
	double sum = 0, m = NAN;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			sum += v[i];
			k++;
			if (isnan(m) || v[i] > m)
				m = v[i];
		}
	*avg = k ? sum / (double)k : NAN;
	*max = m;
}

static int cmp_disk(const void *a, const void *b)
{
	const struct series_disk *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	return c ? c : strcmp(x->dev, y->dev);
}

static int cmp_desc(double a, double b)
{
	if (isnan(a))
		a = -1;
	if (isnan(b))
		b = -1;
	return a > b ? -1 : a < b ? 1 : 0;
}

static int cmp_task(const void *a, const void *b)
{
	const struct series_task *x = a, *y = b;
	int c = cmp_desc(x->avg_write + x->avg_read, y->avg_write + y->avg_read);

	if (c)
		return c;
	c = strcmp(x->host, y->host);
	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

static int cmp_pool(const void *a, const void *b)
{
	const struct series_pool *x = a, *y = b;
	int c = cmp_desc(x->avg_cpu, y->avg_cpu);

	if (c)
		return c;
	c = strcmp(x->host, y->host);
	return c ? c : strcmp(x->pool, y->pool);
}

void series_finish(struct series *s)
{
	size_t i, j;
	int k;

	if (isnan(s->t0))
		return;
	for (i = 0; i < s->ndisks; i++) {
		struct series_disk *d = &s->disks[i];

		for (j = 0; j < d->n; j++)
			d->t[j] -= s->t0;
		for (k = 0; k < SD_NFIELDS; k++)
			stats(d->v[k], d->n, &d->avg[k], &d->max[k]);
	}
	for (i = 0; i < s->ntasks; i++) {
		struct series_task *t = &s->tasks[i];
		double mx;

		for (j = 0; j < t->n; j++)
			t->t[j] -= s->t0;
		stats(t->read_bps, t->n, &t->avg_read, &mx);
		stats(t->write_bps, t->n, &t->avg_write, &t->max_write);
	}
	for (i = 0; i < s->npools; i++) {
		struct series_pool *p = &s->pools[i];

		for (j = 0; j < p->n; j++)
			p->t[j] -= s->t0;
		stats(p->cpu, p->n, &p->avg_cpu, &p->max_cpu);
	}
	if (s->ndisks)
		qsort(s->disks, s->ndisks, sizeof(*s->disks), cmp_disk);
	if (s->ntasks)
		qsort(s->tasks, s->ntasks, sizeof(*s->tasks), cmp_task);
	if (s->npools)
		qsort(s->pools, s->npools, sizeof(*s->pools), cmp_pool);
}
