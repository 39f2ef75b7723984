/* iostat.c - see iostat.h
 *
 * The figures follow sysstat 12.6 (iostat.c write_ext_stat and
 * rd_stats.c compute_ext_disk_stats): per-second values are
 * delta / itv * 100 with itv in hundredths of a second, computed in that
 * order so the rounding of the printed figures is the same.
 */
#include "analyzers/metrics/iostat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/jsonw.h"
#include "analyzers/bundle/schema.h"

static const char *const field_names[IOSTAT_NFIELDS] = {
	"rd_ios", "rd_merges", "rd_sectors", "rd_ticks",
	"wr_ios", "wr_merges", "wr_sectors", "wr_ticks",
	"ios_pgr", "io_ticks", "time_in_queue",
	"dc_ios", "dc_merges", "dc_sectors", "dc_ticks",
	"fl_ios", "fl_ticks",
};

const char *iostat_field_name(int field)
{
	if (field < 0 || field >= IOSTAT_NFIELDS)
		return "?";
	return field_names[field];
}

void iostat_snapshot_init(struct iostat_snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

struct iostat_dev *iostat_snapshot_add(struct iostat_snapshot *s, const char *name,
				       size_t len)
{
	struct iostat_dev *d;

	if (s->n >= IOSTAT_MAX_DEVICES)
		return NULL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		d = realloc(s->dev, cap * sizeof(*d));
		if (!d)
			return NULL;
		s->dev = d;
		s->cap = cap;
	}
	d = &s->dev[s->n++];
	memset(d, 0, sizeof(*d));
	if (len >= IOSTAT_NAME_MAX)
		len = IOSTAT_NAME_MAX - 1;
	memcpy(d->name, name, len);
	d->name[len] = '\0';
	return d;
}

void iostat_snapshot_reset(struct iostat_snapshot *s)
{
	s->n = 0;
	s->uptime_cs = 0;
}

void iostat_snapshot_free(struct iostat_snapshot *s)
{
	free(s->dev);
	memset(s, 0, sizeof(*s));
}

/* The kernel prints these as 32-bit unsigned milliseconds: they wrap. */
static int is_ticks(int f)
{
	return f == IOSTAT_RD_TICKS || f == IOSTAT_WR_TICKS || f == IOSTAT_TOT_TICKS ||
	       f == IOSTAT_RQ_TICKS || f == IOSTAT_DC_TICKS || f == IOSTAT_FL_TICKS;
}

static unsigned __int128 sum_ios(const uint64_t *v)
{
	return (unsigned __int128)v[IOSTAT_RD_IOS] + v[IOSTAT_WR_IOS] + v[IOSTAT_DC_IOS] +
	       v[IOSTAT_FL_IOS];
}

/* sysstat's S_VALUE: per second, itv in 1/100 s. */
static double per_s(uint64_t d, uint64_t itv)
{
	return (double)d / (double)itv * 100;
}

static double ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : 0.0;
}

static double pct_merged(uint64_t merges, uint64_t ios)
{
	double total = (double)merges + (double)ios;

	return total > 0 ? (double)merges / total * 100 : 0.0;
}

unsigned iostat_compute(const struct iostat_dev *prev, const struct iostat_dev *curr,
			uint64_t itv, struct iostat_row *row, int *bad_field)
{
	static const uint64_t zero[IOSTAT_NFIELDS];
	const uint64_t *a = prev ? prev->v : zero, *b = curr->v;
	uint64_t d[IOSTAT_NFIELDS];
	unsigned flags = 0;
	int f, bad = -1;

	if (itv == 0)
		itv = 1;
	/* iostat's test for a device removed and inserted again. */
	if (prev && sum_ios(b) < sum_ios(a) &&
	    (!a[IOSTAT_RD_SECTORS] || b[IOSTAT_RD_SECTORS] < a[IOSTAT_RD_SECTORS]) &&
	    (!a[IOSTAT_WR_SECTORS] || b[IOSTAT_WR_SECTORS] < a[IOSTAT_WR_SECTORS]) &&
	    (!a[IOSTAT_DC_SECTORS] || b[IOSTAT_DC_SECTORS] < a[IOSTAT_DC_SECTORS])) {
		a = zero;
		flags |= IOSTAT_F_RESET;
	}
	for (f = 0; f < IOSTAT_NFIELDS; f++) {
		if (b[f] >= a[f]) {
			d[f] = b[f] - a[f];
		} else if (is_ticks(f) && a[f] <= UINT32_MAX && b[f] <= UINT32_MAX &&
			   (uint32_t)(b[f] - a[f]) <= UINT32_C(0x80000000)) {
			d[f] = (uint32_t)(b[f] - a[f]);	/* wrapped around */
		} else {
			d[f] = 0;
			if (f != IOSTAT_IOS_PGR) {	/* a gauge, not a counter */
				flags |= IOSTAT_F_BACKWARDS;
				if (bad < 0)
					bad = f;
			}
		}
	}
	if (bad_field)
		*bad_field = bad;

	memset(row, 0, sizeof(*row));
	row->rs = per_s(d[IOSTAT_RD_IOS], itv);
	row->rkbs = per_s(d[IOSTAT_RD_SECTORS], itv) / 2;
	row->rrqms = per_s(d[IOSTAT_RD_MERGES], itv);
	row->rrqm_pct = pct_merged(d[IOSTAT_RD_MERGES], d[IOSTAT_RD_IOS]);
	row->r_await = ratio(d[IOSTAT_RD_TICKS], d[IOSTAT_RD_IOS]);
	row->rareq_sz = ratio(d[IOSTAT_RD_SECTORS], d[IOSTAT_RD_IOS]) / 2;

	row->ws = per_s(d[IOSTAT_WR_IOS], itv);
	row->wkbs = per_s(d[IOSTAT_WR_SECTORS], itv) / 2;
	row->wrqms = per_s(d[IOSTAT_WR_MERGES], itv);
	row->wrqm_pct = pct_merged(d[IOSTAT_WR_MERGES], d[IOSTAT_WR_IOS]);
	row->w_await = ratio(d[IOSTAT_WR_TICKS], d[IOSTAT_WR_IOS]);
	row->wareq_sz = ratio(d[IOSTAT_WR_SECTORS], d[IOSTAT_WR_IOS]) / 2;

	row->ds = per_s(d[IOSTAT_DC_IOS], itv);
	row->dkbs = per_s(d[IOSTAT_DC_SECTORS], itv) / 2;
	row->drqms = per_s(d[IOSTAT_DC_MERGES], itv);
	row->drqm_pct = pct_merged(d[IOSTAT_DC_MERGES], d[IOSTAT_DC_IOS]);
	row->d_await = ratio(d[IOSTAT_DC_TICKS], d[IOSTAT_DC_IOS]);
	row->dareq_sz = ratio(d[IOSTAT_DC_SECTORS], d[IOSTAT_DC_IOS]) / 2;

	row->fs = per_s(d[IOSTAT_FL_IOS], itv);
	row->f_await = ratio(d[IOSTAT_FL_TICKS], d[IOSTAT_FL_IOS]);
	row->aqu_sz = per_s(d[IOSTAT_RQ_TICKS], itv) / 1000.0;
	row->util = per_s(d[IOSTAT_TOT_TICKS], itv) / 10.0;

	/* Flushes are counted as writes already; tps is reads+writes+discards. */
	row->tps = per_s(d[IOSTAT_RD_IOS] + d[IOSTAT_WR_IOS] + d[IOSTAT_DC_IOS], itv);
	row->kb_read = d[IOSTAT_RD_SECTORS] / 2;
	row->kb_wrtn = d[IOSTAT_WR_SECTORS] / 2;
	row->kb_dscd = d[IOSTAT_DC_SECTORS] / 2;
	return flags;
}

void iostat_report_init(struct iostat_report *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->notes, 1 << 20);
}

void iostat_report_free(struct iostat_report *r)
{
	free(r->line);
	buf_free(&r->notes);
	memset(r, 0, sizeof(*r));
}

static int cmp_dev_ptr(const void *a, const void *b)
{
	const struct iostat_dev *x = *(const struct iostat_dev *const *)a;
	const struct iostat_dev *y = *(const struct iostat_dev *const *)b;

	return strcmp(x->name, y->name);
}

/* Sorted pointers to s's devices, for lookups by name. */
static int index_by_name(const struct iostat_snapshot *s, const struct iostat_dev ***out)
{
	const struct iostat_dev **ix;
	size_t i;

	*out = NULL;
	if (!s || s->n == 0)
		return 0;
	ix = malloc(s->n * sizeof(*ix));
	if (!ix)
		return -ENOMEM;
	for (i = 0; i < s->n; i++)
		ix[i] = &s->dev[i];
	qsort(ix, s->n, sizeof(*ix), cmp_dev_ptr);
	*out = ix;
	return 0;
}

static const struct iostat_dev *find_dev(const struct iostat_dev **ix, size_t n,
					 const char *name)
{
	size_t lo = 0, hi = n;

	while (ix && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix[mid]->name, name);

		if (c == 0) {
			/* The first of equal names, in snapshot order. */
			while (mid > 0 && strcmp(ix[mid - 1]->name, name) == 0)
				mid--;
			return ix[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int selected(const struct iostat_select *sel, const char *name)
{
	size_t i;

	for (i = 0; i < sel->n; i++)
		if (strcmp(sel->names[i], name) == 0)
			return 1;
	return 0;
}

static int active(const uint64_t *a, const uint64_t *b)
{
	return a[IOSTAT_RD_IOS] != b[IOSTAT_RD_IOS] || a[IOSTAT_WR_IOS] != b[IOSTAT_WR_IOS] ||
	       a[IOSTAT_DC_IOS] != b[IOSTAT_DC_IOS] || a[IOSTAT_FL_IOS] != b[IOSTAT_FL_IOS];
}

int iostat_report_build(struct iostat_report *r, const struct iostat_snapshot *prev,
			const struct iostat_snapshot *curr, const struct iostat_select *sel,
			struct tp_error *err)
{
	static const struct iostat_select all;
	static const uint64_t zero[IOSTAT_NFIELDS];
	const struct iostat_dev **pix = NULL, **cix = NULL;
	size_t i;
	int rc;

	if (!sel)
		sel = &all;
	r->n = 0;
	buf_reset(&r->notes);
	r->since_boot = !prev || (prev->n == 0 && prev->uptime_cs == 0);
	if (!r->since_boot && curr->uptime_cs < prev->uptime_cs) {
		buf_printf(&r->notes, "uptime went backwards (%" PRIu64 ".%02u s -> %" PRIu64
			   ".%02u s; rebooted?): figures since boot\n",
			   prev->uptime_cs / 100, (unsigned)(prev->uptime_cs % 100),
			   curr->uptime_cs / 100, (unsigned)(curr->uptime_cs % 100));
		r->since_boot = 1;
	}
	r->itv_cs = r->since_boot ? curr->uptime_cs : curr->uptime_cs - prev->uptime_cs;
	if (r->itv_cs == 0)
		r->itv_cs = 1;
	free(r->line);
	r->line = curr->n ? malloc(curr->n * sizeof(*r->line)) : NULL;
	rc = -ENOMEM;
	if (curr->n && !r->line)
		goto nomem;
	if (!r->since_boot && ((rc = index_by_name(prev, &pix)) < 0 ||
			       (rc = index_by_name(curr, &cix)) < 0))
		goto nomem;

	for (i = 0; i < curr->n; i++) {
		const struct iostat_dev *c = &curr->dev[i];
		const struct iostat_dev *p = NULL;
		struct iostat_line *l;
		int bad;

		if (!r->since_boot) {
			p = find_dev(pix, prev->n, c->name);
			if (find_dev(cix, curr->n, c->name) != c)
				continue;	/* a repeated name: the first one counts */
		}
		if (sel->n ? !selected(sel, c->name) : !active(p ? p->v : zero, c->v))
			continue;
		l = &r->line[r->n++];
		l->dev = c;
		l->flags = iostat_compute(p, c, r->itv_cs, &l->row, &bad);
		if (!r->since_boot && !p) {
			l->flags |= IOSTAT_F_NEW;
			buf_printf(&r->notes, "%s: new device, counted from zero\n", c->name);
		}
		if (l->flags & IOSTAT_F_RESET)
			buf_printf(&r->notes, "%s: I/O counters went down (device reset or "
				   "replaced), counted from zero\n", c->name);
		else if (l->flags & IOSTAT_F_BACKWARDS)
			buf_printf(&r->notes, "%s: counter %s went down, counted as 0 for "
				   "this interval\n", c->name, iostat_field_name(bad));
	}
	if (!r->since_boot) {
		for (i = 0; i < prev->n; i++) {
			const char *name = prev->dev[i].name;

			if (!find_dev(cix, curr->n, name) &&
			    find_dev(pix, prev->n, name) == &prev->dev[i] &&
			    (!sel->n || selected(sel, name)))
				buf_printf(&r->notes, "%s: device disappeared\n", name);
		}
	}
	for (i = 0; i < sel->n; i++) {
		size_t k;

		for (k = 0; k < curr->n; k++)
			if (strcmp(curr->dev[k].name, sel->names[i]) == 0)
				break;
		if (k == curr->n && (r->since_boot || !find_dev(pix, prev->n, sel->names[i])))
			buf_printf(&r->notes, "%s: no such device\n", sel->names[i]);
	}
	free(pix);
	free(cix);
	return 0;
nomem:
	free(pix);
	free(cix);
	return tp_error_msg(err, -ENOMEM, "out of memory building the iostat report");
}

/* A device name as one printable line. */
static void put_name(FILE *fp, const char *name)
{
	char tmp[IOSTAT_NAME_MAX];
	size_t i;

	for (i = 0; name[i] && i < sizeof(tmp) - 1; i++)
		tmp[i] = ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) ? '?' : name[i];
	tmp[i] = '\0';
	fprintf(fp, "%-13s", tmp);
}

void iostat_write_text(FILE *fp, const struct iostat_report *r, int extended)
{
	size_t i;

	if (extended)
		fputs("Device            r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz"
		      "     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz"
		      "     d/s     dkB/s   drqm/s  %drqm d_await dareq-sz"
		      "     f/s f_await  aqu-sz  %util\n", fp);
	else
		fputs("Device             tps    kB_read/s    kB_wrtn/s    kB_dscd/s"
		      "    kB_read    kB_wrtn    kB_dscd\n", fp);
	for (i = 0; i < r->n; i++) {
		const struct iostat_row *w = &r->line[i].row;

		put_name(fp, r->line[i].dev->name);
		if (extended)
			fprintf(fp, " %7.2f %9.2f %8.2f %6.2f %7.2f %8.2f"
				" %7.2f %9.2f %8.2f %6.2f %7.2f %8.2f"
				" %7.2f %9.2f %8.2f %6.2f %7.2f %8.2f"
				" %7.2f %7.2f %7.2f %6.2f\n",
				w->rs, w->rkbs, w->rrqms, w->rrqm_pct, w->r_await, w->rareq_sz,
				w->ws, w->wkbs, w->wrqms, w->wrqm_pct, w->w_await, w->wareq_sz,
				w->ds, w->dkbs, w->drqms, w->drqm_pct, w->d_await, w->dareq_sz,
				w->fs, w->f_await, w->aqu_sz, w->util);
		else
			fprintf(fp, " %8.2f %12.2f %12.2f %12.2f %10" PRIu64 " %10" PRIu64
				" %10" PRIu64 "\n", w->tps, w->rkbs, w->wkbs, w->dkbs,
				w->kb_read, w->kb_wrtn, w->kb_dscd);
	}
	fputs("\n\n", fp);
}

/* The lines of io.jsonl and threads.jsonl: the keys the report reads are
 * named in analyzers/bundle/schema.h. */
int iostat_write_json(FILE *fp, const struct iostat_report *r, const char *host,
		      double time, int extended, struct tp_error *err)
{
	struct jsonw w;
	size_t i;
	int rc;

	jsonw_init(&w, fp);
	jsonw_object_begin(&w);
	jsonw_kv_string(&w, SERIES_TYPE, SERIES_TYPE_IOSTAT);
	if (host)
		jsonw_kv_string(&w, SERIES_HOST, host);
	jsonw_kv_double(&w, SERIES_TIME, time, 3);
	jsonw_kv_double(&w, "interval", (double)r->itv_cs / 100, 2);
	jsonw_kv_bool(&w, SERIES_SINCE_BOOT, r->since_boot);
	jsonw_key(&w, SERIES_DISKS);
	jsonw_array_begin(&w);
	for (i = 0; i < r->n; i++) {
		const struct iostat_row *x = &r->line[i].row;

		jsonw_object_begin(&w);
		jsonw_kv_string(&w, SERIES_DISK_DEVICE, r->line[i].dev->name);
		if (!extended) {
			jsonw_kv_double(&w, "tps", x->tps, 2);
			jsonw_kv_double(&w, "kB_read/s", x->rkbs, 2);
			jsonw_kv_double(&w, "kB_wrtn/s", x->wkbs, 2);
			jsonw_kv_double(&w, "kB_dscd/s", x->dkbs, 2);
			jsonw_kv_uint(&w, "kB_read", x->kb_read);
			jsonw_kv_uint(&w, "kB_wrtn", x->kb_wrtn);
			jsonw_kv_uint(&w, "kB_dscd", x->kb_dscd);
			jsonw_object_end(&w);
			continue;
		}
		jsonw_kv_double(&w, SERIES_DISK_RS, x->rs, 2);
		jsonw_kv_double(&w, SERIES_DISK_WS, x->ws, 2);
		jsonw_kv_double(&w, "d/s", x->ds, 2);
		jsonw_kv_double(&w, "f/s", x->fs, 2);
		jsonw_kv_double(&w, SERIES_DISK_RKBS, x->rkbs, 2);
		jsonw_kv_double(&w, SERIES_DISK_WKBS, x->wkbs, 2);
		jsonw_kv_double(&w, "dkB/s", x->dkbs, 2);
		jsonw_kv_double(&w, "rrqm/s", x->rrqms, 2);
		jsonw_kv_double(&w, "wrqm/s", x->wrqms, 2);
		jsonw_kv_double(&w, "drqm/s", x->drqms, 2);
		jsonw_kv_double(&w, "rrqm", x->rrqm_pct, 2);
		jsonw_kv_double(&w, "wrqm", x->wrqm_pct, 2);
		jsonw_kv_double(&w, "drqm", x->drqm_pct, 2);
		jsonw_kv_double(&w, SERIES_DISK_R_AWAIT, x->r_await, 2);
		jsonw_kv_double(&w, SERIES_DISK_W_AWAIT, x->w_await, 2);
		jsonw_kv_double(&w, "d_await", x->d_await, 2);
		jsonw_kv_double(&w, "f_await", x->f_await, 2);
		jsonw_kv_double(&w, "rareq-sz", x->rareq_sz, 2);
		jsonw_kv_double(&w, "wareq-sz", x->wareq_sz, 2);
		jsonw_kv_double(&w, "dareq-sz", x->dareq_sz, 2);
		jsonw_kv_double(&w, SERIES_DISK_AQU_SZ, x->aqu_sz, 2);
		jsonw_kv_double(&w, SERIES_DISK_UTIL, x->util, 2);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_kv_lines(&w, "notes", r->notes.data, r->notes.len);
	jsonw_object_end(&w);
	rc = jsonw_end_line(&w);
	if (rc < 0)
		return tp_error_msg(err, rc, "cannot write the iostat report");
	return 0;
}
