/* issue.c - see issue.h */
#include "flamegraph/report/issue.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/diagnose/classify.h"

#define C1 "\x01"
#define C2 "\x02"
#define B1 "\x03"
#define B2 "\x04"

/* Each doc_*() failure is remembered; the build reports -ENOMEM once. */
struct ctx {
	struct doc *d;
	const struct evidence *ev;
	const struct finding *f;
	size_t nf;
	const struct report_files *rf;
	int rc;
};

#define CK(call) do { if ((call) < 0) c->rc = -ENOMEM; } while (0)

/* Names from the input, safe between the code markers. */
static const char *clean(const char *s, char *buf, size_t n)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < n; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

/* Room for a finding's field with the code markers around its names. */
#define MARKED_MAX (sizeof(((struct finding *)0)->evidence) + 2 * FINDING_MAX_NAMES + 1)

static void put_clean(char *buf, size_t n, size_t *o, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && *o + 1 < n; i++)
		buf[(*o)++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
}

static void put_mark(char *buf, size_t n, size_t *o, char m)
{
	if (*o + 1 < n)
		buf[(*o)++] = m;
}

/* Field k of a finding for the document: its names between the code
 * markers, control bytes as '?'. */
static const char *marked(const struct finding *f, enum finding_field k, char *buf, size_t n)
{
	const char *s = finding_text(f, k);
	size_t len = strlen(s), pos = 0, o = 0;
	int j;

	for (j = 0; j < f->nnames; j++) {
		const struct finding_name *nm = &f->names[j];
		size_t start = nm->start < len ? nm->start : len;
		size_t end = start + nm->len < len ? start + nm->len : len;

		if (nm->field != k || start < pos)
			continue;
		put_clean(buf, n, &o, s + pos, start - pos);
		put_mark(buf, n, &o, '\x01');
		put_clean(buf, n, &o, s + start, end - start);
		put_mark(buf, n, &o, '\x02');
		pos = end;
	}
	put_clean(buf, n, &o, s + pos, len - pos);
	buf[o] = '\0';
	return buf;
}

static const char *num(double v, int dec, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.*f", dec, v);
	return buf;
}

static const char *pct(double v, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f%%", 100 * v);
	return buf;
}

static const char *comp_name(const char *c)
{
	return !strcmp(c, "tidb") ? "TiDB" : !strcmp(c, "tikv") ? "TiKV" : !strcmp(c, "pd") ? "PD" :
	       !strcmp(c, "tiflash") ? "TiFlash" : !strcmp(c, "local") ? "local process" : c;
}

static size_t hints(const struct ctx *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nf; i++)
		n += c->f[i].kind == RULE_HINT;
	return n;
}

static void workload_words(const struct evidence *ev, char *out, size_t n)
{
	const struct workload *w = &ev->wl.w;
	const struct workload_row *r = w->nrows ? &w->rows[0] : NULL;

	if (!ev->wl.parsed) {
		snprintf(out, n, "%s", ev->wl.present ? "a workload whose log gave no results" :
			 "a workload that was not recorded with the capture");
		return;
	}
	if (w->tool == WORKLOAD_TPC && !isnan(w->tpmc))
		snprintf(out, n, "go-tpc (tpmC %.1f)", w->tpmc);
	else if (r && !isnan(r->rate))
		snprintf(out, n, "%s (%.2f %s/s)", workload_tool_name(w->tool), r->rate,
			 w->tool == WORKLOAD_SYSBENCH ? (strcmp(r->op, "transactions") ? "events" : "transactions")
						      : "ops");
	else
		snprintf(out, n, "%s", workload_tool_name(w->tool));
}

/* ---- 1, 2 ---- */

static char *make_title(const struct ctx *c)
{
	const struct evidence *ev = c->ev;
	char *t = NULL, wl[200], comps[200] = "", title[MARKED_MAX];
	size_t i, l = 0;

	for (i = 0; i < c->nf; i++)
		if (c->f[i].kind == RULE_HINT) {
			if (asprintf(&t, "%s", marked(&c->f[i], FINDING_TITLE, title, sizeof(title))) < 0)
				return NULL;
			return t;
		}
	for (i = 0; i < ev->ninst && l < sizeof(comps) - 20; i++)
		if (!strstr(comps, comp_name(ev->inst[i].component)))
			l += (size_t)snprintf(comps + l, sizeof(comps) - l, "%s%s", l ? ", " : "",
					      comp_name(ev->inst[i].component));
	workload_words(ev, wl, sizeof(wl));
	if (asprintf(&t, "Profile of %s under %s: no rule matched",
		     comps[0] ? comps : "nothing (no profile was captured)", wl) < 0)
		return NULL;
	return t;
}

static void versions(const struct evidence *ev, char *out, size_t n)
{
	size_t i, l = 0;

	out[0] = '\0';
	for (i = 0; i < ev->nnodes && l + 1 < n; i++) {
		char item[200];

		if (!ev->nodes[i].version[0])
			continue;
		snprintf(item, sizeof(item), "%s %s", comp_name(ev->nodes[i].component), ev->nodes[i].version);
		if (strstr(out, item))
			continue;
		l += (size_t)snprintf(out + l, n - l, "%s%s", l ? ", " : "", item);
	}
	for (i = 0; i < ev->ninst && l + 1 < n; i++) {
		char item[200];

		if (!ev->inst[i].version[0])
			continue;
		snprintf(item, sizeof(item), "%s %s", comp_name(ev->inst[i].component), ev->inst[i].version);
		if (strstr(out, comp_name(ev->inst[i].component)))
			continue;
		l += (size_t)snprintf(out + l, n - l, "%s%s", l ? ", " : "", item);
	}
}

static void summary(struct ctx *c)
{
	const struct evidence *ev = c->ev;
	char wl[200], ver[1024], buf[64], title[MARKED_MAX];
	size_t i, nh = hints(c), profiled = 0;

	for (i = 0; i < ev->ninst; i++)
		profiled += ev->inst[i].cpu.present;
	workload_words(ev, wl, sizeof(wl));
	CK(doc_heading(c->d, 2, "Summary"));
	CK(doc_para(c->d,  B1 "Is your feature request related to a problem? Please describe:" B2 ));
	if (nh)
		CK(doc_para(c->d, "Under %s, %s. %zu rule%s found something to optimise (section "
			    "\"Suggested optimisation\"), each with the numbers and frames it is based on.",
			    wl, marked(&c->f[0], FINDING_TITLE, title, sizeof(title)), nh, nh == 1 ? "" : "s"));
	else if (profiled)
		CK(doc_para(c->d, "Under %s, %zu instance%s %s profiled, and none of the report's rules "
			    "matched the data: there is no finding to suggest. The profiles below "
			    "are the evidence to look at by hand.", wl, profiled, profiled == 1 ? "" : "s",
			    profiled == 1 ? "was" : "were"));
	else
		CK(doc_para(c->d, "Under %s, no profile was captured: every target failed or the bundle "
			    "holds none (see \"How the data was captured\"). There is nothing to analyse.", wl));
	versions(ev, ver, sizeof(ver));
	CK(doc_item(c->d,  B1 "Version:" B2 " %s", ver[0] ? ver : "not recorded in the bundle"));
	CK(doc_item(c->d,  B1 "Workload:" B2 " %s", wl));
	if (ev->has_manifest)
		CK(doc_item(c->d,  B1 "Capture:" B2 " %zu of %zu targets profiled ok, %zu failed, %zu truncated; "
			    "state \"%s\"", ev->ok, ev->targets, ev->failed, ev->truncated, ev->state));
	else
		CK(doc_item(c->d,  B1 "Capture:" B2 " the bundle has no manifest.json"));
	if (ev->wl.parsed && ev->wl.w.nrows) {
		const struct workload_row *r = &ev->wl.w.rows[0];

		CK(doc_item(c->d,  B1 "Observed:" B2 " %s %s/s, average latency %s ms, errors %s", r->op,
			    num(r->rate, 2, buf, sizeof(buf)), num(r->avg_ms, 2, ver, 64),
			    num(r->errors, 0, wl, sizeof(wl))));
	}
}

/* ---- 3 ---- */

static void environment(struct ctx *c)
{
	const struct evidence *ev = c->ev;
	static const char *const rows[] = { "Hostname", "CPU", "CPU flags", "Memory", "Disks",
					    "Data directories", "Network", "Kernel", "Distribution",
					    "Virtualisation", "Source" };
	const char *head[DOC_MAX_COLS], *cells[DOC_MAX_COLS];
	char ver[1024];
	size_t i, h0;
	int r;

	CK(doc_heading(c->d, 2, "Environment"));
	if (!ev->nhosts) {
		CK(doc_para(c->d, "The bundle has no host.json, so the hardware was not recorded with "
			    "this capture (" C1 "tiprof hostinfo" C2 " prints it for a host)."));
	}
	for (h0 = 0; h0 < ev->nhosts; h0 += DOC_MAX_COLS - 1) {
		size_t nh = ev->nhosts - h0 > DOC_MAX_COLS - 1 ? DOC_MAX_COLS - 1 : ev->nhosts - h0;

		head[0] = "";
		for (i = 0; i < nh; i++)
			head[i + 1] = ev->hosts[h0 + i].name[0] ? ev->hosts[h0 + i].name : "host";
		CK(doc_table(c->d, (int)nh + 1, head));
		for (r = 0; r < 11; r++) {
			cells[0] = rows[r];
			for (i = 0; i < nh; i++) {
				const struct ev_host *h = &ev->hosts[h0 + i];
				const char *v[] = { h->name, h->cpu, h->flags, h->memory, h->disks, h->dirs,
						    h->nics, h->kernel, h->distro, h->virt, h->source };

				cells[i + 1] = v[r][0] ? v[r] : "-";
			}
			CK(doc_row(c->d, cells));
		}
	}
	versions(ev, ver, sizeof(ver));
	CK(doc_para(c->d, "Versions: %s.", ver[0] ? ver : "not recorded in the bundle"));
}

/* ---- 4 ---- */

static void topology(struct ctx *c)
{
	const struct evidence *ev = c->ev;
	static const char *const head[] = { "Component", "Host", "Ports", "Version", "Status", "Labels",
					    "Regions / leaders" };
	size_t i;

	CK(doc_heading(c->d, 2, "Topology"));
	if (ev->cluster_name[0] || ev->cluster_version[0])
		CK(doc_para(c->d, "Cluster %s %s.", ev->cluster_name, ev->cluster_version));
	if (ev->nnodes) {
		CK(doc_table(c->d, 7, head));
		for (i = 0; i < ev->nnodes; i++) {
			const struct ev_node *nd = &ev->nodes[i];
			char ports[64], rl[64];
			const char *cells[7];

			if (nd->port && nd->status_port && nd->port != nd->status_port)
				snprintf(ports, sizeof(ports), "%d / %d (status)", nd->port, nd->status_port);
			else
				snprintf(ports, sizeof(ports), "%d", nd->status_port ? nd->status_port : nd->port);
			if (nd->regions >= 0 || nd->leaders >= 0)
				snprintf(rl, sizeof(rl), "%lld / %lld", (long long)nd->regions, (long long)nd->leaders);
			else
				snprintf(rl, sizeof(rl), "-");
			cells[0] = comp_name(nd->component);
			cells[1] = nd->host;
			cells[2] = ports;
			cells[3] = nd->version[0] ? nd->version : "-";
			cells[4] = nd->status[0] ? (nd->leader ? "Up (PD leader)" : nd->status) :
				   nd->leader ? "PD leader" : "-";
			cells[5] = nd->labels[0] ? nd->labels : "-";
			cells[6] = rl;
			CK(doc_row(c->d, cells));
		}
	} else {
		CK(doc_para(c->d, "The bundle has no topology.json%s.",
			    ev->ninst ? "; the instances profiled are listed under \"How the data was captured\"" : ""));
	}
	for (i = 0; i < ev->ninst; i++)
		if (!strcmp(ev->inst[i].component, "local")) {
			CK(doc_para(c->d, "Also sampled on the capturing host with tiprof's own sampler: "
				    "the local process (local/profile.pb.gz)."));
			break;
		}
}

/* ---- 5 ---- */

static void workload(struct ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct workload *w = &ev->wl.w;
	static const char *const head[] = { "Operation", "Count", "Throughput", "Avg (ms)", "p95 (ms)",
					    "p99 (ms)", "Max (ms)", "Errors" };
	char b[8][64];
	size_t i;

	CK(doc_heading(c->d, 2, "Workload"));
	if (!ev->wl.present) {
		CK(doc_para(c->d, "The bundle has no workload/ directory: the stress tool's command and "
			    "output were not saved with this capture (scripts/stress-capture.sh saves "
			    "both)."));
		return;
	}
	if (ev->wl.command[0]) {
		CK(doc_para(c->d, "The exact command (workload/command.txt):"));
		CK(doc_code(c->d, ev->wl.command));
	} else {
		CK(doc_para(c->d, "The command was not saved (no workload/command.txt)."));
	}
	if (ev->wl.exit_status >= 0)
		CK(doc_para(c->d, "Exit status: %d.", ev->wl.exit_status));
	if (!ev->wl.parsed) {
		CK(doc_para(c->d, "No results could be read from the log: %s.",
			    ev->wl.error[0] ? ev->wl.error : "no log file"));
		return;
	}
	CK(doc_para(c->d, "Results from workload/%s (%s%s%s%s):", ev->wl.log, w->form ? w->form : "",
		    w->version[0] ? ", version " : "", w->version,
		    w->complete ? "" : "; the run did not print its final summary, so only interim reports are shown"));
	if (w->nrows) {
		CK(doc_table(c->d, 8, head));
		for (i = 0; i < w->nrows; i++) {
			const struct workload_row *r = &w->rows[i];
			const char *cells[8];
			double p95 = r->p95_ms, p99 = r->p99_ms;

			cells[0] = r->op;
			cells[1] = num(r->count, 0, b[0], 64);
			if (w->tool == WORKLOAD_TPC && !isnan(r->tpm))
				snprintf(b[1], 64, "%.1f tpm", r->tpm);
			else if (!isnan(r->rate))
				snprintf(b[1], 64, "%.*f/s", w->tool == WORKLOAD_YCSB ? 1 : 2, r->rate);
			else
				snprintf(b[1], 64, "-");
			cells[2] = b[1];
			cells[3] = num(r->avg_ms, w->tool == WORKLOAD_YCSB ? 3 : 2, b[2], 64);
			cells[4] = num(p95, w->tool == WORKLOAD_YCSB ? 3 : w->tool == WORKLOAD_TPC ? 1 : 2, b[3], 64);
			cells[5] = num(p99, w->tool == WORKLOAD_YCSB ? 3 : w->tool == WORKLOAD_TPC ? 1 : 2, b[4], 64);
			cells[6] = num(r->max_ms, w->tool == WORKLOAD_YCSB ? 3 : w->tool == WORKLOAD_TPC ? 1 : 2,
				       b[5], 64);
			cells[7] = num(r->errors, 0, b[6], 64);
			CK(doc_row(c->d, cells));
		}
	}
	if (w->tool == WORKLOAD_SYSBENCH && w->complete)
		CK(doc_para(c->d, "sysbench: %s threads, total time %s s, %s events; latency percentile "
			    "shown by sysbench: %dth; ignored errors %s (%s per sec.), reconnects %s.",
			    num(w->threads, 0, b[0], 64), num(w->total_time_s, 4, b[1], 64),
			    num(w->events, 0, b[2], 64), w->percentile, num(w->ignored_errors, 0, b[3], 64),
			    num(w->ignored_errors_ps, 2, b[4], 64), num(w->reconnects, 0, b[5], 64)));
	if (w->tool == WORKLOAD_SYSBENCH && w->nrows && w->rows[0].xpct)
		CK(doc_para(c->d, "The %dth percentile (%s ms) is not one of the table's columns.",
			    w->rows[0].xpct, num(w->rows[0].xpct_ms, 2, b[0], 64)));
	if (w->tool == WORKLOAD_TPC && !isnan(w->tpmc))
		CK(doc_para(c->d, "tpmC %s, tpmTotal %s, efficiency %s%%.", num(w->tpmc, 1, b[0], 64),
			    num(w->tpmtotal, 1, b[1], 64), num(w->efficiency_pct, 1, b[2], 64)));
	if (w->tool == WORKLOAD_YCSB && !isnan(w->run_seconds))
		CK(doc_para(c->d, "go-ycsb: run finished in %s s.", num(w->run_seconds, 1, b[0], 64)));
	for (i = 0; i < (size_t)c->rf->ncharts; i++)
		if (!strncmp(c->rf->chart[i], "workload", 8))
			CK(doc_figure(c->d, c->rf->chart_title[i], c->rf->chart[i], 1));
}

/* ---- 6 ---- */

static void captured(struct ctx *c)
{
	const struct evidence *ev = c->ev;
	static const char *const head[] = { "Component", "Address", "Status", "What failed and why" };
	char b[3][64];
	size_t i;
	int k;

	CK(doc_heading(c->d, 2, "How the data was captured"));
	if (ev->has_manifest) {
		CK(doc_item(c->d, "Command: " C1 "tiprof %s" C2, ev->command));
		CK(doc_item(c->d, "Window: %s to %s (UTC), %s s requested, %s s taken; state \"%s\"",
			    ev->started[0] ? ev->started : "?", ev->ended[0] ? ev->ended : "not recorded",
			    num(ev->requested_seconds, 0, b[0], 64), num(ev->actual_seconds, 1, b[1], 64),
			    ev->state));
		if (ev->frequency)
			CK(doc_item(c->d, "TiKV sampling frequency: %ld Hz", ev->frequency));
	} else {
		CK(doc_para(c->d, "The bundle has no manifest.json: the capture command and window "
			    "are unknown; the directories found were read as they are."));
	}
	CK(doc_item(c->d, "IO series: %s; thread series: %s",
		    ev->series_files[0][0] ? ev->series_files[0] : "none (no io.jsonl)",
		    ev->series_files[1][0] ? ev->series_files[1] : "none (no threads.jsonl)"));
	for (i = 0; i < ev->series.nerrors; i++)
		CK(doc_item(c->d, "Series source %s on %s failed %d time%s: %s", ev->series.errors[i].source,
			    ev->series.errors[i].host, ev->series.errors[i].count,
			    ev->series.errors[i].count == 1 ? "" : "s", ev->series.errors[i].message));
	if (ev->ninst) {
		CK(doc_table(c->d, 4, head));
		for (i = 0; i < ev->ninst; i++) {
			const struct instance *in = &ev->inst[i];
			const char *cells[4];
			char why[1600];
			size_t l = 0;

			why[0] = '\0';
			if (in->failed_files[0])
				l += (size_t)snprintf(why, sizeof(why), "%s", in->failed_files);
			else if (in->reason[0])
				l += (size_t)snprintf(why, sizeof(why), "%s", in->reason);
			for (k = 0; k < in->nnotes && l + 2 < sizeof(why); k++)
				l += (size_t)snprintf(why + l, sizeof(why) - l, "%s%s", l ? "; " : "", in->notes[k]);
			cells[0] = comp_name(in->component);
			cells[1] = in->address;
			cells[2] = in->status[0] ? in->status : "not in the manifest";
			cells[3] = why[0] ? why : "-";
			CK(doc_row(c->d, cells));
		}
	} else {
		CK(doc_para(c->d, "No target was captured: the bundle holds no instance directory and no "
			    "local profile."));
	}
	for (k = 0; k < ev->nnotes; k++)
		CK(doc_item(c->d, "Note: %s", ev->notes[k]));
}

/* ---- 7 ---- */

static void fn_table(struct ctx *c, const struct instance_fn *f, int n, const char *what)
{
	static const char *const head[] = { "Rank", "Function", "Share" };
	char name[300], rank[16], share[32], code[320];
	int i;

	(void)what;
	CK(doc_table(c->d, 3, head));
	for (i = 0; i < n; i++) {
		const char *cells[3];

		snprintf(rank, sizeof(rank), "%d", i + 1);
		snprintf(code, sizeof(code), C1 "%s" C2, clean(f[i].name, name, sizeof(name)));
		cells[0] = rank;
		cells[1] = code;
		cells[2] = pct(f[i].share, share, sizeof(share));
		CK(doc_row(c->d, cells));
	}
}

static void instance_section(struct ctx *c, size_t idx)
{
	const struct instance *in = &c->ev->inst[idx];
	const struct report_inst_files *rf = &c->rf->inst[idx];
	char b[4][64], name[300];
	int j;

	if (!strcmp(in->component, "local"))
		CK(doc_heading(c->d, 3, "Local process (sampled on the capturing host)"));
	else
		CK(doc_heading(c->d, 3, "%s %s", comp_name(in->component), in->address));
	if (!in->cpu.present) {
		CK(doc_para(c->d, "No CPU profile: %s%s%s.", in->status[0] ? in->status : "not captured",
			    in->reason[0] ? ": " : "", in->reason[0] ? in->reason :
			    in->nnotes ? in->notes[0] : "the bundle has no profile file for it"));
	} else if (!in->cpu.total) {
		CK(doc_para(c->d, "The CPU profile (%s) is empty: it has no sample.", in->cpu.source));
	} else {
		char secs[64] = "";

		if (in->cpu.seconds > 0)
			snprintf(secs, sizeof(secs), ", %.1f s", in->cpu.seconds);
		CK(doc_para(c->d, "CPU profile: %s%s%s%s%s.", in->cpu.source, secs,
			    isnan(in->cpu_cores) ? "" : ", ",
			    isnan(in->cpu_cores) ? "" : num(in->cpu_cores, 2, b[0], 64),
			    isnan(in->cpu_cores) ? "" : " cores busy on average"));
		if (!isnan(in->gc_share))
			CK(doc_para(c->d, "Go runtime: GC and allocation frames in %s of the CPU (" C1
				    CLASSIFY_GC_MARK C2 " %s, " C1 CLASSIFY_GC_MALLOC C2 " %s, " C1
				    CLASSIFY_GC_ASSIST C2 " %s).", pct(in->gc_share, b[0], 64),
				    pct(in->mark_share, b[1], 64), pct(in->malloc_share, b[2], 64),
				    pct(in->assist_share, b[3], 64)));
		CK(doc_para(c->d, "Top functions by flat share (the innermost frame; generic roots such as "
			    C1 "runtime.goexit" C2 ", " C1 "main.main" C2 " and thread starts left out):"));
		fn_table(c, in->cpu.flat, in->cpu.nflat, "flat");
		CK(doc_para(c->d, "Top functions by cumulative share:"));
		fn_table(c, in->cpu.cum, in->cpu.ncum, "cum");
		if (in->cpu.npath) {
			char path[2400];
			size_t l = 0;

			path[0] = '\0';
			for (j = 0; j < in->cpu.npath && l + 2 < sizeof(path); j++)
				l += (size_t)snprintf(path + l, sizeof(path) - l, "%s" C1 "%s" C2 " (%s)",
						      j ? " → " : "", clean(in->cpu.path[j].name, name, sizeof(name)),
						      pct(in->cpu.path[j].share, b[0], 64));
			CK(doc_para(c->d, "Hottest call path: %s.", path));
		}
	}
	if (in->goroutines >= 0) {
		char states[600];
		size_t l = 0;

		states[0] = '\0';
		for (j = 0; j < in->nstates && l + 2 < sizeof(states); j++)
			l += (size_t)snprintf(states + l, sizeof(states) - l, "%s%s %lld", j ? ", " : "",
					      in->states[j].state, (long long)in->states[j].count);
		CK(doc_para(c->d, "Goroutines: %lld (%s).", (long long)in->goroutines, states));
		if (in->ngroups)
			CK(doc_para(c->d, "Largest group: %lld goroutines in \"%s\" at " C1 "%s" C2 ".",
				    (long long)in->groups[0].count, in->groups[0].state,
				    clean(in->groups[0].frame, name, sizeof(name))));
	}
	if (in->mutex.present)
		CK(doc_para(c->d, "Mutex profile: %s s of delay since the process started%s%s%s%s.",
			    num((double)in->mutex.total / 1e9, 3, b[0], 64),
			    in->mutex_holder[0] ? ", most at locks released by " C1 : "",
			    in->mutex_holder[0] ? clean(in->mutex_holder, name, sizeof(name)) : "",
			    in->mutex_holder[0] ? C2 " " : "", in->mutex_holder[0] ? pct(in->mutex_holder_share, b[1], 64) : ""));
	if (in->alloc_top[0])
		CK(doc_para(c->d, "Heap: %s MiB allocated since the process started; the largest site is "
			    C1 "%s" C2 " (%s).", num((double)in->alloc_total / 1048576, 1, b[0], 64),
			    clean(in->alloc_top, name, sizeof(name)), pct(in->alloc_top_share, b[1], 64)));
	if (rf->flame[0])
		CK(doc_figure(c->d, "CPU flame graph", rf->flame, 0));
	for (j = 0; j < rf->npools; j++) {
		char t[200];

		snprintf(t, sizeof(t), "pool %s", rf->pool[j]);
		CK(doc_figure(c->d, t, rf->pool_svg[j], 0));
	}
	if (rf->mutex[0])
		CK(doc_figure(c->d, "mutex delay flame graph", rf->mutex, 0));
}

static void pools_section(struct ctx *c)
{
	const struct evidence *ev = c->ev;
	static const char *const head[] = { "Instance", "Pool", "Share of CPU", "Busy cores (profile)",
					    "Threads", "Busy cores (metrics)", "Busy per thread",
					    "Configured size", "Hottest path ends" };
	char b[7][64], path[600], code[640];
	size_t i;
	int j, any = 0;

	CK(doc_heading(c->d, 3, "Thread pools against their size"));
	for (i = 0; i < ev->ninst; i++) {
		const struct instance *in = &ev->inst[i];

		for (j = 0; j < in->npools; j++) {
			const struct instance_pool *p = &in->pools[j];
			const char *cells[9];

			if (!any)
				CK(doc_table(c->d, 9, head));
			any = 1;
			cells[0] = in->address;
			cells[1] = p->name;
			cells[2] = pct(p->prof_share, b[0], 64);
			cells[3] = num(p->prof_cores, 2, b[1], 64);
			snprintf(b[2], 64, "%d", p->threads);
			cells[4] = p->threads ? b[2] : "-";
			cells[5] = num(p->metric_cores, 2, b[3], 64);
			cells[6] = pct(rules_pool_busy(p, NULL, NULL, NULL), b[4], 64);
			if (p->size_key[0])
				snprintf(b[5], 64, "%.40s = %ld", p->size_key, p->size);
			cells[7] = p->size_key[0] ? b[5] : "not in config.json";
			snprintf(code, sizeof(code), C1 "%s" C2, clean(p->path, path, sizeof(path)));
			cells[8] = p->path[0] ? code : "-";
			CK(doc_row(c->d, cells));
		}
	}
	/* pools of the thread series not tied to a profiled instance */
	for (i = 0; i < ev->series.npools; i++) {
		const struct series_pool *sp = &ev->series.pools[i];
		const char *cells[9];
		const struct instance *in;

		in = evidence_instance(ev, "local", "local");
		if (in && !strcmp(sp->host, "local") && in->npools)
			continue;
		if (!any)
			CK(doc_table(c->d, 9, head));
		any = 1;
		snprintf(b[6], 64, "%.40s pid %lld", sp->host, (long long)sp->pid);
		cells[0] = b[6];
		cells[1] = sp->pool;
		cells[2] = "-";
		cells[3] = "-";
		snprintf(b[2], 64, "%d", sp->threads);
		cells[4] = sp->threads ? b[2] : "-";
		cells[5] = num(sp->avg_cpu / 100, 2, b[3], 64);
		cells[6] = pct(rules_series_pool_busy(sp), b[4], 64);
		cells[7] = "-";
		cells[8] = "-";
		CK(doc_row(c->d, cells));
	}
	if (!any)
		CK(doc_para(c->d, "No thread pool data: the bundle has no TiKV profile with thread labels, "
			    "no TiKV thread metrics and no thread series."));
	else
		CK(doc_para(c->d, "%s", rules_pool_busy_text));
	for (i = 0; i < (size_t)c->rf->ncharts; i++)
		if (!strncmp(c->rf->chart[i], "threads", 7))
			CK(doc_figure(c->d, c->rf->chart_title[i], c->rf->chart[i], 1));
}

static void io_section(struct ctx *c)
{
	const struct series *s = &c->ev->series;
	static const char *const dh[] = { "Host", "Device", "%util avg / max", "r_await ms",
					  "w_await ms", "aqu-sz", "rkB/s", "wkB/s" };
	static const char *const th[] = { "Host", "Process", "PID", "Write KiB/s avg / max",
					  "Read KiB/s avg" };
	char b[8][64];
	size_t i, shown = 0;

	CK(doc_heading(c->d, 3, "IO hot spots"));
	if (!s->have_io) {
		CK(doc_para(c->d, "No IO series in this bundle (no io.jsonl): disk and process IO were "
			    "not sampled."));
		return;
	}
	for (i = 0; i < s->ndisks; i++) {
		const struct series_disk *d = &s->disks[i];
		const char *cells[8];

		if (!shown++)
			CK(doc_table(c->d, 8, dh));
		snprintf(b[0], 64, "%.1f / %.1f", d->avg[SD_UTIL], d->max[SD_UTIL]);
		cells[0] = d->host;
		cells[1] = d->dev;
		cells[2] = b[0];
		cells[3] = num(d->avg[SD_R_AWAIT], 2, b[1], 64);
		cells[4] = num(d->avg[SD_W_AWAIT], 2, b[2], 64);
		cells[5] = num(d->avg[SD_AQU], 2, b[3], 64);
		cells[6] = num(d->avg[SD_RKBS], 1, b[4], 64);
		cells[7] = num(d->avg[SD_WKBS], 1, b[5], 64);
		CK(doc_row(c->d, cells));
	}
	if (!shown)
		CK(doc_para(c->d, "No disk had IO during the window."));
	for (i = 0, shown = 0; i < s->ntasks && shown < 5; i++) {
		const struct series_task *t = &s->tasks[i];
		const char *cells[5];

		if (!(t->avg_write > 0 || t->avg_read > 0))
			continue;
		if (!shown++)
			CK(doc_table(c->d, 5, th));
		snprintf(b[0], 64, "%lld", (long long)t->pid);
		snprintf(b[1], 64, "%.1f / %.1f", t->avg_write / 1024, t->max_write / 1024);
		cells[0] = t->host;
		cells[1] = t->comm;
		cells[2] = b[0];
		cells[3] = b[1];
		cells[4] = num(t->avg_read / 1024, 1, b[2], 64);
		CK(doc_row(c->d, cells));
	}
	if (!shown && s->ntasks)
		CK(doc_para(c->d, "No process read or wrote to disk during the window."));
	for (i = 0; i < (size_t)c->rf->ncharts; i++)
		if (!strncmp(c->rf->chart[i], "io-", 3))
			CK(doc_figure(c->d, c->rf->chart_title[i], c->rf->chart[i], 1));
}

static void imbalance_section(struct ctx *c)
{
	const struct evidence *ev = c->ev;
	static const char *const comps[] = { "tidb", "tikv", "pd", "tiflash", "local" };
	static const char *const head[] = { "Component", "Instance", "Busy cores", "Share of the component" };
	size_t i, k;
	int any = 0;

	CK(doc_heading(c->d, 3, "Cross-instance imbalance"));
	for (k = 0; k < 5; k++) {
		double sum = 0;
		size_t n = 0;

		for (i = 0; i < ev->ninst; i++)
			if (!strcmp(ev->inst[i].component, comps[k]) && !isnan(ev->inst[i].cpu_cores)) {
				sum += ev->inst[i].cpu_cores;
				n++;
			}
		if (n < 2) {
			if (n == 1)
				CK(doc_para(c->d, "One %s instance was profiled: nothing to compare it with.",
					    comp_name(comps[k])));
			continue;
		}
		if (!any)
			CK(doc_table(c->d, 4, head));
		any = 1;
		for (i = 0; i < ev->ninst; i++) {
			const struct instance *in = &ev->inst[i];
			const char *cells[4];
			char b[2][64];

			if (strcmp(in->component, comps[k]) || isnan(in->cpu_cores))
				continue;
			cells[0] = comp_name(comps[k]);
			cells[1] = in->address;
			cells[2] = num(in->cpu_cores, 2, b[0], 64);
			cells[3] = pct(sum > 0 ? in->cpu_cores / sum : NAN, b[1], 64);
			CK(doc_row(c->d, cells));
		}
	}
	if (!any && !ev->ninst)
		CK(doc_para(c->d, "No instance was profiled."));
}

static void profiles(struct ctx *c)
{
	const struct evidence *ev = c->ev;
	size_t i;
	int j;

	CK(doc_heading(c->d, 2, "What the profiles show"));
	if (!ev->ninst)
		CK(doc_para(c->d, "The bundle holds no profile."));
	for (i = 0; i < ev->ninst; i++)
		instance_section(c, i);
	pools_section(c);
	io_section(c);
	imbalance_section(c);
	CK(doc_heading(c->d, 3, "Flame graph files"));
	for (i = 0, j = 0; i < ev->ninst; i++) {
		const struct report_inst_files *f = &c->rf->inst[i];
		int k;

		if (f->flame[0]) {
			CK(doc_item(c->d, "%s %s: " C1 "%s" C2 " (folded: " C1 "%s" C2 ")",
				    comp_name(ev->inst[i].component), ev->inst[i].address, f->flame, f->folded));
			j++;
		}
		for (k = 0; k < f->npools; k++, j++)
			CK(doc_item(c->d, "%s pool %s: " C1 "%s" C2, ev->inst[i].address, f->pool[k], f->pool_svg[k]));
		if (f->mutex[0])
			CK(doc_item(c->d, "%s mutex delay: " C1 "%s" C2, ev->inst[i].address, f->mutex));
	}
	if (!j)
		CK(doc_para(c->d, "None: no CPU profile had samples."));
	if (c->rf->first_problem[0])
		CK(doc_para(c->d, "Not rendered: %s.", c->rf->first_problem));
}

/* ---- 8, 9 ---- */

static void suggestions(struct ctx *c)
{
	char title[MARKED_MAX], evidence[MARKED_MAX], suggestion[MARKED_MAX], none[1000];
	size_t i, n = 0;

	CK(doc_heading(c->d, 2, "Suggested optimisation"));
	CK(doc_para(c->d,  B1 "Describe the feature you'd like:" B2 ));
	for (i = 0; i < c->nf; i++) {
		const struct finding *f = &c->f[i];

		if (f->kind != RULE_HINT)
			continue;
		n++;
		CK(doc_heading(c->d, 3, "%zu. %s", n, marked(f, FINDING_TITLE, title, sizeof(title))));
		CK(doc_para(c->d, "Evidence (rule " C1 "%s" C2 "): %s", f->rule,
			    marked(f, FINDING_EVIDENCE, evidence, sizeof(evidence))));
		CK(doc_para(c->d, "Suggestion: %s", marked(f, FINDING_SUGGESTION, suggestion, sizeof(suggestion))));
	}
	if (!n) {
		rules_no_hint_text(none, sizeof(none));
		CK(doc_para(c->d, "%s", none));
	}
	CK(doc_para(c->d,  B1 "Describe alternatives you've considered:" B2 ));
	for (i = 0, n = 0; i < c->nf; i++) {
		const struct finding *f = &c->f[i];

		if (f->kind != RULE_NOTE)
			continue;
		n++;
		CK(doc_item(c->d, "%s (rule " C1 "%s" C2 "): %s %s", marked(f, FINDING_TITLE, title, sizeof(title)),
			    f->rule, marked(f, FINDING_EVIDENCE, evidence, sizeof(evidence)),
			    marked(f, FINDING_SUGGESTION, suggestion, sizeof(suggestion))));
	}
	if (!n)
		CK(doc_para(c->d, "%s", rules_no_note_text));
	CK(doc_para(c->d,  B1 "Teachability, Documentation, Adoption, Migration Strategy:" B2 ));
	CK(doc_para(c->d, "Each suggestion can be checked the same way it was found: apply it, run "
		    "the same workload, capture again, and compare the numbers cited above in the new "
		    "report."));
}

static void reproduction(struct ctx *c)
{
	const struct evidence *ev = c->ev;
	int step = 1;

	CK(doc_heading(c->d, 2, "Reproduction steps"));
	if (ev->nnodes)
		CK(doc_para(c->d, "%d. Deploy the topology above (%zu instances)%s%s.", step++, ev->nnodes,
			    ev->cluster_version[0] ? ", version " : "", ev->cluster_version));
	else if (ev->ninst)
		CK(doc_para(c->d, "%d. Start the profiled process%s.", step++, ev->ninst > 1 ? "es" : ""));
	if (ev->wl.command[0]) {
		CK(doc_para(c->d, "%d. Run the workload:", step++));
		CK(doc_code(c->d, ev->wl.command));
	}
	if (ev->has_manifest) {
		char cmd[2200];

		snprintf(cmd, sizeof(cmd), "tiprof %s", ev->command);
		CK(doc_para(c->d, "%d. While it runs, capture:", step++));
		CK(doc_code(c->d, cmd));
	}
	{
		const char *base = strrchr(ev->bundle, '/');
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "tiprof report %.500s", base ? base + 1 : ev->bundle);
		CK(doc_para(c->d, "%d. Write this report from the bundle:", step++));
		CK(doc_code(c->d, cmd));
	}
}

int issue_build(const struct evidence *ev, const struct finding *f, size_t nf,
		const struct report_files *rf, struct doc *d, char **title)
{
	struct ctx cc = { d, ev, f, nf, rf, 0 }, *c = &cc;
	char *t = make_title(c), *p, *o;

	*title = NULL;
	if (!t)
		return -ENOMEM;
	CK(doc_heading(d, 1, "%s", t));
	summary(c);
	environment(c);
	topology(c);
	workload(c);
	captured(c);
	profiles(c);
	suggestions(c);
	reproduction(c);
	/* the plain title: no code markers */
	for (p = o = t; *p; p++)
		if (*p != '\x01' && *p != '\x02')
			*o++ = *p;
	*o = '\0';
	*title = t;
	return c->rc;
}
