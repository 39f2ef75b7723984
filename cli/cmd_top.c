/* top.c - `tiprof top`: flat and cumulative totals per function, with the
 * numbers, units and percentages `go tool pprof -top` prints. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzers/model/filter.h"
#include "analyzers/decode/format.h"
#include "analyzers/base/gzip.h"
#include "analyzers/model/profile.h"
#include "analyzers/model/top.h"
#include "analyzers/base/units.h"
#include "analyzers/decode/zip.h"
#include "cli/cli.h"

#define NODE_FRACTION 0.005	/* pprof drops nodes with |cum| <= 0.5% */

struct top_opts {
	long n;			/* rows; 0 = every visible row */
	int cum, json;
	const char *sample, *focus, *ignore, *hide, *entry;
	struct format_opts fmt;
	enum format from;
};

static int64_t abs64(int64_t v)
{
	return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
}

/* pprof's percentage: "  100%", "%5.2f%%" from 1% up, "%5.2g%%" below. */
static char *percent(int64_t v, int64_t total, char *out, size_t n)
{
	double r = total ? fabs((double)v / (double)total) * 100 : 0;

	if (r >= 99.95 && r <= 100.05)
		snprintf(out, n, "  100%%");
	else if (r >= 1.0)
		snprintf(out, n, "%5.2f%%", r);
	else
		snprintf(out, n, "%5.2g%%", r);
	return out;
}

/* The unit pprof prints every row in: the unit of the smallest visible
 * value (flat, or cum where flat is 0), unless the total is in another unit
 * and over 100 times larger, then the unit of 100 times the smallest. */
static const char *output_unit(const struct top_row *rows, size_t n, int64_t total,
			       const char *unit)
{
	int64_t minv = 0, maxv = abs64(total);
	const char *umin, *umax;
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t m = abs64(rows[i].flat) ? abs64(rows[i].flat) : abs64(rows[i].cum);

		if (m > 0 && (minv == 0 || m < minv))
			minv = m;
	}
	if (minv == 0)
		minv = maxv;
	umin = units_pick(minv, unit);
	umax = units_pick(maxv, unit);
	if (strcmp(umin, umax) != 0 && minv < INT64_MAX / 100 && minv * 100 < maxv)
		return units_pick(minv * 100, unit);
	return umin;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int show(const char *name, const struct profile *p, const struct top_opts *o,
		int first, const char *note)
{
	struct top_row *rows = NULL;
	struct tp_error err;
	size_t n = 0, i, visible = 0, shown;
	int64_t total = 0, shown_flat = 0, cutoff;
	const char *type, *unit, *out_unit;
	uint32_t unit_id;
	char a[64], b[64], c[64], d[64], e[64];
	int vi, rc = -1;

	if (profile_nvalues(p) == 0) {
		fprintf(stderr, "tiprof: %s: no samples\n", name);
		return 0;
	}
	if (cli_pick_value(p, o->sample, &vi) < 0)
		return -1;
	if (vi < 0)
		vi = 1;	/* a differential profile: the new side */
	type = profile_str(p, profile_sample_type(p, (size_t)vi, &unit_id), NULL);
	unit = profile_str(p, unit_id, NULL);
	tp_error_init(&err);
	if (top_total(p, (size_t)vi, &total, &err) < 0 ||
	    top_compute(p, (size_t)vi, o->cum, &rows, &n, &err) < 0) {
		if (!err.file[0])
			snprintf(err.file, sizeof(err.file), "%s", name);
		cli_error(&err);
		goto out;
	}
	cutoff = (int64_t)((double)total * NODE_FRACTION);
	for (i = 0; i < n; i++)
		if (abs64(rows[i].cum) > cutoff)
			rows[visible++] = rows[i];
	shown = o->n > 0 && (size_t)o->n < visible ? (size_t)o->n : visible;
	for (i = 0; i < shown; i++)
		shown_flat += rows[i].flat;
	out_unit = output_unit(rows, visible, total, unit);
	if (o->json) {
		printf("%s{\"input\":", first ? "" : ",\n");
		json_string(name);
		printf(",\"type\":");
		json_string(type);
		printf(",\"unit\":");
		json_string(unit);
		printf(",\"total\":%lld,\"dropped\":%zu,\"rows\":[", (long long)total, n - visible);
		for (i = 0; i < shown; i++) {
			printf("%s{\"name\":", i ? "," : "");
			json_string(profile_str(p, rows[i].name, NULL));
			printf(",\"flat\":%lld,\"cum\":%lld}", (long long)rows[i].flat,
			       (long long)rows[i].cum);
		}
		printf("]}");
		rc = 0;
		goto out;
	}
	if (!first)
		printf("\n");
	printf("Input: %s\nType: %s\n", name, type);
	if (note)
		printf("%s\n", note);
	{
		const struct profile_meta *m = profile_meta_const(p);

		if (m->time_nanos) {
			time_t t = (time_t)(m->time_nanos / 1000000000);
			struct tm tm;
			char when[64];

			gmtime_r(&t, &tm);
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
			printf("Time: %s\n", when);
		}
		if (m->duration_nanos > 0) {
			double pct = (double)total / (double)m->duration_nanos * 100;

			printf("Duration: %s", units_format(m->duration_nanos, "nanoseconds", a, sizeof(a)));
			if (units_scalable(unit) && strcmp(units_pick(1000000000, unit), "s") == 0)
				printf(", Total samples = %s (%.2f%%)",
				       units_format(total, unit, b, sizeof(b)), pct);
			printf("\n");
		}
	}
	printf("Showing nodes accounting for %s, %s of %s total\n",
	       units_format_in(shown_flat, unit, out_unit, a, sizeof(a)),
	       percent(shown_flat, total, b, sizeof(b)) + strspn(b, " "),
	       units_format_in(total, unit, out_unit, c, sizeof(c)));
	if (n > visible)
		printf("Dropped %zu nodes (cum <= %s)\n", n - visible,
		       units_format_in(cutoff, unit, out_unit, a, sizeof(a)));
	if (shown < visible)
		printf("Showing top %zu nodes out of %zu\n", shown, visible);
	printf("%10s %6s %6s %10s %6s\n", "flat", "flat%", "sum%", "cum", "cum%");
	{
		int64_t sum = 0;

		for (i = 0; i < shown; i++) {
			sum += rows[i].flat;
			printf("%10s %s %s %10s %s  %s\n",
			       units_format_in(rows[i].flat, unit, out_unit, a, sizeof(a)),
			       percent(rows[i].flat, total, b, sizeof(b)),
			       percent(sum, total, c, sizeof(c)),
			       units_format_in(rows[i].cum, unit, out_unit, d, sizeof(d)),
			       percent(rows[i].cum, total, e, sizeof(e)),
			       profile_str(p, rows[i].name, NULL));
		}
	}
	rc = 0;
out:
	free(rows);
	return rc;
}

/* ---- goroutine dumps: counts by state, the largest groups ---- */

#define DEFAULT_GROUPS 10

static void print_label_text(const char *s)
{
	for (; *s; s++)
		putchar((unsigned char)*s < 0x20 ? '?' : *s);
}

static void wait_text(const struct goroutine_group *g, char *out, size_t n)
{
	out[0] = '\0';
	if (g->wait_min < 0)
		return;
	if (g->wait_min == g->wait_max)
		snprintf(out, n, ", %lld minutes", (long long)g->wait_min);
	else
		snprintf(out, n, ", %lld-%lld minutes", (long long)g->wait_min,
			 (long long)g->wait_max);
}

static int show_goroutines(const char *name, const struct profile *p,
			   const struct goroutine_stats *gs, const struct top_opts *o, int first)
{
	struct goroutine_state *st = NULL;
	struct goroutine_group *g = NULL;
	size_t ns = 0, ng = 0, i, shown;
	int64_t total = profile_total(p, 0);
	char a[64], w[64];
	int rc = -1;

	if (goroutine_states(p, &st, &ns) < 0 || goroutine_groups(p, &g, &ng) < 0) {
		fprintf(stderr, "tiprof: out of memory\n");
		goto out;
	}
	shown = o->n > 0 ? (size_t)o->n : DEFAULT_GROUPS;
	if (shown > ng)
		shown = ng;
	if (o->json) {
		printf("%s{\"input\":", first ? "" : ",\n");
		json_string(name);
		printf(",\"type\":\"goroutine\",\"total\":%lld,\"groups_total\":%zu,\"states\":[",
		       (long long)total, ng);
		for (i = 0; i < ns; i++) {
			printf("%s{\"state\":", i ? "," : "");
			json_string(profile_str(p, st[i].state, NULL));
			printf(",\"count\":%lld}", (long long)st[i].count);
		}
		printf("],\"groups\":[");
		for (i = 0; i < shown; i++) {
			struct stack_view sv;
			uint32_t k;

			profile_stack(p, g[i].stack, &sv);
			printf("%s{\"count\":%lld,\"state\":", i ? "," : "", (long long)g[i].count);
			json_string(profile_str(p, g[i].state, NULL));
			if (g[i].wait_min >= 0)
				printf(",\"wait_min\":%lld,\"wait_max\":%lld",
				       (long long)g[i].wait_min, (long long)g[i].wait_max);
			printf(",\"locked\":%s", g[i].locked ? "true" : "false");
			if (g[i].created_by) {
				printf(",\"created_by\":");
				json_string(profile_str(p, g[i].created_by, NULL));
			}
			printf(",\"frames\":[");
			for (k = sv.nframes; k-- > 0;) {
				printf("%s", k + 1 < sv.nframes ? "," : "");
				json_string(profile_str(p, profile_frame_get(p, sv.frames[k])->name, NULL));
			}
			printf("]}");
		}
		printf("]}");
		rc = 0;
		goto out;
	}
	if (!first)
		printf("\n");
	printf("Input: %s\nType: goroutine\n", name);
	printf("Goroutines: %lld in %zu group%s", (long long)total, ng, ng == 1 ? "" : "s");
	if (gs && gs->locked)
		printf(", %llu locked to a thread", (unsigned long long)gs->locked);
	if (gs && gs->elided)
		printf(", %llu with elided frames", (unsigned long long)gs->elided);
	printf("\n%10s %6s  %s\n", "count", "%", "state");
	for (i = 0; i < ns; i++) {
		printf("%10lld %s  ", (long long)st[i].count, percent(st[i].count, total, a, sizeof(a)));
		print_label_text(profile_str(p, st[i].state, NULL));
		putchar('\n');
	}
	if (shown < ng)
		printf("Largest %zu of %zu groups (same stack, state and creator):\n", shown, ng);
	else
		printf("Groups (same stack, state and creator):\n");
	for (i = 0; i < shown; i++) {
		struct stack_view sv;
		uint32_t k;

		profile_stack(p, g[i].stack, &sv);
		wait_text(&g[i], w, sizeof(w));
		printf("%10lld %s  [", (long long)g[i].count, percent(g[i].count, total, a, sizeof(a)));
		print_label_text(profile_str(p, g[i].state, NULL));
		printf("%s%s]", w, g[i].locked ? ", locked to thread" : "");
		if (g[i].created_by) {
			printf(" created by ");
			print_label_text(profile_str(p, g[i].created_by, NULL));
		}
		putchar('\n');
		for (k = sv.nframes; k-- > 0;) {
			const struct frame *f = profile_frame_get(p, sv.frames[k]);

			printf("%19s", "");
			print_label_text(profile_str(p, f->name, NULL));
			if (f->file) {
				printf("  ");
				print_label_text(profile_str(p, f->file, NULL));
				printf(":%u", f->line);
			}
			putchar('\n');
		}
	}
	rc = 0;
out:
	free(st);
	free(g);
	return rc;
}

/* ---- debug zips: version, notable config ---- */

/* Config keys worth a line (TiDB's and PD's names). */
static const char *const notable_keys[] = {
	"host", "advertise-address", "port", "store", "path", "status.status-port",
	"log.level", "log.slow-threshold", "mem-quota-query", "oom-action",
	"token-limit", "performance.max-procs", "performance.gogc",
	"performance.server-memory-quota", "performance.txn-total-size-limit",
	"performance.stats-lease", "prepared-plan-cache.enabled",
	"tikv-client.grpc-connection-count", "tikv-client.max-batch-size",
	"instance.tidb_mem_quota_query", "instance.max_connections",
	"instance.tidb_enable_slow_log", "instance.tidb_slow_log_threshold",
	"name", "data-dir", "client-urls", "replication.max-replicas",
	"schedule.leader-schedule-limit", "schedule.region-schedule-limit",
	"schedule.max-store-down-time",
};

#define NNOTABLE (sizeof(notable_keys) / sizeof(notable_keys[0]))

struct notable {
	char value[NNOTABLE][128];
	int found[NNOTABLE];
	int any;
};

static int collect_notable(void *ctx, const char *path, const char *value, size_t vlen,
			   int is_string)
{
	struct notable *nt = ctx;
	size_t i;

	(void)vlen;
	(void)is_string;
	for (i = 0; i < NNOTABLE; i++)
		if (!nt->found[i] && strcmp(path, notable_keys[i]) == 0) {
			snprintf(nt->value[i], sizeof(nt->value[i]), "%s", value);
			nt->found[i] = 1;
			nt->any = 1;
		}
	return 0;
}

struct version_fields {
	int n;
	char line[16][160];
};

static int collect_version_json(void *ctx, const char *path, const char *value, size_t vlen,
				int is_string)
{
	struct version_fields *v = ctx;

	(void)vlen;
	(void)is_string;
	if (v->n < 16)
		snprintf(v->line[v->n++], sizeof(v->line[0]), "%s: %s", path, value);
	return 0;
}

static void show_version(const char *name, const struct format_entry *e, int first, int json)
{
	struct version_fields v;
	struct tp_error err;
	int i;

	memset(&v, 0, sizeof(v));
	tp_error_init(&err);
	if (e->len && e->data[strspn(e->data, " \t\r\n")] == '{') {
		zip_json_each(e->data, e->len, collect_version_json, &v, &err);
	} else {
		size_t at = 0;

		while (at < e->len && v.n < 16) {
			const char *nl = memchr(e->data + at, '\n', e->len - at);
			size_t end = nl ? (size_t)(nl - e->data) : e->len;

			if (end > at)
				snprintf(v.line[v.n++], sizeof(v.line[0]), "%.*s",
					 (int)(end - at), e->data + at);
			at = end + 1;
		}
	}
	if (json) {
		printf("%s{\"input\":", first ? "" : ",\n");
		json_string(name);
		printf(",\"version\":{");
		for (i = 0; i < v.n; i++) {
			char *colon = strstr(v.line[i], ": ");

			if (!colon)
				continue;
			*colon = '\0';
			printf("%s", i ? "," : "");
			json_string(v.line[i]);
			putchar(':');
			json_string(colon + 2);
		}
		printf("}}");
		return;
	}
	if (!first)
		printf("\n");
	printf("Input: %s\nVersion:\n", name);
	for (i = 0; i < v.n; i++) {
		printf("  ");
		print_label_text(v.line[i]);
		putchar('\n');
	}
}

static int show_config(const char *name, const struct format_entry *e, int first, int json)
{
	struct notable *nt = calloc(1, sizeof(*nt));
	struct tp_error err;
	size_t i;

	if (!nt) {
		fprintf(stderr, "tiprof: out of memory\n");
		return -1;
	}
	tp_error_init(&err);
	if (zip_json_each(e->data, e->len, collect_notable, nt, &err) < 0) {
		snprintf(err.file, sizeof(err.file), "%s", name);
		cli_error(&err);
		free(nt);
		return -1;
	}
	if (json) {
		int k = 0;

		printf("%s{\"input\":", first ? "" : ",\n");
		json_string(name);
		printf(",\"config\":{");
		for (i = 0; i < NNOTABLE; i++) {
			if (!nt->found[i])
				continue;
			printf("%s", k++ ? "," : "");
			json_string(notable_keys[i]);
			putchar(':');
			json_string(nt->value[i]);
		}
		printf("}}");
		free(nt);
		return 0;
	}
	if (!first)
		printf("\n");
	printf("Input: %s\nConfig (%zu bytes of JSON), notable settings:\n", name, e->len);
	for (i = 0; i < NNOTABLE; i++) {
		if (!nt->found[i])
			continue;
		printf("  %s = ", notable_keys[i]);
		print_label_text(nt->value[i]);
		putchar('\n');
	}
	if (!nt->any)
		printf("  (none of the known keys)\n");
	free(nt);
	return 0;
}

/* ---- one input or zip entry ---- */

struct top_run {
	const struct top_opts *o;
	const char *file;
	int shown;		/* sections printed so far (all inputs) */
	int failed;
};

static int heap_note(const struct legacy_info *li, char *out, size_t n)
{
	if (!li || li->kind != LEGACY_HEAP)
		return 0;
	snprintf(out, n, "Header: %lld objects, %lld bytes in use; %lld objects, %lld bytes allocated (unscaled); sampling rate %lld bytes",
		 (long long)li->inuse_objects, (long long)li->inuse_bytes,
		 (long long)li->alloc_objects, (long long)li->alloc_bytes, (long long)li->rate);
	return 1;
}

static int top_entry(void *ctx, const struct format_entry *e)
{
	struct top_run *run = ctx;
	const struct top_opts *o = run->o;
	char buf[256], note[300];
	const char *name = run->file;
	struct profile *p = e->p, *f = NULL;
	struct tp_error err;
	int r;

	if (e->name) {
		snprintf(buf, sizeof(buf), "%.120s(%.120s)", run->file, e->name);
		name = buf;
	}
	if (e->error) {
		cli_error(e->error);
		run->failed = 1;
		return 0;
	}
	if (!p) {
		if (e->content == ZIP_CONTENT_VERSION)
			show_version(name, e, run->shown++ == 0, o->json);
		else if (e->content == ZIP_CONTENT_CONFIG)
			r = show_config(name, e, run->shown++ == 0, o->json), run->failed |= r < 0;
		else if (o->json)
			return 0;
		else
			printf("%sInput: %s\n%zu bytes of %s, not a profile\n",
			       run->shown++ ? "\n" : "", name, e->len,
			       zip_content_name((enum zip_content)e->content));
		return 0;
	}
	tp_error_init(&err);
	if (o->focus || o->ignore || o->hide) {
		struct filter *filt = NULL;

		r = filter_new(&filt, o->focus, o->ignore, o->hide, &err);
		if (r == 0)
			r = filter_profile(filt, p, &f, &err);
		filter_free(filt);
		if (r < 0) {
			cli_error(&err);
			run->failed = 1;
			return e->name ? 0 : -1;
		}
		p = f;
	}
	if (e->format == FORMAT_GOROUTINE)
		r = show_goroutines(name, p, e->goroutines, o, run->shown == 0);
	else
		r = show(name, p, o, run->shown == 0,
			 heap_note(e->legacy, note, sizeof(note)) ? note : NULL);
	run->shown++;
	profile_free(f);
	if (r < 0) {
		run->failed = 1;
		return e->name ? 0 : -1;
	}
	return 0;
}

enum { OPT_CUM = 300, OPT_JSON, OPT_SAMPLE, OPT_FOCUS, OPT_IGNORE, OPT_HIDE,
       OPT_FROM, OPT_MAXSIZE, OPT_GROUP, OPT_ENTRY };

static const struct cli_option top_options[] = {
	{ .name = "nodecount", .letter = 'n', .id = 'n', .arg = CLI_INT, .value = "N", .min = 0, .max = 1000000000,
	  .help = "show the first N rows (default: all; goroutine\ngroups: 10)" },
	{ .name = "cum", .id = OPT_CUM, .help = "sort by cumulative value" },
	{ .name = "sample-index", .id = OPT_SAMPLE, .arg = CLI_STRING, .value = "NAME",
	  .help = "the sample type to show (default: the profile's)" },
	{ .name = "focus", .id = OPT_FOCUS, .arg = CLI_STRING, .value = "RE",
	  .help = "keep only stacks with a frame matching RE" },
	{ .name = "ignore", .id = OPT_IGNORE, .arg = CLI_STRING, .value = "RE",
	  .help = "drop stacks with a frame matching RE" },
	{ .name = "hide", .id = OPT_HIDE, .arg = CLI_STRING, .value = "RE",
	  .help = "remove frames matching RE from stacks" },
	{ .name = "from", .id = OPT_FROM, .arg = CLI_CHOICE, .value = "FMT",
	  .choices = "auto|perf|folded|pprof|zip|goroutine|legacy",
	  .help = "auto, perf, folded, pprof, zip, goroutine, legacy" },
	{ .name = "entry", .id = OPT_ENTRY, .arg = CLI_STRING, .value = "NAME",
	  .help = "zip: show only this entry (name or kind: cpu, heap,\n"
		  "allocs, mutex, block, goroutine)" },
	{ .name = "max-size", .id = OPT_MAXSIZE, .arg = CLI_INT, .value = "BYTES",
	  .min = 1, .max = LONG_MAX, .help = "accept a larger decompressed profile" },
	{ .name = "group-threads", .id = OPT_GROUP, .arg = CLI_CHOICE, .value = "tikv",
	  .choices = "tikv", .help = "perf and pprof-rs: TiKV thread pools as roots" },
	{ .name = "json", .id = OPT_JSON, .help = "one JSON array with an object per input" },
	CLI_END
};

static int cmd_top(int argc, char **argv)
{
	struct cli_args a;
	char *stdin_only[] = { "-" };
	struct top_opts o;
	struct top_run run;
	char **files;
	int c, i, nfiles, rc = EXIT_OK;

	memset(&o, 0, sizeof(o));
	format_opts_init(&o.fmt);
	cli_args_init(&a, &command_top, argc, argv);
	while ((c = cli_next(&a)) > 0) {
		switch (c) {
		case 'n': o.n = a.num; break;
		case OPT_CUM: o.cum = 1; break;
		case OPT_JSON: o.json = 1; break;
		case OPT_SAMPLE: o.sample = a.arg; o.fmt.sample_index = a.arg; break;
		case OPT_FOCUS: o.focus = a.arg; break;
		case OPT_IGNORE: o.ignore = a.arg; break;
		case OPT_HIDE: o.hide = a.arg; break;
		case OPT_ENTRY: o.entry = a.arg; break;
		case OPT_FROM: format_parse(a.arg, &o.from); break;
		case OPT_MAXSIZE:
			o.fmt.pprof.max_size = (size_t)a.num;
			o.fmt.pprof.max_ratio = GZIP_NO_RATIO;
			break;
		case OPT_GROUP: o.fmt.perf.group_tikv = 1; break;
		}
	}
	if (c < 0)
		return a.status;
	files = argv + a.ind;
	nfiles = argc - a.ind;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	memset(&run, 0, sizeof(run));
	run.o = &o;
	if (o.json)
		printf("[");
	for (i = 0; i < nfiles && rc == EXIT_OK; i++) {
		struct format_report rep;
		struct tp_error err;
		int r;

		memset(&rep, 0, sizeof(rep));
		tp_error_init(&err);
		run.file = files[i];
		o.fmt.entry = o.entry;
		r = format_each_entry(files[i], o.from, &o.fmt, top_entry, &run, &rep, &err);
		if (r < 0 && err.msg[0])
			cli_error(&err);
		if (r < 0 || run.failed)
			rc = EXIT_ERR;
	}
	if (o.json)
		printf("]\n");
	if (fflush(stdout) != 0)
		rc = EXIT_ERR;
	return rc;
}

static const struct cli_group top_groups[] = {
	{ NULL, top_options },
	{ NULL, NULL }
};

const struct command command_top = {
	.name = "top", .run = cmd_top,
	.summary = "flat and cumulative totals per function (like pprof -top)",
	.usage =
	"usage: tiprof top [OPTIONS] FILE..\n"
	"For each input (profile.proto, gzip'd or raw; perf script text; folded\n"
	"stacks; Go debug=1 texts) print every function's flat and cumulative\n"
	"value with the units and percentages `go tool pprof -top` prints.\n"
	"Functions whose cumulative share is at most 0.5% are dropped, as pprof\n"
	"does. A goroutine dump (debug=2) shows goroutine counts by state and the\n"
	"largest groups of goroutines with the same stack, state and creator. A\n"
	"debug zip (TiDB /debug/zip, PD pprof zip) shows a section per entry:\n"
	"each profile, the goroutines, the version and notable config.\n",
	.groups = top_groups,
};
