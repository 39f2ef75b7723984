/* iohook.c - see iohook.h */
#include "collectors/capture/iohook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers/base/jsonw.h"
#include "analyzers/bundle/schema.h"
#include "collectors/capture/bundle.h"
#include "collectors/proc/iosampler.h"

#define IO_PATH BUNDLE_LOCAL "/" BUNDLE_IO_SERIES
#define THREADS_PATH BUNDLE_LOCAL "/" BUNDLE_THREAD_SERIES

struct iohook {
	struct iosampler_opts so;
	int64_t *pids;
	char **names;		/* node_exporters then tikvs, owned */
	size_t nnames;
	struct iosampler *s;
	struct bundle_file *iof, *thf;
	FILE *io, *th;
	long ticks, partial;
	int committed;
	char error[320];	/* the last sampling or write error */
};

static void record_error(struct iohook *k, const struct tp_error *err)
{
	char line[512];

	snprintf(k->error, sizeof(k->error), "%s", tp_error_format(err, line, sizeof(line)));
}

static FILE *open_stream(struct bundle *b, struct bundle_file **bf, struct tp_error *err)
{
	FILE *fp;
	int fd;

	if (bundle_file_open(b, BUNDLE_LOCAL, bf, err) < 0)
		return NULL;
	fd = dup(bundle_file_fd(*bf));
	fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!fp) {
		tp_error_set(err, -errno, NULL, 0, -1, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		bundle_file_abort(*bf);
		*bf = NULL;
	}
	return fp;
}

static int hook_start(void *ctx, struct bundle *b, struct tp_error *err)
{
	struct iohook *k = ctx;
	int r;

	if ((r = bundle_mkdir(b, BUNDLE_LOCAL, err)) < 0 && r != -EEXIST)
		return r;
	if ((r = iosampler_new(&k->s, &k->so, err)) < 0)
		return r;
	if (!(k->io = open_stream(b, &k->iof, err)) || !(k->th = open_stream(b, &k->thf, err)))
		return err && err->code ? err->code : -EIO;
	/* the first tick takes the baselines */
	return iosampler_tick(k->s, k->io, k->th, err) < 0 ? -EIO : 0;
}

static void hook_tick(void *ctx, double elapsed)
{
	struct iohook *k = ctx;
	struct tp_error err;
	int r;

	(void)elapsed;
	if (!k->s || !k->io)
		return;
	tp_error_init(&err);
	r = iosampler_tick(k->s, k->io, k->th, &err);
	if (r < 0) {
		record_error(k, &err);
		return;
	}
	if (r > 0) {
		k->partial++;
		if (err.msg[0])
			record_error(k, &err);
	}
	k->ticks++;
	fflush(k->io);
	fflush(k->th);
}

static int commit(FILE **fp, struct bundle_file **bf, const char *name, struct tp_error *err)
{
	int bad = 0;

	if (*fp) {
		bad = fflush(*fp) != 0 || ferror(*fp);
		fclose(*fp);
		*fp = NULL;
	}
	if (!*bf)
		return 0;
	if (bad) {
		bundle_file_abort(*bf);
		*bf = NULL;
		return tp_error_set(err, -EIO, name, 0, -1, "write error");
	}
	{
		int r = bundle_file_commit(*bf, name, 0, err);

		*bf = NULL;
		return r;
	}
}

static int hook_stop(void *ctx, int interrupted, struct tp_error *err)
{
	struct iohook *k = ctx;
	int r1, r2;

	(void)interrupted;
	r1 = commit(&k->io, &k->iof, IO_PATH, err);
	r2 = commit(&k->th, &k->thf, THREADS_PATH, err);
	k->committed = r1 == 0 && r2 == 0;
	return r1 < 0 ? r1 : r2;
}

static void hook_manifest(void *ctx, struct jsonw *w)
{
	struct iohook *k = ctx;
	const char *notes = k->s ? iosampler_notes(k->s) : NULL;

	jsonw_object_begin(w);
	jsonw_kv_int(w, MANIFEST_IO_INTERVALS, k->ticks);
	jsonw_kv_int(w, MANIFEST_IO_FAILED_INTERVALS, k->partial);
	if (k->committed) {
		jsonw_kv_string(w, MANIFEST_IO_IO, IO_PATH);
		jsonw_kv_string(w, MANIFEST_IO_THREADS, THREADS_PATH);
	}
	if (notes && notes[0]) {
		size_t n = strlen(notes);

		while (n > 0 && notes[n - 1] == '\n')
			n--;
		jsonw_key(w, MANIFEST_IO_NOTES);
		jsonw_string_n(w, notes, n);
	}
	if (k->error[0])
		jsonw_kv_string(w, MANIFEST_IO_LAST_ERROR, k->error);
	jsonw_object_end(w);
}

void iohook_free(void *ctx)
{
	struct iohook *k = ctx;
	size_t i;

	if (!k)
		return;
	if (k->io)
		fclose(k->io);
	if (k->th)
		fclose(k->th);
	bundle_file_abort(k->iof);
	bundle_file_abort(k->thf);
	iosampler_free(k->s);
	for (i = 0; i < k->nnames; i++)
		free(k->names[i]);
	free(k->names);
	free(k->pids);
	free(k);
}

int iohook_new(struct capture_hook *h, const struct iohook_opts *o, struct tp_error *err)
{
	struct iohook *k = calloc(1, sizeof(*k));
	size_t i, n = o->nnode_exporters + o->ntikvs;

	if (!k)
		goto oom;
	k->names = calloc(n ? n : 1, sizeof(*k->names));
	k->pids = calloc(o->nthread_pids ? o->nthread_pids : 1, sizeof(*k->pids));
	if (!k->names || !k->pids)
		goto oom;
	for (i = 0; i < n; i++) {
		const char *s = i < o->nnode_exporters ? o->node_exporters[i] :
			       o->tikvs[i - o->nnode_exporters];

		if (!(k->names[i] = strdup(s)))
			goto oom;
		k->nnames++;
	}
	if (o->nthread_pids)
		memcpy(k->pids, o->thread_pids, o->nthread_pids * sizeof(*k->pids));
	k->so.local_disks = 1;
	k->so.local_procs = 1;
	k->so.thread_pids = k->pids;
	k->so.nthread_pids = o->nthread_pids;
	k->so.node_exporters = (const char *const *)k->names;
	k->so.nnode_exporters = o->nnode_exporters;
	k->so.tikvs = (const char *const *)k->names + o->nnode_exporters;
	k->so.ntikvs = o->ntikvs;
	k->so.timeout_ms = 800;
	memset(h, 0, sizeof(*h));
	h->name = MANIFEST_HOOK_IO;
	h->ctx = k;
	h->start = hook_start;
	h->tick = hook_tick;
	h->stop = hook_stop;
	h->manifest = hook_manifest;
	return 0;
oom:
	iohook_free(k);
	return tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
}
