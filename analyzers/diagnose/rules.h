/* rules.h - the hints of an issue report, each from a rule over the
 * evidence of a capture bundle (evidence.h).
 *
 * A rule fires only on what the bundle shows, and its finding cites the
 * numbers and frames it fired on; a rule without its data stays silent
 * (nothing is assumed for a file that is missing or failed). The rules
 * (docs/report.md lists their thresholds):
 *   gc-pressure       GC and allocation share of a Go component's CPU
 *   pool-saturated    a thread pool busy close to its thread count or size
 *   hot-pool          the pool that takes the largest share of a TiKV
 *   compaction-io     RocksDB compaction/flush busy while disks wait
 *   hot-instance      one instance doing much more than its peers
 *   leader-imbalance  region leaders spread unevenly over the TiKVs
 *   mutex-contention  lock delay in a Go mutex profile, and who holds it
 *   goroutine-pileup  many goroutines blocked at one place
 *   hot-function      one function taking a large flat share of an instance
 *   disk-saturated    a disk near full utilisation or with long waits
 *   workload-errors   the stress tool reported errors or failed
 *   latency-tail      tail latency far above the average
 *   no-pmu            hardware perf events unavailable (virtualised PMU)
 *   host-config       swap on, transparent hugepages "always", data on HDD
 * Findings are ordered by score (how far past its threshold), then rule.
 */
#ifndef TIPROF_RULES_H
#define TIPROF_RULES_H

#include <stddef.h>
#include "analyzers/bundle/evidence.h"

enum rule_kind {
	RULE_HINT = 0,		/* a suggested optimisation */
	RULE_NOTE,		/* context that qualifies the data */
};

struct finding {
	char rule[24];		/* "gc-pressure", ... */
	enum rule_kind kind;
	char component[16];	/* "tidb", "tikv", "", ... */
	char where[320];	/* instance address, device, host, or "" */
	double score;		/* >= 1: how far past the threshold */
	char title[300];	/* one line; frame names between \x01 and \x02 */
	char evidence[1600];	/* numbers and frames */
	char suggestion[1200];
};

/* Run every rule. *out is malloc'd (NULL when *n is 0). 0 or -ENOMEM. */
int rules_run(const struct evidence *ev, struct finding **out, size_t *n);

/* The names of the rules, in order, NULL-terminated (for docs, tests). */
extern const char *const rules_names[];

#endif
