/* io.c - the IO and thread observers: iostat, iotop, threads. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "analyzers/base/error.h"
#include "analyzers/metrics/iostat.h"
#include "analyzers/metrics/taskrate.h"
#include "cli/cli.h"
#include "collectors/proc/disksampler.h"
#include "collectors/net/http.h"
#include "collectors/proc/tasksampler.h"

#define MAX_LIST 256

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* ---- options shared by the three commands ---- */

enum { OPT_JSON = 256, OPT_ROOT, OPT_NODE, OPT_TIKV, OPT_THREADS, OPT_GROUP, OPT_TIMEOUT,
       OPT_EXTENDED, OPT_SKIP_BOOT, OPT_DEVICE_REPORT, OPT_ONLY, OPT_PIDS, OPT_DEVICES };

#define JSON_OPTION { .name = "json", .id = OPT_JSON, \
	.help = "one JSON object per report, on one line" }
#define ROOT_OPTION { .name = "root", .id = OPT_ROOT, .arg = CLI_STRING, .value = "DIR", \
	.help = "read DIR/proc (tests; repeat for successive\nsnapshots, read without waiting)" }
#define TIMEOUT_MS_MAX 3600000

struct loop {
	double interval;	/* seconds; 0: none given */
	long count;		/* reports to print; -1: until interrupted */
	const char *roots[MAX_LIST];
	size_t nroots;
	int json;
	long timeout_ms;
};

/* Add the comma-separated items of arg to list. 0 or -1 (too many). */
static int add_list(const char *arg, const char **list, size_t *n, char **owned)
{
	char *copy = strdup(arg), *tok, *save = NULL;

	*owned = copy;
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == MAX_LIST)
			return -1;
		list[(*n)++] = tok;
	}
	return 0;
}

/* INTERVAL [COUNT] from the operands argv[ind..]. 0 or EXIT_USAGE. */
static int parse_operands(const char *cmd, int argc, char **argv, int ind, struct loop *lp)
{
	if (ind < argc) {
		if (cli_want_double(cmd, "INTERVAL", argv[ind], 0.01, 86400, &lp->interval))
			return EXIT_USAGE;
		ind++;
		lp->count = -1;
	}
	if (ind < argc) {
		if (cli_want_int(cmd, "COUNT", argv[ind], 1, 1000000000L, &lp->count))
			return EXIT_USAGE;
		ind++;
	}
	if (ind < argc)
		return cli_usage_error(cmd, "unexpected argument \"%s\"", argv[ind]);
	return 0;
}

/* --root DIR, once more. */
static void root_option(struct cli_args *a, struct loop *lp)
{
	if (lp->nroots == MAX_LIST)
		cli_fail(a, "too many (at most %d)", MAX_LIST);
	else
		lp->roots[lp->nroots++] = a->arg;
}

/* The /proc root of sample i: --root values in turn, the last repeating. */
static const char *root_of(const struct loop *lp, long i)
{
	if (lp->nroots == 0)
		return NULL;
	return lp->roots[(size_t)i < lp->nroots ? (size_t)i : lp->nroots - 1];
}

static void next_deadline(struct timespec *t, double interval)
{
	long long ns = (long long)llround(interval * 1e9);

	t->tv_sec += (time_t)(ns / 1000000000LL);
	t->tv_nsec += (long)(ns % 1000000000LL);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* Sleep until the deadline (CLOCK_MONOTONIC). Recorded /proc trees are
 * read back to back. 0, or -1 when interrupted. */
static int wait_until(const struct loop *lp, const struct timespec *deadline)
{
	if (lp->nroots)
		return stop_flag ? -1 : 0;
	while (!stop_flag) {
		int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, deadline, NULL);

		if (rc == 0)
			return 0;
		if (rc != EINTR)
			return -1;
	}
	return -1;
}

static double wall_time(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Notes to stderr (text output), once each per report. */
static void print_notes(const struct buf *notes)
{
	const char *p = notes->data, *end = p ? p + notes->len : NULL;

	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			nl = end;
		fprintf(stderr, "tiprof: note: %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
}

/* ---- iostat ---- */

static void iostat_banner(const char *remote)
{
	struct utsname u;
	char date[64];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	/* iostat's date, %x in the C locale. */
	snprintf(date, sizeof(date), "%02d/%02d/%02d", tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_year % 100);
	if (remote) {
		printf("node_exporter %s \t%s\n\n", remote, date);
		return;
	}
	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	printf("%s %s (%s) \t%s \t_%s_\t(%ld CPU)\n\n", u.sysname, u.release, u.nodename, date,
	       u.machine, sysconf(_SC_NPROCESSORS_CONF));
}

static const struct cli_option iostat_options[] = {
	{ .letter = 'x', .id = OPT_EXTENDED,
	  .help = "extended figures (r/s .. %util), as iostat -x" },
	{ .letter = 'y', .id = OPT_SKIP_BOOT, .help = "skip the report since boot" },
	{ .letter = 'd', .id = OPT_DEVICE_REPORT,
	  .help = "the device report (the only one; as iostat -d)" },
	{ .letter = 'p', .id = OPT_DEVICES, .arg = CLI_STRING, .value = "DEV[,DEV..]",
	  .help = "only these devices (shown even when idle); without\n"
		  "it, devices with no IO in the interval are hidden" },
	JSON_OPTION,
	{ .name = "node-exporter", .id = OPT_NODE, .arg = CLI_STRING, .value = "H:P",
	  .help = "read node_exporter's /metrics on H:P instead" },
	{ .name = "timeout", .id = OPT_TIMEOUT, .arg = CLI_INT, .value = "MS",
	  .min = 1, .max = TIMEOUT_MS_MAX,
	  .help = "per fetch from node_exporter (default 10000)" },
	ROOT_OPTION,
	CLI_END
};

static int cmd_iostat(int argc, char **argv)
{
	struct cli_args a;
	const char *devs[MAX_LIST], *node = NULL;
	char *owned[MAX_LIST];
	size_t ndevs = 0, nowned = 0, i;
	struct loop lp = { 0, 1, { NULL }, 0, 0, 10000 };
	struct iostat_select sel;
	struct iostat_report rep;
	struct disksampler *ds = NULL;
	struct timespec deadline;
	struct tp_error err;
	int extended = 0, skip_boot = 0, c, rc = EXIT_OK, curl_on = 0;
	long printed = 0, sample;

	iostat_report_init(&rep);
	cli_args_init(&a, &command_iostat, argc, argv);
	while ((c = cli_next(&a)) > 0) {
		switch (c) {
		case OPT_EXTENDED: extended = 1; break;
		case OPT_SKIP_BOOT: skip_boot = 1; break;
		case OPT_DEVICE_REPORT: break;	/* iostat's "device report": the only one */
		case OPT_DEVICES:
			if (nowned == MAX_LIST ||
			    add_list(a.arg, devs, &ndevs, &owned[nowned++]) < 0)
				cli_fail(&a, "too many devices (at most %d)", MAX_LIST);
			break;
		case OPT_JSON: lp.json = 1; break;
		case OPT_ROOT: root_option(&a, &lp); break;
		case OPT_NODE: node = a.arg; break;
		case OPT_TIMEOUT: lp.timeout_ms = a.num; break;
		}
	}
	if (c < 0) {
		rc = a.status;
		goto out;
	}
	if ((rc = parse_operands("iostat", argc, argv, a.ind, &lp)) != 0)
		goto out;
	if (node && lp.nroots) {
		rc = cli_usage_error("iostat", "--node-exporter and --root exclude each other");
		goto out;
	}
	if (lp.interval == 0)
		skip_boot = 0;	/* as iostat: -y needs an interval */
	sel.names = devs;
	sel.n = ndevs;
	tp_error_init(&err);
	if (node) {
		if (http_global_init(&err) < 0)
			goto fail;
		curl_on = 1;
	}
	if (disksampler_new(&ds, node, lp.timeout_ms, &err) < 0)
		goto fail;
	catch_signals();
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	for (sample = 0; lp.count < 0 || printed < lp.count; sample++) {
		if (sample > 0) {
			next_deadline(&deadline, lp.interval);
			if (wait_until(&lp, &deadline) < 0)
				break;
		}
		if (disksampler_sample(ds, root_of(&lp, sample), &sel, &rep, &err) < 0)
			goto fail;
		if (sample == 0 && !lp.json) {
			/* After the first sample worked: nothing printed on failure. */
			iostat_banner(node ? disksampler_host(ds) : NULL);
			if (skip_boot)
				printf("\n");
		}
		if (sample == 0 && skip_boot)
			continue;
		if (lp.json) {
			if (iostat_write_json(stdout, &rep, disksampler_host(ds), wall_time(),
					      extended, &err) < 0)
				goto fail;
		} else {
			print_notes(&rep.notes);
			iostat_write_text(stdout, &rep, extended);
		}
		fflush(stdout);
		printed++;
		if (lp.interval == 0)
			break;
	}
	if (ferror(stdout)) {
		tp_error_msg(&err, -EIO, "cannot write the output");
		goto fail;
	}
	goto out;
fail:
	cli_error(&err);
	rc = EXIT_ERR;
out:
	disksampler_free(ds);
	iostat_report_free(&rep);
	if (curl_on)
		http_global_cleanup();
	for (i = 0; i < nowned; i++)
		free(owned[i]);
	return rc;
}

/* ---- iotop and threads ---- */

/* Seconds as ps prints TIME: [DD-]HH:MM:SS. */
static void format_time(double s, char *out, size_t n)
{
	unsigned long long t = s > 0 ? (unsigned long long)s : 0;
	unsigned long long d = t / 86400, h = t / 3600 % 24, m = t / 60 % 60, sec = t % 60;

	if (d)
		snprintf(out, n, "%llu-%02llu:%02llu:%02llu", d, h, m, sec);
	else
		snprintf(out, n, "%02llu:%02llu:%02llu", h, m, sec);
}

/* A command name as one printable line. */
static void put_comm(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	putchar('\n');
}

static void iotop_text(const struct taskrate_report *r, int threads, int only, int delay)
{
	size_t i;

	printf("%7s%s   kB_rd/s   kB_wr/s kB_ccwr/s   syscr/s   syscw/s%s Command\n", "PID",
	       threads ? "     TID" : "", delay ? "  IO-wait" : "");
	for (i = 0; i < r->n; i++) {
		const struct task_rate *t = &r->rate[i];

		if (only && !(t->read_bps + t->write_bps + t->cancelled_bps > 0))
			continue;
		printf("%7" PRId64, t->s->pid);
		if (threads)
			printf(" %7" PRId64, t->s->tid);
		if (t->s->have & TASK_IO_DENIED)
			printf(" %9s %9s %9s %9s %9s", "-", "-", "-", "-", "-");
		else
			printf(" %9.2f %9.2f %9.2f %9.2f %9.2f", t->read_bps / 1024,
			       t->write_bps / 1024, t->cancelled_bps / 1024, t->syscr_ps,
			       t->syscw_ps);
		if (delay) {
			if (t->have & TASK_HAVE_DELAY)
				printf(" %7.2f%%", t->iowait_pct);
			else
				printf(" %8s", "-");
		}
		putchar(' ');
		put_comm(t->s->comm);
	}
	printf("\n");
}

static void threads_text(const struct taskrate_report *r, const struct task_pool *pools,
			 size_t np, int group)
{
	char tm[32];
	size_t i;

	if (group) {
		printf("%-20s %7s %7s %7s %7s %11s\n", "Pool", "Threads", "%usr", "%system",
		       "%CPU", "TIME");
		for (i = 0; i < np; i++) {
			const struct task_pool *p = &pools[i];
			char name[sizeof(p->name)];
			size_t k;

			for (k = 0; p->name[k]; k++)
				name[k] = (unsigned char)p->name[k] < 0x20 ? '?' : p->name[k];
			name[k] = '\0';
			format_time(p->cpu_seconds, tm, sizeof(tm));
			printf("%-20s %7zu", name, p->threads);
			if (p->have & TASK_HAVE_SPLIT)
				printf(" %7.2f %7.2f", p->user_pct, p->sys_pct);
			else
				printf(" %7s %7s", "-", "-");
			printf(" %7.2f %11s\n", p->cpu_pct, tm);
		}
		printf("\n");
		return;
	}
	printf("%7s %7s %7s %7s %11s Command\n", "TID", "%usr", "%system", "%CPU", "TIME");
	for (i = 0; i < r->n; i++) {
		const struct task_rate *t = &r->rate[i];

		format_time(t->cpu_seconds, tm, sizeof(tm));
		printf("%7" PRId64, t->s->tid);
		if (t->have & TASK_HAVE_SPLIT)
			printf(" %7.2f %7.2f", t->user_pct, t->sys_pct);
		else
			printf(" %7s %7s", "-", "-");
		printf(" %7.2f %11s ", t->cpu_pct, tm);
		put_comm(t->s->comm);
	}
	printf("\n");
}

/* The shared loop of iotop and threads: sample, wait, sample, print. */
static int task_loop(const char *cmd, struct loop *lp, const struct tasksampler_opts *to,
		     int kind_threads, int only, int group, int64_t pid)
{
	struct tasksampler *ts = NULL;
	struct taskrate_report rep;
	struct task_pool *pools = NULL;
	struct timespec deadline;
	struct tp_error err;
	const char *note;
	long printed = 0, sample;
	size_t np = 0;
	int rc = EXIT_OK, have;

	taskrate_report_init(&rep);
	tp_error_init(&err);
	if (lp->interval == 0) {
		lp->interval = 1;
		lp->count = 1;
	}
	if (tasksampler_new(&ts, to, &err) < 0)
		goto fail;
	note = tasksampler_delay_note(ts);
	if (note && !kind_threads)
		fprintf(stderr, "tiprof: note: %s\n", note);
	catch_signals();
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	for (sample = 0; lp->count < 0 || printed < lp->count; sample++) {
		if (sample > 0) {
			next_deadline(&deadline, lp->interval);
			if (wait_until(lp, &deadline) < 0)
				break;
		}
		if (tasksampler_sample(ts, root_of(lp, sample), &rep, &have, &err) < 0)
			goto fail;
		if (!have)
			continue;
		taskrate_order(&rep, kind_threads ? TASKRATE_BY_CPU : TASKRATE_BY_IO);
		free(pools);
		pools = NULL;
		if (group && taskrate_pools(&rep, &pools, &np, &err) < 0)
			goto fail;
		if (lp->json) {
			if (taskrate_write_json(stdout, kind_threads ? "threads" : "iotop", &rep,
						group ? pools : NULL, np, tasksampler_host(ts), pid,
						wall_time(), &err) < 0)
				goto fail;
		} else {
			print_notes(&rep.notes);
			if (kind_threads)
				threads_text(&rep, pools, np, group);
			else
				iotop_text(&rep, to->threads, only, note == NULL && to->delay);
		}
		fflush(stdout);
		printed++;
	}
	if (ferror(stdout)) {
		tp_error_msg(&err, -EIO, "cannot write the output");
		goto fail;
	}
	goto out;
fail:
	fprintf(stderr, "tiprof %s: ", cmd);
	cli_error(&err);
	rc = EXIT_ERR;
out:
	free(pools);
	taskrate_report_free(&rep);
	tasksampler_free(ts);
	return rc;
}

/* -p PID[,PID..]: add to pids. */
static void pids_option(struct cli_args *a, int64_t *pids, size_t *n)
{
	char *copy = strdup(a->arg), *tok, *save = NULL;

	if (!copy) {
		cli_fail(a, "out of memory");
		return;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long v;
		int r = cli_parse_int(tok, 1, 0x7fffffffL, &v);

		if (r < 0) {
			cli_fail(a, "\"%s\" is not a process id (1..%ld)", tok, 0x7fffffffL);
			break;
		}
		if (*n == MAX_LIST) {
			cli_fail(a, "too many processes (at most %d)", MAX_LIST);
			break;
		}
		pids[(*n)++] = v;
	}
	free(copy);
}

static const struct cli_option iotop_options[] = {
	{ .name = "only", .letter = 'o', .id = OPT_ONLY, .help = "only tasks that did disk IO" },
	{ .letter = 'p', .id = OPT_PIDS, .arg = CLI_STRING, .value = "PID[,PID..]",
	  .help = "only these processes" },
	{ .name = "threads", .letter = 't', .id = OPT_THREADS, .help = "one line per thread" },
	JSON_OPTION,
	ROOT_OPTION,
	CLI_END
};

static int cmd_iotop(int argc, char **argv)
{
	struct cli_args a;
	struct loop lp = { 0, 1, { NULL }, 0, 0, 10000 };
	struct tasksampler_opts to;
	int64_t pids[MAX_LIST];
	size_t npids = 0;
	int only = 0, c, rc;

	memset(&to, 0, sizeof(to));
	cli_args_init(&a, &command_iotop, argc, argv);
	while ((c = cli_next(&a)) > 0) {
		switch (c) {
		case OPT_ONLY: only = 1; break;
		case OPT_PIDS: pids_option(&a, pids, &npids); break;
		case OPT_THREADS: to.threads = 1; break;
		case OPT_JSON: lp.json = 1; break;
		case OPT_ROOT: root_option(&a, &lp); break;
		}
	}
	if (c < 0)
		return a.status;
	if ((rc = parse_operands("iotop", argc, argv, a.ind, &lp)) != 0)
		return rc;
	to.pids = pids;
	to.npids = npids;
	to.io = 1;
	to.io_only = 1;
	to.delay = 1;
	to.root = lp.nroots ? lp.roots[0] : NULL;
	return task_loop("iotop", &lp, &to, 0, only, 0, 0);
}

static const struct cli_option threads_options[] = {
	{ .letter = 'p', .id = OPT_PIDS, .arg = CLI_STRING, .value = "PID",
	  .help = "the process" },
	{ .name = "tikv", .id = OPT_TIKV, .arg = CLI_STRING, .value = "H:P",
	  .help = "a TiKV's status port: tikv_thread_cpu_seconds_total\n"
		  "from its /metrics (no user/system split)" },
	{ .name = "group", .id = OPT_GROUP, .arg = CLI_CHOICE, .value = "tikv", .choices = "tikv",
	  .help = "sum per TiKV thread pool (grpc-server, raftstore, ...)" },
	{ .name = "timeout", .id = OPT_TIMEOUT, .arg = CLI_INT, .value = "MS",
	  .min = 1, .max = TIMEOUT_MS_MAX, .help = "per fetch from TiKV (default 10000)" },
	JSON_OPTION,
	ROOT_OPTION,
	CLI_END
};

static int cmd_threads(int argc, char **argv)
{
	struct cli_args a;
	struct loop lp = { 0, 1, { NULL }, 0, 0, 10000 };
	struct tasksampler_opts to;
	struct tp_error err;
	int64_t pids[MAX_LIST];
	size_t npids = 0;
	int group = 0, c, rc;

	memset(&to, 0, sizeof(to));
	cli_args_init(&a, &command_threads, argc, argv);
	while ((c = cli_next(&a)) > 0) {
		switch (c) {
		case OPT_PIDS: pids_option(&a, pids, &npids); break;
		case OPT_GROUP: group = 1; break;
		case OPT_TIKV: to.tikv = a.arg; break;
		case OPT_TIMEOUT: lp.timeout_ms = a.num; break;
		case OPT_JSON: lp.json = 1; break;
		case OPT_ROOT: root_option(&a, &lp); break;
		}
	}
	if (c < 0)
		return a.status;
	if ((rc = parse_operands("threads", argc, argv, a.ind, &lp)) != 0)
		return rc;
	if (!to.tikv && npids != 1)
		return cli_usage_error("threads", "give one process: -p PID (or --tikv HOST:PORT)");
	if (to.tikv && (npids || lp.nroots))
		return cli_usage_error("threads", "--tikv excludes -p and --root");
	to.threads = 1;
	to.io = 1;
	to.pids = pids;
	to.npids = npids;
	to.timeout_ms = lp.timeout_ms;
	to.root = lp.nroots ? lp.roots[0] : NULL;
	if (!to.tikv)
		return task_loop("threads", &lp, &to, 1, 0, group, pids[0]);
	tp_error_init(&err);
	if (http_global_init(&err) < 0) {
		cli_error(&err);
		return EXIT_ERR;
	}
	rc = task_loop("threads", &lp, &to, 1, 0, group, 0);
	http_global_cleanup();
	return rc;
}

static const struct cli_group iostat_groups[] = { { NULL, iostat_options }, { NULL, NULL } };
static const struct cli_group iotop_groups[] = { { NULL, iotop_options }, { NULL, NULL } };
static const struct cli_group threads_groups[] = { { NULL, threads_options }, { NULL, NULL } };

const struct command command_iostat = {
	.name = "iostat", .run = cmd_iostat, .summary = "disk IO statistics, as sysstat's iostat",
	.usage =
	"usage: tiprof iostat [-x] [-y] [-p DEV[,DEV..]].. [--json] [--root DIR]..\n"
	"                     [--node-exporter HOST:PORT] [INTERVAL [COUNT]]\n"
	"\n"
	"Per-device figures from /proc/diskstats with sysstat 12.6's formulas and\n"
	"layout. The first report covers the time since boot; then one report per\n"
	"INTERVAL seconds, COUNT times (forever without COUNT).\n",
	.groups = iostat_groups,
};

const struct command command_iotop = {
	.name = "iotop", .run = cmd_iotop, .summary = "per-process (or per-thread) disk IO rates",
	.usage =
	"usage: tiprof iotop [-o] [-p PID[,PID..]].. [--threads] [--json] [--root DIR]..\n"
	"                    [INTERVAL [COUNT]]\n"
	"\n"
	"Read and write rates from /proc/PID/io (/proc/PID/task/TID/io with\n"
	"--threads) over INTERVAL seconds (default 1), COUNT times (default 1\n"
	"without INTERVAL, forever with it): kB read and written per second\n"
	"(read_bytes, write_bytes), cancelled writes, read and write syscalls per\n"
	"second, and the IO wait % from taskstats where delay accounting is on.\n",
	.groups = iotop_groups,
};

const struct command command_threads = {
	.name = "threads", .run = cmd_threads,
	.summary = "per-thread CPU of a process, by TiKV pool",
	.usage =
	"usage: tiprof threads (-p PID | --tikv HOST:PORT) [--group tikv] [--json]\n"
	"                      [--root DIR].. [INTERVAL [COUNT]]\n"
	"\n"
	"CPU % of each thread (user and system) over INTERVAL seconds (default\n"
	"1), COUNT times, like top -H, and the cumulative CPU time as ps shows it.\n",
	.groups = threads_groups,
};
