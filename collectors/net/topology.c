/* topology.c - see topology.h */
#include "collectors/net/topology.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/buf.h"
#include "analyzers/cluster/clusterjson.h"
#include "analyzers/cluster/tiupdisplay.h"
#include "analyzers/cluster/tiupyaml.h"

#define DOC_MAX ((size_t)64 << 20)

int topology_empty(const struct topology_source *s)
{
	return !s->pd && !s->tidb_info && !s->yaml && !s->display && !s->ntidb &&
	       !s->ntikv && !s->npd_node;
}

const char *topology_scheme(const struct fetch_opts *fo)
{
	return fo && (fo->cacert || fo->cert) ? "https" : "http";
}

/* Call fn for each item of a comma-separated list. */
static int each_item(const char *list, int (*fn)(void *ctx, const char *s, size_t n),
		     void *ctx)
{
	const char *p = list, *comma;
	size_t n;
	int rc;

	for (;;) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		while (n && *p == ' ')
			p++, n--;
		while (n && p[n - 1] == ' ')
			n--;
		if (n && (rc = fn(ctx, p, n)) < 0)
			return rc;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

struct list_ctx {
	struct cluster *c;
	const char *role;
	struct tp_error *err;
};

static int add_item(void *vctx, const char *s, size_t n)
{
	struct list_ctx *x = vctx;
	struct cluster_node *nd;
	char host[256];
	int port, rc;

	if (cluster_parse_hostport(s, n, host, sizeof(host), &port) < 0)
		return tp_error_set(x->err, -EINVAL, "", 0, -1,
				    "--%s: \"%.*s\" is not HOST:PORT", x->role, (int)(n > 200 ? 200 : n), s);
	rc = cluster_add(x->c, x->role, host, strcmp(x->role, "pd") == 0 ? port : 0, port,
			 "flag", &nd);
	if (rc < 0)
		return tp_error_set(x->err, rc, "", 0, -1, "too many nodes");
	return 0;
}

int topology_add_list(struct cluster *c, const char *role, const char *list,
		      struct tp_error *err)
{
	struct list_ctx x = { c, role, err };

	return each_item(list, add_item, &x);
}

static int read_file(const char *path, size_t max, struct buf *b, struct tp_error *err)
{
	char chunk[65536];
	FILE *fp = fopen(path, "rb");
	size_t n;
	int rc = 0;

	if (!fp)
		return tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
	buf_init(b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if ((rc = buf_append(b, chunk, n)) < 0) {
			rc = tp_error_set(err, rc, path, 0, -1, rc == -E2BIG ?
					  "larger than %zu bytes" : "out of memory", max);
			break;
		}
	if (rc == 0 && ferror(fp))
		rc = tp_error_set(err, -EIO, path, 0, -1, "read error");
	fclose(fp);
	if (rc < 0)
		buf_free(b);
	return rc;
}

typedef int (*parse_fn)(const char *buf, size_t len, struct cluster *c, struct tp_error *err);

/* GET scheme://addr/path for each path at once; parse each body with its
 * parser. */
static int from_http(const char *addr, size_t alen, const char *const *paths,
		     const parse_fn *parsers, size_t n, const struct fetch_opts *fo,
		     struct cluster *c, struct tp_error *err)
{
	struct fetch_req req[4], *rp[4];
	struct buf body[4];
	char *url[4] = { 0 };
	double now = fetch_now();
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		buf_init(&body[i], DOC_MAX);
		memset(&req[i], 0, sizeof(req[i]));
		if (asprintf(&url[i], "%s://%.*s%s", topology_scheme(fo), (int)alen, addr,
			     paths[i]) < 0) {
			url[i] = NULL;
			rc = tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
			goto out;
		}
		req[i].url = url[i];
		req[i].fd = -1;
		req[i].mem = &body[i];
		req[i].deadline = now + TOPOLOGY_TIMEOUT_S;
		rp[i] = &req[i];
	}
	if ((rc = fetch_run(fo, rp, n, err)) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (req[i].state != FETCH_OK) {
			rc = tp_error_set(err, req[i].err ? req[i].err : -EIO, "", 0, -1, "%s: %s",
					  url[i], req[i].reason);
			goto out;
		}
	for (i = 0; i < n; i++) {
		if ((rc = parsers[i](body[i].data ? body[i].data : "", body[i].len, c, err)) < 0) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			tp_error_set(err, rc, url[i], err->line, err->offset, "%s", msg);
			goto out;
		}
	}
out:
	for (i = 0; i < n; i++) {
		free(url[i]);
		buf_free(&body[i]);
	}
	return rc;
}

struct http_ctx {
	const struct fetch_opts *fo;
	struct cluster *c;
	struct tp_error *err;
	int done;
	int pd;		/* PD source (else TiDB) */
};

static int pd_item(void *vctx, const char *s, size_t n)
{
	static const char *const paths[] = { "/pd/api/v1/members", "/pd/api/v1/stores" };
	static const parse_fn parsers[] = { clusterjson_pd_members, clusterjson_pd_stores };
	static const char *const tpaths[] = { "/info/all" };
	static const parse_fn tparsers[] = { clusterjson_tidb_info_all };
	struct http_ctx *x = vctx;

	if (x->done)
		return 0;	/* an earlier address answered */
	if (x->pd ? from_http(s, n, paths, parsers, 2, x->fo, x->c, x->err) < 0
		  : from_http(s, n, tpaths, tparsers, 1, x->fo, x->c, x->err) < 0)
		return 0;	/* try the next one; err keeps the reason */
	x->done = 1;
	return 0;
}

static int from_list(const char *list, int pd, const struct fetch_opts *fo,
		     struct cluster *c, struct tp_error *err)
{
	struct http_ctx x = { fo, c, err, 0, pd };

	tp_error_init(err);
	each_item(list, pd_item, &x);
	if (x.done)
		return 0;
	if (!err->code)
		return tp_error_set(err, -EINVAL, "", 0, -1, "--%s: no address given",
				    pd ? "pd" : "tidb-info");
	return err->code;
}

static int from_file(const char *path, int yaml, const char *want, struct cluster *c,
		     struct tp_error *err)
{
	struct buf b;
	int rc;

	if ((rc = read_file(path, yaml ? TIUPYAML_MAX_SIZE : TIUPDISPLAY_MAX_SIZE, &b, err)) < 0)
		return rc;
	rc = yaml ? tiupyaml_parse(b.data ? b.data : "", b.len, c, err)
		  : tiupdisplay_parse(b.data ? b.data : "", b.len, want, c, err);
	if (rc < 0 && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", path);
	buf_free(&b);
	return rc;
}

int topology_discover(const struct topology_source *s, const struct fetch_opts *fo,
		      struct cluster *c, struct tp_error *err)
{
	int i, rc;

	if (s->yaml && (rc = from_file(s->yaml, 1, NULL, c, err)) < 0)
		return rc;
	if (s->display && (rc = from_file(s->display, 0, s->display_cluster, c, err)) < 0)
		return rc;
	if (s->pd && (rc = from_list(s->pd, 1, fo, c, err)) < 0)
		return rc;
	if (s->tidb_info && (rc = from_list(s->tidb_info, 0, fo, c, err)) < 0)
		return rc;
	for (i = 0; i < s->ntidb; i++)
		if ((rc = topology_add_list(c, "tidb", s->tidb[i], err)) < 0)
			return rc;
	for (i = 0; i < s->ntikv; i++)
		if ((rc = topology_add_list(c, "tikv", s->tikv[i], err)) < 0)
			return rc;
	for (i = 0; i < s->npd_node; i++)
		if ((rc = topology_add_list(c, "pd", s->pd_node[i], err)) < 0)
			return rc;
	cluster_sort(c);
	return 0;
}
