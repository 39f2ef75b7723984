/* disksampler.c - see disksampler.h */
#include "collectors/proc/disksampler.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/buf.h"
#include "analyzers/bundle/schema.h"
#include "analyzers/metrics/exporter.h"
#include "collectors/proc/diskstats.h"
#include "collectors/net/http.h"

#define DISK_METRICS_MAX ((size_t)64 << 20)

struct disksampler {
	char *url;		/* NULL: local */
	char host[256];
	long timeout_ms;
	int have_prev;
	struct iostat_snapshot snap[2];
	int cur;		/* snap[cur] is the newest */
	struct buf body;
};

int disksampler_new(struct disksampler **out, const char *node_exporter, long timeout_ms,
		    struct tp_error *err)
{
	struct disksampler *ds;

	*out = NULL;
	ds = calloc(1, sizeof(*ds));
	if (!ds)
		return tp_error_msg(err, -ENOMEM, "out of memory");
	iostat_snapshot_init(&ds->snap[0]);
	iostat_snapshot_init(&ds->snap[1]);
	buf_init(&ds->body, DISK_METRICS_MAX);
	ds->timeout_ms = timeout_ms > 0 ? timeout_ms : 10000;
	snprintf(ds->host, sizeof(ds->host), "%s", BUNDLE_HOST_LOCAL);
	if (node_exporter) {
		const char *hp = node_exporter;
		size_t n;
		int has_scheme = strncmp(hp, "http://", 7) == 0 || strncmp(hp, "https://", 8) == 0;

		if (has_scheme)
			hp = strchr(hp, ':') + 3;
		n = strcspn(hp, "/");
		snprintf(ds->host, sizeof(ds->host), "%.*s", (int)n, hp);
		n = strlen(node_exporter) + 32;
		ds->url = malloc(n);
		if (!ds->url) {
			disksampler_free(ds);
			return tp_error_msg(err, -ENOMEM, "out of memory");
		}
		if (has_scheme)
			snprintf(ds->url, n, "%s", node_exporter);
		else
			snprintf(ds->url, n, "http://%s/metrics", node_exporter);
	}
	*out = ds;
	return 0;
}

const char *disksampler_host(const struct disksampler *ds)
{
	return ds->host;
}

static int read_remote(struct disksampler *ds, struct iostat_snapshot *s,
		       struct tp_error *err)
{
	struct http_opts o = { ds->timeout_ms, DISK_METRICS_MAX };
	int has_uptime, rc;

	rc = http_get(ds->url, &o, &ds->body, err);
	if (rc < 0)
		return rc;
	rc = exporter_node_disks(ds->url, ds->body.data, ds->body.len, s, &has_uptime, err);
	if (rc < 0)
		return rc;
	if (!has_uptime && !ds->have_prev)
		return tp_error_set(err, -ENODATA, ds->url, 0, -1,
				    "no node_time_seconds and node_boot_time_seconds: "
				    "cannot tell the uptime (are the time and stat "
				    "collectors on?)");
	return 0;
}

int disksampler_sample(struct disksampler *ds, const char *root,
		       const struct iostat_select *sel, struct iostat_report *rep,
		       struct tp_error *err)
{
	int next = ds->have_prev ? !ds->cur : ds->cur;
	struct iostat_snapshot *s = &ds->snap[next];
	int rc;

	if (ds->url)
		rc = read_remote(ds, s, err);
	else
		rc = diskstats_read(root, s, err);
	if (rc < 0)
		return rc;
	rc = iostat_report_build(rep, ds->have_prev ? &ds->snap[ds->cur] : NULL, s, sel, err);
	if (rc < 0)
		return rc;
	ds->cur = next;
	ds->have_prev = 1;
	return 0;
}

void disksampler_free(struct disksampler *ds)
{
	if (!ds)
		return;
	iostat_snapshot_free(&ds->snap[0]);
	iostat_snapshot_free(&ds->snap[1]);
	buf_free(&ds->body);
	free(ds->url);
	free(ds);
}
