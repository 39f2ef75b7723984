/* hostinfo.h - what a host is: CPU, memory, disks, data directories,
 * kernel, distribution, network and virtualisation.
 *
 * Everything is read from files under a root directory (NULL or "/" for
 * the running system), so tests point it at a recorded tree:
 *   /proc/cpuinfo, /proc/meminfo, /proc/self/mountinfo,
 *   /proc/sys/kernel/{osrelease,hostname,arch}, /proc/version,
 *   /proc/sys/vm/swappiness, /proc/1/cgroup,
 *   /sys/devices/system/cpu/cpu0/cpufreq/, /sys/devices/system/node/,
 *   /sys/block/DEV/{size,device/model,device/vendor,queue/rotational,
 *   queue/scheduler}, /sys/dev/block/MAJ:MIN (data directory -> disk),
 *   /sys/class/net/IF/{speed,operstate,mtu,device/driver},
 *   /sys/class/dmi/id/{sys_vendor,product_name}, /sys/hypervisor/type,
 *   /sys/kernel/mm/transparent_hugepage/enabled,
 *   /etc/os-release (or /usr/lib/os-release), /.dockerenv,
 *   /run/.containerenv.
 * A file that is missing leaves its field unknown (empty string, -1 or 0
 * as each field says); nothing here fails because one source is absent.
 *
 * A remote host is described from node_exporter's /metrics instead
 * (hostinfo_from_node_exporter): node_uname_info, node_cpu_seconds_total,
 * node_cpu_info, node_memory_*, node_os_info, node_dmi_info,
 * node_network_speed_bytes, node_disk_info, node_filesystem_size_bytes.
 *
 * The record is transparent and has fixed-size fields (no allocation);
 * callers may want it on the heap (it is about 60 KiB).
 */
#ifndef TIPROF_HOSTINFO_H
#define TIPROF_HOSTINFO_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"

#define HOSTINFO_MAX_DISKS 48
#define HOSTINFO_MAX_NICS 32
#define HOSTINFO_MAX_DIRS 16
#define HOSTINFO_MAX_FLAGS 24

struct jsonw;

struct hostinfo_disk {
	char name[64];			/* "sda", "nvme0n1" */
	char model[128], vendor[64];	/* "" unknown */
	uint64_t size_bytes;		/* 0 unknown */
	int rotational;			/* 1 spinning, 0 not, -1 unknown */
	char scheduler[32];		/* the active IO scheduler, "" unknown */
};

struct hostinfo_dir {
	char path[512];			/* as given */
	int found;			/* a mount was found for it */
	char mount[512];		/* mount point */
	char fstype[32];
	char source[256];		/* "/dev/sda1", "overlay", ... */
	char options[256];		/* mount options */
	char disk[64];			/* the whole disk ("sda"), "" when not a block device */
	char note[160];			/* why something is unknown */
};

struct hostinfo_nic {
	char name[64];
	int speed_mbps;			/* -1 unknown (or no link) */
	char operstate[16];
	int mtu;			/* 0 unknown */
	char driver[64];
	int virtual_if;			/* not backed by a device */
};

struct hostinfo {
	char source[64];		/* "local" or the node_exporter HOST:PORT */
	char hostname[256];
	char kernel[128];		/* release: "6.1.0-18-amd64" */
	char kernel_version[256];	/* /proc/version */
	char arch[32];
	char distro[128];		/* PRETTY_NAME */
	/* CPU */
	char cpu_model[256];
	int sockets, cores, threads;	/* 0 unknown */
	double mhz, mhz_max;		/* 0 unknown */
	char governor[32];
	int nflags;
	char flags[HOSTINFO_MAX_FLAGS][24];	/* the notable ones present */
	int has_avx2, has_arch_perfmon;	/* 1, 0, or -1 unknown */
	/* memory */
	uint64_t mem_total, mem_available, swap_total;	/* bytes, 0 unknown */
	int numa_nodes;			/* 0 unknown */
	char thp[32];			/* transparent hugepages: "always", "madvise", "never" */
	int swappiness;			/* -1 unknown */
	/* virtualisation */
	char virtualization[32];	/* "none", "kvm", "vmware", "xen", "hyper-v", ...; "" unknown */
	char container[32];		/* "docker", "podman", "kubernetes", "lxc", ... or "" */
	char dmi_vendor[96], dmi_product[96];
	/* devices */
	struct hostinfo_disk disks[HOSTINFO_MAX_DISKS];
	int ndisks;
	struct hostinfo_dir dirs[HOSTINFO_MAX_DIRS];
	int ndirs;
	struct hostinfo_nic nics[HOSTINFO_MAX_NICS];
	int nnics;
};

/* Describe the host whose files are under root (NULL or "/": this one),
 * with the file system and disk of each data directory dirs[0..ndirs)
 * (at most HOSTINFO_MAX_DIRS; more is -E2BIG). 0, or a negative errno
 * when nothing at all could be read (root/proc/cpuinfo and
 * root/proc/meminfo both missing: -ENOENT, err says where). */
/* Disks and NICs in name order, as every host record keeps them. */
void hostinfo_sort(struct hostinfo *h);

int hostinfo_collect(const char *root, const char *const *dirs, size_t ndirs,
		     struct hostinfo *h, struct tp_error *err);

/* Describe a host from node_exporter's metrics text (gzip allowed). name
 * is the exporter's HOST:PORT (kept as the source). 0, -EBADMSG for
 * malformed text, -ENODATA when none of the metrics above is present. */
int hostinfo_from_node_exporter(const char *name, const void *text, size_t len,
				struct hostinfo *h, struct tp_error *err);

void hostinfo_init(struct hostinfo *h);

/* One JSON object with every known field (unknown ones left out). */
void hostinfo_write_json(const struct hostinfo *h, struct jsonw *w);

/* host.json of a capture bundle: {"format":"tiprof-hosts","hosts":[...]} */
void hostinfo_write_bundle_json(const struct hostinfo *const *hosts, size_t n,
				struct jsonw *w);

#endif
