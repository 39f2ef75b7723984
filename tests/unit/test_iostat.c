/* test_iostat.c - iostat figures: hand-computed expectations for the fake
 * /proc trees, and the recorded sysstat output of the corpus. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/metrics/iostat.h"
#include "check.h"
#include "collectors/proc/diskstats.h"

static const char *top(void)
{
	const char *t = getenv("TOP");

	return t && *t ? t : ".";
}

static const char *corpus(void)
{
	const char *c = getenv("CORPUS");

	return c && *c ? c : "../shared/corpus";
}

static int read_tree(const char *name, struct iostat_snapshot *s)
{
	struct tp_error err;
	char root[4096];

	snprintf(root, sizeof(root), "%s/tests/fixtures/proc/%s", top(), name);
	tp_error_init(&err);
	return diskstats_read(root, s, &err);
}

/* The report as iostat -x text, without the two trailing empty lines. */
static char *text_of(const struct iostat_report *r, int extended)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	iostat_write_text(f, r, extended);
	fclose(f);
	if (len >= 2)
		out[len - 2] = '\0';
	return out;
}

#define HEADER "Device            r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz     d/s     dkB/s   drqm/s  %drqm d_await dareq-sz     f/s f_await  aqu-sz  %util\n"

/* Since boot (t0, uptime 100.00 s): every figure worked out by hand, e.g.
 * sda r/s = 1000 / 10000 cs * 100 = 10.00, %rrqm = 100 / 1100 = 9.09 %,
 * rareq-sz = 80000 / 1000 / 2 = 40.00 kB, aqu-sz = 13000 / 100 s / 1000,
 * %util = 6000 ms / 100 s / 10; loop0 never did IO and is hidden. */
static void test_since_boot(void)
{
	struct iostat_snapshot s;
	struct iostat_report r;
	struct tp_error err;
	char *t;

	iostat_snapshot_init(&s);
	iostat_report_init(&r);
	CHECK_EQ_INT(read_tree("t0", &s), 0);
	CHECK_EQ_INT(iostat_report_build(&r, NULL, &s, NULL, &err), 0);
	CHECK(r.since_boot);
	CHECK_EQ_INT(r.itv_cs, 10000);
	t = text_of(&r, 1);
	CHECK_EQ_STR(t, HEADER
"sda             10.00    400.00     1.00   9.09    5.00    40.00   20.00    800.00     2.00   9.09    4.00    40.00    0.10     10.00     0.01   9.09    5.00   100.00    3.00    0.20    0.13   6.00\n"
"sda1             9.00     80.00     0.00   0.00    0.00     8.89   18.00    160.00     0.00   0.00    0.00     8.89    0.00      0.00     0.00   0.00    0.00     0.00    0.00    0.00    0.00   0.00\n"
"sdb              5.00     20.00     0.00   0.00    2.00     4.00    5.00     20.00     0.00   0.00    2.00     4.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00    0.00    0.02   1.50\n"
"sdc              0.10      0.40     0.00   0.00    1.00     4.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00    0.00    0.00   0.01\n"
"sde              1.00      4.00     0.00   0.00    1.00     4.00    1.00      4.00     0.00   0.00    1.00     4.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00    0.00    0.00   0.10\n"
"sdf              0.10      0.40     0.00   0.00 429496729.00     4.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00    0.00    0.00   0.01\n");
	free(t);
	/* without -x: tps = (rd + wr + dc ios) / s; kB = sectors / 2 */
	t = text_of(&r, 0);
	CHECK(strstr(t, "Device             tps    kB_read/s    kB_wrtn/s    kB_dscd/s    kB_read    kB_wrtn    kB_dscd\n"
			"sda              30.10       400.00       800.00        10.00      40000      80000       1000\n") == t);
	free(t);
	CHECK_EQ_INT(r.notes.len, 0);
	iostat_report_free(&r);
	iostat_snapshot_free(&s);
}

/* t0 -> t1, 2.00 s: sda 100 reads / 2 s = 50.00 r/s, 6400 sectors / 2 /
 * 2 s = 1600 wkB/s, %wrqm 100 / 500; sdb reset (counted from zero: 5
 * reads in 2 s = 2.50 r/s); sdd new (counted from zero); sde's wr_ticks
 * went down (w_await 0); sdf's rd_ticks wrapped (10 ms / 10 reads). */
static void test_interval(void)
{
	struct iostat_snapshot a, b;
	struct iostat_report r;
	struct tp_error err;
	char *t;
	size_t i;

	iostat_snapshot_init(&a);
	iostat_snapshot_init(&b);
	iostat_report_init(&r);
	CHECK_EQ_INT(read_tree("t0", &a), 0);
	CHECK_EQ_INT(read_tree("t1", &b), 0);
	CHECK_EQ_INT(iostat_report_build(&r, &a, &b, NULL, &err), 0);
	CHECK(!r.since_boot);
	CHECK_EQ_INT(r.itv_cs, 200);
	t = text_of(&r, 1);
	CHECK_EQ_STR(t, HEADER
"sda             50.00    200.00     0.00   0.00    4.00     4.00  200.00   1600.00    50.00  20.00    2.00     8.00    0.00      0.00     0.00   0.00    0.00     0.00   20.00    0.10    0.25   7.50\n"
"sdb              2.50     10.00     0.00   0.00    0.60     4.00    0.50      2.00     0.00   0.00    2.00     4.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00    0.00    0.00   0.20\n"
"sdd             10.00     40.00     0.00   0.00    1.00     4.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00    0.00    0.01   1.00\n"
"sde             25.00    100.00     0.00   0.00    1.00     4.00   10.00     40.00     0.00   0.00    0.00     4.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00    0.00    0.03   1.00\n"
"sdf              5.00     20.00     0.00   0.00    1.00     4.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00      0.00     0.00   0.00    0.00     0.00    0.00    0.00    0.01   0.50\n");
	free(t);
	CHECK_EQ_STR(r.notes.data,
		     "sdb: I/O counters went down (device reset or replaced), counted from zero\n"
		     "sdd: new device, counted from zero\n"
		     "sde: counter wr_ticks went down, counted as 0 for this interval\n"
		     "sdc: device disappeared\n");
	CHECK(r.line[1].flags & IOSTAT_F_RESET);
	CHECK(r.line[2].flags & IOSTAT_F_NEW);
	CHECK(r.line[3].flags & IOSTAT_F_BACKWARDS);
	CHECK_EQ_INT(r.line[4].flags, 0);
	for (i = 0; i < r.n; i++)
		CHECK(r.line[i].row.rs >= 0 && r.line[i].row.w_await >= 0);

	/* -p: named devices are shown even when idle; unknown ones noted */
	{
		const char *names[] = { "sda1", "sdc", "nvme9" };
		struct iostat_select sel = { names, 3 };

		CHECK_EQ_INT(iostat_report_build(&r, &a, &b, &sel, &err), 0);
		CHECK_EQ_INT(r.n, 1);
		CHECK_EQ_STR(r.line[0].dev->name, "sda1");
		CHECK_EQ_INT(r.line[0].row.rs * 100, 0);
		CHECK_EQ_STR(r.notes.data, "sdc: device disappeared\nnvme9: no such device\n");
	}
	/* uptime going backwards: a reboot, so figures since boot */
	CHECK_EQ_INT(iostat_report_build(&r, &b, &a, NULL, &err), 0);
	CHECK(r.since_boot);
	CHECK_EQ_INT(r.itv_cs, 10000);
	CHECK(strstr(r.notes.data, "uptime went backwards") != NULL);
	iostat_report_free(&r);
	iostat_snapshot_free(&a);
	iostat_snapshot_free(&b);
}

static void test_counters(void)
{
	struct iostat_dev p, c;
	struct iostat_row row;
	unsigned flags;
	int bad;

	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	/* 32-bit millisecond counters wrap */
	p.v[IOSTAT_RD_IOS] = 10;
	c.v[IOSTAT_RD_IOS] = 20;
	p.v[IOSTAT_TOT_TICKS] = UINT32_MAX - 99;
	c.v[IOSTAT_TOT_TICKS] = 400;	/* +500 ms */
	flags = iostat_compute(&p, &c, 100, &row, &bad);
	CHECK_EQ_INT(flags, 0);
	CHECK_EQ_INT(bad, -1);
	CHECK(fabs(row.util - 50.0) < 1e-9);
	/* a 64-bit counter going down: 0, and the field named */
	p.v[IOSTAT_WR_SECTORS] = 100;
	p.v[IOSTAT_WR_IOS] = 5;
	c.v[IOSTAT_WR_IOS] = 6;
	flags = iostat_compute(&p, &c, 100, &row, &bad);
	CHECK(flags & IOSTAT_F_BACKWARDS);
	CHECK_EQ_STR(iostat_field_name(bad), "wr_sectors");
	CHECK(row.wkbs == 0 && row.wareq_sz == 0);
	/* a huge "wrap" is a counter going down */
	p.v[IOSTAT_RQ_TICKS] = 1000;
	c.v[IOSTAT_RQ_TICKS] = 999;
	flags = iostat_compute(&p, &c, 100, &row, &bad);
	CHECK(flags & IOSTAT_F_BACKWARDS);
	CHECK(row.aqu_sz == 0);
	/* itv 0 is taken as 1 */
	flags = iostat_compute(NULL, &c, 0, &row, NULL);
	CHECK(fabs(row.rs - 2000.0) < 1e-9);
}

/* The vda line of a recorded iostat -x -d report: 22 figures. */
static int recorded(const char *file, int report, double *v)
{
	char path[4096], line[1024];
	FILE *f;
	int seen = 0, n = -1;

	snprintf(path, sizeof(path), "%s/io/%s", corpus(), file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "vda ", 4) == 0 && ++seen == report) {
			n = sscanf(line + 4, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf"
				   " %lf %lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3],
				   &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12],
				   &v[13], &v[14], &v[15], &v[16], &v[17], &v[18], &v[19], &v[20],
				   &v[21]);
			break;
		}
	fclose(f);
	return n;
}

static int load_corpus(const char *file, struct iostat_snapshot *s)
{
	char path[4096], text[8192];
	struct tp_error err;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/io/%s", corpus(), file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	iostat_snapshot_reset(s);
	if (strncmp(file, "uptime", 6) == 0)
		return diskstats_parse_uptime(text, n, path, &s->uptime_cs, &err);
	return diskstats_parse(text, n, path, s, &err);
}

static void row_values(const struct iostat_row *w, double *v)
{
	const double x[22] = {
		w->rs, w->rkbs, w->rrqms, w->rrqm_pct, w->r_await, w->rareq_sz,
		w->ws, w->wkbs, w->wrqms, w->wrqm_pct, w->w_await, w->wareq_sz,
		w->ds, w->dkbs, w->drqms, w->drqm_pct, w->d_await, w->dareq_sz,
		w->fs, w->f_await, w->aqu_sz, w->util,
	};

	memcpy(v, x, sizeof(x));
}

/* iostat's first report (since boot) from the snapshot taken before it.
 * The read and discard counters did not move between the snapshot and
 * iostat's own read (dd only writes), so those columns must match:
 * - exactly, for the ratios that do not depend on the uptime (%rrqm,
 *   r_await, rareq-sz, %drqm, d_await, dareq-sz);
 * - within 0.1 % for the rates (the snapshot's uptime is 0.3 s older);
 * - exactly, to the printed digit, for all twelve read and discard columns
 *   at the uptime iostat itself used (the one its r/s and rkB/s imply).
 * The write and flush counters moved (dd was running): not compared. */
static void check_first_report(const char *ds_file, const char *up_file, const char *io_file,
			       uint64_t iostat_uptime_cs)
{
	static const int read_discard[12] = { 0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 16, 17 };
	static const int ratios[6] = { 3, 4, 5, 15, 16, 17 };
	struct iostat_snapshot s, u;
	struct iostat_row row;
	double want[22], got[22];
	char a[64], b[64];
	int i;

	iostat_snapshot_init(&s);
	iostat_snapshot_init(&u);
	CHECK_EQ_INT(load_corpus(ds_file, &s), 0);
	CHECK_EQ_INT(load_corpus(up_file, &u), 0);
	CHECK_EQ_INT(recorded(io_file, 1, want), 22);
	CHECK(s.n == 10 && strcmp(s.dev[8].name, "vda") == 0);
	if (s.n != 10)
		goto out;
	iostat_compute(NULL, &s.dev[8], u.uptime_cs, &row, NULL);
	row_values(&row, got);
	for (i = 0; i < 6; i++) {
		snprintf(a, sizeof(a), "%.2f", got[ratios[i]]);
		snprintf(b, sizeof(b), "%.2f", want[ratios[i]]);
		CHECK_EQ_STR(a, b);
	}
	for (i = 0; i < 12; i++)
		CHECK(fabs(got[read_discard[i]] - want[read_discard[i]]) <=
		      0.001 * want[read_discard[i]] + 0.005);
	iostat_compute(NULL, &s.dev[8], iostat_uptime_cs, &row, NULL);
	row_values(&row, got);
	for (i = 0; i < 12; i++) {
		snprintf(a, sizeof(a), "%.2f", got[read_discard[i]]);
		snprintf(b, sizeof(b), "%.2f", want[read_discard[i]]);
		CHECK_EQ_STR(a, b);
	}
out:
	iostat_snapshot_free(&s);
	iostat_snapshot_free(&u);
}

static void test_corpus_first_report(void)
{
	/* 2012617 kB / 3149.59 kB/s = 639.01 s; 2012617 / 3107.81 = 647.60 s */
	check_first_report("diskstats_before_direct_dsync.txt", "uptime_before_direct_dsync.txt",
			   "iostat_x_d_1_3_direct_dsync.txt", 63901);
	check_first_report("diskstats_before_delayacct_on.txt", "uptime_before_delayacct_on.txt",
			   "iostat_x_d_1_3_delayacct_on.txt", 64760);
}

/* The 1-second reports: the per-request figures follow from the rates. */
static void test_corpus_consistency(void)
{
	static const char *const files[2] = {
		"iostat_x_d_1_3_direct_dsync.txt", "iostat_x_d_1_3_delayacct_on.txt",
	};
	struct iostat_dev p, c;
	struct iostat_row row;
	double v[22];
	int f, k;

	for (f = 0; f < 2; f++)
		for (k = 2; k <= 3; k++) {
			CHECK_EQ_INT(recorded(files[f], k, v), 22);
			/* rebuild 1 s of counters from the printed rates */
			memset(&p, 0, sizeof(p));
			memset(&c, 0, sizeof(c));
			c.v[IOSTAT_WR_IOS] = (uint64_t)llround(v[6]);
			c.v[IOSTAT_WR_SECTORS] = (uint64_t)llround(v[7] * 2);
			c.v[IOSTAT_WR_MERGES] = (uint64_t)llround(v[8]);
			c.v[IOSTAT_FL_IOS] = (uint64_t)llround(v[18]);
			iostat_compute(&p, &c, 100, &row, NULL);
			CHECK(fabs(row.wareq_sz - v[11]) < 0.006);
			CHECK(fabs(row.wrqm_pct - v[9]) < 0.006);
			CHECK(fabs(row.fs - v[18]) < 0.006);
		}
}

int main(void)
{
	RUN(test_since_boot);
	RUN(test_interval);
	RUN(test_counters);
	RUN(test_corpus_first_report);
	RUN(test_corpus_consistency);
	return CHECK_DONE();
}
