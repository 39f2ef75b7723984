/* hostinfo.c - `tiprof hostinfo`: the machine an issue report describes.
 * The work is in collectors/host/hostinfo.c; this file parses options and
 * prints. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/buf.h"
#include "analyzers/base/bytesize.h"
#include "analyzers/base/jsonw.h"
#include "cli/cli.h"
#include "collectors/host/hostinfo.h"

#define METRICS_MAX ((size_t)256 << 20)

static int cmd_hostinfo(int argc, char **argv);

enum { OPT_JSON = 256, OPT_ROOT, OPT_DATA_DIR, OPT_METRICS };

static const struct cli_option hostinfo_options[] = {
	{ .name = "json", .id = OPT_JSON,
	  .help = "one JSON object (the form host.json of a capture keeps)" },
	{ .name = "root", .id = OPT_ROOT, .arg = CLI_STRING, .value = "DIR",
	  .help = "read DIR/proc, DIR/sys, DIR/etc instead of the system's" },
	{ .name = "data-dir", .id = OPT_DATA_DIR, .arg = CLI_STRING, .value = "DIR",
	  .help = "also show the file system, mount and disk holding DIR\n"
		  "(repeatable: e.g. the TiKV data directory)" },
	{ .name = "metrics", .id = OPT_METRICS, .arg = CLI_STRING, .value = "FILE",
	  .help = "describe a remote host from a saved node_exporter\n"
		  "/metrics text instead (node_uname_info, node_cpu_*,\n"
		  "node_memory_*, ...)" },
	{ .name = "output", .letter = 'o', .id = 'o', .arg = CLI_STRING, .value = "FILE",
	  .help = "write FILE atomically (default: stdout)" },
	CLI_END
};

static const struct cli_group hostinfo_groups[] = {
	{ NULL, hostinfo_options },
	{ NULL, NULL }
};

const struct command command_hostinfo = {
	.name = "hostinfo", .run = cmd_hostinfo,
	.summary = "describe this machine: CPU, memory, disks, kernel, network",
	.usage =
	"usage: tiprof hostinfo [--json] [--root DIR] [--data-dir DIR].. [--metrics FILE] [-o FILE]\n"
	"\n"
	"What an issue report's environment section needs: CPU model, sockets,\n"
	"cores, threads, MHz and notable flags (AVX2, arch_perfmon); memory, swap,\n"
	"NUMA nodes, transparent hugepages; every disk's model, vendor, size,\n"
	"rotational flag and IO scheduler; kernel, distribution, NICs with their\n"
	"speed, and virtualisation or container. Read from /proc, /sys and\n"
	"/etc/os-release.\n",
	.groups = hostinfo_groups,
};

struct host_ctx {
	const struct hostinfo *h;
};

static int write_json(void *ctx, FILE *fp, struct tp_error *err)
{
	struct jsonw w;

	jsonw_init(&w, fp);
	hostinfo_write_json(((struct host_ctx *)ctx)->h, &w);
	if (jsonw_end_line(&w) < 0)
		return tp_error_set(err, -EIO, "", 0, -1, "write error");
	return 0;
}

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static const char *plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static int write_text(void *ctx, FILE *fp, struct tp_error *err)
{
	const struct hostinfo *h = ((struct host_ctx *)ctx)->h;
	char a[32], b[32];
	int i;

	fprintf(fp, "Host:            %s (%s)\n", or_dash(h->hostname), or_dash(h->source));
	fprintf(fp, "Kernel:          %s%s%s%s\n", or_dash(h->kernel), h->arch[0] ? " (" : "",
		h->arch, h->arch[0] ? ")" : "");
	fprintf(fp, "Distribution:    %s\n", or_dash(h->distro));
	fprintf(fp, "CPU:             %s", or_dash(h->cpu_model));
	if (h->sockets)
		fprintf(fp, ", %d %s", h->sockets, plural(h->sockets, "socket", "sockets"));
	if (h->cores)
		fprintf(fp, ", %d %s", h->cores, plural(h->cores, "core", "cores"));
	if (h->threads)
		fprintf(fp, ", %d %s", h->threads, plural(h->threads, "thread", "threads"));
	if (h->mhz > 0)
		fprintf(fp, ", %.0f MHz", h->mhz);
	if (h->mhz_max > 0)
		fprintf(fp, " (max %.0f MHz)", h->mhz_max);
	if (h->governor[0])
		fprintf(fp, ", governor %s", h->governor);
	fprintf(fp, "\n");
	fprintf(fp, "CPU flags:       AVX2 %s, arch_perfmon (PMU) %s;",
		h->has_avx2 < 0 ? "unknown" : h->has_avx2 ? "yes" : "no",
		h->has_arch_perfmon < 0 ? "unknown" : h->has_arch_perfmon ? "yes" : "no");
	for (i = 0; i < h->nflags; i++)
		fprintf(fp, " %s", h->flags[i]);
	fprintf(fp, "\n");
	if (h->mem_total) {
		bytesize_format(h->mem_total, a, sizeof(a));
		bytesize_format(h->swap_total, b, sizeof(b));
		fprintf(fp, "Memory:          %s, swap %s", a, b);
		if (h->numa_nodes)
			fprintf(fp, ", %d NUMA %s", h->numa_nodes, plural(h->numa_nodes, "node", "nodes"));
		if (h->thp[0])
			fprintf(fp, ", transparent hugepages %s", h->thp);
		if (h->swappiness >= 0)
			fprintf(fp, ", swappiness %d", h->swappiness);
		fprintf(fp, "\n");
	} else {
		fprintf(fp, "Memory:          -\n");
	}
	fprintf(fp, "Virtualization:  %s%s%s%s", or_dash(h->virtualization),
		h->container[0] ? ", container " : "", h->container, "");
	if (h->dmi_vendor[0] || h->dmi_product[0])
		fprintf(fp, " (%s%s%s)", h->dmi_vendor, h->dmi_vendor[0] && h->dmi_product[0] ? " " : "",
			h->dmi_product);
	fprintf(fp, "\n");
	fprintf(fp, "\nDisks:\n  %-12s %-28s %-10s %10s %-10s %s\n", "NAME", "MODEL", "VENDOR", "SIZE",
		"ROTATIONAL", "SCHEDULER");
	for (i = 0; i < h->ndisks; i++) {
		const struct hostinfo_disk *k = &h->disks[i];

		if (k->size_bytes)
			bytesize_format(k->size_bytes, a, sizeof(a));
		fprintf(fp, "  %-12s %-28s %-10s %10s %-10s %s\n", k->name, or_dash(k->model),
			or_dash(k->vendor), k->size_bytes ? a : "-",
			k->rotational < 0 ? "-" : k->rotational ? "yes (HDD)" : "no",
			or_dash(k->scheduler));
	}
	if (h->ndirs) {
		fprintf(fp, "\nData directories:\n  %-24s %-20s %-8s %-20s %-8s %s\n", "PATH", "MOUNT",
			"FSTYPE", "SOURCE", "DISK", "OPTIONS");
		for (i = 0; i < h->ndirs; i++) {
			const struct hostinfo_dir *d = &h->dirs[i];

			if (!d->found) {
				fprintf(fp, "  %-24s %s\n", d->path, or_dash(d->note));
				continue;
			}
			fprintf(fp, "  %-24s %-20s %-8s %-20s %-8s %s\n", d->path, d->mount,
				or_dash(d->fstype), or_dash(d->source), or_dash(d->disk),
				or_dash(d->options));
		}
	}
	fprintf(fp, "\nNetwork:\n  %-16s %-12s %-10s %-6s %s\n", "NAME", "SPEED", "STATE", "MTU",
		"DRIVER");
	for (i = 0; i < h->nnics; i++) {
		const struct hostinfo_nic *c = &h->nics[i];

		if (c->speed_mbps > 0)
			snprintf(a, sizeof(a), "%d Mb/s", c->speed_mbps);
		snprintf(b, sizeof(b), "%d", c->mtu);
		fprintf(fp, "  %-16s %-12s %-10s %-6s %s%s\n", c->name, c->speed_mbps > 0 ? a : "-",
			or_dash(c->operstate), c->mtu ? b : "-", or_dash(c->driver),
			c->virtual_if ? " (virtual)" : "");
	}
	if (ferror(fp))
		return tp_error_set(err, -EIO, "", 0, -1, "write error");
	return 0;
}

static int read_metrics(const char *path, struct buf *b, struct tp_error *err)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!fp)
		return tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if ((rc = buf_append(b, chunk, n)) < 0) {
			rc = tp_error_set(err, rc, path, 0, -1, "too large (over %zu MiB)",
					  METRICS_MAX >> 20);
			break;
		}
	if (rc == 0 && ferror(fp))
		rc = tp_error_set(err, -EIO, path, 0, -1, "read error");
	if (fp != stdin)
		fclose(fp);
	return rc;
}

static int cmd_hostinfo(int argc, char **argv)
{
	struct cli_args a;
	const char *dirs[HOSTINFO_MAX_DIRS], *root = NULL, *out = NULL, *metrics = NULL;
	struct hostinfo *h;
	struct host_ctx hc;
	struct tp_error err;
	size_t ndirs = 0;
	int c, json = 0, rc;

	cli_args_init(&a, &command_hostinfo, argc, argv);
	while ((c = cli_next(&a)) > 0) {
		switch (c) {
		case OPT_JSON: json = 1; break;
		case OPT_ROOT: root = a.arg; break;
		case OPT_DATA_DIR:
			if (ndirs == HOSTINFO_MAX_DIRS)
				cli_fail(&a, "too many (at most %d)", HOSTINFO_MAX_DIRS);
			else
				dirs[ndirs++] = a.arg;
			break;
		case OPT_METRICS: metrics = a.arg; break;
		case 'o': out = a.arg; break;
		}
	}
	if (c < 0)
		return a.status;
	if (a.ind < argc)
		return cli_usage_error("hostinfo", "unexpected argument \"%s\"", argv[a.ind]);
	if (metrics && (root || ndirs))
		return cli_usage_error("hostinfo", "--metrics describes a remote host: no --root or --data-dir");
	h = malloc(sizeof(*h));
	if (!h) {
		fprintf(stderr, "tiprof: hostinfo: out of memory\n");
		return EXIT_ERR;
	}
	tp_error_init(&err);
	if (metrics) {
		struct buf b;

		buf_init(&b, METRICS_MAX);
		rc = read_metrics(metrics, &b, &err);
		if (rc == 0)
			rc = hostinfo_from_node_exporter(metrics, b.data ? b.data : "", b.len, h, &err);
		buf_free(&b);
	} else {
		rc = hostinfo_collect(root, dirs, ndirs, h, &err);
	}
	if (rc < 0) {
		cli_error(&err);
		free(h);
		return EXIT_ERR;
	}
	hc.h = h;
	rc = cli_write_output(out, json ? write_json : write_text, &hc);
	free(h);
	return rc < 0 ? EXIT_ERR : EXIT_OK;
}
