/* capture.c - see capture.h */
#include "collectors/capture/capture.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "analyzers/bundle/schema.h"
#include "analyzers/cluster/clusterjson.h"
#include "analyzers/base/jsonw.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"
#include "analyzers/decode/zip.h"
#include "collectors/net/topology.h"

enum kind {
	KIND_ZIP = 1,		/* a Go debug zip */
	KIND_PPROF,		/* a profile.proto */
	KIND_JSON,		/* a JSON document (in memory) */
	KIND_TEXT,		/* kept as is */
};

struct capture {
	struct capture_opts o;
	struct cluster cl;
	struct bundle *b;
	struct fetch *f;
	struct capture_target *t;
	size_t nt;
	struct capture_hook hooks[CAPTURE_MAX_HOOKS];
	int nhooks;
	double t0, window_end, deadline, t_end, last_tick;
	struct timeval wall0, wall_end;
	int started, interrupted, aborted;
};

static const char *status_name(enum capture_status s)
{
	switch (s) {
	case CAPTURE_OK:
		return MANIFEST_STATUS_OK;
	case CAPTURE_FAILED:
		return MANIFEST_STATUS_FAILED;
	case CAPTURE_TRUNCATED:
		return MANIFEST_STATUS_TRUNCATED;
	default:
		return MANIFEST_STATUS_PENDING;
	}
}

static struct capture_artifact *art_add(struct capture_target *t, const char *file,
					const char *what, int kind, const char *path)
{
	struct capture_artifact *a = &t->art[t->nart++];

	memset(a, 0, sizeof(*a));
	a->file = file;
	a->what = what;
	a->kind = kind;
	a->target = t;
	snprintf(a->url_path, sizeof(a->url_path), "%s", path);
	return a;
}

static int plan(struct capture *c, struct capture_target *t)
{
	struct capture_artifact *a;
	char path[160], host[256];

	if (strcmp(t->role, BUNDLE_ROLE_TIDB) == 0) {
		a = art_add(t, BUNDLE_DEBUG_ZIP, "debug zip", KIND_ZIP, "/debug/zip");
		a->req.seconds = c->o.seconds;
		art_add(t, BUNDLE_STATUS, "status", KIND_JSON, "/status");
		art_add(t, BUNDLE_CONFIG, "config", KIND_JSON, "/config");
	} else if (strcmp(t->role, BUNDLE_ROLE_TIKV) == 0 ||
		   strcmp(t->role, BUNDLE_ROLE_TIFLASH) == 0) {
		if (c->o.frequency > 0)
			snprintf(path, sizeof(path), "/debug/pprof/profile?frequency=%ld",
				 c->o.frequency);
		else
			snprintf(path, sizeof(path), "/debug/pprof/profile");
		a = art_add(t, BUNDLE_PROFILE_PB, "cpu profile", KIND_PPROF, path);
		a->req.seconds = c->o.seconds;
		a->req.protobuf = 1;
		a->req.busy_check = 1;
		a->req.exclusive = t->address;
		art_add(t, BUNDLE_METRICS, "metrics at start", KIND_TEXT, "/metrics");
		a = art_add(t, BUNDLE_METRICS_END, "metrics at end", KIND_TEXT, "/metrics");
		a->req.not_before = 1;	/* set to the window's end in start */
		art_add(t, BUNDLE_CONFIG, "config", KIND_JSON, "/config");
	} else if (strcmp(t->role, BUNDLE_ROLE_PD) == 0) {
		a = art_add(t, BUNDLE_DEBUG_ZIP, "pprof zip", KIND_ZIP, "/pd/api/v1/debug/pprof/zip");
		a->req.seconds = c->o.seconds;
		art_add(t, BUNDLE_STATUS, "status", KIND_JSON, "/pd/api/v1/status");
		art_add(t, BUNDLE_CONFIG, "config", KIND_JSON, "/pd/api/v1/config");
	} else {
		return 0;
	}
	bundle_safe_name(t->host, host, sizeof(host));
	snprintf(t->dir, sizeof(t->dir), BUNDLE_TARGET_DIR, t->role, host, t->port);
	return 1;
}

int capture_new(struct capture **cp, const struct capture_opts *o, const struct cluster *cl,
		struct bundle *b, struct tp_error *err)
{
	struct capture *c = calloc(1, sizeof(*c));
	struct capture_target *t;
	size_t i, j;

	*cp = NULL;
	if (!c)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	c->o = *o;
	if (c->o.grace <= 0)
		c->o.grace = CAPTURE_DEFAULT_GRACE;
	c->b = b;
	cluster_init(&c->cl);
	c->t = calloc(cl->n ? cl->n : 1, sizeof(*c->t));
	if (!c->t)
		goto nomem;
	for (i = 0; i < cl->n; i++) {
		const struct cluster_node *nd = &cl->nodes[i];
		struct cluster_node *copy;

		if (cluster_add(&c->cl, nd->role, nd->host, nd->port, nd->status_port, nd->source,
				&copy) < 0)
			goto nomem;
		if (cluster_sets(&copy->version, nd->version) < 0 ||
		    cluster_sets(&copy->status, nd->status) < 0 ||
		    cluster_sets(&copy->git_hash, nd->git_hash) < 0 ||
		    cluster_sets(&copy->deploy_dir, nd->deploy_dir) < 0 ||
		    cluster_sets(&copy->name, nd->name) < 0)
			goto nomem;
		for (j = 0; j < nd->nlabels; j++)
			if (cluster_add_label(copy, nd->labels[j].key, nd->labels[j].value) < 0)
				goto nomem;
		copy->capacity = nd->capacity;
		copy->available = nd->available;
		copy->regions = nd->regions;
		copy->leaders = nd->leaders;
		copy->leader = nd->leader;
		if (!nd->status_port)
			continue;
		t = &c->t[c->nt];
		snprintf(t->role, sizeof(t->role), "%s", nd->role);
		snprintf(t->host, sizeof(t->host), "%s", nd->host);
		t->port = nd->status_port;
		cluster_hostport(t->host, t->port, t->address, sizeof(t->address));
		if (plan(c, t))
			c->nt++;
	}
	if (cluster_sets(&c->cl.name, cl->name) < 0 || cluster_sets(&c->cl.version, cl->version) < 0)
		goto nomem;
	if (!c->nt && !o->local_only_ok) {
		capture_free(c);
		return tp_error_set(err, -EINVAL, "", 0, -1,
				    "no TiDB, TiKV, TiFlash or PD instance with a status port to capture");
	}
	*cp = c;
	return 0;
nomem:
	capture_free(c);
	return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
}

int capture_add_hook(struct capture *c, const struct capture_hook *h)
{
	if (c->nhooks >= CAPTURE_MAX_HOOKS)
		return -E2BIG;
	c->hooks[c->nhooks++] = *h;
	return 0;
}

/* ---- validation ---- */

int capture_check_pprof(const uint8_t *p, size_t n, char *detail, size_t dn,
			struct tp_error *err)
{
	struct profile *prof = profile_new();
	int rc;

	if (!prof)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	rc = pprof_decode(p, n, NULL, prof, err);
	if (rc == 0) {
		int64_t total = profile_nvalues(prof) ? profile_total(prof, 0) : 0;

		snprintf(detail, dn, "%zu stacks, %lld samples", profile_nstacks(prof),
			 (long long)total);
	}
	profile_free(prof);
	return rc;
}

static int is_profile_entry(const char *name)
{
	return strcmp(name, "profile") == 0 || strcmp(name, "heap") == 0 ||
	       strcmp(name, "mutex") == 0 || strcmp(name, "allocs") == 0 ||
	       strcmp(name, "block") == 0;
}

int capture_check_zip(const uint8_t *p, size_t n, char *detail, size_t dn,
		      struct tp_error *err)
{
	struct zip_archive *za = NULL;
	const struct zip_entry *e;
	char sub[160], cpu[96] = "";
	uint8_t *data = NULL;
	size_t i, len;
	int rc, profiles = 0;

	if ((rc = zip_archive_open(&za, p, n, "zip", err)) < 0)
		return rc;
	for (i = 0; i < zip_archive_count(za); i++) {
		e = zip_archive_entry(za, i);
		if ((rc = zip_archive_read(za, i, 0, 0, &data, &len, err)) < 0)
			goto out;
		if (is_profile_entry(e->name)) {
			tp_error_init(err);
			if ((rc = capture_check_pprof(data, len, sub, sizeof(sub), err)) < 0) {
				char msg[sizeof(err->msg)];

				snprintf(msg, sizeof(msg), "%s", err->msg);
				tp_error_msg(err, rc, "entry %s: %s", e->name, msg);
				goto out;
			}
			profiles++;
			if (strcmp(e->name, "profile") == 0)
				snprintf(cpu, sizeof(cpu), "; profile: %.80s", sub);
		}
		free(data);
		data = NULL;
	}
	if (zip_archive_find(za, "profile") < 0) {
		rc = tp_error_set(err, -EBADMSG, "", 0, -1, "no \"profile\" entry (CPU profile)");
		goto out;
	}
	snprintf(detail, dn, "%zu entries, %d profiles decoded%s", zip_archive_count(za),
		 profiles, cpu);
	rc = 0;
out:
	free(data);
	zip_archive_close(za);
	return rc;
}

/* Validate the body of a; 0 or negative errno with a->reason set. */
static int validate(struct capture_artifact *a)
{
	struct fetch_req *r = &a->req;
	struct tp_error err;
	void *map = NULL;
	size_t n = (size_t)r->bytes;
	int rc = 0;

	tp_error_init(&err);
	if (a->kind == KIND_JSON) {
		rc = clusterjson_check(a->mem.data ? a->mem.data : "", a->mem.len, &err);
		if (rc == 0)
			snprintf(a->detail, sizeof(a->detail), "%zu bytes of JSON", a->mem.len);
		goto out;
	}
	if (a->kind == KIND_TEXT)
		return 0;
	if (n == 0) {
		rc = tp_error_set(&err, -EBADMSG, "", 0, -1, "empty body");
		goto out;
	}
	if (a->kind == KIND_PPROF && strncmp(r->content_type, "image/svg", 9) == 0) {
		rc = tp_error_set(&err, -EBADMSG, "", 0, -1,
				  "an SVG flame graph instead of protobuf (Content-Type header ignored)");
		goto out;
	}
	map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, bundle_file_fd(a->bf), 0);
	if (map == MAP_FAILED) {
		map = NULL;
		rc = tp_error_set(&err, -errno, "", 0, -1, "cannot map the body: %s", strerror(errno));
		goto out;
	}
	if (a->kind == KIND_ZIP)
		rc = capture_check_zip(map, n, a->detail, sizeof(a->detail), &err);
	else
		rc = capture_check_pprof(map, n, a->detail, sizeof(a->detail), &err);
out:
	if (map)
		munmap(map, n);
	if (rc < 0) {
		char line[600];

		err.file[0] = '\0';
		tp_error_format(&err, line, sizeof(line));
		snprintf(a->reason, sizeof(a->reason), "invalid %s: %.250s", a->what, line);
	}
	return rc;
}

/* ---- keeping bodies ---- */

static void keep(struct capture *c, struct capture_artifact *a, const char *suffix)
{
	struct capture_target *t = a->target;
	char rel[512];
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	snprintf(a->kept, sizeof(a->kept), "%s%s", a->file, suffix);
	snprintf(rel, sizeof(rel), "%s/%s", t->dir, a->kept);
	if (a->bf) {
		rc = bundle_file_commit(a->bf, rel, 0, &err);
		a->bf = NULL;
	} else {
		rc = bundle_write(c->b, rel, a->mem.data ? a->mem.data : "", a->mem.len, 0, &err);
	}
	if (rc < 0) {
		a->kept[0] = '\0';
		if (a->status == CAPTURE_OK) {
			a->status = CAPTURE_FAILED;
			snprintf(a->reason, sizeof(a->reason), "cannot save: %.250s", err.msg);
		}
	}
}

static void drop(struct capture_artifact *a)
{
	bundle_file_abort(a->bf);
	a->bf = NULL;
}

static void target_update(struct capture_target *t)
{
	enum capture_status s = CAPTURE_OK;
	int i;

	for (i = 0; i < t->nart; i++) {
		const struct capture_artifact *a = &t->art[i];

		if (a->status == CAPTURE_PENDING)
			return;
		if (a->status != CAPTURE_OK && s == CAPTURE_OK) {
			s = a->status;
			snprintf(t->reason, sizeof(t->reason), "%s: %s", a->file, a->reason);
		}
		if (a->status == CAPTURE_FAILED)
			s = CAPTURE_FAILED;
	}
	t->status = s;
}

static void on_done(void *ctx, struct fetch_req *r)
{
	struct capture_artifact *a = ctx;
	struct capture *c = a->cap;

	if (r->state == FETCH_OK) {
		if (validate(a) == 0) {
			a->status = CAPTURE_OK;
			keep(c, a, "");
		} else {
			a->status = CAPTURE_FAILED;
			keep(c, a, BUNDLE_INVALID);
		}
	} else if (r->state == FETCH_CANCELLED) {
		a->status = CAPTURE_TRUNCATED;
		snprintf(a->reason, sizeof(a->reason), "%s after %llu bytes", r->reason,
			 (unsigned long long)r->bytes);
		if (r->bytes)
			keep(c, a, BUNDLE_PARTIAL);
		else
			drop(a);
	} else {
		a->status = CAPTURE_FAILED;
		snprintf(a->reason, sizeof(a->reason), "%s", r->reason);
		if (r->bytes && r->err != -EPROTO && r->err != -EBUSY)
			keep(c, a, BUNDLE_PARTIAL);
		else
			drop(a);
	}
	buf_free(&a->mem);
	target_update(a->target);
}

/* ---- manifest ---- */

static void time_string(const struct timeval *tv, char *out, size_t n)
{
	struct tm tm;
	char s[40];
	time_t t = tv->tv_sec;

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, n, "%s.%03dZ", s, (int)(tv->tv_usec / 1000));
}

static int secret_flag(const char *a)
{
	static const char *const flags[] = { "--cacert", "--cert", "--key" };
	size_t i, l;

	for (i = 0; i < 3; i++) {
		l = strlen(flags[i]);
		if (strncmp(a, flags[i], l) == 0 && (a[l] == '\0' || a[l] == '='))
			return a[l] == '=' ? 2 : 1;
	}
	return 0;
}

static const char *state_name(const struct capture *c, size_t *ok, size_t *failed,
			      size_t *trunc)
{
	size_t i;

	*ok = *failed = *trunc = 0;
	for (i = 0; i < c->nt; i++) {
		*ok += c->t[i].status == CAPTURE_OK;
		*failed += c->t[i].status == CAPTURE_FAILED;
		*trunc += c->t[i].status == CAPTURE_TRUNCATED || c->t[i].status == CAPTURE_PENDING;
	}
	if (c->aborted)
		return MANIFEST_STATE_ABORTED;
	if (!c->t_end)
		return MANIFEST_STATE_RUNNING;
	if (c->interrupted)
		return MANIFEST_STATE_INTERRUPTED;
	return *ok == c->nt ? MANIFEST_STATE_COMPLETE : MANIFEST_STATE_PARTIAL;
}

static void write_artifact(struct jsonw *w, const struct capture *c,
			   const struct capture_artifact *a)
{
	const struct fetch_req *r = &a->req;

	jsonw_object_begin(w);
	jsonw_kv_string(w, MANIFEST_FILE_NAME, a->file);
	jsonw_kv_string(w, MANIFEST_FILE_WHAT, a->what);
	jsonw_kv_string(w, MANIFEST_FILE_URL_PATH, a->url_path);
	if (r->seconds_sent)
		jsonw_kv_int(w, MANIFEST_FILE_SECONDS, r->seconds_sent);
	jsonw_kv_string(w, MANIFEST_FILE_STATUS, status_name(a->status));
	if (a->reason[0])
		jsonw_kv_string(w, MANIFEST_FILE_REASON, a->reason);
	jsonw_key(w, MANIFEST_FILE_FILE);
	if (a->kept[0])
		jsonw_string(w, a->kept);
	else
		jsonw_null(w);
	jsonw_kv_uint(w, MANIFEST_FILE_BYTES, r->bytes);
	if (r->http_code)
		jsonw_kv_int(w, MANIFEST_FILE_HTTP_STATUS, r->http_code);
	jsonw_kv_int(w, MANIFEST_FILE_ATTEMPTS, r->attempts);
	if (r->busy)
		jsonw_kv_int(w, MANIFEST_FILE_BUSY_ANSWERS, r->busy);
	if (r->t_start > 0)
		jsonw_kv_double(w, MANIFEST_FILE_STARTED_S, r->t_start - c->t0, 3);
	if (r->t_end > 0)
		jsonw_kv_double(w, MANIFEST_FILE_ENDED_S, r->t_end - c->t0, 3);
	if (a->detail[0])
		jsonw_kv_string(w, MANIFEST_FILE_DETAIL, a->detail);
	jsonw_object_end(w);
}

static int write_manifest(void *ctx, FILE *fp)
{
	struct capture *c = ctx;
	struct jsonw w;
	char when[64];
	size_t i, ok, failed, trunc;
	const char *state = state_name(c, &ok, &failed, &trunc);
	int j, skip = 0;

	jsonw_init(&w, fp);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, MANIFEST_FORMAT, MANIFEST_FORMAT_NAME);
	jsonw_kv_int(&w, MANIFEST_FORMAT_VERSION, MANIFEST_FORMAT_NUMBER);
	jsonw_kv_string(&w, MANIFEST_TOOL, MANIFEST_TOOL_NAME);
	jsonw_kv_string(&w, MANIFEST_TOOL_VERSION, TIPROF_VERSION);
	jsonw_key(&w, MANIFEST_COMMAND);
	jsonw_array_begin(&w);
	for (j = 0; j < c->o.argc; j++) {
		int s = secret_flag(c->o.argv[j]);

		if (skip) {
			jsonw_string(&w, MANIFEST_OMITTED);
			skip = 0;
		} else if (s == 2) {
			jsonw_string_n(&w, c->o.argv[j], (size_t)(strchr(c->o.argv[j], '=') - c->o.argv[j] + 1));
		} else {
			jsonw_string(&w, c->o.argv[j]);
			skip = s == 1;
		}
	}
	jsonw_array_end(&w);
	jsonw_kv_string(&w, MANIFEST_STATE, state);
	time_string(&c->wall0, when, sizeof(when));
	jsonw_kv_string(&w, MANIFEST_STARTED, when);
	if (c->t_end) {
		time_string(&c->wall_end, when, sizeof(when));
		jsonw_kv_string(&w, MANIFEST_ENDED, when);
		jsonw_kv_double(&w, MANIFEST_ACTUAL_SECONDS, c->t_end - c->t0, 3);
	}
	jsonw_kv_int(&w, MANIFEST_REQUESTED_SECONDS, c->o.seconds);
	jsonw_kv_double(&w, MANIFEST_GRACE_SECONDS, c->o.grace, 1);
	if (c->o.frequency > 0)
		jsonw_kv_int(&w, MANIFEST_FREQUENCY_HZ, c->o.frequency);
	jsonw_kv_bool(&w, MANIFEST_TLS, c->o.fetch.cacert || c->o.fetch.cert);
	jsonw_kv_bool(&w, MANIFEST_INTERRUPTED, c->interrupted);
	jsonw_kv_string(&w, MANIFEST_TOPOLOGY, BUNDLE_TOPOLOGY);
	jsonw_key(&w, MANIFEST_SUMMARY);
	jsonw_object_begin(&w);
	jsonw_kv_uint(&w, MANIFEST_SUMMARY_TARGETS, c->nt);
	jsonw_kv_uint(&w, MANIFEST_SUMMARY_OK, ok);
	jsonw_kv_uint(&w, MANIFEST_SUMMARY_FAILED, failed);
	jsonw_kv_uint(&w, MANIFEST_SUMMARY_TRUNCATED, trunc);
	jsonw_object_end(&w);
	jsonw_key(&w, MANIFEST_TARGETS);
	jsonw_array_begin(&w);
	for (i = 0; i < c->nt; i++) {
		const struct capture_target *t = &c->t[i];

		jsonw_object_begin(&w);
		jsonw_kv_string(&w, MANIFEST_TARGET_COMPONENT, t->role);
		jsonw_kv_string(&w, MANIFEST_TARGET_ADDRESS, t->address);
		jsonw_kv_string(&w, MANIFEST_TARGET_DIR, t->dir);
		jsonw_kv_string(&w, MANIFEST_TARGET_STATUS,
				status_name(t->status == CAPTURE_PENDING && c->t_end
					    ? CAPTURE_TRUNCATED : t->status));
		if (t->reason[0])
			jsonw_kv_string(&w, MANIFEST_TARGET_REASON, t->reason);
		jsonw_key(&w, MANIFEST_TARGET_FILES);
		jsonw_array_begin(&w);
		for (j = 0; j < t->nart; j++)
			write_artifact(&w, c, &t->art[j]);
		jsonw_array_end(&w);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, MANIFEST_HOOKS);
	jsonw_object_begin(&w);
	for (j = 0; j < c->nhooks; j++) {
		if (!c->hooks[j].manifest)
			continue;
		jsonw_key(&w, c->hooks[j].name);
		c->hooks[j].manifest(c->hooks[j].ctx, &w);
	}
	jsonw_object_end(&w);
	jsonw_object_end(&w);
	return jsonw_end_line(&w);
}

static int topology_writer(void *ctx, FILE *fp)
{
	struct capture *c = ctx;
	struct jsonw w;

	jsonw_init(&w, fp);
	cluster_write_json(&c->cl, &w);
	return jsonw_end_line(&w);
}

/* ---- the loop ---- */

int capture_start(struct capture *c, struct tp_error *err)
{
	const char *scheme = topology_scheme(&c->o.fetch);
	size_t i;
	int j, rc;

	c->t0 = fetch_now();
	gettimeofday(&c->wall0, NULL);
	c->window_end = c->t0 + (double)c->o.seconds;
	c->deadline = c->window_end + c->o.grace;
	c->last_tick = c->t0;
	if ((rc = bundle_write_with(c->b, BUNDLE_TOPOLOGY, topology_writer, c, err)) < 0 ||
	    (rc = bundle_write_with(c->b, BUNDLE_MANIFEST, write_manifest, c, err)) < 0)
		return rc;
	if ((rc = fetch_new(&c->f, &c->o.fetch, err)) < 0)
		return rc;
	for (i = 0; i < c->nt; i++) {
		struct capture_target *t = &c->t[i];

		if ((rc = bundle_mkdir(c->b, t->dir, err)) < 0)
			return rc;
		for (j = 0; j < t->nart; j++) {
			struct capture_artifact *a = &t->art[j];
			struct fetch_req *r = &a->req;

			a->cap = c;
			snprintf(a->url, sizeof(a->url), "%s://%s%s", scheme, t->address, a->url_path);
			r->url = a->url;
			r->window_end = c->window_end;
			r->deadline = c->deadline;
			if (r->not_before)
				r->not_before = c->window_end;
			r->done = on_done;
			r->ctx = a;
			r->fd = -1;
			if (a->kind == KIND_JSON) {
				buf_init(&a->mem, CAPTURE_MAX_SMALL);
				r->mem = &a->mem;
				r->max_bytes = CAPTURE_MAX_SMALL;
			} else {
				if ((rc = bundle_file_open(c->b, t->dir, &a->bf, err)) < 0)
					return rc;
				r->fd = bundle_file_fd(a->bf);
				r->max_bytes = CAPTURE_MAX_BODY;
			}
			if (fetch_add(c->f, r) < 0)
				return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
		}
	}
	for (j = 0; j < c->nhooks; j++)
		if (c->hooks[j].start && (rc = c->hooks[j].start(c->hooks[j].ctx, c->b, err)) < 0)
			return rc;
	c->started = 1;
	return 0;
}

int capture_step(struct capture *c, int timeout_ms, struct tp_error *err)
{
	double now;
	int j, rc = 0;

	if (c->f && !c->interrupted)
		rc = fetch_step(c->f, timeout_ms, err);
	now = fetch_now();
	if (now - c->last_tick >= 1.0) {
		c->last_tick += floor(now - c->last_tick);
		for (j = 0; j < c->nhooks; j++)
			if (c->hooks[j].tick)
				c->hooks[j].tick(c->hooks[j].ctx, now - c->t0);
	}
	/* hooks run for the whole window, even when the transfers end early */
	if (rc == 0 && c->nhooks && !c->interrupted && now < c->window_end)
		rc = 1;
	return rc;
}

void capture_interrupt(struct capture *c)
{
	c->interrupted = 1;
	if (c->f)
		fetch_cancel(c->f, "interrupted");
}

int capture_finish(struct capture *c, int abort, struct tp_error *err)
{
	size_t i, ok, failed, trunc;
	int j, rc = 0, hrc;

	if (abort) {
		c->aborted = 1;
		if (!c->interrupted)
			capture_interrupt(c);
	}
	for (i = 0; i < c->nt; i++)
		if (c->t[i].status == CAPTURE_PENDING) {
			c->t[i].status = CAPTURE_TRUNCATED;
			if (!c->t[i].reason[0])
				snprintf(c->t[i].reason, sizeof(c->t[i].reason), "interrupted");
		}
	for (i = 0; i < c->nt; i++)
		for (j = 0; j < c->t[i].nart; j++) {
			drop(&c->t[i].art[j]);
			buf_free(&c->t[i].art[j].mem);
		}
	for (j = 0; j < c->nhooks; j++)
		if (c->started && c->hooks[j].stop &&
		    (hrc = c->hooks[j].stop(c->hooks[j].ctx, c->interrupted, err)) < 0 && rc == 0)
			rc = hrc;
	c->t_end = fetch_now();
	gettimeofday(&c->wall_end, NULL);
	if ((hrc = bundle_write_with(c->b, BUNDLE_MANIFEST, write_manifest, c, err)) < 0)
		return hrc;
	if (rc < 0)
		return rc;
	state_name(c, &ok, &failed, &trunc);
	return ok == c->nt && !c->interrupted ? 0 : 1;
}

size_t capture_ntargets(const struct capture *c)
{
	return c->nt;
}

const struct capture_target *capture_target(const struct capture *c, size_t i)
{
	return &c->t[i];
}

double capture_remaining(const struct capture *c)
{
	double r = c->window_end - fetch_now();

	return r > 0 ? r : 0;
}

void capture_free(struct capture *c)
{
	size_t i;
	int j;

	if (!c)
		return;
	fetch_free(c->f);
	for (i = 0; i < c->nt; i++)
		for (j = 0; j < c->t[i].nart; j++) {
			bundle_file_abort(c->t[i].art[j].bf);
			buf_free(&c->t[i].art[j].mem);
		}
	free(c->t);
	cluster_free(&c->cl);
	free(c);
}
