/* flame.c - the flame graph commands: collapse, flamegraph, diff. */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/model/diff.h"
#include "analyzers/base/error.h"
#include "analyzers/model/filter.h"
#include "analyzers/model/folded.h"
#include "analyzers/decode/format.h"
#include "analyzers/base/gzip.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/top.h"
#include "analyzers/model/profile.h"
#include "cli/cli.h"
#include "flamegraph/flame/flametree.h"
#include "flamegraph/flame/svg.h"

static void print_warnings(const struct format_report *rep)
{
	int i;

	for (i = 0; i < rep->nwarn; i++)
		fprintf(stderr, "tiprof: warning: %s\n", rep->warn[i]);
}

/* ---- options shared by the commands that read profiles ---- */

enum {
	OPT_FROM = 256, OPT_PID, OPT_TID, OPT_KERNEL, OPT_JIT, OPT_ALL, OPT_ADDRS,
	OPT_EVENT, OPT_GROUP, OPT_RUST, OPT_KEEPTRUNC, OPT_SAMPLE_INDEX, OPT_MAX_SIZE, OPT_FOCUS, OPT_IGNORE, OPT_HIDE,
	OPT_TITLE, OPT_SUBTITLE, OPT_COUNTNAME, OPT_NAMETYPE, OPT_NOTES, OPT_WIDTH,
	OPT_HEIGHT, OPT_MINWIDTH, OPT_FONTTYPE, OPT_FONTSIZE, OPT_FONTWIDTH,
	OPT_COLORS, OPT_BGCOLORS, OPT_HASH, OPT_REVERSE, OPT_INVERTED, OPT_CHART,
	OPT_NEGATE, OPT_FORMAT, OPT_HELP, OPT_ENTRY,
};

#define INPUT_LONGOPTS \
	{ "from", required_argument, NULL, OPT_FROM }, \
	{ "pid", no_argument, NULL, OPT_PID }, \
	{ "tid", no_argument, NULL, OPT_TID }, \
	{ "kernel", no_argument, NULL, OPT_KERNEL }, \
	{ "jit", no_argument, NULL, OPT_JIT }, \
	{ "all", no_argument, NULL, OPT_ALL }, \
	{ "addrs", no_argument, NULL, OPT_ADDRS }, \
	{ "event-filter", required_argument, NULL, OPT_EVENT }, \
	{ "group-threads", required_argument, NULL, OPT_GROUP }, \
	{ "repair-rust", no_argument, NULL, OPT_RUST }, \
	{ "keep-truncated", no_argument, NULL, OPT_KEEPTRUNC }, \
	{ "sample-index", required_argument, NULL, OPT_SAMPLE_INDEX }, \
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE }, \
	{ "focus", required_argument, NULL, OPT_FOCUS }, \
	{ "ignore", required_argument, NULL, OPT_IGNORE }, \
	{ "hide", required_argument, NULL, OPT_HIDE }, \
	{ "entry", required_argument, NULL, OPT_ENTRY }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "help", no_argument, NULL, OPT_HELP }

#define SVG_LONGOPTS \
	{ "title", required_argument, NULL, OPT_TITLE }, \
	{ "subtitle", required_argument, NULL, OPT_SUBTITLE }, \
	{ "countname", required_argument, NULL, OPT_COUNTNAME }, \
	{ "nametype", required_argument, NULL, OPT_NAMETYPE }, \
	{ "notes", required_argument, NULL, OPT_NOTES }, \
	{ "width", required_argument, NULL, OPT_WIDTH }, \
	{ "height", required_argument, NULL, OPT_HEIGHT }, \
	{ "minwidth", required_argument, NULL, OPT_MINWIDTH }, \
	{ "fonttype", required_argument, NULL, OPT_FONTTYPE }, \
	{ "fontsize", required_argument, NULL, OPT_FONTSIZE }, \
	{ "fontwidth", required_argument, NULL, OPT_FONTWIDTH }, \
	{ "colors", required_argument, NULL, OPT_COLORS }, \
	{ "bgcolors", required_argument, NULL, OPT_BGCOLORS }, \
	{ "hash", no_argument, NULL, OPT_HASH }, \
	{ "reverse", no_argument, NULL, OPT_REVERSE }, \
	{ "inverted", no_argument, NULL, OPT_INVERTED }, \
	{ "flamechart", no_argument, NULL, OPT_CHART }, \
	{ "negate", no_argument, NULL, OPT_NEGATE }

struct input_opts {
	enum format from;
	struct format_opts fmt;
	const char *focus, *ignore, *hide;
	const char *output;
};

static void input_opts_init(struct input_opts *io)
{
	memset(io, 0, sizeof(*io));
	format_opts_init(&io->fmt);
}

/* 1 if handled, 0 if not an input option, or EXIT_USAGE+10 on a bad value. */
static int input_option(const char *cmd, int c, struct input_opts *io)
{
	switch (c) {
	case OPT_FROM:
		if (format_parse(optarg, &io->from) < 0) {
			cli_usage_error(cmd, "unknown --from format \"%s\" (auto, perf, folded, pprof, zip, goroutine, legacy)", optarg);
			return -1;
		}
		return 1;
	case OPT_PID: io->fmt.perf.include_pid = 1; return 1;
	case OPT_TID: io->fmt.perf.include_tid = 1; return 1;
	case OPT_KERNEL: io->fmt.perf.annotate_kernel = 1; return 1;
	case OPT_JIT: io->fmt.perf.annotate_jit = 1; return 1;
	case OPT_ALL: io->fmt.perf.annotate_kernel = io->fmt.perf.annotate_jit = 1; return 1;
	case OPT_ADDRS: io->fmt.perf.include_addrs = 1; return 1;
	case OPT_EVENT: io->fmt.perf.event_filter = optarg; return 1;
	case OPT_RUST: io->fmt.perf.repair_rust = 1; return 1;
	case OPT_KEEPTRUNC: io->fmt.perf.keep_truncated = 1; return 1;
	case OPT_SAMPLE_INDEX: io->fmt.sample_index = optarg; return 1;
	case OPT_MAX_SIZE: {
		long l;

		if (cli_parse_int(optarg, 1, LONG_MAX, &l) < 0) {
			cli_usage_error(cmd, "bad --max-size \"%s\" (bytes)", optarg);
			return -1;
		}
		io->fmt.pprof.max_size = (size_t)l;
		io->fmt.pprof.max_ratio = GZIP_NO_RATIO;
		return 1;
	}
	case OPT_GROUP:
		if (strcmp(optarg, "tikv") != 0) {
			cli_usage_error(cmd, "unknown --group-threads scheme \"%s\" (tikv)", optarg);
			return -1;
		}
		io->fmt.perf.group_tikv = 1;
		return 1;
	case OPT_FOCUS: io->focus = optarg; return 1;
	case OPT_IGNORE: io->ignore = optarg; return 1;
	case OPT_HIDE: io->hide = optarg; return 1;
	case OPT_ENTRY: io->fmt.entry = optarg; return 1;
	case 'o': io->output = optarg; return 1;
	}
	return 0;
}

static int svg_option(const char *cmd, int c, struct svg_opts *so, int *reverse, int *chart)
{
	long l;
	double d;
	size_t n;

	switch (c) {
	case OPT_TITLE: so->title = optarg; return 1;
	case OPT_SUBTITLE: so->subtitle = optarg; return 1;
	case OPT_COUNTNAME: so->countname = optarg; return 1;
	case OPT_NAMETYPE: so->nametype = optarg; return 1;
	case OPT_NOTES: so->notes = optarg; return 1;
	case OPT_FONTTYPE: so->fonttype = optarg; return 1;
	case OPT_COLORS: so->colors = optarg; return 1;
	case OPT_BGCOLORS: so->bgcolors = optarg; return 1;
	case OPT_HASH: so->hash = 1; return 1;
	case OPT_INVERTED: so->inverted = 1; return 1;
	case OPT_NEGATE: so->negate = 1; return 1;
	case OPT_REVERSE: *reverse = 1; return 1;
	case OPT_CHART: *chart = 1; return 1;
	case OPT_WIDTH:
		if (cli_parse_int(optarg, 10, 1000000, &l) < 0)
			goto bad;
		so->width = (int)l;
		return 1;
	case OPT_HEIGHT:
		if (cli_parse_int(optarg, 1, 1000, &l) < 0)
			goto bad;
		so->frameheight = (int)l;
		return 1;
	case OPT_FONTSIZE:
		if (cli_parse_double(optarg, 0.1, 1000, &d) < 0)
			goto bad;
		so->fontsize = d;
		return 1;
	case OPT_FONTWIDTH:
		if (cli_parse_double(optarg, 0.01, 10, &d) < 0)
			goto bad;
		so->fontwidth = d;
		return 1;
	case OPT_MINWIDTH: {
		char tmp[64];

		n = strlen(optarg);
		if (n == 0 || n >= sizeof(tmp))
			goto bad;
		memcpy(tmp, optarg, n + 1);
		so->minwidth_pct = 0;
		if (tmp[n - 1] == '%') {
			tmp[n - 1] = '\0';
			so->minwidth_pct = 1;
		}
		if (cli_parse_double(tmp, 0, so->minwidth_pct ? 100 : 1e9, &d) < 0)
			goto bad;
		so->minwidth = d;
		return 1;
	}
	}
	return 0;
bad:
	cli_usage_error(cmd, "bad option value \"%s\"", optarg);
	return -1;
}

static int open_filter(const struct input_opts *io, struct filter **f)
{
	struct tp_error err;

	*f = NULL;
	tp_error_init(&err);
	if (!io->focus && !io->ignore && !io->hide)
		return 0;
	if (filter_new(f, io->focus, io->ignore, io->hide, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* Load every input file (stdin when none) into one profile. */
static int load_inputs(char **files, int nfiles, const struct input_opts *io,
		       struct profile *p)
{
	char *stdin_only[] = { "-" };
	struct tp_error err;
	int i;

	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (i = 0; i < nfiles; i++) {
		struct format_report rep;

		memset(&rep, 0, sizeof(rep));
		tp_error_init(&err);
		if (format_load_file(files[i], io->from, &io->fmt, p, &rep, &err) < 0) {
			cli_error(&err);
			return -1;
		}
		print_warnings(&rep);
	}
	return 0;
}

/* Apply the filter (if any) to *p, replacing it. */
static int apply_filter(const struct input_opts *io, struct profile **p)
{
	struct filter *f;
	struct profile *out;
	struct tp_error err;

	if (open_filter(io, &f) < 0)
		return -1;
	if (!f)
		return 0;
	tp_error_init(&err);
	if (filter_profile(f, *p, &out, &err) < 0) {
		filter_free(f);
		cli_error(&err);
		return -1;
	}
	filter_free(f);
	profile_free(*p);
	*p = out;
	return 0;
}

/* Which value a folded output shows: a named sample type, both columns of
 * a differential profile, the only value, or the profile's default. */
int cli_pick_value(const struct profile *p, const char *name, int *vi)
{
	uint32_t u0, u1;

	if (name) {
		*vi = profile_find_sample_type(p, name);
		if (*vi < 0) {
			fprintf(stderr, "tiprof: no sample type \"%s\" in the input\n", name);
			return -1;
		}
		return 0;
	}
	if (profile_nvalues(p) == 2 &&
	    strcmp(profile_str(p, profile_sample_type(p, 0, &u0), NULL), "base") == 0 &&
	    strcmp(profile_str(p, profile_sample_type(p, 1, &u1), NULL), "new") == 0) {
		*vi = -1;
		return 0;
	}
	*vi = profile_nvalues(p) <= 1 ? 0 : top_default_index(p);
	return 0;
}

struct folded_job {
	const struct profile *p;
	int vi;
};

static int write_folded(void *ctx, FILE *fp, struct tp_error *err)
{
	struct folded_job *job = ctx;

	return folded_write(job->p, job->vi, fp, err);
}

static int write_pprof(void *ctx, FILE *fp, struct tp_error *err)
{
	struct folded_job *job = ctx;
	struct buf out;
	int r;

	buf_init(&out, 0);
	r = pprof_encode(job->p, &out, job->vi, err);
	if (r == 0 && fwrite(out.data, 1, out.len, fp) != out.len)
		r = tp_error_set(err, -EIO, NULL, 0, -1, "write error: %s", strerror(errno));
	buf_free(&out);
	return r;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Write p to path: profile.proto for *.pb.gz / *.pb, folded text otherwise. */
static int write_profile(const char *path, const struct profile *p, const char *sample)
{
	struct folded_job job = { p, 0 };

	if (path && (ends_with(path, ".pb.gz") || ends_with(path, ".pb"))) {
		job.vi = ends_with(path, ".gz");
		return cli_write_output(path, write_pprof, &job);
	}
	if (cli_pick_value(p, sample, &job.vi) < 0)
		return -1;
	return cli_write_output(path, write_folded, &job);
}

/* ---- collapse ---- */

static int cmd_collapse(int argc, char **argv)
{
	static const struct option longopts[] = { INPUT_LONGOPTS, { 0, 0, 0, 0 } };
	struct input_opts io;
	struct profile *p;
	int c, rc = EXIT_ERR;

	input_opts_init(&io);
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		int h = input_option("collapse", c, &io);

		if (h < 0)
			return EXIT_USAGE;
		if (h)
			continue;
		if (c == OPT_HELP)
			return cli_help(&command_collapse);
		return cli_usage_error("collapse", "%s", "unknown option");
	}
	p = profile_new();
	if (!p) {
		fprintf(stderr, "tiprof: out of memory\n");
		return EXIT_ERR;
	}
	if (load_inputs(argv + optind, argc - optind, &io, p) < 0 ||
	    apply_filter(&io, &p) < 0 ||
	    write_profile(io.output, p, io.fmt.sample_index) < 0)
		goto out;
	rc = EXIT_OK;
out:
	profile_free(p);
	return rc;
}

/* ---- flamegraph ---- */

struct tree_feed {
	struct flametree *tree;
	struct filter *filter;
	int reverse, chart;
	uint32_t *tmp;
	size_t cap;
	int nvalues;
};

static int feed_stack(void *ctx, struct profile *p, const uint32_t *frames, size_t n,
		      const int64_t *values, int ncolumns)
{
	struct tree_feed *tf = ctx;
	size_t i;
	int r;

	if (!tf->tree) {
		/* The first stack decides between one and two columns. */
		tf->nvalues = ncolumns;
		tf->tree = flametree_new(p, ncolumns, tf->chart);
		if (!tf->tree)
			return -ENOMEM;
	}
	if (ncolumns != tf->nvalues)
		return -EINVAL;
	if (n > tf->cap) {
		uint32_t *nt = realloc(tf->tmp, n * sizeof(*nt));

		if (!nt)
			return -ENOMEM;
		tf->tmp = nt;
		tf->cap = n;
	}
	for (i = 0; i < n; i++)
		tf->tmp[i] = tf->reverse ? frames[n - 1 - i] : frames[i];
	if (tf->filter) {
		r = filter_stack(tf->filter, p, tf->tmp, &n);
		if (r <= 0)
			return r;
	}
	return flametree_add(tf->tree, tf->tmp, n, values);
}

struct svg_job {
	struct flametree *tree;
	const struct svg_opts *so;
};

static int write_svg(void *ctx, FILE *fp, struct tp_error *err)
{
	struct svg_job *job = ctx;

	return svg_render(job->tree, job->so, fp, err);
}

/* Stream every input through the filter into a flame tree. Each input's
 * column count must match the first one's. */
/* What the first input's content calls for when the user did not say:
 * its palette and the name of its counts. */
struct content_hint {
	const char *palette;
	char countname[64];
};

static void hint_from(struct content_hint *h, const struct format_report *rep)
{
	if (h->palette || h->countname[0])
		return;
	h->palette = rep->palette;
	if (!rep->type[0])
		return;
	if (strcmp(rep->unit, "count") != 0 && rep->unit[0])
		snprintf(h->countname, sizeof(h->countname), "%s", rep->unit);
	else if (strcmp(rep->type, "goroutine") == 0)
		snprintf(h->countname, sizeof(h->countname), "goroutines");
	else
		snprintf(h->countname, sizeof(h->countname), "%s", rep->type);
}

static int build_tree(char **files, int nfiles, const struct input_opts *io,
		      struct profile *p, int reverse, int chart,
		      struct flametree **treep, struct filter *filter,
		      struct content_hint *hint)
{
	char *stdin_only[] = { "-" };
	struct tree_feed tf;
	struct tp_error err;
	int i, r = 0;

	memset(&tf, 0, sizeof(tf));
	tf.filter = filter;
	tf.reverse = reverse;
	tf.chart = chart;
	*treep = NULL;
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (i = 0; i < nfiles; i++) {
		struct format_report rep;

		memset(&rep, 0, sizeof(rep));
		tp_error_init(&err);
		r = format_each_file(files[i], io->from, &io->fmt, p, feed_stack, &tf, &rep, &err);
		if (r == -EINVAL && !err.msg[0])
			tp_error_set(&err, r, files[i], 0, -1,
				     "count columns differ from the first input's (%d)", tf.nvalues);
		if (r == 0) {
			print_warnings(&rep);
			hint_from(hint, &rep);
		}
		if (r < 0)
			break;
	}
	free(tf.tmp);
	if (r == 0 && !tf.tree) {	/* no stack at all: an empty graph */
		tf.tree = flametree_new(p, 1, chart);
		if (!tf.tree)
			r = tp_error_set(&err, -ENOMEM, NULL, 0, -1, "out of memory");
	}
	if (r < 0) {
		if (!err.msg[0])
			tp_error_set(&err, r, NULL, 0, -1, "%s", strerror(-r));
		cli_error(&err);
		flametree_free(tf.tree);
		return -1;
	}
	*treep = tf.tree;
	return 0;
}

static int cmd_flamegraph(int argc, char **argv)
{
	static const struct option longopts[] = {
		INPUT_LONGOPTS, SVG_LONGOPTS, { 0, 0, 0, 0 } };
	struct input_opts io;
	struct svg_opts so;
	struct svg_job job;
	struct profile *p = NULL;
	struct flametree *tree = NULL;
	struct filter *filter = NULL;
	struct content_hint hint;
	int c, reverse = 0, chart = 0, user_colors = 0, user_count = 0, rc = EXIT_ERR;

	input_opts_init(&io);
	svg_opts_init(&so);
	memset(&hint, 0, sizeof(hint));
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		int h = input_option("flamegraph", c, &io);

		user_colors |= c == OPT_COLORS;
		user_count |= c == OPT_COUNTNAME;
		if (!h)
			h = svg_option("flamegraph", c, &so, &reverse, &chart);
		if (h < 0)
			return EXIT_USAGE;
		if (h)
			continue;
		if (c == OPT_HELP)
			return cli_help(&command_flamegraph);
		return cli_usage_error("flamegraph", "%s", "unknown option");
	}
	p = profile_new();
	if (!p) {
		fprintf(stderr, "tiprof: out of memory\n");
		return EXIT_ERR;
	}
	if (open_filter(&io, &filter) < 0)
		goto out;
	if (build_tree(argv + optind, argc - optind, &io, p, reverse, chart, &tree, filter,
		       &hint) < 0)
		goto out;
	if (!user_colors && hint.palette)
		so.colors = hint.palette;
	if (!user_count && hint.countname[0])
		so.countname = hint.countname;
	job.tree = tree;
	job.so = &so;
	if (cli_write_output(io.output, write_svg, &job) < 0)
		goto out;
	rc = EXIT_OK;
out:
	flametree_free(tree);
	filter_free(filter);
	profile_free(p);
	return rc;
}

/* ---- diff ---- */


static int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		INPUT_LONGOPTS, SVG_LONGOPTS,
		{ "normalize", no_argument, NULL, 'n' },
		{ "strip-hex", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ 0, 0, 0, 0 } };
	struct input_opts io;
	struct svg_opts so;
	struct diff_opts dopt = { 0, 0 };
	struct profile *side[2] = { NULL, NULL }, *d = NULL;
	struct flametree *tree = NULL;
	struct tp_error err;
	const char *fmt = NULL;
	int c, i, reverse = 0, chart = 0, svg, vi[2], rc = EXIT_ERR;

	input_opts_init(&io);
	svg_opts_init(&so);
	while ((c = getopt_long(argc, argv, "o:ns", longopts, NULL)) != -1) {
		int h = input_option("diff", c, &io);

		if (!h)
			h = svg_option("diff", c, &so, &reverse, &chart);
		if (h < 0)
			return EXIT_USAGE;
		if (h)
			continue;
		switch (c) {
		case 'n': dopt.normalize = 1; continue;
		case 's': dopt.strip_hex = 1; continue;
		case OPT_FORMAT:
			if (strcmp(optarg, "folded") && strcmp(optarg, "svg"))
				return cli_usage_error("diff", "unknown --format \"%s\" (folded, svg)", optarg);
			fmt = optarg;
			continue;
		case OPT_HELP:
			return cli_help(&command_diff);
		}
		return cli_usage_error("diff", "%s", "unknown option");
	}
	if (argc - optind != 2)
		return cli_usage_error("diff", "%s", "needs exactly two inputs: BASE NEW");
	if (chart)
		return cli_usage_error("diff", "%s", "--flamechart does not apply to a differential graph");
	svg = fmt ? strcmp(fmt, "svg") == 0 : (io.output && ends_with(io.output, ".svg"));
	for (i = 0; i < 2; i++) {
		side[i] = profile_new();
		if (!side[i] || load_inputs(argv + optind + i, 1, &io, side[i]) < 0)
			goto out;
		if (cli_pick_value(side[i], io.fmt.sample_index, &vi[i]) < 0)
			goto out;
		if (vi[i] < 0) {
			fprintf(stderr, "tiprof: %s: is already differential (two counts); diff needs one\n",
				argv[optind + i]);
			goto out;
		}
		if (apply_filter(&io, &side[i]) < 0)
			goto out;
	}
	tp_error_init(&err);
	if (diff_profiles(side[0], (size_t)vi[0], side[1], (size_t)vi[1], &dopt, &d, &err) < 0) {
		cli_error(&err);
		goto out;
	}
	if (!svg) {
		struct folded_job job = { d, -1 };

		if (cli_write_output(io.output, write_folded, &job) < 0)
			goto out;
	} else {
		struct svg_job job;
		uint32_t *order = NULL, *tmp = NULL;
		size_t k, cap = 0;
		int r = 0;

		tree = flametree_new(d, 2, 0);
		if (!tree || profile_sorted(d, &order) < 0) {
			fprintf(stderr, "tiprof: out of memory\n");
			goto out;
		}
		for (k = 0; k < profile_nstacks(d) && r == 0; k++) {
			struct stack_view sv;
			uint32_t j;

			profile_stack(d, order[k], &sv);
			if (sv.nframes > cap) {
				uint32_t *nt = realloc(tmp, sv.nframes * sizeof(*nt));

				if (!nt) {
					r = -ENOMEM;
					break;
				}
				tmp = nt;
				cap = sv.nframes;
			}
			for (j = 0; j < sv.nframes; j++)
				tmp[j] = reverse ? sv.frames[sv.nframes - 1 - j] : sv.frames[j];
			r = flametree_add(tree, tmp, sv.nframes, sv.values);
		}
		free(order);
		free(tmp);
		if (r < 0) {
			fprintf(stderr, "tiprof: %s\n", r == -EOVERFLOW ?
				"counts overflow a signed 64-bit sum" : strerror(-r));
			goto out;
		}
		job.tree = tree;
		job.so = &so;
		if (cli_write_output(io.output, write_svg, &job) < 0)
			goto out;
	}
	rc = EXIT_OK;
out:
	flametree_free(tree);
	profile_free(d);
	profile_free(side[0]);
	profile_free(side[1]);
	return rc;
}

#define INPUT_HELP \
"Input (format detected by content; gzip is decompressed transparently):\n" \
"  --from FMT          auto (default), perf (perf script text), folded,\n" \
"                      pprof, zip, goroutine (debug=2 dump), legacy (debug=1)\n" \
"  --entry NAME        zip: the entry to read, by name or kind (cpu, heap,\n" \
"                      allocs, mutex, block, goroutine); default: the CPU profile\n" \
"  --pid, --tid        perf: root frame is comm-PID, or comm-PID/TID\n" \
"  --kernel, --jit     perf: mark kernel frames _[k], JIT frames _[j]\n" \
"  --all               perf: --kernel and --jit\n" \
"  --addrs             perf: show the address of unknown frames\n" \
"  --event-filter EV   perf: keep only events EV (default: the first seen)\n" \
"  --group-threads tikv  perf: fold TiKV thread names into their pools\n" \
"  --repair-rust       perf: repair partly mangled Rust names, drop hashes\n" \
"  --keep-truncated    perf: count a last sample not followed by a blank line\n" \
"  --focus RE          keep only stacks with a frame matching RE\n" \
"  --ignore RE         drop stacks with a frame matching RE\n" \
"  --hide RE           remove frames matching RE from stacks\n" \
"  -o, --output FILE   write FILE atomically (default: stdout)\n"

#define SVG_HELP \
"SVG:\n" \
"  --title T, --subtitle T, --notes T\n" \
"  --countname NAME    unit in tooltips (default: samples)\n" \
"  --nametype TEXT     label of the details bar (default: Function:)\n" \
"  --width PX          image width (1200)      --height PX  frame height (16)\n" \
"  --minwidth PX|N%    omit frames narrower than this (0.1)\n" \
"  --fonttype F, --fontsize N, --fontwidth N\n" \
"  --colors P          hot mem io wakeup chain java js perl red green blue\n" \
"                      aqua yellow purple orange go rust\n" \
"  --bgcolors C        yellow blue green grey or #rrggbb\n" \
"  --hash              colour by name hash\n" \
"  --reverse           merge stacks from the leaf (reverse flame graph)\n" \
"  --inverted          icicle graph (root at the top)\n" \
"  --flamechart        keep input (time) order; do not merge or sort\n" \
"  --negate            swap the differential colours\n"

const struct command command_collapse = {
	"collapse", cmd_collapse, "fold stacks from perf script text or folded files",
	  "usage: tiprof collapse [OPTIONS] [FILE..]\n"
	  "Read stacks (perf script text, folded stacks) and write folded stacks,\n"
	  "one per line, sorted bytewise: \"root;...;leaf COUNT\". Several files\n"
	  "are merged. With no FILE, read standard input.\n\n"
	  INPUT_HELP
};

const struct command command_flamegraph = {
	"flamegraph", cmd_flamegraph, "render an interactive SVG flame graph",
	  "usage: tiprof flamegraph [OPTIONS] [FILE..] [-o OUT.svg]\n"
	  "Render folded stacks or perf script text (several files are merged) as\n"
	  "an interactive SVG: hover for details, click to zoom, Ctrl-F to search.\n"
	  "Two-count (differential) folded input renders as a differential graph.\n\n"
	  INPUT_HELP "\n" SVG_HELP
};

const struct command command_diff = {
	"diff", cmd_diff, "compare two profiles (folded or differential SVG)",
	  "usage: tiprof diff [OPTIONS] BASE NEW [-o OUT]\n"
	  "Write two-count folded stacks \"stack BASE NEW\" for the union of both\n"
	  "inputs, or with -o FILE.svg (or --format svg) a differential flame graph:\n"
	  "widths are NEW, red frames grew and blue frames shrank.\n\n"
	  "  -n, --normalize     scale BASE so its total equals NEW's\n"
	  "  -s, --strip-hex     replace 0x<hex> in names with 0x...\n"
	  "  --format F          folded or svg (default: by the -o name)\n\n"
	  INPUT_HELP "\n" SVG_HELP
};

