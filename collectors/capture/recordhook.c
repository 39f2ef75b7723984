/* recordhook.c - see recordhook.h */
#include "collectors/capture/recordhook.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analyzers/base/jsonw.h"
#include "analyzers/bundle/schema.h"
#include "collectors/capture/bundle.h"

#define STOP_WAIT_MS 15000	/* writing a large profile takes a moment */
#define PROFILE_PATH BUNDLE_LOCAL "/" BUNDLE_LOCAL_PROFILE
#define LOG_PATH BUNDLE_LOCAL "/" BUNDLE_RECORD_LOG

struct recordhook {
	struct recordhook_opts o;
	int64_t *pids;
	pid_t child;
	int status;		/* wait status, once reaped */
	int reaped, started;
	char dir[PATH_MAX];	/* the bundle's local/ */
	char error[256];
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Reap the child if it exited; wait up to ms. 1 when reaped. */
static int reap(struct recordhook *k, long ms)
{
	long waited = 0;

	while (!k->reaped && k->child > 0) {
		pid_t r = waitpid(k->child, &k->status, WNOHANG);

		if (r == k->child || (r < 0 && errno == ECHILD)) {
			k->reaped = 1;
			break;
		}
		if (waited >= ms)
			break;
		sleep_ms(20);
		waited += 20;
	}
	return k->reaped;
}

static int hook_start(void *ctx, struct bundle *b, struct tp_error *err)
{
	struct recordhook *k = ctx;
	char self[PATH_MAX], out[PATH_MAX + 32], log[PATH_MAX + 32];
	char secs[32], freq[32], pidlist[1024];
	const char *argv[16];
	size_t i, len = 0;
	ssize_t n;
	int r, argc = 0, fd;

	if ((r = bundle_mkdir(b, BUNDLE_LOCAL, err)) < 0 && r != -EEXIST)
		return r;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return tp_error_set(err, -errno, "/proc/self/exe", 0, -1, "%s", strerror(errno));
	self[n] = '\0';
	snprintf(k->dir, sizeof(k->dir), "%s/" BUNDLE_LOCAL, bundle_path(b));
	snprintf(out, sizeof(out), "%s/" BUNDLE_LOCAL_PROFILE, k->dir);
	snprintf(log, sizeof(log), "%s/" BUNDLE_RECORD_LOG, k->dir);
	for (i = 0; i < k->o.npids && len < sizeof(pidlist) - 24; i++)
		len += (size_t)snprintf(pidlist + len, sizeof(pidlist) - len, "%s%lld",
					i ? "," : "", (long long)k->pids[i]);
	/* one more second than the window: the hook stops it at the close */
	snprintf(secs, sizeof(secs), "%ld", k->o.seconds + 1);
	argv[argc++] = "tiprof";
	argv[argc++] = "record";
	argv[argc++] = "-p";
	argv[argc++] = pidlist;
	argv[argc++] = "--seconds";
	argv[argc++] = secs;
	if (k->o.frequency > 0) {
		snprintf(freq, sizeof(freq), "%ld", k->o.frequency);
		argv[argc++] = "-F";
		argv[argc++] = freq;
	}
	if (k->o.group_tikv) {
		argv[argc++] = "--group-threads";
		argv[argc++] = "tikv";
	}
	argv[argc++] = "-o";
	argv[argc++] = out;
	argv[argc] = NULL;
	fd = open(log, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return tp_error_set(err, -errno, log, 0, -1, "%s", strerror(errno));
	k->child = fork();
	if (k->child < 0) {
		r = -errno;
		close(fd);
		return tp_error_set(err, r, NULL, 0, -1, "fork: %s", strerror(-r));
	}
	if (k->child == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		/* the capture's Ctrl-C is the capture's to handle */
		signal(SIGINT, SIG_IGN);
		execv(self, (char *const *)argv);
		dprintf(2, "cannot run %s: %s\n", self, strerror(errno));
		_exit(127);
	}
	close(fd);
	k->started = 1;
	return 0;
}

static void hook_tick(void *ctx, double elapsed)
{
	struct recordhook *k = ctx;

	(void)elapsed;
	reap(k, 0);	/* notice a sampler that ended early (target exited) */
}

static int hook_stop(void *ctx, int interrupted, struct tp_error *err)
{
	struct recordhook *k = ctx;

	(void)interrupted;
	if (!k->started)
		return 0;
	if (!reap(k, 0)) {
		kill(k->child, SIGTERM);
		if (!reap(k, STOP_WAIT_MS)) {
			kill(k->child, SIGKILL);
			reap(k, 2000);
			snprintf(k->error, sizeof(k->error),
				 "the sampler did not stop within %d s and was killed",
				 STOP_WAIT_MS / 1000);
		}
	}
	if (k->reaped && !k->error[0] &&
	    !(WIFEXITED(k->status) && WEXITSTATUS(k->status) == 0))
		snprintf(k->error, sizeof(k->error), "the sampler failed (%s %d); see " LOG_PATH,
			 WIFEXITED(k->status) ? "exit" : "signal",
			 WIFEXITED(k->status) ? WEXITSTATUS(k->status) : WTERMSIG(k->status));
	if (k->error[0])
		return tp_error_set(err, -EIO, NULL, 0, -1, "%s", k->error);
	return 0;
}

static void hook_manifest(void *ctx, struct jsonw *w)
{
	struct recordhook *k = ctx;
	char path[PATH_MAX + 32];
	struct stat st;
	size_t i;

	jsonw_object_begin(w);
	jsonw_key(w, MANIFEST_RECORD_PIDS);
	jsonw_array_begin(w);
	for (i = 0; i < k->o.npids; i++)
		jsonw_int(w, k->pids[i]);
	jsonw_array_end(w);
	snprintf(path, sizeof(path), "%s/" BUNDLE_LOCAL_PROFILE, k->dir);
	if (k->started && stat(path, &st) == 0)
		jsonw_kv_string(w, MANIFEST_RECORD_PROFILE, PROFILE_PATH);
	if (k->started)
		jsonw_kv_string(w, MANIFEST_RECORD_LOG, LOG_PATH);
	jsonw_kv_string(w, MANIFEST_RECORD_STATUS, !k->started ? MANIFEST_RECORD_NOT_STARTED :
			!k->reaped ? MANIFEST_RECORD_RUNNING :
			k->error[0] ? MANIFEST_STATUS_FAILED : MANIFEST_STATUS_OK);
	if (k->error[0])
		jsonw_kv_string(w, MANIFEST_RECORD_REASON, k->error);
	jsonw_object_end(w);
}

void recordhook_free(void *ctx)
{
	struct recordhook *k = ctx;

	if (!k)
		return;
	if (k->started && !reap(k, 0)) {
		kill(k->child, SIGKILL);
		reap(k, 2000);
	}
	free(k->pids);
	free(k);
}

int recordhook_new(struct capture_hook *h, const struct recordhook_opts *o,
		   struct tp_error *err)
{
	struct recordhook *k = calloc(1, sizeof(*k));

	if (!k || !(k->pids = calloc(o->npids ? o->npids : 1, sizeof(*k->pids)))) {
		free(k);
		return tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
	}
	k->o = *o;
	if (o->npids)
		memcpy(k->pids, o->pids, o->npids * sizeof(*k->pids));
	k->o.pids = k->pids;
	memset(h, 0, sizeof(*h));
	h->name = MANIFEST_HOOK_RECORD;
	h->ctx = k;
	h->start = hook_start;
	h->tick = hook_tick;
	h->stop = hook_stop;
	h->manifest = hook_manifest;
	return 0;
}
