/* tiupyaml.c - see tiupyaml.h */
#include "analyzers/cluster/tiupyaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct section {
	const char *key, *role;
	const char *port_key, *status_key;
	int port, status_port;
};

static const struct section sections[] = {
	{ "pd_servers", "pd", "client_port", "client_port", 2379, 2379 },
	{ "tidb_servers", "tidb", "port", "status_port", 4000, 10080 },
	{ "tikv_servers", "tikv", "port", "status_port", 20160, 20180 },
	{ "tiflash_servers", "tiflash", "tcp_port", "flash_proxy_status_port", 9000, 20292 },
	{ "cdc_servers", "cdc", "port", "port", 8300, 8300 },
};

static yaml_node_t *node(yaml_document_t *d, int id)
{
	return yaml_document_get_node(d, id);
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of key in mapping m, or NULL. */
static yaml_node_t *lookup(yaml_document_t *d, yaml_node_t *m, const char *key)
{
	yaml_node_pair_t *p;
	const char *k;

	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		k = scalar(node(d, p->key));
		if (k && strcmp(k, key) == 0)
			return node(d, p->value);
	}
	return NULL;
}

/* "<what> <key>" at n's line. */
static int bad(struct tp_error *err, yaml_node_t *n, const char *what, const char *key)
{
	return tp_error_set(err, -EBADMSG, "", n ? (int64_t)n->start_mark.line + 1 : 0, -1,
			    "%s \"%s\"", what, key);
}

static int port_of(yaml_document_t *d, yaml_node_t *m, const char *key, int def, int *out,
		   struct tp_error *err)
{
	yaml_node_t *n = lookup(d, m, key);
	const char *s = scalar(n);
	char *end;
	long v;

	*out = def;
	if (!n)
		return 0;
	if (!s)
		return bad(err, n, "expected a scalar for", key);
	v = strtol(s, &end, 10);
	if (end == s || *end || v < 1 || v > 65535)
		return bad(err, n, "expected a port number for", key);
	*out = (int)v;
	return 0;
}

static int labels(yaml_document_t *d, yaml_node_t *entry, struct cluster_node *nd,
		  struct tp_error *err)
{
	yaml_node_t *cfg = lookup(d, entry, "config"), *l;
	yaml_node_pair_t *p;
	const char *k, *v;
	int rc;

	l = lookup(d, cfg, "server.labels");
	if (!l)
		l = lookup(d, lookup(d, cfg, "server"), "labels");
	if (!l)
		return 0;
	if (l->type != YAML_MAPPING_NODE)
		return bad(err, l, "expected a mapping for", "server.labels");
	for (p = l->data.mapping.pairs.start; p < l->data.mapping.pairs.top; p++) {
		k = scalar(node(d, p->key));
		v = scalar(node(d, p->value));
		if (!k || !v)
			continue;
		if ((rc = cluster_add_label(nd, k, v)) < 0)
			return tp_error_set(err, rc, "", 0, -1, "too many labels");
	}
	return 0;
}

static int section(yaml_document_t *d, yaml_node_t *seq, const struct section *s,
		   struct cluster *c, struct tp_error *err)
{
	yaml_node_item_t *it;
	yaml_node_t *e;
	struct cluster_node *nd;
	const char *host, *dir;
	int port, sport, rc;

	if (seq->type != YAML_SEQUENCE_NODE)
		return bad(err, seq, "expected a list for", s->key);
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		e = node(d, *it);
		if (!e || e->type != YAML_MAPPING_NODE)
			return bad(err, e, "expected a mapping in", s->key);
		host = scalar(lookup(d, e, "host"));
		if (!host || !*host || strlen(host) > 253)
			return bad(err, e, "an entry without a host in", s->key);
		if ((rc = port_of(d, e, s->port_key, s->port, &port, err)) < 0 ||
		    (rc = port_of(d, e, s->status_key, s->status_port, &sport, err)) < 0)
			return rc;
		if ((rc = cluster_add(c, s->role, host, port, sport, "topology", &nd)) < 0)
			return tp_error_set(err, rc, "", 0, -1,
					    rc == -E2BIG ? "too many nodes" : "out of memory");
		dir = scalar(lookup(d, e, "deploy_dir"));
		if (cluster_sets(&nd->deploy_dir, dir) < 0)
			return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
		if ((rc = labels(d, e, nd, err)) < 0)
			return rc;
	}
	return 0;
}

int tiupyaml_parse(const char *buf, size_t len, struct cluster *c, struct tp_error *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *v;
	size_t i;
	int rc = 0;

	if (len > TIUPYAML_MAX_SIZE)
		return tp_error_set(err, -EFBIG, "", 0, -1, "topology file over %zu bytes",
				    TIUPYAML_MAX_SIZE);
	if (!yaml_parser_initialize(&parser))
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = tp_error_set(err, parser.error == YAML_MEMORY_ERROR ? -ENOMEM : -EBADMSG, "",
				  (int64_t)parser.problem_mark.line + 1,
				  (int64_t)parser.problem_mark.index, "bad YAML: %s",
				  parser.problem ? parser.problem : "syntax error");
		yaml_parser_delete(&parser);
		return rc;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		rc = tp_error_set(err, -EBADMSG, "", 1, -1, "not a tiup topology (no top-level mapping)");
		goto out;
	}
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		v = lookup(&doc, root, sections[i].key);
		if (v && v->type != YAML_SCALAR_NODE &&
		    (rc = section(&doc, v, &sections[i], c, err)) < 0)
			goto out;
	}
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}
