/* rules.c - see rules.h */
#include "analyzers/diagnose/rules.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/diagnose/classify.h"

/* ---- Thresholds (docs/report.md) ---- */

#define GC_SHARE 0.15		/* gc-pressure: GC and allocation share of the CPU */
#define POOL_BUSY 0.80		/* pool-saturated: busy cores per thread */
#define HOT_POOL_SHARE 0.25	/* hot-pool: share of the samples that belong to a pool */
#define COMPACTION_CORES 0.5	/* compaction-io: cores of the RocksDB pools */
#define COMPACTION_SHARE 0.10	/* compaction-io: or share of compaction/flush frames */
#define DISK_AWAIT_MS 10.0	/* disk-saturated, compaction-io: r/w await */
#define DISK_UTIL 80.0		/* disk-saturated, compaction-io: %util */
#define IMBALANCE 1.5		/* hot-instance: busy cores against the median */
#define IMBALANCE_MIN_CORES 0.1	/* hot-instance: and cores above it */
#define MUTEX_DELAY_NS 1e9	/* mutex-contention: delay in the profile */
#define MUTEX_HOLDER 0.30	/* mutex-contention: share released by one function */
#define PILEUP_COUNT 100	/* goroutine-pileup: goroutines in one group */
#define PILEUP_SHARE 0.20	/* goroutine-pileup: share of all goroutines */
#define HOT_FUNCTION 0.20	/* hot-function: flat share of the innermost frame */
#define TAIL_RATIO 3.0		/* latency-tail: p99 (else p95) against the average */
#define LEADER_IMBALANCE 1.5	/* leader-imbalance: most leaders against fewest */
#define LEADER_MIN 10		/* leader-imbalance: leaders on the busiest store */

const char *const rules_names[] = {
	"gc-pressure", "pool-saturated", "hot-pool", "compaction-io", "hot-instance",
	"leader-imbalance", "mutex-contention", "goroutine-pileup", "hot-function",
	"disk-saturated", "workload-errors", "latency-tail", "no-pmu", "host-config", NULL,
};

const char rules_pool_busy_text[] =
	"Busy per thread is busy cores (metrics when present, else profile) divided by the "
	"thread count (else the configured size).";

const char rules_no_note_text[] =
	"The report's context rules (hot pool, workload errors, host settings, PMU) found "
	"nothing that qualifies the data.";

void rules_no_hint_text(char *buf, size_t n)
{
	char names[600] = "";
	size_t l = 0;
	int k;

	for (k = 0; rules_names[k] && l + 2 < sizeof(names); k++)
		l += (size_t)snprintf(names + l, sizeof(names) - l, "%s%s", k ? ", " : "", rules_names[k]);
	snprintf(buf, n, "None of the rules (%s) matched the captured data, so this report suggests "
		 "no optimisation. The profiles and tables above are the evidence for an analysis "
		 "by hand.", names);
}

/* ---- composing findings ---- */

#define T FINDING_TITLE
#define E FINDING_EVIDENCE
#define S FINDING_SUGGESTION

struct out {
	struct finding *f;
	size_t n, cap;
	int oom;
};

/* Control bytes of s[0..n) become '?'. */
static void printable(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
}

static struct finding *add(struct out *o, const char *rule, enum rule_kind kind,
			   const char *component, const char *where, double score)
{
	struct finding *f;

	if (o->n == o->cap) {
		size_t nc = o->cap ? o->cap * 2 : 16;
		struct finding *nf = realloc(o->f, nc * sizeof(*nf));

		if (!nf) {
			o->oom = 1;
			return NULL;
		}
		o->f = nf;
		o->cap = nc;
	}
	f = &o->f[o->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->rule, sizeof(f->rule), "%s", rule);
	f->kind = kind;
	snprintf(f->component, sizeof(f->component), "%s", component ? component : "");
	snprintf(f->where, sizeof(f->where), "%s", where ? where : "");
	printable(f->where, strlen(f->where));
	f->score = score;
	return f;
}

static char *field(struct finding *f, enum finding_field k, size_t *cap)
{
	*cap = k == T ? sizeof(f->title) : k == E ? sizeof(f->evidence) : sizeof(f->suggestion);
	return k == T ? f->title : k == E ? f->evidence : f->suggestion;
}

/* Append to field k of f; *start and *len receive where the text went
 * (truncated at the field's end). 0, or -1 when the field is full. */
static int vappend(struct finding *f, enum finding_field k, size_t *start, size_t *len,
		   const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static int vappend(struct finding *f, enum finding_field k, size_t *start, size_t *len,
		   const char *fmt, va_list ap)
{
	size_t cap, l;
	char *dst = field(f, k, &cap);

	l = strlen(dst);
	if (l + 1 >= cap)
		return -1;
	vsnprintf(dst + l, cap - l, fmt, ap);
	*start = l;
	*len = strlen(dst + l);
	printable(dst + l, *len);
	return 0;
}

static void say(struct finding *f, enum finding_field k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void quote(struct finding *f, enum finding_field k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Plain text. */
static void say(struct finding *f, enum finding_field k, const char *fmt, ...)
{
	size_t start, len;
	va_list ap;

	va_start(ap, fmt);
	vappend(f, k, &start, &len, fmt, ap);
	va_end(ap);
}

/* A name the text quotes (a frame, a pool, a setting, a command). */
static void quote(struct finding *f, enum finding_field k, const char *fmt, ...)
{
	size_t start, len;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vappend(f, k, &start, &len, fmt, ap);
	va_end(ap);
	if (rc < 0 || f->nnames == FINDING_MAX_NAMES)
		return;
	f->names[f->nnames].field = k;
	f->names[f->nnames].start = (unsigned short)start;
	f->names[f->nnames++].len = (unsigned short)len;
}

/* Names quoted one after another, sep between them. */
static void quote_list(struct finding *f, enum finding_field k, const char *sep,
		       const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			say(f, k, "%s", sep);
		quote(f, k, "%s", names[i]);
	}
}

/* Append to a plain buffer. */
static void cat(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void cat(char *dst, size_t n, const char *fmt, ...)
{
	size_t l = strlen(dst);
	va_list ap;

	if (l + 1 >= n)
		return;
	va_start(ap, fmt);
	vsnprintf(dst + l, n - l, fmt, ap);
	va_end(ap);
}

static const char *who(const struct instance *in)
{
	return strcmp(in->component, "local") == 0 ? "(sampled on the capturing host)" : in->address;
}

static const char *comp_name(const char *c)
{
	return !strcmp(c, "tidb") ? "TiDB" : !strcmp(c, "tikv") ? "TiKV" : !strcmp(c, "pd") ? "PD" :
	       !strcmp(c, "tiflash") ? "TiFlash" : !strcmp(c, "local") ? "Local process" : c;
}

/* ---- CPU rules ---- */

static void rule_gc(const struct evidence *ev, struct out *o)
{
	size_t i;

	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];
		struct finding *f;

		if (isnan(in->gc_share) || in->gc_share < GC_SHARE)
			continue;
		if (!(f = add(o, "gc-pressure", RULE_HINT, in->component, in->address,
			      in->gc_share / GC_SHARE)))
			return;
		say(f, T, "%s %s spends %.1f%% of its CPU in Go GC and allocation",
		    comp_name(in->component), in->address, 100 * in->gc_share);
		say(f, E, "%.1f%% of the CPU profile (%s) is in stacks with GC or allocation frames: ",
		    100 * in->gc_share, in->cpu.source);
		quote(f, E, CLASSIFY_GC_MARK);
		say(f, E, " %.1f%%, ", 100 * in->mark_share);
		quote(f, E, CLASSIFY_GC_MALLOC);
		say(f, E, " %.1f%%, ", 100 * in->malloc_share);
		quote(f, E, CLASSIFY_GC_ASSIST);
		say(f, E, " %.1f%% (threshold %.0f%%).", 100 * in->assist_share, 100 * GC_SHARE);
		if (in->alloc_top[0]) {
			say(f, E, " The heap profile's largest allocation site is ");
			quote(f, E, "%s", in->alloc_top);
			say(f, E, " with %.1f%% of %.1f MiB allocated since the process started.",
			    100 * in->alloc_top_share, (double)in->alloc_total / 1048576);
		}
		say(f, S, "Cut allocations on the hot path");
		if (in->alloc_top[0]) {
			say(f, S, ", starting at ");
			quote(f, S, "%s", in->alloc_top);
		}
		say(f, S, " (reuse buffers, pool objects, avoid converting between string and []byte); "
		    "if memory allows, raise GOGC or set ");
		quote(f, S, "tidb_server_memory_limit");
		say(f, S, " so GC runs less often, and compare the GC share in a new capture.");
	}
}

/* A pool's busy cores: from the metrics when present, else the profile. */
static double pool_cores(const struct instance_pool *p)
{
	return !isnan(p->metric_cores) ? p->metric_cores : p->prof_cores;
}

double rules_pool_busy(const struct instance_pool *p, double *cores, int *den, const char **what)
{
	double c = pool_cores(p);
	int d = p->threads > 0 ? p->threads : (int)p->size;

	if (cores)
		*cores = c;
	if (den)
		*den = d;
	if (what)
		*what = p->threads > 0 ? "threads" : "configured size";
	if (isnan(c) || d <= 0)
		return NAN;
	return c / d;
}

double rules_series_pool_busy(const struct series_pool *sp)
{
	double cores = sp->avg_cpu / 100;

	if (sp->threads <= 0 || isnan(cores))
		return NAN;
	return cores / sp->threads;
}

static void pool_saturated(struct out *o, const struct instance *in, const struct instance_pool *p)
{
	const char *what;
	double cores, busy;
	int den;
	struct finding *f;

	busy = rules_pool_busy(p, &cores, &den, &what);
	if (isnan(busy) || busy < POOL_BUSY)
		return;
	if (!(f = add(o, "pool-saturated", RULE_HINT, in->component, in->address, busy / POOL_BUSY)))
		return;
	say(f, T, "%s %s: the %s pool is saturated (%.2f of %d %s busy)",
	    comp_name(in->component), who(in), p->name, cores, den, what);
	say(f, E, "Pool ");
	quote(f, E, "%s", p->name);
	say(f, E, " used %.2f cores on average over the window (%s) with %d %s: "
	    "%.0f%% busy per thread (threshold %.0f%%).",
	    cores, !isnan(p->metric_cores) ? "thread CPU metrics" : "CPU profile",
	    den, what, 100 * busy, 100 * POOL_BUSY);
	if (p->size_key[0]) {
		say(f, E, " Configured ");
		quote(f, E, "%s = %ld", p->size_key, p->size);
		say(f, E, ".");
	}
	if (p->path[0]) {
		say(f, E, " Its hottest path ends ");
		quote(f, E, "%s", p->path);
		say(f, E, ".");
	}
	if (p->size_key[0]) {
		say(f, S, "Raise ");
		quote(f, S, "%s", p->size_key);
		say(f, S, " (now %ld) if the host has idle cores, or spread the load over more "
		    "instances; then check whether throughput follows.", p->size);
	} else {
		say(f, S, "Give the pool more threads if it has a size setting, or make the work on "
		    "its hottest path cheaper; a saturated pool caps throughput however many cores "
		    "the host has.");
	}
}

/* The pool p with the largest share (best) of the sum over npools pools. */
static void hot_pool(struct out *o, const struct instance *in, const struct instance_pool *p,
		     double best, double sum, int npools)
{
	const char *path = p->path[0] ? p->path : NULL;
	struct finding *f = add(o, "hot-pool", RULE_HINT, in->component, in->address,
				best / sum / HOT_POOL_SHARE);

	if (!f)
		return;
	say(f, T, "%s %s: the %s pool takes %.0f%% of the pools' CPU",
	    comp_name(in->component), who(in), p->name, 100 * best / sum);
	say(f, E, "In the CPU profile (%s), pool ", in->cpu.source);
	quote(f, E, "%s", p->name);
	say(f, E, " has %.1f%% of all samples (%.0f%% of the samples that belong to a pool, %d pools)",
	    100 * best, 100 * best / sum, npools);
	if (!isnan(p->prof_cores))
		say(f, E, ", %.2f cores", p->prof_cores);
	if (p->threads > 0)
		say(f, E, ", %d thread%s", p->threads, p->threads == 1 ? "" : "s");
	if (p->size_key[0]) {
		say(f, E, ", ");
		quote(f, E, "%s = %ld", p->size_key, p->size);
	}
	say(f, E, ". Its hottest path ends ");
	quote(f, E, "%s", path ? path : "?");
	say(f, E, ".");
	say(f, S, "This pool is where optimisation pays most: look at ");
	quote(f, S, "%s", path ? path : p->name);
	say(f, S, " in the pool's flame graph first.");
}

static void rule_pools(const struct evidence *ev, struct out *o)
{
	size_t i;
	int j;

	for (i = 0; i < ev->ninst && !o->oom; i++) {
		const struct instance *in = &ev->inst[i];
		double best_share = 0, sum = 0;
		int best = -1, npools = 0;

		for (j = 0; j < in->npools && !o->oom; j++) {
			const struct instance_pool *p = &in->pools[j];

			if (!isnan(p->prof_share)) {
				sum += p->prof_share;
				npools++;
				if (p->prof_share > best_share) {
					best_share = p->prof_share;
					best = j;
				}
			}
			pool_saturated(o, in, p);
		}
		/* the hottest pool, when one stands out */
		if (!o->oom && best >= 0 && npools >= 2 && sum > 0 && best_share / sum >= HOT_POOL_SHARE)
			hot_pool(o, in, &in->pools[best], best_share, sum, npools);
	}
}

/* Pools of the thread series (threads.jsonl) of processes without a
 * profile: busy cores against their thread count. */
static void rule_series_pools(const struct evidence *ev, struct out *o)
{
	const struct instance *local = evidence_instance(ev, "local", "local");
	size_t i;

	for (i = 0; i < ev->series.npools; i++) {
		const struct series_pool *sp = &ev->series.pools[i];
		double cores = sp->avg_cpu / 100, busy = rules_series_pool_busy(sp);
		struct finding *f;
		char where[200];

		if (local && local->npools && !strcmp(sp->host, "local"))
			continue;	/* rule_pools has them */
		if (isnan(busy) || busy < POOL_BUSY)
			continue;
		where[0] = '\0';
		cat(where, sizeof(where), "%s pid %lld", sp->host, (long long)sp->pid);
		if (!(f = add(o, "pool-saturated", RULE_HINT, "", where, busy / POOL_BUSY)))
			return;
		say(f, T, "%s: the %s threads are saturated (%.2f of %d threads busy)",
		    where, sp->pool, cores, sp->threads);
		say(f, E, "The thread series (threads.jsonl) shows pool ");
		quote(f, E, "%s", sp->pool);
		say(f, E, " of pid %lld on %s at %.1f%% of one CPU on average (max %.1f%%) with %d "
		    "threads: %.0f%% busy per thread (threshold %.0f%%).", (long long)sp->pid, sp->host,
		    sp->avg_cpu, sp->max_cpu, sp->threads, 100 * busy, 100 * POOL_BUSY);
		say(f, S, "These threads are CPU-bound: give the pool more threads if it has a size "
		    "setting, or profile the process (");
		quote(f, S, "tiprof record -p PID");
		say(f, S, ") to see what they run.");
	}
}

static int disk_waits(const struct evidence *ev, char *out, size_t n, double *score)
{
	size_t i;
	int any = 0;

	*score = 0;
	out[0] = '\0';
	for (i = 0; i < ev->series.ndisks; i++) {
		const struct series_disk *d = &ev->series.disks[i];
		double aw = fmax(d->avg[SD_R_AWAIT], d->avg[SD_W_AWAIT]), util = d->avg[SD_UTIL];

		if (!(aw >= DISK_AWAIT_MS || util >= DISK_UTIL))
			continue;
		any = 1;
		*score = fmax(*score, fmax(aw / DISK_AWAIT_MS, util / DISK_UTIL));
		cat(out, n, "%s%s %s: %%util %.1f avg, r_await %.2f ms, w_await %.2f ms, aqu-sz %.2f",
		    out[0] ? "; " : "", d->host, d->dev, util, d->avg[SD_R_AWAIT], d->avg[SD_W_AWAIT],
		    d->avg[SD_AQU]);
	}
	return any;
}

/* Busy cores of the RocksDB background pools of in (0 when none is known). */
static double rocksdb_cores(const struct instance *in)
{
	double cores = 0;
	int j;

	for (j = 0; j < in->npools; j++) {
		const struct instance_pool *p = &in->pools[j];

		if (classify_rocksdb_pool(p->name) && !isnan(pool_cores(p)))
			cores += pool_cores(p);
	}
	return cores;
}

/* "RocksDB background threads: POOL n cores, ... ", when it has any. */
static void rocksdb_pools(struct finding *f, const struct instance *in)
{
	int j, any = 0;

	for (j = 0; j < in->npools; j++) {
		const struct instance_pool *p = &in->pools[j];
		double c = pool_cores(p);

		if (!classify_rocksdb_pool(p->name) || isnan(c))
			continue;
		say(f, E, "%s", any ? ", " : "RocksDB background threads: ");
		quote(f, E, "%s", p->name);
		say(f, E, " %.2f cores", c);
		any = 1;
	}
	if (any)
		say(f, E, ". ");
}

static void rule_compaction(const struct evidence *ev, struct out *o)
{
	char disks[800];
	double dscore;
	size_t i;

	if (!disk_waits(ev, disks, sizeof(disks), &dscore))
		return;
	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];
		double cores = rocksdb_cores(in);
		struct finding *f;

		if (cores < COMPACTION_CORES && !(in->compaction_share >= COMPACTION_SHARE))
			continue;
		if (!(f = add(o, "compaction-io", RULE_HINT, in->component, in->address,
			      fmax(cores / COMPACTION_CORES, dscore))))
			return;
		say(f, T, "%s %s: RocksDB compaction and flush are busy while the disk waits",
		    comp_name(in->component), who(in));
		rocksdb_pools(f, in);
		if (!isnan(in->compaction_share))
			say(f, E, "%.1f%% of the CPU profile is in compaction/flush frames. ",
			    100 * in->compaction_share);
		say(f, E, "Disks over %.0f ms await or %.0f%% util: %s.", DISK_AWAIT_MS, DISK_UTIL, disks);
		say(f, S, "Compaction competes with foreground IO: consider ");
		quote(f, S, "rocksdb.rate-bytes-per-sec");
		say(f, S, " (rate limiter), fewer ");
		quote(f, S, "rocksdb.max-background-jobs");
		say(f, S, ", a faster or separate disk for the data directory, or a larger ");
		quote(f, S, "write-buffer-size");
		say(f, S, " to flush less often.");
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void hot_region_suggestion(struct finding *f)
{
	static const char *const pd[] = { "pd-ctl hot read", "pd-ctl hot write",
					  "/pd/api/v1/hotspot/regions/write" };
	static const char *const split[] = { "SPLIT TABLE", "SHARD_ROW_ID_BITS", "AUTO_RANDOM" };

	say(f, S, "A hot spot: look at PD's hot regions (");
	quote_list(f, S, ", ", pd, 3);
	say(f, S, ") and split or scatter the hot table or index (");
	quote_list(f, S, ", ", split, 3);
	say(f, S, ").");
}

static void rule_imbalance(const struct evidence *ev, struct out *o)
{
	static const char *const comps[] = { "tidb", "tikv", "pd", "tiflash" };
	size_t c, i;

	for (c = 0; c < 4; c++) {
		double v[EV_MAX_INSTANCES], median, max = -1;
		size_t n = 0, imax = 0;
		struct finding *f;

		for (i = 0; i < ev->ninst; i++)
			if (!strcmp(ev->inst[i].component, comps[c]) && !isnan(ev->inst[i].cpu_cores)) {
				v[n++] = ev->inst[i].cpu_cores;
				if (ev->inst[i].cpu_cores > max) {
					max = ev->inst[i].cpu_cores;
					imax = i;
				}
			}
		if (n < 2)
			continue;
		qsort(v, n, sizeof(v[0]), cmp_double);
		median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		if (!(max >= IMBALANCE * median && max - median >= IMBALANCE_MIN_CORES))
			continue;
		if (!(f = add(o, "hot-instance", RULE_HINT, comps[c], ev->inst[imax].address,
			      median > 0 ? max / median / IMBALANCE : 10)))
			return;
		say(f, T, "%s %s does %.1fx the CPU work of the median %s",
		    comp_name(comps[c]), ev->inst[imax].address, median > 0 ? max / median : 0,
		    comp_name(comps[c]));
		say(f, E, "Average busy cores in the CPU profiles: %s %.2f, the median of %zu %s "
		    "instances %.2f, the lowest %.2f (threshold %.1fx and %.1f cores).",
		    ev->inst[imax].address, max, n, comp_name(comps[c]), median, v[0], IMBALANCE,
		    IMBALANCE_MIN_CORES);
		if (!strcmp(comps[c], "tikv"))
			hot_region_suggestion(f);
		else
			say(f, S, "Check that the load balancer or the clients spread connections evenly "
			    "over the %s instances.", comp_name(comps[c]));
	}
}

static void rule_leaders(const struct evidence *ev, struct out *o)
{
	int64_t mn = -1, mx = -1;
	size_t i, n = 0, imax = 0, imin = 0;
	struct finding *f;

	for (i = 0; i < ev->nnodes; i++) {
		const struct ev_node *nd = &ev->nodes[i];

		if (strcmp(nd->component, "tikv") || nd->leaders < 0)
			continue;
		n++;
		if (mx < 0 || nd->leaders > mx) {
			mx = nd->leaders;
			imax = i;
		}
		if (mn < 0 || nd->leaders < mn) {
			mn = nd->leaders;
			imin = i;
		}
	}
	if (n < 2 || mx < LEADER_MIN || (double)mx < LEADER_IMBALANCE * (double)(mn > 0 ? mn : 1))
		return;
	if (!(f = add(o, "leader-imbalance", RULE_HINT, "tikv", ev->nodes[imax].host,
		      (double)mx / (double)(mn > 0 ? mn : 1) / LEADER_IMBALANCE)))
		return;
	say(f, T, "Region leaders are uneven: %lld on %s, %lld on %s",
	    (long long)mx, ev->nodes[imax].host, (long long)mn, ev->nodes[imin].host);
	say(f, E, "PD's store list: leader_count %lld on %s:%d and %lld on %s:%d over %zu TiKV stores "
	    "(threshold %.1fx).", (long long)mx, ev->nodes[imax].host, ev->nodes[imax].port,
	    (long long)mn, ev->nodes[imin].host, ev->nodes[imin].port, n, LEADER_IMBALANCE);
	say(f, S, "Check PD's balance-leader scheduler and leader weights (");
	quote(f, S, "pd-ctl store weight");
	say(f, S, ", ");
	quote(f, S, "leader-schedule-limit");
	say(f, S, "); requests follow leaders, so the store with most leaders does most of the work.");
}

static void rule_mutex(const struct evidence *ev, struct out *o)
{
	size_t i;

	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];
		struct finding *f;

		if (!in->mutex.present || strcmp(in->mutex.unit, "nanoseconds") ||
		    (double)in->mutex.total < MUTEX_DELAY_NS || !in->mutex_holder[0] ||
		    in->mutex_holder_share < MUTEX_HOLDER)
			continue;
		if (!(f = add(o, "mutex-contention", RULE_HINT, in->component, in->address,
			      (double)in->mutex.total / MUTEX_DELAY_NS)))
			return;
		say(f, T, "%s %s: lock contention, %.0f%% of it released in ", comp_name(in->component),
		    in->address, 100 * in->mutex_holder_share);
		quote(f, T, "%.120s", in->mutex_holder);
		say(f, E, "The mutex profile (cumulative since the process started) records %.2f s of "
		    "delay; %.1f%% of it at locks released by ", (double)in->mutex.total / 1e9,
		    100 * in->mutex_holder_share);
		quote(f, E, "%s", in->mutex_holder);
		say(f, E, " (thresholds: %.0f s and %.0f%%).", MUTEX_DELAY_NS / 1e9, 100 * MUTEX_HOLDER);
		say(f, S, "Shorten the critical section in ");
		quote(f, S, "%s", in->mutex_holder);
		say(f, S, ", or shard the lock (per-table or per-connection state, sync.Map, atomics).");
	}
}

static void rule_goroutines(const struct evidence *ev, struct out *o)
{
	size_t i;
	int j;

	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];

		for (j = 0; j < in->ngroups; j++) {
			const struct instance_group *g = &in->groups[j];
			struct finding *f;

			if (in->goroutines <= 0 || g->count < PILEUP_COUNT || !classify_blocking_state(g->state) ||
			    (double)g->count < PILEUP_SHARE * (double)in->goroutines)
				continue;
			if (!(f = add(o, "goroutine-pileup", RULE_HINT, in->component, in->address,
				      (double)g->count / PILEUP_COUNT)))
				return;
			say(f, T, "%s %s: %lld goroutines blocked in %s at ", comp_name(in->component),
			    in->address, (long long)g->count, g->state);
			quote(f, T, "%.120s", g->frame);
			say(f, E, "The goroutine dump has %lld goroutines; %lld of them (%.0f%%) share one "
			    "stack, state \"%s\"%s, waiting in ", (long long)in->goroutines,
			    (long long)g->count, 100.0 * (double)g->count / (double)in->goroutines, g->state,
			    g->wait_max > 0 ? ", some for minutes" : "");
			quote(f, E, "%s", g->frame);
			say(f, E, " (thresholds: %d goroutines and %.0f%%).", PILEUP_COUNT, 100 * PILEUP_SHARE);
			say(f, S, "Find what ");
			quote(f, S, "%s", g->frame);
			say(f, S, " waits for (the lock holder or the channel's other side); a pile-up like "
			    "this serialises requests. If it waits for PD's TSO, check PD's latency and ");
			quote(f, S, "tidb_tso_client_batch_max_wait_time");
			say(f, S, ".");
		}
	}
}

static void rule_hot_function(const struct evidence *ev, struct out *o)
{
	size_t i;
	int j;

	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];
		const char *name = in->cpu.flat[0].name;
		struct finding *f;
		char path[1000] = "";

		if (!in->cpu.present || !in->cpu.nflat || in->cpu.flat[0].share < HOT_FUNCTION)
			continue;
		if (!(f = add(o, "hot-function", RULE_HINT, in->component, in->address,
			      in->cpu.flat[0].share / HOT_FUNCTION)))
			return;
		for (j = 0; j < in->cpu.npath; j++)
			cat(path, sizeof(path), "%s%s (%.0f%%)", j ? " > " : "", in->cpu.path[j].name,
			    100 * in->cpu.path[j].share);
		say(f, T, "%s %s: ", comp_name(in->component), who(in));
		quote(f, T, "%.120s", name);
		say(f, T, " takes %.0f%% of the CPU", 100 * in->cpu.flat[0].share);
		/* the caller on the hottest path, when the path ends in it */
		if (in->cpu.npath >= 2 && !strcmp(in->cpu.path[in->cpu.npath - 1].name, name)) {
			say(f, T, ", most through ");
			quote(f, T, "%.120s", in->cpu.path[in->cpu.npath - 2].name);
		}
		say(f, E, "In the CPU profile (%s), ", in->cpu.source);
		quote(f, E, "%s", name);
		say(f, E, " has %.1f%% of the samples as the innermost frame (threshold %.0f%%).",
		    100 * in->cpu.flat[0].share, 100 * HOT_FUNCTION);
		if (path[0]) {
			say(f, E, " The hottest call path: ");
			quote(f, E, "%s", path);
			say(f, E, ".");
		}
		say(f, S, "Make ");
		quote(f, S, "%s", name);
		say(f, S, " cheaper or call it less on this path (batch, cache, or avoid the work); its "
		    "callers are in the instance's flame graph.");
	}
}

/* ---- IO ---- */

static void rule_disks(const struct evidence *ev, struct out *o)
{
	size_t i;

	for (i = 0; i < ev->series.ndisks; i++) {
		const struct series_disk *d = &ev->series.disks[i];
		double aw = fmax(d->avg[SD_R_AWAIT], d->avg[SD_W_AWAIT]), util = d->avg[SD_UTIL], score;
		struct finding *f;
		char where[200];

		if (!(aw >= DISK_AWAIT_MS || util >= DISK_UTIL))
			continue;
		score = fmax(aw / DISK_AWAIT_MS, util / DISK_UTIL);
		where[0] = 0;
		cat(where, sizeof(where), "%s %s", d->host, d->dev);
		if (!(f = add(o, "disk-saturated", RULE_HINT, "", where, score)))
			return;
		say(f, T, "Disk %s on %s is %s", d->dev, d->host,
		    util >= DISK_UTIL ? "saturated" : "slow to answer");
		say(f, E, "Over %zu intervals: %%util %.1f on average (max %.1f), r_await %.2f ms, w_await "
		    "%.2f ms (max %.2f / %.2f), aqu-sz %.2f, %.0f kB/s read, %.0f kB/s written "
		    "(thresholds %.0f%% util, %.0f ms await).",
		    d->n, util, d->max[SD_UTIL], d->avg[SD_R_AWAIT], d->avg[SD_W_AWAIT], d->max[SD_R_AWAIT],
		    d->max[SD_W_AWAIT], d->avg[SD_AQU], d->avg[SD_RKBS], d->avg[SD_WKBS], DISK_UTIL,
		    DISK_AWAIT_MS);
		if (ev->series.ntasks && ev->series.tasks[0].avg_write > 0) {
			say(f, E, " The top writer is ");
			quote(f, E, "%s", ev->series.tasks[0].comm);
			say(f, E, " (pid %lld) at %.0f kB/s.", (long long)ev->series.tasks[0].pid,
			    ev->series.tasks[0].avg_write / 1024);
		}
		say(f, S, "The workload is IO-bound on this disk: use a faster disk (NVMe), move the WAL or "
		    "raft log to a separate disk, or reduce write amplification (fsync batching, "
		    "compaction settings).");
	}
}

/* ---- workload ---- */

static void rule_workload(const struct evidence *ev, struct out *o)
{
	const struct workload *w = &ev->wl.w;
	double errs = 0, count = 0;
	size_t i;
	struct finding *f;

	if (!ev->wl.parsed)
		return;
	for (i = 0; i < w->nrows; i++) {
		if (!strcmp(w->rows[i].op, "TOTAL") || !strcmp(w->rows[i].op, "queries"))
			continue;
		if (!isnan(w->rows[i].errors))
			errs += w->rows[i].errors;
		if (!isnan(w->rows[i].count))
			count += w->rows[i].count;
	}
	if (errs > 0 || (w->reconnects > 0) || (ev->wl.exit_status > 0)) {
		if (!(f = add(o, "workload-errors", RULE_NOTE, "", ev->wl.log,
			      1 + (count > 0 ? errs / count * 100 : 0))))
			return;
		say(f, T, "The %s run reported %.0f errors%s", workload_tool_name(w->tool), errs,
		    ev->wl.exit_status > 0 ? " and exited with a failure" : "");
		say(f, E, "From workload/%s: %.0f errors over %.0f operations", ev->wl.log, errs, count);
		if (w->tool == WORKLOAD_SYSBENCH && !isnan(w->ignored_errors_ps))
			say(f, E, " (%.2f per second)", w->ignored_errors_ps);
		if (w->reconnects > 0)
			say(f, E, ", %.0f reconnects", w->reconnects);
		if (ev->wl.exit_status > 0)
			say(f, E, "; exit status %d", ev->wl.exit_status);
		say(f, E, ".");
		say(f, S, "Errors under load (deadlocks, write conflicts, timeouts) change what the profile "
		    "measures: say which errors they were, and retry with fewer threads or less "
		    "contention to see if they go away.");
	}
	for (i = 0; i < w->nrows; i++) {
		const struct workload_row *r = &w->rows[i];
		double tail = !isnan(r->p99_ms) ? r->p99_ms : !isnan(r->p95_ms) ? r->p95_ms : r->xpct_ms;
		const char *pn = !isnan(r->p99_ms) ? "p99" : !isnan(r->p95_ms) ? "p95" : "tail";
		char disks[800];
		double ds;

		if (isnan(tail) || isnan(r->avg_ms) || r->avg_ms <= 0 || tail < TAIL_RATIO * r->avg_ms)
			continue;
		if (!(f = add(o, "latency-tail", RULE_HINT, "", r->op, tail / r->avg_ms / TAIL_RATIO)))
			return;
		say(f, T, "%s latency tail: %s %.2f ms is %.1fx the average", r->op, pn, tail,
		    tail / r->avg_ms);
		say(f, E, "%s row of the %s summary: avg %.2f ms, %s %.2f ms", r->op,
		    workload_tool_name(w->tool), r->avg_ms, pn, tail);
		if (!isnan(r->max_ms))
			say(f, E, ", max %.2f ms", r->max_ms);
		say(f, E, " (threshold %.0fx).", TAIL_RATIO);
		if (disk_waits(ev, disks, sizeof(disks), &ds))
			say(f, E, " At the same time: %s.", disks);
		say(f, S, "Slow requests are far slower than typical ones: look for stalls (GC, lock waits, "
		    "fsync, compaction) in the same window; the charts show when they happen.");
		break;	/* one latency finding is enough */
	}
}

/* ---- hosts ---- */

static void rule_hosts(const struct evidence *ev, struct out *o)
{
	size_t i;

	for (i = 0; i < ev->nhosts; i++) {
		const struct ev_host *h = &ev->hosts[i];
		struct finding *f;

		if (h->has_pmu == 0) {
			if (!(f = add(o, "no-pmu", RULE_NOTE, "", h->name, 1)))
				return;
			say(f, T, "Host %s has no hardware performance counters", h->name);
			say(f, E, "Its CPU flags lack ");
			quote(f, E, "arch_perfmon");
			say(f, E, " (virtualisation: %s): perf and tiprof record fall back to the cpu-clock "
			    "software event, and cycle or cache counters (VTune, perf stat -e cycles) are "
			    "unavailable.", h->virt);
			say(f, S, "The CPU profiles are still valid (time-based sampling); for cache or IPC "
			    "analysis use an instance type with a virtual PMU.");
		}
		if (strstr(h->memory, "THP always") || (strstr(h->memory, "swap ") && !strstr(h->memory, "swap 0B")) ||
		    h->rotational_data == 1) {
			if (!(f = add(o, "host-config", RULE_NOTE, "", h->name, 1)))
				return;
			say(f, T, "Host %s differs from TiDB's recommended settings", h->name);
			if (strstr(h->memory, "THP always"))
				say(f, E, "Transparent hugepages are \"always\" (TiDB recommends never). ");
			if (strstr(h->memory, "swap ") && !strstr(h->memory, "swap 0B"))
				say(f, E, "Swap is on (%s). ", h->memory);
			if (h->rotational_data == 1)
				say(f, E, "A data directory is on a rotational disk: %s. ", h->dirs);
			say(f, S, "Apply the production checklist (THP off, swap off, SSD/NVMe for data) "
			    "before comparing numbers with other setups.");
		}
	}
}

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	c = strcmp(x->rule, y->rule);
	return c ? c : strcmp(x->where, y->where);
}

int rules_run(const struct evidence *ev, struct finding **out, size_t *n)
{
	struct out o = { NULL, 0, 0, 0 };

	rule_gc(ev, &o);
	rule_pools(ev, &o);
	rule_series_pools(ev, &o);
	rule_compaction(ev, &o);
	rule_imbalance(ev, &o);
	rule_leaders(ev, &o);
	rule_mutex(ev, &o);
	rule_goroutines(ev, &o);
	rule_hot_function(ev, &o);
	rule_disks(ev, &o);
	rule_workload(ev, &o);
	rule_hosts(ev, &o);
	if (o.oom) {
		free(o.f);
		*out = NULL;
		*n = 0;
		return -ENOMEM;
	}
	if (o.n)
		qsort(o.f, o.n, sizeof(*o.f), cmp_finding);
	*out = o.f;
	*n = o.n;
	return 0;
}
