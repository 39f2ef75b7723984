/* hostinfo.c - see hostinfo.h. */
#include "collectors/host/hostinfo.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "analyzers/base/linereader.h"
#include "analyzers/bundle/schema.h"
#include "analyzers/base/text.h"

#define SMALL_FILE 4096

/* The flags worth showing in an issue (AVX2 and AVX-512 matter to
 * RocksDB and TiKV builds, arch_perfmon to perf hardware events, the
 * hypervisor flag to virtualisation). */
static const char *const notable_flags[] = {
	"sse4_2", "popcnt", "pclmulqdq", "aes", "avx", "avx2", "bmi2", "avx512f",
	"avx512bw", "avx512vl", "sha_ni", "arch_perfmon", "hypervisor", "constant_tsc",
	"nonstop_tsc", "rdtscp",
	/* arm64 Features */
	"asimd", "crc32", "pmull", "sha2", "atomics", "sve",
};

struct root {
	const char *dir;	/* "" for the running system */
};

/* Copy the C string s into dst[n], cut to fit. */
/* a + b into out[n], cut to fit (a cut path names nothing that exists). */
static void join(const char *a, const char *b, char *out, size_t n)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la >= n)
		la = n - 1;
	memcpy(out, a, la);
	if (lb >= n - la)
		lb = n - la - 1;
	memcpy(out + la, b, lb);
	out[la + lb] = '\0';
}

static void path_in(const struct root *r, const char *rel, char *out, size_t n)
{
	join(r->dir, rel, out, n);
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	n = strspn(s, " \t\n");
	if (n)
		memmove(s, s + n, strlen(s + n) + 1);
}

/* Read the small file root/rel into out (trimmed). 0 or -errno. */
static int read_small(const struct root *r, const char *rel, char *out, size_t n)
{
	char path[PATH_MAX];
	FILE *fp;
	size_t got;

	out[0] = '\0';
	path_in(r, rel, path, sizeof(path));
	fp = fopen(path, "re");
	if (!fp)
		return -errno;
	got = fread(out, 1, n - 1, fp);
	if (ferror(fp)) {
		int e = errno ? errno : EIO;

		fclose(fp);
		out[0] = '\0';
		return -e;
	}
	fclose(fp);
	out[got] = '\0';
	/* one value: up to the first NUL */
	trim(out);
	return 0;
}

static int read_long(const struct root *r, const char *rel, long *v)
{
	char buf[64], *end;
	long x;

	if (read_small(r, rel, buf, sizeof(buf)) < 0 || !buf[0])
		return -1;
	errno = 0;
	x = strtol(buf, &end, 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

/* The bracketed word of "a [b] c" (sysfs choice files); s itself when it
 * has no brackets. */
static void bracketed(const char *s, char *out, size_t n)
{
	const char *a = strchr(s, '['), *b = a ? strchr(a, ']') : NULL;

	if (a && b)
		snprintf(out, n, "%.*s", (int)(b - a - 1), a + 1);
	else
		str_copy(out, n, s);
}

static void copy(char *dst, size_t n, const char *s, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* ---- CPU ---- */

struct cpu_ids {
	long phys[1024], core[1024];
	size_t n;
	int nphys;
};

static void add_flag(struct hostinfo *h, const char *f, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(notable_flags) / sizeof(notable_flags[0]); i++)
		if (strlen(notable_flags[i]) == len && memcmp(notable_flags[i], f, len) == 0) {
			int j;

			for (j = 0; j < h->nflags; j++)
				if (strcmp(h->flags[j], notable_flags[i]) == 0)
					return;
			if (h->nflags < HOSTINFO_MAX_FLAGS)
				str_copy(h->flags[h->nflags++], sizeof(h->flags[0]), notable_flags[i]);
			return;
		}
}

static void scan_flags(struct hostinfo *h, const char *v, int x86)
{
	const char *p = v, *e;
	int avx2 = 0, pmu = 0;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		for (e = p; *e && *e != ' ' && *e != '\t'; e++)
			;
		if (e > p) {
			add_flag(h, p, (size_t)(e - p));
			avx2 |= e - p == 4 && memcmp(p, "avx2", 4) == 0;
			pmu |= e - p == 12 && memcmp(p, "arch_perfmon", 12) == 0;
		}
		p = e;
	}
	if (x86) {
		h->has_avx2 = avx2;
		h->has_arch_perfmon = pmu;
	}
}

static void cpu_pair(struct cpu_ids *ids, long phys, long core)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		if (ids->phys[i] == phys && ids->core[i] == core)
			return;
	if (ids->n < sizeof(ids->phys) / sizeof(ids->phys[0])) {
		ids->phys[ids->n] = phys;
		ids->core[ids->n++] = core;
	}
}

static int read_cpuinfo(const struct root *r, struct hostinfo *h)
{
	char path[PATH_MAX], impl[32] = "", part[32] = "";
	struct linereader *lr;
	struct tp_error err;
	struct cpu_ids *ids;
	const char *line;
	size_t len, i, j;
	long phys = -1, core = -1;
	double mhz_sum = 0;
	int mhz_n = 0, rc, have_flags = 0;

	path_in(r, "/proc/cpuinfo", path, sizeof(path));
	tp_error_init(&err);
	if ((rc = linereader_open(&lr, path, &err)) < 0)
		return rc;
	ids = calloc(1, sizeof(*ids));
	if (!ids) {
		linereader_close(lr);
		return -ENOMEM;
	}
	linereader_set_max_line(lr, 1 << 16);
	while ((rc = linereader_next(lr, &line, &len, &err)) > 0) {
		const char *colon = memchr(line, ':', len);
		char key[64], val[16384];
		size_t kl;

		if (len == 0) {
			if (phys >= 0 || core >= 0)
				cpu_pair(ids, phys, core);
			phys = core = -1;
			continue;
		}
		if (!colon)
			continue;
		kl = (size_t)(colon - line);
		copy(key, sizeof(key), line, kl);
		trim(key);
		copy(val, sizeof(val), colon + 1, len - kl - 1);
		trim(val);
		if (strcmp(key, "processor") == 0 && isdigit((unsigned char)val[0]))
			h->threads++;
		else if (strcmp(key, "model name") == 0 && !h->cpu_model[0])
			str_copy(h->cpu_model, sizeof(h->cpu_model), val);
		else if (strcmp(key, "physical id") == 0)
			phys = strtol(val, NULL, 10);
		else if (strcmp(key, "core id") == 0)
			core = strtol(val, NULL, 10);
		else if (strcmp(key, "cpu MHz") == 0) {
			mhz_sum += strtod(val, NULL);
			mhz_n++;
		} else if ((strcmp(key, "flags") == 0 || strcmp(key, "Features") == 0) && !have_flags) {
			scan_flags(h, val, strcmp(key, "flags") == 0);
			have_flags = 1;
		} else if (strcmp(key, "CPU implementer") == 0 && !impl[0]) {
			str_copy(impl, sizeof(impl), val);
		} else if (strcmp(key, "CPU part") == 0 && !part[0]) {
			str_copy(part, sizeof(part), val);
		}
	}
	if (phys >= 0 || core >= 0)
		cpu_pair(ids, phys, core);
	linereader_close(lr);
	if (rc < 0) {
		free(ids);
		return rc;
	}
	if (!h->cpu_model[0] && impl[0])
		snprintf(h->cpu_model, sizeof(h->cpu_model), "implementer %s part %s", impl,
			 part[0] ? part : "?");
	if (mhz_n)
		h->mhz = mhz_sum / mhz_n;
	if (ids->n) {
		/* distinct physical ids, and distinct (physical, core) pairs */
		for (i = 0; i < ids->n; i++) {
			for (j = 0; j < i && ids->phys[j] != ids->phys[i]; j++)
				;
			if (j == i)
				h->sockets++;
		}
		h->cores = (int)ids->n;
	} else if (h->threads) {
		h->sockets = 0;	/* unknown */
		h->cores = 0;
	}
	free(ids);
	return 0;
}

static void read_cpufreq(const struct root *r, struct hostinfo *h)
{
	char buf[64];
	long khz;

	if (read_long(r, "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", &khz) == 0 && khz > 0)
		h->mhz_max = (double)khz / 1000;
	if (read_small(r, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", buf, sizeof(buf)) == 0)
		str_copy(h->governor, sizeof(h->governor), buf);
}

/* ---- memory ---- */

static int read_meminfo(const struct root *r, struct hostinfo *h)
{
	char path[PATH_MAX];
	struct linereader *lr;
	struct tp_error err;
	const char *line;
	size_t len;
	int rc;

	path_in(r, "/proc/meminfo", path, sizeof(path));
	tp_error_init(&err);
	if ((rc = linereader_open(&lr, path, &err)) < 0)
		return rc;
	linereader_set_max_line(lr, 4096);
	while ((rc = linereader_next(lr, &line, &len, &err)) > 0) {
		char key[64];
		unsigned long long kb;
		const char *colon = memchr(line, ':', len);
		char val[128];

		if (!colon || (size_t)(colon - line) >= sizeof(key))
			continue;
		copy(key, sizeof(key), line, (size_t)(colon - line));
		copy(val, sizeof(val), colon + 1, len - (size_t)(colon - line) - 1);
		if (sscanf(val, "%llu", &kb) != 1 || kb > UINT64_MAX / 1024)
			continue;
		if (strcmp(key, "MemTotal") == 0)
			h->mem_total = kb * 1024;
		else if (strcmp(key, "MemAvailable") == 0)
			h->mem_available = kb * 1024;
		else if (strcmp(key, "SwapTotal") == 0)
			h->swap_total = kb * 1024;
	}
	linereader_close(lr);
	return rc < 0 ? rc : 0;
}

static int numbered(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p;

	if (strncmp(name, prefix, n) != 0 || !name[n])
		return 0;
	for (p = name + n; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return 1;
}

static void read_numa(const struct root *r, struct hostinfo *h)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	path_in(r, "/sys/devices/system/node", path, sizeof(path));
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (numbered(de->d_name, "node"))
			h->numa_nodes++;
	closedir(d);
}

static void read_vm(const struct root *r, struct hostinfo *h)
{
	char buf[128];
	long v;

	if (read_small(r, "/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)) == 0 && buf[0])
		bracketed(buf, h->thp, sizeof(h->thp));
	if (read_long(r, "/proc/sys/vm/swappiness", &v) == 0)
		h->swappiness = (int)v;
}

/* ---- kernel, distribution ---- */

static void unquote(const char *v, char *out, size_t n)
{
	size_t o = 0;
	char q = 0;

	if (*v == '"' || *v == '\'')
		q = *v++;
	for (; *v && o + 1 < n; v++) {
		if (q && *v == q)
			break;
		if (q == '"' && *v == '\\' && v[1])
			v++;
		out[o++] = *v;
	}
	out[o] = '\0';
}

static void read_os_release(const struct root *r, struct hostinfo *h)
{
	static const char *const files[] = { "/etc/os-release", "/usr/lib/os-release" };
	char buf[SMALL_FILE], name[128] = "", version[128] = "";
	size_t i;

	for (i = 0; i < 2; i++) {
		char *line, *save = NULL;

		if (read_small(r, files[i], buf, sizeof(buf)) < 0)
			continue;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (strncmp(line, "PRETTY_NAME=", 12) == 0)
				unquote(line + 12, h->distro, sizeof(h->distro));
			else if (strncmp(line, "NAME=", 5) == 0)
				unquote(line + 5, name, sizeof(name));
			else if (strncmp(line, "VERSION=", 8) == 0)
				unquote(line + 8, version, sizeof(version));
			else if (strncmp(line, "VERSION_ID=", 11) == 0 && !version[0])
				unquote(line + 11, version, sizeof(version));
		}
		if (!h->distro[0] && name[0])
			snprintf(h->distro, sizeof(h->distro), "%s%s%s", name, version[0] ? " " : "",
				 version);
		return;
	}
}

static void read_kernel(const struct root *r, struct hostinfo *h)
{
	char buf[512];

	if (read_small(r, "/proc/sys/kernel/osrelease", buf, sizeof(buf)) == 0)
		str_copy(h->kernel, sizeof(h->kernel), buf);
	if (read_small(r, "/proc/sys/kernel/hostname", buf, sizeof(buf)) == 0)
		str_copy(h->hostname, sizeof(h->hostname), buf);
	if (read_small(r, "/proc/version", buf, sizeof(buf)) == 0)
		str_copy(h->kernel_version, sizeof(h->kernel_version), buf);
	if (read_small(r, "/proc/sys/kernel/arch", buf, sizeof(buf)) == 0 && buf[0]) {
		str_copy(h->arch, sizeof(h->arch), buf);
	} else if (!r->dir[0]) {
		struct utsname u;

		if (uname(&u) == 0)
			str_copy(h->arch, sizeof(h->arch), u.machine);
	}
}

/* ---- virtualisation ---- */

static int exists(const struct root *r, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	path_in(r, rel, path, sizeof(path));
	return lstat(path, &st) == 0;
}

static int contains_ci(const char *s, const char *w)
{
	return strcasestr(s, w) != NULL;
}

static void read_virt(const struct root *r, struct hostinfo *h)
{
	static const struct {
		const char *word, *name;
	} vendors[] = {
		{ "VMware", "vmware" }, { "QEMU", "kvm" }, { "KVM", "kvm" },
		{ "Amazon EC2", "kvm" }, { "Alibaba Cloud", "kvm" }, { "Google", "kvm" },
		{ "OpenStack", "kvm" }, { "Tencent Cloud", "kvm" }, { "innotek", "virtualbox" },
		{ "VirtualBox", "virtualbox" }, { "Xen", "xen" }, { "Parallels", "parallels" },
		{ "Bochs", "bochs" }, { "BHYVE", "bhyve" },
	};
	char buf[SMALL_FILE];
	size_t i;
	int j, hyper = 0;

	if (read_small(r, "/sys/class/dmi/id/sys_vendor", buf, sizeof(buf)) == 0)
		str_copy(h->dmi_vendor, sizeof(h->dmi_vendor), buf);
	if (read_small(r, "/sys/class/dmi/id/product_name", buf, sizeof(buf)) == 0)
		str_copy(h->dmi_product, sizeof(h->dmi_product), buf);
	for (j = 0; j < h->nflags; j++)
		hyper |= strcmp(h->flags[j], "hypervisor") == 0;
	if (strstr(h->dmi_vendor, "Microsoft") && strstr(h->dmi_product, "Virtual Machine"))
		snprintf(h->virtualization, sizeof(h->virtualization), "hyper-v");
	for (i = 0; i < sizeof(vendors) / sizeof(vendors[0]) && !h->virtualization[0]; i++)
		if (contains_ci(h->dmi_vendor, vendors[i].word) ||
		    contains_ci(h->dmi_product, vendors[i].word))
			str_copy(h->virtualization, sizeof(h->virtualization), vendors[i].name);
	if (!h->virtualization[0] && read_small(r, "/sys/hypervisor/type", buf, sizeof(buf)) == 0 &&
	    buf[0])
		str_copy(h->virtualization, sizeof(h->virtualization), buf);
	if (!h->virtualization[0] && hyper) {
		/* virtio devices (vendor 0x1af4, virtio_net) mean KVM/QEMU */
		int virtio = 0;

		for (j = 0; j < h->ndisks; j++)
			virtio |= strcmp(h->disks[j].vendor, "0x1af4") == 0;
		for (j = 0; j < h->nnics; j++)
			virtio |= strncmp(h->nics[j].driver, "virtio", 6) == 0;
		str_copy(h->virtualization, sizeof(h->virtualization), virtio ? "kvm" : "vm");
	} else if (!h->virtualization[0] && h->has_avx2 >= 0 && h->threads)
		snprintf(h->virtualization, sizeof(h->virtualization), "none");
	/* containers */
	if (exists(r, "/.dockerenv"))
		snprintf(h->container, sizeof(h->container), "docker");
	else if (exists(r, "/run/.containerenv"))
		snprintf(h->container, sizeof(h->container), "podman");
	if (read_small(r, "/proc/1/cgroup", buf, sizeof(buf)) == 0) {
		if (strstr(buf, "kubepods"))
			snprintf(h->container, sizeof(h->container), "kubernetes");
		else if (!h->container[0] && strstr(buf, "/docker"))
			snprintf(h->container, sizeof(h->container), "docker");
		else if (!h->container[0] && strstr(buf, "/lxc"))
			snprintf(h->container, sizeof(h->container), "lxc");
	}
}

/* ---- disks ---- */

static int skip_block(const char *name)
{
	static const char *const prefixes[] = { "loop", "ram", "zram", "sr", "fd", "nbd", "dm-" };
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

static void read_disks(const struct root *r, struct hostinfo *h)
{
	char path[PATH_MAX], rel[512], buf[256];
	struct dirent *de;
	DIR *d;
	long v;

	path_in(r, "/sys/block", path, sizeof(path));
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && h->ndisks < HOSTINFO_MAX_DISKS) {
		struct hostinfo_disk *k;

		if (de->d_name[0] == '.' || skip_block(de->d_name) || strlen(de->d_name) >= 64)
			continue;
		k = &h->disks[h->ndisks];
		memset(k, 0, sizeof(*k));
		str_copy(k->name, sizeof(k->name), de->d_name);
		snprintf(rel, sizeof(rel), "/sys/block/%s/size", k->name);
		if (read_long(r, rel, &v) == 0 && v > 0)
			k->size_bytes = (uint64_t)v * 512;
		else
			continue;	/* an empty device (no medium) */
		snprintf(rel, sizeof(rel), "/sys/block/%s/device/model", k->name);
		if (read_small(r, rel, buf, sizeof(buf)) == 0)
			str_copy(k->model, sizeof(k->model), buf);
		snprintf(rel, sizeof(rel), "/sys/block/%s/device/vendor", k->name);
		if (read_small(r, rel, buf, sizeof(buf)) == 0)
			str_copy(k->vendor, sizeof(k->vendor), buf);
		snprintf(rel, sizeof(rel), "/sys/block/%s/queue/rotational", k->name);
		k->rotational = read_long(r, rel, &v) == 0 ? (v != 0) : -1;
		snprintf(rel, sizeof(rel), "/sys/block/%s/queue/scheduler", k->name);
		if (read_small(r, rel, buf, sizeof(buf)) == 0 && buf[0])
			bracketed(buf, k->scheduler, sizeof(k->scheduler));
		h->ndisks++;
	}
	closedir(d);
}

/* The whole disk holding block device maj:min: "sda" for sda1, the first
 * underlying disk of a device-mapper or md device. "" when unknown. */
static void disk_of(const struct root *r, unsigned maj, unsigned min, char *out, size_t n)
{
	char rel[128], path[PATH_MAX], real[PATH_MAX], name[256];
	int depth;

	out[0] = '\0';
	snprintf(rel, sizeof(rel), "/sys/dev/block/%u:%u", maj, min);
	for (depth = 0; depth < 4; depth++) {
		char *slash;
		struct dirent *de;
		DIR *d;

		path_in(r, rel, path, sizeof(path));
		if (!realpath(path, real))
			return;
		slash = strrchr(real, '/');
		if (!slash)
			return;
		str_copy(name, sizeof(name), slash + 1);
		join(real, "/partition", path, sizeof(path));
		if (access(path, F_OK) == 0) {
			*slash = '\0';
			slash = strrchr(real, '/');
			if (slash)
				str_copy(out, n, slash + 1);
			return;
		}
		/* a stacked device: follow its first slave */
		join(real, "/slaves", path, sizeof(path));
		d = opendir(path);
		if (!d) {
			str_copy(out, n, name);
			return;
		}
		rel[0] = '\0';
		while ((de = readdir(d)))
			if (de->d_name[0] != '.') {
				snprintf(rel, sizeof(rel), "/sys/class/block/%.100s", de->d_name);
				break;
			}
		closedir(d);
		if (!rel[0]) {
			str_copy(out, n, name);
			return;
		}
	}
}

/* mountinfo escapes ' ', '\t', '\n' and '\\' as \ooo. */
static void unescape_octal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Is mount point m a path prefix (by components) of p? */
static size_t mount_covers(const char *m, const char *p)
{
	size_t n = strlen(m);

	if (strcmp(m, "/") == 0)
		return 1;
	if (strncmp(m, p, n) != 0 || (p[n] != '/' && p[n] != '\0'))
		return 0;
	return n;
}

static void resolve_dir(const struct root *r, struct hostinfo_dir *dd)
{
	char path[PATH_MAX], want[PATH_MAX], best_src[256] = "", best_fs[32] = "", best_opt[256] = "";
	struct linereader *lr;
	struct tp_error err;
	const char *line;
	size_t len, best = 0;
	unsigned bmaj = 0, bmin = 0;

	/* On the running system symlinks are resolved; under a test root the
	 * path is taken as given. */
	if (!r->dir[0] && realpath(dd->path, want)) {
		;
	} else {
		if (!r->dir[0]) {
			str_copy(dd->note, sizeof(dd->note), strerror(errno));
			return;
		}
		str_copy(want, sizeof(want), dd->path);
	}
	path_in(r, "/proc/self/mountinfo", path, sizeof(path));
	tp_error_init(&err);
	if (linereader_open(&lr, path, &err) < 0) {
		snprintf(dd->note, sizeof(dd->note), "cannot read /proc/self/mountinfo");
		return;
	}
	linereader_set_max_line(lr, 1 << 16);
	while (linereader_next(lr, &line, &len, &err) > 0) {
		char buf[8192], *f[12], *save = NULL, *tok, *dash;
		unsigned maj, min;
		size_t nf = 0, cov;

		copy(buf, sizeof(buf), line, len);
		dash = strstr(buf, " - ");
		if (!dash)
			continue;
		*dash = '\0';
		for (tok = strtok_r(buf, " ", &save); tok && nf < 6; tok = strtok_r(NULL, " ", &save))
			f[nf++] = tok;
		if (nf < 6 || sscanf(f[2], "%u:%u", &maj, &min) != 2)
			continue;
		unescape_octal(f[4]);
		cov = mount_covers(f[4], want);
		if (!cov || cov < best)
			continue;
		save = NULL;
		tok = strtok_r(dash + 3, " ", &save);	/* fstype */
		if (!tok)
			continue;
		best = cov;
		bmaj = maj;
		bmin = min;
		str_copy(dd->mount, sizeof(dd->mount), f[4]);
		str_copy(best_fs, sizeof(best_fs), tok);
		tok = strtok_r(NULL, " ", &save);	/* source */
		str_copy(best_src, sizeof(best_src), tok ? tok : "");
		if (tok)
			unescape_octal(best_src);
		str_copy(best_opt, sizeof(best_opt), f[5]);
	}
	linereader_close(lr);
	if (!best) {
		snprintf(dd->note, sizeof(dd->note), "no mount covers it");
		return;
	}
	dd->found = 1;
	str_copy(dd->fstype, sizeof(dd->fstype), best_fs);
	str_copy(dd->source, sizeof(dd->source), best_src);
	str_copy(dd->options, sizeof(dd->options), best_opt);
	if (bmaj != 0)
		disk_of(r, bmaj, bmin, dd->disk, sizeof(dd->disk));
	if (!dd->disk[0])
		snprintf(dd->note, sizeof(dd->note), "not on a block device (%s)", best_fs);
}

/* ---- network ---- */

static void read_nics(const struct root *r, struct hostinfo *h)
{
	char path[PATH_MAX], real[PATH_MAX], rel[512], buf[256];
	struct dirent *de;
	DIR *d;
	long v;
	ssize_t n;

	path_in(r, "/sys/class/net", path, sizeof(path));
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && h->nnics < HOSTINFO_MAX_NICS) {
		struct hostinfo_nic *c;

		if (de->d_name[0] == '.' || strcmp(de->d_name, "lo") == 0 || strlen(de->d_name) >= 64)
			continue;
		c = &h->nics[h->nnics++];
		memset(c, 0, sizeof(*c));
		str_copy(c->name, sizeof(c->name), de->d_name);
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/speed", c->name);
		c->speed_mbps = read_long(r, rel, &v) == 0 && v > 0 && v < INT32_MAX ? (int)v : -1;
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/operstate", c->name);
		if (read_small(r, rel, buf, sizeof(buf)) == 0)
			str_copy(c->operstate, sizeof(c->operstate), buf);
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/mtu", c->name);
		if (read_long(r, rel, &v) == 0 && v > 0 && v < INT32_MAX)
			c->mtu = (int)v;
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/device/driver", c->name);
		path_in(r, rel, path, sizeof(path));
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n > 0) {
			char *s;

			buf[n] = '\0';
			s = strrchr(buf, '/');
			str_copy(c->driver, sizeof(c->driver), s ? s + 1 : buf);
		}
		snprintf(rel, sizeof(rel), "/sys/class/net/%s/device", c->name);
		c->virtual_if = !exists(r, rel);
		snprintf(rel, sizeof(rel), "/sys/class/net/%s", c->name);
		path_in(r, rel, path, sizeof(path));
		if (realpath(path, real) && strstr(real, "/devices/virtual/"))
			c->virtual_if = 1;
	}
	closedir(d);
}

/* ---- entry ---- */

void hostinfo_init(struct hostinfo *h)
{
	memset(h, 0, sizeof(*h));
	h->has_avx2 = h->has_arch_perfmon = -1;
	h->swappiness = -1;
}

int hostinfo_collect(const char *root, const char *const *dirs, size_t ndirs,
		     struct hostinfo *h, struct tp_error *err)
{
	struct root r;
	char dir[PATH_MAX];
	int rc_cpu, rc_mem;
	size_t i;

	hostinfo_init(h);
	snprintf(h->source, sizeof(h->source), "%s", BUNDLE_HOST_LOCAL);
	if (ndirs > HOSTINFO_MAX_DIRS)
		return tp_error_set(err, -E2BIG, "", 0, -1, "at most %d data directories",
				    HOSTINFO_MAX_DIRS);
	str_copy(dir, sizeof(dir), root && strcmp(root, "/") != 0 ? root : "");
	/* no trailing slash: paths are root + "/proc/..." */
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	r.dir = dir;
	rc_cpu = read_cpuinfo(&r, h);
	rc_mem = read_meminfo(&r, h);
	if (rc_cpu < 0 && rc_mem < 0)
		return tp_error_set(err, rc_cpu == -ENOMEM ? -ENOMEM : -ENOENT, dir[0] ? dir : "/", 0, -1,
				    "neither proc/cpuinfo nor proc/meminfo can be read");
	read_cpufreq(&r, h);
	read_numa(&r, h);
	read_vm(&r, h);
	read_kernel(&r, h);
	read_os_release(&r, h);
	read_disks(&r, h);
	read_nics(&r, h);
	hostinfo_sort(h);
	read_virt(&r, h);
	for (i = 0; i < ndirs; i++) {
		struct hostinfo_dir *dd = &h->dirs[h->ndirs++];

		memset(dd, 0, sizeof(*dd));
		str_copy(dd->path, sizeof(dd->path), dirs[i]);
		resolve_dir(&r, dd);
	}
	return 0;
}

static int cmp_disk(const void *a, const void *b)
{
	return strcmp(((const struct hostinfo_disk *)a)->name, ((const struct hostinfo_disk *)b)->name);
}

static int cmp_nic(const void *a, const void *b)
{
	return strcmp(((const struct hostinfo_nic *)a)->name, ((const struct hostinfo_nic *)b)->name);
}

void hostinfo_sort(struct hostinfo *h)
{
	if (h->ndisks > 1)
		qsort(h->disks, (size_t)h->ndisks, sizeof(h->disks[0]), cmp_disk);
	if (h->nnics > 1)
		qsort(h->nics, (size_t)h->nnics, sizeof(h->nics[0]), cmp_nic);
}
