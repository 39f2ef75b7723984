/* tiupdisplay.c - see tiupdisplay.h */
#include "analyzers/cluster/tiupdisplay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64

struct field {
	const char *s;
	size_t n;
};

/* Split line[0..n) on runs of blanks; at most MAX_FIELDS (the rest is one
 * more field). Returns the count. */
static size_t split(const char *line, size_t n, struct field *f)
{
	size_t i = 0, k = 0, j;

	while (k < MAX_FIELDS) {
		while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i == n)
			break;
		j = i;
		while (j < n && line[j] != ' ' && line[j] != '\t' && line[j] != '\r')
			j++;
		f[k].s = line + i;
		f[k].n = j - i;
		k++;
		i = j;
	}
	return k;
}

static int is(const struct field *f, const char *s)
{
	return f->n == strlen(s) && memcmp(f->s, s, f->n) == 0;
}

static int dashes(const struct field *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->s[i] != '-')
			return 0;
	return 1;
}

static int starts(const char *line, size_t n, const char *prefix)
{
	size_t l = strlen(prefix);

	return n >= l && memcmp(line, prefix, l) == 0;
}

/* The value after "Prefix:" trimmed, or NULL. */
static const char *after(const char *line, size_t n, const char *prefix, size_t *vn)
{
	size_t l = strlen(prefix);

	if (!starts(line, n, prefix))
		return NULL;
	line += l;
	n -= l;
	while (n && *line == ' ')
		line++, n--;
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\r'))
		n--;
	*vn = n;
	return line;
}

/* Ports "a/b/c" -> the idx-th (0-based), or 0. */
static int port_at(const struct field *f, int idx)
{
	size_t i = 0;
	int k = 0;
	long v;

	while (i < f->n) {
		v = 0;
		if (f->s[i] < '0' || f->s[i] > '9')
			return 0;
		while (i < f->n && f->s[i] >= '0' && f->s[i] <= '9') {
			v = v * 10 + (f->s[i] - '0');
			if (v > 65535)
				return 0;
			i++;
		}
		if (k == idx)
			return v >= 1 ? (int)v : 0;
		if (i < f->n && f->s[i] != '/')
			return 0;
		i++;
		k++;
	}
	return 0;
}

static int add_row(const struct field *f, size_t nf, struct cluster *c, int64_t lineno,
		   struct tp_error *err)
{
	struct cluster_node *nd;
	char role[32], host[256];
	int port, sport, hport, rc;
	size_t i, len;
	char status[256];

	if (nf < 8)
		return tp_error_set(err, -EBADMSG, "", lineno, -1,
				    "a row needs 8 columns (ID Role Host Ports OS/Arch Status Data Dir Deploy Dir)");
	if (f[1].n == 0 || f[1].n >= sizeof(role) || f[2].n >= sizeof(host))
		return tp_error_set(err, -EBADMSG, "", lineno, -1, "bad role or host");
	memcpy(role, f[1].s, f[1].n);
	role[f[1].n] = '\0';
	memcpy(host, f[2].s, f[2].n);
	host[f[2].n] = '\0';
	if (strchr(host, '/') || strchr(host, '@'))
		return tp_error_set(err, -EBADMSG, "", lineno, -1, "bad host");
	port = port_at(&f[3], 0);
	if (!port)
		return tp_error_set(err, -EBADMSG, "", lineno, -1, "bad ports column");
	sport = port;
	if (strcmp(role, "tidb") == 0 || strcmp(role, "tikv") == 0)
		sport = port_at(&f[3], 1);
	else if (strcmp(role, "tiflash") == 0)
		sport = port_at(&f[3], 4);
	if (!sport)
		sport = port;
	/* the ID is host:port; prefer its host when it parses */
	if (cluster_parse_hostport(f[0].s, f[0].n, host, sizeof(host), &hport) < 0) {
		memcpy(host, f[2].s, f[2].n);
		host[f[2].n] = '\0';
	}
	if ((rc = cluster_add(c, role, host, port, sport, "display", &nd)) < 0)
		return tp_error_set(err, rc, "", lineno, -1,
				    rc == -E2BIG ? "too many nodes" : "out of memory");
	len = 0;
	for (i = 5; i + 2 < nf && len < sizeof(status) - 1; i++) {
		size_t m = f[i].n;

		if (len && len < sizeof(status) - 1)
			status[len++] = ' ';
		if (m > sizeof(status) - 1 - len)
			m = sizeof(status) - 1 - len;
		memcpy(status + len, f[i].s, m);
		len += m;
	}
	status[len] = '\0';
	if (cluster_sets(&nd->status, status) < 0 ||
	    (!is(&f[nf - 1], "-") && cluster_set(&nd->deploy_dir, f[nf - 1].s, f[nf - 1].n) < 0))
		return tp_error_set(err, -ENOMEM, "", lineno, -1, "out of memory");
	if (strstr(status, "|L"))
		nd->leader = 1;
	return 0;
}

int tiupdisplay_parse(const char *buf, size_t len, const char *want, struct cluster *c,
		      struct tp_error *err)
{
	struct field f[MAX_FIELDS];
	const char *p = buf, *end = buf + len, *nl, *v;
	const char *name = NULL, *ver = NULL;
	size_t n, nf, namen = 0, vern = 0;
	int64_t lineno = 0;
	int state = 0;	/* 0 before the table, 1 after the column line, 2 in rows */
	int rc, found = 0, nodes = 0;

	if (len > TIUPDISPLAY_MAX_SIZE)
		return tp_error_set(err, -EFBIG, "", 0, -1, "input over %zu bytes",
				    TIUPDISPLAY_MAX_SIZE);
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		n = (size_t)(nl - p);
		lineno++;
		if ((v = after(p, n, "Cluster name:", &n)) != NULL) {
			if (found)
				break;	/* the next cluster */
			name = v;
			namen = n;
			ver = NULL;
			state = 0;
			continue;
		}
		if ((v = after(p, (size_t)(nl - p), "Cluster version:", &n)) != NULL) {
			ver = v;
			vern = n;
			continue;
		}
		n = (size_t)(nl - p);
		nf = split(p, n, f);
		if (state == 0) {
			if (nf >= 4 && is(&f[0], "ID") && is(&f[1], "Role") && is(&f[2], "Host") &&
			    is(&f[3], "Ports") &&
			    (!want || (name && strlen(want) == namen && memcmp(want, name, namen) == 0)))
				state = 1;
			continue;
		}
		if (state == 1) {
			state = nf >= 1 && f[0].n >= 2 && dashes(&f[0]) ? 2 : 0;
			if (state == 0)
				return tp_error_set(err, -EBADMSG, "", lineno, -1,
						    "expected the dashed line under the column names");
			found = 1;
			continue;
		}
		if (nf == 0 || starts(p, n, "Total nodes:"))
			break;
		if ((rc = add_row(f, nf, c, lineno, err)) < 0)
			return rc;
		nodes++;
	}
	if (!found) {
		if (want)
			return tp_error_set(err, -ENOENT, "", 0, -1,
					    "no `tiup cluster display` table for cluster \"%.100s\"", want);
		return tp_error_set(err, -EBADMSG, "", 0, -1,
				    "no `tiup cluster display` table (ID Role Host Ports ...)");
	}
	if ((name && cluster_set(&c->name, name, namen) < 0) ||
	    (ver && cluster_set(&c->version, ver, vern) < 0))
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	(void)nodes;
	return 0;
}
