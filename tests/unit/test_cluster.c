/* test_cluster.c - the topology parsers: byte sizes, PD and TiDB JSON,
 * tiup topology YAML, `tiup cluster display` text, and the cluster model. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/bytesize.h"
#include "analyzers/cluster/cluster.h"
#include "analyzers/cluster/clusterjson.h"
#include "analyzers/base/jsonw.h"
#include "analyzers/cluster/tiupdisplay.h"
#include "analyzers/cluster/tiupyaml.h"
#include "check.h"

static uint64_t size_of(const char *s, int *rc)
{
	uint64_t v = 0;

	*rc = bytesize_parse(s, strlen(s), &v);
	return v;
}

static void test_bytesize(void)
{
	char out[32];
	int rc;

	CHECK_EQ_INT(size_of("1.819TiB", &rc), 2000011650925LL);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(size_of("0B", &rc), 0);
	CHECK_EQ_INT(size_of("931.5GiB", &rc), 1000190509056LL);
	CHECK_EQ_INT(size_of("512MiB", &rc), 536870912LL);
	CHECK_EQ_INT(size_of("1KiB", &rc), 1024);
	CHECK_EQ_INT(size_of("1.5 kB", &rc), 1500);
	CHECK_EQ_INT(size_of("3GB", &rc), 3000000000LL);
	CHECK_EQ_INT(size_of("42", &rc), 42);
	CHECK_EQ_INT(size_of("1.2e+03GiB", &rc), 1288490188800LL);
	CHECK_EQ_INT(rc, 0);
	size_of("", &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	size_of("TiB", &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	size_of("1.5XB", &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	size_of("-1GiB", &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	size_of("1tib", &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	size_of("100EiB", &rc);
	CHECK_EQ_INT(rc, -ERANGE);
	size_of("1e400", &rc);
	CHECK_EQ_INT(rc, -ERANGE);
	CHECK_EQ_STR(bytesize_format(2000011650925ULL, out, sizeof(out)), "1.819TiB");
	CHECK_EQ_STR(bytesize_format(0, out, sizeof(out)), "0B");
	CHECK_EQ_STR(bytesize_format(1536, out, sizeof(out)), "1.5KiB");
}

static void test_hostport(void)
{
	char host[64];
	int port = 0;

	CHECK_EQ_INT(cluster_parse_hostport("10.0.1.2:2379", 13, host, sizeof(host), &port), 0);
	CHECK_EQ_STR(host, "10.0.1.2");
	CHECK_EQ_INT(port, 2379);
	CHECK_EQ_INT(cluster_parse_hostport("[::1]:20180", 11, host, sizeof(host), &port), 0);
	CHECK_EQ_STR(host, "::1");
	CHECK_EQ_INT(cluster_parse_hostport("::1:20180", 9, host, sizeof(host), &port), -EINVAL);
	CHECK_EQ_INT(cluster_parse_hostport("host", 4, host, sizeof(host), &port), -EINVAL);
	CHECK_EQ_INT(cluster_parse_hostport("host:0", 6, host, sizeof(host), &port), -EINVAL);
	CHECK_EQ_INT(cluster_parse_hostport("host:65536", 10, host, sizeof(host), &port), -EINVAL);
	CHECK_EQ_INT(cluster_parse_hostport(":80", 3, host, sizeof(host), &port), -EINVAL);
	CHECK_EQ_INT(cluster_parse_hostport("a/b:80", 6, host, sizeof(host), &port), -EINVAL);
	CHECK_EQ_STR(cluster_hostport("::1", 2379, host, sizeof(host)), "[::1]:2379");
}

static const char members[] =
	"{\"header\":{\"cluster_id\":7343478340374618541},\"members\":["
	"{\"name\":\"pd-1\",\"member_id\":13917338587853542006,"
	"\"client_urls\":[\"http://10.0.1.4:2379\"],\"binary_version\":\"v7.5.1\","
	"\"deploy_path\":\"/d/pd-2379/bin\",\"git_hash\":\"abc\"},"
	"{\"name\":\"pd-2\",\"member_id\":1,\"client_urls\":[\"https://10.0.1.5:2379/\"]}],"
	"\"leader\":{\"name\":\"pd-2\"}}";

static const char stores[] =
	"{\"count\":2,\"stores\":["
	"{\"store\":{\"id\":1,\"address\":\"10.0.1.1:20160\",\"status_address\":\"10.0.1.1:20180\","
	"\"version\":\"7.5.1\",\"labels\":[{\"key\":\"zone\",\"value\":\"z1\"}],\"state_name\":\"Up\"},"
	"\"status\":{\"capacity\":\"1.819TiB\",\"available\":\"1.5TiB\",\"region_count\":30,"
	"\"leader_count\":10}},"
	"{\"store\":{\"id\":2,\"address\":\"10.0.1.9:3930\",\"status_address\":\"10.0.1.9:20292\","
	"\"labels\":[{\"key\":\"engine\",\"value\":\"tiflash\"}],\"state_name\":\"Disconnected\"},"
	"\"status\":{\"capacity\":\"0B\"}}]}";

static const char info_all[] =
	"{\"servers_num\":2,\"owner_id\":\"a\",\"all_servers_info\":{"
	"\"a\":{\"ip\":\"10.0.1.7\",\"listening_port\":4000,\"status_port\":10080,"
	"\"version\":\"8.0.11-TiDB-v7.5.1\",\"labels\":{\"zone\":\"z1\"}},"
	"\"b\":{\"ip\":\"10.0.1.8\",\"listening_port\":4000,\"status_port\":10080}}}";

static void test_json(void)
{
	struct cluster c;
	struct tp_error err;
	struct cluster_node *nd;

	cluster_init(&c);
	tp_error_init(&err);
	CHECK_EQ_INT(clusterjson_pd_members(members, strlen(members), &c, &err), 0);
	CHECK_EQ_INT(clusterjson_pd_stores(stores, strlen(stores), &c, &err), 0);
	CHECK_EQ_INT(clusterjson_tidb_info_all(info_all, strlen(info_all), &c, &err), 0);
	CHECK_EQ_INT(c.n, 6);
	CHECK_EQ_INT(cluster_count(&c, "pd"), 2);
	CHECK_EQ_INT(cluster_count(&c, "tikv"), 1);
	CHECK_EQ_INT(cluster_count(&c, "tiflash"), 1);
	CHECK_EQ_INT(cluster_count(&c, "tidb"), 2);
	cluster_sort(&c);
	nd = &c.nodes[0];
	CHECK_EQ_STR(nd->role, "pd");
	CHECK_EQ_STR(nd->host, "10.0.1.4");
	CHECK_EQ_INT(nd->status_port, 2379);
	CHECK_EQ_STR(nd->version, "v7.5.1");
	CHECK_EQ_INT(nd->leader, 0);
	CHECK_EQ_INT(c.nodes[1].leader, 1);
	CHECK_EQ_STR(c.nodes[1].status, "Up|L");
	nd = &c.nodes[4];
	CHECK_EQ_STR(nd->role, "tikv");
	CHECK_EQ_INT(nd->port, 20160);
	CHECK_EQ_INT(nd->status_port, 20180);
	CHECK_EQ_INT(nd->capacity, 2000011650925LL);
	CHECK_EQ_INT(nd->regions, 30);
	CHECK_EQ_INT(nd->nlabels, 1);
	CHECK_EQ_STR(nd->labels[0].value, "z1");
	CHECK_EQ_STR(c.nodes[5].role, "tiflash");
	CHECK_EQ_STR(c.nodes[5].status, "Disconnected");
	CHECK_EQ_INT(c.nodes[5].capacity, 0);
	CHECK_EQ_STR(c.nodes[2].role, "tidb");
	CHECK_EQ_INT(c.nodes[2].port, 4000);
	CHECK_EQ_INT(c.nodes[2].status_port, 10080);
	/* the same instances again merge */
	CHECK_EQ_INT(clusterjson_pd_stores(stores, strlen(stores), &c, &err), 0);
	CHECK_EQ_INT(c.n, 6);

	/* errors */
	CHECK_EQ_INT(clusterjson_pd_members("{\"members\":[1]}", 15, &c, &err), -EBADMSG);
	CHECK(strstr(err.msg, "member 0") != NULL);
	CHECK_EQ_INT(clusterjson_pd_members("{\"members\":", 11, &c, &err), -EBADMSG);
	CHECK(strstr(err.msg, "bad JSON") != NULL);
	{
		static const char bad[] = "{\"stores\":[{\"store\":{\"address\":\"x:1\"},"
					  "\"status\":{\"capacity\":\"lots\"}}]}";

		CHECK_EQ_INT(clusterjson_pd_stores(bad, strlen(bad), &c, &err), -EBADMSG);
	}
	CHECK(strstr(err.msg, "capacity") != NULL);
	CHECK_EQ_INT(clusterjson_tidb_info_all("[]", 2, &c, &err), -EBADMSG);
	{
		static const char bad[] = "{\"all_servers_info\":{\"a\":{\"ip\":\"h\","
					  "\"status_port\":70000}}}";

		CHECK_EQ_INT(clusterjson_tidb_info_all(bad, strlen(bad), &c, &err), -EBADMSG);
		CHECK(strstr(err.msg, "status_port") != NULL);
	}
	CHECK_EQ_INT(clusterjson_check("{\"a\":1}", 7, &err), 0);
	CHECK_EQ_INT(clusterjson_check("{\"a\":1,\"a\":2}", 13, &err), -EBADMSG);
	cluster_free(&c);
}

static const char yaml[] =
	"global:\n  user: tidb\n  deploy_dir: /tidb-deploy\n"
	"server_configs:\n  tikv:\n    readpool.unified.max-thread-count: 8\n"
	"pd_servers:\n  - host: 10.0.1.4\n  - host: 10.0.1.5\n    client_port: 12379\n"
	"tidb_servers:\n  - host: 10.0.1.7\n    port: 4001\n    status_port: 10081\n"
	"    deploy_dir: /tidb-deploy/tidb-4001\n"
	"tikv_servers:\n  - &kv\n    host: 10.0.1.1\n    config:\n      server.labels: { zone: z1, host: h1 }\n"
	"  - host: 10.0.1.2\n    status_port: 20181\n    config:\n      server.labels:\n        zone: z2\n"
	"tiflash_servers:\n  - host: 10.0.1.9\n"
	"monitoring_servers:\n  - host: 10.0.1.10\n"
	"cdc_servers:\n";

static void test_yaml(void)
{
	struct cluster c;
	struct tp_error err;

	cluster_init(&c);
	tp_error_init(&err);
	CHECK_EQ_INT(tiupyaml_parse(yaml, strlen(yaml), &c, &err), 0);
	CHECK_EQ_INT(c.n, 6);
	cluster_sort(&c);
	CHECK_EQ_STR(c.nodes[0].host, "10.0.1.4");
	CHECK_EQ_INT(c.nodes[0].status_port, 2379);
	CHECK_EQ_INT(c.nodes[1].status_port, 12379);
	CHECK_EQ_STR(c.nodes[2].role, "tidb");
	CHECK_EQ_INT(c.nodes[2].port, 4001);
	CHECK_EQ_INT(c.nodes[2].status_port, 10081);
	CHECK_EQ_STR(c.nodes[2].deploy_dir, "/tidb-deploy/tidb-4001");
	CHECK_EQ_STR(c.nodes[3].role, "tikv");
	CHECK_EQ_INT(c.nodes[3].status_port, 20180);
	CHECK_EQ_INT(c.nodes[3].nlabels, 2);
	CHECK_EQ_INT(c.nodes[4].status_port, 20181);
	CHECK_EQ_STR(c.nodes[4].labels[0].value, "z2");
	CHECK_EQ_STR(c.nodes[5].role, "tiflash");
	CHECK_EQ_INT(c.nodes[5].status_port, 20292);
	CHECK_EQ_INT(tiupyaml_parse("tidb_servers:\n  - port: 4000\n", 28, &c, &err), -EBADMSG);
	CHECK_EQ_INT(err.line, 2);
	CHECK_EQ_INT(tiupyaml_parse("tidb_servers:\n  - host: a\n    port: x\n", 37, &c, &err),
		     -EBADMSG);
	CHECK(strstr(err.msg, "port") != NULL);
	CHECK_EQ_INT(tiupyaml_parse("a: [\n", 5, &c, &err), -EBADMSG);
	CHECK_EQ_INT(tiupyaml_parse("- 1\n", 4, &c, &err), -EBADMSG);
	CHECK_EQ_INT(tiupyaml_parse("tikv_servers: {a: 1}\n", 21, &c, &err), -EBADMSG);
	cluster_free(&c);
}

/* Modelled on real `tiup cluster display` output, columns squeezed to one
 * space as blogs print it, two clusters in one file. */
static const char display[] =
	"[tidb@host packages]$ tiup cluster display tidb-A\n"
	"tiup is checking updates for component cluster ...\n"
	"Cluster type: tidb\nCluster name: tidb-A\nCluster version: v7.5.1\n"
	"Dashboard URL: http://10.17.3.152:2379/dashboard\n"
	"ID Role Host Ports OS/Arch Status Data Dir Deploy Dir\n"
	"-- ---- ---- ----- ------- ------ -------- ----------\n"
	"10.17.3.151:9093 alertmanager 10.17.3.151 9093/9094 linux/aarch64 Up /d/alertmanager-9093 /e/alertmanager-9093\n"
	"10.17.3.151:3000 grafana 10.17.3.151 3000 linux/aarch64 Up - /e/grafana-3000\n"
	"10.17.3.151:2379 pd 10.17.3.151 2379/2380 linux/aarch64 Up /d/pd-2379 /e/pd-2379\n"
	"10.17.3.153:2379 pd 10.17.3.153 2379/2380 linux/aarch64 Up|L /d/pd-2379 /e/pd-2379\n"
	"10.17.3.151:4000 tidb 10.17.3.151 4000/10080 linux/aarch64 Up - /e/tidb-4000\n"
	"10.17.3.151:20160 tikv 10.17.3.151   20160/20180  linux/aarch64  Pending Offline  /d/tikv-20160 /e/tikv-20160\n"
	"10.17.3.152:9000 tiflash 10.17.3.152 9000/8123/3930/20170/20292/8234 linux/x86_64 N/A /d/tf /e/tf\n"
	"Total nodes: 7\n"
	"Cluster name: tidb-B\nCluster version: v7.5.2\n"
	"ID Role Host Ports OS/Arch Status Data Dir Deploy Dir\n"
	"-- ---- ---- ----- ------- ------ -------- ----------\n"
	"10.17.3.151:24000 tidb 10.17.3.151 24000/20090 linux/aarch64 Up - /e/tidb-24000\n"
	"Total nodes: 1\n";

static void test_display(void)
{
	struct cluster c;
	struct tp_error err;

	cluster_init(&c);
	tp_error_init(&err);
	CHECK_EQ_INT(tiupdisplay_parse(display, strlen(display), NULL, &c, &err), 0);
	CHECK_EQ_INT(c.n, 7);
	CHECK_EQ_STR(c.name, "tidb-A");
	CHECK_EQ_STR(c.version, "v7.5.1");
	cluster_sort(&c);
	CHECK_EQ_STR(c.nodes[0].role, "pd");
	CHECK_EQ_INT(c.nodes[0].status_port, 2379);
	CHECK_EQ_INT(c.nodes[1].leader, 1);
	CHECK_EQ_STR(c.nodes[2].role, "tidb");
	CHECK_EQ_INT(c.nodes[2].port, 4000);
	CHECK_EQ_INT(c.nodes[2].status_port, 10080);
	CHECK_EQ_STR(c.nodes[3].role, "tikv");
	CHECK_EQ_INT(c.nodes[3].status_port, 20180);
	CHECK_EQ_STR(c.nodes[3].status, "Pending Offline");
	CHECK_EQ_STR(c.nodes[3].deploy_dir, "/e/tikv-20160");
	CHECK_EQ_STR(c.nodes[4].role, "tiflash");
	CHECK_EQ_INT(c.nodes[4].status_port, 20292);
	cluster_free(&c);

	cluster_init(&c);
	CHECK_EQ_INT(tiupdisplay_parse(display, strlen(display), "tidb-B", &c, &err), 0);
	CHECK_EQ_INT(c.n, 1);
	CHECK_EQ_INT(c.nodes[0].status_port, 20090);
	CHECK_EQ_STR(c.version, "v7.5.2");
	cluster_free(&c);

	cluster_init(&c);
	CHECK_EQ_INT(tiupdisplay_parse(display, strlen(display), "nope", &c, &err), -ENOENT);
	CHECK_EQ_INT(tiupdisplay_parse("hello\n", 6, NULL, &c, &err), -EBADMSG);
	CHECK_EQ_INT(tiupdisplay_parse("ID Role Host Ports\n--\na tidb b\n", 31, NULL, &c, &err),
		     -EBADMSG);
	CHECK_EQ_INT(err.line, 3);
	CHECK_EQ_INT(tiupdisplay_parse("ID Role Host Ports\n-- --\n"
				       "h:1 tidb h x/y os Up - /d\n", 51, NULL, &c, &err), -EBADMSG);
	CHECK(strstr(err.msg, "ports") != NULL);
	cluster_free(&c);
}

static void test_merge_and_json(void)
{
	struct cluster c;
	struct cluster_node *a, *b;
	struct tp_error err;
	struct jsonw w;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	cluster_init(&c);
	tp_error_init(&err);
	CHECK_EQ_INT(cluster_add(&c, "tikv", "10.0.0.1", 20160, 20180, "pd", &a), 0);
	CHECK_EQ_INT(cluster_add(&c, "tikv", "10.0.0.1", 0, 20180, "flag", &b), 0);
	CHECK(a == b);
	CHECK_EQ_INT(cluster_add(&c, "tikv", "[10.0.0.1]", 20161, 20181, "flag", &b), 0);
	CHECK(a != b);
	CHECK_EQ_INT(cluster_sets(&b->version, "7.5.1"), 0);
	CHECK_EQ_INT(cluster_sets(&b->version, "other"), 0);
	CHECK_EQ_STR(b->version, "7.5.1");
	CHECK_EQ_INT(cluster_add_label(b, "zone", "z\"1"), 0);
	CHECK_EQ_INT(c.n, 2);
	fp = open_memstream(&text, &len);
	jsonw_init(&w, fp);
	cluster_write_json(&c, &w);
	CHECK_EQ_INT(jsonw_end_line(&w), 0);
	fclose(fp);
	CHECK(strstr(text, "\"zone\":\"z\\\"1\"") != NULL);
	CHECK(strstr(text, "\"status_port\":20181") != NULL);
	free(text);
	cluster_free(&c);
}

int main(void)
{
	RUN(test_bytesize);
	RUN(test_hostport);
	RUN(test_json);
	RUN(test_yaml);
	RUN(test_display);
	RUN(test_merge_and_json);
	return CHECK_DONE();
}
