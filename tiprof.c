/* tiprof.c - the command-line entry: subcommand table, global options,
 * dispatch. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("tiprof %s\n", TIPROF_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: tiprof COMMAND [ARGS]\n");
	return 2;
}
