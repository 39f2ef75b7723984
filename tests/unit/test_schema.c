/* test_schema.c - the capture bundle's one vocabulary (analyzers/bundle/
 * schema.h): what the writers write, the reader reads.
 *
 *  - a capture of an instance that does not answer (127.0.0.1:1, refused)
 *    plus host.json, read back with evidence_load(): manifest, target,
 *    failed files, topology and host;
 *  - the lines of io.jsonl and threads.jsonl as iostat and taskrate write
 *    them, read back with series_load();
 *  - docs/capture-bundle.md names every file and manifest key. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers/bundle/evidence.h"
#include "analyzers/bundle/schema.h"
#include "analyzers/cluster/cluster.h"
#include "analyzers/metrics/iostat.h"
#include "analyzers/metrics/series.h"
#include "analyzers/metrics/taskrate.h"
#include "collectors/capture/bundle.h"
#include "collectors/capture/capture.h"
#include "collectors/capture/hostfile.h"
#include "check.h"

static char tmpdir[1024];

static const char *tmp_path(const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
	return out;
}

static int nwarnings;

static void count_warning(void *ctx, const char *left_out, const struct tp_error *err)
{
	(void)ctx;
	(void)left_out;
	fprintf(stderr, "  warning: %s\n", err->msg);
	nwarnings++;
}

/* A capture of one TiDB that refuses connections. */
static int capture_refused(const char *dir)
{
	char *argv[] = { "tiprof", "capture", "--tidb", "127.0.0.1:1", "--key", "secret", NULL };
	struct capture_opts o;
	struct cluster cl;
	struct cluster_node *nd;
	struct capture *c = NULL;
	struct bundle *b = NULL;
	struct tp_error err;
	int rc;

	cluster_init(&cl);
	tp_error_init(&err);
	memset(&o, 0, sizeof(o));
	o.seconds = 1;
	o.grace = 1;
	o.fetch.max_retries = 0;
	o.argc = 6;
	o.argv = argv;
	rc = fetch_global_init(&err);
	if (rc == 0)
		rc = cluster_add(&cl, BUNDLE_ROLE_TIDB, "127.0.0.1", 4000, 1, "flag", &nd);
	if (rc == 0)
		rc = bundle_create(&b, dir, &err);
	if (rc == 0)
		rc = capture_new(&c, &o, &cl, b, &err);
	if (rc == 0)
		CHECK_EQ_INT(hostfile_write(b, NULL, 0, NULL, 0, count_warning, NULL), 0);
	if (rc == 0)
		rc = capture_start(c, &err);
	while (rc >= 0 && (rc = capture_step(c, 100, &err)) > 0)
		;
	if (rc == 0)
		rc = capture_finish(c, 0, &err);
	if (rc < 0)
		fprintf(stderr, "  capture: %s\n", err.msg);
	capture_free(c);
	bundle_free(b);
	cluster_free(&cl);
	fetch_global_cleanup();
	return rc;
}

static void test_capture_read_back(void)
{
	char dir[1200], path[1400];
	struct evidence ev;
	struct tp_error err;
	const struct instance *in;

	tmp_path("capture", dir, sizeof(dir));
	CHECK_EQ_INT(capture_refused(dir), 1);	/* a target failed */
	CHECK_EQ_INT(nwarnings, 0);
	snprintf(path, sizeof(path), "%s/" BUNDLE_TARGET_DIR, dir, BUNDLE_ROLE_TIDB, "127.0.0.1", 1);
	CHECK(access(path, F_OK) == 0);
	tp_error_init(&err);
	CHECK_EQ_INT(evidence_load(dir, &ev, &err), 0);
	CHECK(ev.has_manifest);
	CHECK_EQ_STR(ev.state, MANIFEST_STATE_PARTIAL);
	CHECK(ev.started[0] && ev.ended[0]);
	CHECK(ev.requested_seconds == 1);
	CHECK(ev.actual_seconds >= 0);
	CHECK_EQ_INT(ev.targets, 1);
	CHECK_EQ_INT(ev.ok, 0);
	CHECK_EQ_INT(ev.failed, 1);
	CHECK(strstr(ev.command, "--key " MANIFEST_OMITTED) != NULL);
	CHECK(strstr(ev.command, "secret") == NULL);
	/* topology.json */
	CHECK_EQ_INT(ev.nnodes, 1);
	if (ev.nnodes == 1) {
		CHECK_EQ_STR(ev.nodes[0].component, BUNDLE_ROLE_TIDB);
		CHECK_EQ_STR(ev.nodes[0].host, "127.0.0.1");
		CHECK_EQ_INT(ev.nodes[0].port, 4000);
		CHECK_EQ_INT(ev.nodes[0].status_port, 1);
	}
	/* host.json: this host */
	CHECK_EQ_INT(ev.nhosts, 1);
	if (ev.nhosts == 1)
		CHECK_EQ_STR(ev.hosts[0].source, BUNDLE_HOST_LOCAL);
	/* the target and its failed files */
	in = evidence_instance(&ev, BUNDLE_ROLE_TIDB, "127.0.0.1:1");
	CHECK(in != NULL);
	if (in) {
		CHECK_EQ_STR(in->status, MANIFEST_STATUS_FAILED);
		CHECK(strncmp(in->reason, BUNDLE_DEBUG_ZIP ": ", strlen(BUNDLE_DEBUG_ZIP) + 2) == 0);
		CHECK(strstr(in->failed_files, BUNDLE_DEBUG_ZIP " (debug zip): failed") != NULL);
		CHECK(strstr(in->failed_files, BUNDLE_STATUS " (status): failed") != NULL);
		CHECK(strstr(in->failed_files, BUNDLE_CONFIG " (config): failed") != NULL);
		CHECK_EQ_INT(in->port, 1);
	}
	evidence_free(&ev);
}

static void test_series_read_back(void)
{
	struct iostat_dev dev;
	struct iostat_report ir;
	struct taskrate_report tr;
	struct task_sample ts;
	struct task_pool pool;
	struct series s;
	struct tp_error err;
	char path[1200];
	FILE *fp;

	memset(&dev, 0, sizeof(dev));
	snprintf(dev.name, sizeof(dev.name), "sda");
	iostat_report_init(&ir);
	ir.itv_cs = 100;
	ir.line = calloc(1, sizeof(*ir.line));
	if (!ir.line)
		return;
	ir.n = 1;
	ir.line[0].dev = &dev;
	ir.line[0].row.util = 42;
	ir.line[0].row.w_await = 3;
	taskrate_report_init(&tr);
	tr.interval_s = 1;
	memset(&ts, 0, sizeof(ts));
	memset(&pool, 0, sizeof(pool));
	snprintf(pool.name, sizeof(pool.name), "raftstore");
	pool.threads = 2;
	pool.cpu_pct = 150;

	tmp_path("series.jsonl", path, sizeof(path));
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		goto out;
	tp_error_init(&err);
	CHECK_EQ_INT(iostat_write_json(fp, &ir, BUNDLE_HOST_LOCAL, 1000, 1, &err), 0);
	ir.line[0].row.util = 58;
	CHECK_EQ_INT(iostat_write_json(fp, &ir, BUNDLE_HOST_LOCAL, 1001, 1, &err), 0);
	CHECK_EQ_INT(taskrate_write_json(fp, SERIES_TYPE_THREADS, &tr, &pool, 1, "h:20180", 0,
					 1000.5, &err), 0);
	fclose(fp);

	series_init(&s);
	CHECK_EQ_INT(series_load(&s, path, &err), 0);
	series_finish(&s);
	CHECK_EQ_INT(s.bad_lines, 0);
	CHECK_EQ_INT(s.ndisks, 1);
	if (s.ndisks == 1) {
		CHECK_EQ_STR(s.disks[0].host, BUNDLE_HOST_LOCAL);
		CHECK_EQ_STR(s.disks[0].dev, "sda");
		CHECK_EQ_INT(s.disks[0].n, 2);
		CHECK(fabs(s.disks[0].avg[SD_UTIL] - 50) < 1e-9);
		CHECK(fabs(s.disks[0].max[SD_W_AWAIT] - 3) < 1e-9);
	}
	CHECK_EQ_INT(s.npools, 1);
	if (s.npools == 1) {
		CHECK_EQ_STR(s.pools[0].host, "h:20180");
		CHECK_EQ_STR(s.pools[0].pool, "raftstore");
		CHECK_EQ_INT(s.pools[0].threads, 2);
		CHECK(fabs(s.pools[0].avg_cpu - 150) < 1e-9);
	}
	series_free(&s);
out:
	free(ir.line);
	ir.line = NULL;
	iostat_report_free(&ir);
	taskrate_report_free(&tr);
}

/* docs/capture-bundle.md: every name in backquotes, or in the tree. */
static void test_documented(void)
{
	static const char *const names[] = {
		BUNDLE_MANIFEST, BUNDLE_TOPOLOGY, BUNDLE_HOSTS, BUNDLE_DEBUG_ZIP,
		BUNDLE_PROFILE_PB, BUNDLE_METRICS, BUNDLE_METRICS_END, BUNDLE_STATUS,
		BUNDLE_CONFIG, BUNDLE_IO_SERIES, BUNDLE_THREAD_SERIES,
		BUNDLE_LOCAL "/" BUNDLE_LOCAL_PROFILE, BUNDLE_LOCAL "/" BUNDLE_RECORD_LOG,
		BUNDLE_WORKLOAD "/", BUNDLE_WORKLOAD_COMMAND, BUNDLE_WORKLOAD_OUTPUT,
		BUNDLE_WORKLOAD_EXIT, "NAME" BUNDLE_INVALID, "NAME" BUNDLE_PARTIAL,
		"`" MANIFEST_FORMAT "`", "`" MANIFEST_FORMAT_VERSION "`", "`" MANIFEST_TOOL "`",
		"`" MANIFEST_TOOL_VERSION "`", "`" MANIFEST_COMMAND "`", "`" MANIFEST_STATE "`",
		"`" MANIFEST_STARTED "`", "`" MANIFEST_ENDED "`",
		"`" MANIFEST_REQUESTED_SECONDS "`", "`" MANIFEST_ACTUAL_SECONDS "`",
		"`" MANIFEST_GRACE_SECONDS "`", "`" MANIFEST_FREQUENCY_HZ "`",
		"`" MANIFEST_TLS "`", "`" MANIFEST_INTERRUPTED "`", "`" MANIFEST_TOPOLOGY "`",
		"`" MANIFEST_SUMMARY "`", "`" MANIFEST_TARGETS "`", "`" MANIFEST_HOOKS "`",
		"\"" MANIFEST_FORMAT_NAME "\"",
		"`" MANIFEST_STATE_RUNNING "`", "`" MANIFEST_STATE_COMPLETE "`",
		"`" MANIFEST_STATE_PARTIAL "`", "`" MANIFEST_STATE_INTERRUPTED "`",
		"`" MANIFEST_STATE_ABORTED "`",
		"`" MANIFEST_TARGET_COMPONENT "`", "`" MANIFEST_TARGET_ADDRESS "`",
		"`" MANIFEST_TARGET_DIR "`", "`" MANIFEST_TARGET_STATUS "`",
		"`" MANIFEST_TARGET_REASON "`", "`" MANIFEST_TARGET_FILES "`",
		"`" MANIFEST_FILE_NAME "`", "`" MANIFEST_FILE_WHAT "`", "`" MANIFEST_FILE_URL_PATH "`",
		"`" MANIFEST_FILE_SECONDS "`", "`" MANIFEST_FILE_FILE "`", "`" MANIFEST_FILE_BYTES "`",
		"`" MANIFEST_FILE_HTTP_STATUS "`", "`" MANIFEST_FILE_ATTEMPTS "`",
		"`" MANIFEST_FILE_BUSY_ANSWERS "`", "`" MANIFEST_FILE_STARTED_S "`",
		"`" MANIFEST_FILE_ENDED_S "`", "`" MANIFEST_FILE_DETAIL "`",
		"hooks." MANIFEST_HOOK_IO, "hooks." MANIFEST_HOOK_RECORD,
		"analyzers/bundle/schema.h",
	};
	const char *top = getenv("TOP");
	char path[1024], *doc;
	size_t i, n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/docs/capture-bundle.md", top ? top : ".");
	fp = fopen(path, "r");
	CHECK(fp != NULL);
	if (!fp)
		return;
	doc = calloc(1, 1 << 20);
	n = doc ? fread(doc, 1, (1 << 20) - 1, fp) : 0;
	fclose(fp);
	CHECK(n > 0);
	for (i = 0; doc && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(doc, names[i])) {
			fprintf(stderr, "  %s does not mention %s\n", path, names[i]);
			CHECK(0);
		}
	free(doc);
}

int main(void)
{
	const char *t = getenv("TEST_TMP");

	snprintf(tmpdir, sizeof(tmpdir), "%s/test_schema.XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror(tmpdir);
		return 1;
	}
	RUN(test_capture_read_back);
	RUN(test_series_read_back);
	RUN(test_documented);
	return CHECK_DONE();
}
