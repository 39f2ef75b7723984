/* report.c - see report.h */
#include "flamegraph/report/report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzers/diagnose/classify.h"
#include "analyzers/model/folded.h"
#include "analyzers/base/outfile.h"
#include "analyzers/base/units.h"
#include "flamegraph/report/chart.h"
#include "flamegraph/report/doc.h"
#include "flamegraph/flame/flametree.h"
#include "flamegraph/report/issue.h"
#include "flamegraph/flame/svg.h"

#define EMBED_DEFAULT ((size_t)64 << 20)

void report_files_free(struct report_files *rf)
{
	if (!rf)
		return;
	free(rf->inst);
	rf->inst = NULL;
}

static void safe_name(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '.' || c == '-' || c == '_' ? (char)c : '_';
	}
	out[i] = '\0';
	if (out[0] == '.')
		out[0] = '_';
}

typedef int (*writer_fn)(void *ctx, FILE *fp, struct tp_error *err);

static int write_file(const struct report_opts *o, const char *name, writer_fn fn, void *ctx,
		      struct report_files *rf, struct tp_error *err)
{
	struct outfile *of;
	char path[4400];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", o->outdir, name);
	if ((rc = outfile_open(&of, path, err)) < 0)
		return rc;
	if ((rc = fn(ctx, outfile_stream(of), err)) < 0) {
		outfile_abort(of);
		if (!err->file[0]) {
			size_t l = strlen(path) < sizeof(err->file) - 1 ? strlen(path) : sizeof(err->file) - 1;

			memcpy(err->file, path, l);
			err->file[l] = '\0';
		}
		return rc;
	}
	if ((rc = outfile_commit(of, err)) < 0)
		return rc;
	rf->nwritten++;
	return 0;
}

/* ---- flame graphs and folded files ---- */

struct flame_ctx {
	const struct profile *p;
	int vi;
	int has_root;
	uint32_t root;		/* only stacks under this root name */
	const char *title, *subtitle, *colors, *countname;
};

/* The column to draw: sample counts when the profile has them. */
static int flame_column(const struct profile *p, int vi)
{
	int s = profile_find_sample_type(p, "samples");

	return s >= 0 ? s : vi;
}

static int flame_writer(void *ctx, FILE *fp, struct tp_error *err)
{
	const struct flame_ctx *c = ctx;
	struct flametree *t = flametree_new(c->p, 1, 0);
	struct svg_opts so;
	size_t i;
	int rc = 0;

	if (!t)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	for (i = 0; i < profile_nstacks(c->p) && rc == 0; i++) {
		struct stack_view sv;
		int64_t v;

		profile_stack(c->p, i, &sv);
		if (c->has_root && (!sv.nframes || profile_frame_get(c->p, sv.frames[0])->name != c->root))
			continue;
		v = sv.values[c->vi];
		if (v < 0)
			v = v == INT64_MIN ? INT64_MAX : -v;
		if (v)
			rc = flametree_add(t, sv.frames, sv.nframes, &v);
	}
	if (rc < 0) {
		flametree_free(t);
		return tp_error_set(err, rc, "", 0, -1, "cannot build the flame graph: %s", strerror(-rc));
	}
	svg_opts_init(&so);
	so.title = c->title;
	so.subtitle = c->subtitle;
	so.colors = c->colors;
	so.countname = c->countname;
	rc = svg_render(t, &so, fp, err);
	flametree_free(t);
	return rc;
}

struct folded_ctx {
	const struct profile *p;
	int vi;
	int has_root;
	uint32_t root;
};

static int folded_writer(void *ctx, FILE *fp, struct tp_error *err)
{
	const struct folded_ctx *c = ctx;
	struct profile *q;
	size_t i;
	int rc;

	if (!c->has_root)
		return folded_write(c->p, c->vi, fp, err);
	/* the stacks of one pool, as their own profile */
	q = profile_new();
	if (!q || profile_add_sample_type(q, "samples", "count") < 0) {
		profile_free(q);
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	}
	for (i = 0; i < profile_nstacks(c->p); i++) {
		struct stack_view sv;
		uint32_t fr[256], *frames = fr;
		size_t j;

		profile_stack(c->p, i, &sv);
		if (!sv.nframes || profile_frame_get(c->p, sv.frames[0])->name != c->root)
			continue;
		if (sv.nframes > 256 && !(frames = malloc(sv.nframes * sizeof(*frames)))) {
			profile_free(q);
			return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
		}
		rc = 0;
		for (j = 0; j < sv.nframes && rc == 0; j++)
			rc = profile_import_frame(q, c->p, sv.frames[j], &frames[j]);
		if (rc == 0)
			rc = profile_add(q, frames, sv.nframes, 0, &sv.values[c->vi], NULL);
		if (frames != fr)
			free(frames);
		if (rc < 0) {
			profile_free(q);
			return tp_error_set(err, rc, "", 0, -1, "cannot copy the pool's stacks");
		}
	}
	rc = folded_write(q, 0, fp, err);
	profile_free(q);
	return rc;
}

/* The palette of the component's language (classify.h). */
static const char *palette_for(const char *component)
{
	const char *lang = classify_component_lang(component);

	return lang ? lang : "hot";
}

static const char *base_name(const struct instance *in)
{
	return strcmp(in->component, "local") == 0 ? "local" : in->dir;
}

static void problem(struct report_files *rf, const char *file, const struct tp_error *e)
{
	if (!rf->first_problem[0])
		snprintf(rf->first_problem, sizeof(rf->first_problem), "%.100s: %.280s", file, e->msg);
}

static int instance_files(const struct evidence *ev, size_t idx, const struct report_opts *o,
			  struct report_files *rf, struct tp_error *err)
{
	const struct instance *in = &ev->inst[idx];
	struct report_inst_files *f = &rf->inst[idx];
	struct flame_ctx fc;
	struct folded_ctx dc;
	char base[330], name[400], title[400], sub[200], who[300];
	int col, j, rc;

	if (!in->cpu.present || !in->cpu.total)
		return 0;
	safe_name(base_name(in), base, sizeof(base));
	col = flame_column(in->cpu.p, in->cpu.vi);
	snprintf(who, sizeof(who), "%s", strcmp(in->component, "local") ? in->address : "process");
	snprintf(title, sizeof(title), "%s %s: CPU", in->component, who);
	if (in->cpu.seconds > 0)
		snprintf(sub, sizeof(sub), "%s, %.1f s", in->cpu.source, in->cpu.seconds);
	else
		snprintf(sub, sizeof(sub), "%s", in->cpu.source);
	memset(&fc, 0, sizeof(fc));
	fc.p = in->cpu.p;
	fc.vi = col;
	fc.title = title;
	fc.subtitle = sub;
	fc.colors = palette_for(in->component);
	fc.countname = col == in->cpu.vi && !strcmp(in->cpu.unit, "nanoseconds") ? "ns" : "samples";
	memset(&dc, 0, sizeof(dc));
	dc.p = in->cpu.p;
	dc.vi = col;
	snprintf(name, sizeof(name), "%s.svg", base);
	if ((rc = write_file(o, name, flame_writer, &fc, rf, err)) == 0)
		snprintf(f->flame, sizeof(f->flame), "%s", name);
	else if (rc == -EINVAL || rc == -ENOMEM || rc == -EOVERFLOW)
		problem(rf, name, err);
	else
		return rc;
	snprintf(name, sizeof(name), "%s.folded", base);
	if ((rc = write_file(o, name, folded_writer, &dc, rf, err)) < 0)
		return rc;
	snprintf(f->folded, sizeof(f->folded), "%s", name);
	/* one per pool of the profile */
	for (j = 0; j < in->npools && f->npools < INSTANCE_MAX_POOLS; j++) {
		const struct instance_pool *pl = &in->pools[j];
		char pool[70];
		uint32_t id;

		if (isnan(pl->prof_share) ||
		    strtab_find(profile_strings_const(in->cpu.p), pl->name, strlen(pl->name), &id) < 0)
			continue;
		safe_name(pl->name, pool, sizeof(pool));
		fc.has_root = dc.has_root = 1;
		fc.root = dc.root = id;
		snprintf(title, sizeof(title), "%s %s: pool %s", in->component, who, pl->name);
		snprintf(name, sizeof(name), "%s.pool-%s.svg", base, pool);
		if ((rc = write_file(o, name, flame_writer, &fc, rf, err)) < 0) {
			if (rc != -EINVAL && rc != -ENOMEM)
				return rc;
			problem(rf, name, err);
			continue;
		}
		snprintf(f->pool[f->npools], sizeof(f->pool[0]), "%s", pl->name);
		snprintf(f->pool_svg[f->npools++], sizeof(f->pool_svg[0]), "%s", name);
		snprintf(name, sizeof(name), "%s.pool-%s.folded", base, pool);
		if ((rc = write_file(o, name, folded_writer, &dc, rf, err)) < 0)
			return rc;
	}
	/* the mutex profile, when it holds delay */
	if (in->mutex.present && in->mutex.total > 0) {
		memset(&fc, 0, sizeof(fc));
		fc.p = in->mutex.p;
		fc.vi = in->mutex.vi;
		snprintf(title, sizeof(title), "%s %s: mutex delay (since start)", in->component, who);
		fc.title = title;
		fc.colors = "go";
		fc.countname = "ns";
		snprintf(name, sizeof(name), "%s.mutex.svg", base);
		if ((rc = write_file(o, name, flame_writer, &fc, rf, err)) == 0)
			snprintf(f->mutex, sizeof(f->mutex), "%s", name);
		else if (rc != -EINVAL && rc != -ENOMEM)
			return rc;
	}
	return 0;
}

/* ---- charts ---- */

#define MAX_LINES 12

struct chart_ctx {
	struct chart c;
	struct chart_series s[MAX_LINES * 2];
	char names[MAX_LINES * 2][200];
	double *scaled[MAX_LINES * 2];
};

static int chart_writer(void *ctx, FILE *fp, struct tp_error *err)
{
	return chart_render(&((struct chart_ctx *)ctx)->c, fp, err);
}

static void chart_free(struct chart_ctx *cc)
{
	size_t i;

	for (i = 0; i < MAX_LINES * 2; i++)
		free(cc->scaled[i]);
}

static int add_chart(const struct report_opts *o, struct report_files *rf, struct chart_ctx *cc,
		     const char *file, const char *title, struct tp_error *err)
{
	int rc;

	if (!cc->c.nseries || rf->ncharts >= REPORT_MAX_CHARTS)
		return 0;
	cc->c.title = title;
	if ((rc = write_file(o, file, chart_writer, cc, rf, err)) < 0)
		return rc;
	snprintf(rf->chart[rf->ncharts], sizeof(rf->chart[0]), "%s", file);
	snprintf(rf->chart_title[rf->ncharts++], sizeof(rf->chart_title[0]), "%s", title);
	return 0;
}

static const double *scale(struct chart_ctx *cc, size_t k, const double *v, size_t n, double f)
{
	size_t i;

	cc->scaled[k] = malloc((n ? n : 1) * sizeof(double));
	if (!cc->scaled[k])
		return v;
	for (i = 0; i < n; i++)
		cc->scaled[k][i] = v[i] * f;
	return cc->scaled[k];
}

static int disk_chart(const struct evidence *ev, const struct report_opts *o, struct report_files *rf,
		      int kind, struct tp_error *err)
{
	const struct series *s = &ev->series;
	struct chart_ctx *cc = calloc(1, sizeof(*cc));
	size_t i, k = 0;
	int rc;

	if (!cc)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	cc->c.xlabel = "seconds";
	cc->c.series = cc->s;
	for (i = 0; i < s->ndisks && k + 2 <= MAX_LINES * 2; i++) {
		const struct series_disk *d = &s->disks[i];
		int f1 = kind == 0 ? SD_UTIL : kind == 1 ? SD_R_AWAIT : SD_RKBS;
		int f2 = kind == 1 ? SD_W_AWAIT : kind == 2 ? SD_WKBS : -1;
		double sc = kind == 2 ? 1.0 / 1024 : 1;

		/* idle disks say nothing */
		if (!(d->max[SD_UTIL] > 0) && !(d->max[SD_WKBS] > 0) && !(d->max[SD_RKBS] > 0))
			continue;
		snprintf(cc->names[k], sizeof(cc->names[0]), "%s %s%s", d->host, d->dev,
			 kind == 1 ? " r_await" : kind == 2 ? " read" : "");
		cc->s[k] = (struct chart_series){ cc->names[k], d->t, scale(cc, k, d->v[f1], d->n, sc), d->n };
		k++;
		if (f2 >= 0) {
			snprintf(cc->names[k], sizeof(cc->names[0]), "%s %s %s", d->host, d->dev,
				 kind == 1 ? "w_await" : "write");
			cc->s[k] = (struct chart_series){ cc->names[k], d->t, scale(cc, k, d->v[f2], d->n, sc),
							  d->n };
			k++;
		}
	}
	cc->c.nseries = k;
	cc->c.ylabel = kind == 0 ? "%util" : kind == 1 ? "ms" : "MiB/s";
	rc = add_chart(o, rf, cc, kind == 0 ? "io-util.svg" : kind == 1 ? "io-await.svg" : "io-throughput.svg",
		       kind == 0 ? "Disk utilisation (%util)" : kind == 1 ? "Disk await (ms)" :
		       "Disk throughput (MiB/s)", err);
	chart_free(cc);
	free(cc);
	return rc;
}

static int writers_chart(const struct evidence *ev, const struct report_opts *o,
			 struct report_files *rf, struct tp_error *err)
{
	const struct series *s = &ev->series;
	struct chart_ctx *cc = calloc(1, sizeof(*cc));
	size_t i, k = 0;
	int rc;

	if (!cc)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	cc->c.xlabel = "seconds";
	cc->c.ylabel = "KiB/s written";
	cc->c.series = cc->s;
	for (i = 0; i < s->ntasks && k < 5; i++) {
		const struct series_task *t = &s->tasks[i];

		if (!(t->avg_write > 0))
			continue;
		snprintf(cc->names[k], sizeof(cc->names[0]), "%s %s[%lld]", t->host, t->comm, (long long)t->pid);
		cc->s[k] = (struct chart_series){ cc->names[k], t->t, scale(cc, k, t->write_bps, t->n, 1.0 / 1024),
						  t->n };
		k++;
	}
	cc->c.nseries = k;
	rc = add_chart(o, rf, cc, "io-writers.svg", "Top writers (KiB/s)", err);
	chart_free(cc);
	free(cc);
	return rc;
}

static int pools_chart(const struct evidence *ev, const struct report_opts *o, struct report_files *rf,
		       struct tp_error *err)
{
	const struct series *s = &ev->series;
	struct chart_ctx *cc = calloc(1, sizeof(*cc));
	size_t i, k = 0;
	int rc;

	if (!cc)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	cc->c.xlabel = "seconds";
	cc->c.ylabel = "% of one CPU";
	cc->c.series = cc->s;
	for (i = 0; i < s->npools && k < 10; i++) {
		const struct series_pool *p = &s->pools[i];

		snprintf(cc->names[k], sizeof(cc->names[0]), "%.80s %.60s (%d threads)", p->host, p->pool,
			 p->threads);
		cc->s[k] = (struct chart_series){ cc->names[k], p->t, p->cpu, p->n };
		k++;
	}
	cc->c.nseries = k;
	rc = add_chart(o, rf, cc, "threads-cpu.svg", "Thread CPU by pool (%)", err);
	chart_free(cc);
	free(cc);
	return rc;
}

static int workload_chart(const struct evidence *ev, const struct report_opts *o,
			  struct report_files *rf, struct tp_error *err)
{
	const struct workload *w = &ev->wl.w;
	struct chart_ctx *cc;
	double *t, *r, *l;
	size_t i;
	int rc;

	if (!ev->wl.parsed || w->npoints < 2)
		return 0;
	cc = calloc(1, sizeof(*cc));
	t = malloc(w->npoints * sizeof(double));
	r = malloc(w->npoints * sizeof(double));
	l = malloc(w->npoints * sizeof(double));
	if (!cc || !t || !r || !l) {
		free(cc);
		free(t);
		free(r);
		free(l);
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	}
	for (i = 0; i < w->npoints; i++) {
		t[i] = w->points[i].t;
		r[i] = w->points[i].rate;
		l[i] = w->points[i].lat_ms;
	}
	cc->c.xlabel = "seconds";
	cc->c.ylabel = w->tool == WORKLOAD_TPC ? "per minute" : "per second";
	cc->c.series = cc->s;
	snprintf(cc->names[0], sizeof(cc->names[0]), "%s", w->tool == WORKLOAD_SYSBENCH ? "tps" :
		 w->tool == WORKLOAD_TPC ? "NEW_ORDER tpm" : "ops/s");
	cc->s[0] = (struct chart_series){ cc->names[0], t, r, w->npoints };
	cc->c.nseries = 1;
	rc = add_chart(o, rf, cc, "workload.svg", "Workload throughput (interim reports)", err);
	if (rc == 0) {
		snprintf(cc->names[0], sizeof(cc->names[0]), "latency %s",
			 w->tool == WORKLOAD_SYSBENCH ? "percentile (ms)" : "p95 (ms)");
		cc->s[0] = (struct chart_series){ cc->names[0], t, l, w->npoints };
		cc->c.ylabel = "ms";
		rc = add_chart(o, rf, cc, "workload-latency.svg", "Workload latency (interim reports)", err);
	}
	free(cc);
	free(t);
	free(r);
	free(l);
	return rc;
}

/* ---- top.txt ---- */

static int top_writer(void *ctx, FILE *fp, struct tp_error *err)
{
	const struct evidence *ev = ctx;
	size_t i;
	int j;

	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];

		fprintf(fp, "== %s %s", in->component, in->address);
		if (!in->cpu.present) {
			fprintf(fp, ": no CPU profile%s%s\n\n", in->reason[0] ? ": " : "", in->reason);
			continue;
		}
		fprintf(fp, " (%s", in->cpu.source);
		if (in->cpu.seconds > 0)
			fprintf(fp, ", %.1f s", in->cpu.seconds);
		if (!isnan(in->cpu_cores))
			fprintf(fp, ", %.2f cores busy", in->cpu_cores);
		fprintf(fp, ")\n%-8s %-8s  %s\n", "flat%", "cum%", "function (by flat)");
		for (j = 0; j < in->cpu.nflat; j++)
			fprintf(fp, "%7.2f%%           %s\n", 100 * in->cpu.flat[j].share, in->cpu.flat[j].name);
		fprintf(fp, "%-8s %-8s  %s\n", "", "cum%", "function (by cum)");
		for (j = 0; j < in->cpu.ncum; j++)
			fprintf(fp, "         %7.2f%%  %s\n", 100 * in->cpu.cum[j].share, in->cpu.cum[j].name);
		fprintf(fp, "hottest path:\n");
		for (j = 0; j < in->cpu.npath; j++)
			fprintf(fp, "  %*s%s (%.1f%%)\n", j, "", in->cpu.path[j].name, 100 * in->cpu.path[j].share);
		fputc('\n', fp);
	}
	if (ferror(fp))
		return tp_error_set(err, -EIO, "", 0, -1, "write error");
	return 0;
}

/* ---- the drafts ---- */

struct draft_ctx {
	const struct doc *d;
	const char *title, *dir;
	size_t embed_max;
};

static int md_writer(void *ctx, FILE *fp, struct tp_error *err)
{
	return doc_write_md(((struct draft_ctx *)ctx)->d, fp, err);
}

static int html_writer(void *ctx, FILE *fp, struct tp_error *err)
{
	struct draft_ctx *c = ctx;

	return doc_write_html(c->d, fp, c->title, c->dir, c->embed_max, err);
}

static int make_dirs(const char *dir, struct tp_error *err)
{
	char tmp[4400], *p;

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
				return tp_error_set(err, -errno, tmp, 0, -1, "cannot create: %s", strerror(errno));
			*p = '/';
		}
	if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
		return tp_error_set(err, -errno, tmp, 0, -1, "cannot create: %s", strerror(errno));
	return 0;
}

int report_write(const struct evidence *ev, const struct finding *f, size_t nf,
		 const struct report_opts *o, struct report_files *rf, struct tp_error *err)
{
	struct doc *d = NULL;
	struct draft_ctx dc;
	char *title = NULL;
	size_t i;
	int rc, k;

	memset(rf, 0, sizeof(*rf));
	if ((rc = make_dirs(o->outdir, err)) < 0)
		return rc;
	rf->inst = calloc(ev->ninst ? ev->ninst : 1, sizeof(*rf->inst));
	if (!rf->inst)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	for (i = 0; i < ev->ninst; i++)
		if ((rc = instance_files(ev, i, o, rf, err)) < 0)
			return rc;
	for (k = 0; k < 3; k++)
		if ((rc = disk_chart(ev, o, rf, k, err)) < 0)
			return rc;
	if ((rc = writers_chart(ev, o, rf, err)) < 0 || (rc = pools_chart(ev, o, rf, err)) < 0 ||
	    (rc = workload_chart(ev, o, rf, err)) < 0)
		return rc;
	if ((rc = write_file(o, "top.txt", top_writer, (void *)ev, rf, err)) < 0)
		return rc;
	if (!o->md && !o->html)
		return 0;
	d = doc_new();
	if (!d || issue_build(ev, f, nf, rf, d, &title) < 0) {
		doc_free(d);
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	}
	dc.d = d;
	dc.title = title;
	dc.dir = o->outdir;
	dc.embed_max = o->embed_max ? o->embed_max : EMBED_DEFAULT;
	rc = 0;
	if (o->md)
		rc = write_file(o, "issue.md", md_writer, &dc, rf, err);
	if (rc == 0 && o->html)
		rc = write_file(o, "index.html", html_writer, &dc, rf, err);
	doc_free(d);
	free(title);
	return rc;
}
