/* fuzz_topology.c - libFuzzer target for the topology parsers.
 *
 * The first byte picks the parser (PD members, PD stores, TiDB /info/all,
 * tiup topology YAML, `tiup cluster display` text, a byte size); the rest
 * is its input. Each parse runs into one cluster, so merging is exercised
 * too. A failure must come with one printable line and a documented code;
 * a success must leave a cluster whose JSON writes and whose nodes have a
 * role and a host.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/bytesize.h"
#include "analyzers/cluster/cluster.h"
#include "analyzers/cluster/clusterjson.h"
#include "analyzers/base/jsonw.h"
#include "analyzers/cluster/tiupdisplay.h"
#include "analyzers/cluster/tiupyaml.h"

static void check_error(int rc, const struct tp_error *err)
{
	char msg[1024];

	tp_error_format(err, msg, sizeof(msg));
	if (strchr(msg, '\n') || !err->msg[0]) {
		fprintf(stderr, "fuzz_topology: bad error report: %s\n", msg);
		abort();
	}
	if (rc != -EBADMSG && rc != -E2BIG && rc != -EFBIG && rc != -ENOMEM && rc != -ENOENT) {
		fprintf(stderr, "fuzz_topology: unexpected code %d: %s\n", rc, msg);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cluster c;
	struct tp_error err;
	struct jsonw w;
	const char *in;
	FILE *fp;
	size_t i, n;
	uint64_t v;
	int rc = 0;

	if (size < 1)
		return 0;
	in = (const char *)data + 1;
	n = size - 1;
	cluster_init(&c);
	tp_error_init(&err);
	switch (data[0] % 6) {
	case 0:
		rc = clusterjson_pd_members(in, n, &c, &err);
		break;
	case 1:
		rc = clusterjson_pd_stores(in, n, &c, &err);
		break;
	case 2:
		rc = clusterjson_tidb_info_all(in, n, &c, &err);
		break;
	case 3:
		rc = tiupyaml_parse(in, n, &c, &err);
		break;
	case 4:
		rc = tiupdisplay_parse(in, n, (data[0] & 0x80) ? "tidb-B" : NULL, &c, &err);
		break;
	default:
		rc = bytesize_parse(in, n, &v);
		if (rc != 0 && rc != -EINVAL && rc != -ERANGE)
			abort();
		return 0;
	}
	if (rc < 0) {
		check_error(rc, &err);
	} else {
		for (i = 0; i < c.n; i++)
			if (!c.nodes[i].role || !c.nodes[i].host || !c.nodes[i].source)
				abort();
		cluster_sort(&c);
		fp = fopen("/dev/null", "w");
		if (fp) {
			jsonw_init(&w, fp);
			cluster_write_json(&c, &w);
			if (jsonw_end_line(&w) < 0 && w.err != -EIO)
				abort();
			fclose(fp);
		}
	}
	cluster_free(&c);
	return 0;
}
