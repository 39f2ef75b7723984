/* iosampler.c - see iosampler.h */
#include "collectors/proc/iosampler.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "analyzers/base/buf.h"
#include "analyzers/bundle/schema.h"
#include "analyzers/metrics/iostat.h"
#include "analyzers/base/jsonw.h"
#include "analyzers/metrics/taskrate.h"
#include "collectors/proc/disksampler.h"
#include "collectors/proc/tasksampler.h"

enum { SRC_DISKS, SRC_PROCS, SRC_THREADS };

struct source {
	int kind;
	int64_t pid;			/* threads: the process */
	struct disksampler *ds;
	struct tasksampler *ts;
};

struct iosampler {
	char *root;
	struct source *src;
	size_t n;
	struct iostat_report ir;
	struct taskrate_report tr;
	struct buf notes;
	int ticks;
};

static double now_s(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int add_note(struct iosampler *s, const char *note)
{
	if (!note || (s->notes.data && strstr(s->notes.data, note)))
		return 0;
	if (buf_puts(&s->notes, note) < 0 || buf_putc(&s->notes, '\n') < 0)
		return -ENOMEM;
	return 0;
}

int iosampler_new(struct iosampler **out, const struct iosampler_opts *o, struct tp_error *err)
{
	struct iosampler *s;
	long tmo = o->timeout_ms > 0 ? o->timeout_ms : 1000;
	size_t i, max = 2 + o->nthread_pids + o->nnode_exporters + o->ntikvs;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return tp_error_msg(err, -ENOMEM, "out of memory");
	iostat_report_init(&s->ir);
	taskrate_report_init(&s->tr);
	buf_init(&s->notes, 1 << 16);
	s->src = calloc(max, sizeof(*s->src));
	if (!s->src || (o->root && !(s->root = strdup(o->root)))) {
		rc = tp_error_msg(err, -ENOMEM, "out of memory");
		goto fail;
	}
	if (o->local_disks) {
		s->src[s->n].kind = SRC_DISKS;
		if ((rc = disksampler_new(&s->src[s->n++].ds, NULL, tmo, err)) < 0)
			goto fail;
	}
	for (i = 0; i < o->nnode_exporters; i++) {
		s->src[s->n].kind = SRC_DISKS;
		if ((rc = disksampler_new(&s->src[s->n++].ds, o->node_exporters[i], tmo, err)) < 0)
			goto fail;
	}
	if (o->local_procs) {
		struct tasksampler_opts to = { 0 };

		to.io = 1;
		to.io_only = 1;
		to.delay = 1;
		to.root = o->root;
		s->src[s->n].kind = SRC_PROCS;
		if ((rc = tasksampler_new(&s->src[s->n].ts, &to, err)) < 0)
			goto fail;
		if (add_note(s, tasksampler_delay_note(s->src[s->n].ts)) < 0)
			goto nomem;
		s->n++;
	}
	for (i = 0; i < o->nthread_pids; i++) {
		struct tasksampler_opts to = { 0 };

		to.threads = 1;
		to.io = 1;
		to.pids = &o->thread_pids[i];
		to.npids = 1;
		to.root = o->root;
		s->src[s->n].kind = SRC_THREADS;
		s->src[s->n].pid = o->thread_pids[i];
		if ((rc = tasksampler_new(&s->src[s->n++].ts, &to, err)) < 0)
			goto fail;
	}
	for (i = 0; i < o->ntikvs; i++) {
		struct tasksampler_opts to = { 0 };

		to.tikv = o->tikvs[i];
		to.timeout_ms = tmo;
		s->src[s->n].kind = SRC_THREADS;
		if ((rc = tasksampler_new(&s->src[s->n++].ts, &to, err)) < 0)
			goto fail;
	}
	*out = s;
	return 0;
nomem:
	rc = tp_error_msg(err, -ENOMEM, "out of memory");
fail:
	iosampler_free(s);
	return rc;
}

const char *iosampler_notes(const struct iosampler *s)
{
	return s->notes.len ? s->notes.data : NULL;
}

static int write_error(FILE *fp, const char *kind, const char *host, double t,
		       const struct tp_error *e)
{
	char msg[1024];
	struct jsonw w;

	jsonw_init(&w, fp);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, SERIES_TYPE, SERIES_TYPE_ERROR);
	jsonw_kv_string(&w, SERIES_ERROR_SOURCE, kind);
	jsonw_kv_string(&w, SERIES_HOST, host);
	jsonw_kv_double(&w, SERIES_TIME, t, 3);
	jsonw_kv_string(&w, SERIES_ERROR_MESSAGE, tp_error_format(e, msg, sizeof(msg)));
	jsonw_object_end(&w);
	return jsonw_end_line(&w);
}

int iosampler_tick(struct iosampler *s, FILE *io, FILE *threads, struct tp_error *err)
{
	int partial = 0;
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct source *src = &s->src[i];
		FILE *fp = src->kind == SRC_THREADS ? threads : io;
		struct tp_error e;
		double t = now_s();
		int rc, have = 0;

		if (!fp)
			continue;
		tp_error_init(&e);
		if (src->kind == SRC_DISKS) {
			rc = disksampler_sample(src->ds, s->root, NULL, &s->ir, &e);
			/* The first report covers the time since boot: not a sample. */
			if (rc == 0 && !s->ir.since_boot)
				rc = iostat_write_json(fp, &s->ir, disksampler_host(src->ds), t, 1,
						       err);
			else if (rc < 0)
				goto failed;
			if (rc < 0)
				return rc;
			continue;
		}
		rc = tasksampler_sample(src->ts, s->root, &s->tr, &have, &e);
		if (rc < 0)
			goto failed;
		if (!have)
			continue;
		if (src->kind == SRC_PROCS) {
			taskrate_order(&s->tr, TASKRATE_BY_IO);
			rc = taskrate_write_json(fp, SERIES_TYPE_IOTOP, &s->tr, NULL, 0,
						 tasksampler_host(src->ts), 0, t, err);
		} else {
			struct task_pool *pools = NULL;
			size_t np = 0;

			taskrate_order(&s->tr, TASKRATE_BY_CPU);
			rc = taskrate_pools(&s->tr, &pools, &np, err);
			if (rc == 0)
				rc = taskrate_write_json(fp, SERIES_TYPE_THREADS, &s->tr, pools, np,
							 tasksampler_host(src->ts), src->pid, t,
							 err);
			free(pools);
		}
		if (rc < 0)
			return rc;
		continue;
failed:
		partial = 1;
		rc = write_error(fp, src->kind == SRC_DISKS ? SERIES_TYPE_IOSTAT :
				 src->kind == SRC_PROCS ? SERIES_TYPE_IOTOP : SERIES_TYPE_THREADS,
				 src->ds ? disksampler_host(src->ds) : tasksampler_host(src->ts),
				 t, &e);
		if (rc < 0)
			return tp_error_msg(err, rc, "cannot write the IO time series");
	}
	s->ticks++;
	return partial ? 3 : 0;
}

void iosampler_free(struct iosampler *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		disksampler_free(s->src[i].ds);
		tasksampler_free(s->src[i].ts);
	}
	free(s->src);
	free(s->root);
	iostat_report_free(&s->ir);
	taskrate_report_free(&s->tr);
	buf_free(&s->notes);
	free(s);
}
