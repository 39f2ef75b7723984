/* record.c - the record command: sample a process (or a command) with
 * perf_event, unwind, symbolize, and write folded stacks, pprof or SVG. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analyzers/base/buf.h"
#include "analyzers/model/folded.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"
#include "cli/cli.h"
#include "collectors/perf/elffile.h"
#include "collectors/perf/recorder.h"
#include "collectors/perf/sampler.h"
#include "flamegraph/flame/flametree.h"
#include "flamegraph/flame/svg.h"

#define POLL_MS 50
#define DEFAULT_FREQ 99
#define DEFAULT_STACK 16384

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = sig;
}

enum callgraph { CG_AUTO, CG_FP, CG_DWARF };
enum outfmt { OUT_FOLDED, OUT_PPROF, OUT_SVG };

struct record_opts {
	pid_t pids[SAMPLER_MAX_PIDS];
	size_t npids;
	char **cmd;
	long freq;
	double seconds;
	enum callgraph cg;
	long stack_size;
	int kernel, group_tikv, per_thread;
	const char *output;
	enum outfmt fmt;
};

enum { OPT_SECONDS = 256, OPT_CALLGRAPH, OPT_STACK, OPT_KERNEL, OPT_GROUP, OPT_PERTHREAD };

static const struct cli_option record_options[] = {
	{ .name = "pid", .letter = 'p', .id = 'p', .arg = CLI_STRING, .value = "PID",
	  .help = "a process to sample (repeat, or PID,PID,..)" },
	{ .name = "freq", .letter = 'F', .id = 'F', .arg = CLI_INT, .value = "HZ",
	  .min = 1, .max = SAMPLER_MAX_FREQ,
	  .help = "samples per second per CPU-busy thread (default 99)" },
	{ .name = "seconds", .id = OPT_SECONDS, .arg = CLI_DOUBLE, .value = "N",
	  .fmin = 0.001, .fmax = 1e7,
	  .help = "stop after N seconds (a -- CMD still running gets SIGTERM)" },
	/* the order of the words is enum callgraph's */
	{ .name = "call-graph", .id = OPT_CALLGRAPH, .arg = CLI_CHOICE, .value = "MODE",
	  .choices = "auto|fp|dwarf",
	  .help = "fp (frame pointers, kernel callchains), dwarf (copy\n"
		  "registers and stack, unwind with .eh_frame), or auto\n"
		  "(default): dwarf unless the executable keeps frame pointers" },
	{ .name = "stack-size", .id = OPT_STACK, .arg = CLI_INT, .value = "BYTES",
	  .min = 64, .max = SAMPLER_MAX_STACK,
	  .help = "user stack copied per sample in dwarf mode (default 16384)" },
	{ .name = "kernel", .id = OPT_KERNEL,
	  .help = "add kernel frames (\"_[k]\"), from /proc/kallsyms" },
	{ .name = "group-threads", .id = OPT_GROUP, .arg = CLI_CHOICE, .value = "tikv",
	  .choices = "tikv", .help = "fold TiKV thread names into their pools (as root frames)" },
	{ .name = "per-thread", .id = OPT_PERTHREAD,
	  .help = "put the thread (or pool) name as the root frame" },
	{ .name = "output", .letter = 'o', .id = 'o', .arg = CLI_STRING, .value = "FILE",
	  .help = "FILE.folded (default, stdout without -o), FILE.pb.gz\n"
		  "(pprof, with thread labels), or FILE.svg; atomically" },
	CLI_END
};

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int add_pids(struct record_opts *ro, const char *arg)
{
	char tmp[4096], *tok, *save = NULL;
	long v;

	if (strlen(arg) >= sizeof(tmp))
		return -1;
	strcpy(tmp, arg);
	for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (cli_parse_int(tok, 1, 0x7fffffff, &v) < 0 || ro->npids >= SAMPLER_MAX_PIDS)
			return -1;
		ro->pids[ro->npids++] = (pid_t)v;
	}
	return ro->npids ? 0 : -1;
}

static void record_option(struct cli_args *a, int c, struct record_opts *ro)
{
	switch (c) {
	case 'p':
		if (add_pids(ro, a->arg) < 0)
			cli_fail(a, "\"%s\" is not a list of process ids (at most %d)", a->arg,
				 SAMPLER_MAX_PIDS);
		break;
	case 'F': ro->freq = a->num; break;
	case OPT_SECONDS: ro->seconds = a->fnum; break;
	case OPT_CALLGRAPH: ro->cg = (enum callgraph)a->choice; break;
	case OPT_STACK:
		ro->stack_size = (a->num + 7) & ~7L;
		if (ro->stack_size > SAMPLER_MAX_STACK)
			ro->stack_size = SAMPLER_MAX_STACK;
		break;
	case OPT_KERNEL: ro->kernel = 1; break;
	case OPT_GROUP: ro->group_tikv = 1; break;
	case OPT_PERTHREAD: ro->per_thread = 1; break;
	case 'o': ro->output = a->arg; break;
	}
}

/* 0, or -1 when the command must return a->status. */
static int parse_args(struct cli_args *a, int argc, char **argv, struct record_opts *ro)
{
	int c;

	memset(ro, 0, sizeof(*ro));
	ro->freq = DEFAULT_FREQ;
	ro->stack_size = DEFAULT_STACK;
	/* CLI_IN_ORDER: options end at the first operand, so CMD keeps its own. */
	cli_args_init(a, &command_record, argc, argv);
	while ((c = cli_next(a)) > 0)
		record_option(a, c, ro);
	if (c < 0)
		return -1;
	if (a->ind < argc)
		ro->cmd = argv + a->ind;
	if (!ro->npids == !ro->cmd) {
		a->status = cli_usage_error("record", ro->npids ?
					    "give either -p PID or -- CMD, not both" :
					    "nothing to record: give -p PID or -- CMD ARGS");
		return -1;
	}
	if (ro->output && ends_with(ro->output, ".svg"))
		ro->fmt = OUT_SVG;
	else if (ro->output && (ends_with(ro->output, ".pb.gz") || ends_with(ro->output, ".pb")))
		ro->fmt = OUT_PPROF;
	else
		ro->fmt = OUT_FOLDED;
	/* Pools only make sense where the stacks show them. */
	if (ro->group_tikv && ro->fmt != OUT_PPROF)
		ro->per_thread = 1;
	return 0;
}

/* ---- the command to run ---- */

struct child {
	pid_t pid;
	int go_fd;		/* write a byte: exec */
	int status_fd;		/* read: errno of a failed exec, or EOF */
	int exited, status;
};

static int start_child(char **cmd, struct child *ch)
{
	int go[2], st[2];

	memset(ch, 0, sizeof(*ch));
	ch->go_fd = ch->status_fd = -1;
	if (pipe2(go, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(st, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return -errno;
	}
	ch->pid = fork();
	if (ch->pid < 0) {
		int e = errno;

		close(go[0]);
		close(go[1]);
		close(st[0]);
		close(st[1]);
		return -e;
	}
	if (ch->pid == 0) {
		char c;
		int e;

		close(go[1]);
		close(st[0]);
		/* Wait until the events are armed; EOF means give up. */
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(cmd[0], cmd);
		e = errno;
		if (write(st[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(st[1]);
	ch->go_fd = go[1];
	ch->status_fd = st[0];
	return 0;
}

/* Let the child exec; 0, or the errno of the failed exec. */
static int release_child(struct child *ch)
{
	int e = 0;
	ssize_t n;

	if (write(ch->go_fd, "x", 1) != 1)
		e = errno;
	close(ch->go_fd);
	ch->go_fd = -1;
	do
		n = read(ch->status_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(ch->status_fd);
	ch->status_fd = -1;
	return n == sizeof(e) ? e : 0;
}

static void reap_child(struct child *ch, int block)
{
	int st;
	pid_t r;

	if (!ch->pid || ch->exited)
		return;
	do
		r = waitpid(ch->pid, &st, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == ch->pid) {
		ch->exited = 1;
		ch->status = st;
	} else if (r < 0) {
		ch->exited = 1;
	}
}

static void abandon_child(struct child *ch)
{
	if (ch->go_fd >= 0)
		close(ch->go_fd);	/* the child exits on EOF */
	if (ch->status_fd >= 0)
		close(ch->status_fd);
	ch->go_fd = ch->status_fd = -1;
	reap_child(ch, 1);
}

/* The executable of cmd as execvp() would find it. */
static int find_in_path(const char *cmd, char *out, size_t cap)
{
	const char *path = getenv("PATH"), *p, *e;

	if (strchr(cmd, '/'))
		return snprintf(out, cap, "%s", cmd) < (int)cap ? 0 : -1;
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, ':');
		if (snprintf(out, cap, "%.*s/%s", (int)(e - p), p, cmd) < (int)cap &&
		    access(out, X_OK) == 0)
			return 0;
	}
	return -1;
}

/* auto: DWARF unless every target's executable keeps frame pointers. */
static enum callgraph choose_callgraph(const struct record_opts *ro, char *why, size_t cap)
{
	char path[4096];
	size_t i, n = ro->cmd ? 1 : ro->npids;

	for (i = 0; i < n; i++) {
		struct elffile *ef;
		int fp;

		if (ro->cmd) {
			if (find_in_path(ro->cmd[0], path, sizeof(path)) < 0) {
				snprintf(why, cap, "%s not found in PATH", ro->cmd[0]);
				return CG_DWARF;
			}
		} else {
			snprintf(path, sizeof(path), "/proc/%d/exe", (int)ro->pids[i]);
		}
		if (elffile_open(&ef, path, NULL) < 0) {
			snprintf(why, cap, "cannot inspect %s", path);
			return CG_DWARF;
		}
		fp = elffile_has_frame_pointers(ef);
		elffile_free(ef);
		if (fp <= 0) {
			snprintf(why, cap, "%s %s", path, fp == 0 ? "is built without frame pointers" :
				 "has no symbols to tell whether it keeps frame pointers");
			return CG_DWARF;
		}
	}
	snprintf(why, cap, "the %s keep%s frame pointers", n > 1 ? "targets" : "target",
		 n > 1 ? "" : "s");
	return CG_FP;
}

/* ---- output ---- */

static int write_folded(void *ctx, FILE *fp, struct tp_error *err)
{
	return folded_write(ctx, 0, fp, err);
}

static int write_pprof(void *ctx, FILE *fp, struct tp_error *err)
{
	struct buf out;
	int rc;

	buf_init(&out, 0);
	rc = pprof_encode(ctx, &out, 1, err);
	if (rc == 0 && out.len && fwrite(out.data, 1, out.len, fp) != out.len)
		rc = tp_error_set(err, -EIO, NULL, 0, -1, "write error");
	buf_free(&out);
	return rc;
}

static int write_pprof_raw(void *ctx, FILE *fp, struct tp_error *err)
{
	struct buf out;
	int rc;

	buf_init(&out, 0);
	rc = pprof_encode(ctx, &out, 0, err);
	if (rc == 0 && out.len && fwrite(out.data, 1, out.len, fp) != out.len)
		rc = tp_error_set(err, -EIO, NULL, 0, -1, "write error");
	buf_free(&out);
	return rc;
}

struct svg_job {
	const struct profile *p;
	const char *title;
};

static int write_svg(void *ctx, FILE *fp, struct tp_error *err)
{
	struct svg_job *job = ctx;
	struct flametree *t = flametree_new(job->p, 1, 0);
	struct svg_opts so;
	uint32_t *order = NULL;
	size_t i;
	int rc = 0;

	if (!t || profile_sorted(job->p, &order) < 0) {
		rc = tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
		goto out;
	}
	for (i = 0; i < profile_nstacks(job->p) && rc == 0; i++) {
		struct stack_view sv;

		profile_stack(job->p, order[i], &sv);
		if (sv.values[0] > 0)
			rc = flametree_add(t, sv.frames, sv.nframes, sv.values);
	}
	if (rc < 0) {
		tp_error_set(err, rc, NULL, 0, -1, "%s", strerror(-rc));
		goto out;
	}
	svg_opts_init(&so);
	so.title = job->title;
	so.colors = "hot";
	rc = svg_render(t, &so, fp, err);
out:
	free(order);
	flametree_free(t);
	return rc;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_summary(const struct sampler_stats *ss, const struct recorder_stats *rs,
			  double secs, double own_cpu, double write_ms, const char *mode,
			  const char *out)
{
	fprintf(stderr, "tiprof record: %llu samples in %.1f s (%s unwinding), %llu lost, "
		"%llu throttled; tiprof used %.2f s CPU; %s written %.0f ms after sampling stopped\n",
		(unsigned long long)rs->samples, secs, mode, (unsigned long long)ss->lost,
		(unsigned long long)ss->throttled, own_cpu,
		out && strcmp(out, "-") ? out : "output", write_ms);
	if (ss->lost)
		fprintf(stderr, "tiprof record: warning: the kernel dropped %llu records; "
			"use a lower -F%s\n", (unsigned long long)ss->lost,
			strcmp(mode, "dwarf") == 0 ? " or a smaller --stack-size" : "");
	if (getenv("TIPROF_RECORD_STATS")) {
		double n = rs->samples ? (double)rs->samples : 1;

		fprintf(stderr, "tiprof record: stats: %zu events on %zu CPUs, ring %zu pages, "
			"%llu records, %.1f MB read; %.1f frames/sample, %llu one-frame stacks, "
			"%llu unknown frames, %llu full stack copies; unwind %.2f us/sample, "
			"symbolize %.2f us/sample; symbol lookups %llu (%llu cache hits), %llu "
			"files, %llu symbols\n",
			ss->nevents, ss->ncpus, ss->ring_pages, (unsigned long long)ss->records,
			ss->bytes / 1e6, rs->frames / n, (unsigned long long)rs->one_frame,
			(unsigned long long)rs->unknown, (unsigned long long)rs->full_stack_copies,
			rs->unwind_ns / n / 1e3, rs->symbolize_ns / n / 1e3,
			(unsigned long long)rs->sym.lookups, (unsigned long long)rs->sym.cache_hits,
			(unsigned long long)rs->sym.files, (unsigned long long)rs->sym.symbols);
	}
}

static int cmd_record(int argc, char **argv)
{
	struct cli_args a;
	struct record_opts ro;
	struct sampler_opts so;
	struct recorder_opts rop;
	struct sampler *s = NULL;
	struct recorder *rec = NULL;
	struct sampler_stats ss;
	struct recorder_stats rs;
	struct tp_error err;
	struct child ch;
	struct sigaction sa, old_int, old_term;
	char why[4200] = "";
	double t_start, t_stop, deadline = 0, t_written;
	int rc, ret = EXIT_ERR, have_child = 0, signals_set = 0, auto_cg;
	size_t i;
	const char *mode;

	if (parse_args(&a, argc, argv, &ro) < 0)
		return a.status;
	memset(&ch, 0, sizeof(ch));
	tp_error_init(&err);
	for (i = 0; i < ro.npids; i++) {
		if (kill(ro.pids[i], 0) < 0 && errno == ESRCH) {
			fprintf(stderr, "tiprof record: no process with PID %d\n", (int)ro.pids[i]);
			return EXIT_ERR;
		}
	}
	auto_cg = ro.cg == CG_AUTO;
	if (auto_cg)
		ro.cg = choose_callgraph(&ro, why, sizeof(why));
	mode = ro.cg == CG_FP ? "fp" : "dwarf";
	if (ro.cmd) {
		if ((rc = start_child(ro.cmd, &ch)) < 0) {
			fprintf(stderr, "tiprof record: cannot start %s: %s\n", ro.cmd[0], strerror(-rc));
			return EXIT_ERR;
		}
		have_child = 1;
		ro.pids[0] = ch.pid;
		ro.npids = 1;
	}

	memset(&so, 0, sizeof(so));
	so.pids = ro.pids;
	so.npids = ro.npids;
	so.enable_on_exec = have_child;
	so.freq = (unsigned)ro.freq;
	so.kernel = ro.kernel;
	so.callchain = ro.cg == CG_FP || ro.kernel;
	so.user_callchain = ro.cg == CG_FP;
	so.stack_size = ro.cg == CG_DWARF ? (unsigned)ro.stack_size : 0;
	if (sampler_open(&s, &so, &err) < 0) {
		fprintf(stderr, "tiprof record: %s\n", err.msg);
		goto out;
	}
	if (auto_cg)
		fprintf(stderr, "tiprof record: call graph %s (auto: %s)\n", mode, why);

	memset(&rop, 0, sizeof(rop));
	rop.mode = ro.cg == CG_FP ? RECORDER_FP : RECORDER_DWARF;
	rop.kernel = ro.kernel;
	rop.group_tikv = ro.group_tikv;
	rop.per_thread = ro.per_thread;
	rop.keep_addresses = ro.fmt == OUT_PPROF;
	rop.freq = (unsigned)ro.freq;
	rop.sym.no_cache = getenv("TIPROF_SYMCACHE") && strcmp(getenv("TIPROF_SYMCACHE"), "0") == 0;
	if (recorder_new(&rec, &rop, &err) < 0) {
		cli_error(&err);
		goto out;
	}
	if ((rc = sampler_synthesize(s, recorder_record, rec)) < 0) {
		fprintf(stderr, "tiprof record: %s\n", strerror(-rc));
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	signals_set = 1;

	if (have_child && (rc = release_child(&ch)) != 0) {
		fprintf(stderr, "tiprof record: cannot run %s: %s\n", ro.cmd[0], strerror(rc));
		goto out;
	}
	t_start = mono();
	if (ro.seconds > 0)
		deadline = t_start + ro.seconds;
	sampler_get_stats(s, &ss);
	if (have_child)
		snprintf(why, sizeof(why), "%s", ro.cmd[0]);
	else
		snprintf(why, sizeof(why), "%zu process%s, %zu thread%s", ro.npids,
			 ro.npids > 1 ? "es" : "", ss.nevents / (ss.ncpus ? ss.ncpus : 1),
			 ss.nevents / (ss.ncpus ? ss.ncpus : 1) == 1 ? "" : "s");
	fprintf(stderr, "tiprof record: sampling %s at %ld Hz%s; Ctrl-C to stop\n", why,
		ro.freq, ro.seconds > 0 ? " for the given seconds" : "");
	while (!stop_requested) {
		if ((rc = sampler_poll(s, POLL_MS, recorder_record, rec)) < 0) {
			fprintf(stderr, "tiprof record: %s\n", strerror(-rc));
			break;
		}
		if (deadline && mono() >= deadline)
			break;
		if (have_child)
			reap_child(&ch, 0);
		if ((have_child && ch.exited) || !sampler_alive(s))
			break;
	}
	t_stop = mono();
	sampler_disable(s);
	if ((rc = sampler_flush(s, recorder_record, rec)) < 0)
		fprintf(stderr, "tiprof record: %s\n", strerror(-rc));
	sampler_get_stats(s, &ss);
	recorder_get_stats(rec, &rs);
	if (rs.samples == 0)
		fprintf(stderr, "tiprof record: warning: no samples (the target used no CPU?)\n");

	if (ro.fmt == OUT_SVG) {
		char title[256];
		struct svg_job job;

		snprintf(title, sizeof(title), "CPU: %s", have_child ? ro.cmd[0] : "tiprof record");
		job.p = recorder_profile(rec);
		job.title = title;
		rc = cli_write_output(ro.output, write_svg, &job);
	} else if (ro.fmt == OUT_PPROF) {
		rc = cli_write_output(ro.output, ends_with(ro.output, ".gz") ? write_pprof :
				      write_pprof_raw, recorder_profile(rec));
	} else {
		rc = cli_write_output(ro.output, write_folded, recorder_profile(rec));
	}
	t_written = mono();
	print_summary(&ss, &rs, t_stop - t_start, cpu_seconds(), (t_written - t_stop) * 1e3,
		      mode, ro.output);
	if (rc == 0)
		ret = EXIT_OK;
out:
	sampler_free(s);
	recorder_free(rec);
	if (have_child) {
		if (ch.go_fd >= 0) {
			abandon_child(&ch);
		} else {
			reap_child(&ch, 0);
			if (!ch.exited)
				kill(ch.pid, SIGTERM);
			reap_child(&ch, 1);
		}
	}
	if (signals_set) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
	return ret;
}

static const struct cli_group record_groups[] = {
	{ NULL, record_options },
	{ NULL, NULL }
};

const struct command command_record = {
	.name = "record", .run = cmd_record,
	.summary = "sample a process with perf_event and write a profile",
	.usage =
	  "usage: tiprof record [OPTIONS] (-p PID[,PID..] .. | [--] CMD [ARGS..])\n"
	  "Sample the CPU use of running processes (every thread, and threads started\n"
	  "later) or of a command started for the purpose, unwind and symbolize the\n"
	  "stacks, and write folded stacks, pprof or an SVG flame graph. Sampling\n"
	  "ends after --seconds, on Ctrl-C or SIGTERM, or when the targets exit;\n"
	  "what was gathered is written in every case.\n"
	  "CMD ARGS (the first operand on, or what follows --) is run and sampled\n"
	  "from its exec on; options after CMD are its own.\n"
	  "Needs perf_event access: root, CAP_PERFMON, or for one's own processes\n"
	  "(user space only) kernel.perf_event_paranoid <= 2.\n",
	.groups = record_groups,
	.flags = CLI_IN_ORDER,
};
