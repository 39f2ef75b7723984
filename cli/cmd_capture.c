/* capture.c - `tiprof fetch`, `tiprof topology` and `tiprof capture`: the
 * cluster over HTTP. The work is in collectors/ (fetch, topology, bundle,
 * capture); this file parses options, handles signals and prints. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "analyzers/base/buf.h"
#include "analyzers/base/bytesize.h"
#include "analyzers/cluster/cluster.h"
#include "analyzers/base/jsonw.h"
#include "cli/cli.h"
#include "collectors/capture/bundle.h"
#include "collectors/capture/capture.h"
#include "collectors/net/fetch.h"
#include "collectors/capture/hostfile.h"
#include "collectors/capture/iohook.h"
#include "collectors/capture/recordhook.h"
#include "collectors/net/topology.h"

#define FETCH_ONE_MAX ((size_t)1 << 30)

static volatile sig_atomic_t signals_seen, last_signal;

static void on_signal(int sig)
{
	last_signal = sig;
	signals_seen++;
}

/* Options shared by the three commands. */
struct net_opts {
	struct topology_source src;
	struct fetch_opts fetch;
	const char *out;
	long seconds, frequency;
	double grace;
	int json;
	const char *what;
	int io;				/* capture: --io */
	const char *node_exporters[64];	/* capture: --node-exporter */
	size_t nnode_exporters;
	int64_t pids[64];		/* capture: --pid (threads, local sampling) */
	size_t npids;
	const char *data_dirs[8];	/* capture: --data-dir, for host.json */
	size_t ndata_dirs;
};

enum {
	OPT_PD = 256, OPT_TIDB_INFO, OPT_TOPOLOGY, OPT_DISPLAY, OPT_CLUSTER, OPT_TIDB, OPT_TIKV,
	OPT_PD_NODE, OPT_CACERT, OPT_CERT, OPT_KEY, OPT_JSON, OPT_WHAT, OPT_SECONDS,
	OPT_FREQUENCY, OPT_GRACE, OPT_IO, OPT_NODE_EXPORTER, OPT_PID, OPT_DATA_DIR,
};

static const struct cli_option source_options[] = {
	{ .name = "pd", .id = OPT_PD, .arg = CLI_STRING, .value = "H:P[,H:P..]",
	  .help = "PD's API: members (PD) and stores (TiKV, TiFlash, with\n"
		  "versions, labels, capacities); addresses tried in order" },
	{ .name = "tidb-info", .id = OPT_TIDB_INFO, .arg = CLI_STRING, .value = "H:P",
	  .help = "a TiDB status port: /info/all lists every TiDB" },
	{ .name = "topology", .id = OPT_TOPOLOGY, .arg = CLI_STRING, .value = "FILE",
	  .help = "a tiup topology YAML file" },
	{ .name = "tiup-display", .id = OPT_DISPLAY, .arg = CLI_STRING, .value = "FILE",
	  .help = "saved `tiup cluster display` output" },
	{ .name = "cluster", .id = OPT_CLUSTER, .arg = CLI_STRING, .value = "NAME",
	  .help = "which of several clusters in the --tiup-display file" },
	{ .name = "tidb", .id = OPT_TIDB, .arg = CLI_STRING, .value = "H:P,..",
	  .help = "TiDB status ports (repeat, or a comma-separated list)" },
	{ .name = "tikv", .id = OPT_TIKV, .arg = CLI_STRING, .value = "H:P,..",
	  .help = "TiKV status ports" },
	{ .name = "pd-node", .id = OPT_PD_NODE, .arg = CLI_STRING, .value = "H:P,..",
	  .help = "PD client ports" },
	CLI_END
};

#define TLS_TITLE "TLS (https):"

static const struct cli_option tls_options[] = {
	{ .name = "cacert", .id = OPT_CACERT, .arg = CLI_STRING, .value = "FILE",
	  .help = "the CA certificate" },
	{ .name = "cert", .id = OPT_CERT, .arg = CLI_STRING, .value = "FILE",
	  .help = "the client certificate (with --key)" },
	{ .name = "key", .id = OPT_KEY, .arg = CLI_STRING, .value = "FILE",
	  .help = "the client certificate's key" },
	CLI_END
};

#define SECONDS_OPTION(what) { .name = "seconds", .id = OPT_SECONDS, .arg = CLI_INT, \
	.value = "N", .min = 1, .max = 86400, .help = what " (default 10)" }
#define FREQUENCY_OPTION { .name = "frequency", .id = OPT_FREQUENCY, .arg = CLI_INT, \
	.value = "HZ", .min = 1, .max = 10000, \
	.help = "TiKV CPU profile sampling frequency (TiKV's default 99)" }
#define GRACE_OPTION { .name = "grace", .id = OPT_GRACE, .arg = CLI_DOUBLE, .value = "S", \
	.fmin = 0.1, .fmax = 3600, .help = "transfers may run S seconds past the window (default 10)" }

static const struct cli_option fetch_options[] = {
	{ .name = "what", .id = OPT_WHAT, .arg = CLI_CHOICE, .value = "WHAT",
	  .choices = "zip|cpu|heap|goroutine|mutex|block",
	  .help = "zip, cpu, heap, goroutine, mutex or block" },
	SECONDS_OPTION("profile length for zip and cpu"),
	FREQUENCY_OPTION,
	GRACE_OPTION,
	{ .name = "output", .letter = 'o', .id = 'o', .arg = CLI_STRING, .value = "FILE",
	  .help = "where to write (\"-\": standard output); required" },
	CLI_END
};

static const struct cli_option topology_options[] = {
	{ .name = "json", .id = OPT_JSON, .help = "print the topology.json of a capture bundle" },
	{ .name = "output", .letter = 'o', .id = 'o', .arg = CLI_STRING, .value = "FILE",
	  .help = "write the JSON to FILE" },
	CLI_END
};

static const struct cli_option capture_options[] = {
	SECONDS_OPTION("the capture window"),
	FREQUENCY_OPTION,
	GRACE_OPTION,
	{ .name = "io", .id = OPT_IO,
	  .help = "also record disks, processes' IO and threads each second" },
	{ .name = "node-exporter", .id = OPT_NODE_EXPORTER, .arg = CLI_STRING, .value = "H:P",
	  .help = "--io: a node_exporter to read disks from (repeat)" },
	{ .name = "pid", .id = OPT_PID, .arg = CLI_INT, .value = "PID", .min = 1, .max = 1L << 30,
	  .help = "a local process: sampled with `tiprof record`, its\n"
		  "threads recorded with --io (repeat)" },
	{ .name = "data-dir", .id = OPT_DATA_DIR, .arg = CLI_STRING, .value = "DIR",
	  .help = "describe DIR's file system in host.json (repeat)" },
	{ .name = "output", .letter = 'o', .id = 'o', .arg = CLI_STRING, .value = "DIR",
	  .help = "the bundle directory, which must not exist\n(default capture-<UTC time>)" },
	CLI_END
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* --tidb, --tikv, --pd-node: add to their list. */
static void node_option(struct cli_args *a, int c, struct net_opts *o)
{
	const char **list = c == OPT_TIDB ? o->src.tidb : c == OPT_TIKV ? o->src.tikv
								 : o->src.pd_node;
	int *count = c == OPT_TIDB ? &o->src.ntidb : c == OPT_TIKV ? &o->src.ntikv
								   : &o->src.npd_node;

	if (*count >= TOPOLOGY_MAX_LIST)
		cli_fail(a, "too many (at most %d; use commas)", TOPOLOGY_MAX_LIST);
	else
		list[(*count)++] = a->arg;
}

/* Take option c of fetch, topology or capture into o. */
static void net_option(struct cli_args *a, int c, struct net_opts *o)
{
	switch (c) {
	case OPT_PD: o->src.pd = a->arg; break;
	case OPT_TIDB_INFO: o->src.tidb_info = a->arg; break;
	case OPT_TOPOLOGY: o->src.yaml = a->arg; break;
	case OPT_DISPLAY: o->src.display = a->arg; break;
	case OPT_CLUSTER: o->src.display_cluster = a->arg; break;
	case OPT_TIDB:
	case OPT_TIKV:
	case OPT_PD_NODE: node_option(a, c, o); break;
	case OPT_CACERT: o->fetch.cacert = a->arg; break;
	case OPT_CERT: o->fetch.cert = a->arg; break;
	case OPT_KEY: o->fetch.key = a->arg; break;
	case OPT_JSON: o->json = 1; break;
	case OPT_WHAT: o->what = a->arg; break;
	case OPT_SECONDS: o->seconds = a->num; break;
	case OPT_FREQUENCY: o->frequency = a->num; break;
	case OPT_GRACE: o->grace = a->fnum; break;
	case 'o': o->out = a->arg; break;
	case OPT_IO: o->io = 1; break;
	case OPT_NODE_EXPORTER:
		if (o->nnode_exporters == COUNT_OF(o->node_exporters))
			cli_fail(a, "too many (at most %zu)", COUNT_OF(o->node_exporters));
		else
			o->node_exporters[o->nnode_exporters++] = a->arg;
		break;
	case OPT_DATA_DIR:
		if (o->ndata_dirs == COUNT_OF(o->data_dirs))
			cli_fail(a, "too many (at most %zu)", COUNT_OF(o->data_dirs));
		else
			o->data_dirs[o->ndata_dirs++] = a->arg;
		break;
	case OPT_PID:
		if (o->npids == COUNT_OF(o->pids))
			cli_fail(a, "too many (at most %zu)", COUNT_OF(o->pids));
		else
			o->pids[o->npids++] = a->num;
		break;
	}
}

/* Parse the options of cmd into o: 0 (the operands start at a->ind), or
 * -1 when the command must return a->status. */
static int parse(struct cli_args *a, const struct command *cmd, int argc, char **argv,
		 struct net_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->fetch.max_retries = -1;
	o->seconds = 10;
	o->grace = CAPTURE_DEFAULT_GRACE;
	cli_args_init(a, cmd, argc, argv);
	while ((c = cli_next(a)) > 0)
		net_option(a, c, o);
	if (c < 0)
		return -1;
	if (!o->fetch.cert != !o->fetch.key) {
		a->status = cli_usage_error(cmd->name, "--cert and --key go together");
		return -1;
	}
	return 0;
}

static int init_curl(void)
{
	struct tp_error err;

	tp_error_init(&err);
	if (fetch_global_init(&err) < 0) {
		cli_error(&err);
		return -1;
	}
	return 0;
}

/* ---- tiprof fetch ---- */

struct what_map {
	const char *comp, *what, *path;
	int seconds, kind;	/* kind: 0 zip, 1 pprof, 2 raw */
};

static const struct what_map whats[] = {
	{ "tidb", "zip", "/debug/zip", 1, 0 },
	{ "tidb", "cpu", "/debug/pprof/profile", 1, 1 },
	{ "tidb", "heap", "/debug/pprof/heap", 0, 1 },
	{ "tidb", "goroutine", "/debug/pprof/goroutine", 0, 1 },
	{ "tidb", "mutex", "/debug/pprof/mutex", 0, 1 },
	{ "tidb", "block", "/debug/pprof/block", 0, 1 },
	{ "pd", "zip", "/pd/api/v1/debug/pprof/zip", 1, 0 },
	{ "pd", "cpu", "/pd/api/v1/debug/pprof/profile", 1, 1 },
	{ "pd", "heap", "/pd/api/v1/debug/pprof/heap", 0, 1 },
	{ "pd", "goroutine", "/pd/api/v1/debug/pprof/goroutine", 0, 1 },
	{ "pd", "mutex", "/pd/api/v1/debug/pprof/mutex", 0, 1 },
	{ "pd", "block", "/pd/api/v1/debug/pprof/block", 0, 1 },
	{ "tikv", "cpu", "/debug/pprof/profile", 1, 1 },
	{ "tikv", "heap", "/debug/pprof/heap", 0, 2 },
};

struct body_ctx {
	const struct buf *b;
};

static int write_body(void *ctx, FILE *fp, struct tp_error *err)
{
	const struct buf *b = ((struct body_ctx *)ctx)->b;

	if (b->len && fwrite(b->data, 1, b->len, fp) != b->len)
		return tp_error_set(err, -EIO, "", 0, -1, "write error");
	return 0;
}

static int cmd_fetch(int argc, char **argv);

static const struct cli_group fetch_groups[] = {
	{ NULL, fetch_options },
	{ TLS_TITLE, tls_options },
	{ NULL, NULL }
};

const struct command command_fetch = {
	.name = "fetch", .run = cmd_fetch,
	.summary = "fetch one profile or debug zip from a TiDB, TiKV or PD",
	.usage =
	"usage: tiprof fetch tidb|tikv|pd HOST:PORT [--what zip|cpu|heap|goroutine|mutex|block]\n"
	"                    [--seconds N] [--frequency HZ] [--cacert F --cert F --key F] -o FILE\n"
	"\n"
	"Fetch one thing from an instance's status port, check it, and write it\n"
	"to FILE (\"-\": standard output) only when it is valid.\n"
	"\n"
	"  tidb HOST:PORT   TiDB status port (10080): zip (/debug/zip, the default),\n"
	"                   cpu, heap, goroutine, mutex, block (/debug/pprof/...)\n"
	"  tikv HOST:PORT   TiKV status port (20180): cpu (the default; protobuf,\n"
	"                   retried while another profile runs), heap (jemalloc raw)\n"
	"  pd HOST:PORT     PD client port (2379): zip (the default), cpu, heap, ...\n"
	"\n"
	"A zip is checked entry by entry and its profiles decoded; a profile is\n"
	"decoded. Exit status 0 when written, 1 when the fetch or the check failed.\n",
	.groups = fetch_groups,
};

static int cmd_fetch(int argc, char **argv)
{
	struct cli_args a;
	struct net_opts o;
	const struct what_map *w = NULL;
	struct fetch_req req, *rp = &req;
	struct tp_error err;
	struct body_ctx bc;
	struct buf body;
	char host[256], addr[300], url[600], detail[200];
	double now;
	size_t i;
	int rc, port;

	if (parse(&a, &command_fetch, argc, argv, &o) < 0)
		return a.status;
	argv += a.ind;
	if (argc - a.ind != 2)
		return cli_usage_error("fetch", "wants a component (tidb, tikv, pd) and HOST:PORT");
	if (strcmp(argv[0], "tidb") && strcmp(argv[0], "tikv") && strcmp(argv[0], "pd"))
		return cli_usage_error("fetch", "unknown component \"%s\" (tidb, tikv, pd)", argv[0]);
	if (!o.what)
		o.what = strcmp(argv[0], "tikv") == 0 ? "cpu" : "zip";
	for (i = 0; i < sizeof(whats) / sizeof(whats[0]); i++)
		if (strcmp(whats[i].comp, argv[0]) == 0 && strcmp(whats[i].what, o.what) == 0)
			w = &whats[i];
	if (!w)
		return cli_usage_error("fetch", "--what: %s is not served by %s", o.what, argv[0]);
	if (cluster_parse_hostport(argv[1], strlen(argv[1]), host, sizeof(host), &port) < 0)
		return cli_usage_error("fetch", "\"%s\" is not HOST:PORT", argv[1]);
	if (!o.out)
		return cli_usage_error("fetch", "-o FILE is required");
	if (init_curl() < 0)
		return EXIT_ERR;
	cluster_hostport(host, port, addr, sizeof(addr));
	if (strcmp(w->comp, "tikv") == 0 && w->seconds && o.frequency)
		snprintf(url, sizeof(url), "%s://%s%s?frequency=%ld", topology_scheme(&o.fetch), addr,
			 w->path, o.frequency);
	else
		snprintf(url, sizeof(url), "%s://%s%s", topology_scheme(&o.fetch), addr, w->path);
	memset(&req, 0, sizeof(req));
	buf_init(&body, FETCH_ONE_MAX);
	now = fetch_now();
	req.url = url;
	req.fd = -1;
	req.mem = &body;
	req.max_bytes = FETCH_ONE_MAX;
	if (w->seconds) {
		req.seconds = o.seconds;
		req.window_end = now + (double)o.seconds;
	}
	req.deadline = now + (w->seconds ? (double)o.seconds : 0) + o.grace;
	if (strcmp(w->comp, "tikv") == 0 && w->kind == 1) {
		req.protobuf = 1;
		req.busy_check = 1;
	}
	tp_error_init(&err);
	rc = fetch_run(&o.fetch, &rp, 1, &err);
	if (rc == 0 && req.state != FETCH_OK)
		rc = tp_error_set(&err, req.err ? req.err : -EIO, url, 0, -1, "%s", req.reason);
	if (rc == 0 && w->kind != 2) {
		const uint8_t *d = (const uint8_t *)(body.data ? body.data : "");

		if (w->kind == 1 && strncmp(req.content_type, "image/svg", 9) == 0)
			rc = tp_error_set(&err, -EBADMSG, "", 0, -1,
					  "got an SVG flame graph, not a profile");
		else
			rc = w->kind == 0 ? capture_check_zip(d, body.len, detail, sizeof(detail), &err)
					  : capture_check_pprof(d, body.len, detail, sizeof(detail), &err);
		if (rc < 0 && !err.file[0])
			snprintf(err.file, sizeof(err.file), "%.200s", url);
	}
	if (rc < 0) {
		cli_error(&err);
		buf_free(&body);
		fetch_global_cleanup();
		return EXIT_ERR;
	}
	bc.b = &body;
	rc = cli_write_output(o.out, write_body, &bc);
	buf_free(&body);
	fetch_global_cleanup();
	return rc < 0 ? EXIT_ERR : EXIT_OK;
}

/* ---- tiprof topology ---- */

static int discover(const char *cmd, struct net_opts *o, struct cluster *c)
{
	struct tp_error err;

	cluster_init(c);
	if (topology_empty(&o->src)) {
		/* A capture of this host alone (--io, --pid) needs no cluster. */
		if (strcmp(cmd, "capture") == 0 && (o->io || o->npids))
			return -1;
		cli_usage_error(cmd, "no source: give --pd, --tidb-info, --topology, "
				"--tiup-display, or --tidb/--tikv/--pd-node%s",
				strcmp(cmd, "capture") == 0 ? " (or --io / --pid)" : "");
		return EXIT_USAGE;
	}
	tp_error_init(&err);
	if (topology_discover(&o->src, &o->fetch, c, &err) < 0) {
		cli_error(&err);
		cluster_free(c);
		return EXIT_ERR;
	}
	return -1;
}

static int write_topology_json(void *ctx, FILE *fp, struct tp_error *err)
{
	struct jsonw w;

	jsonw_init(&w, fp);
	cluster_write_json(ctx, &w);
	if (jsonw_end_line(&w) < 0)
		return tp_error_set(err, -EIO, "", 0, -1, "write error");
	return 0;
}

static void print_table(const struct cluster *c)
{
	char ports[32], cap[64], labels[256];
	size_t i, j, l;

	if (c->name || c->version)
		printf("Cluster: %s %s\n", c->name ? c->name : "", c->version ? c->version : "");
	printf("%-10s %-24s %-12s %-20s %-10s %-28s %s\n", "COMPONENT", "HOST", "PORTS",
	       "VERSION", "STATUS", "LABELS", "CAPACITY");
	for (i = 0; i < c->n; i++) {
		const struct cluster_node *nd = &c->nodes[i];

		if (nd->port && nd->status_port && nd->port != nd->status_port)
			snprintf(ports, sizeof(ports), "%d/%d", nd->port, nd->status_port);
		else
			snprintf(ports, sizeof(ports), "%d", nd->status_port ? nd->status_port : nd->port);
		labels[0] = '\0';
		for (j = 0, l = 0; j < nd->nlabels && l < sizeof(labels); j++)
			l += (size_t)snprintf(labels + l, sizeof(labels) - l, "%s%s=%s", j ? "," : "",
					      nd->labels[j].key, nd->labels[j].value);
		if (nd->capacity >= 0)
			bytesize_format((uint64_t)nd->capacity, cap, sizeof(cap));
		else
			snprintf(cap, sizeof(cap), "-");
		printf("%-10s %-24s %-12s %-20s %-10s %-28s %s\n", nd->role, nd->host, ports,
		       nd->version ? nd->version : "-", nd->status ? nd->status : "-",
		       labels[0] ? labels : "-", cap);
	}
}

static int cmd_topology(int argc, char **argv);

#define SOURCES_TITLE "Sources (any number, merged):"

static const struct cli_group topology_groups[] = {
	{ SOURCES_TITLE, source_options },
	{ NULL, topology_options },
	{ TLS_TITLE, tls_options },
	{ NULL, NULL }
};

const struct command command_topology = {
	.name = "topology", .run = cmd_topology, .summary = "discover a cluster's instances",
	.usage =
	"usage: tiprof topology [--pd H:P[,H:P..]] [--tidb-info H:P] [--topology FILE]\n"
	"                       [--tiup-display FILE [--cluster NAME]]\n"
	"                       [--tidb H:P,..] [--tikv H:P,..] [--pd-node H:P,..]\n"
	"                       [--cacert F --cert F --key F] [--json] [-o FILE]\n"
	"\n"
	"Prints a table (component, host, ports, version, status, labels, capacity)\n"
	"or, with --json, the topology.json a capture bundle holds.\n",
	.groups = topology_groups,
};

static int cmd_topology(int argc, char **argv)
{
	struct cli_args a;
	struct net_opts o;
	struct cluster c;
	int rc;

	if (parse(&a, &command_topology, argc, argv, &o) < 0)
		return a.status;
	if (a.ind < argc)
		return cli_usage_error("topology", "unexpected argument \"%s\"", argv[a.ind]);
	if (init_curl() < 0)
		return EXIT_ERR;
	if ((rc = discover("topology", &o, &c)) >= 0) {
		fetch_global_cleanup();
		return rc;
	}
	rc = EXIT_OK;
	if (o.json || o.out) {
		if (cli_write_output(o.out, write_topology_json, &c) < 0)
			rc = EXIT_ERR;
	} else {
		print_table(&c);
	}
	cluster_free(&c);
	fetch_global_cleanup();
	return rc;
}

/* ---- tiprof capture ---- */

struct progress {
	int tty;
	int lines;		/* drawn last time (tty) */
	long last_left;		/* plain: last countdown printed */
	unsigned char *reported;	/* plain: target end reported */
	double last_draw;
};

static const char *status_word(enum capture_status s)
{
	return s == CAPTURE_OK ? "ok" : s == CAPTURE_FAILED ? "FAILED" :
	       s == CAPTURE_TRUNCATED ? "truncated" : "running";
}

static uint64_t target_bytes(const struct capture_target *t)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < t->nart; i++)
		n += t->art[i].req.bytes;
	return n;
}

#define TTY_MAX_LINES 20

static void progress_draw(struct progress *p, const struct capture *c, long seconds, int final)
{
	size_t i, n = capture_ntargets(c), done = 0, failed = 0, shown = 0;
	double left = capture_remaining(c);
	char size[32];

	for (i = 0; i < n; i++) {
		const struct capture_target *t = capture_target(c, i);

		done += t->status != CAPTURE_PENDING;
		failed += t->status == CAPTURE_FAILED || t->status == CAPTURE_TRUNCATED;
	}
	if (p->tty) {
		if (p->lines)
			fprintf(stderr, "\033[%dA", p->lines);
		p->lines = 0;
		fprintf(stderr, "\r\033[Kcapture: %3ld s left of %ld s, %zu/%zu done, %zu not ok\n",
			(long)(left + 0.999), seconds, done, n, failed);
		p->lines++;
		for (i = 0; i < n; i++) {
			const struct capture_target *t = capture_target(c, i);

			if (shown == TTY_MAX_LINES) {
				fprintf(stderr, "\r\033[K  ... and %zu more\n", n - shown);
				p->lines++;
				break;
			}
			bytesize_format(target_bytes(t), size, sizeof(size));
			fprintf(stderr, "\r\033[K  %-8s %-22s %-9s %9s  %.60s\n", t->role, t->address,
				status_word(t->status), size,
				t->status == CAPTURE_OK ? "" : t->reason);
			p->lines++;
			shown++;
		}
		fflush(stderr);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct capture_target *t = capture_target(c, i);

		if (t->status == CAPTURE_PENDING || p->reported[i])
			continue;
		p->reported[i] = 1;
		if (t->status == CAPTURE_OK)
			fprintf(stderr, "capture: %s %s: ok\n", t->role, t->address);
		else
			fprintf(stderr, "capture: %s %s: %s: %s\n", t->role, t->address,
				status_word(t->status), t->reason);
	}
	if (!final) {
		long l = (long)(left + 0.999), step = seconds > 30 ? 10 : 1;

		if (l != p->last_left && (l % step == 0 || l == 0) && l < seconds) {
			fprintf(stderr, "capture: %ld s left, %zu/%zu done\n", l, done, n);
			p->last_left = l;
		}
	}
}

static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int cmd_capture(int argc, char **argv);

static const struct cli_group capture_groups[] = {
	{ SOURCES_TITLE, source_options },
	{ NULL, capture_options },
	{ TLS_TITLE, tls_options },
	{ NULL, NULL }
};

const struct command command_capture = {
	.name = "capture", .run = cmd_capture,
	.summary = "profile every instance of a cluster in one window",
	.usage =
	"usage: tiprof capture [--pd H:P | --tidb-info H:P | --topology FILE |\n"
	"                       --tiup-display FILE | --tidb H:P,.. --tikv H:P,.. --pd-node H:P,..]\n"
	"                      [--seconds N] [--frequency HZ] [--grace S]\n"
	"                      [--io] [--node-exporter H:P..] [--pid PID..] [--data-dir DIR..]\n"
	"                      [--cacert F --cert F --key F] [-o DIR]\n"
	"\n"
	"Finds the cluster's instances (the sources of `tiprof topology`) and\n"
	"profiles them all at once, for N seconds (default 10):\n"
	"  TiDB  /debug/zip?seconds=N, /status, /config\n"
	"  TiKV  CPU profile as protobuf (at HZ, default TiKV's 99), /metrics at the\n"
	"        start and end, /config\n"
	"  PD    /pd/api/v1/debug/pprof/zip?seconds=N, /status, /config\n"
	"into a new bundle directory DIR (default capture-<UTC time>): one directory\n"
	"per instance, topology.json and manifest.json (see docs/capture-bundle.md).\n"
	"Transfers may run --grace seconds (default 10) past the window.\n"
	"\n"
	"--io also records, once a second, this host's disks (iostat -x) and\n"
	"processes' IO (iotop), the threads of every --pid (CPU per thread and per\n"
	"TiKV pool), every --node-exporter's disks and every TiKV's threads (from\n"
	"its /metrics), into local/io.jsonl and local/threads.jsonl.\n"
	"--pid PID samples the process with `tiprof record` for the window, into\n"
	"local/profile.pb.gz (pprof with thread labels). With --io or --pid no\n"
	"cluster is needed: the capture covers this host alone.\n"
	"host.json describes this host (CPU, memory, disks, and the file system of\n"
	"every --data-dir) and every --node-exporter's host.\n"
	"\n"
	"Progress goes to stderr; the bundle's path to stdout. The first Ctrl-C\n"
	"(or SIGTERM) stops waiting, keeps what arrived and writes the manifest;\n"
	"a second one aborts at once.\n"
	"Exit status: 0 all targets ok, 3 some failed or interrupted (the bundle is\n"
	"valid), 1 error, 128+signal when aborted.\n",
	.groups = capture_groups,
};

/* A host left out of host.json (the capture goes on). */
static void host_warning(void *ctx, const char *left_out, const struct tp_error *err)
{
	(void)ctx;
	if (left_out)
		fprintf(stderr, "tiprof: warning: host.json: %s left out: ", left_out);
	cli_error(err);
}

/* --io: sample the local host, the given processes' threads, every
 * --node-exporter and every TiKV's status port once a second. */
static int add_io_hook(struct capture *cap, const struct net_opts *o,
		       const struct cluster *cl, void **ctx, struct tp_error *err)
{
	struct iohook_opts io;
	struct capture_hook h;
	char **tikvs = calloc(cl->n ? cl->n : 1, sizeof(*tikvs));
	size_t i, nt = 0;
	int r = -ENOMEM;

	if (!tikvs)
		return tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
	for (i = 0; i < cl->n; i++) {
		const struct cluster_node *nd = &cl->nodes[i];
		char hp[300];

		if (strcmp(nd->role, "tikv") != 0 || nd->status_port <= 0)
			continue;
		if (!(tikvs[nt] = strdup(cluster_hostport(nd->host, nd->status_port, hp, sizeof(hp)))))
			goto out;
		nt++;
	}
	memset(&io, 0, sizeof(io));
	io.thread_pids = o->pids;
	io.nthread_pids = o->npids;
	io.node_exporters = o->node_exporters;
	io.nnode_exporters = o->nnode_exporters;
	io.tikvs = (const char *const *)tikvs;
	io.ntikvs = nt;
	if ((r = iohook_new(&h, &io, err)) < 0)
		goto out;
	*ctx = h.ctx;
	r = capture_add_hook(cap, &h);
	if (r < 0)
		tp_error_set(err, r, NULL, 0, -1, "cannot add the IO sampler");
out:
	for (i = 0; i < nt; i++)
		free(tikvs[i]);
	free(tikvs);
	if (r == -ENOMEM && err && !err->msg[0])
		tp_error_set(err, r, NULL, 0, -1, "out of memory");
	return r;
}

static int cmd_capture(int argc, char **argv)
{
	struct cli_args a;
	struct net_opts o;
	struct capture_opts co;
	struct cluster cl;
	struct bundle *b = NULL;
	struct capture *cap = NULL;
	struct progress pg;
	struct sigaction sa;
	struct tp_error err;
	void *io_ctx = NULL, *rec_ctx = NULL;
	size_t i, n;
	int rc, pending, interrupted = 0, finished = 0, abort_now, result = EXIT_ERR;

	if (parse(&a, &command_capture, argc, argv, &o) < 0)
		return a.status;
	if (a.ind < argc)
		return cli_usage_error("capture", "unexpected argument \"%s\"", argv[a.ind]);
	if (init_curl() < 0)
		return EXIT_ERR;
	if ((rc = discover("capture", &o, &cl)) >= 0) {
		fetch_global_cleanup();
		return rc;
	}
	raise_fd_limit();
	memset(&co, 0, sizeof(co));
	co.seconds = o.seconds;
	co.frequency = o.frequency;
	co.grace = o.grace;
	co.fetch = o.fetch;
	co.argc = argc;
	co.argv = argv;
	co.local_only_ok = o.io || o.npids;
	memset(&pg, 0, sizeof(pg));
	pg.tty = isatty(2);
	pg.last_left = -1;
	tp_error_init(&err);
	if (bundle_create(&b, o.out, &err) < 0 || capture_new(&cap, &co, &cl, b, &err) < 0)
		goto out;
	if (o.io && add_io_hook(cap, &o, &cl, &io_ctx, &err) < 0)
		goto out;
	if (o.npids) {
		struct recordhook_opts ro = { o.pids, o.npids, o.seconds, 0, 0 };
		struct capture_hook h;

		if (recordhook_new(&h, &ro, &err) < 0)
			goto out;
		rec_ctx = h.ctx;
		if (capture_add_hook(cap, &h) < 0) {
			tp_error_set(&err, -E2BIG, NULL, 0, -1, "too many capture hooks");
			goto out;
		}
	}
	n = capture_ntargets(cap);
	pg.reported = calloc(n, 1);
	if (!pg.reported)
		goto out;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!pg.tty)
		fprintf(stderr, "capture: %zu targets, %ld s, into %s\n", n, o.seconds, bundle_path(b));
	hostfile_write(b, o.data_dirs, o.ndata_dirs, o.node_exporters, o.nnode_exporters,
		       host_warning, NULL);
	if (capture_start(cap, &err) < 0)
		goto out;
	pending = 1;
	while (!signals_seen) {
		pending = capture_step(cap, 100, &err);
		if (pending < 0)
			goto out;
		if (fetch_now() - pg.last_draw >= (pg.tty ? 0.25 : 0.1) || pending == 0) {
			progress_draw(&pg, cap, o.seconds, 0);
			pg.last_draw = fetch_now();
		}
		if (pending == 0)
			break;
	}
	/* a signal after everything arrived interrupts nothing */
	if (signals_seen && pending > 0) {
		interrupted = 1;
		if (!pg.tty)
			fprintf(stderr, "capture: interrupted; keeping what arrived\n");
		capture_interrupt(cap);
	}
	abort_now = interrupted && signals_seen > 1;
	rc = capture_finish(cap, abort_now, &err);
	finished = 1;
	progress_draw(&pg, cap, o.seconds, 1);
	if (rc < 0)
		goto out;
	if (abort_now) {
		fprintf(stderr, "tiprof: capture aborted\n");
		result = 128 + last_signal;
		goto out;
	}
	printf("%s\n", bundle_path(b));
	fflush(stdout);
	for (i = 0, rc = 0; i < n; i++)
		rc += capture_target(cap, i)->status == CAPTURE_OK;
	fprintf(stderr, "capture: %s: %d of %zu targets ok%s\n", bundle_path(b), rc, n,
		interrupted ? " (interrupted)" : "");
	result = (size_t)rc == n && !interrupted ? EXIT_OK : EXIT_PARTIAL;
out:
	if (result == EXIT_ERR) {
		if (err.code)
			cli_error(&err);
		else
			fprintf(stderr, "tiprof: capture: out of memory\n");
		if (cap && !finished)
			capture_finish(cap, 1, &err);
	}
	capture_free(cap);
	iohook_free(io_ctx);
	recordhook_free(rec_ctx);
	if (result == EXIT_ERR && b)
		rmdir(bundle_path(b));	/* only when nothing was written */
	bundle_free(b);
	cluster_free(&cl);
	free(pg.reported);
	fetch_global_cleanup();
	/* The handlers stay: a signal that arrives while the process winds
	 * down, after everything is written, must not turn a finished
	 * capture into a death by signal. */
	return result;
}
