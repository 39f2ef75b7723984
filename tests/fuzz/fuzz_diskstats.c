/* fuzz_diskstats.c - libFuzzer target for the /proc/diskstats and
 * /proc/uptime parsers and the iostat figures built from them.
 *
 * The input is parsed as diskstats; when that succeeds it is also compared
 * with itself shifted (the first half of the devices against the second),
 * so the counter arithmetic sees arbitrary pairs. Every figure must be a
 * finite number >= 0, and the text and JSON writers must not fail.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/metrics/iostat.h"
#include "collectors/proc/diskstats.h"

static FILE *devnull;

static void check_row(const struct iostat_row *w)
{
	const double v[] = {
		w->rs, w->rkbs, w->rrqms, w->rrqm_pct, w->r_await, w->rareq_sz,
		w->ws, w->wkbs, w->wrqms, w->wrqm_pct, w->w_await, w->wareq_sz,
		w->ds, w->dkbs, w->drqms, w->drqm_pct, w->d_await, w->dareq_sz,
		w->fs, w->f_await, w->aqu_sz, w->util, w->tps,
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!(v[i] >= 0) || !isfinite(v[i])) {
			fprintf(stderr, "fuzz_diskstats: figure %zu is %g\n", i, v[i]);
			abort();
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iostat_snapshot a, b;
	struct iostat_report r;
	struct tp_error err;
	uint64_t up = 0;
	size_t i, half;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	(void)diskstats_parse_uptime((const char *)data, size, "uptime", &up, &err);
	iostat_snapshot_init(&a);
	iostat_snapshot_init(&b);
	iostat_report_init(&r);
	if (diskstats_parse((const char *)data, size, "diskstats", &a, &err) < 0) {
		if (strchr(err.msg, '\n'))
			abort();
		goto out;
	}
	a.uptime_cs = up;
	if (iostat_report_build(&r, NULL, &a, NULL, &err) == 0) {
		for (i = 0; i < r.n; i++)
			check_row(&r.line[i].row);
		iostat_write_text(devnull, &r, 1);
		iostat_write_text(devnull, &r, 0);
		if (iostat_write_json(devnull, &r, "h", 0, 1, &err) < 0)
			abort();
	}
	/* the second half of the devices as a later snapshot of the first */
	half = a.n / 2;
	for (i = 0; i < half; i++) {
		struct iostat_dev *d = iostat_snapshot_add(&b, a.dev[i].name, strlen(a.dev[i].name));

		if (!d)
			abort();
		memcpy(d->v, a.dev[half + i].v, sizeof(d->v));
	}
	b.uptime_cs = up / 2;
	a.uptime_cs = up;
	if (iostat_report_build(&r, &b, &a, NULL, &err) == 0)
		for (i = 0; i < r.n; i++)
			check_row(&r.line[i].row);
	if (iostat_report_build(&r, &a, &b, NULL, &err) == 0)
		for (i = 0; i < r.n; i++)
			check_row(&r.line[i].row);
out:
	iostat_report_free(&r);
	iostat_snapshot_free(&a);
	iostat_snapshot_free(&b);
	return 0;
}
