/* cli.h - what the command files share: the command record, exit codes,
 * and the helpers that print errors and write outputs. Only cli/ and
 * tiprof.c print. */
#ifndef TIPROF_CLI_H
#define TIPROF_CLI_H

#include <stdio.h>
#include "analyzers/base/error.h"

enum { EXIT_OK = 0, EXIT_ERR = 1, EXIT_USAGE = 2, EXIT_PARTIAL = 3 };

struct command {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the command name */
	const char *summary;
	const char *usage;
};

/* The commands, one record per command file. */
extern const struct command command_collapse, command_flamegraph, command_diff;
extern const struct command command_iostat, command_iotop, command_threads;
extern const struct command command_record;
extern const struct command command_top;
extern const struct command command_fetch, command_topology, command_capture;
extern const struct command command_hostinfo, command_report;

struct profile;

/* The value a single-column output of p shows: the sample type named
 * name, -1 for both columns of a differential (base/new) profile, the only
 * value, or the profile's default type. Prints the error; 0 or -1. */
int cli_pick_value(const struct profile *p, const char *name, int *vi);

/* "tiprof: FILE:LINE: message" on stderr. */
void cli_error(const struct tp_error *err);

/* "tiprof CMD: <fmt with arg>" and a hint on stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
	__attribute__((format(printf, 2, 0)));

/* Print cmd's usage text to stdout; returns EXIT_OK. */
int cli_help(const struct command *cmd);

/* Strict number parsing within [min, max]; 0 or -1. */
int cli_parse_int(const char *s, long min, long max, long *out);
int cli_parse_double(const char *s, double min, double max, double *out);

/* Run write(ctx, stream, err) into path atomically (NULL or "-": stdout).
 * Prints the error itself; returns 0 or -1. */
typedef int (*cli_writer_fn)(void *ctx, FILE *fp, struct tp_error *err);
int cli_write_output(const char *path, cli_writer_fn write, void *ctx);

#endif
