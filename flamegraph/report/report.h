/* report.h - `tiprof report`: a capture bundle's evidence as files.
 *
 * Writes into the output directory (created when missing):
 *   DIR.folded, DIR.svg          each instance's CPU profile (DIR is the
 *                                instance's directory in the bundle; the
 *                                local sampler's is "local")
 *   DIR.pool-POOL.svg/.folded    one per thread pool (TiKV, local)
 *   DIR.mutex.svg                a Go mutex profile with delay in it
 *   io-util.svg, io-await.svg, io-throughput.svg, io-writers.svg,
 *   threads-cpu.svg, workload.svg
 *                                charts, when the bundle has the series
 *   top.txt                      the top-N tables, as text
 *   issue.md, index.html         the issue draft (issue.h), as chosen
 * Every file goes through a temporary file and a rename. Output is
 * deterministic for a given bundle.
 */
#ifndef TIPROF_REPORT_H
#define TIPROF_REPORT_H

#include <stddef.h>
#include "analyzers/base/error.h"
#include "analyzers/bundle/evidence.h"
#include "analyzers/diagnose/rules.h"

#define REPORT_MAX_CHARTS 8

struct report_opts {
	const char *outdir;	/* the directory to write */
	int md, html;		/* which drafts */
	size_t embed_max;	/* bytes of SVG index.html may embed (0: 64 MiB) */
};

/* What was written for one instance ("" when nothing). */
struct report_inst_files {
	char flame[400], folded[400], mutex[400];
	int npools;
	char pool[INSTANCE_MAX_POOLS][64];
	char pool_svg[INSTANCE_MAX_POOLS][400];
};

struct report_files {
	struct report_inst_files *inst;	/* ev->ninst of them */
	int ncharts;
	char chart[REPORT_MAX_CHARTS][64];
	char chart_title[REPORT_MAX_CHARTS][128];
	int nwritten;			/* files written in all */
	char first_problem[400];	/* a file that could not be rendered, "" */
};

/* Write everything. findings come from rules_run(). 0, or a negative
 * errno (err) when the directory or a file cannot be written. */
int report_write(const struct evidence *ev, const struct finding *f, size_t nf,
		 const struct report_opts *o, struct report_files *rf, struct tp_error *err);

void report_files_free(struct report_files *rf);

#endif
