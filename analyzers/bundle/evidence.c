/* evidence.c - see evidence.h. JSON is parsed with jansson. */
#include "analyzers/bundle/evidence.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzers/base/bytesize.h"

static void scopy(char *dst, size_t n, const char *s)
{
	size_t l = s ? strlen(s) : 0;

	if (l >= n)
		l = n - 1;
	if (l)
		memcpy(dst, s, l);
	dst[l] = '\0';
}

static void note(struct evidence *ev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct evidence *ev, const char *fmt, ...)
{
	va_list ap;

	if (ev->nnotes >= EV_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(ev->notes[ev->nnotes++], sizeof(ev->notes[0]), fmt, ap);
	va_end(ap);
}

static void path_of(const struct evidence *ev, const char *rel, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", ev->bundle, rel);
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Load a JSON file; NULL with a note when missing or malformed. */
static json_t *load_json(struct evidence *ev, const char *rel, int quiet_missing)
{
	char path[4400];
	json_error_t jerr;
	struct stat st;
	json_t *j;

	path_of(ev, rel, path, sizeof(path));
	if (stat(path, &st) < 0) {
		if (!quiet_missing)
			note(ev, "%s is missing", rel);
		return NULL;
	}
	if ((size_t)st.st_size > EV_JSON_MAX) {
		note(ev, "%s is too large (%lld bytes)", rel, (long long)st.st_size);
		return NULL;
	}
	j = json_load_file(path, JSON_DECODE_ANY, &jerr);
	if (!j)
		note(ev, "%s is not valid JSON (line %d: %s)", rel, jerr.line, jerr.text);
	return j;
}

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

static double jnum(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* ---- manifest.json ---- */

static void load_manifest(struct evidence *ev, json_t **targets)
{
	json_t *m = load_json(ev, "manifest.json", 0), *cmd, *sum, *x;
	size_t i, l = 0;

	*targets = NULL;
	if (!json_is_object(m)) {
		json_decref(m);
		return;
	}
	ev->has_manifest = 1;
	scopy(ev->state, sizeof(ev->state), jstr(m, "state"));
	scopy(ev->started, sizeof(ev->started), jstr(m, "started"));
	scopy(ev->ended, sizeof(ev->ended), jstr(m, "ended"));
	ev->requested_seconds = jnum(m, "requested_seconds");
	ev->actual_seconds = jnum(m, "actual_seconds");
	if (!isnan(jnum(m, "frequency_hz")))
		ev->frequency = (long)jnum(m, "frequency_hz");
	cmd = json_object_get(m, "command");
	json_array_foreach(cmd, i, x) {
		if (json_is_string(x) && l + 2 < sizeof(ev->command)) {
			l += (size_t)snprintf(ev->command + l, sizeof(ev->command) - l, "%s%s",
					      i ? " " : "", json_string_value(x));
			if (l >= sizeof(ev->command))
				l = sizeof(ev->command) - 1;
		}
	}
	sum = json_object_get(m, "summary");
	if (json_is_object(sum)) {
		ev->targets = (size_t)fmax(0, jnum(sum, "targets"));
		ev->ok = (size_t)fmax(0, jnum(sum, "ok"));
		ev->failed = (size_t)fmax(0, jnum(sum, "failed"));
		ev->truncated = (size_t)fmax(0, jnum(sum, "truncated"));
	}
	if (!strcmp(ev->state, "running"))
		note(ev, "manifest.json says the capture is still running: it was killed "
			 "before it could finish");
	*targets = json_incref(json_object_get(m, "targets"));
	json_decref(m);
}

/* ---- topology.json ---- */

static void load_topology(struct evidence *ev)
{
	json_t *t = load_json(ev, "topology.json", !ev->has_manifest), *nodes, *nd;
	size_t i;

	if (!json_is_object(t)) {
		json_decref(t);
		return;
	}
	scopy(ev->cluster_name, sizeof(ev->cluster_name), jstr(t, "name"));
	scopy(ev->cluster_version, sizeof(ev->cluster_version), jstr(t, "version"));
	nodes = json_object_get(t, "nodes");
	if (json_is_array(nodes) && json_array_size(nodes)) {
		size_t n = json_array_size(nodes) > EV_MAX_NODES ? EV_MAX_NODES : json_array_size(nodes);

		ev->nodes = calloc(n, sizeof(*ev->nodes));
		if (!ev->nodes)
			n = 0;
		for (i = 0; i < n; i++) {
			struct ev_node *e = &ev->nodes[ev->nnodes];
			json_t *labels, *v;
			const char *k;
			size_t l = 0;

			nd = json_array_get(nodes, i);
			if (!json_is_object(nd))
				continue;
			ev->nnodes++;
			scopy(e->component, sizeof(e->component), jstr(nd, "component"));
			scopy(e->host, sizeof(e->host), jstr(nd, "host"));
			scopy(e->version, sizeof(e->version), jstr(nd, "version"));
			scopy(e->status, sizeof(e->status), jstr(nd, "status"));
			e->port = isnan(jnum(nd, "port")) ? 0 : (int)jnum(nd, "port");
			e->status_port = isnan(jnum(nd, "status_port")) ? 0 : (int)jnum(nd, "status_port");
			e->leader = json_is_true(json_object_get(nd, "leader"));
			e->capacity = isnan(jnum(nd, "capacity_bytes")) ? -1 : (int64_t)jnum(nd, "capacity_bytes");
			e->regions = isnan(jnum(nd, "region_count")) ? -1 : (int64_t)jnum(nd, "region_count");
			e->leaders = isnan(jnum(nd, "leader_count")) ? -1 : (int64_t)jnum(nd, "leader_count");
			labels = json_object_get(nd, "labels");
			json_object_foreach(labels, k, v) {
				if (json_is_string(v) && l < sizeof(e->labels))
					l += (size_t)snprintf(e->labels + l, sizeof(e->labels) - l, "%s%s=%s",
							      l ? "," : "", k, json_string_value(v));
			}
		}
	}
	json_decref(t);
}

/* ---- host.json ---- */

static void add_part(char *out, size_t n, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_part(char *out, size_t n, const char *sep, const char *fmt, ...)
{
	size_t l = strlen(out);
	va_list ap;

	if (l && l + strlen(sep) < n) {
		scopy(out + l, n - l, sep);
		l = strlen(out);
	}
	va_start(ap, fmt);
	if (l < n)
		vsnprintf(out + l, n - l, fmt, ap);
	va_end(ap);
}

static void host_from_json(struct ev_host *h, json_t *o)
{
	json_t *cpu = json_object_get(o, "cpu"), *mem = json_object_get(o, "memory"), *x;
	char sz[32];
	size_t i;

	h->has_avx2 = h->has_pmu = h->rotational_data = -1;
	scopy(h->source, sizeof(h->source), jstr(o, "source"));
	scopy(h->name, sizeof(h->name), jstr(o, "hostname")[0] ? jstr(o, "hostname") : h->source);
	scopy(h->distro, sizeof(h->distro), jstr(o, "distro"));
	snprintf(h->kernel, sizeof(h->kernel), "%s%s%s%s", jstr(o, "kernel"),
		 jstr(o, "arch")[0] ? " (" : "", jstr(o, "arch"), jstr(o, "arch")[0] ? ")" : "");
	if (json_is_object(cpu)) {
		add_part(h->cpu, sizeof(h->cpu), ", ", "%s", jstr(cpu, "model")[0] ? jstr(cpu, "model") : "unknown model");
		if (!isnan(jnum(cpu, "sockets")))
			add_part(h->cpu, sizeof(h->cpu), ", ", "%.0f socket%s", jnum(cpu, "sockets"),
				 jnum(cpu, "sockets") == 1 ? "" : "s");
		if (!isnan(jnum(cpu, "cores")))
			add_part(h->cpu, sizeof(h->cpu), ", ", "%.0f cores", jnum(cpu, "cores"));
		if (!isnan(jnum(cpu, "threads"))) {
			add_part(h->cpu, sizeof(h->cpu), ", ", "%.0f threads", jnum(cpu, "threads"));
			h->threads = (int)jnum(cpu, "threads");
		}
		if (!isnan(jnum(cpu, "mhz")))
			add_part(h->cpu, sizeof(h->cpu), ", ", "%.0f MHz", jnum(cpu, "mhz"));
		if (!isnan(jnum(cpu, "mhz_max")))
			add_part(h->cpu, sizeof(h->cpu), " ", "(max %.0f MHz)", jnum(cpu, "mhz_max"));
		if (json_is_boolean(json_object_get(cpu, "avx2")))
			h->has_avx2 = json_is_true(json_object_get(cpu, "avx2"));
		if (json_is_boolean(json_object_get(cpu, "arch_perfmon")))
			h->has_pmu = json_is_true(json_object_get(cpu, "arch_perfmon"));
		snprintf(h->flags, sizeof(h->flags), "AVX2 %s, arch_perfmon (PMU) %s",
			 h->has_avx2 < 0 ? "unknown" : h->has_avx2 ? "yes" : "no",
			 h->has_pmu < 0 ? "unknown" : h->has_pmu ? "yes" : "no");
	}
	if (json_is_object(mem)) {
		if (!isnan(jnum(mem, "total_bytes"))) {
			bytesize_format((uint64_t)jnum(mem, "total_bytes"), sz, sizeof(sz));
			add_part(h->memory, sizeof(h->memory), ", ", "%s", sz);
		}
		if (!isnan(jnum(mem, "swap_bytes"))) {
			bytesize_format((uint64_t)jnum(mem, "swap_bytes"), sz, sizeof(sz));
			add_part(h->memory, sizeof(h->memory), ", ", "swap %s", sz);
		}
		if (!isnan(jnum(mem, "numa_nodes")))
			add_part(h->memory, sizeof(h->memory), ", ", "%.0f NUMA node%s", jnum(mem, "numa_nodes"),
				 jnum(mem, "numa_nodes") == 1 ? "" : "s");
		if (jstr(mem, "transparent_hugepage")[0])
			add_part(h->memory, sizeof(h->memory), ", ", "THP %s", jstr(mem, "transparent_hugepage"));
	}
	json_array_foreach(json_object_get(o, "disks"), i, x) {
		double size = jnum(x, "size_bytes");
		json_t *rot = json_object_get(x, "rotational");

		sz[0] = '\0';
		if (!isnan(size))
			bytesize_format((uint64_t)size, sz, sizeof(sz));
		add_part(h->disks, sizeof(h->disks), "; ", "%s: %s%s%s%s %s, %s, scheduler %s",
			 jstr(x, "name"), jstr(x, "model")[0] ? jstr(x, "model") : "model unknown",
			 jstr(x, "vendor")[0] ? " (" : "", jstr(x, "vendor"), jstr(x, "vendor")[0] ? ")" : "",
			 sz[0] ? sz : "size unknown",
			 json_is_boolean(rot) ? (json_is_true(rot) ? "rotational (HDD)" : "non-rotational (SSD)")
					      : "rotational unknown",
			 jstr(x, "scheduler")[0] ? jstr(x, "scheduler") : "unknown");
	}
	json_array_foreach(json_object_get(o, "data_dirs"), i, x) {
		if (!jstr(x, "mount")[0]) {
			add_part(h->dirs, sizeof(h->dirs), "; ", "%s: %s", jstr(x, "path"),
				 jstr(x, "note")[0] ? jstr(x, "note") : "not found");
			continue;
		}
		add_part(h->dirs, sizeof(h->dirs), "; ", "%s: %s on %s (%s%s%s)", jstr(x, "path"),
			 jstr(x, "mount"), jstr(x, "source"), jstr(x, "fstype"),
			 jstr(x, "disk")[0] ? ", disk " : "", jstr(x, "disk"));
		if (jstr(x, "disk")[0]) {
			json_t *d;
			size_t j;

			json_array_foreach(json_object_get(o, "disks"), j, d)
				if (strcmp(jstr(d, "name"), jstr(x, "disk")) == 0 &&
				    json_is_boolean(json_object_get(d, "rotational")))
					h->rotational_data = h->rotational_data == 1 ? 1 :
						json_is_true(json_object_get(d, "rotational"));
		}
	}
	json_array_foreach(json_object_get(o, "nics"), i, x) {
		if (json_is_true(json_object_get(x, "virtual")))
			continue;
		if (!isnan(jnum(x, "speed_mbps")))
			add_part(h->nics, sizeof(h->nics), ", ", "%s %.0f Mb/s", jstr(x, "name"),
				 jnum(x, "speed_mbps"));
		else
			add_part(h->nics, sizeof(h->nics), ", ", "%s speed unknown", jstr(x, "name"));
	}
	snprintf(h->virt, sizeof(h->virt), "%s%s%s", jstr(o, "virtualization")[0] ?
		 jstr(o, "virtualization") : "unknown", jstr(o, "container")[0] ? ", container " : "",
		 jstr(o, "container"));
	if (jstr(o, "dmi_product")[0])
		add_part(h->virt, sizeof(h->virt), " ", "(%s %s)", jstr(o, "dmi_vendor"), jstr(o, "dmi_product"));
}

static void load_hosts(struct evidence *ev)
{
	static const char *const places[] = { "host.json", "local/host.json" };
	json_t *j = NULL, *arr, *x;
	size_t i;

	for (i = 0; i < 2 && !j; i++) {
		char path[4400];

		path_of(ev, places[i], path, sizeof(path));
		if (is_file(path))
			j = load_json(ev, places[i], 0);
	}
	if (!j)
		return;
	/* {"hosts":[...]}, [...], or one host object */
	arr = json_is_object(j) && json_is_array(json_object_get(j, "hosts")) ? json_object_get(j, "hosts") :
	      json_is_array(j) ? j : NULL;
	ev->hosts = calloc(EV_MAX_HOSTS, sizeof(*ev->hosts));
	if (!ev->hosts) {
		json_decref(j);
		return;
	}
	if (!arr && json_is_object(j)) {
		host_from_json(&ev->hosts[ev->nhosts++], j);
	} else {
		json_array_foreach(arr, i, x)
			if (json_is_object(x) && ev->nhosts < EV_MAX_HOSTS)
				host_from_json(&ev->hosts[ev->nhosts++], x);
	}
	json_decref(j);
}

/* ---- workload/ ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_workload(struct evidence *ev)
{
	struct ev_workload *wl = &ev->wl;
	char dir[4400], path[4700], *names[64];
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;

	wl->exit_status = -1;
	workload_init(&wl->w);
	path_of(ev, "workload", dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.' && (names[n] = strdup(de->d_name)))
			n++;
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	wl->present = n > 0;
	for (i = 0; i < n; i++) {
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!strncmp(names[i], "command", 7) && (fp = fopen(path, "r"))) {
			size_t got = fread(wl->command, 1, sizeof(wl->command) - 1, fp);

			wl->command[got] = '\0';
			while (got && (wl->command[got - 1] == '\n' || wl->command[got - 1] == '\r'))
				wl->command[--got] = '\0';
			fclose(fp);
		} else if (!strncmp(names[i], "exit_status", 11) && (fp = fopen(path, "r"))) {
			if (fscanf(fp, "%d", &wl->exit_status) != 1)
				wl->exit_status = -1;
			fclose(fp);
		}
	}
	/* output* first (scripts/stress-capture.sh), then any other file */
	for (i = 0; i < 2 * n && !wl->parsed; i++) {
		struct tp_error err;
		const char *nm = names[i % n];

		if ((i < n) != !strncmp(nm, "output", 6))
			continue;
		if (!strncmp(nm, "command", 7) || !strncmp(nm, "exit_status", 11))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, nm);
		if (!is_file(path))
			continue;
		workload_free(&wl->w);
		workload_init(&wl->w);
		tp_error_init(&err);
		if (workload_parse_file(path, &wl->w, &err) == 0) {
			wl->parsed = 1;
			scopy(wl->log, sizeof(wl->log), nm);
		} else if (!wl->error[0]) {
			snprintf(wl->error, sizeof(wl->error), "%.60s: %.200s", nm, err.msg);
			scopy(wl->log, sizeof(wl->log), nm);
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
}

/* ---- instances ---- */

static int add_instance(struct evidence *ev, const char *component, const char *address,
			const char *dir, struct instance **out)
{
	struct instance *in;

	if (ev->ninst == EV_MAX_INSTANCES)
		return -E2BIG;
	if (!ev->inst && !(ev->inst = calloc(EV_MAX_INSTANCES, sizeof(*ev->inst))))
		return -ENOMEM;
	in = &ev->inst[ev->ninst++];
	instance_init(in);
	scopy(in->component, sizeof(in->component), component);
	scopy(in->address, sizeof(in->address), address);
	scopy(in->dir, sizeof(in->dir), dir);
	*out = in;
	return 0;
}

static void split_address(struct instance *in)
{
	const char *c = strrchr(in->address, ':');

	if (!c)
		return;
	snprintf(in->host, sizeof(in->host), "%.*s", (int)(c - in->address), in->address);
	in->port = atoi(c + 1);
	if (in->host[0] == '[' && strlen(in->host) > 2) {
		memmove(in->host, in->host + 1, strlen(in->host));
		in->host[strlen(in->host) - 1] = '\0';
	}
}

static double metrics_window(json_t *files)
{
	double s0 = NAN, s1 = NAN;
	json_t *f;
	size_t i;

	json_array_foreach(files, i, f) {
		if (!strcmp(jstr(f, "name"), "metrics.txt"))
			s0 = jnum(f, "started_s");
		else if (!strcmp(jstr(f, "name"), "metrics-end.txt"))
			s1 = jnum(f, "started_s");
	}
	return s1 > s0 ? s1 - s0 : 0;
}

static int load_targets(struct evidence *ev, json_t *targets, struct tp_error *err)
{
	json_t *t;
	size_t i;
	int rc;

	json_array_foreach(targets, i, t) {
		struct instance_opts o;
		struct instance *in;
		char path[4400];
		json_t *f;
		size_t j, l = 0;

		if (!json_is_object(t) || !jstr(t, "dir")[0] || strstr(jstr(t, "dir"), "..") ||
		    strchr(jstr(t, "dir"), '/'))
			continue;
		if ((rc = add_instance(ev, jstr(t, "component"), jstr(t, "address"), jstr(t, "dir"), &in)) < 0) {
			if (rc == -E2BIG) {
				note(ev, "more than %d targets: the rest are left out", EV_MAX_INSTANCES);
				return 0;
			}
			return tp_error_set(err, rc, ev->bundle, 0, -1, "out of memory");
		}
		split_address(in);
		scopy(in->status, sizeof(in->status), jstr(t, "status"));
		scopy(in->reason, sizeof(in->reason), jstr(t, "reason"));
		json_array_foreach(json_object_get(t, "files"), j, f) {
			if (!strcmp(jstr(f, "status"), "ok") || l >= sizeof(in->failed_files))
				continue;
			l += (size_t)snprintf(in->failed_files + l, sizeof(in->failed_files) - l,
					      "%s%s (%s): %s %s", l ? "; " : "", jstr(f, "name"),
					      jstr(f, "what"), jstr(f, "status"), jstr(f, "reason"));
		}
		memset(&o, 0, sizeof(o));
		o.window_s = isnan(ev->requested_seconds) ? 0 : ev->requested_seconds;
		o.metrics_s = metrics_window(json_object_get(t, "files"));
		path_of(ev, in->dir, path, sizeof(path));
		if (!is_dir(path)) {
			instance_note(in, "its directory %s is missing from the bundle", in->dir);
			continue;
		}
		if ((rc = instance_load(in, path, &o, err)) < 0)
			return rc;
	}
	return 0;
}

/* Target directories when there is no manifest: tidb-*, tikv-*, pd-*. */
static int scan_targets(struct evidence *ev, struct tp_error *err)
{
	static const char *const roles[] = { "tidb-", "tikv-", "tiflash-", "pd-" };
	struct dirent **list = NULL;
	int n, i, rc = 0;

	n = scandir(ev->bundle, &list, NULL, alphasort);
	for (i = 0; i < n; i++) {
		size_t r;

		for (r = 0; r < 4 && rc == 0; r++) {
			struct instance_opts o = { 0, 0 };
			struct instance *in;
			char path[4400], role[16], addr[300];
			const char *name = list[i]->d_name, *dash;

			if (strncmp(name, roles[r], strlen(roles[r])) != 0)
				continue;
			path_of(ev, name, path, sizeof(path));
			if (!is_dir(path))
				continue;
			snprintf(role, sizeof(role), "%.*s", (int)strlen(roles[r]) - 1, roles[r]);
			/* <role>-<host>-<port> */
			dash = strrchr(name, '-');
			if (dash > name + strlen(roles[r]))
				snprintf(addr, sizeof(addr), "%.*s:%s", (int)(dash - name - strlen(roles[r])),
					 name + strlen(roles[r]), dash + 1);
			else
				snprintf(addr, sizeof(addr), "%.200s", name + strlen(roles[r]));
			if ((rc = add_instance(ev, role, addr, name, &in)) < 0)
				break;
			split_address(in);
			rc = instance_load(in, path, &o, err);
		}
		free(list[i]);
	}
	free(list);
	return rc == -E2BIG ? 0 : rc;
}

static int load_local(struct evidence *ev, struct tp_error *err)
{
	static const char *const names[] = { "local/profile.pb.gz", "local/profile.pb", "profile.pb.gz" };
	struct instance_opts o;
	struct instance *in;
	char path[4400], dir[4400];
	size_t i;
	int rc;

	for (i = 0; i < 3; i++) {
		path_of(ev, names[i], path, sizeof(path));
		if (is_file(path))
			break;
	}
	if (i == 3)
		return 0;
	if ((rc = add_instance(ev, "local", "local", i < 2 ? "local" : ".", &in)) < 0)
		return rc == -E2BIG ? 0 : tp_error_set(err, rc, ev->bundle, 0, -1, "out of memory");
	scopy(in->host, sizeof(in->host), "local");
	scopy(in->status, sizeof(in->status), "ok");
	memset(&o, 0, sizeof(o));
	o.window_s = isnan(ev->requested_seconds) ? 0 : ev->requested_seconds;
	path_of(ev, i < 2 ? "local" : ".", dir, sizeof(dir));
	return instance_load(in, dir, &o, err);
}

/* ---- series ---- */

static void load_series(struct evidence *ev)
{
	static const char *const names[] = { "io.jsonl", "local/io.jsonl", "threads.jsonl",
					     "local/threads.jsonl" };
	size_t i;

	series_init(&ev->series);
	for (i = 0; i < 4; i++) {
		struct tp_error err;
		char path[4400];

		path_of(ev, names[i], path, sizeof(path));
		if (!is_file(path) || ev->series_files[i / 2][0])
			continue;
		tp_error_init(&err);
		if (series_load(&ev->series, path, &err) < 0)
			note(ev, "%s: %s", names[i], err.msg);
		else
			scopy(ev->series_files[i / 2], sizeof(ev->series_files[0]), names[i]);
	}
	series_finish(&ev->series);
	if (ev->series.bad_lines)
		note(ev, "%llu lines of the IO/thread series were not understood",
		     (unsigned long long)ev->series.bad_lines);
}

/* Thread counts of local pools from the thread series. */
static void series_pools(struct evidence *ev)
{
	size_t i, k;
	int j;

	for (i = 0; i < ev->ninst; i++) {
		struct instance *in = &ev->inst[i];

		if (strcmp(in->component, "local") != 0)
			continue;
		for (j = 0; j < in->npools; j++)
			for (k = 0; k < ev->series.npools; k++) {
				const struct series_pool *sp = &ev->series.pools[k];

				if (strcmp(sp->pool, in->pools[j].name) == 0 && strcmp(sp->host, "local") == 0) {
					in->pools[j].threads = sp->threads;
					in->pools[j].metric_cores = sp->avg_cpu / 100;
				}
			}
	}
}

int evidence_load(const char *dir, struct evidence *ev, struct tp_error *err)
{
	json_t *targets = NULL;
	char path[4400];
	int rc;

	memset(ev, 0, sizeof(*ev));
	ev->requested_seconds = ev->actual_seconds = NAN;
	workload_init(&ev->wl.w);
	series_init(&ev->series);
	scopy(ev->bundle, sizeof(ev->bundle), dir);
	while (strlen(ev->bundle) > 1 && ev->bundle[strlen(ev->bundle) - 1] == '/')
		ev->bundle[strlen(ev->bundle) - 1] = '\0';
	if (!is_dir(ev->bundle))
		return tp_error_set(err, -ENOENT, dir, 0, -1, "not a directory");
	path_of(ev, "manifest.json", path, sizeof(path));
	if (!is_file(path)) {
		char p2[4400], p3[4400];

		path_of(ev, "local", p2, sizeof(p2));
		path_of(ev, "workload", p3, sizeof(p3));
		if (!is_dir(p2) && !is_dir(p3)) {
			DIR *d = opendir(ev->bundle);
			struct dirent *de;
			int any = 0;

			while (d && (de = readdir(d)))
				any |= !strncmp(de->d_name, "tidb-", 5) || !strncmp(de->d_name, "tikv-", 5) ||
				       !strncmp(de->d_name, "pd-", 3);
			if (d)
				closedir(d);
			if (!any)
				return tp_error_set(err, -EINVAL, dir, 0, -1,
						    "not a capture bundle: no manifest.json, no target, "
						    "local/ or workload/ directory");
		}
	}
	load_manifest(ev, &targets);
	load_topology(ev);
	load_hosts(ev);
	load_workload(ev);
	if (targets)
		rc = load_targets(ev, targets, err);
	else
		rc = scan_targets(ev, err);
	json_decref(targets);
	if (rc == 0)
		rc = load_local(ev, err);
	if (rc < 0)
		return rc;
	load_series(ev);
	series_pools(ev);
	return 0;
}

void evidence_free(struct evidence *ev)
{
	size_t i;

	if (!ev)
		return;
	for (i = 0; i < ev->ninst; i++)
		instance_free(&ev->inst[i]);
	free(ev->inst);
	free(ev->nodes);
	free(ev->hosts);
	workload_free(&ev->wl.w);
	series_free(&ev->series);
	ev->inst = NULL;
	ev->nodes = NULL;
	ev->hosts = NULL;
	ev->ninst = ev->nnodes = ev->nhosts = 0;
}

const struct instance *evidence_instance(const struct evidence *ev, const char *component,
					 const char *address)
{
	size_t i;

	for (i = 0; i < ev->ninst; i++)
		if (!strcmp(ev->inst[i].component, component) && !strcmp(ev->inst[i].address, address))
			return &ev->inst[i];
	return NULL;
}
