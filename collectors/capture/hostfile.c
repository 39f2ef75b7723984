/* hostfile.c - see hostfile.h */
#include "collectors/capture/hostfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyzers/base/buf.h"
#include "analyzers/base/jsonw.h"
#include "analyzers/bundle/schema.h"
#include "collectors/host/hostinfo.h"
#include "collectors/net/http.h"

struct hosts {
	struct hostinfo **h;
	size_t n;
};

static int write_hosts_json(void *ctx, FILE *fp)
{
	struct hosts *hs = ctx;
	struct jsonw w;

	jsonw_init(&w, fp);
	hostinfo_write_bundle_json((const struct hostinfo *const *)hs->h, hs->n, &w);
	return jsonw_end_line(&w) < 0 ? -EIO : 0;
}

static void warn_of(hostfile_warn_fn warn, void *ctx, const char *left_out,
		    const struct tp_error *err, int *rc)
{
	*rc = err->code ? err->code : -EIO;
	if (warn)
		warn(ctx, left_out, err);
}

/* Describe the host of the node_exporter at hp into h. 0 or negative errno. */
static int node_exporter_host(const char *hp, struct buf *body, struct hostinfo *h,
			      struct tp_error *err)
{
	struct http_opts ho = { HOSTFILE_TIMEOUT_MS, 0 };
	char url[600];
	int rc;

	snprintf(url, sizeof(url), "http://%s/metrics", hp);
	if ((rc = http_get(url, &ho, body, err)) < 0)
		return rc;
	return hostinfo_from_node_exporter(hp, body->data, body->len, h, err);
}

int hostfile_write(struct bundle *b, const char *const *data_dirs, size_t ndata_dirs,
		   const char *const *node_exporters, size_t nnode_exporters,
		   hostfile_warn_fn warn, void *ctx)
{
	struct hosts hs = { NULL, 0 };
	struct tp_error err;
	struct buf body;
	size_t i;
	int rc = 0;

	hs.h = calloc(1 + nnode_exporters, sizeof(*hs.h));
	if (!hs.h)
		return -ENOMEM;
	buf_init(&body, 0);
	tp_error_init(&err);
	if ((hs.h[0] = malloc(sizeof(*hs.h[0]))) &&
	    hostinfo_collect(NULL, data_dirs, ndata_dirs, hs.h[0], &err) == 0) {
		hs.n = 1;
	} else if (hs.h[0]) {
		warn_of(warn, ctx, NULL, &err, &rc);
		free(hs.h[0]);
		hs.h[0] = NULL;
	}
	for (i = 0; i < nnode_exporters; i++) {
		struct hostinfo *h = malloc(sizeof(*h));

		if (!h)
			break;
		tp_error_init(&err);
		if (node_exporter_host(node_exporters[i], &body, h, &err) == 0) {
			hs.h[hs.n++] = h;
		} else {
			warn_of(warn, ctx, node_exporters[i], &err, &rc);
			free(h);
		}
	}
	tp_error_init(&err);
	if (hs.n && bundle_write_with(b, BUNDLE_HOSTS, write_hosts_json, &hs, &err) < 0)
		warn_of(warn, ctx, NULL, &err, &rc);
	for (i = 0; i < hs.n; i++)
		free(hs.h[i]);
	free(hs.h);
	buf_free(&body);
	return rc;
}
