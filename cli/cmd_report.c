/* report.c - `tiprof report BUNDLE`: read a capture bundle offline and
 * write report/ (flame graphs, charts, top.txt, issue.md, index.html). The
 * work is in analyzers/bundle/evidence.c, analyzers/diagnose/rules.c and
 * flamegraph/report/report.c; this file parses options and prints. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/bundle/evidence.h"
#include "cli/cli.h"
#include "flamegraph/report/report.h"
#include "analyzers/diagnose/rules.h"

static int cmd_report(int argc, char **argv);

enum { OPT_FORMAT = 256 };

static const struct cli_option report_options[] = {
	{ .name = "output", .letter = 'o', .id = 'o', .arg = CLI_STRING, .value = "DIR",
	  .help = "output directory" },
	{ .name = "format", .id = OPT_FORMAT, .arg = CLI_STRING, .value = "LIST",
	  .help = "md, html or md,html (the default): which drafts to write" },
	CLI_END
};

static const struct cli_group report_groups[] = {
	{ NULL, report_options },
	{ NULL, NULL }
};

const struct command command_report = {
	.name = "report", .run = cmd_report,
	.summary = "write the issue draft, flame graphs and charts of a capture bundle",
	.usage =
	"usage: tiprof report BUNDLE [-o DIR] [--format md,html]\n"
	"\n"
	"Reads a capture bundle (docs/capture-bundle.md) offline and writes DIR\n"
	"(default BUNDLE/report):\n"
	"  INSTANCE.svg, INSTANCE.folded     CPU flame graph and folded stacks per instance\n"
	"  INSTANCE.pool-POOL.svg            one per TiKV (or local) thread pool\n"
	"  io-*.svg, threads-cpu.svg, workload*.svg   charts of the time series\n"
	"  top.txt                           top functions per instance\n"
	"  issue.md                          the issue draft: title, summary, environment,\n"
	"                                    topology, workload, how it was captured, what the\n"
	"                                    profiles show, suggested optimisation (rule-based,\n"
	"                                    each with its evidence), reproduction steps\n"
	"  index.html                        the same, self-contained, flame graphs embedded\n"
	"\n"
	"A failed or empty capture gives a report that says so. docs/report.md lists\n"
	"the sections and the rules. Prints the paths written; exit 0 when the report\n"
	"was written, 1 on error.\n",
	.groups = report_groups,
};

static int parse_format(const char *s, int *md, int *html)
{
	char buf[64], *tok, *save = NULL;

	*md = *html = 0;
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "md") == 0)
			*md = 1;
		else if (strcmp(tok, "html") == 0)
			*html = 1;
		else
			return -1;
	}
	return *md || *html ? 0 : -1;
}

static int cmd_report(int argc, char **argv)
{
	struct cli_args a;
	struct report_opts ro;
	struct report_files rf;
	struct evidence *ev;
	struct finding *f = NULL;
	struct tp_error err;
	char outdir[4200];
	size_t nf = 0, i, hints = 0;
	int c, rc, md = 1, html = 1, j;

	memset(&ro, 0, sizeof(ro));
	cli_args_init(&a, &command_report, argc, argv);
	while ((c = cli_next(&a)) > 0) {
		switch (c) {
		case 'o':
			ro.outdir = a.arg;
			break;
		case OPT_FORMAT:
			if (parse_format(a.arg, &md, &html) < 0)
				cli_fail(&a, "\"%s\" is not md, html or md,html", a.arg);
			break;
		}
	}
	if (c < 0)
		return a.status;
	if (argc - a.ind != 1)
		return cli_usage_error("report", argc - a.ind ? "give one bundle directory"
							      : "which bundle? give its directory");
	argv += a.ind;
	if (!ro.outdir) {
		snprintf(outdir, sizeof(outdir), "%s/report", argv[0]);
		ro.outdir = outdir;
	}
	ro.md = md;
	ro.html = html;
	ev = malloc(sizeof(*ev));
	if (!ev) {
		fprintf(stderr, "tiprof: report: out of memory\n");
		return EXIT_ERR;
	}
	tp_error_init(&err);
	if (evidence_load(argv[0], ev, &err) < 0) {
		cli_error(&err);
		evidence_free(ev);
		free(ev);
		return EXIT_ERR;
	}
	for (j = 0; j < ev->nnotes; j++)
		fprintf(stderr, "tiprof: report: %s\n", ev->notes[j]);
	for (i = 0; i < ev->ninst; i++)
		if (!ev->inst[i].cpu.present)
			fprintf(stderr, "tiprof: report: %s %s: no CPU profile%s%s\n", ev->inst[i].component,
				ev->inst[i].address, ev->inst[i].reason[0] ? ": " : "", ev->inst[i].reason);
	if (rules_run(ev, &f, &nf) < 0) {
		fprintf(stderr, "tiprof: report: out of memory\n");
		evidence_free(ev);
		free(ev);
		return EXIT_ERR;
	}
	rc = report_write(ev, f, nf, &ro, &rf, &err);
	if (rc < 0) {
		cli_error(&err);
	} else {
		for (i = 0; i < nf; i++)
			hints += f[i].kind == RULE_HINT;
		if (rf.first_problem[0])
			fprintf(stderr, "tiprof: report: not rendered: %s\n", rf.first_problem);
		fprintf(stderr, "report: %zu instances, %zu findings (%zu hints), %d files in %s\n",
			ev->ninst, nf, hints, rf.nwritten, ro.outdir);
		if (md)
			printf("%s/issue.md\n", ro.outdir);
		if (html)
			printf("%s/index.html\n", ro.outdir);
	}
	report_files_free(&rf);
	free(f);
	evidence_free(ev);
	free(ev);
	return rc < 0 ? EXIT_ERR : EXIT_OK;
}
