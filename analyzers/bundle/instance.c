/* instance.c - see instance.h */
#include "analyzers/bundle/instance.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzers/bundle/schema.h"
#include "analyzers/diagnose/classify.h"
#include "analyzers/metrics/exporter.h"
#include "analyzers/decode/format.h"
#include "analyzers/decode/goroutine.h"
#include "analyzers/model/hotspot.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/metrics/taskrate.h"
#include "analyzers/model/threadname.h"
#include "analyzers/model/top.h"
#include "analyzers/decode/zip.h"
#include "analyzers/base/text.h"

#define FILE_MAX ((size_t)1 << 30)
#define SMALL_MAX ((size_t)64 << 20)
#define ZIP_PARTIAL BUNDLE_DEBUG_ZIP BUNDLE_PARTIAL
#define ZIP_INVALID BUNDLE_DEBUG_ZIP BUNDLE_INVALID

void instance_init(struct instance *in)
{
	memset(in, 0, sizeof(*in));
	in->cpu_cores = in->gc_share = in->mark_share = in->malloc_share = NAN;
	in->assist_share = in->compaction_share = NAN;
	in->goroutines = -1;
}

void instance_note(struct instance *in, const char *fmt, ...)
{
	va_list ap;

	if (in->nnotes >= INSTANCE_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(in->notes[in->nnotes++], sizeof(in->notes[0]), fmt, ap);
	va_end(ap);
}

void instance_free(struct instance *in)
{
	if (!in)
		return;
	profile_free(in->cpu.p);
	profile_free(in->mutex.p);
	profile_free(in->heap.p);
	in->cpu.p = in->mutex.p = in->heap.p = NULL;
}

/* Read a whole file (at most max bytes). 0, -ENOENT, -E2BIG, ... */
static int slurp(const char *path, size_t max, char **data, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return -E2BIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size && (r = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

static void join(char *out, size_t n, const char *dir, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static int file_exists(const char *dir, const char *name)
{
	char path[4400];

	join(path, sizeof(path), dir, name);
	return access(path, F_OK) == 0;
}

/* ---- summarising a profile ---- */

/* The value to summarise: a cpu/nanoseconds (or delay, alloc_space,
 * inuse_space) column when there is one, else the default. */
static int pick_value(const struct profile *p, const char *want)
{
	int vi = want ? profile_find_sample_type(p, want) : -1;

	if (vi < 0)
		vi = top_default_index(p);
	return vi;
}

static void fill_fn(const struct profile *p, uint32_t name, int64_t value, int64_t total,
		    struct instance_fn *out)
{
	str_copy(out->name, sizeof(out->name), profile_str(p, name, NULL));
	out->value = value;
	out->share = total ? (double)value / (double)total : 0;
}

/* The report's top functions (top.h): magnitudes, the frames
 * classify_skip_frame() names left out; under root when has_root. */
static int report_top(const struct profile *p, size_t vi, int has_root, uint32_t root,
		      top_skip_fn skip, struct top_row **rows, size_t *n)
{
	struct top_query q;

	top_query_init(&q, vi);
	q.magnitude = 1;
	q.has_root = has_root;
	q.root = root;
	q.skip = skip;
	return top_query_run(p, &q, rows, n, NULL);
}

static void report_path_opts(struct hotspot_path_opts *o, int has_root, uint32_t root)
{
	memset(o, 0, sizeof(*o));
	o->skip = classify_skip_frame;
	o->part = CLASSIFY_PATH_PART;
	o->has_root = has_root;
	o->root = root;
}

static int summarise_top(struct instance_prof *ip)
{
	struct top_row *rows;
	size_t n, i;
	int rc;

	if ((rc = report_top(ip->p, (size_t)ip->vi, 0, 0, classify_skip_frame, &rows, &n)) < 0)
		return rc;
	for (i = 0; i < n && i < INSTANCE_TOPN && rows[i].flat; i++)
		fill_fn(ip->p, rows[i].name, rows[i].flat, ip->total, &ip->flat[i]);
	ip->nflat = (int)i;
	if (n)
		top_sort(ip->p, rows, n, 1);
	for (i = 0; i < n && i < INSTANCE_TOPN; i++)
		fill_fn(ip->p, rows[i].name, rows[i].cum, ip->total, &ip->cum[i]);
	ip->ncum = (int)i;
	free(rows);
	return 0;
}

static int summarise(struct instance_prof *ip, const char *want)
{
	struct hotspot_fn f[INSTANCE_PATH];
	struct hotspot_path_opts po;
	const struct profile_meta *m = profile_meta_const(ip->p);
	uint32_t unit;
	int n, i;

	ip->vi = pick_value(ip->p, want);
	if (ip->vi < 0)
		return 0;
	str_copy(ip->type, sizeof(ip->type),
	      profile_str(ip->p, profile_sample_type(ip->p, (size_t)ip->vi, &unit), NULL));
	str_copy(ip->unit, sizeof(ip->unit), profile_str(ip->p, unit, NULL));
	ip->total = hotspot_total(ip->p, (size_t)ip->vi);
	ip->seconds = m->duration_nanos > 0 ? (double)m->duration_nanos / 1e9 : 0;
	if ((n = summarise_top(ip)) < 0)
		return n;
	report_path_opts(&po, 0, 0);
	if ((n = hotspot_path(ip->p, (size_t)ip->vi, &po, f, INSTANCE_PATH)) < 0)
		return n;
	for (i = 0; i < n; i++)
		fill_fn(ip->p, f[i].name, f[i].value, ip->total, &ip->path[i]);
	ip->npath = n;
	return 0;
}

/* A copy of src with the same sample types and meta. */
static int copy_profile(const struct profile *src, struct profile **out)
{
	struct profile *p = profile_new();
	size_t i;
	int rc;

	*out = NULL;
	if (!p)
		return -ENOMEM;
	for (i = 0; i < profile_nvalues(src); i++) {
		uint32_t unit, type = profile_sample_type(src, i, &unit);

		if ((rc = profile_add_sample_type(p, profile_str(src, type, NULL),
						  profile_str(src, unit, NULL))) < 0)
			goto fail;
	}
	if ((rc = profile_merge(p, src, (size_t)-1, 0)) < 0)
		goto fail;
	profile_meta(p)->duration_nanos = profile_meta_const(src)->duration_nanos;
	profile_meta(p)->time_nanos = profile_meta_const(src)->time_nanos;
	profile_meta(p)->period = profile_meta_const(src)->period;
	*out = p;
	return 0;
fail:
	profile_free(p);
	return rc;
}

/* A copy of src whose stacks start with their thread's pool name (the
 * "thread" label through threadname_tikv_pool) as a FRAME_ROOT; stacks
 * without the label are kept as they are. */
static int pool_rooted(const struct profile *src, struct profile **out)
{
	struct profile *p = NULL;
	uint32_t *frames = NULL;
	size_t cap = 0, i, j;
	int rc;

	p = profile_new();
	if (!p)
		return -ENOMEM;
	for (i = 0; i < profile_nvalues(src); i++) {
		uint32_t unit, type = profile_sample_type(src, i, &unit);

		if ((rc = profile_add_sample_type(p, profile_str(src, type, NULL),
						  profile_str(src, unit, NULL))) < 0)
			goto fail;
	}
	*profile_meta(p) = *profile_meta_const(src);
	profile_meta(p)->period_type = profile_meta(p)->period_unit = 0;
	profile_meta(p)->default_sample_type = profile_meta(p)->drop_frames = 0;
	profile_meta(p)->keep_frames = 0;
	for (i = 0; i < profile_nstacks(src); i++) {
		struct stack_view sv;
		const struct label *l;
		size_t nl, n = 0;
		uint32_t fid;

		profile_stack(src, i, &sv);
		if (sv.nframes + 1 > cap) {
			uint32_t *nf = realloc(frames, (sv.nframes + 1) * sizeof(*nf));

			if (!nf) {
				rc = -ENOMEM;
				goto fail;
			}
			frames = nf;
			cap = sv.nframes + 1;
		}
		l = profile_labelset_get(src, sv.labels, &nl);
		for (j = 0; j < nl; j++) {
			size_t kl, vl;
			const char *k = profile_str(src, l[j].key, &kl);
			const char *v = profile_str(src, l[j].str, &vl);
			char pool[64];
			size_t pl;

			if (kl != 6 || memcmp(k, "thread", 6) != 0 || !l[j].str)
				continue;
			pl = threadname_tikv_pool(v, vl, pool, sizeof(pool));
			if (pl >= sizeof(pool))
				pl = sizeof(pool) - 1;
			if ((rc = profile_frame_named(p, pool, pl, FRAME_ROOT, &fid)) < 0)
				goto fail;
			frames[n++] = fid;
			break;
		}
		for (j = 0; j < sv.nframes; j++)
			if ((rc = profile_import_frame(p, src, sv.frames[j], &frames[n++])) < 0)
				goto fail;
		if ((rc = profile_add(p, frames, n, 0, sv.values, NULL)) < 0)
			goto fail;
	}
	free(frames);
	*out = p;
	return 0;
fail:
	free(frames);
	profile_free(p);
	return rc;
}

static struct instance_pool *pool_get(struct instance *in, const char *name)
{
	int i;

	for (i = 0; i < in->npools; i++)
		if (strcmp(in->pools[i].name, name) == 0)
			return &in->pools[i];
	if (in->npools == INSTANCE_MAX_POOLS)
		return NULL;
	memset(&in->pools[in->npools], 0, sizeof(in->pools[0]));
	str_copy(in->pools[in->npools].name, sizeof(in->pools[0].name), name);
	in->pools[in->npools].prof_cores = in->pools[in->npools].prof_share = NAN;
	in->pools[in->npools].metric_cores = NAN;
	return &in->pools[in->npools++];
}

/* Pools from the root frames of a pool-rooted CPU profile. */
static int profile_pools(struct instance *in)
{
	struct hotspot_fn roots[INSTANCE_MAX_POOLS];
	const struct profile *p = in->cpu.p;
	size_t vi = (size_t)in->cpu.vi;
	int n, i;

	if ((n = hotspot_roots(p, vi, roots, INSTANCE_MAX_POOLS)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		struct instance_pool *pl;
		struct top_row *top;
		size_t ntop;
		const char *name = profile_str(p, roots[i].name, NULL);
		int is_root = 0;
		size_t k;

		/* only thread roots are pools */
		for (k = 0; k < profile_nframes(p); k++) {
			const struct frame *f = profile_frame_get(p, (uint32_t)k);

			if (f->name == roots[i].name && f->kind == FRAME_ROOT) {
				is_root = 1;
				break;
			}
		}
		if (!is_root || !(pl = pool_get(in, name)))
			continue;
		pl->prof_share = in->cpu.total ? (double)roots[i].value / (double)in->cpu.total : NAN;
		if (strcmp(in->cpu.unit, "nanoseconds") == 0 && in->cpu.seconds > 0)
			pl->prof_cores = (double)roots[i].value / 1e9 / in->cpu.seconds;
		{
			struct hotspot_fn path[INSTANCE_PATH];
			struct hotspot_path_opts po;
			int np, k2;
			size_t l = 0;

			report_path_opts(&po, 1, roots[i].name);
			np = hotspot_path(p, vi, &po, path, INSTANCE_PATH);

			for (k2 = np > 3 ? np - 3 : 0; k2 < np && l + 1 < sizeof(pl->path); k2++)
				l += (size_t)snprintf(pl->path + l, sizeof(pl->path) - l, "%s%s",
						      l ? " > " : "", profile_str(p, path[k2].name, NULL));
		}
		if (report_top(p, vi, 1, roots[i].name, classify_skip_frame, &top, &ntop) < 0)
			return -ENOMEM;
		if (ntop && top[0].flat) {
			str_copy(pl->top_fn, sizeof(pl->top_fn), profile_str(p, top[0].name, NULL));
			pl->top_fn_share = roots[i].value ? (double)top[0].flat / (double)roots[i].value : 0;
		}
		free(top);
	}
	return 0;
}

/* ---- Go runtime shares ---- */

static int match_gc(const char *name, size_t len, void *ctx)
{
	(void)ctx;
	return classify_gc(name, len);
}

static int match_exact(const char *name, size_t len, void *ctx)
{
	const char *want = ctx;

	return strlen(want) == len && memcmp(name, want, len) == 0;
}

static int match_compaction(const char *name, size_t len, void *ctx)
{
	(void)ctx;
	return classify_compaction(name, len);
}

static void cpu_shares(struct instance *in)
{
	const struct profile *p = in->cpu.p;
	size_t vi = (size_t)in->cpu.vi;
	double t = (double)in->cpu.total;
	int go = classify_go_component(in->component);

	if (!t)
		return;
	if (go) {
		in->gc_share = (double)hotspot_share(p, vi, match_gc, NULL) / t;
		in->mark_share = (double)hotspot_share(p, vi, match_exact, CLASSIFY_GC_MARK) / t;
		in->malloc_share = (double)hotspot_share(p, vi, match_exact, CLASSIFY_GC_MALLOC) / t;
		in->assist_share = (double)hotspot_share(p, vi, match_exact, CLASSIFY_GC_ASSIST) / t;
	}
	if (classify_rocksdb_component(in->component))
		in->compaction_share = (double)hotspot_share(p, vi, match_compaction, NULL) / t;
}

/* ---- mutex and heap ---- */

/* The function holding the lock: the top function by flat value with the
 * lock's machinery (classify_go_lock) left out. Nothing when out of memory. */
static void mutex_holder(struct instance *in)
{
	struct top_row *rows;
	size_t n;

	if (report_top(in->mutex.p, (size_t)in->mutex.vi, 0, 0, classify_skip_lock_frame, &rows, &n) < 0)
		return;
	if (n && rows[0].flat) {
		str_copy(in->mutex_holder, sizeof(in->mutex_holder), profile_str(in->mutex.p, rows[0].name, NULL));
		in->mutex_holder_share = in->mutex.total ? (double)rows[0].flat / (double)in->mutex.total : 0;
	}
	free(rows);
}

static void heap_alloc(struct instance *in)
{
	struct top_row *rows;
	int vi = profile_find_sample_type(in->heap.p, "alloc_space");
	size_t n;

	if (vi < 0)
		return;
	in->alloc_total = hotspot_total(in->heap.p, (size_t)vi);
	if (report_top(in->heap.p, (size_t)vi, 0, 0, classify_skip_frame, &rows, &n) < 0)
		return;
	if (n && rows[0].flat) {
		str_copy(in->alloc_top, sizeof(in->alloc_top), profile_str(in->heap.p, rows[0].name, NULL));
		in->alloc_top_share = in->alloc_total ? (double)rows[0].flat / (double)in->alloc_total : 0;
	}
	free(rows);
}

/* ---- goroutines ---- */

static void goroutine_summary(struct instance *in, const struct profile *p,
			      const struct goroutine_stats *st)
{
	struct goroutine_state *s = NULL;
	struct goroutine_group *g = NULL;
	size_t ns = 0, ng = 0, i, j;

	in->goroutines = (int64_t)st->goroutines;
	if (goroutine_states(p, &s, &ns) == 0)
		for (i = 0; i < ns && in->nstates < INSTANCE_MAX_STATES; i++) {
			struct instance_group *x = &in->states[in->nstates++];

			str_copy(x->state, sizeof(x->state), profile_str(p, s[i].state, NULL));
			x->count = s[i].count;
		}
	if (goroutine_groups(p, &g, &ng) == 0)
		for (i = 0; i < ng && in->ngroups < INSTANCE_MAX_GROUPS; i++) {
			struct instance_group *x = &in->groups[in->ngroups++];
			struct stack_view sv;

			str_copy(x->state, sizeof(x->state), g[i].state ? profile_str(p, g[i].state, NULL) : "");
			x->count = g[i].count;
			x->wait_max = g[i].wait_max;
			profile_stack(p, g[i].stack, &sv);
			/* the leaf-most frame outside the runtime: where they wait */
			for (j = sv.nframes; j-- > 0;) {
				size_t len;
				const char *nm = profile_str(p, profile_frame_get(p, sv.frames[j])->name, &len);

				if (!classify_go_runtime(nm, len)) {
					str_copy(x->frame, sizeof(x->frame), nm);
					break;
				}
			}
		}
	free(s);
	free(g);
}

/* ---- a debug zip ---- */

struct zip_ctx {
	struct instance *in;
	int rc;
};

static int zip_entry(void *ctx, const struct format_entry *e)
{
	struct zip_ctx *z = ctx;
	struct instance *in = z->in;
	struct instance_prof *ip = NULL;
	const char *want = NULL;
	int rc;

	if (e->error) {
		instance_note(in, BUNDLE_DEBUG_ZIP " entry %s does not decode: %s", e->name ? e->name : "?",
			      e->error->msg);
		return 0;
	}
	if (e->format == FORMAT_GOROUTINE && e->p && e->goroutines) {
		goroutine_summary(in, e->p, e->goroutines);
		return 0;
	}
	if (!e->p) {
		if (e->name && strcmp(e->name, "version") == 0 && e->data && !in->version[0]) {
			char v[96];

			if (zip_text_field(e->data, e->len, "Release Version:", v, sizeof(v)) ||
			    zip_text_field(e->data, e->len, "Release Version", v, sizeof(v)))
				str_copy(in->version, sizeof(in->version), v);
		}
		return 0;
	}
	if (e->kind && strcmp(e->kind, "cpu") == 0 && !in->cpu.present) {
		ip = &in->cpu;
		want = "cpu";
	} else if (e->name && strcmp(e->name, "mutex") == 0 && !in->mutex.present) {
		ip = &in->mutex;
		want = "delay";
	} else if (e->name && strcmp(e->name, "heap") == 0 && !in->heap.present) {
		ip = &in->heap;
		want = "inuse_space";
	}
	if (!ip)
		return 0;
	if ((rc = copy_profile(e->p, &ip->p)) < 0) {
		z->rc = rc;
		return rc;
	}
	ip->present = 1;
	snprintf(ip->source, sizeof(ip->source), BUNDLE_DEBUG_ZIP ": %.40s", e->name ? e->name : "?");
	if ((rc = summarise(ip, want)) < 0)
		z->rc = rc;
	return rc;
}

static int load_zip(struct instance *in, const char *dir, const char *name)
{
	struct format_opts o;
	struct format_report rep;
	struct tp_error err;
	struct zip_ctx z = { in, 0 };
	char path[4400];
	int rc;

	join(path, sizeof(path), dir, name);
	format_opts_init(&o);
	o.thread_root = 0;
	memset(&rep, 0, sizeof(rep));
	tp_error_init(&err);
	rc = format_each_entry(path, FORMAT_ZIP, &o, zip_entry, &z, &rep, &err);
	if (z.rc == -ENOMEM)
		return -ENOMEM;
	if (rc < 0)
		instance_note(in, "%s does not read as a zip: %s", name, err.msg);
	return 0;
}

/* ---- profile.pb (TiKV) and local/profile.pb.gz ---- */

static int load_pprof(struct instance *in, const char *dir, const char *name, double window_s)
{
	struct profile *raw = NULL;
	struct tp_error err;
	char path[4400], *data = NULL;
	size_t len;
	int rc;

	join(path, sizeof(path), dir, name);
	if ((rc = slurp(path, FILE_MAX, &data, &len)) < 0) {
		instance_note(in, "%s cannot be read: %s", name, strerror(-rc));
		return rc == -ENOMEM ? rc : 0;
	}
	raw = profile_new();
	if (!raw) {
		free(data);
		return -ENOMEM;
	}
	tp_error_init(&err);
	rc = pprof_decode((const uint8_t *)data, len, NULL, raw, &err);
	free(data);
	if (rc < 0) {
		instance_note(in, "%s does not decode: %s", name, err.msg);
		profile_free(raw);
		return rc == -ENOMEM ? rc : 0;
	}
	rc = pool_rooted(raw, &in->cpu.p);
	profile_free(raw);
	if (rc < 0)
		return rc;
	in->cpu.present = 1;
	str_copy(in->cpu.source, sizeof(in->cpu.source), name);
	if ((rc = summarise(&in->cpu, "cpu")) < 0)
		return rc;
	if (in->cpu.seconds <= 0 && window_s > 0)
		in->cpu.seconds = window_s;
	return profile_pools(in);
}

/* ---- metrics and config (TiKV) ---- */

static int cmp_sample(const void *a, const void *b)
{
	const struct task_sample *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

static int metrics_pools(struct instance *in, const char *dir, double seconds)
{
	struct task_sample *s0 = NULL, *s1 = NULL;
	size_t n0 = 0, n1 = 0, i;
	char *d0 = NULL, *d1 = NULL, path[4400];
	size_t l0, l1;
	struct tp_error err;
	int rc = 0;

	join(path, sizeof(path), dir, BUNDLE_METRICS);
	if (slurp(path, SMALL_MAX, &d0, &l0) < 0)
		return 0;
	join(path, sizeof(path), dir, BUNDLE_METRICS_END);
	if (slurp(path, SMALL_MAX, &d1, &l1) < 0) {
		free(d0);
		return 0;
	}
	tp_error_init(&err);
	if (exporter_tikv_threads(BUNDLE_METRICS, d0, l0, &s0, &n0, &err) < 0 ||
	    exporter_tikv_threads(BUNDLE_METRICS_END, d1, l1, &s1, &n1, &err) < 0) {
		instance_note(in, "thread metrics: %s", err.msg);
		goto out;
	}
	for (i = 0; i < n1; i++) {
		const struct task_sample *a, *b = &s1[i];
		struct instance_pool *pl;
		char pool[64];
		size_t pn;

		a = bsearch(b, s0, n0, sizeof(*s0), cmp_sample);
		pn = threadname_tikv_pool(b->comm, strlen(b->comm), pool, sizeof(pool));
		if (pn >= sizeof(pool))
			pool[sizeof(pool) - 1] = '\0';
		if (!(pl = pool_get(in, pool)))
			continue;
		pl->threads++;
		if (a && seconds > 0 && b->cpu_total >= a->cpu_total) {
			if (isnan(pl->metric_cores))
				pl->metric_cores = 0;
			pl->metric_cores += (b->cpu_total - a->cpu_total) / seconds;
		}
	}
out:
	free(s0);
	free(s1);
	free(d0);
	free(d1);
	return rc;
}

struct cfg_ctx {
	struct instance *in;
};

static int cfg_value(void *ctx, const char *path, const char *value, size_t vlen, int is_string)
{
	struct instance *in = ((struct cfg_ctx *)ctx)->in;
	const char *pool = classify_sized_pool(path);
	struct instance_pool *pl;
	char *end;
	long v;

	(void)vlen;
	if (is_string || !pool)
		return 0;
	v = strtol(value, &end, 10);
	if (*end || v <= 0 || !(pl = pool_get(in, pool)))
		return 0;
	str_copy(pl->size_key, sizeof(pl->size_key), path);
	pl->size = v;
	return 0;
}

static void tikv_config(struct instance *in, const char *dir)
{
	struct cfg_ctx c = { in };
	struct tp_error err;
	char path[4400], *data;
	size_t len;

	join(path, sizeof(path), dir, BUNDLE_CONFIG);
	if (slurp(path, SMALL_MAX, &data, &len) < 0)
		return;
	tp_error_init(&err);
	if (zip_json_each(data, len, cfg_value, &c, &err) < 0)
		instance_note(in, BUNDLE_CONFIG ": %s", err.msg);
	free(data);
}

static void status_version(struct instance *in, const char *dir)
{
	char path[4400], *data, *p, *q;
	size_t len;

	if (in->version[0])
		return;
	join(path, sizeof(path), dir, BUNDLE_STATUS);
	if (slurp(path, SMALL_MAX, &data, &len) < 0)
		return;
	/* {"version": "8.0.11-TiDB-v7.5.0", ...}: the text after the key */
	p = strstr(data, "\"version\"");
	if (p && (p = strchr(p + 9, '"')) && (q = strchr(p + 1, '"')) && q - p < 90) {
		*q = '\0';
		str_copy(in->version, sizeof(in->version), p + 1);
	}
	free(data);
}

int instance_load(struct instance *in, const char *path, const struct instance_opts *o,
		  struct tp_error *err)
{
	int rc = 0;

	if (file_exists(path, BUNDLE_DEBUG_ZIP)) {
		rc = load_zip(in, path, BUNDLE_DEBUG_ZIP);
	} else if (file_exists(path, ZIP_PARTIAL) || file_exists(path, ZIP_INVALID)) {
		const char *n = file_exists(path, ZIP_PARTIAL) ? ZIP_PARTIAL : ZIP_INVALID;

		instance_note(in, "only %s was kept; trying to read what is in it", n);
		rc = load_zip(in, path, n);
	}
	if (rc == 0 && !in->cpu.present) {
		if (file_exists(path, BUNDLE_PROFILE_PB))
			rc = load_pprof(in, path, BUNDLE_PROFILE_PB, o->window_s);
		else if (file_exists(path, BUNDLE_LOCAL_PROFILE))
			rc = load_pprof(in, path, BUNDLE_LOCAL_PROFILE, o->window_s);
	}
	if (rc < 0)
		return tp_error_set(err, rc, path, 0, -1, "out of memory");
	if (in->cpu.present) {
		if (in->cpu.seconds <= 0 && o->window_s > 0)
			in->cpu.seconds = o->window_s;
		if (strcmp(in->cpu.unit, "nanoseconds") == 0 && in->cpu.seconds > 0)
			in->cpu_cores = (double)in->cpu.total / 1e9 / in->cpu.seconds;
		cpu_shares(in);
	}
	if (in->mutex.present)
		mutex_holder(in);
	if (in->heap.present)
		heap_alloc(in);
	if (strcmp(in->component, "tikv") == 0 || strcmp(in->component, "tiflash") == 0) {
		metrics_pools(in, path, o->metrics_s > 0 ? o->metrics_s : o->window_s);
		tikv_config(in, path);
	}
	status_version(in, path);
	return 0;
}
