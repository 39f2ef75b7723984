/* tiprof.c - the command-line entry: the subcommand table, global options
 * and dispatch. The commands themselves live in cli/. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_help(int argc, char **argv);

static const struct command command_help = {
	.name = "help", .run = cmd_help, .summary = "show help for a command",
	.usage =
	"usage: tiprof help [COMMAND]\n"
	"Show the commands, or COMMAND's options (as 'tiprof COMMAND --help').\n",
};

static const struct command *const commands[] = {
	&command_collapse,
	&command_flamegraph,
	&command_diff,
	&command_iostat,
	&command_iotop,
	&command_threads,
	&command_record,
	&command_top,
	&command_capture,
	&command_fetch,
	&command_topology,
	&command_hostinfo,
	&command_report,
	&command_help,
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void main_usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
		"usage: tiprof [--version] [--help] COMMAND [ARGS]\n\n"
		"Profiling and diagnostics for TiDB cluster stress tests.\n\n"
		"Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(fp, "\n'tiprof help COMMAND' or 'tiprof COMMAND --help' shows a command's options.\n"
		"Exit status: 0 ok, 1 error, 2 usage, 3 partial result.\n");
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;
	struct cli_args a;
	int r;

	cli_args_init(&a, &command_help, argc, argv);
	while ((r = cli_next(&a)) > 0)
		;
	if (r < 0)
		return a.status;
	if (argc - a.ind > 1)
		return cli_usage_error("help", "give one command, not %d", argc - a.ind);
	if (argc - a.ind == 0) {
		main_usage(stdout);
		return EXIT_OK;
	}
	c = find_command(argv[a.ind]);
	if (!c)
		return cli_usage_error("help", "unknown command \"%s\"", argv[a.ind]);
	return cli_help(c);
}

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("tiprof %s\n", TIPROF_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		main_usage(stdout);
		return EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "tiprof: unknown command \"%s\"; see 'tiprof --help'\n", argv[1]);
		return EXIT_USAGE;
	}
	/* Each command parses its own options from argv[1]. */
	return c->run(argc - 1, argv + 1);
}
