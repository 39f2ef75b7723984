/* tasksampler.c - see tasksampler.h */
#include "collectors/proc/tasksampler.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzers/base/buf.h"
#include "analyzers/bundle/schema.h"
#include "analyzers/metrics/exporter.h"
#include "collectors/net/http.h"
#include "collectors/proc/procstat.h"
#include "collectors/proc/taskstats.h"

#define TASK_METRICS_MAX ((size_t)64 << 20)
#define TASKSAMPLER_MAX_TASKS (1 << 22)

struct sampleset {
	struct task_sample *s;
	size_t n, cap;
	double time_s;		/* when it was taken (uptime or monotonic) */
};

struct tasksampler {
	struct tasksampler_opts o;
	int64_t *pids;
	char *url;
	char host[256];
	struct taskstats_conn *tsc;
	char delay_note[600];
	struct sampleset set[2];
	int cur, have_prev;
	double clk_tck;
	struct buf body;
	size_t exited;		/* tasks gone between listing and reading */
};

int tasksampler_new(struct tasksampler **out, const struct tasksampler_opts *o,
		    struct tp_error *err)
{
	struct tasksampler *ts;
	struct tp_error terr;

	*out = NULL;
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return tp_error_msg(err, -ENOMEM, "out of memory");
	ts->o = *o;
	ts->clk_tck = (double)procstat_clk_tck();
	buf_init(&ts->body, TASK_METRICS_MAX);
	snprintf(ts->host, sizeof(ts->host), "%s", BUNDLE_HOST_LOCAL);
	if (o->npids) {
		ts->pids = malloc(o->npids * sizeof(*ts->pids));
		if (!ts->pids)
			goto nomem;
		memcpy(ts->pids, o->pids, o->npids * sizeof(*ts->pids));
		ts->o.pids = ts->pids;
	}
	if (o->tikv) {
		size_t n = strlen(o->tikv) + 32;
		const char *hp = o->tikv;
		int has_scheme = strncmp(hp, "http://", 7) == 0 || strncmp(hp, "https://", 8) == 0;

		ts->url = malloc(n);
		if (!ts->url)
			goto nomem;
		if (has_scheme) {
			snprintf(ts->url, n, "%s", o->tikv);
			hp = strchr(hp, ':') + 3;
		} else {
			snprintf(ts->url, n, "http://%s/metrics", o->tikv);
		}
		snprintf(ts->host, sizeof(ts->host), "%.*s", (int)strcspn(hp, "/"), hp);
		if (o->delay)
			snprintf(ts->delay_note, sizeof(ts->delay_note),
				 "IO wait %% is not available from TiKV's metrics");
	} else if (o->delay) {
		tp_error_init(&terr);
		if (taskstats_open(&ts->tsc, o->root, &terr) < 0)
			snprintf(ts->delay_note, sizeof(ts->delay_note), "IO wait %% not shown: %s",
				 terr.msg);
	}
	*out = ts;
	return 0;
nomem:
	tasksampler_free(ts);
	return tp_error_msg(err, -ENOMEM, "out of memory");
}

const char *tasksampler_delay_note(const struct tasksampler *ts)
{
	return ts->delay_note[0] ? ts->delay_note : NULL;
}

const char *tasksampler_host(const struct tasksampler *ts)
{
	return ts->host;
}

static struct task_sample *new_sample(struct sampleset *set, struct tp_error *err)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 1024;
		struct task_sample *s;

		if (cap > TASKSAMPLER_MAX_TASKS) {
			tp_error_msg(err, -E2BIG, "more than %d tasks", TASKSAMPLER_MAX_TASKS);
			return NULL;
		}
		s = realloc(set->s, cap * sizeof(*s));
		if (!s) {
			tp_error_msg(err, -ENOMEM, "out of memory");
			return NULL;
		}
		set->s = s;
		set->cap = cap;
	}
	memset(&set->s[set->n], 0, sizeof(set->s[0]));
	return &set->s[set->n++];
}

/* Sample one process (tid 0) or thread. 0, or a negative errno that stops
 * the walk; a task that is gone is dropped and counted. */
static int cmp_key(const void *a, const void *b)
{
	const struct task_sample *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* io_only: a task seen last time whose IO counters did not go down is the
 * same task; its command and start time are taken from then. */
static int sample_io_only(struct tasksampler *ts, struct procstat *ps, struct sampleset *set,
			  const struct task_sample *old, struct procstat_io *io, int *io_rc,
			  struct tp_error *err)
{
	struct task_sample *t;

	*io_rc = procstat_read_io(ps, old->pid, old->tid, io, err);
	if (*io_rc < 0 || io->rchar < old->rchar || io->wchar < old->wchar ||
	    io->syscr < old->syscr || io->syscw < old->syscw ||
	    io->read_bytes < old->read_bytes || io->write_bytes < old->write_bytes)
		return 0;
	t = new_sample(set, err);
	if (!t)
		return err->code;
	t->pid = old->pid;
	t->tid = old->tid;
	t->start = old->start;
	memcpy(t->comm, old->comm, sizeof(t->comm));
	t->rchar = io->rchar;
	t->wchar = io->wchar;
	t->syscr = io->syscr;
	t->syscw = io->syscw;
	t->read_bytes = io->read_bytes;
	t->write_bytes = io->write_bytes;
	t->cancelled_write_bytes = io->cancelled_write_bytes;
	t->have = TASK_HAVE_IO;
	return 1;
}

static int sample_task(struct tasksampler *ts, struct procstat *ps, struct sampleset *set,
		       int64_t pid, int64_t tid, struct tp_error *err)
{
	struct procstat_stat st;
	struct procstat_io io;
	struct task_sample *t;
	int rc, io_rc = 1;

	if (ts->o.io_only && ts->have_prev) {
		const struct sampleset *prev = &ts->set[ts->cur];
		struct task_sample key, *old;

		key.pid = pid;
		key.tid = tid;
		old = prev->n ? bsearch(&key, prev->s, prev->n, sizeof(key), cmp_key) : NULL;
		if (old && (old->have & TASK_HAVE_IO)) {
			rc = sample_io_only(ts, ps, set, old, &io, &io_rc, err);
			if (rc != 0)
				return rc < 0 ? rc : 0;
		}
	}
	rc = procstat_read_stat(ps, pid, tid, &st, err);
	if (rc == -ENOENT || rc == -EACCES || rc == -EBADMSG) {
		/* Gone (or, for a malformed file, unusable): skip it. */
		ts->exited++;
		return 0;
	}
	if (rc < 0)
		return rc;
	t = new_sample(set, err);
	if (!t)
		return err->code;
	t->pid = pid;
	t->tid = tid;
	t->start = st.starttime + 1;	/* 0 means unknown */
	snprintf(t->comm, sizeof(t->comm), "%s", st.comm);
	if (!ts->o.io_only) {
		t->cpu_user = (double)st.utime / ts->clk_tck;
		t->cpu_sys = (double)st.stime / ts->clk_tck;
		t->cpu_total = (double)(st.utime + st.stime) / ts->clk_tck;
		t->have = TASK_HAVE_CPU | TASK_HAVE_SPLIT;
	}
	if (ts->o.io || ts->o.io_only) {
		/* Read already (io_only, counters went down): use it. */
		rc = io_rc <= 0 ? io_rc : procstat_read_io(ps, pid, tid, &io, err);
		if (rc == 0) {
			t->rchar = io.rchar;
			t->wchar = io.wchar;
			t->syscr = io.syscr;
			t->syscw = io.syscw;
			t->read_bytes = io.read_bytes;
			t->write_bytes = io.write_bytes;
			t->cancelled_write_bytes = io.cancelled_write_bytes;
			t->have |= TASK_HAVE_IO;
		} else if (rc == -EACCES) {
			t->have |= TASK_IO_DENIED;
		} else if (rc == -EBADMSG) {
			set->n--;
			ts->exited++;
			return 0;
		} else if (rc != -ENOENT) {
			return rc;
		}
		/* -ENOENT after a good stat: no IO accounting, or it just exited. */
	}
	if (ts->tsc) {
		struct taskstats_delay d;
		struct tp_error terr;

		tp_error_init(&terr);
		if (taskstats_get(ts->tsc, pid, tid, &d, &terr) == 0) {
			t->blkio_delay_ns = d.blkio_delay_ns;
			t->have |= TASK_HAVE_DELAY;
		}
	}
	return 0;
}

static int sample_local(struct tasksampler *ts, const char *root, struct sampleset *set,
			struct tp_error *err)
{
	struct procstat *ps = NULL;
	const int64_t *ids;
	int64_t *pids = NULL;
	size_t n, i, found = 0;
	uint64_t up;
	int rc;

	rc = procstat_open(&ps, root, err);
	if (rc < 0)
		return rc;
	rc = procstat_uptime(ps, &up, err);
	if (rc < 0)
		goto out;
	set->time_s = (double)up / 100;
	if (ts->o.npids) {
		pids = malloc(ts->o.npids * sizeof(*pids));
		if (!pids) {
			rc = tp_error_msg(err, -ENOMEM, "out of memory");
			goto out;
		}
		memcpy(pids, ts->o.pids, ts->o.npids * sizeof(*pids));
		n = ts->o.npids;
	} else {
		rc = procstat_list(ps, 0, &ids, &n, err);
		if (rc < 0)
			goto out;
		pids = malloc((n ? n : 1) * sizeof(*pids));
		if (!pids) {
			rc = tp_error_msg(err, -ENOMEM, "out of memory");
			goto out;
		}
		memcpy(pids, ids, n * sizeof(*pids));
	}
	for (i = 0; i < n; i++) {
		size_t before = set->n, k, nt;

		if (!ts->o.threads) {
			rc = sample_task(ts, ps, set, pids[i], 0, err);
			if (rc < 0)
				goto out;
			found += set->n > before;
			continue;
		}
		rc = procstat_list(ps, pids[i], &ids, &nt, err);
		if (rc == -ENOENT) {
			ts->exited++;
			continue;
		}
		if (rc < 0)
			goto out;
		found++;
		for (k = 0; k < nt; k++) {
			rc = sample_task(ts, ps, set, pids[i], ids[k], err);
			if (rc < 0)
				goto out;
		}
	}
	rc = 0;
	if (ts->o.npids && !found) {
		rc = tp_error_msg(err, -ESRCH, "no such process: %lld%s",
				  (long long)ts->o.pids[0], ts->o.npids > 1 ? " (nor the others)" : "");
		goto out;
	}
out:
	free(pids);
	procstat_close(ps);
	return rc;
}

static int sample_tikv(struct tasksampler *ts, struct sampleset *set, struct tp_error *err)
{
	struct http_opts o = { ts->o.timeout_ms > 0 ? ts->o.timeout_ms : 10000,
			       TASK_METRICS_MAX };
	struct task_sample *s;
	struct timespec now;
	size_t n, i;
	int rc;

	rc = http_get(ts->url, &o, &ts->body, err);
	if (rc < 0)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &now);
	rc = exporter_tikv_threads(ts->url, ts->body.data, ts->body.len, &s, &n, err);
	if (rc < 0)
		return rc;
	free(set->s);
	set->s = s;
	set->n = set->cap = n;
	set->time_s = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
	for (i = 0; i < n; i++)
		s[i].pid = 0;
	return 0;
}

int tasksampler_sample(struct tasksampler *ts, const char *root, struct taskrate_report *rep,
		       int *have_report, struct tp_error *err)
{
	int next = ts->have_prev ? !ts->cur : ts->cur;
	struct sampleset *set = &ts->set[next], *prev = &ts->set[ts->cur];
	int rc;

	*have_report = 0;
	set->n = 0;
	ts->exited = 0;
	rc = ts->url ? sample_tikv(ts, set, err) : sample_local(ts, root, set, err);
	if (rc < 0)
		return rc;
	taskrate_sort(set->s, set->n);
	if (ts->have_prev) {
		rc = taskrate_build(rep, prev->s, prev->n, set->s, set->n,
				    set->time_s - prev->time_s, err);
		if (rc < 0)
			return rc;
		if (ts->exited)
			buf_printf(&rep->notes, "%zu task%s vanished or unreadable while being read (skipped)\n",
				   ts->exited, ts->exited == 1 ? "" : "s");
		*have_report = 1;
	}
	ts->cur = next;
	ts->have_prev = 1;
	return 0;
}

void tasksampler_free(struct tasksampler *ts)
{
	if (!ts)
		return;
	taskstats_close(ts->tsc);
	free(ts->set[0].s);
	free(ts->set[1].s);
	free(ts->pids);
	free(ts->url);
	buf_free(&ts->body);
	free(ts);
}
