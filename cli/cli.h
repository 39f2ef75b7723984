/* cli.h - what the command files share: the command record, its option
 * table and the one option parser, exit codes, and the helpers that print
 * errors and write outputs. Only cli/ and tiprof.c print. */
#ifndef TIPROF_CLI_H
#define TIPROF_CLI_H

#include <stdio.h>
#include "analyzers/base/error.h"

/* What every command's run() returns. */
enum { EXIT_OK = 0, EXIT_ERR = 1, EXIT_USAGE = 2, EXIT_PARTIAL = 3 };

/* ---- the option table ----
 *
 * Each command lists its options in tables of struct cli_option, grouped
 * (struct cli_group) as its help shows them. cli_next() parses argv with
 * them and cli_help() prints the option part of the help from them, so the
 * help cannot miss an option. Spellings follow getopt_long: "-x", "-xVALUE",
 * "-x VALUE", clustered "-xy", "--name", "--name=VALUE", "--name VALUE", a
 * unique prefix of a long name, "--" ends the options. Options and operands
 * may be mixed unless the command has CLI_IN_ORDER. "-h" and "--help" are
 * built in. Several entries may share an id: each is a spelling of the same
 * option (an alias; mark all but one CLI_HIDDEN to keep the help short). */

enum cli_arg {
	CLI_NOARG,	/* a flag */
	CLI_STRING,	/* any text: cli_args.arg */
	CLI_INT,	/* a whole number in [min, max]: cli_args.num */
	CLI_DOUBLE,	/* a number in [fmin, fmax]: cli_args.fnum */
	CLI_CHOICE,	/* one of the words of choices: cli_args.choice */
};

/* cli_option.flags */
enum {
	CLI_HIDDEN = 1 << 0,	/* accepted, not listed in the help */
};

struct cli_option {
	const char *name;	/* long name without "--"; NULL: a letter only */
	int letter;		/* short option letter; 0: a long name only */
	int id;			/* what cli_next() returns for it; > 0 */
	enum cli_arg arg;
	const char *value;	/* the value's name in the help: FILE, PX */
	const char *help;	/* help text; lines separated by "\n" */
	unsigned flags;		/* CLI_HIDDEN, ... */
	long min, max;		/* CLI_INT: the accepted range */
	double fmin, fmax;	/* CLI_DOUBLE: the accepted range */
	const char *choices;	/* CLI_CHOICE: the words, "a|b|c" */
};

/* Ends a table of options. */
#define CLI_END { .name = NULL, .letter = 0 }

struct cli_group {
	const char *title;		/* heading in the help, or NULL */
	const struct cli_option *opts;	/* ends with CLI_END */
};

/* command.flags */
enum {
	CLI_IN_ORDER = 1 << 0,	/* options end at the first operand (record -- CMD) */
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the command name;
						 * returns an EXIT_* code */
	const char *summary;
	const char *usage;		/* "usage: tiprof NAME ..." and what it does */
	const struct cli_group *groups;	/* its options; ends with { NULL, NULL } */
	unsigned flags;			/* CLI_IN_ORDER */
};

/* The commands, one record per command file. */
extern const struct command command_collapse, command_flamegraph, command_diff;
extern const struct command command_iostat, command_iotop, command_threads;
extern const struct command command_record;
extern const struct command command_top;
extern const struct command command_fetch, command_topology, command_capture;
extern const struct command command_hostinfo, command_report;

/* ---- the parser ---- */

struct cli_args {
	const struct command *cmd;
	int argc;
	char **argv;
	int ind;		/* when cli_next() returned 0: the first operand */
	/* the option cli_next() returned last */
	const struct cli_option *opt;
	const char *arg;	/* its value, NULL for a flag */
	long num;		/* CLI_INT */
	double fnum;		/* CLI_DOUBLE */
	int choice;		/* CLI_CHOICE: index of the word in choices */
	char spelled[64];	/* the option as messages name it: "-F", "--width" */
	int status;		/* when cli_next() returned -1: the exit code */
	/* private */
	const char *cluster;	/* the letters left of a "-xyz" */
	int optstart;		/* argv index of the option being parsed */
	int first_op, nops;	/* operands set aside so far */
};

void cli_args_init(struct cli_args *a, const struct command *cmd, int argc, char **argv);

/* The next option: its id (> 0) with its value in a; 0 when the options
 * end, the operands being argv[a->ind..argc-1]; -1 when the command must
 * return a->status now: EXIT_OK after -h/--help printed the help,
 * EXIT_USAGE after a usage error was printed (also on the call after
 * cli_fail()). Operands may be reordered within argv, as getopt does. */
int cli_next(struct cli_args *a);

/* A usage error about the option cli_next() returned last:
 * "tiprof CMD: --opt: <fmt...>" on one line of stderr. The next
 * cli_next() returns -1. Returns EXIT_USAGE. */
int cli_fail(struct cli_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "tiprof CMD: <fmt...>; see 'tiprof help CMD'", one line on stderr;
 * returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print cmd's help (usage text and options) to stdout; returns EXIT_OK. */
int cli_help(const struct command *cmd);

/* Strict number parsing within [min, max]: 0, -EINVAL (not a number) or
 * -ERANGE (outside the range). */
int cli_parse_int(const char *s, long min, long max, long *out);
int cli_parse_double(const char *s, double min, double max, double *out);

/* The same for an operand or a list item: on failure print the usage
 * error "tiprof CMD: WHAT: "s" is not a number (min..max)" and return
 * EXIT_USAGE; 0 when *out is set. */
int cli_want_int(const char *cmd, const char *what, const char *s, long min, long max,
		 long *out);
int cli_want_double(const char *cmd, const char *what, const char *s, double min,
		    double max, double *out);

/* ---- errors and outputs ---- */

struct profile;

/* The value a single-column output of p shows: the sample type named
 * name, -1 for both columns of a differential (base/new) profile, the only
 * value, or the profile's default type. Prints the error; 0 or -1. */
int cli_pick_value(const struct profile *p, const char *name, int *vi);

/* "tiprof: FILE:LINE: message" on stderr. */
void cli_error(const struct tp_error *err);

/* Run write(ctx, stream, err) into path atomically (NULL or "-": stdout).
 * Prints the error itself; returns 0 or -1. */
typedef int (*cli_writer_fn)(void *ctx, FILE *fp, struct tp_error *err);
int cli_write_output(const char *path, cli_writer_fn write, void *ctx);

#endif
