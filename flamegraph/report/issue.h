/* issue.h - the issue draft: the nine sections, as a document (doc.h).
 *
 *  1. Title                 from the strongest finding, or what was run
 *  2. Summary               the problem ("Is your feature request related
 *                           to a problem?"), version, observed numbers
 *  3. Environment           a hardware table per host, versions, kernel
 *  4. Topology              component, host, ports, version, labels
 *  5. Workload              the exact command and the results table
 *  6. How the data was captured: the commands, the window, what failed
 *  7. What the profiles show: per instance top functions (flat, cum),
 *                           hottest path, pools against their size, IO hot
 *                           spots, cross-instance imbalance, flame graphs
 *  8. Suggested optimisation: the findings of rules.h with their evidence
 *                           ("Describe the feature you'd like",
 *                           "alternatives", "Teachability")
 *  9. Reproduction steps
 * following TiDB's performance-question and TiKV's feature-request fields.
 * Only what the bundle holds is said; a missing or failed part says so.
 */
#ifndef TIPROF_ISSUE_H
#define TIPROF_ISSUE_H

#include <stddef.h>
#include "analyzers/bundle/evidence.h"
#include "flamegraph/report/doc.h"
#include "flamegraph/report/report.h"
#include "analyzers/diagnose/rules.h"

/* Build the draft into d; *title receives the title (malloc'd). 0 or
 * -ENOMEM. */
int issue_build(const struct evidence *ev, const struct finding *f, size_t nf,
		const struct report_files *rf, struct doc *d, char **title);

#endif
