/* cluster.c - see cluster.h */
#include "analyzers/cluster/cluster.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/bytesize.h"
#include "analyzers/base/jsonw.h"
#include "analyzers/bundle/schema.h"

void cluster_init(struct cluster *c)
{
	memset(c, 0, sizeof(*c));
}

static void node_free(struct cluster_node *nd)
{
	size_t i;

	free(nd->role);
	free(nd->host);
	free(nd->version);
	free(nd->status);
	free(nd->git_hash);
	free(nd->deploy_dir);
	free(nd->name);
	free(nd->source);
	for (i = 0; i < nd->nlabels; i++) {
		free(nd->labels[i].key);
		free(nd->labels[i].value);
	}
	free(nd->labels);
}

void cluster_free(struct cluster *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		node_free(&c->nodes[i]);
	free(c->nodes);
	free(c->name);
	free(c->version);
	memset(c, 0, sizeof(*c));
}

int cluster_set(char **field, const char *s, size_t n)
{
	if (*field || !s)
		return 0;
	*field = strndup(s, n);
	return *field ? 0 : -ENOMEM;
}

int cluster_sets(char **field, const char *s)
{
	return s ? cluster_set(field, s, strlen(s)) : 0;
}

static void strip_brackets(const char *host, const char **h, size_t *n)
{
	*h = host;
	*n = strlen(host);
	if (*n >= 2 && host[0] == '[' && host[*n - 1] == ']') {
		(*h)++;
		*n -= 2;
	}
}

int cluster_add(struct cluster *c, const char *role, const char *host, int port,
		int status_port, const char *source, struct cluster_node **node)
{
	struct cluster_node *nd;
	const char *h;
	size_t hn, i;

	strip_brackets(host, &h, &hn);
	for (i = 0; i < c->n; i++) {
		nd = &c->nodes[i];
		if (strcmp(nd->role, role) != 0 || strlen(nd->host) != hn ||
		    memcmp(nd->host, h, hn) != 0)
			continue;
		if (status_port && nd->status_port ? nd->status_port == status_port
						    : (port && nd->port == port)) {
			if (!nd->port)
				nd->port = port;
			if (!nd->status_port)
				nd->status_port = status_port;
			*node = nd;
			return 0;
		}
	}
	if (c->n >= CLUSTER_MAX_NODES)
		return -E2BIG;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct cluster_node *nn = realloc(c->nodes, ncap * sizeof(*nn));

		if (!nn)
			return -ENOMEM;
		c->nodes = nn;
		c->cap = ncap;
	}
	nd = &c->nodes[c->n];
	memset(nd, 0, sizeof(*nd));
	nd->capacity = nd->available = nd->regions = nd->leaders = -1;
	nd->role = strdup(role);
	nd->host = strndup(h, hn);
	nd->source = strdup(source ? source : "");
	if (!nd->role || !nd->host || !nd->source) {
		node_free(nd);
		return -ENOMEM;
	}
	nd->port = port;
	nd->status_port = status_port;
	c->n++;
	*node = nd;
	return 0;
}

int cluster_add_label(struct cluster_node *nd, const char *key, const char *value)
{
	struct cluster_label *nl;
	size_t i;

	for (i = 0; i < nd->nlabels; i++)
		if (strcmp(nd->labels[i].key, key) == 0)
			return 0;
	if (nd->nlabels >= CLUSTER_MAX_LABELS)
		return -E2BIG;
	nl = realloc(nd->labels, (nd->nlabels + 1) * sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nd->labels = nl;
	nl[nd->nlabels].key = strdup(key);
	nl[nd->nlabels].value = strdup(value);
	if (!nl[nd->nlabels].key || !nl[nd->nlabels].value) {
		free(nl[nd->nlabels].key);
		free(nl[nd->nlabels].value);
		return -ENOMEM;
	}
	nd->nlabels++;
	return 0;
}

static int role_rank(const char *r)
{
	static const char *const order[] = { "pd", "tidb", "tikv", "tiflash" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(r, order[i]) == 0)
			return i;
	return 4;
}

static int node_cmp(const void *a, const void *b)
{
	const struct cluster_node *x = a, *y = b;
	int rx = role_rank(x->role), ry = role_rank(y->role), d;

	if (rx != ry)
		return rx - ry;
	if ((d = strcmp(x->role, y->role)) != 0)
		return d;
	if ((d = strcmp(x->host, y->host)) != 0)
		return d;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->status_port < y->status_port ? -1 : x->status_port > y->status_port;
}

void cluster_sort(struct cluster *c)
{
	if (c->n > 1)
		qsort(c->nodes, c->n, sizeof(c->nodes[0]), node_cmp);
}

size_t cluster_count(const struct cluster *c, const char *role)
{
	size_t i, k = 0;

	for (i = 0; i < c->n; i++)
		k += strcmp(c->nodes[i].role, role) == 0;
	return k;
}

char *cluster_hostport(const char *host, int port, char *out, size_t n)
{
	if (strchr(host, ':'))
		snprintf(out, n, "[%s]:%d", host, port);
	else
		snprintf(out, n, "%s:%d", host, port);
	return out;
}

int cluster_parse_hostport(const char *s, size_t n, char *host, size_t hostn, int *port)
{
	const char *colon, *h = s;
	size_t hl;
	long p = 0;
	size_t i;

	colon = NULL;
	for (i = n; i > 0; i--)
		if (s[i - 1] == ':') {
			colon = s + i - 1;
			break;
		}
	if (!colon || colon + 1 == s + n || (size_t)(s + n - colon - 1) > 5)
		return -EINVAL;
	for (i = (size_t)(colon + 1 - s); i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		p = p * 10 + (s[i] - '0');
	}
	if (p < 1 || p > 65535)
		return -EINVAL;
	hl = (size_t)(colon - s);
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	} else if (memchr(h, ':', hl)) {
		return -EINVAL;	/* IPv6 needs brackets */
	}
	if (hl == 0 || hl >= hostn)
		return -EINVAL;
	for (i = 0; i < hl; i++)
		if ((unsigned char)h[i] <= ' ' || h[i] == '/' || h[i] == '[' || h[i] == ']' ||
		    h[i] == '@' || h[i] == '?' || h[i] == '#' || (unsigned char)h[i] >= 0x7f)
			return -EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (int)p;
	return 0;
}

static void kv_opt(struct jsonw *w, const char *key, const char *v)
{
	if (v)
		jsonw_kv_string(w, key, v);
}

void cluster_write_json(const struct cluster *c, struct jsonw *w)
{
	size_t i, j;

	jsonw_object_begin(w);
	kv_opt(w, TOPOLOGY_NAME, c->name);
	kv_opt(w, TOPOLOGY_VERSION, c->version);
	jsonw_key(w, TOPOLOGY_NODES);
	jsonw_array_begin(w);
	for (i = 0; i < c->n; i++) {
		const struct cluster_node *nd = &c->nodes[i];

		jsonw_object_begin(w);
		jsonw_kv_string(w, TOPOLOGY_NODE_COMPONENT, nd->role);
		jsonw_kv_string(w, TOPOLOGY_NODE_HOST, nd->host);
		if (nd->port)
			jsonw_kv_int(w, TOPOLOGY_NODE_PORT, nd->port);
		if (nd->status_port)
			jsonw_kv_int(w, TOPOLOGY_NODE_STATUS_PORT, nd->status_port);
		kv_opt(w, TOPOLOGY_NODE_NAME, nd->name);
		kv_opt(w, TOPOLOGY_NODE_VERSION, nd->version);
		kv_opt(w, TOPOLOGY_NODE_GIT_HASH, nd->git_hash);
		kv_opt(w, TOPOLOGY_NODE_STATUS, nd->status);
		kv_opt(w, TOPOLOGY_NODE_DEPLOY_DIR, nd->deploy_dir);
		if (nd->leader)
			jsonw_kv_bool(w, TOPOLOGY_NODE_LEADER, 1);
		jsonw_key(w, TOPOLOGY_NODE_LABELS);
		jsonw_object_begin(w);
		for (j = 0; j < nd->nlabels; j++)
			jsonw_kv_string(w, nd->labels[j].key, nd->labels[j].value);
		jsonw_object_end(w);
		if (nd->capacity >= 0)
			jsonw_kv_int(w, TOPOLOGY_NODE_CAPACITY, nd->capacity);
		if (nd->available >= 0)
			jsonw_kv_int(w, TOPOLOGY_NODE_AVAILABLE, nd->available);
		if (nd->regions >= 0)
			jsonw_kv_int(w, TOPOLOGY_NODE_REGIONS, nd->regions);
		if (nd->leaders >= 0)
			jsonw_kv_int(w, TOPOLOGY_NODE_LEADERS, nd->leaders);
		jsonw_kv_string(w, TOPOLOGY_NODE_SOURCE, nd->source);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_object_end(w);
}
