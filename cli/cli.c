/* cli.c - see cli.h */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/outfile.h"

void cli_error(const struct tp_error *err)
{
	char line[1024];

	fprintf(stderr, "tiprof: %s\n", tp_error_format(err, line, sizeof(line)));
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "tiprof %s: ", cmd);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
	fprintf(stderr, "\nTry 'tiprof help %s'.\n", cmd);
	return EXIT_USAGE;
}

int cli_parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min && v <= max))
		return -1;
	*out = v;
	return 0;
}

int cli_help(const struct command *cmd)
{
	printf("%s", cmd->usage);
	return EXIT_OK;
}

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

