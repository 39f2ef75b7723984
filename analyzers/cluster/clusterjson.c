/* clusterjson.c - see clusterjson.h */
#include "analyzers/cluster/clusterjson.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analyzers/base/bytesize.h"

static int load(const char *buf, size_t len, json_t **root, struct tp_error *err)
{
	json_error_t je;

	if (len > CLUSTERJSON_MAX_SIZE)
		return tp_error_set(err, -EFBIG, "", 0, -1, "JSON document over %zu bytes",
				    CLUSTERJSON_MAX_SIZE);
	*root = json_loadb(buf, len, JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES, &je);
	if (!*root)
		return tp_error_set(err, -EBADMSG, "", je.line > 0 ? je.line : 0,
				    je.position, "bad JSON: %s", je.text);
	return 0;
}

/* Optional string member: NULL when absent or null; -EBADMSG when another
 * type. */
static int get_str(json_t *obj, const char *key, const char **out, struct tp_error *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return tp_error_set(err, -EBADMSG, "", 0, -1, "\"%s\" is not a string", key);
	*out = json_string_value(v);
	return 0;
}

/* Optional integer member (JSON numbers are all reals here); -1 absent. */
static int get_int(json_t *obj, const char *key, double max, int64_t *out,
		   struct tp_error *err)
{
	json_t *v = json_object_get(obj, key);
	double d;

	*out = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return tp_error_set(err, -EBADMSG, "", 0, -1, "\"%s\" is not a number", key);
	d = json_number_value(v);
	if (!(d >= 0 && d <= max) || d != floor(d))
		return tp_error_set(err, -EBADMSG, "", 0, -1, "\"%s\" is out of range", key);
	*out = (int64_t)d;
	return 0;
}

static int set_str(char **field, json_t *obj, const char *key, struct tp_error *err)
{
	const char *s;
	int rc = get_str(obj, key, &s, err);

	if (rc < 0)
		return rc;
	if (cluster_sets(field, s) < 0)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	return 0;
}

static int add_failed(int rc, struct tp_error *err)
{
	return tp_error_set(err, rc, "", 0, -1, rc == -E2BIG ? "too many nodes or labels"
							     : "out of memory");
}

/* "http://host:port[/...]" -> host, port. */
static int parse_url(const char *url, char *host, size_t hostn, int *port)
{
	const char *p = strstr(url, "://"), *end;

	p = p ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	return cluster_parse_hostport(p, (size_t)(end - p), host, hostn, port);
}

static json_t *get_array(json_t *root, const char *key, struct tp_error *err, int *rc)
{
	json_t *a;

	*rc = 0;
	if (!json_is_object(root)) {
		*rc = tp_error_set(err, -EBADMSG, "", 0, -1, "not a JSON object");
		return NULL;
	}
	a = json_object_get(root, key);
	if (!a || json_is_null(a))
		return NULL;
	if (!json_is_array(a))
		*rc = tp_error_set(err, -EBADMSG, "", 0, -1, "\"%s\" is not an array", key);
	return a;
}

int clusterjson_pd_members(const char *buf, size_t len, struct cluster *c,
			   struct tp_error *err)
{
	json_t *root = NULL, *members, *m, *urls, *leader;
	const char *leader_name = NULL, *name, *url;
	struct cluster_node *nd;
	char host[256];
	size_t i;
	int port, rc;

	if ((rc = load(buf, len, &root, err)) < 0)
		return rc;
	members = get_array(root, "members", err, &rc);
	if (rc < 0)
		goto out;
	if (!members) {
		rc = tp_error_set(err, -EBADMSG, "", 0, -1, "no \"members\" array");
		goto out;
	}
	leader = json_object_get(root, "leader");
	if (json_is_object(leader) && (rc = get_str(leader, "name", &leader_name, err)) < 0)
		goto out;
	json_array_foreach(members, i, m) {
		if (!json_is_object(m)) {
			rc = tp_error_set(err, -EBADMSG, "", 0, -1, "member %zu is not an object", i);
			goto out;
		}
		urls = json_object_get(m, "client_urls");
		if (!json_is_array(urls) || !json_is_string(json_array_get(urls, 0))) {
			rc = tp_error_set(err, -EBADMSG, "", 0, -1, "member %zu has no client_urls", i);
			goto out;
		}
		url = json_string_value(json_array_get(urls, 0));
		if (parse_url(url, host, sizeof(host), &port) < 0) {
			rc = tp_error_set(err, -EBADMSG, "", 0, -1,
					  "member %zu: bad client URL \"%.200s\"", i, url);
			goto out;
		}
		if ((rc = cluster_add(c, "pd", host, port, port, "pd", &nd)) < 0) {
			rc = add_failed(rc, err);
			goto out;
		}
		if ((rc = get_str(m, "name", &name, err)) < 0 ||
		    (rc = set_str(&nd->name, m, "name", err)) < 0 ||
		    (rc = set_str(&nd->version, m, "binary_version", err)) < 0 ||
		    (rc = set_str(&nd->git_hash, m, "git_hash", err)) < 0 ||
		    (rc = set_str(&nd->deploy_dir, m, "deploy_path", err)) < 0)
			goto out;
		if (name && leader_name && strcmp(name, leader_name) == 0)
			nd->leader = 1;
		if (cluster_sets(&nd->status, nd->leader ? "Up|L" : "Up") < 0) {
			rc = add_failed(-ENOMEM, err);
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int store_labels(json_t *store, struct cluster_node *nd, int *tiflash,
			struct tp_error *err)
{
	json_t *labels = json_object_get(store, "labels"), *l;
	const char *k, *v;
	size_t i;
	int rc;

	*tiflash = 0;
	if (!labels || json_is_null(labels))
		return 0;
	if (!json_is_array(labels))
		return tp_error_set(err, -EBADMSG, "", 0, -1, "\"labels\" is not an array");
	json_array_foreach(labels, i, l) {
		if (!json_is_object(l))
			return tp_error_set(err, -EBADMSG, "", 0, -1, "label %zu is not an object", i);
		if ((rc = get_str(l, "key", &k, err)) < 0 || (rc = get_str(l, "value", &v, err)) < 0)
			return rc;
		if (!k)
			continue;
		if (strcmp(k, "engine") == 0 && v && strcmp(v, "tiflash") == 0)
			*tiflash = 1;
		if (nd && (rc = cluster_add_label(nd, k, v ? v : "")) < 0)
			return add_failed(rc, err);
	}
	return 0;
}

static int size_field(json_t *status, const char *key, int64_t *out, struct tp_error *err)
{
	const char *s;
	uint64_t v;
	int rc = get_str(status, key, &s, err);

	if (rc < 0 || !s)
		return rc;
	if (bytesize_parse(s, strlen(s), &v) < 0 || v > INT64_MAX)
		return tp_error_set(err, -EBADMSG, "", 0, -1, "\"%s\": bad size \"%.100s\"", key, s);
	*out = (int64_t)v;
	return 0;
}

int clusterjson_pd_stores(const char *buf, size_t len, struct cluster *c,
			  struct tp_error *err)
{
	json_t *root = NULL, *stores, *e, *store, *status;
	const char *addr, *saddr;
	struct cluster_node *nd;
	char host[256], shost[256];
	int port, sport, tiflash, rc;
	size_t i;

	if ((rc = load(buf, len, &root, err)) < 0)
		return rc;
	stores = get_array(root, "stores", err, &rc);
	if (rc < 0 || !stores)
		goto out;
	json_array_foreach(stores, i, e) {
		store = json_object_get(e, "store");
		status = json_object_get(e, "status");
		if (!json_is_object(e) || !json_is_object(store)) {
			rc = tp_error_set(err, -EBADMSG, "", 0, -1, "store %zu has no \"store\" object", i);
			goto out;
		}
		if ((rc = get_str(store, "address", &addr, err)) < 0 ||
		    (rc = get_str(store, "status_address", &saddr, err)) < 0)
			goto out;
		if (!addr || cluster_parse_hostport(addr, strlen(addr), host, sizeof(host), &port) < 0) {
			rc = tp_error_set(err, -EBADMSG, "", 0, -1, "store %zu: bad address", i);
			goto out;
		}
		sport = 0;
		if (saddr && *saddr) {
			if (cluster_parse_hostport(saddr, strlen(saddr), shost, sizeof(shost), &sport) < 0) {
				rc = tp_error_set(err, -EBADMSG, "", 0, -1,
						  "store %zu: bad status_address", i);
				goto out;
			}
			snprintf(host, sizeof(host), "%s", shost);
		}
		if ((rc = store_labels(store, NULL, &tiflash, err)) < 0)
			goto out;
		if ((rc = cluster_add(c, tiflash ? "tiflash" : "tikv", host, port, sport, "pd", &nd)) < 0) {
			rc = add_failed(rc, err);
			goto out;
		}
		if ((rc = store_labels(store, nd, &tiflash, err)) < 0 ||
		    (rc = set_str(&nd->version, store, "version", err)) < 0 ||
		    (rc = set_str(&nd->git_hash, store, "git_hash", err)) < 0 ||
		    (rc = set_str(&nd->deploy_dir, store, "deploy_path", err)) < 0 ||
		    (rc = set_str(&nd->status, store, "state_name", err)) < 0)
			goto out;
		if (json_is_object(status)) {
			if ((rc = size_field(status, "capacity", &nd->capacity, err)) < 0 ||
			    (rc = size_field(status, "available", &nd->available, err)) < 0 ||
			    (rc = get_int(status, "region_count", 1e15, &nd->regions, err)) < 0 ||
			    (rc = get_int(status, "leader_count", 1e15, &nd->leaders, err)) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

int clusterjson_tidb_info_all(const char *buf, size_t len, struct cluster *c,
			      struct tp_error *err)
{
	json_t *root = NULL, *all, *s, *labels, *lv;
	const char *id, *ip, *lk;
	struct cluster_node *nd;
	int64_t port, sport;
	int rc;

	if ((rc = load(buf, len, &root, err)) < 0)
		return rc;
	all = json_is_object(root) ? json_object_get(root, "all_servers_info") : NULL;
	if (!json_is_object(all)) {
		rc = tp_error_set(err, -EBADMSG, "", 0, -1, "no \"all_servers_info\" object");
		goto out;
	}
	json_object_foreach(all, id, s) {
		if (!json_is_object(s)) {
			rc = tp_error_set(err, -EBADMSG, "", 0, -1, "server %.100s is not an object", id);
			goto out;
		}
		if ((rc = get_str(s, "ip", &ip, err)) < 0 ||
		    (rc = get_int(s, "listening_port", 65535, &port, err)) < 0 ||
		    (rc = get_int(s, "status_port", 65535, &sport, err)) < 0)
			goto out;
		if (!ip || !*ip || sport <= 0) {
			rc = tp_error_set(err, -EBADMSG, "", 0, -1,
					  "server %.100s has no ip or status_port", id);
			goto out;
		}
		if ((rc = cluster_add(c, "tidb", ip, port > 0 ? (int)port : 0, (int)sport, "tidb",
				      &nd)) < 0) {
			rc = add_failed(rc, err);
			goto out;
		}
		if ((rc = set_str(&nd->version, s, "version", err)) < 0 ||
		    (rc = set_str(&nd->git_hash, s, "git_hash", err)) < 0 ||
		    cluster_sets(&nd->name, id) < 0 || cluster_sets(&nd->status, "Up") < 0) {
			if (rc == 0)
				rc = add_failed(-ENOMEM, err);
			goto out;
		}
		labels = json_object_get(s, "labels");
		if (json_is_object(labels)) {
			json_object_foreach(labels, lk, lv) {
				if (!json_is_string(lv))
					continue;
				if ((rc = cluster_add_label(nd, lk, json_string_value(lv))) < 0) {
					rc = add_failed(rc, err);
					goto out;
				}
			}
		}
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

int clusterjson_check(const char *buf, size_t len, struct tp_error *err)
{
	json_t *root = NULL;
	int rc = load(buf, len, &root, err);

	if (rc == 0)
		json_decref(root);
	return rc;
}
