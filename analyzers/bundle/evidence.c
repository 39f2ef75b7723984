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
#include "analyzers/bundle/schema.h"
#include "analyzers/base/text.h"

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

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
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

/* The number at k, or dflt when there is none. */
static double jnum_or(json_t *o, const char *k, double dflt)
{
	double v = jnum(o, k);

	return isnan(v) ? dflt : v;
}

/* ---- manifest.json ---- */

static void load_manifest(struct evidence *ev, json_t **targets)
{
	json_t *m = load_json(ev, BUNDLE_MANIFEST, 0), *cmd, *sum, *x;
	size_t i, l = 0;

	*targets = NULL;
	if (!json_is_object(m)) {
		json_decref(m);
		return;
	}
	ev->has_manifest = 1;
	str_copy(ev->state, sizeof(ev->state), jstr(m, MANIFEST_STATE));
	str_copy(ev->started, sizeof(ev->started), jstr(m, MANIFEST_STARTED));
	str_copy(ev->ended, sizeof(ev->ended), jstr(m, MANIFEST_ENDED));
	ev->requested_seconds = jnum(m, MANIFEST_REQUESTED_SECONDS);
	ev->actual_seconds = jnum(m, MANIFEST_ACTUAL_SECONDS);
	if (!isnan(jnum(m, MANIFEST_FREQUENCY_HZ)))
		ev->frequency = (long)jnum(m, MANIFEST_FREQUENCY_HZ);
	cmd = json_object_get(m, MANIFEST_COMMAND);
	json_array_foreach(cmd, i, x) {
		if (json_is_string(x) && l + 2 < sizeof(ev->command)) {
			l += (size_t)snprintf(ev->command + l, sizeof(ev->command) - l, "%s%s",
					      i ? " " : "", json_string_value(x));
			if (l >= sizeof(ev->command))
				l = sizeof(ev->command) - 1;
		}
	}
	sum = json_object_get(m, MANIFEST_SUMMARY);
	if (json_is_object(sum)) {
		ev->targets = (size_t)fmax(0, jnum(sum, MANIFEST_SUMMARY_TARGETS));
		ev->ok = (size_t)fmax(0, jnum(sum, MANIFEST_SUMMARY_OK));
		ev->failed = (size_t)fmax(0, jnum(sum, MANIFEST_SUMMARY_FAILED));
		ev->truncated = (size_t)fmax(0, jnum(sum, MANIFEST_SUMMARY_TRUNCATED));
	}
	if (!strcmp(ev->state, MANIFEST_STATE_RUNNING))
		note(ev, BUNDLE_MANIFEST " says the capture is still running: it was killed "
			 "before it could finish");
	*targets = json_incref(json_object_get(m, MANIFEST_TARGETS));
	json_decref(m);
}

/* ---- topology.json ---- */

static void load_topology(struct evidence *ev)
{
	json_t *t = load_json(ev, BUNDLE_TOPOLOGY, !ev->has_manifest), *nodes, *nd;
	size_t i;

	if (!json_is_object(t)) {
		json_decref(t);
		return;
	}
	str_copy(ev->cluster_name, sizeof(ev->cluster_name), jstr(t, TOPOLOGY_NAME));
	str_copy(ev->cluster_version, sizeof(ev->cluster_version), jstr(t, TOPOLOGY_VERSION));
	nodes = json_object_get(t, TOPOLOGY_NODES);
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
			str_copy(e->component, sizeof(e->component), jstr(nd, TOPOLOGY_NODE_COMPONENT));
			str_copy(e->host, sizeof(e->host), jstr(nd, TOPOLOGY_NODE_HOST));
			str_copy(e->version, sizeof(e->version), jstr(nd, TOPOLOGY_NODE_VERSION));
			str_copy(e->status, sizeof(e->status), jstr(nd, TOPOLOGY_NODE_STATUS));
			e->port = (int)jnum_or(nd, TOPOLOGY_NODE_PORT, 0);
			e->status_port = (int)jnum_or(nd, TOPOLOGY_NODE_STATUS_PORT, 0);
			e->leader = json_is_true(json_object_get(nd, TOPOLOGY_NODE_LEADER));
			e->capacity = (int64_t)jnum_or(nd, TOPOLOGY_NODE_CAPACITY, -1);
			e->regions = (int64_t)jnum_or(nd, TOPOLOGY_NODE_REGIONS, -1);
			e->leaders = (int64_t)jnum_or(nd, TOPOLOGY_NODE_LEADERS, -1);
			labels = json_object_get(nd, TOPOLOGY_NODE_LABELS);
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
		str_copy(out + l, n - l, sep);
		l = strlen(out);
	}
	va_start(ap, fmt);
	if (l < n)
		vsnprintf(out + l, n - l, fmt, ap);
	va_end(ap);
}

static void host_from_json(struct ev_host *h, json_t *o)
{
	json_t *cpu = json_object_get(o, HOST_CPU), *mem = json_object_get(o, HOST_MEMORY), *x;
	char sz[32];
	size_t i;

	h->has_avx2 = h->has_pmu = h->rotational_data = -1;
	str_copy(h->source, sizeof(h->source), jstr(o, HOST_SOURCE));
	str_copy(h->name, sizeof(h->name), jstr(o, HOST_HOSTNAME)[0] ? jstr(o, HOST_HOSTNAME) : h->source);
	str_copy(h->distro, sizeof(h->distro), jstr(o, HOST_DISTRO));
	snprintf(h->kernel, sizeof(h->kernel), "%s%s%s%s", jstr(o, HOST_KERNEL),
		 jstr(o, HOST_ARCH)[0] ? " (" : "", jstr(o, HOST_ARCH), jstr(o, HOST_ARCH)[0] ? ")" : "");
	if (json_is_object(cpu)) {
		add_part(h->cpu, sizeof(h->cpu), ", ", "%s", jstr(cpu, HOST_CPU_MODEL)[0] ?
			 jstr(cpu, HOST_CPU_MODEL) : "unknown model");
		if (!isnan(jnum(cpu, HOST_CPU_SOCKETS)))
			add_part(h->cpu, sizeof(h->cpu), ", ", "%.0f socket%s", jnum(cpu, HOST_CPU_SOCKETS),
				 jnum(cpu, HOST_CPU_SOCKETS) == 1 ? "" : "s");
		if (!isnan(jnum(cpu, HOST_CPU_CORES)))
			add_part(h->cpu, sizeof(h->cpu), ", ", "%.0f cores", jnum(cpu, HOST_CPU_CORES));
		if (!isnan(jnum(cpu, HOST_CPU_THREADS))) {
			add_part(h->cpu, sizeof(h->cpu), ", ", "%.0f threads", jnum(cpu, HOST_CPU_THREADS));
			h->threads = (int)jnum(cpu, HOST_CPU_THREADS);
		}
		if (!isnan(jnum(cpu, HOST_CPU_MHZ)))
			add_part(h->cpu, sizeof(h->cpu), ", ", "%.0f MHz", jnum(cpu, HOST_CPU_MHZ));
		if (!isnan(jnum(cpu, HOST_CPU_MHZ_MAX)))
			add_part(h->cpu, sizeof(h->cpu), " ", "(max %.0f MHz)", jnum(cpu, HOST_CPU_MHZ_MAX));
		if (json_is_boolean(json_object_get(cpu, HOST_CPU_AVX2)))
			h->has_avx2 = json_is_true(json_object_get(cpu, HOST_CPU_AVX2));
		if (json_is_boolean(json_object_get(cpu, HOST_CPU_ARCH_PERFMON)))
			h->has_pmu = json_is_true(json_object_get(cpu, HOST_CPU_ARCH_PERFMON));
		snprintf(h->flags, sizeof(h->flags), "AVX2 %s, arch_perfmon (PMU) %s",
			 h->has_avx2 < 0 ? "unknown" : h->has_avx2 ? "yes" : "no",
			 h->has_pmu < 0 ? "unknown" : h->has_pmu ? "yes" : "no");
	}
	if (json_is_object(mem)) {
		if (!isnan(jnum(mem, HOST_MEM_TOTAL))) {
			bytesize_format((uint64_t)jnum(mem, HOST_MEM_TOTAL), sz, sizeof(sz));
			add_part(h->memory, sizeof(h->memory), ", ", "%s", sz);
		}
		if (!isnan(jnum(mem, HOST_MEM_SWAP))) {
			bytesize_format((uint64_t)jnum(mem, HOST_MEM_SWAP), sz, sizeof(sz));
			add_part(h->memory, sizeof(h->memory), ", ", "swap %s", sz);
		}
		if (!isnan(jnum(mem, HOST_MEM_NUMA_NODES)))
			add_part(h->memory, sizeof(h->memory), ", ", "%.0f NUMA node%s", jnum(mem, HOST_MEM_NUMA_NODES),
				 jnum(mem, HOST_MEM_NUMA_NODES) == 1 ? "" : "s");
		if (jstr(mem, HOST_MEM_THP)[0])
			add_part(h->memory, sizeof(h->memory), ", ", "THP %s", jstr(mem, HOST_MEM_THP));
	}
	json_array_foreach(json_object_get(o, HOST_DISKS), i, x) {
		double size = jnum(x, HOST_DISK_SIZE);
		json_t *rot = json_object_get(x, HOST_DISK_ROTATIONAL);

		sz[0] = '\0';
		if (!isnan(size))
			bytesize_format((uint64_t)size, sz, sizeof(sz));
		add_part(h->disks, sizeof(h->disks), "; ", "%s: %s%s%s%s %s, %s, scheduler %s",
			 jstr(x, HOST_DISK_NAME),
			 jstr(x, HOST_DISK_MODEL)[0] ? jstr(x, HOST_DISK_MODEL) : "model unknown",
			 jstr(x, HOST_DISK_VENDOR)[0] ? " (" : "", jstr(x, HOST_DISK_VENDOR),
			 jstr(x, HOST_DISK_VENDOR)[0] ? ")" : "",
			 sz[0] ? sz : "size unknown",
			 json_is_boolean(rot) ? (json_is_true(rot) ? "rotational (HDD)" : "non-rotational (SSD)")
					      : "rotational unknown",
			 jstr(x, HOST_DISK_SCHEDULER)[0] ? jstr(x, HOST_DISK_SCHEDULER) : "unknown");
	}
	json_array_foreach(json_object_get(o, HOST_DATA_DIRS), i, x) {
		if (!jstr(x, HOST_DIR_MOUNT)[0]) {
			add_part(h->dirs, sizeof(h->dirs), "; ", "%s: %s", jstr(x, HOST_DIR_PATH),
				 jstr(x, HOST_DIR_NOTE)[0] ? jstr(x, HOST_DIR_NOTE) : "not found");
			continue;
		}
		add_part(h->dirs, sizeof(h->dirs), "; ", "%s: %s on %s (%s%s%s)", jstr(x, HOST_DIR_PATH),
			 jstr(x, HOST_DIR_MOUNT), jstr(x, HOST_DIR_SOURCE), jstr(x, HOST_DIR_FSTYPE),
			 jstr(x, HOST_DIR_DISK)[0] ? ", disk " : "", jstr(x, HOST_DIR_DISK));
		if (jstr(x, HOST_DIR_DISK)[0]) {
			json_t *d;
			size_t j;

			json_array_foreach(json_object_get(o, HOST_DISKS), j, d)
				if (strcmp(jstr(d, HOST_DISK_NAME), jstr(x, HOST_DIR_DISK)) == 0 &&
				    json_is_boolean(json_object_get(d, HOST_DISK_ROTATIONAL)))
					h->rotational_data = h->rotational_data == 1 ? 1 :
						json_is_true(json_object_get(d, HOST_DISK_ROTATIONAL));
		}
	}
	json_array_foreach(json_object_get(o, HOST_NICS), i, x) {
		if (json_is_true(json_object_get(x, HOST_NIC_VIRTUAL)))
			continue;
		if (!isnan(jnum(x, HOST_NIC_SPEED)))
			add_part(h->nics, sizeof(h->nics), ", ", "%s %.0f Mb/s", jstr(x, HOST_NIC_NAME),
				 jnum(x, HOST_NIC_SPEED));
		else
			add_part(h->nics, sizeof(h->nics), ", ", "%s speed unknown", jstr(x, HOST_NIC_NAME));
	}
	snprintf(h->virt, sizeof(h->virt), "%s%s%s", jstr(o, HOST_VIRTUALIZATION)[0] ?
		 jstr(o, HOST_VIRTUALIZATION) : "unknown", jstr(o, HOST_CONTAINER)[0] ? ", container " : "",
		 jstr(o, HOST_CONTAINER));
	if (jstr(o, HOST_DMI_PRODUCT)[0])
		add_part(h->virt, sizeof(h->virt), " ", "(%s %s)", jstr(o, HOST_DMI_VENDOR),
			 jstr(o, HOST_DMI_PRODUCT));
}

static void load_hosts(struct evidence *ev)
{
	static const char *const places[] = { BUNDLE_HOSTS, BUNDLE_LOCAL "/" BUNDLE_HOSTS };
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
	arr = json_is_object(j) && json_is_array(json_object_get(j, HOSTS_HOSTS)) ?
	      json_object_get(j, HOSTS_HOSTS) :
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
	path_of(ev, BUNDLE_WORKLOAD, dir, sizeof(dir));
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
		if (starts(names[i], BUNDLE_WORKLOAD_COMMAND) && (fp = fopen(path, "r"))) {
			size_t got = fread(wl->command, 1, sizeof(wl->command) - 1, fp);

			wl->command[got] = '\0';
			while (got && (wl->command[got - 1] == '\n' || wl->command[got - 1] == '\r'))
				wl->command[--got] = '\0';
			fclose(fp);
		} else if (starts(names[i], BUNDLE_WORKLOAD_EXIT) && (fp = fopen(path, "r"))) {
			if (fscanf(fp, "%d", &wl->exit_status) != 1)
				wl->exit_status = -1;
			fclose(fp);
		}
	}
	/* output* first (scripts/stress-capture.sh), then any other file */
	for (i = 0; i < 2 * n && !wl->parsed; i++) {
		struct tp_error err;
		const char *nm = names[i % n];

		if ((i < n) != starts(nm, BUNDLE_WORKLOAD_OUTPUT))
			continue;
		if (starts(nm, BUNDLE_WORKLOAD_COMMAND) || starts(nm, BUNDLE_WORKLOAD_EXIT))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, nm);
		if (!is_file(path))
			continue;
		workload_free(&wl->w);
		workload_init(&wl->w);
		tp_error_init(&err);
		if (workload_parse_file(path, &wl->w, &err) == 0) {
			wl->parsed = 1;
			str_copy(wl->log, sizeof(wl->log), nm);
		} else if (!wl->error[0]) {
			snprintf(wl->error, sizeof(wl->error), "%.60s: %.200s", nm, err.msg);
			str_copy(wl->log, sizeof(wl->log), nm);
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
	str_copy(in->component, sizeof(in->component), component);
	str_copy(in->address, sizeof(in->address), address);
	str_copy(in->dir, sizeof(in->dir), dir);
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
		if (!strcmp(jstr(f, MANIFEST_FILE_NAME), BUNDLE_METRICS))
			s0 = jnum(f, MANIFEST_FILE_STARTED_S);
		else if (!strcmp(jstr(f, MANIFEST_FILE_NAME), BUNDLE_METRICS_END))
			s1 = jnum(f, MANIFEST_FILE_STARTED_S);
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
		const char *dir;
		json_t *f, *files;
		size_t j, l = 0;

		dir = jstr(t, MANIFEST_TARGET_DIR);
		if (!json_is_object(t) || !dir[0] || strstr(dir, "..") || strchr(dir, '/'))
			continue;
		rc = add_instance(ev, jstr(t, MANIFEST_TARGET_COMPONENT),
				  jstr(t, MANIFEST_TARGET_ADDRESS), dir, &in);
		if (rc < 0) {
			if (rc == -E2BIG) {
				note(ev, "more than %d targets: the rest are left out", EV_MAX_INSTANCES);
				return 0;
			}
			return tp_error_set(err, rc, ev->bundle, 0, -1, "out of memory");
		}
		split_address(in);
		str_copy(in->status, sizeof(in->status), jstr(t, MANIFEST_TARGET_STATUS));
		str_copy(in->reason, sizeof(in->reason), jstr(t, MANIFEST_TARGET_REASON));
		files = json_object_get(t, MANIFEST_TARGET_FILES);
		json_array_foreach(files, j, f) {
			if (!strcmp(jstr(f, MANIFEST_FILE_STATUS), MANIFEST_STATUS_OK) ||
			    l >= sizeof(in->failed_files))
				continue;
			l += (size_t)snprintf(in->failed_files + l, sizeof(in->failed_files) - l,
					      "%s%s (%s): %s %s", l ? "; " : "",
					      jstr(f, MANIFEST_FILE_NAME), jstr(f, MANIFEST_FILE_WHAT),
					      jstr(f, MANIFEST_FILE_STATUS), jstr(f, MANIFEST_FILE_REASON));
		}
		memset(&o, 0, sizeof(o));
		o.window_s = isnan(ev->requested_seconds) ? 0 : ev->requested_seconds;
		o.metrics_s = metrics_window(files);
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
	static const char *const roles[] = {
		BUNDLE_ROLE_TIDB BUNDLE_TARGET_SEP, BUNDLE_ROLE_TIKV BUNDLE_TARGET_SEP,
		BUNDLE_ROLE_TIFLASH BUNDLE_TARGET_SEP, BUNDLE_ROLE_PD BUNDLE_TARGET_SEP,
	};
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
			dash = strrchr(name, BUNDLE_TARGET_SEP[0]);
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
	static const char *const names[] = {
		BUNDLE_LOCAL "/" BUNDLE_LOCAL_PROFILE, BUNDLE_LOCAL "/" BUNDLE_PROFILE_PB,
		BUNDLE_LOCAL_PROFILE,
	};
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
	rc = add_instance(ev, BUNDLE_ROLE_LOCAL, BUNDLE_HOST_LOCAL, i < 2 ? BUNDLE_LOCAL : ".", &in);
	if (rc < 0)
		return rc == -E2BIG ? 0 : tp_error_set(err, rc, ev->bundle, 0, -1, "out of memory");
	str_copy(in->host, sizeof(in->host), BUNDLE_HOST_LOCAL);
	str_copy(in->status, sizeof(in->status), MANIFEST_STATUS_OK);
	memset(&o, 0, sizeof(o));
	o.window_s = isnan(ev->requested_seconds) ? 0 : ev->requested_seconds;
	path_of(ev, i < 2 ? BUNDLE_LOCAL : ".", dir, sizeof(dir));
	return instance_load(in, dir, &o, err);
}

/* ---- series ---- */

static void load_series(struct evidence *ev)
{
	static const char *const names[] = {
		BUNDLE_IO_SERIES, BUNDLE_LOCAL "/" BUNDLE_IO_SERIES,
		BUNDLE_THREAD_SERIES, BUNDLE_LOCAL "/" BUNDLE_THREAD_SERIES,
	};
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
			str_copy(ev->series_files[i / 2], sizeof(ev->series_files[0]), names[i]);
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

		if (strcmp(in->component, BUNDLE_ROLE_LOCAL) != 0)
			continue;
		for (j = 0; j < in->npools; j++)
			for (k = 0; k < ev->series.npools; k++) {
				const struct series_pool *sp = &ev->series.pools[k];

				if (strcmp(sp->pool, in->pools[j].name) == 0 &&
				    strcmp(sp->host, BUNDLE_HOST_LOCAL) == 0) {
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
	str_copy(ev->bundle, sizeof(ev->bundle), dir);
	while (strlen(ev->bundle) > 1 && ev->bundle[strlen(ev->bundle) - 1] == '/')
		ev->bundle[strlen(ev->bundle) - 1] = '\0';
	if (!is_dir(ev->bundle))
		return tp_error_set(err, -ENOENT, dir, 0, -1, "not a directory");
	path_of(ev, BUNDLE_MANIFEST, path, sizeof(path));
	if (!is_file(path)) {
		char p2[4400], p3[4400];

		path_of(ev, BUNDLE_LOCAL, p2, sizeof(p2));
		path_of(ev, BUNDLE_WORKLOAD, p3, sizeof(p3));
		if (!is_dir(p2) && !is_dir(p3)) {
			DIR *d = opendir(ev->bundle);
			struct dirent *de;
			int any = 0;

			while (d && (de = readdir(d)))
				any |= starts(de->d_name, BUNDLE_ROLE_TIDB BUNDLE_TARGET_SEP) ||
				       starts(de->d_name, BUNDLE_ROLE_TIKV BUNDLE_TARGET_SEP) ||
				       starts(de->d_name, BUNDLE_ROLE_PD BUNDLE_TARGET_SEP);
			if (d)
				closedir(d);
			if (!any)
				return tp_error_set(err, -EINVAL, dir, 0, -1,
						    "not a capture bundle: no " BUNDLE_MANIFEST ", no target, "
						    BUNDLE_LOCAL "/ or " BUNDLE_WORKLOAD "/ directory");
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
