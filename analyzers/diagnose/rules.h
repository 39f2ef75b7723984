/* rules.h - the hints of an issue report, each from a rule over the
 * evidence of a capture bundle (evidence.h).
 *
 * A rule fires only on what the bundle shows, and its finding (finding.h)
 * cites the numbers and frames it fired on; a rule without its data stays
 * silent (nothing is assumed for a file that is missing or failed). The
 * rules (their thresholds are named constants at the top of rules.c;
 * docs/report.md lists them; what a frame means is classify.h's):
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
#include "analyzers/diagnose/finding.h"

/* Run every rule. *out is malloc'd (NULL when *n is 0). 0 or -ENOMEM. */
int rules_run(const struct evidence *ev, struct finding **out, size_t *n);

/* The names of the rules, in order, NULL-terminated (for docs, tests). */
extern const char *const rules_names[];

/* How busy a pool is, as pool-saturated judges it: busy cores (from the
 * metrics when present, else the profile) per thread (else per slot of
 * its configured size); NAN when either is unknown. *cores, *den and
 * *what ("threads" or "configured size") say of what (each may be NULL). */
double rules_pool_busy(const struct instance_pool *p, double *cores, int *den, const char **what);
/* The same for a pool of the thread series. */
double rules_series_pool_busy(const struct series_pool *sp);
/* What rules_pool_busy() computes, as a sentence. */
extern const char rules_pool_busy_text[];

/* The sentences for when no hint, or no note, was found. */
void rules_no_hint_text(char *buf, size_t n);
extern const char rules_no_note_text[];

#endif
