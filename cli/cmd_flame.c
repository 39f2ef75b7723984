/* flame.c - the flame graph commands: collapse, flamegraph, diff. */
#include <errno.h>
#include <limits.h>
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
	OPT_NEGATE, OPT_FORMAT, OPT_ENTRY, OPT_NORMALIZE, OPT_STRIP_HEX,
};

#define FORMAT_CHOICES "auto|perf|folded|pprof|zip|goroutine|legacy"

static const struct cli_option input_options[] = {
	{ .name = "from", .id = OPT_FROM, .arg = CLI_CHOICE, .value = "FMT",
	  .choices = FORMAT_CHOICES,
	  .help = "auto (default), perf (perf script text), folded,\n"
		  "pprof, zip, goroutine (debug=2 dump), legacy (debug=1)" },
	{ .name = "entry", .id = OPT_ENTRY, .arg = CLI_STRING, .value = "NAME",
	  .help = "zip: the entry to read, by name or kind (cpu, heap,\n"
		  "allocs, mutex, block, goroutine); default: the CPU profile" },
	{ .name = "sample-index", .id = OPT_SAMPLE_INDEX, .arg = CLI_STRING, .value = "NAME",
	  .help = "the sample type to use (default: the profile's)" },
	{ .name = "max-size", .id = OPT_MAX_SIZE, .arg = CLI_INT, .value = "BYTES",
	  .min = 1, .max = LONG_MAX,
	  .help = "accept a larger decompressed profile" },
	{ .name = "pid", .id = OPT_PID, .help = "perf: root frame is comm-PID" },
	{ .name = "tid", .id = OPT_TID, .help = "perf: root frame is comm-PID/TID" },
	{ .name = "kernel", .id = OPT_KERNEL, .help = "perf: mark kernel frames _[k]" },
	{ .name = "jit", .id = OPT_JIT, .help = "perf: mark JIT frames _[j]" },
	{ .name = "all", .id = OPT_ALL, .help = "perf: --kernel and --jit" },
	{ .name = "addrs", .id = OPT_ADDRS, .help = "perf: show the address of unknown frames" },
	{ .name = "event-filter", .id = OPT_EVENT, .arg = CLI_STRING, .value = "EV",
	  .help = "perf: keep only events EV (default: the first seen)" },
	{ .name = "group-threads", .id = OPT_GROUP, .arg = CLI_CHOICE, .value = "tikv",
	  .choices = "tikv", .help = "perf: fold TiKV thread names into their pools" },
	{ .name = "repair-rust", .id = OPT_RUST,
	  .help = "perf: repair partly mangled Rust names, drop hashes" },
	{ .name = "keep-truncated", .id = OPT_KEEPTRUNC,
	  .help = "perf: count a last sample not followed by a blank line" },
	{ .name = "focus", .id = OPT_FOCUS, .arg = CLI_STRING, .value = "RE",
	  .help = "keep only stacks with a frame matching RE" },
	{ .name = "ignore", .id = OPT_IGNORE, .arg = CLI_STRING, .value = "RE",
	  .help = "drop stacks with a frame matching RE" },
	{ .name = "hide", .id = OPT_HIDE, .arg = CLI_STRING, .value = "RE",
	  .help = "remove frames matching RE from stacks" },
	{ .name = "output", .letter = 'o', .id = 'o', .arg = CLI_STRING, .value = "FILE",
	  .help = "write FILE atomically (default: stdout)" },
	CLI_END
};

static const struct cli_option svg_options[] = {
	{ .name = "title", .id = OPT_TITLE, .arg = CLI_STRING, .value = "T",
	  .help = "the title" },
	{ .name = "subtitle", .id = OPT_SUBTITLE, .arg = CLI_STRING, .value = "T",
	  .help = "a second line under the title" },
	{ .name = "notes", .id = OPT_NOTES, .arg = CLI_STRING, .value = "T",
	  .help = "notes kept in the SVG" },
	{ .name = "countname", .id = OPT_COUNTNAME, .arg = CLI_STRING, .value = "NAME",
	  .help = "unit in tooltips (default: samples)" },
	{ .name = "nametype", .id = OPT_NAMETYPE, .arg = CLI_STRING, .value = "TEXT",
	  .help = "label of the details bar (default: Function:)" },
	{ .name = "width", .id = OPT_WIDTH, .arg = CLI_INT, .value = "PX",
	  .min = 10, .max = 1000000, .help = "image width (default 1200)" },
	{ .name = "height", .id = OPT_HEIGHT, .arg = CLI_INT, .value = "PX",
	  .min = 1, .max = 1000, .help = "frame height (default 16)" },
	{ .name = "minwidth", .id = OPT_MINWIDTH, .arg = CLI_STRING, .value = "PX|N%",
	  .help = "omit frames narrower than this (default 0.1)" },
	{ .name = "fonttype", .id = OPT_FONTTYPE, .arg = CLI_STRING, .value = "F",
	  .help = "font family (default Verdana)" },
	{ .name = "fontsize", .id = OPT_FONTSIZE, .arg = CLI_DOUBLE, .value = "N",
	  .fmin = 0.1, .fmax = 1000, .help = "font size (default 12)" },
	{ .name = "fontwidth", .id = OPT_FONTWIDTH, .arg = CLI_DOUBLE, .value = "N",
	  .fmin = 0.01, .fmax = 10, .help = "average glyph width / font size (default 0.59)" },
	{ .name = "colors", .id = OPT_COLORS, .arg = CLI_STRING, .value = "P",
	  .help = "hot mem io wakeup chain java js perl red green blue\n"
		  "aqua yellow purple orange go rust" },
	{ .name = "bgcolors", .id = OPT_BGCOLORS, .arg = CLI_STRING, .value = "C",
	  .help = "yellow blue green grey or #rrggbb" },
	{ .name = "hash", .id = OPT_HASH, .help = "colour by name hash" },
	{ .name = "reverse", .id = OPT_REVERSE,
	  .help = "merge stacks from the leaf (reverse flame graph)" },
	{ .name = "inverted", .id = OPT_INVERTED, .help = "icicle graph (root at the top)" },
	{ .name = "flamechart", .id = OPT_CHART,
	  .help = "keep input (time) order; do not merge or sort" },
	{ .name = "negate", .id = OPT_NEGATE, .help = "swap the differential colours" },
	CLI_END
};

static const struct cli_option diff_options[] = {
	{ .name = "normalize", .letter = 'n', .id = OPT_NORMALIZE,
	  .help = "scale BASE so its total equals NEW's" },
	{ .name = "strip-hex", .letter = 's', .id = OPT_STRIP_HEX,
	  .help = "replace 0x<hex> in names with 0x..." },
	{ .name = "format", .id = OPT_FORMAT, .arg = CLI_CHOICE, .value = "F",
	  .choices = "folded|svg", .help = "folded or svg (default: by the -o name)" },
	CLI_END
};

#define INPUT_TITLE "Input (format detected by content; gzip is decompressed transparently):"

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

/* Take option c (with its value in a) if it is an input option: 1, or 0. */
static int input_option(struct cli_args *a, int c, struct input_opts *io)
{
	switch (c) {
	case OPT_FROM: format_parse(a->arg, &io->from); return 1;
	case OPT_PID: io->fmt.perf.include_pid = 1; return 1;
	case OPT_TID: io->fmt.perf.include_tid = 1; return 1;
	case OPT_KERNEL: io->fmt.perf.annotate_kernel = 1; return 1;
	case OPT_JIT: io->fmt.perf.annotate_jit = 1; return 1;
	case OPT_ALL: io->fmt.perf.annotate_kernel = io->fmt.perf.annotate_jit = 1; return 1;
	case OPT_ADDRS: io->fmt.perf.include_addrs = 1; return 1;
	case OPT_EVENT: io->fmt.perf.event_filter = a->arg; return 1;
	case OPT_RUST: io->fmt.perf.repair_rust = 1; return 1;
	case OPT_KEEPTRUNC: io->fmt.perf.keep_truncated = 1; return 1;
	case OPT_SAMPLE_INDEX: io->fmt.sample_index = a->arg; return 1;
	case OPT_MAX_SIZE:
		io->fmt.pprof.max_size = (size_t)a->num;
		io->fmt.pprof.max_ratio = GZIP_NO_RATIO;
		return 1;
	case OPT_GROUP: io->fmt.perf.group_tikv = 1; return 1;
	case OPT_FOCUS: io->focus = a->arg; return 1;
	case OPT_IGNORE: io->ignore = a->arg; return 1;
	case OPT_HIDE: io->hide = a->arg; return 1;
	case OPT_ENTRY: io->fmt.entry = a->arg; return 1;
	case 'o': io->output = a->arg; return 1;
	}
	return 0;
}

/* --minwidth PX or N%. */
static void minwidth_option(struct cli_args *a, struct svg_opts *so)
{
	char tmp[64];
	size_t n = strlen(a->arg);
	double d;
	int pct;

	if (n == 0 || n >= sizeof(tmp))
		goto bad;
	memcpy(tmp, a->arg, n + 1);
	pct = tmp[n - 1] == '%';
	if (pct)
		tmp[n - 1] = '\0';
	if (cli_parse_double(tmp, 0, pct ? 100 : 1e9, &d) < 0)
		goto bad;
	so->minwidth_pct = pct;
	so->minwidth = d;
	return;
bad:
	cli_fail(a, "\"%s\" is not a width: PX (0..1000000000) or N%% (0..100%%)", a->arg);
}

/* Take option c if it is an SVG option: 1, or 0. */
static int svg_option(struct cli_args *a, int c, struct svg_opts *so, int *reverse, int *chart)
{
	switch (c) {
	case OPT_TITLE: so->title = a->arg; return 1;
	case OPT_SUBTITLE: so->subtitle = a->arg; return 1;
	case OPT_COUNTNAME: so->countname = a->arg; return 1;
	case OPT_NAMETYPE: so->nametype = a->arg; return 1;
	case OPT_NOTES: so->notes = a->arg; return 1;
	case OPT_FONTTYPE: so->fonttype = a->arg; return 1;
	case OPT_COLORS: so->colors = a->arg; return 1;
	case OPT_BGCOLORS: so->bgcolors = a->arg; return 1;
	case OPT_HASH: so->hash = 1; return 1;
	case OPT_INVERTED: so->inverted = 1; return 1;
	case OPT_NEGATE: so->negate = 1; return 1;
	case OPT_REVERSE: *reverse = 1; return 1;
	case OPT_CHART: *chart = 1; return 1;
	case OPT_WIDTH: so->width = (int)a->num; return 1;
	case OPT_HEIGHT: so->frameheight = (int)a->num; return 1;
	case OPT_FONTSIZE: so->fontsize = a->fnum; return 1;
	case OPT_FONTWIDTH: so->fontwidth = a->fnum; return 1;
	case OPT_MINWIDTH: minwidth_option(a, so); return 1;
	}
	return 0;
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
	struct cli_args a;
	struct input_opts io;
	struct profile *p;
	int c, rc = EXIT_ERR;

	input_opts_init(&io);
	cli_args_init(&a, &command_collapse, argc, argv);
	while ((c = cli_next(&a)) > 0)
		input_option(&a, c, &io);
	if (c < 0)
		return a.status;
	p = profile_new();
	if (!p) {
		fprintf(stderr, "tiprof: out of memory\n");
		return EXIT_ERR;
	}
	if (load_inputs(argv + a.ind, argc - a.ind, &io, p) < 0 ||
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
	struct cli_args a;
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
	cli_args_init(&a, &command_flamegraph, argc, argv);
	while ((c = cli_next(&a)) > 0) {
		user_colors |= c == OPT_COLORS;
		user_count |= c == OPT_COUNTNAME;
		if (!input_option(&a, c, &io))
			svg_option(&a, c, &so, &reverse, &chart);
	}
	if (c < 0)
		return a.status;
	p = profile_new();
	if (!p) {
		fprintf(stderr, "tiprof: out of memory\n");
		return EXIT_ERR;
	}
	if (open_filter(&io, &filter) < 0)
		goto out;
	if (build_tree(argv + a.ind, argc - a.ind, &io, p, reverse, chart, &tree, filter,
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
	struct cli_args a;
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
	cli_args_init(&a, &command_diff, argc, argv);
	while ((c = cli_next(&a)) > 0) {
		if (input_option(&a, c, &io) || svg_option(&a, c, &so, &reverse, &chart))
			continue;
		switch (c) {
		case OPT_NORMALIZE: dopt.normalize = 1; break;
		case OPT_STRIP_HEX: dopt.strip_hex = 1; break;
		case OPT_FORMAT: fmt = a.arg; break;
		}
	}
	if (c < 0)
		return a.status;
	if (argc - a.ind != 2)
		return cli_usage_error("diff", "needs exactly two inputs: BASE NEW");
	if (chart)
		return cli_usage_error("diff", "--flamechart does not apply to a differential graph");
	svg = fmt ? strcmp(fmt, "svg") == 0 : (io.output && ends_with(io.output, ".svg"));
	for (i = 0; i < 2; i++) {
		side[i] = profile_new();
		if (!side[i] || load_inputs(argv + a.ind + i, 1, &io, side[i]) < 0)
			goto out;
		if (cli_pick_value(side[i], io.fmt.sample_index, &vi[i]) < 0)
			goto out;
		if (vi[i] < 0) {
			fprintf(stderr, "tiprof: %s: is already differential (two counts); diff needs one\n",
				argv[a.ind + i]);
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

static const struct cli_group collapse_groups[] = {
	{ INPUT_TITLE, input_options },
	{ NULL, NULL }
};

static const struct cli_group flamegraph_groups[] = {
	{ INPUT_TITLE, input_options },
	{ "SVG:", svg_options },
	{ NULL, NULL }
};

static const struct cli_group diff_groups[] = {
	{ NULL, diff_options },
	{ INPUT_TITLE, input_options },
	{ "SVG:", svg_options },
	{ NULL, NULL }
};

const struct command command_collapse = {
	.name = "collapse", .run = cmd_collapse,
	.summary = "fold stacks from perf script text or folded files",
	.usage =
	"usage: tiprof collapse [OPTIONS] [FILE..]\n"
	"Read stacks (perf script text, folded stacks) and write folded stacks,\n"
	"one per line, sorted bytewise: \"root;...;leaf COUNT\". Several files\n"
	"are merged. With no FILE, read standard input.\n",
	.groups = collapse_groups,
};

const struct command command_flamegraph = {
	.name = "flamegraph", .run = cmd_flamegraph,
	.summary = "render an interactive SVG flame graph",
	.usage =
	"usage: tiprof flamegraph [OPTIONS] [FILE..] [-o OUT.svg]\n"
	"Render folded stacks or perf script text (several files are merged) as\n"
	"an interactive SVG: hover for details, click to zoom, Ctrl-F to search.\n"
	"Two-count (differential) folded input renders as a differential graph.\n",
	.groups = flamegraph_groups,
};

const struct command command_diff = {
	.name = "diff", .run = cmd_diff,
	.summary = "compare two profiles (folded or differential SVG)",
	.usage =
	"usage: tiprof diff [OPTIONS] BASE NEW [-o OUT]\n"
	"Write two-count folded stacks \"stack BASE NEW\" for the union of both\n"
	"inputs, or with -o FILE.svg (or --format svg) a differential flame graph:\n"
	"widths are NEW, red frames grew and blue frames shrank.\n",
	.groups = diff_groups,
};
