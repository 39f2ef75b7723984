/* rules.c - see rules.h */
#include "analyzers/diagnose/rules.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define C1 "\x01"	/* code span start */
#define C2 "\x02"	/* code span end */

const char *const rules_names[] = {
	"gc-pressure", "pool-saturated", "hot-pool", "compaction-io", "hot-instance",
	"leader-imbalance", "mutex-contention", "goroutine-pileup", "hot-function",
	"disk-saturated", "workload-errors", "latency-tail", "no-pmu", "host-config", NULL,
};

/* Thresholds (docs/report.md). */
#define GC_SHARE 0.15
#define POOL_BUSY 0.80
#define HOT_POOL_SHARE 0.25
#define COMPACTION_CORES 0.5
#define COMPACTION_SHARE 0.10
#define DISK_AWAIT_MS 10.0
#define DISK_UTIL 80.0
#define IMBALANCE 1.5
#define IMBALANCE_MIN_CORES 0.1
#define MUTEX_DELAY_NS 1e9
#define MUTEX_HOLDER 0.30
#define PILEUP_COUNT 100
#define PILEUP_SHARE 0.20
#define HOT_FUNCTION 0.20
#define TAIL_RATIO 3.0
#define LEADER_IMBALANCE 1.5

struct out {
	struct finding *f;
	size_t n, cap;
	int oom;
};

/* A name made safe to put between the code markers: control bytes
 * become '?'. */
static void clean(char *dst, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s && s[i] && i + 1 < n; i++)
		dst[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	dst[i] = '\0';
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
	clean(f->where, sizeof(f->where), where ? where : "");
	f->score = score;
	return f;
}

static void put(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void put(char *dst, size_t n, const char *fmt, ...)
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
		char top[300];

		if (isnan(in->gc_share) || in->gc_share < GC_SHARE)
			continue;
		if (!(f = add(o, "gc-pressure", RULE_HINT, in->component, in->address,
			      in->gc_share / GC_SHARE)))
			return;
		put(f->title, sizeof(f->title), "%s %s spends %.1f%% of its CPU in Go GC and allocation",
			 comp_name(in->component), in->address, 100 * in->gc_share);
		put(f->evidence, sizeof(f->evidence),
		    "%.1f%% of the CPU profile (%s) is in stacks with GC or allocation frames: "
		    C1 "runtime.gcBgMarkWorker" C2 " %.1f%%, " C1 "runtime.mallocgc" C2 " %.1f%%, "
		    C1 "runtime.gcAssistAlloc" C2 " %.1f%% (threshold %.0f%%).",
		    100 * in->gc_share, in->cpu.source, 100 * in->mark_share, 100 * in->malloc_share,
		    100 * in->assist_share, 100 * GC_SHARE);
		if (in->alloc_top[0]) {
			clean(top, sizeof(top), in->alloc_top);
			put(f->evidence, sizeof(f->evidence),
			    " The heap profile's largest allocation site is " C1 "%s" C2
			    " with %.1f%% of %.1f MiB allocated since the process started.",
			    top, 100 * in->alloc_top_share, (double)in->alloc_total / 1048576);
		}
		put(f->suggestion, sizeof(f->suggestion),
		    "Cut allocations on the hot path%s%s%s (reuse buffers, pool objects, avoid "
		    "converting between string and []byte); if memory allows, raise GOGC or set "
		    C1 "tidb_server_memory_limit" C2 " so GC runs less often, and compare the GC "
		    "share in a new capture.",
		    in->alloc_top[0] ? ", starting at " C1 : "", in->alloc_top[0] ? top : "",
		    in->alloc_top[0] ? C2 : "");
	}
}

static double pool_busy(const struct instance_pool *p, double *cores, int *den, const char **what)
{
	double c = !isnan(p->metric_cores) ? p->metric_cores : p->prof_cores;
	int d = p->threads > 0 ? p->threads : (int)p->size;

	*cores = c;
	*den = d;
	*what = p->threads > 0 ? "threads" : "configured size";
	if (isnan(c) || d <= 0)
		return NAN;
	return c / d;
}

static void rule_pools(const struct evidence *ev, struct out *o)
{
	size_t i;
	int j;

	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];
		double best_share = 0, sum = 0;
		int best = -1, npools = 0;

		for (j = 0; j < in->npools; j++) {
			const struct instance_pool *p = &in->pools[j];
			const char *what;
			double cores, busy;
			int den;
			struct finding *f;
			char path[600];

			busy = pool_busy(p, &cores, &den, &what);
			if (!isnan(p->prof_share)) {
				sum += p->prof_share;
				npools++;
				if (p->prof_share > best_share) {
					best_share = p->prof_share;
					best = j;
				}
			}
			if (isnan(busy) || busy < POOL_BUSY)
				continue;
			if (!(f = add(o, "pool-saturated", RULE_HINT, in->component, in->address,
				      busy / POOL_BUSY)))
				return;
			put(f->title, sizeof(f->title), "%s %s: the %s pool is saturated (%.2f of %d %s busy)",
				 comp_name(in->component), who(in), p->name, cores, den, what);
			put(f->evidence, sizeof(f->evidence),
			    "Pool " C1 "%s" C2 " used %.2f cores on average over the window (%s) with %d %s: "
			    "%.0f%% busy per thread (threshold %.0f%%).",
			    p->name, cores, !isnan(p->metric_cores) ? "thread CPU metrics" : "CPU profile",
			    den, what, 100 * busy, 100 * POOL_BUSY);
			if (p->size_key[0])
				put(f->evidence, sizeof(f->evidence), " Configured " C1 "%s = %ld" C2 ".",
				    p->size_key, p->size);
			if (p->path[0]) {
				clean(path, sizeof(path), p->path);
				put(f->evidence, sizeof(f->evidence), " Its hottest path ends " C1 "%s" C2 ".", path);
			}
			if (p->size_key[0])
				put(f->suggestion, sizeof(f->suggestion),
				    "Raise " C1 "%s" C2 " (now %ld) if the host has idle cores, or spread the "
				    "load over more instances; then check whether throughput follows.",
				    p->size_key, p->size);
			else
				put(f->suggestion, sizeof(f->suggestion),
				    "Give the pool more threads if it has a size setting, or make the work on "
				    "its hottest path cheaper; a saturated pool caps throughput however many "
				    "cores the host has.");
		}
		/* the hottest pool, when one stands out */
		if (best >= 0 && npools >= 2 && sum > 0 && best_share / sum >= HOT_POOL_SHARE) {
			const struct instance_pool *p = &in->pools[best];
			struct finding *f = add(o, "hot-pool", RULE_HINT, in->component, in->address,
						best_share / sum / HOT_POOL_SHARE);
			char path[600];

			if (!f)
				return;
			clean(path, sizeof(path), p->path);
			put(f->title, sizeof(f->title), "%s %s: the %s pool takes %.0f%% of the pools' CPU",
				 comp_name(in->component), who(in), p->name, 100 * best_share / sum);
			put(f->evidence, sizeof(f->evidence),
			    "In the CPU profile (%s), pool " C1 "%s" C2 " has %.1f%% of all samples "
			    "(%.0f%% of the samples that belong to a pool, %d pools)",
			    in->cpu.source, p->name, 100 * best_share, 100 * best_share / sum, npools);
			if (!isnan(p->prof_cores))
				put(f->evidence, sizeof(f->evidence), ", %.2f cores", p->prof_cores);
			if (p->threads > 0)
				put(f->evidence, sizeof(f->evidence), ", %d thread%s", p->threads,
				    p->threads == 1 ? "" : "s");
			if (p->size_key[0])
				put(f->evidence, sizeof(f->evidence), ", " C1 "%s = %ld" C2, p->size_key, p->size);
			put(f->evidence, sizeof(f->evidence), ". Its hottest path ends " C1 "%s" C2 ".",
			    path[0] ? path : "?");
			put(f->suggestion, sizeof(f->suggestion),
			    "This pool is where optimisation pays most: look at " C1 "%s" C2
			    " in the pool's flame graph first.", path[0] ? path : p->name);
		}
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
		double cores = sp->avg_cpu / 100, busy;
		struct finding *f;
		char where[200];

		if (local && local->npools && !strcmp(sp->host, "local"))
			continue;	/* rule_pools has them */
		if (sp->threads <= 0 || isnan(cores))
			continue;
		busy = cores / sp->threads;
		if (busy < POOL_BUSY)
			continue;
		where[0] = '\0';
		put(where, sizeof(where), "%s pid %lld", sp->host, (long long)sp->pid);
		if (!(f = add(o, "pool-saturated", RULE_HINT, "", where, busy / POOL_BUSY)))
			return;
		put(f->title, sizeof(f->title), "%s: the %s threads are saturated (%.2f of %d threads busy)",
		    where, sp->pool, cores, sp->threads);
		put(f->evidence, sizeof(f->evidence),
		    "The thread series (threads.jsonl) shows pool " C1 "%s" C2 " of pid %lld on %s at "
		    "%.1f%% of one CPU on average (max %.1f%%) with %d threads: %.0f%% busy per thread "
		    "(threshold %.0f%%).", sp->pool, (long long)sp->pid, sp->host, sp->avg_cpu, sp->max_cpu,
		    sp->threads, 100 * busy, 100 * POOL_BUSY);
		put(f->suggestion, sizeof(f->suggestion),
		    "These threads are CPU-bound: give the pool more threads if it has a size setting, "
		    "or profile the process (" C1 "tiprof record -p PID" C2 ") to see what they run.");
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
		put(out, n, "%s%s %s: %%util %.1f avg, r_await %.2f ms, w_await %.2f ms, aqu-sz %.2f",
		    out[0] ? "; " : "", d->host, d->dev, util, d->avg[SD_R_AWAIT], d->avg[SD_W_AWAIT],
		    d->avg[SD_AQU]);
	}
	return any;
}

static void rule_compaction(const struct evidence *ev, struct out *o)
{
	char disks[800];
	double dscore;
	size_t i;
	int j;

	if (!disk_waits(ev, disks, sizeof(disks), &dscore))
		return;
	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];
		double cores = 0;
		char pools[400] = "";
		struct finding *f;

		for (j = 0; j < in->npools; j++) {
			const struct instance_pool *p = &in->pools[j];
			double c = !isnan(p->metric_cores) ? p->metric_cores : p->prof_cores;

			if (strncmp(p->name, "rocksdb", 7) != 0 || isnan(c))
				continue;
			cores += c;
			put(pools, sizeof(pools), "%s" C1 "%s" C2 " %.2f cores", pools[0] ? ", " : "", p->name, c);
		}
		if (cores < COMPACTION_CORES && !(in->compaction_share >= COMPACTION_SHARE))
			continue;
		if (!(f = add(o, "compaction-io", RULE_HINT, in->component, in->address,
			      fmax(cores / COMPACTION_CORES, dscore))))
			return;
		put(f->title, sizeof(f->title),
			 "%s %s: RocksDB compaction and flush are busy while the disk waits",
			 comp_name(in->component), who(in));
		if (pools[0])
			put(f->evidence, sizeof(f->evidence), "RocksDB background threads: %s. ", pools);
		if (!isnan(in->compaction_share))
			put(f->evidence, sizeof(f->evidence),
			    "%.1f%% of the CPU profile is in compaction/flush frames. ", 100 * in->compaction_share);
		put(f->evidence, sizeof(f->evidence), "Disks over %.0f ms await or %.0f%% util: %s.",
		    DISK_AWAIT_MS, DISK_UTIL, disks);
		put(f->suggestion, sizeof(f->suggestion),
		    "Compaction competes with foreground IO: consider " C1 "rocksdb.rate-bytes-per-sec" C2
		    " (rate limiter), fewer " C1 "rocksdb.max-background-jobs" C2
		    ", a faster or separate disk for the data directory, or a larger "
		    C1 "write-buffer-size" C2 " to flush less often.");
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
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
		put(f->title, sizeof(f->title), "%s %s does %.1fx the CPU work of the median %s",
			 comp_name(comps[c]), ev->inst[imax].address, median > 0 ? max / median : 0,
			 comp_name(comps[c]));
		put(f->evidence, sizeof(f->evidence),
		    "Average busy cores in the CPU profiles: %s %.2f, the median of %zu %s instances "
		    "%.2f, the lowest %.2f (threshold %.1fx and %.1f cores).",
		    ev->inst[imax].address, max, n, comp_name(comps[c]), median, v[0], IMBALANCE,
		    IMBALANCE_MIN_CORES);
		if (!strcmp(comps[c], "tikv"))
			put(f->suggestion, sizeof(f->suggestion),
			    "A hot spot: look at PD's hot regions (" C1 "pd-ctl hot read" C2 ", " C1
			    "pd-ctl hot write" C2 ", " C1 "/pd/api/v1/hotspot/regions/write" C2
			    ") and split or scatter the hot table or index (" C1 "SPLIT TABLE" C2 ", "
			    C1 "SHARD_ROW_ID_BITS" C2 ", " C1 "AUTO_RANDOM" C2 ").");
		else
			put(f->suggestion, sizeof(f->suggestion),
			    "Check that the load balancer or the clients spread connections evenly over "
			    "the %s instances.", comp_name(comps[c]));
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
	if (n < 2 || mx < 10 || (double)mx < LEADER_IMBALANCE * (double)(mn > 0 ? mn : 1))
		return;
	if (!(f = add(o, "leader-imbalance", RULE_HINT, "tikv", ev->nodes[imax].host,
		      (double)mx / (double)(mn > 0 ? mn : 1) / LEADER_IMBALANCE)))
		return;
	put(f->title, sizeof(f->title), "Region leaders are uneven: %lld on %s, %lld on %s",
		 (long long)mx, ev->nodes[imax].host, (long long)mn, ev->nodes[imin].host);
	put(f->evidence, sizeof(f->evidence),
	    "PD's store list: leader_count %lld on %s:%d and %lld on %s:%d over %zu TiKV stores "
	    "(threshold %.1fx).", (long long)mx, ev->nodes[imax].host, ev->nodes[imax].port,
	    (long long)mn, ev->nodes[imin].host, ev->nodes[imin].port, n, LEADER_IMBALANCE);
	put(f->suggestion, sizeof(f->suggestion),
	    "Check PD's balance-leader scheduler and leader weights (" C1 "pd-ctl store weight" C2
	    ", " C1 "leader-schedule-limit" C2 "); requests follow leaders, so the store with "
	    "most leaders does most of the work.");
}

static void rule_mutex(const struct evidence *ev, struct out *o)
{
	size_t i;

	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];
		struct finding *f;
		char holder[300];

		if (!in->mutex.present || strcmp(in->mutex.unit, "nanoseconds") ||
		    (double)in->mutex.total < MUTEX_DELAY_NS || !in->mutex_holder[0] ||
		    in->mutex_holder_share < MUTEX_HOLDER)
			continue;
		if (!(f = add(o, "mutex-contention", RULE_HINT, in->component, in->address,
			      (double)in->mutex.total / MUTEX_DELAY_NS)))
			return;
		clean(holder, sizeof(holder), in->mutex_holder);
		put(f->title, sizeof(f->title), "%s %s: lock contention, %.0f%% of it released in "
			 C1 "%.120s" C2, comp_name(in->component), in->address,
			 100 * in->mutex_holder_share, holder);
		put(f->evidence, sizeof(f->evidence),
		    "The mutex profile (cumulative since the process started) records %.2f s of delay; "
		    "%.1f%% of it at locks released by " C1 "%s" C2
		    " (thresholds: %.0f s and %.0f%%).", (double)in->mutex.total / 1e9,
		    100 * in->mutex_holder_share, holder, MUTEX_DELAY_NS / 1e9, 100 * MUTEX_HOLDER);
		put(f->suggestion, sizeof(f->suggestion),
		    "Shorten the critical section in " C1 "%s" C2
		    ", or shard the lock (per-table or per-connection state, sync.Map, atomics).", holder);
	}
}

static int blocking_state(const char *s)
{
	return !strncmp(s, "semacquire", 10) || !strncmp(s, "sync.", 5) || !strncmp(s, "chan send", 9) ||
	       !strncmp(s, "chan receive", 12) || !strcmp(s, "select");
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
			char frame[300];

			if (in->goroutines <= 0 || g->count < PILEUP_COUNT || !blocking_state(g->state) ||
			    (double)g->count < PILEUP_SHARE * (double)in->goroutines)
				continue;
			if (!(f = add(o, "goroutine-pileup", RULE_HINT, in->component, in->address,
				      (double)g->count / PILEUP_COUNT)))
				return;
			clean(frame, sizeof(frame), g->frame);
			put(f->title, sizeof(f->title), "%s %s: %lld goroutines blocked in %s at "
				 C1 "%.120s" C2, comp_name(in->component), in->address, (long long)g->count,
				 g->state, frame);
			put(f->evidence, sizeof(f->evidence),
			    "The goroutine dump has %lld goroutines; %lld of them (%.0f%%) share one stack, "
			    "state \"%s\"%s, waiting in " C1 "%s" C2 " (thresholds: %d goroutines and %.0f%%).",
			    (long long)in->goroutines, (long long)g->count,
			    100.0 * (double)g->count / (double)in->goroutines, g->state,
			    g->wait_max > 0 ? ", some for minutes" : "", frame, PILEUP_COUNT, 100 * PILEUP_SHARE);
			put(f->suggestion, sizeof(f->suggestion),
			    "Find what " C1 "%s" C2 " waits for (the lock holder or the channel's other side); "
			    "a pile-up like this serialises requests. If it waits for PD's TSO, check PD's "
			    "latency and " C1 "tidb_tso_client_batch_max_wait_time" C2 ".", frame);
		}
	}
}

static void rule_hot_function(const struct evidence *ev, struct out *o)
{
	size_t i;
	int j;

	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];
		struct finding *f;
		char name[300], path[1000] = "";

		if (!in->cpu.present || !in->cpu.nflat || in->cpu.flat[0].share < HOT_FUNCTION)
			continue;
		if (!(f = add(o, "hot-function", RULE_HINT, in->component, in->address,
			      in->cpu.flat[0].share / HOT_FUNCTION)))
			return;
		clean(name, sizeof(name), in->cpu.flat[0].name);
		for (j = 0; j < in->cpu.npath; j++) {
			char fr[300];

			clean(fr, sizeof(fr), in->cpu.path[j].name);
			put(path, sizeof(path), "%s%s (%.0f%%)", j ? " > " : "", fr, 100 * in->cpu.path[j].share);
		}
		put(f->title, sizeof(f->title), "%s %s: " C1 "%.120s" C2 " takes %.0f%% of the CPU",
			 comp_name(in->component), who(in), name, 100 * in->cpu.flat[0].share);
		/* the caller on the hottest path, when the path ends in it */
		if (in->cpu.npath >= 2 && !strcmp(in->cpu.path[in->cpu.npath - 1].name, in->cpu.flat[0].name)) {
			char caller[300];

			clean(caller, sizeof(caller), in->cpu.path[in->cpu.npath - 2].name);
			put(f->title, sizeof(f->title), ", most through " C1 "%.120s" C2, caller);
		}
		put(f->evidence, sizeof(f->evidence),
		    "In the CPU profile (%s), " C1 "%s" C2 " has %.1f%% of the samples as the "
		    "innermost frame (threshold %.0f%%).", in->cpu.source, name,
		    100 * in->cpu.flat[0].share, 100 * HOT_FUNCTION);
		if (path[0])
			put(f->evidence, sizeof(f->evidence), " The hottest call path: " C1 "%s" C2 ".", path);
		put(f->suggestion, sizeof(f->suggestion),
		    "Make " C1 "%s" C2 " cheaper or call it less on this path (batch, cache, or avoid "
		    "the work); its callers are in the instance's flame graph.", name);
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
		put(where, sizeof(where), "%s %s", d->host, d->dev);
		if (!(f = add(o, "disk-saturated", RULE_HINT, "", where, score)))
			return;
		put(f->title, sizeof(f->title), "Disk %s on %s is %s", d->dev, d->host,
			 util >= DISK_UTIL ? "saturated" : "slow to answer");
		put(f->evidence, sizeof(f->evidence),
		    "Over %zu intervals: %%util %.1f on average (max %.1f), r_await %.2f ms, w_await "
		    "%.2f ms (max %.2f / %.2f), aqu-sz %.2f, %.0f kB/s read, %.0f kB/s written "
		    "(thresholds %.0f%% util, %.0f ms await).",
		    d->n, util, d->max[SD_UTIL], d->avg[SD_R_AWAIT], d->avg[SD_W_AWAIT], d->max[SD_R_AWAIT],
		    d->max[SD_W_AWAIT], d->avg[SD_AQU], d->avg[SD_RKBS], d->avg[SD_WKBS], DISK_UTIL,
		    DISK_AWAIT_MS);
		if (ev->series.ntasks && ev->series.tasks[0].avg_write > 0) {
			char comm[80];

			clean(comm, sizeof(comm), ev->series.tasks[0].comm);
			put(f->evidence, sizeof(f->evidence), " The top writer is " C1 "%s" C2
			    " (pid %lld) at %.0f kB/s.", comm, (long long)ev->series.tasks[0].pid,
			    ev->series.tasks[0].avg_write / 1024);
		}
		put(f->suggestion, sizeof(f->suggestion),
		    "The workload is IO-bound on this disk: use a faster disk (NVMe), move the WAL or "
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
		put(f->title, sizeof(f->title), "The %s run reported %.0f errors%s",
			 workload_tool_name(w->tool), errs,
			 ev->wl.exit_status > 0 ? " and exited with a failure" : "");
		put(f->evidence, sizeof(f->evidence), "From workload/%s: %.0f errors over %.0f operations",
		    ev->wl.log, errs, count);
		if (w->tool == WORKLOAD_SYSBENCH && !isnan(w->ignored_errors_ps))
			put(f->evidence, sizeof(f->evidence), " (%.2f per second)", w->ignored_errors_ps);
		if (w->reconnects > 0)
			put(f->evidence, sizeof(f->evidence), ", %.0f reconnects", w->reconnects);
		if (ev->wl.exit_status > 0)
			put(f->evidence, sizeof(f->evidence), "; exit status %d", ev->wl.exit_status);
		put(f->evidence, sizeof(f->evidence), ".");
		put(f->suggestion, sizeof(f->suggestion),
		    "Errors under load (deadlocks, write conflicts, timeouts) change what the profile "
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
		put(f->title, sizeof(f->title), "%s latency tail: %s %.2f ms is %.1fx the average",
			 r->op, pn, tail, tail / r->avg_ms);
		put(f->evidence, sizeof(f->evidence), "%s row of the %s summary: avg %.2f ms, %s %.2f ms",
		    r->op, workload_tool_name(w->tool), r->avg_ms, pn, tail);
		if (!isnan(r->max_ms))
			put(f->evidence, sizeof(f->evidence), ", max %.2f ms", r->max_ms);
		put(f->evidence, sizeof(f->evidence), " (threshold %.0fx).", TAIL_RATIO);
		if (disk_waits(ev, disks, sizeof(disks), &ds))
			put(f->evidence, sizeof(f->evidence), " At the same time: %s.", disks);
		put(f->suggestion, sizeof(f->suggestion),
		    "Slow requests are far slower than typical ones: look for stalls (GC, lock waits, "
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
			put(f->title, sizeof(f->title), "Host %s has no hardware performance counters",
				 h->name);
			put(f->evidence, sizeof(f->evidence),
			    "Its CPU flags lack " C1 "arch_perfmon" C2 " (virtualisation: %s): perf and "
			    "tiprof record fall back to the cpu-clock software event, and cycle or cache "
			    "counters (VTune, perf stat -e cycles) are unavailable.", h->virt);
			put(f->suggestion, sizeof(f->suggestion),
			    "The CPU profiles are still valid (time-based sampling); for cache or IPC "
			    "analysis use an instance type with a virtual PMU.");
		}
		if (strstr(h->memory, "THP always") || (strstr(h->memory, "swap ") && !strstr(h->memory, "swap 0B")) ||
		    h->rotational_data == 1) {
			if (!(f = add(o, "host-config", RULE_NOTE, "", h->name, 1)))
				return;
			put(f->title, sizeof(f->title), "Host %s differs from TiDB's recommended settings",
				 h->name);
			if (strstr(h->memory, "THP always"))
				put(f->evidence, sizeof(f->evidence),
				    "Transparent hugepages are \"always\" (TiDB recommends never). ");
			if (strstr(h->memory, "swap ") && !strstr(h->memory, "swap 0B"))
				put(f->evidence, sizeof(f->evidence), "Swap is on (%s). ", h->memory);
			if (h->rotational_data == 1)
				put(f->evidence, sizeof(f->evidence),
				    "A data directory is on a rotational disk: %s. ", h->dirs);
			put(f->suggestion, sizeof(f->suggestion),
			    "Apply the production checklist (THP off, swap off, SSD/NVMe for data) "
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
