/* test_hostinfo.c - the host description from fake roots
 * (tests/fixtures/host/, see its README.md) and from node_exporter text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/jsonw.h"
#include "collectors/host/hostinfo.h"
#include "check.h"

static const char *root(const char *name, char *out, size_t n)
{
	const char *t = getenv("TOP");

	snprintf(out, n, "%s/tests/fixtures/host/%s", t ? t : ".", name);
	return out;
}

static struct hostinfo *collect(const char *name, const char *const *dirs, size_t nd, int *rc)
{
	char path[1024];
	struct hostinfo *h = malloc(sizeof(*h));
	struct tp_error err;

	tp_error_init(&err);
	*rc = h ? hostinfo_collect(root(name, path, sizeof(path)), dirs, nd, h, &err) : -ENOMEM;
	if (*rc < 0)
		fprintf(stderr, "  %s: %s\n", name, err.msg);
	return h;
}

static int has_flag(const struct hostinfo *h, const char *f)
{
	int i;

	for (i = 0; i < h->nflags; i++)
		if (strcmp(h->flags[i], f) == 0)
			return 1;
	return 0;
}

static const struct hostinfo_disk *disk(const struct hostinfo *h, const char *name)
{
	int i;

	for (i = 0; i < h->ndisks; i++)
		if (strcmp(h->disks[i].name, name) == 0)
			return &h->disks[i];
	return NULL;
}

static void test_baremetal(void)
{
	static const char *const dirs[] = { "/data1/tikv", "/data1/tmp/x", "/mnt/my disk/db",
					    "/var/lib/pd", "/data10" };
	const struct hostinfo_disk *sda, *sdb, *nv;
	struct hostinfo *h;
	int rc;

	h = collect("baremetal", dirs, 5, &rc);
	CHECK_EQ_INT(rc, 0);
	if (rc < 0) {
		free(h);
		return;
	}
	CHECK_EQ_STR(h->source, "local");
	CHECK_EQ_STR(h->hostname, "tikv-1");
	CHECK_EQ_STR(h->kernel, "5.10.0-28-amd64");
	CHECK_EQ_STR(h->arch, "x86_64");
	CHECK_EQ_STR(h->distro, "Debian GNU/Linux 11 (bullseye)");
	CHECK_EQ_STR(h->cpu_model, "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
	CHECK_EQ_INT(h->sockets, 2);
	CHECK_EQ_INT(h->cores, 4);
	CHECK_EQ_INT(h->threads, 8);
	CHECK_EQ_INT((int)h->mhz, 2200);
	CHECK_EQ_INT((int)h->mhz_max, 3900);
	CHECK_EQ_STR(h->governor, "performance");
	CHECK_EQ_INT(h->has_avx2, 1);
	CHECK_EQ_INT(h->has_arch_perfmon, 1);
	CHECK(has_flag(h, "avx512f"));
	CHECK(has_flag(h, "arch_perfmon"));
	CHECK(!has_flag(h, "hypervisor"));
	CHECK(!has_flag(h, "vmx"));	/* not a notable flag */
	CHECK_EQ_INT(h->mem_total, 263842612ULL * 1024);
	CHECK_EQ_INT(h->mem_available, 200000000ULL * 1024);
	CHECK_EQ_INT(h->swap_total, 8388604ULL * 1024);
	CHECK_EQ_INT(h->numa_nodes, 2);
	CHECK_EQ_STR(h->thp, "never");
	CHECK_EQ_INT(h->swappiness, 1);
	CHECK_EQ_STR(h->virtualization, "none");
	CHECK_EQ_STR(h->container, "");
	CHECK_EQ_STR(h->dmi_vendor, "Dell Inc.");
	/* disks: sorted, loop0 skipped */
	CHECK_EQ_INT(h->ndisks, 3);
	CHECK_EQ_STR(h->disks[0].name, "nvme0n1");
	sda = disk(h, "sda");
	sdb = disk(h, "sdb");
	nv = disk(h, "nvme0n1");
	CHECK(sda && sdb && nv);
	if (sda && sdb && nv) {
		CHECK_EQ_STR(sda->model, "ST4000NM0035-1V4");
		CHECK_EQ_STR(sda->vendor, "ATA");
		CHECK_EQ_INT(sda->size_bytes, 7814037168ULL * 512);
		CHECK_EQ_INT(sda->rotational, 1);
		CHECK_EQ_STR(sda->scheduler, "bfq");
		CHECK_EQ_INT(sdb->rotational, 0);
		CHECK_EQ_STR(sdb->scheduler, "mq-deadline");
		CHECK_EQ_STR(nv->model, "Samsung SSD 980 PRO 1TB");
		CHECK_EQ_STR(nv->vendor, "");
		CHECK_EQ_STR(nv->scheduler, "none");
	}
	/* data directories */
	CHECK_EQ_INT(h->ndirs, 5);
	CHECK(h->dirs[0].found);
	CHECK_EQ_STR(h->dirs[0].mount, "/data1");
	CHECK_EQ_STR(h->dirs[0].fstype, "ext4");
	CHECK_EQ_STR(h->dirs[0].source, "/dev/nvme0n1p1");
	CHECK_EQ_STR(h->dirs[0].disk, "nvme0n1");
	CHECK_EQ_STR(h->dirs[0].options, "rw,noatime,nodelalloc");
	CHECK_EQ_STR(h->dirs[1].mount, "/data1/tmp");
	CHECK_EQ_STR(h->dirs[1].fstype, "tmpfs");
	CHECK_EQ_STR(h->dirs[1].disk, "");
	CHECK(strstr(h->dirs[1].note, "not on a block device") != NULL);
	CHECK_EQ_STR(h->dirs[2].mount, "/mnt/my disk");
	CHECK_EQ_STR(h->dirs[2].fstype, "xfs");
	CHECK_EQ_STR(h->dirs[2].disk, "sdb");
	CHECK_EQ_STR(h->dirs[3].mount, "/");
	CHECK_EQ_STR(h->dirs[3].disk, "sda");
	/* "/data10" is not under "/data1" */
	CHECK_EQ_STR(h->dirs[4].mount, "/");
	/* network: lo skipped, sorted */
	CHECK_EQ_INT(h->nnics, 2);
	CHECK_EQ_STR(h->nics[0].name, "docker0");
	CHECK_EQ_INT(h->nics[0].virtual_if, 1);
	CHECK_EQ_INT(h->nics[0].speed_mbps, -1);
	CHECK_EQ_STR(h->nics[1].name, "eno1");
	CHECK_EQ_INT(h->nics[1].speed_mbps, 10000);
	CHECK_EQ_INT(h->nics[1].mtu, 9000);
	CHECK_EQ_STR(h->nics[1].driver, "ixgbe");
	CHECK_EQ_INT(h->nics[1].virtual_if, 0);
	free(h);
}

static void test_cloud_vm(void)
{
	struct hostinfo *h;
	int rc;

	h = collect("aliyun-kvm", NULL, 0, &rc);
	CHECK_EQ_INT(rc, 0);
	if (rc == 0) {
		CHECK_EQ_STR(h->distro, "CentOS Linux 7 (Core)");
		CHECK_EQ_INT(h->threads, 4);
		CHECK_EQ_INT(h->cores, 2);
		CHECK_EQ_INT(h->sockets, 1);
		CHECK_EQ_INT(h->has_avx2, 1);
		CHECK_EQ_INT(h->has_arch_perfmon, 0);	/* no vPMU */
		CHECK(has_flag(h, "hypervisor"));
		CHECK_EQ_STR(h->virtualization, "kvm");
		CHECK_EQ_STR(h->dmi_product, "Alibaba Cloud ECS");
		CHECK_EQ_INT(h->swap_total, 0);
		CHECK_EQ_INT(h->numa_nodes, 0);	/* unknown: no /sys/devices/system/node */
		CHECK_EQ_INT(h->ndisks, 1);
		CHECK_EQ_STR(h->disks[0].vendor, "0x1af4");
		CHECK_EQ_INT(h->nnics, 1);
		CHECK_EQ_INT(h->nics[0].speed_mbps, -1);
		CHECK_EQ_STR(h->arch, "");	/* no proc/sys/kernel/arch under a test root */
	}
	free(h);
}

static void test_arm_container(void)
{
	static const char *const dirs[] = { "/var/lib/tikv" };
	struct hostinfo *h;
	int rc;

	h = collect("arm64-container", dirs, 1, &rc);
	CHECK_EQ_INT(rc, 0);
	if (rc == 0) {
		CHECK_EQ_STR(h->cpu_model, "implementer 0x41 part 0xd0c");
		CHECK_EQ_INT(h->threads, 2);
		CHECK_EQ_INT(h->sockets, 0);
		CHECK_EQ_INT(h->has_avx2, -1);
		CHECK_EQ_INT(h->has_arch_perfmon, -1);
		CHECK(has_flag(h, "asimd"));
		CHECK(has_flag(h, "crc32"));
		CHECK_EQ_STR(h->arch, "aarch64");
		CHECK_EQ_STR(h->distro, "Alpine Linux 3.19.1");
		CHECK_EQ_STR(h->container, "kubernetes");
		CHECK_EQ_STR(h->virtualization, "");
		CHECK_EQ_INT(h->ndisks, 0);
		CHECK_EQ_INT(h->nnics, 0);
		CHECK_EQ_INT(h->swappiness, -1);
		CHECK(h->dirs[0].found);
		CHECK_EQ_STR(h->dirs[0].fstype, "overlay");
		CHECK_EQ_STR(h->dirs[0].disk, "");
	}
	free(h);
}

static void test_empty_root(void)
{
	struct hostinfo *h;
	int rc;
	static const char *const many[HOSTINFO_MAX_DIRS + 1];

	h = collect("empty", NULL, 0, &rc);
	CHECK_EQ_INT(rc, -ENOENT);
	free(h);
	h = collect("baremetal", (const char *const *)many, HOSTINFO_MAX_DIRS + 1, &rc);
	CHECK_EQ_INT(rc, -E2BIG);
	free(h);
}

static void test_node_exporter(void)
{
	static const char text[] =
		"# HELP node_uname_info Labeled system information as provided by the uname system call.\n"
		"# TYPE node_uname_info gauge\n"
		"node_uname_info{domainname=\"(none)\",machine=\"x86_64\",nodename=\"tikv-2\",release=\"5.15.0-91-generic\",sysname=\"Linux\",version=\"#101-Ubuntu SMP\"} 1\n"
		"node_os_info{id=\"ubuntu\",name=\"Ubuntu\",pretty_name=\"Ubuntu 22.04.3 LTS\",version_id=\"22.04\"} 1\n"
		"node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 100\n"
		"node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 10\n"
		"node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 100\n"
		"node_cpu_seconds_total{cpu=\"2\",mode=\"idle\"} 100\n"
		"node_cpu_seconds_total{cpu=\"3\",mode=\"idle\"} 100\n"
		"node_cpu_info{cachesize=\"36608 KB\",core=\"0\",cpu=\"0\",family=\"6\",microcode=\"0x1\",model=\"106\",model_name=\"Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\",package=\"0\",stepping=\"6\",vendor=\"GenuineIntel\"} 1\n"
		"node_cpu_info{core=\"0\",cpu=\"1\",model_name=\"Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\",package=\"0\"} 1\n"
		"node_cpu_info{core=\"1\",cpu=\"2\",model_name=\"Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\",package=\"0\"} 1\n"
		"node_cpu_info{core=\"1\",cpu=\"3\",model_name=\"Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\",package=\"0\"} 1\n"
		"node_memory_MemTotal_bytes 3.3315414016e+10\n"
		"node_memory_SwapTotal_bytes 0\n"
		"node_network_speed_bytes{device=\"ens5\"} 3.125e+09\n"
		"node_disk_info{device=\"nvme1n1\",major=\"259\",minor=\"0\",model=\"Amazon EC2 NVMe Instance Storage\"} 1\n"
		"node_disk_info{device=\"loop0\",major=\"7\",minor=\"0\"} 1\n"
		"node_filesystem_size_bytes{device=\"/dev/nvme1n1\",fstype=\"ext4\",mountpoint=\"/data\"} 1.9e+12\n"
		"node_filesystem_size_bytes{device=\"tmpfs\",fstype=\"tmpfs\",mountpoint=\"/run\"} 1e9\n";
	struct hostinfo *h = malloc(sizeof(*h));
	struct tp_error err;

	if (!h)
		return;
	tp_error_init(&err);
	CHECK_EQ_INT(hostinfo_from_node_exporter("10.0.0.2:9100", text, sizeof(text) - 1, h, &err), 0);
	CHECK_EQ_STR(h->source, "10.0.0.2:9100");
	CHECK_EQ_STR(h->hostname, "tikv-2");
	CHECK_EQ_STR(h->kernel, "5.15.0-91-generic");
	CHECK_EQ_STR(h->arch, "x86_64");
	CHECK_EQ_STR(h->distro, "Ubuntu 22.04.3 LTS");
	CHECK_EQ_STR(h->cpu_model, "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
	CHECK_EQ_INT(h->threads, 4);
	CHECK_EQ_INT(h->cores, 2);
	CHECK_EQ_INT(h->sockets, 1);
	CHECK_EQ_INT(h->mem_total, 33315414016ULL);
	CHECK_EQ_INT(h->nnics, 1);
	CHECK_EQ_INT(h->nics[0].speed_mbps, 25000);
	CHECK_EQ_INT(h->ndisks, 1);
	CHECK_EQ_STR(h->disks[0].model, "Amazon EC2 NVMe Instance Storage");
	CHECK_EQ_INT(h->ndirs, 1);
	CHECK_EQ_STR(h->dirs[0].disk, "nvme1n1");
	CHECK_EQ_INT(h->has_avx2, -1);
	CHECK_EQ_INT(hostinfo_from_node_exporter("x", "foo 1\n", 6, h, &err), -ENODATA);
	CHECK_EQ_INT(hostinfo_from_node_exporter("x", "node_uname_info{ 1\n", 19, h, &err), -EBADMSG);
	free(h);
}

/* The JSON form is valid and leaves unknown fields out. */
static void test_json(void)
{
	static const char *const dirs[] = { "/data1/tikv" };
	struct hostinfo *h;
	char *text = NULL;
	size_t len = 0;
	struct jsonw w;
	FILE *fp;
	int rc;

	h = collect("baremetal", dirs, 1, &rc);
	if (rc < 0) {
		free(h);
		return;
	}
	fp = open_memstream(&text, &len);
	jsonw_init(&w, fp);
	hostinfo_write_bundle_json((const struct hostinfo *const *)&h, 1, &w);
	CHECK_EQ_INT(jsonw_end_line(&w), 0);
	fclose(fp);
	CHECK(strstr(text, "{\"format\":\"tiprof-hosts\",\"format_version\":1,\"hosts\":[{\"source\":\"local\"") == text);
	CHECK(strstr(text, "\"model\":\"Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\",\"sockets\":2,\"cores\":4,\"threads\":8") != NULL);
	CHECK(strstr(text, "\"avx2\":true,\"arch_perfmon\":true") != NULL);
	CHECK(strstr(text, "{\"name\":\"sda\",\"model\":\"ST4000NM0035-1V4\",\"vendor\":\"ATA\",\"size_bytes\":4000787030016,\"rotational\":true,\"scheduler\":\"bfq\"}") != NULL);
	CHECK(strstr(text, "\"disk\":\"nvme0n1\"") != NULL);
	CHECK(strstr(text, "\"container\"") == NULL);
	CHECK(text[len - 1] == '\n');
	free(text);
	free(h);
}

int main(void)
{
	RUN(test_baremetal);
	RUN(test_cloud_vm);
	RUN(test_arm_container);
	RUN(test_empty_root);
	RUN(test_node_exporter);
	RUN(test_json);
	return CHECK_DONE();
}
