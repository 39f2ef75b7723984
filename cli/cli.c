/* cli.c - see cli.h */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/outfile.h"

#define HELP_ID (-2)	/* the built-in -h, --help; never returned */
#define HELP_COLUMN 22	/* where the help text of an option starts */

static const struct cli_option help_option = {
	.name = "help", .letter = 'h', .id = HELP_ID, .arg = CLI_NOARG,
	.help = "show this help",
};

void cli_error(const struct tp_error *err)
{
	char line[1024];

	fprintf(stderr, "tiprof: %s\n", tp_error_format(err, line, sizeof(line)));
}

/* ---- usage errors: one line each ---- */

__attribute__((format(printf, 3, 0)))
static void usage_line(const char *cmd, const char *what, const char *fmt, va_list ap)
{
	char msg[1024], line[1400];
	size_t i;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* help's own errors point to the list of commands */
	snprintf(line, sizeof(line), "tiprof %s: %s%s%s; see 'tiprof %s%s'", cmd,
		 what ? what : "", what ? ": " : "", msg, strcmp(cmd, "help") ? "help " : "--help",
		 strcmp(cmd, "help") ? cmd : "");
	/* Arguments are the user's text: keep the message on one line. */
	for (i = 0; line[i]; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	fprintf(stderr, "%s\n", line);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	usage_line(cmd, NULL, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

int cli_fail(struct cli_args *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	usage_line(a->cmd->name, a->spelled, fmt, ap);
	va_end(ap);
	a->status = EXIT_USAGE;
	a->cluster = NULL;
	return EXIT_USAGE;
}

/* ---- numbers ---- */

int cli_parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (isspace((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end)
		return -EINVAL;
	if (errno || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int cli_parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (isspace((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || v != v)
		return -EINVAL;
	if (errno || !(v >= min && v <= max))
		return -ERANGE;
	*out = v;
	return 0;
}

static const char *int_range(long min, long max, char *out, size_t n)
{
	if (max == LONG_MAX)
		snprintf(out, n, "at least %ld", min);
	else
		snprintf(out, n, "%ld..%ld", min, max);
	return out;
}

static const char *double_range(double min, double max, char *out, size_t n)
{
	snprintf(out, n, "%.10g..%.10g", min, max);
	return out;
}

static const char *number_problem(int r)
{
	return r == -ERANGE ? "is out of range" : "is not a number";
}

int cli_want_int(const char *cmd, const char *what, const char *s, long min, long max,
		 long *out)
{
	char range[64];
	int r = cli_parse_int(s, min, max, out);

	if (r == 0)
		return 0;
	return cli_usage_error(cmd, "%s: \"%s\" %s (%s)", what, s, number_problem(r),
			       int_range(min, max, range, sizeof(range)));
}

int cli_want_double(const char *cmd, const char *what, const char *s, double min,
		    double max, double *out)
{
	char range[80];
	int r = cli_parse_double(s, min, max, out);

	if (r == 0)
		return 0;
	return cli_usage_error(cmd, "%s: \"%s\" %s (%s)", what, s, number_problem(r),
			       double_range(min, max, range, sizeof(range)));
}

/* ---- walking a command's options ---- */

struct walk {
	const struct command *cmd;
	size_t group, i;
	int help_done;
};

static void walk_init(struct walk *w, const struct command *cmd)
{
	memset(w, 0, sizeof(*w));
	w->cmd = cmd;
}

/* Every option of the command in table order, then the built-in help. */
static const struct cli_option *walk_next(struct walk *w)
{
	const struct cli_group *g;

	while (w->cmd->groups && (g = &w->cmd->groups[w->group])->opts) {
		const struct cli_option *o = &g->opts[w->i];

		if (o->name || o->letter) {
			w->i++;
			return o;
		}
		w->group++;
		w->i = 0;
	}
	if (w->help_done)
		return NULL;
	w->help_done = 1;
	return &help_option;
}

/* ---- the parser ---- */

void cli_args_init(struct cli_args *a, const struct command *cmd, int argc, char **argv)
{
	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->argc = argc;
	a->argv = argv;
	a->ind = 1;
	a->status = -1;
	a->choice = -1;
}

/* Move the slots of the option just parsed, argv[optstart..ind), before
 * the operands set aside (which end at optstart), as getopt does. */
static void settle(struct cli_args *a)
{
	char *slot[2];
	int k = a->ind - a->optstart, i;

	if (!a->nops || k <= 0 || k > 2)
		return;
	for (i = 0; i < k; i++)
		slot[i] = a->argv[a->optstart + i];
	memmove(&a->argv[a->first_op + k], &a->argv[a->first_op],
		(size_t)a->nops * sizeof(a->argv[0]));
	for (i = 0; i < k; i++)
		a->argv[a->first_op + i] = slot[i];
	a->first_op += k;
}

static int choice_index(const char *choices, const char *word)
{
	size_t n = strlen(word);
	const char *p = choices;
	int i;

	for (i = 0; p; i++) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return i;
		p = bar ? bar + 1 : NULL;
	}
	return -1;
}

/* "a, b or c" from "a|b|c". */
static const char *choice_list(const char *choices, char *out, size_t n)
{
	const char *p = choices;
	size_t at = 0;

	out[0] = '\0';
	while (p && at < n) {
		const char *bar = strchr(p, '|');
		int len = bar ? (int)(bar - p) : (int)strlen(p);

		at += (size_t)snprintf(out + at, n - at, "%s%.*s",
				       p == choices ? "" : bar ? ", " : " or ", len, p);
		p = bar ? bar + 1 : NULL;
	}
	return out;
}

/* Check and convert the value of o; the option's id, or -1. */
static int take(struct cli_args *a, const struct cli_option *o, const char *value)
{
	char range[160];
	int r;

	a->opt = o;
	a->arg = value;
	a->num = 0;
	a->fnum = 0;
	a->choice = -1;
	switch (o->arg) {
	case CLI_NOARG:
		if (o->id == HELP_ID) {
			a->status = cli_help(a->cmd);
			return -1;
		}
		break;
	case CLI_STRING:
		break;
	case CLI_INT:
		if ((r = cli_parse_int(value, o->min, o->max, &a->num)) < 0) {
			cli_fail(a, "\"%s\" %s (%s)", value, number_problem(r),
				 int_range(o->min, o->max, range, sizeof(range)));
			return -1;
		}
		break;
	case CLI_DOUBLE:
		if ((r = cli_parse_double(value, o->fmin, o->fmax, &a->fnum)) < 0) {
			cli_fail(a, "\"%s\" %s (%s)", value, number_problem(r),
				 double_range(o->fmin, o->fmax, range, sizeof(range)));
			return -1;
		}
		break;
	case CLI_CHOICE:
		if ((a->choice = choice_index(o->choices, value)) < 0) {
			cli_fail(a, "\"%s\" is not %s", value,
				 choice_list(o->choices, range, sizeof(range)));
			return -1;
		}
		break;
	}
	return o->id;
}

/* The option named name[0..len), or the only one it abbreviates; NULL
 * after the usage error. */
static const struct cli_option *find_long(struct cli_args *a, const char *name, size_t len)
{
	const struct cli_option *o, *found = NULL;
	struct walk w;
	char list[512];
	size_t at = 0;
	int ambiguous = 0;

	walk_init(&w, a->cmd);
	while (len && (o = walk_next(&w))) {
		if (!o->name || strncmp(o->name, name, len) != 0)
			continue;
		if (o->name[len] == '\0')
			return o;
		if (found && found->id != o->id)
			ambiguous = 1;
		if (!found)
			found = o;
	}
	if (found && !ambiguous)
		return found;
	if (!found) {
		cli_fail(a, "unknown option");
		return NULL;
	}
	walk_init(&w, a->cmd);
	while ((o = walk_next(&w)) && at < sizeof(list))
		if (o->name && strncmp(o->name, name, len) == 0 && !(o->flags & CLI_HIDDEN))
			at += (size_t)snprintf(list + at, sizeof(list) - at, "%s--%s",
					       at ? ", " : "", o->name);
	cli_fail(a, "ambiguous (%s)", list);
	return NULL;
}

static int long_option(struct cli_args *a, const char *s)
{
	const char *eq = strchr(s, '='), *value = NULL;
	size_t len = eq ? (size_t)(eq - s) : strlen(s);
	const struct cli_option *o;

	snprintf(a->spelled, sizeof(a->spelled), "--%.*s", (int)len, s);
	if (!(o = find_long(a, s, len)))
		return -1;
	snprintf(a->spelled, sizeof(a->spelled), "--%s", o->name);
	a->ind++;
	if (o->arg == CLI_NOARG && eq) {
		cli_fail(a, "takes no value");
		return -1;
	}
	if (o->arg != CLI_NOARG) {
		if (eq) {
			value = eq + 1;
		} else if (a->ind < a->argc) {
			value = a->argv[a->ind++];
		} else {
			cli_fail(a, "needs a value");
			return -1;
		}
	}
	settle(a);
	return take(a, o, value);
}

static const struct cli_option *find_short(const struct command *cmd, int c)
{
	const struct cli_option *o;
	struct walk w;

	walk_init(&w, cmd);
	while ((o = walk_next(&w)))
		if (o->letter == c)
			return o;
	return NULL;
}

/* The next letter of a "-xyz" cluster. */
static int short_option(struct cli_args *a)
{
	const struct cli_option *o;
	const char *value = NULL;
	int c = (unsigned char)*a->cluster++;

	snprintf(a->spelled, sizeof(a->spelled), "-%c", c);
	if (!(o = find_short(a->cmd, c))) {
		cli_fail(a, "unknown option");
		return -1;
	}
	if (o->arg != CLI_NOARG) {
		if (*a->cluster) {
			value = a->cluster;
		} else if (a->ind + 1 < a->argc) {
			value = a->argv[++a->ind];
		} else {
			cli_fail(a, "needs a value");
			return -1;
		}
		a->cluster = NULL;
	}
	if (!a->cluster || !*a->cluster) {
		a->cluster = NULL;
		a->ind++;
		settle(a);
	}
	return take(a, o, value);
}

/* No more options: the operands start at ind. */
static int end_options(struct cli_args *a)
{
	if (a->nops)
		a->ind = a->first_op;
	a->nops = 0;
	a->status = -2;	/* done: later calls return 0 */
	return 0;
}

int cli_next(struct cli_args *a)
{
	const char *s;

	if (a->status == -2)
		return 0;
	if (a->status >= 0)
		return -1;
	if (a->cluster)
		return short_option(a);
	while (a->ind < a->argc) {
		s = a->argv[a->ind];
		if (s[0] != '-' || s[1] == '\0') {	/* an operand ("-" is stdin) */
			if (a->cmd->flags & CLI_IN_ORDER)
				return end_options(a);
			if (a->nops++ == 0)
				a->first_op = a->ind;
			a->ind++;
			continue;
		}
		a->optstart = a->ind;
		if (strcmp(s, "--") == 0) {
			a->ind++;
			settle(a);
			return end_options(a);
		}
		if (s[1] == '-')
			return long_option(a, s + 2);
		a->cluster = s + 1;
		return short_option(a);
	}
	return end_options(a);
}

/* ---- help ---- */

static void print_option(FILE *fp, const struct cli_option *o)
{
	char left[128];
	const char *h = o->help ? o->help : "", *nl;
	int n;

	if (o->letter && o->name)
		n = snprintf(left, sizeof(left), "  -%c, --%s", o->letter, o->name);
	else if (o->letter)
		n = snprintf(left, sizeof(left), "  -%c", o->letter);
	else
		n = snprintf(left, sizeof(left), "  --%s", o->name);
	if (o->arg != CLI_NOARG && n > 0 && (size_t)n < sizeof(left))
		n += snprintf(left + n, sizeof(left) - (size_t)n, " %s",
			      o->value ? o->value : "VALUE");
	fputs(left, fp);
	for (;;) {
		nl = strchr(h, '\n');
		fprintf(fp, "%*s%.*s\n", n < HELP_COLUMN - 1 ? HELP_COLUMN - n : 2, "",
			nl ? (int)(nl - h) : (int)strlen(h), h);
		if (!nl || !nl[1])
			break;
		h = nl + 1;
		n = 0;
	}
}

int cli_help(const struct command *cmd)
{
	const struct cli_group *g;
	const struct cli_option *o;

	fputs(cmd->usage, stdout);
	for (g = cmd->groups; g && g->opts; g++) {
		fputs("\n", stdout);
		if (g->title)
			printf("%s\n", g->title);
		for (o = g->opts; o->name || o->letter; o++)
			if (!(o->flags & CLI_HIDDEN))
				print_option(stdout, o);
	}
	fputs("\n", stdout);
	print_option(stdout, &help_option);
	fflush(stdout);
	return EXIT_OK;
}

/* ---- outputs ---- */

int cli_write_output(const char *path, cli_writer_fn write, void *ctx)
{
	struct outfile *of;
	struct tp_error err;

	tp_error_init(&err);
	if (outfile_open(&of, path, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	if (write(ctx, outfile_stream(of), &err) < 0) {
		outfile_abort(of);
		if (path && strcmp(path, "-") && !err.file[0])
			snprintf(err.file, sizeof(err.file), "%s", path);
		cli_error(&err);
		return -1;
	}
	if (outfile_commit(of, &err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}
