/* top.c - `tiprof top`: flat and cumulative totals per function, with the
 * numbers, units and percentages `go tool pprof -top` prints. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzers/filter.h"
#include "analyzers/format.h"
#include "analyzers/gzip.h"
#include "analyzers/profile.h"
#include "analyzers/top.h"
#include "analyzers/units.h"
#include "cli/cli.h"

#define NODE_FRACTION 0.005	/* pprof drops nodes with |cum| <= 0.5% */

struct top_opts {
	long n;			/* rows; 0 = every visible row */
	int cum, json;
	const char *sample, *focus, *ignore, *hide;
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
		int first)
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

enum { OPT_CUM = 300, OPT_JSON, OPT_SAMPLE, OPT_FOCUS, OPT_IGNORE, OPT_HIDE,
       OPT_FROM, OPT_MAXSIZE, OPT_GROUP, OPT_HELP };

static int cmd_top(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cum", no_argument, NULL, OPT_CUM },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "sample-index", required_argument, NULL, OPT_SAMPLE },
		{ "focus", required_argument, NULL, OPT_FOCUS },
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "hide", required_argument, NULL, OPT_HIDE },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "max-size", required_argument, NULL, OPT_MAXSIZE },
		{ "group-threads", required_argument, NULL, OPT_GROUP },
		{ "help", no_argument, NULL, OPT_HELP },
		{ 0, 0, 0, 0 } };
	char *stdin_only[] = { "-" };
	struct top_opts o;
	char **files;
	int c, i, nfiles, rc = EXIT_OK;
	long l;

	memset(&o, 0, sizeof(o));
	format_opts_init(&o.fmt);
	while ((c = getopt_long(argc, argv, "n:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (cli_parse_int(optarg, 0, 1000000000, &o.n) < 0)
				return cli_usage_error("top", "bad -n \"%s\"", optarg);
			break;
		case OPT_CUM: o.cum = 1; break;
		case OPT_JSON: o.json = 1; break;
		case OPT_SAMPLE: o.sample = optarg; o.fmt.sample_index = optarg; break;
		case OPT_FOCUS: o.focus = optarg; break;
		case OPT_IGNORE: o.ignore = optarg; break;
		case OPT_HIDE: o.hide = optarg; break;
		case OPT_FROM:
			if (format_parse(optarg, &o.from) < 0)
				return cli_usage_error("top", "unknown --from format \"%s\"", optarg);
			break;
		case OPT_MAXSIZE:
			if (cli_parse_int(optarg, 1, 1L << 62, &l) < 0)
				return cli_usage_error("top", "bad --max-size \"%s\"", optarg);
			o.fmt.pprof.max_size = (size_t)l;
			o.fmt.pprof.max_ratio = GZIP_NO_RATIO;
			break;
		case OPT_GROUP:
			if (strcmp(optarg, "tikv") != 0)
				return cli_usage_error("top", "unknown --group-threads scheme \"%s\"", optarg);
			o.fmt.perf.group_tikv = 1;
			break;
		case OPT_HELP:
			return cli_help(&command_top);
		default:
			return cli_usage_error("top", "%s", "unknown option");
		}
	}
	files = argv + optind;
	nfiles = argc - optind;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	if (o.json)
		printf("[");
	for (i = 0; i < nfiles; i++) {
		struct profile *p = profile_new(), *f = NULL;
		struct filter *filt = NULL;
		struct format_report rep;
		struct tp_error err;
		int r;

		memset(&rep, 0, sizeof(rep));
		tp_error_init(&err);
		if (!p) {
			fprintf(stderr, "tiprof: out of memory\n");
			return EXIT_ERR;
		}
		r = format_load_file(files[i], o.from, &o.fmt, p, &rep, &err);
		if (r == 0 && (o.focus || o.ignore || o.hide)) {
			r = filter_new(&filt, o.focus, o.ignore, o.hide, &err);
			if (r == 0 && (r = filter_profile(filt, p, &f, &err)) == 0) {
				profile_free(p);
				p = f;
			}
			filter_free(filt);
		}
		if (r < 0) {
			cli_error(&err);
			rc = EXIT_ERR;
		} else if (show(files[i], p, &o, i == 0) < 0) {
			rc = EXIT_ERR;
		}
		profile_free(p);
		if (rc != EXIT_OK)
			break;
	}
	if (o.json)
		printf("]\n");
	if (fflush(stdout) != 0)
		rc = EXIT_ERR;
	return rc;
}

const struct command command_top = {
	"top", cmd_top, "flat and cumulative totals per function (like pprof -top)",
	"usage: tiprof top [OPTIONS] FILE..\n"
	"For each input (profile.proto, gzip'd or raw; perf script text; folded\n"
	"stacks) print every function's flat and cumulative value with the\n"
	"units and percentages `go tool pprof -top` prints. Functions whose\n"
	"cumulative share is at most 0.5% are dropped, as pprof does.\n\n"
	"  -n N                show the first N rows (default: all)\n"
	"  --cum               sort by cumulative value\n"
	"  --sample-index NAME the sample type to show (default: the profile's)\n"
	"  --focus RE, --ignore RE, --hide RE   filter stacks first\n"
	"  --from FMT          auto, perf, folded, pprof\n"
	"  --max-size BYTES    accept a larger decompressed profile\n"
	"  --group-threads tikv  perf: TiKV thread pools as roots\n"
	"  --json              one JSON array with an object per input\n" };
