/* test_rules.c - every rule of the report on synthetic evidence: it fires
 * past its threshold, cites the numbers and frames it fired on (quoted as
 * names of the finding, the text plain), and stays silent below the
 * threshold or without its data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/bundle/evidence.h"
#include "analyzers/diagnose/rules.h"
#include "check.h"

static struct evidence *ev_new(void)
{
	struct evidence *ev = calloc(1, sizeof(*ev));

	ev->requested_seconds = ev->actual_seconds = NAN;
	ev->inst = calloc(8, sizeof(*ev->inst));
	ev->hosts = calloc(4, sizeof(*ev->hosts));
	ev->nodes = calloc(4, sizeof(*ev->nodes));
	workload_init(&ev->wl.w);
	ev->wl.exit_status = -1;
	series_init(&ev->series);
	return ev;
}

static void ev_del(struct evidence *ev)
{
	free(ev->series.disks);
	free(ev->series.tasks);
	free(ev->series.pools);
	ev->series.disks = NULL;
	ev->series.tasks = NULL;
	ev->series.pools = NULL;
	ev->series.ndisks = ev->series.ntasks = ev->series.npools = 0;
	evidence_free(ev);
	free(ev);
}

static struct instance *inst(struct evidence *ev, const char *comp, const char *addr)
{
	struct instance *in = &ev->inst[ev->ninst++];

	instance_init(in);
	snprintf(in->component, sizeof(in->component), "%s", comp);
	snprintf(in->address, sizeof(in->address), "%s", addr);
	snprintf(in->status, sizeof(in->status), "ok");
	return in;
}

static void cpu(struct instance *in, double cores, const char *top, double share)
{
	in->cpu.present = 1;
	in->cpu.total = 1000000000;
	in->cpu.seconds = 10;
	snprintf(in->cpu.unit, sizeof(in->cpu.unit), "nanoseconds");
	snprintf(in->cpu.source, sizeof(in->cpu.source), "profile.pb");
	in->cpu_cores = cores;
	if (top) {
		snprintf(in->cpu.flat[0].name, sizeof(in->cpu.flat[0].name), "%s", top);
		in->cpu.flat[0].share = share;
		in->cpu.nflat = 1;
	}
}

static struct instance_pool *pool(struct instance *in, const char *name, double share, double cores,
				  int threads, long size)
{
	struct instance_pool *p = &in->pools[in->npools++];

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->prof_share = share;
	p->prof_cores = cores;
	p->metric_cores = NAN;
	p->threads = threads;
	if (size) {
		snprintf(p->size_key, sizeof(p->size_key), "raftstore.store-pool-size");
		p->size = size;
	}
	snprintf(p->path, sizeof(p->path), "raftstore::store::fsm::peer::PeerFsmDelegate::handle_msgs");
	return p;
}

static const struct finding *find(const struct finding *f, size_t n, const char *rule, size_t *count)
{
	const struct finding *first = NULL;
	size_t i;

	*count = 0;
	for (i = 0; i < n; i++)
		if (!strcmp(f[i].rule, rule)) {
			if (!first)
				first = &f[i];
			(*count)++;
		}
	return first;
}

/* The finding quotes name in field k. */
static int quoted(const struct finding *f, enum finding_field k, const char *name)
{
	const char *s = finding_text(f, k);
	int i;

	for (i = 0; i < f->nnames; i++)
		if (f->names[i].field == k && f->names[i].len == strlen(name) &&
		    f->names[i].start + f->names[i].len <= strlen(s) &&
		    !memcmp(s + f->names[i].start, name, f->names[i].len))
			return 1;
	return 0;
}

/* Plain text: no control byte, every name inside its field. */
static int plain(const struct finding *f)
{
	const char *t[3] = { f->title, f->evidence, f->suggestion };
	int i;
	size_t j;

	for (i = 0; i < 3; i++)
		for (j = 0; t[i][j]; j++)
			if ((unsigned char)t[i][j] < 0x20 || t[i][j] == 0x7f)
				return 0;
	for (i = 0; i < f->nnames; i++)
		if (f->names[i].start + f->names[i].len > strlen(finding_text(f, f->names[i].field)))
			return 0;
	return 1;
}

static const struct finding *run1(struct evidence *ev, const char *rule, struct finding **all, size_t *n,
				  size_t *count)
{
	CHECK_EQ_INT(rules_run(ev, all, n), 0);
	return find(*all, *n, rule, count);
}

static void test_nothing_on_empty(void)
{
	struct evidence *ev = ev_new();
	struct finding *f;
	size_t n;

	CHECK_EQ_INT(rules_run(ev, &f, &n), 0);
	CHECK_EQ_INT(n, 0);
	free(f);
	/* a failed target with no data: still nothing invented */
	inst(ev, "tikv", "10.0.0.1:20180");
	snprintf(ev->inst[0].status, sizeof(ev->inst[0].status), "failed");
	CHECK_EQ_INT(rules_run(ev, &f, &n), 0);
	CHECK_EQ_INT(n, 0);
	free(f);
	ev_del(ev);
}

static void test_gc(void)
{
	struct evidence *ev = ev_new();
	struct instance *in = inst(ev, "tidb", "10.0.0.5:10080");
	const struct finding *x;
	struct finding *f;
	size_t n, c;

	cpu(in, 3.2, NULL, 0);
	in->gc_share = 0.31;
	in->mark_share = 0.18;
	in->malloc_share = 0.12;
	in->assist_share = 0.04;
	snprintf(in->alloc_top, sizeof(in->alloc_top), "github.com/pingcap/tidb/pkg/util/codec.EncodeKey");
	in->alloc_top_share = 0.27;
	in->alloc_total = 512 << 20;
	x = run1(ev, "gc-pressure", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK_EQ_INT(x->kind, RULE_HINT);
		CHECK(strstr(x->title, "31.0%") != NULL);
		CHECK(strstr(x->evidence, "runtime.gcBgMarkWorker 18.0%") != NULL);
		CHECK(quoted(x, FINDING_EVIDENCE, "runtime.gcBgMarkWorker"));
		CHECK(quoted(x, FINDING_SUGGESTION, "github.com/pingcap/tidb/pkg/util/codec.EncodeKey"));
		CHECK(strstr(x->evidence, "codec.EncodeKey") != NULL);
		CHECK(strstr(x->evidence, "27.0% of 512.0 MiB") != NULL);
		CHECK(strstr(x->suggestion, "GOGC") != NULL);
	}
	free(f);
	in->gc_share = 0.10;
	run1(ev, "gc-pressure", &f, &n, &c);
	CHECK_EQ_INT(c, 0);
	free(f);
	ev_del(ev);
}

static void test_pools(void)
{
	struct evidence *ev = ev_new();
	struct instance *in = inst(ev, "tikv", "10.0.0.7:20180");
	const struct finding *x;
	struct finding *f;
	size_t n, c;

	cpu(in, 4, NULL, 0);
	pool(in, "raftstore", 0.45, 1.9, 2, 2);
	pool(in, "grpc-server", 0.20, 0.8, 4, 0);
	pool(in, "apply", 0.10, 0.4, 2, 0);
	x = run1(ev, "pool-saturated", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK(strstr(x->title, "raftstore") != NULL);
		CHECK(strstr(x->evidence, "1.90 cores") != NULL);
		CHECK(strstr(x->evidence, "95%") != NULL);
		CHECK(strstr(x->evidence, "raftstore.store-pool-size = 2") != NULL);
		CHECK(strstr(x->evidence, "PeerFsmDelegate::handle_msgs") != NULL);
		CHECK(strstr(x->suggestion, "raftstore.store-pool-size") != NULL);
	}
	x = find(f, n, "hot-pool", &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK(strstr(x->title, "raftstore") != NULL);
		CHECK(strstr(x->title, "60%") != NULL);	/* 0.45 of 0.75 */
	}
	free(f);
	/* metrics win over the profile when both exist */
	in->pools[0].metric_cores = 1.0;
	run1(ev, "pool-saturated", &f, &n, &c);
	CHECK_EQ_INT(c, 0);
	free(f);
	ev_del(ev);
}

static void test_series_pools(void)
{
	struct evidence *ev = ev_new();
	struct series_pool *sp;
	const struct finding *x;
	struct finding *f;
	size_t n, c;

	ev->series.pools = calloc(1, sizeof(*ev->series.pools));
	ev->series.npools = 1;
	sp = &ev->series.pools[0];
	snprintf(sp->host, sizeof(sp->host), "local");
	snprintf(sp->pool, sizeof(sp->pool), "mariadbd");
	sp->pid = 42;
	sp->threads = 2;
	sp->avg_cpu = 190;
	sp->max_cpu = 200;
	x = run1(ev, "pool-saturated", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x)
		CHECK(strstr(x->evidence, "190.0% of one CPU") != NULL);
	free(f);
	sp->threads = 16;
	run1(ev, "pool-saturated", &f, &n, &c);
	CHECK_EQ_INT(c, 0);
	free(f);
	ev_del(ev);
}

static struct series_disk *disk(struct evidence *ev, double util, double w_await)
{
	struct series_disk *d;

	if (!ev->series.disks)
		ev->series.disks = calloc(2, sizeof(*ev->series.disks));
	d = &ev->series.disks[ev->series.ndisks++];
	snprintf(d->host, sizeof(d->host), "local");
	snprintf(d->dev, sizeof(d->dev), "sdb");
	d->n = 30;
	d->avg[SD_UTIL] = util;
	d->max[SD_UTIL] = util + 5;
	d->avg[SD_W_AWAIT] = w_await;
	d->max[SD_W_AWAIT] = w_await * 3;
	d->avg[SD_R_AWAIT] = 1.5;
	d->avg[SD_AQU] = 4.2;
	d->avg[SD_WKBS] = 81920;
	ev->series.have_io = 1;
	return d;
}

static void test_compaction_and_disk(void)
{
	struct evidence *ev = ev_new();
	struct instance *in = inst(ev, "tikv", "10.0.0.7:20180");
	const struct finding *x;
	struct finding *f;
	size_t n, c;

	cpu(in, 4, NULL, 0);
	pool(in, "rocksdb:low", 0.3, 1.2, 4, 0);
	in->compaction_share = 0.28;
	disk(ev, 92, 35);
	x = run1(ev, "compaction-io", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK(strstr(x->evidence, "rocksdb:low 1.20 cores") != NULL);
		CHECK(quoted(x, FINDING_EVIDENCE, "rocksdb:low"));
		CHECK(quoted(x, FINDING_SUGGESTION, "rocksdb.rate-bytes-per-sec"));
		CHECK(strstr(x->evidence, "28.0%") != NULL);
		CHECK(strstr(x->evidence, "w_await 35.00 ms") != NULL);
	}
	x = find(f, n, "disk-saturated", &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK(strstr(x->title, "sdb") != NULL);
		CHECK(strstr(x->evidence, "%util 92.0") != NULL);
	}
	free(f);
	/* a quiet disk: neither fires */
	ev->series.disks[0].avg[SD_UTIL] = 20;
	ev->series.disks[0].avg[SD_W_AWAIT] = 2;
	run1(ev, "compaction-io", &f, &n, &c);
	CHECK_EQ_INT(c, 0);
	find(f, n, "disk-saturated", &c);
	CHECK_EQ_INT(c, 0);
	free(f);
	ev_del(ev);
}

static void test_imbalance(void)
{
	struct evidence *ev = ev_new();
	const struct finding *x;
	struct finding *f;
	size_t n, c;

	cpu(inst(ev, "tikv", "10.0.0.1:20180"), 3.6, NULL, 0);
	cpu(inst(ev, "tikv", "10.0.0.2:20180"), 1.1, NULL, 0);
	cpu(inst(ev, "tikv", "10.0.0.3:20180"), 1.0, NULL, 0);
	x = run1(ev, "hot-instance", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK(!strcmp(x->where, "10.0.0.1:20180"));
		CHECK(strstr(x->title, "3.3x") != NULL);
		CHECK(strstr(x->evidence, "median of 3 TiKV instances 1.10") != NULL);
		CHECK(strstr(x->suggestion, "hot") != NULL);
	}
	free(f);
	ev->inst[0].cpu_cores = 1.3;
	run1(ev, "hot-instance", &f, &n, &c);
	CHECK_EQ_INT(c, 0);
	free(f);
	ev_del(ev);
}

static void test_leaders(void)
{
	struct evidence *ev = ev_new();
	const struct finding *x;
	struct finding *f;
	size_t n, c, i;

	for (i = 0; i < 3; i++) {
		struct ev_node *nd = &ev->nodes[ev->nnodes++];

		snprintf(nd->component, sizeof(nd->component), "tikv");
		snprintf(nd->host, sizeof(nd->host), "10.0.0.%zu", i + 1);
		nd->port = 20160;
		nd->leaders = i == 0 ? 900 : 300;
		nd->regions = 1000;
	}
	x = run1(ev, "leader-imbalance", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x)
		CHECK(strstr(x->evidence, "leader_count 900 on 10.0.0.1:20160 and 300") != NULL);
	free(f);
	ev->nodes[0].leaders = 400;
	run1(ev, "leader-imbalance", &f, &n, &c);
	CHECK_EQ_INT(c, 0);
	free(f);
	ev_del(ev);
}

static void test_mutex_and_goroutines(void)
{
	struct evidence *ev = ev_new();
	struct instance *in = inst(ev, "tidb", "10.0.0.5:10080");
	const struct finding *x;
	struct finding *f;
	size_t n, c;

	in->mutex.present = 1;
	snprintf(in->mutex.unit, sizeof(in->mutex.unit), "nanoseconds");
	in->mutex.total = (int64_t)4.5e9;
	snprintf(in->mutex_holder, sizeof(in->mutex_holder), "github.com/pingcap/tidb/pkg/domain.(*Domain).Reload");
	in->mutex_holder_share = 0.62;
	in->goroutines = 2400;
	in->ngroups = 1;
	snprintf(in->groups[0].state, sizeof(in->groups[0].state), "semacquire");
	snprintf(in->groups[0].frame, sizeof(in->groups[0].frame), "github.com/tikv/pd/client.(*tsoRequest).Wait");
	in->groups[0].count = 1500;
	in->groups[0].wait_max = 2;
	x = run1(ev, "mutex-contention", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK(strstr(x->evidence, "4.50 s of delay") != NULL);
		CHECK(strstr(x->evidence, "62.0%") != NULL);
		CHECK(strstr(x->title, "(*Domain).Reload") != NULL);
	}
	x = find(f, n, "goroutine-pileup", &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK(strstr(x->title, "1500 goroutines blocked in semacquire") != NULL);
		CHECK(strstr(x->evidence, "(*tsoRequest).Wait") != NULL);
		CHECK(strstr(x->evidence, "62%") != NULL);	/* 1500 of 2400 */
	}
	free(f);
	/* idle network goroutines are not a pile-up; little delay is no contention */
	snprintf(in->groups[0].state, sizeof(in->groups[0].state), "IO wait");
	in->mutex.total = 100000000;
	CHECK_EQ_INT(rules_run(ev, &f, &n), 0);
	find(f, n, "goroutine-pileup", &c);
	CHECK_EQ_INT(c, 0);
	find(f, n, "mutex-contention", &c);
	CHECK_EQ_INT(c, 0);
	free(f);
	ev_del(ev);
}

static void test_hot_function(void)
{
	struct evidence *ev = ev_new();
	struct instance *in = inst(ev, "tidb", "10.0.0.5:10080");
	const struct finding *x;
	struct finding *f;
	size_t n, c;

	cpu(in, 2, "main.spin", 0.55);
	in->cpu.npath = 2;
	snprintf(in->cpu.path[0].name, sizeof(in->cpu.path[0].name), "main.tidbExecuteSelect");
	in->cpu.path[0].share = 0.56;
	snprintf(in->cpu.path[1].name, sizeof(in->cpu.path[1].name), "main.spin");
	in->cpu.path[1].share = 0.55;
	x = run1(ev, "hot-function", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK(strstr(x->title, "main.spin takes 55%") != NULL);
		CHECK(strstr(x->title, "most through main.tidbExecuteSelect") != NULL);
		CHECK(quoted(x, FINDING_TITLE, "main.spin"));
		CHECK(quoted(x, FINDING_TITLE, "main.tidbExecuteSelect"));
		CHECK(quoted(x, FINDING_EVIDENCE, "main.tidbExecuteSelect (56%) > main.spin (55%)"));
		CHECK(!quoted(x, FINDING_TITLE, "main"));
		CHECK(strstr(x->evidence, "55.0%") != NULL);
	}
	free(f);
	in->cpu.flat[0].share = 0.12;
	run1(ev, "hot-function", &f, &n, &c);
	CHECK_EQ_INT(c, 0);
	free(f);
	ev_del(ev);
}

static void test_workload(void)
{
	struct evidence *ev = ev_new();
	struct workload_row *r;
	const struct finding *x;
	struct finding *f;
	size_t n, c;

	ev->wl.parsed = 1;
	snprintf(ev->wl.log, sizeof(ev->wl.log), "output.log");
	ev->wl.w.tool = WORKLOAD_SYSBENCH;
	ev->wl.w.nrows = 1;
	r = &ev->wl.w.rows[0];
	snprintf(r->op, sizeof(r->op), "transactions");
	r->count = 4536;
	r->errors = 867;
	r->avg_ms = 8.22;
	r->p95_ms = 14.21;
	r->p99_ms = NAN;
	r->max_ms = 1509.23;
	ev->wl.w.ignored_errors_ps = 214.96;
	x = run1(ev, "workload-errors", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x)
		CHECK(strstr(x->evidence, "867 errors over 4536 operations (214.96 per second)") != NULL);
	find(f, n, "latency-tail", &c);
	CHECK_EQ_INT(c, 0);	/* 14.21 < 3 x 8.22 */
	free(f);
	r->errors = 0;
	r->p95_ms = 30;
	x = run1(ev, "latency-tail", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x)
		CHECK(strstr(x->evidence, "avg 8.22 ms, p95 30.00 ms, max 1509.23 ms") != NULL);
	find(f, n, "workload-errors", &c);
	CHECK_EQ_INT(c, 0);
	free(f);
	ev_del(ev);
}

static void test_hosts(void)
{
	struct evidence *ev = ev_new();
	struct ev_host *h = &ev->hosts[ev->nhosts++];
	const struct finding *x;
	struct finding *f;
	size_t n, c;

	snprintf(h->name, sizeof(h->name), "kv-node-1");
	snprintf(h->virt, sizeof(h->virt), "kvm (Alibaba Cloud ECS)");
	snprintf(h->memory, sizeof(h->memory), "7.375GiB, swap 2GiB, THP always");
	h->has_pmu = 0;
	h->has_avx2 = 1;
	h->rotational_data = 1;
	snprintf(h->dirs, sizeof(h->dirs), "/data: / on /dev/sda1 (ext4, disk sda)");
	x = run1(ev, "no-pmu", &f, &n, &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK_EQ_INT(x->kind, RULE_NOTE);
		CHECK(strstr(x->evidence, "arch_perfmon") != NULL);
	}
	x = find(f, n, "host-config", &c);
	CHECK_EQ_INT(c, 1);
	if (x) {
		CHECK(strstr(x->evidence, "\"always\"") != NULL);
		CHECK(strstr(x->evidence, "swap 2GiB") != NULL);
		CHECK(strstr(x->evidence, "rotational") != NULL);
	}
	free(f);
	h->has_pmu = 1;
	h->rotational_data = 0;
	snprintf(h->memory, sizeof(h->memory), "7.375GiB, swap 0B, THP never");
	CHECK_EQ_INT(rules_run(ev, &f, &n), 0);
	CHECK_EQ_INT(n, 0);
	free(f);
	ev_del(ev);
}

/* Hints come before notes, stronger first; the text is plain whatever
 * bytes the names from the input hold. */
static void test_order_and_clean(void)
{
	struct evidence *ev = ev_new();
	struct instance *a = inst(ev, "tidb", "a:1"), *b = inst(ev, "tidb", "b:1");
	struct ev_host *h = &ev->hosts[ev->nhosts++];
	struct finding *f;
	size_t n;

	cpu(a, 1, "x\x01y\x02z", 0.30);
	cpu(b, 1, "hot", 0.90);
	h->has_pmu = 0;
	snprintf(h->name, sizeof(h->name), "h\x03i\n");
	snprintf(h->virt, sizeof(h->virt), "kvm\x01");
	CHECK_EQ_INT(rules_run(ev, &f, &n), 0);
	CHECK_EQ_INT(n, 3);	/* two hot functions and no-pmu; 1 vs 1 core is no imbalance */
	if (n == 3) {
		CHECK(!strcmp(f[0].where, "b:1"));
		CHECK(!strcmp(f[1].where, "a:1"));
		CHECK(strstr(f[1].title, "x?y?z") != NULL);
		CHECK(quoted(&f[1], FINDING_TITLE, "x?y?z"));
		CHECK_EQ_INT(f[n - 1].kind, RULE_NOTE);
		CHECK(strstr(f[n - 1].title, "Host h?i? has") != NULL);
		CHECK(strstr(f[n - 1].evidence, "(virtualisation: kvm?)") != NULL);
		CHECK(plain(&f[0]) && plain(&f[1]) && plain(&f[2]));
	}
	free(f);
	ev_del(ev);
}

static void test_names(void)
{
	size_t i;

	for (i = 0; rules_names[i]; i++)
		;
	CHECK(i >= 8);
}

int main(void)
{
	RUN(test_nothing_on_empty);
	RUN(test_gc);
	RUN(test_pools);
	RUN(test_series_pools);
	RUN(test_compaction_and_disk);
	RUN(test_imbalance);
	RUN(test_leaders);
	RUN(test_mutex_and_goroutines);
	RUN(test_hot_function);
	RUN(test_workload);
	RUN(test_hosts);
	RUN(test_order_and_clean);
	RUN(test_names);
	return CHECK_DONE();
}
