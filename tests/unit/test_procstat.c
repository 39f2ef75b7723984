/* test_procstat.c - /proc/PID/{stat,io} parsing and reading, task rates,
 * TiKV pools, against the fake trees and the real /proc. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyzers/metrics/taskrate.h"
#include "check.h"
#include "collectors/proc/procstat.h"
#include "collectors/proc/tasksampler.h"

static const char *top(void)
{
	const char *t = getenv("TOP");

	return t && *t ? t : ".";
}

static void tree(const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/tests/fixtures/proc/%s", top(), name);
}

static void test_parse_stat(void)
{
	static const char line[] =
		"14897 (raftstore-0) R 14892 14892 3462 0 -1 4194368 81 0 0 0 66 3 0 0 20 0 3 0 "
		"66618 141508608 566 18446744073709551615 93958986760336 93958987036592 "
		"140725258518704 0 0 0 0 4102 1088 0 0 0 -1 1 0 0 0 0 0 93958987056360 "
		"93958987058864 93959180726272 140725258525291 140725258525316 140725258525316 "
		"140725258526697 0\n";
	struct procstat_stat st;
	struct tp_error err;
	const char *s;

	CHECK_EQ_INT(procstat_parse_stat(line, strlen(line), &st, &err), 0);
	CHECK_EQ_INT(st.pid, 14897);
	CHECK_EQ_STR(st.comm, "raftstore-0");
	CHECK_EQ_INT(st.state, 'R');
	CHECK_EQ_INT(st.ppid, 14892);
	CHECK_EQ_INT(st.utime, 66);
	CHECK_EQ_INT(st.stime, 3);
	CHECK_EQ_INT(st.num_threads, 3);
	CHECK_EQ_INT(st.starttime, 66618);
	CHECK_EQ_INT(st.processor, 1);

	/* spaces and parentheses in the command: the last ')' ends it */
	s = "7 (a) b (c) ) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 99";
	CHECK_EQ_INT(procstat_parse_stat(s, strlen(s), &st, &err), 0);
	CHECK_EQ_STR(st.comm, "a) b (c) ");
	CHECK_EQ_INT(st.utime, 5);
	CHECK_EQ_INT(st.starttime, 99);
	CHECK_EQ_INT(st.processor, -1);
	/* a newline in the command */
	s = "8 (x\ny) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 3\n";
	CHECK_EQ_INT(procstat_parse_stat(s, strlen(s), &st, &err), 0);
	CHECK_EQ_STR(st.comm, "x\ny");
	/* a long (kworker-style) name is cut, not an error */
	s = "9 (kworker/u8:2-events_unbound_with_a_very_long_workqueue_name_indeed_yes) I "
	    "2 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 3";
	CHECK_EQ_INT(procstat_parse_stat(s, strlen(s), &st, &err), 0);
	CHECK_EQ_INT(strlen(st.comm), PROCSTAT_COMM_MAX - 1);

	s = "9 (x) S 1 1 1 0 -1 0 0 0 0 0 1 2";	/* too few fields */
	CHECK_EQ_INT(procstat_parse_stat(s, strlen(s), &st, &err), -EBADMSG);
	s = "9 (x S 1";
	CHECK_EQ_INT(procstat_parse_stat(s, strlen(s), &st, &err), -EBADMSG);
	s = "(x) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 3";
	CHECK_EQ_INT(procstat_parse_stat(s, strlen(s), &st, &err), -EBADMSG);
	s = "9 (x) S 1 1 1 0 -1 0 0 0 0 0 1x 2 0 0 20 0 1 0 3";
	CHECK_EQ_INT(procstat_parse_stat(s, strlen(s), &st, &err), -EBADMSG);
	s = "9 (x)  S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 3";
	CHECK_EQ_INT(procstat_parse_stat(s, strlen(s), &st, &err), -EBADMSG);
	CHECK(strchr(err.msg, '\n') == NULL);
}

static void test_parse_io(void)
{
	static const char text[] = "rchar: 8723264\nwchar: 8650752\nsyscr: 143\nsyscw: 132\n"
				   "read_bytes: 0\nwrite_bytes: 8716288\n"
				   "cancelled_write_bytes: 16777216\n";
	struct procstat_io io;
	struct tp_error err;

	CHECK_EQ_INT(procstat_parse_io(text, strlen(text), &io, &err), 0);
	CHECK_EQ_INT(io.rchar, 8723264);
	CHECK_EQ_INT(io.syscw, 132);
	CHECK_EQ_INT(io.write_bytes, 8716288);
	CHECK_EQ_INT(io.cancelled_write_bytes, 16777216);
	/* a missing field, a bad number */
	CHECK_EQ_INT(procstat_parse_io(text, strlen(text) - 34, &io, &err), -EBADMSG);
	CHECK(strstr(err.msg, "cancelled_write_bytes") != NULL);
	CHECK_EQ_INT(procstat_parse_io("rchar: x\n", 9, &io, &err), -EBADMSG);
}

static void test_read_tree(void)
{
	struct procstat *ps = NULL;
	struct procstat_stat st;
	struct procstat_io io;
	struct tp_error err;
	const int64_t *ids;
	char root[4096];
	uint64_t up;
	size_t n;

	tree("t0", root, sizeof(root));
	tp_error_init(&err);
	CHECK_EQ_INT(procstat_open(&ps, root, &err), 0);
	if (!ps)
		return;
	CHECK_EQ_INT(procstat_list(ps, 0, &ids, &n, &err), 0);
	CHECK_EQ_INT(n, 4);
	CHECK(n == 4 && ids[0] == 100 && ids[3] == 400);
	CHECK_EQ_INT(procstat_list(ps, 100, &ids, &n, &err), 0);
	CHECK(n == 4 && ids[1] == 101);
	CHECK_EQ_INT(procstat_list(ps, 999, &ids, &n, &err), -ENOENT);
	CHECK_EQ_INT(procstat_read_stat(ps, 200, 0, &st, &err), 0);
	CHECK_EQ_STR(st.comm, "(sd) pam) x");
	CHECK_EQ_INT(procstat_read_stat(ps, 100, 101, &st, &err), 0);
	CHECK_EQ_STR(st.comm, "raftstore-1-0");
	CHECK_EQ_INT(procstat_read_io(ps, 100, 0, &io, &err), 0);
	CHECK_EQ_INT(io.write_bytes, 8192);
	/* exited between listing and reading; a truncated file */
	CHECK_EQ_INT(procstat_read_stat(ps, 300, 0, &st, &err), -ENOENT);
	CHECK_EQ_INT(procstat_read_io(ps, 300, 0, &io, &err), -ENOENT);
	CHECK_EQ_INT(procstat_read_stat(ps, 400, 0, &st, &err), -EBADMSG);
	CHECK_EQ_INT(procstat_uptime(ps, &up, &err), 0);
	CHECK_EQ_INT(up, 10000);
	procstat_close(ps);
}

/* Another user's /proc/PID/io is not readable without privilege. */
static void test_denied(void)
{
	pid_t child;
	int status;

	if (geteuid() != 0) {
		struct procstat *ps;
		struct procstat_io io;
		struct tp_error err;

		if (procstat_open(&ps, NULL, &err) == 0) {
			CHECK_EQ_INT(procstat_read_io(ps, 1, 0, &io, &err), -EACCES);
			procstat_close(ps);
		}
		return;
	}
	child = fork();
	if (child == 0) {
		struct procstat *ps;
		struct procstat_io io;
		struct tp_error err;
		int rc;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		if (procstat_open(&ps, NULL, &err) < 0)
			_exit(3);
		rc = procstat_read_io(ps, 1, 0, &io, &err);
		procstat_close(ps);
		_exit(rc == -EACCES ? 0 : 4);
	}
	CHECK(child > 0);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static const struct task_rate *find(const struct taskrate_report *r, int64_t pid, int64_t tid)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->rate[i].s->pid == pid && r->rate[i].s->tid == tid)
			return &r->rate[i];
	return NULL;
}

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* t0 -> t1 is 2.00 s. Process 100: read_bytes +204800 -> 102400 B/s,
 * write_bytes +409600 -> 204800 B/s, cancelled +4096 -> 2048 B/s, syscr
 * +100 -> 50/s, syscw +200 -> 100/s; utime +150 ticks = 1.5 s -> 75 %,
 * stime +60 -> 30 %. */
static void test_sampler_processes(void)
{
	struct tasksampler_opts o;
	struct tasksampler *ts = NULL;
	struct taskrate_report r;
	const struct task_rate *t;
	struct tp_error err;
	char t0[4096], t1[4096];
	int have;

	tree("t0", t0, sizeof(t0));
	tree("t1", t1, sizeof(t1));
	memset(&o, 0, sizeof(o));
	o.io = 1;
	o.delay = 1;
	o.root = t0;
	taskrate_report_init(&r);
	CHECK_EQ_INT(tasksampler_new(&ts, &o, &err), 0);
	if (!ts)
		return;
	CHECK(strstr(tasksampler_delay_note(ts), "recorded /proc tree") != NULL);
	CHECK_EQ_INT(tasksampler_sample(ts, t0, &r, &have, &err), 0);
	CHECK_EQ_INT(have, 0);
	CHECK_EQ_INT(tasksampler_sample(ts, t1, &r, &have, &err), 0);
	CHECK_EQ_INT(have, 1);
	CHECK(NEAR(r.interval_s, 2.0));
	CHECK_EQ_INT(r.n, 3);
	t = find(&r, 100, 0);
	CHECK(t != NULL);
	if (t) {
		CHECK(NEAR(t->read_bps, 102400));
		CHECK(NEAR(t->write_bps, 204800));
		CHECK(NEAR(t->cancelled_bps, 2048));
		CHECK(NEAR(t->syscr_ps, 50));
		CHECK(NEAR(t->syscw_ps, 100));
		CHECK(NEAR(t->user_pct, 75));
		CHECK(NEAR(t->sys_pct, 30));
		CHECK(NEAR(t->cpu_pct, 105));
	}
	t = find(&r, 200, 0);
	CHECK(t && NEAR(t->read_bps, 1024) && !t->is_new);
	t = find(&r, 500, 0);
	CHECK(t && t->is_new && t->read_bps == 0);
	CHECK_EQ_STR(r.notes.data, "2 tasks vanished or unreadable while being read (skipped)\n");
	taskrate_report_free(&r);
	tasksampler_free(ts);
}

/* Threads of 100: raftstore-1-0 +100 user +30 sys ticks in 2 s -> 50 % +
 * 15 %; grpc-server-1 15 % + 10 %; unified-read-po (truncated) and the
 * main thread 5 % + 2.5 % each. */
static void test_sampler_threads(void)
{
	struct tasksampler_opts o;
	struct tasksampler *ts = NULL;
	struct taskrate_report r;
	struct task_pool *pools = NULL;
	struct tp_error err;
	char t0[4096], t1[4096];
	int64_t pid = 100;
	size_t np = 0;
	int have;

	tree("t0", t0, sizeof(t0));
	tree("t1", t1, sizeof(t1));
	memset(&o, 0, sizeof(o));
	o.threads = 1;
	o.io = 1;
	o.pids = &pid;
	o.npids = 1;
	taskrate_report_init(&r);
	CHECK_EQ_INT(tasksampler_new(&ts, &o, &err), 0);
	if (!ts)
		return;
	CHECK(tasksampler_delay_note(ts) == NULL);
	CHECK_EQ_INT(tasksampler_sample(ts, t0, &r, &have, &err), 0);
	CHECK_EQ_INT(tasksampler_sample(ts, t1, &r, &have, &err), 0);
	CHECK_EQ_INT(r.n, 4);
	taskrate_order(&r, TASKRATE_BY_CPU);
	CHECK_EQ_STR(r.rate[0].s->comm, "raftstore-1-0");
	CHECK(NEAR(r.rate[0].user_pct, 50) && NEAR(r.rate[0].sys_pct, 15));
	CHECK(NEAR(r.rate[0].cpu_seconds, 7.3));
	CHECK(NEAR(r.rate[0].write_bps, 204800));
	CHECK_EQ_STR(r.rate[1].s->comm, "grpc-server-1");
	CHECK(NEAR(r.rate[1].cpu_pct, 25));
	CHECK_EQ_INT(taskrate_pools(&r, &pools, &np, &err), 0);
	CHECK_EQ_INT(np, 4);
	if (np == 4) {
		CHECK_EQ_STR(pools[0].name, "raftstore");
		CHECK_EQ_STR(pools[1].name, "grpc-server");
		CHECK_EQ_STR(pools[2].name, "tikv-server");
		CHECK_EQ_STR(pools[3].name, "unified-read-pool");
		CHECK(NEAR(pools[3].cpu_pct, 7.5));
	}
	free(pools);
	/* the process is gone */
	pid = 999;
	tasksampler_free(ts);
	ts = NULL;
	CHECK_EQ_INT(tasksampler_new(&ts, &o, &err), 0);
	CHECK_EQ_INT(tasksampler_sample(ts, t0, &r, &have, &err), -ESRCH);
	taskrate_report_free(&r);
	tasksampler_free(ts);
}

static void test_rates(void)
{
	struct task_sample a[2], b[2];
	struct taskrate_report r;
	struct tp_error err;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	a[0].pid = b[0].pid = 1;
	a[1].pid = b[1].pid = 2;
	a[0].have = b[0].have = a[1].have = b[1].have = TASK_HAVE_IO | TASK_HAVE_CPU;
	a[0].write_bytes = 1000;
	b[0].write_bytes = 10;		/* went down */
	a[0].cpu_total = 5;
	b[0].cpu_total = 6;
	a[1].start = 7;
	b[1].start = 8;			/* pid reused */
	taskrate_report_init(&r);
	CHECK_EQ_INT(taskrate_build(&r, a, 2, b, 2, 0.5, &err), 0);
	CHECK(r.rate[0].write_bps == 0);
	CHECK(NEAR(r.rate[0].cpu_pct, 200));
	CHECK(r.rate[1].is_new);
	CHECK_EQ_STR(r.notes.data, "1 task: a counter went down, counted as 0\n"
		     "1 task id reused by a new task, counted from its start\n");
	taskrate_report_free(&r);
}

/* The running system: our own process and thread. */
static void test_live(void)
{
	struct procstat *ps = NULL;
	struct procstat_stat st;
	struct procstat_io io;
	struct tp_error err;

	CHECK_EQ_INT(procstat_open(&ps, "/", &err), 0);
	if (!ps)
		return;
	CHECK_EQ_INT(procstat_read_stat(ps, getpid(), 0, &st, &err), 0);
	CHECK_EQ_INT(st.pid, getpid());
	CHECK_EQ_INT(procstat_read_stat(ps, getpid(), getpid(), &st, &err), 0);
	CHECK_EQ_INT(procstat_read_io(ps, getpid(), 0, &io, &err), 0);
	CHECK(io.rchar > 0);
	procstat_close(ps);
}

int main(void)
{
	RUN(test_parse_stat);
	RUN(test_parse_io);
	RUN(test_read_tree);
	RUN(test_denied);
	RUN(test_sampler_processes);
	RUN(test_sampler_threads);
	RUN(test_rates);
	RUN(test_live);
	return CHECK_DONE();
}
