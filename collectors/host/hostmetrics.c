/* hostmetrics.c - the rest of hostinfo.h: a remote host from
 * node_exporter's metrics, and the JSON form of a host (hostinfo.c reads
 * the local one). */
#include "collectors/host/hostinfo.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/jsonw.h"
#include "analyzers/bundle/schema.h"
#include "analyzers/metrics/promtext.h"
#include "analyzers/base/text.h"

static void copy(char *dst, size_t n, const char *s, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* Devices that are not disks (as hostinfo.c skips them). */
static int skip_block(const char *name)
{
	static const char *const prefixes[] = { "loop", "ram", "zram", "sr", "fd", "nbd", "dm-" };
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/* ---- node_exporter ---- */

struct nx {
	struct hostinfo *h;
	int any;
	int cpus[4096];		/* distinct "cpu" label values seen (capped) */
	int ncpus;
	long pkgs[256], cores[4096];
	int npkgs, ncores;
};

static int label_int(const struct promtext_sample *s, const char *name, long *v)
{
	size_t n;
	const char *p = promtext_label(s, name, &n);
	char buf[32], *end;

	if (!p || n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	*v = strtol(buf, &end, 10);
	return *end ? -1 : 0;
}

static void label_copy(const struct promtext_sample *s, const char *name, char *out, size_t n)
{
	size_t len;
	const char *p = promtext_label(s, name, &len);

	if (p && len && !out[0])
		copy(out, n, p, len);
}

static int name_is(const struct promtext_sample *s, const char *name)
{
	return s->name_len == strlen(name) && memcmp(s->name, name, s->name_len) == 0;
}

static uint64_t bytes_of(double v)
{
	return v > 0 && v < 1.8e19 ? (uint64_t)v : 0;
}

static int nx_sample(void *ctx, const struct promtext_sample *s)
{
	struct nx *x = ctx;
	struct hostinfo *h = x->h;
	long v, core;
	int i;

	if (s->name_len < 5 || memcmp(s->name, "node_", 5) != 0)
		return 0;
	if (name_is(s, "node_uname_info")) {
		label_copy(s, "nodename", h->hostname, sizeof(h->hostname));
		label_copy(s, "release", h->kernel, sizeof(h->kernel));
		label_copy(s, "version", h->kernel_version, sizeof(h->kernel_version));
		label_copy(s, "machine", h->arch, sizeof(h->arch));
	} else if (name_is(s, "node_os_info")) {
		label_copy(s, "pretty_name", h->distro, sizeof(h->distro));
	} else if (name_is(s, "node_dmi_info")) {
		label_copy(s, "system_vendor", h->dmi_vendor, sizeof(h->dmi_vendor));
		label_copy(s, "product_name", h->dmi_product, sizeof(h->dmi_product));
	} else if (name_is(s, "node_cpu_seconds_total")) {
		if (label_int(s, "cpu", &v) < 0 || v < 0)
			return 0;
		for (i = 0; i < x->ncpus && x->cpus[i] != v; i++)
			;
		if (i == x->ncpus && x->ncpus < (int)(sizeof(x->cpus) / sizeof(x->cpus[0])))
			x->cpus[x->ncpus++] = (int)v;
	} else if (name_is(s, "node_cpu_info")) {
		label_copy(s, "model_name", h->cpu_model, sizeof(h->cpu_model));
		if (label_int(s, "package", &v) == 0) {
			for (i = 0; i < x->npkgs && x->pkgs[i] != v; i++)
				;
			if (i == x->npkgs && x->npkgs < 256)
				x->pkgs[x->npkgs++] = v;
			if (label_int(s, "core", &core) == 0) {
				long key = v * 100000 + core;

				for (i = 0; i < x->ncores && x->cores[i] != key; i++)
					;
				if (i == x->ncores && x->ncores < 4096)
					x->cores[x->ncores++] = key;
			}
		}
	} else if (name_is(s, "node_cpu_scaling_frequency_max_hertz")) {
		if (s->value > h->mhz_max * 1e6)
			h->mhz_max = s->value / 1e6;
	} else if (name_is(s, "node_memory_MemTotal_bytes")) {
		h->mem_total = bytes_of(s->value);
	} else if (name_is(s, "node_memory_MemAvailable_bytes")) {
		h->mem_available = bytes_of(s->value);
	} else if (name_is(s, "node_memory_SwapTotal_bytes")) {
		h->swap_total = bytes_of(s->value);
	} else if (name_is(s, "node_network_speed_bytes")) {
		char dev[64] = "";

		label_copy(s, "device", dev, sizeof(dev));
		if (!dev[0] || strcmp(dev, "lo") == 0 || h->nnics >= HOSTINFO_MAX_NICS)
			return 0;
		memset(&h->nics[h->nnics], 0, sizeof(h->nics[0]));
		str_copy(h->nics[h->nnics].name, sizeof(h->nics[0].name), dev);
		h->nics[h->nnics].speed_mbps = s->value > 0 && s->value < 1e15 ?
					       (int)(s->value * 8 / 1e6) : -1;
		h->nnics++;
	} else if (name_is(s, "node_disk_info")) {
		struct hostinfo_disk *k;
		char dev[64] = "";

		label_copy(s, "device", dev, sizeof(dev));
		if (!dev[0] || skip_block(dev) || h->ndisks >= HOSTINFO_MAX_DISKS)
			return 0;
		k = &h->disks[h->ndisks++];
		memset(k, 0, sizeof(*k));
		k->rotational = -1;
		str_copy(k->name, sizeof(k->name), dev);
		label_copy(s, "model", k->model, sizeof(k->model));
	} else if (name_is(s, "node_filesystem_size_bytes")) {
		struct hostinfo_dir *dd;
		char mp[512] = "";

		label_copy(s, "mountpoint", mp, sizeof(mp));
		if (!mp[0] || h->ndirs >= HOSTINFO_MAX_DIRS || strncmp(mp, "/run", 4) == 0 ||
		    strncmp(mp, "/boot", 5) == 0)
			return 0;
		dd = &h->dirs[h->ndirs++];
		memset(dd, 0, sizeof(*dd));
		str_copy(dd->path, sizeof(dd->path), mp);
		str_copy(dd->mount, sizeof(dd->mount), mp);
		dd->found = 1;
		label_copy(s, "fstype", dd->fstype, sizeof(dd->fstype));
		label_copy(s, "device", dd->source, sizeof(dd->source));
		if (strncmp(dd->source, "/dev/", 5) == 0)
			str_copy(dd->disk, sizeof(dd->disk), dd->source + 5);
	} else {
		return 0;
	}
	x->any = 1;
	return 0;
}

int hostinfo_from_node_exporter(const char *name, const void *text, size_t len,
				struct hostinfo *h, struct tp_error *err)
{
	struct nx *x;
	int rc;

	hostinfo_init(h);
	str_copy(h->source, sizeof(h->source), name ? name : "node_exporter");
	x = calloc(1, sizeof(*x));
	if (!x)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	x->h = h;
	rc = promtext_parse(name ? name : "node_exporter", text, len, nx_sample, NULL, x, err);
	if (rc == 0 && !x->any)
		rc = tp_error_set(err, -ENODATA, name ? name : "", 0, -1,
				  "no node_exporter host metrics (node_uname_info, node_cpu_*, node_memory_*)");
	if (rc == 0) {
		h->threads = x->ncpus;
		h->sockets = x->npkgs;
		h->cores = x->ncores;
		hostinfo_sort(h);
	}
	free(x);
	return rc;
}

/* ---- JSON ---- */

static void kv_str(struct jsonw *w, const char *k, const char *v)
{
	if (v && v[0])
		jsonw_kv_string(w, k, v);
}

static void kv_pos(struct jsonw *w, const char *k, int64_t v)
{
	if (v > 0)
		jsonw_kv_int(w, k, v);
}

static void kv_tri(struct jsonw *w, const char *k, int v)
{
	if (v >= 0)
		jsonw_kv_bool(w, k, v);
}

void hostinfo_write_json(const struct hostinfo *h, struct jsonw *w)
{
	int i;

	jsonw_object_begin(w);
	kv_str(w, HOST_SOURCE, h->source);
	kv_str(w, HOST_HOSTNAME, h->hostname);
	kv_str(w, HOST_KERNEL, h->kernel);
	kv_str(w, HOST_KERNEL_VERSION, h->kernel_version);
	kv_str(w, HOST_ARCH, h->arch);
	kv_str(w, HOST_DISTRO, h->distro);
	jsonw_key(w, HOST_CPU);
	jsonw_object_begin(w);
	kv_str(w, HOST_CPU_MODEL, h->cpu_model);
	kv_pos(w, HOST_CPU_SOCKETS, h->sockets);
	kv_pos(w, HOST_CPU_CORES, h->cores);
	kv_pos(w, HOST_CPU_THREADS, h->threads);
	if (h->mhz > 0)
		jsonw_kv_double(w, HOST_CPU_MHZ, h->mhz, 0);
	if (h->mhz_max > 0)
		jsonw_kv_double(w, HOST_CPU_MHZ_MAX, h->mhz_max, 0);
	kv_str(w, HOST_CPU_GOVERNOR, h->governor);
	kv_tri(w, HOST_CPU_AVX2, h->has_avx2);
	kv_tri(w, HOST_CPU_ARCH_PERFMON, h->has_arch_perfmon);
	jsonw_key(w, HOST_CPU_FLAGS);
	jsonw_array_begin(w);
	for (i = 0; i < h->nflags; i++)
		jsonw_string(w, h->flags[i]);
	jsonw_array_end(w);
	jsonw_object_end(w);
	jsonw_key(w, HOST_MEMORY);
	jsonw_object_begin(w);
	kv_pos(w, HOST_MEM_TOTAL, (int64_t)(h->mem_total > INT64_MAX ? 0 : h->mem_total));
	kv_pos(w, HOST_MEM_AVAILABLE, (int64_t)(h->mem_available > INT64_MAX ? 0 : h->mem_available));
	if (h->mem_total)
		jsonw_kv_int(w, HOST_MEM_SWAP, (int64_t)(h->swap_total > INT64_MAX ? 0 : h->swap_total));
	kv_pos(w, HOST_MEM_NUMA_NODES, h->numa_nodes);
	kv_str(w, HOST_MEM_THP, h->thp);
	if (h->swappiness >= 0)
		jsonw_kv_int(w, HOST_MEM_SWAPPINESS, h->swappiness);
	jsonw_object_end(w);
	kv_str(w, HOST_VIRTUALIZATION, h->virtualization);
	kv_str(w, HOST_CONTAINER, h->container);
	kv_str(w, HOST_DMI_VENDOR, h->dmi_vendor);
	kv_str(w, HOST_DMI_PRODUCT, h->dmi_product);
	jsonw_key(w, HOST_DISKS);
	jsonw_array_begin(w);
	for (i = 0; i < h->ndisks; i++) {
		const struct hostinfo_disk *k = &h->disks[i];

		jsonw_object_begin(w);
		jsonw_kv_string(w, HOST_DISK_NAME, k->name);
		kv_str(w, HOST_DISK_MODEL, k->model);
		kv_str(w, HOST_DISK_VENDOR, k->vendor);
		kv_pos(w, HOST_DISK_SIZE, (int64_t)(k->size_bytes > INT64_MAX ? 0 : k->size_bytes));
		kv_tri(w, HOST_DISK_ROTATIONAL, k->rotational);
		kv_str(w, HOST_DISK_SCHEDULER, k->scheduler);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_key(w, HOST_DATA_DIRS);
	jsonw_array_begin(w);
	for (i = 0; i < h->ndirs; i++) {
		const struct hostinfo_dir *d = &h->dirs[i];

		jsonw_object_begin(w);
		jsonw_kv_string(w, HOST_DIR_PATH, d->path);
		if (d->found) {
			jsonw_kv_string(w, HOST_DIR_MOUNT, d->mount);
			kv_str(w, HOST_DIR_FSTYPE, d->fstype);
			kv_str(w, HOST_DIR_SOURCE, d->source);
			kv_str(w, HOST_DIR_OPTIONS, d->options);
			kv_str(w, HOST_DIR_DISK, d->disk);
		}
		kv_str(w, HOST_DIR_NOTE, d->note);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_key(w, HOST_NICS);
	jsonw_array_begin(w);
	for (i = 0; i < h->nnics; i++) {
		const struct hostinfo_nic *c = &h->nics[i];

		jsonw_object_begin(w);
		jsonw_kv_string(w, HOST_NIC_NAME, c->name);
		if (c->speed_mbps > 0)
			jsonw_kv_int(w, HOST_NIC_SPEED, c->speed_mbps);
		kv_str(w, HOST_NIC_OPERSTATE, c->operstate);
		kv_pos(w, HOST_NIC_MTU, c->mtu);
		kv_str(w, HOST_NIC_DRIVER, c->driver);
		if (c->virtual_if)
			jsonw_kv_bool(w, HOST_NIC_VIRTUAL, 1);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	jsonw_object_end(w);
}

void hostinfo_write_bundle_json(const struct hostinfo *const *hosts, size_t n, struct jsonw *w)
{
	size_t i;

	jsonw_object_begin(w);
	jsonw_kv_string(w, HOSTS_FORMAT, HOSTS_FORMAT_NAME);
	jsonw_kv_int(w, HOSTS_FORMAT_VERSION, HOSTS_FORMAT_NUMBER);
	jsonw_key(w, HOSTS_HOSTS);
	jsonw_array_begin(w);
	for (i = 0; i < n; i++)
		hostinfo_write_json(hosts[i], w);
	jsonw_array_end(w);
	jsonw_object_end(w);
}
