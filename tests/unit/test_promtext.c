/* test_promtext.c - the Prometheus text parser, the node_exporter and TiKV
 * mappings, and JSON escaping. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/metrics/exporter.h"
#include "analyzers/base/jsonw.h"
#include "analyzers/metrics/promtext.h"
#include "check.h"

struct got {
	char text[4096];
	size_t len;
	int nmeta;
};

static int on_sample(void *ctx, const struct promtext_sample *s)
{
	struct got *g = ctx;
	size_t i;

	g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "%s", s->name);
	for (i = 0; i < s->nlabels; i++)
		g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "%c%s=[%s]",
					   i ? ',' : '{', s->labels[i].name, s->labels[i].value);
	g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "%s %g",
				   s->nlabels ? "}" : "", s->value);
	if (s->has_timestamp)
		g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, " @%lld",
					   (long long)s->timestamp_ms);
	g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "\n");
	return 0;
}

static int on_meta(void *ctx, const char *kind, const char *m, size_t mlen, const char *t,
		   size_t tlen)
{
	struct got *g = ctx;

	g->nmeta++;
	g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "%s %.*s [%.*s]\n",
				   kind, (int)mlen, m, (int)tlen, t);
	return 0;
}

static int parse(const char *text, struct got *g, struct tp_error *err)
{
	memset(g, 0, sizeof(*g));
	tp_error_init(err);
	return promtext_parse("m", text, strlen(text), on_sample, on_meta, g, err);
}

static void test_samples(void)
{
	struct got g;
	struct tp_error err;

	CHECK_EQ_INT(parse("# HELP node_disk_io_now The number of I/Os \\\\ in \\n progress.\n"
			   "# TYPE node_disk_io_now gauge\n"
			   "# just a comment\n"
			   "\n"
			   "node_disk_io_now{device=\"vda\"} 0\n"
			   "x{a=\"q\\\"uo\\\\te\\n\",b=\"\",} 1.5e3 1700000000000\r\n"
			   "  y   2\t-5\n"
			   "up NaN\n"
			   "inf_p{z=\"1\"} +Inf\n"
			   "inf_n -Inf\n"
			   "ex 3 # {trace_id=\"abc\"} 1\n"
			   "c:d{le=\"0.5\"} 7", &g, &err), 0);
	CHECK_EQ_INT(g.nmeta, 2);
	CHECK_EQ_STR(g.text,
		     "HELP node_disk_io_now [The number of I/Os \\ in \n progress.]\n"
		     "TYPE node_disk_io_now [gauge]\n"
		     "node_disk_io_now{device=[vda]} 0\n"
		     "x{a=[q\"uo\\te\n],b=[]} 1500 @1700000000000\n"
		     "y 2 @-5\n"
		     "up nan\n"
		     "inf_p{z=[1]} inf\n"
		     "inf_n -inf\n"
		     "ex 3\n"
		     "c:d{le=[0.5]} 7\n");
}

static void test_errors(void)
{
	static const char *const bad[] = {
		"x{a=\"b} 1\n",
		"x{a=\"\\q\"} 1\n",
		"x{a=b} 1\n",
		"x{a\"b\"} 1\n",
		"x{1a=\"b\"} 1\n",
		"x{a=\"b\" c=\"d\"} 1\n",
		"x\n",
		"x 1 2 3\n",
		"x abc\n",
		"x 1 99999999999999999999\n",
		"9x 1\n",
		"{a=\"b\"} 1\n",
		"# TYPE\n",
	};
	struct got g;
	struct tp_error err;
	char *big;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ_INT(parse(bad[i], &g, &err), -EBADMSG);
		CHECK_EQ_INT(err.line, 1);
	}
	CHECK_EQ_INT(parse("ok 1\nok 2\nbad{\n", &g, &err), -EBADMSG);
	CHECK_EQ_INT(err.line, 3);
	/* caps: labels, line length */
	big = malloc(PROMTEXT_MAX_LINE + 100);
	strcpy(big, "x{");
	for (i = 0; i <= PROMTEXT_MAX_LABELS; i++)
		sprintf(big + strlen(big), "l%zu=\"v\",", i);
	strcat(big, "} 1\n");
	CHECK_EQ_INT(parse(big, &g, &err), -E2BIG);
	memset(big, 'a', PROMTEXT_MAX_LINE + 10);
	strcpy(big + PROMTEXT_MAX_LINE + 10, " 1\n");
	CHECK_EQ_INT(parse(big, &g, &err), -E2BIG);
	free(big);
}

/* node_exporter text recorded on this machine kind, rebuilt into the
 * diskstats counters exactly. */
static void test_node_exporter(void)
{
	static const char text[] =
		"# HELP node_boot_time_seconds Node boot time, in unixtime.\n"
		"# TYPE node_boot_time_seconds gauge\n"
		"node_boot_time_seconds 1.795305382e+09\n"
		"node_disk_discard_time_seconds_total{device=\"vda\"} 22.793\n"
		"node_disk_discarded_sectors_total{device=\"vda\"} 2.9457816e+07\n"
		"node_disk_discards_completed_total{device=\"vda\"} 39393\n"
		"node_disk_discards_merged_total{device=\"vda\"} 38\n"
		"node_disk_flush_requests_time_seconds_total{device=\"vda\"} 5.447\n"
		"node_disk_flush_requests_total{device=\"vda\"} 16245\n"
		"node_disk_info{device=\"vda\",major=\"254\",minor=\"0\"} 1\n"
		"node_disk_io_now{device=\"vda\"} 0\n"
		"node_disk_io_time_seconds_total{device=\"vda\"} 165.404\n"
		"node_disk_io_time_weighted_seconds_total{device=\"vda\"} 2591.526\n"
		"node_disk_read_bytes_total{device=\"vda\"} 1.5964562432e+10\n"
		"node_disk_read_time_seconds_total{device=\"vda\"} 2291.4\n"
		"node_disk_reads_completed_total{device=\"vda\"} 617446\n"
		"node_disk_reads_merged_total{device=\"vda\"} 29884\n"
		"node_disk_write_time_seconds_total{device=\"vda\"} 271.883\n"
		"node_disk_writes_completed_total{device=\"vda\"} 101107\n"
		"node_disk_writes_merged_total{device=\"vda\"} 56343\n"
		"node_disk_written_bytes_total{device=\"vda\"} 2.0193783808e+10\n"
		"node_disk_reads_completed_total{device=\"zram0\"} 0\n"
		"node_time_seconds 1.7953091385840836e+09\n";
	static const uint64_t want[IOSTAT_NFIELDS] = {
		617446, 29884, 31180786, 2291400, 101107, 56343, 39440984, 271883, 0, 165404,
		2591526, 39393, 38, 29457816, 22793, 16245, 5447,
	};
	struct iostat_snapshot s;
	struct tp_error err;
	int has_uptime = 0, i;

	iostat_snapshot_init(&s);
	CHECK_EQ_INT(exporter_node_disks("ne", text, strlen(text), &s, &has_uptime, &err), 0);
	CHECK(has_uptime);
	CHECK_EQ_INT(s.uptime_cs, 375658);	/* 3756.5841 s */
	CHECK_EQ_INT(s.n, 2);
	CHECK_EQ_STR(s.dev[0].name, "vda");
	for (i = 0; i < IOSTAT_NFIELDS; i++)
		CHECK_EQ_INT(s.dev[0].v[i], want[i]);
	CHECK_EQ_INT(exporter_node_disks("ne", "up 1\n", 5, &s, &has_uptime, &err), -ENODATA);
	iostat_snapshot_free(&s);
}

static void test_tikv(void)
{
	static const char text[] =
		"# TYPE tikv_thread_cpu_seconds_total counter\n"
		"tikv_thread_cpu_seconds_total{name=\"raftstore_1_0\",tid=\"21\"} 12.5\n"
		"tikv_thread_cpu_seconds_total{name=\"grpc_server_3\",tid=\"11\"} 3\n"
		"tikv_thread_cpu_seconds_total{name=\"rocksdb:bg0\",tid=\"30\"} 0.25\n"
		"tikv_threads_io_bytes_total{io=\"read\",name=\"raftstore_1_0\",tid=\"21\"} 4096\n"
		"tikv_threads_io_bytes_total{io=\"write\",name=\"raftstore_1_0\",tid=\"21\"} 8192\n"
		"tikv_threads_io_bytes_total{io=\"write\",name=\"gone\",tid=\"99\"} 1\n"
		"tikv_thread_cpu_seconds_total{name=\"bad\",tid=\"x1\"} 1\n";
	struct task_sample *s = NULL;
	struct tp_error err;
	size_t n = 0;

	CHECK_EQ_INT(exporter_tikv_threads("tikv", text, strlen(text), &s, &n, &err), 0);
	CHECK_EQ_INT(n, 3);
	if (n == 3) {
		CHECK_EQ_INT(s[0].tid, 11);
		CHECK_EQ_STR(s[0].comm, "grpc-server-3");
		CHECK(s[0].cpu_total == 3 && s[0].have == TASK_HAVE_CPU);
		CHECK_EQ_INT(s[1].tid, 21);
		CHECK_EQ_STR(s[1].comm, "raftstore-1-0");
		CHECK(s[1].have == (TASK_HAVE_CPU | TASK_HAVE_IO));
		CHECK_EQ_INT(s[1].read_bytes, 4096);
		CHECK_EQ_INT(s[1].write_bytes, 8192);
		CHECK_EQ_STR(s[2].comm, "rocksdb:bg0");
		CHECK_EQ_INT(s[2].start, 0);
	}
	free(s);
	CHECK_EQ_INT(exporter_tikv_threads("tikv", "x 1\n", 4, &s, &n, &err), -ENODATA);
}

static void test_json_escape(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct jsonw w;

	jsonw_init(&w, f);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, "a\"b", "q\"\\\n\t\x01\x7f");
	jsonw_key(&w, "bin");
	jsonw_string_n(&w, "\xff\xc3\xa9\xe2\x82", 5);
	jsonw_kv_double(&w, "nan", NAN, 2);
	jsonw_kv_double(&w, "neg0", -0.001, 2);
	jsonw_key(&w, "arr");
	jsonw_array_begin(&w);
	jsonw_int(&w, -1);
	jsonw_uint(&w, 18446744073709551615ULL);
	jsonw_bool(&w, 0);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	CHECK_EQ_INT(jsonw_end_line(&w), 0);
	fclose(f);
	CHECK_EQ_STR(out, "{\"a\\\"b\":\"q\\\"\\\\\\n\\t\\u0001\\u007f\",\"bin\":\"\\u00ff\xc3\xa9"
		     "\\u00e2\\u0082\",\"nan\":null,\"neg0\":0.00,\"arr\":[-1,18446744073709551615,"
		     "false]}\n");
	free(out);
	/* unbalanced */
	f = open_memstream(&out, &len);
	jsonw_init(&w, f);
	jsonw_object_begin(&w);
	CHECK_EQ_INT(jsonw_end_line(&w), -EINVAL);
	fclose(f);
	free(out);
}

int main(void)
{
	RUN(test_samples);
	RUN(test_errors);
	RUN(test_node_exporter);
	RUN(test_tikv);
	RUN(test_json_escape);
	return CHECK_DONE();
}
