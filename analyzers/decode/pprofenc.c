/* pprofenc.c - encoding the model as profile.proto; see pprof.h.
 *
 * The Profile is written in field order. Samples come first and create
 * locations as they meet them; mappings, locations and functions follow,
 * then the string table, whose indexes were handed out in order of first
 * use (0 is ""). Model string ids map to table indexes through one array
 * the size of the profile's string table.
 *
 * A location is a run of frames (root first: the caller, then the frames
 * inlined into it). Runs of one frame, the common case, find their
 * location through an array indexed by frame id; longer runs through a
 * hash table keyed by their frame ids.
 */
#include "analyzers/decode/pprof.h"
#include "analyzers/base/array.h"
#include "analyzers/base/gzip.h"
#include "analyzers/base/hash.h"
#include "analyzers/decode/protobuf.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct loc {
	uint32_t first, n;	/* frame ids in enc.lf */
	uint64_t hash;
};

struct fn {
	uint32_t name, file;
	uint64_t hash;
};

struct slots {
	uint32_t *s;		/* record index + 1, 0 = empty */
	size_t n;		/* power of two or 0 */
};

struct enc {
	const struct profile *p;
	struct buf *b;

	uint32_t *sidx;		/* model string id -> table index (0 = none yet) */
	uint32_t *strs;		/* table index -> model string id */
	size_t nstrs, strs_cap;

	struct loc *locs;
	size_t nlocs, locs_cap;
	uint32_t *lf;		/* frame ids of all locations */
	size_t nlf, lf_cap;
	uint32_t *loc_of_frame;	/* one-frame locations: frame id -> loc id */
	struct slots loc_tab;

	struct fn *fns;
	size_t nfns, fns_cap;
	struct slots fn_tab;

	uint32_t *synth_of_module;	/* module string id -> mapping id */
	uint32_t *synth;		/* modules of the synthesized mappings */
	size_t nsynth, synth_cap;

	uint64_t *ids;		/* one sample's location ids */
	size_t ids_cap;
	struct label *labels;	/* one sample's labels, sorted */
	size_t labels_cap;
	struct buf ph;		/* placeholder names */
};


/* Rebuild t for count records with the given hashes (stride bytes apart). */
static int slots_grow(struct slots *t, size_t count, const void *recs, size_t stride,
		      size_t hash_off)
{
	size_t ns = t->n ? t->n * 2 : 1024, i;
	uint32_t *s;

	while (ns < count * 2)
		ns *= 2;
	s = calloc(ns, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		uint64_t h;
		size_t j;

		memcpy(&h, (const char *)recs + i * stride + hash_off, sizeof(h));
		j = h & (ns - 1);
		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = (uint32_t)(i + 1);
	}
	free(t->s);
	t->s = s;
	t->n = ns;
	return 0;
}

/* The table index of model string sid, assigned on first use. */
static int str_index(struct enc *e, uint32_t sid, uint64_t *idx)
{
	if (sid == 0) {
		*idx = 0;
		return 0;
	}
	if (!e->sidx[sid]) {
		if (array_grow((void **)&e->strs, &e->strs_cap, e->nstrs + 1, sizeof(*e->strs)) < 0)
			return -ENOMEM;
		e->strs[e->nstrs] = sid;
		e->sidx[sid] = (uint32_t)e->nstrs++;
	}
	*idx = e->sidx[sid];
	return 0;
}

/* Field num = string index of sid, omitted when it is 0. */
static int put_str(struct enc *e, uint32_t num, uint32_t sid)
{
	uint64_t idx;
	int rc;

	if ((rc = str_index(e, sid, &idx)) < 0)
		return rc;
	return idx ? pb_put_uint(e->b, num, idx) : 0;
}

static int put_nonzero(struct buf *b, uint32_t num, uint64_t v)
{
	return v ? pb_put_uint(b, num, v) : 0;
}

/* ---- mappings ---- */

static int mapping_of(struct enc *e, const struct frame *f, uint64_t *id)
{
	size_t nmodel = profile_mapping_count(e->p);

	*id = f->mapping;
	if (f->mapping || !f->module)
		return 0;
	if (!e->synth_of_module[f->module]) {
		if (array_grow((void **)&e->synth, &e->synth_cap, e->nsynth + 1,
			 sizeof(*e->synth)) < 0)
			return -ENOMEM;
		e->synth[e->nsynth++] = f->module;
		e->synth_of_module[f->module] = (uint32_t)(nmodel + e->nsynth);
	}
	*id = e->synth_of_module[f->module];
	return 0;
}

static int put_mapping(struct enc *e, uint64_t id, const struct mapping *m)
{
	size_t mark;
	int rc;

	if ((rc = pb_begin(e->b, 3, &mark)) < 0 ||
	    (rc = pb_put_uint(e->b, 1, id)) < 0 ||
	    (rc = put_nonzero(e->b, 2, m->start)) < 0 ||
	    (rc = put_nonzero(e->b, 3, m->limit)) < 0 ||
	    (rc = put_nonzero(e->b, 4, m->offset)) < 0 ||
	    (rc = put_str(e, 5, m->filename)) < 0 ||
	    (rc = put_str(e, 6, m->build_id)) < 0 ||
	    (rc = put_nonzero(e->b, 7, !!(m->flags & MAPPING_HAS_FUNCTIONS))) < 0 ||
	    (rc = put_nonzero(e->b, 8, !!(m->flags & MAPPING_HAS_FILENAMES))) < 0 ||
	    (rc = put_nonzero(e->b, 9, !!(m->flags & MAPPING_HAS_LINE_NUMBERS))) < 0 ||
	    (rc = put_nonzero(e->b, 10, !!(m->flags & MAPPING_HAS_INLINE_FRAMES))) < 0)
		return rc;
	return pb_end(e->b, mark);
}

static int put_mappings(struct enc *e)
{
	size_t i, n = profile_mapping_count(e->p);
	struct mapping m;
	int rc;

	for (i = 1; i <= n; i++)
		if ((rc = put_mapping(e, i, profile_mapping_get(e->p, (uint32_t)i))) < 0)
			return rc;
	memset(&m, 0, sizeof(m));
	for (i = 0; i < e->nsynth; i++) {
		m.filename = e->synth[i];
		if ((rc = put_mapping(e, n + 1 + i, &m)) < 0)
			return rc;
	}
	return 0;
}

/* ---- functions ---- */

static int function_id(struct enc *e, uint32_t name, uint32_t file, uint64_t *id)
{
	uint64_t h = hash_mix(((uint64_t)name << 32 | file) ^ 0xf00d);
	size_t j;

	if ((e->nfns + 1) * 2 > e->fn_tab.n &&
	    slots_grow(&e->fn_tab, e->nfns, e->fns, sizeof(*e->fns),
		       offsetof(struct fn, hash)) < 0)
		return -ENOMEM;
	j = h & (e->fn_tab.n - 1);
	for (;;) {
		uint32_t v = e->fn_tab.s[j];

		if (!v)
			break;
		if (e->fns[v - 1].name == name && e->fns[v - 1].file == file) {
			*id = v;
			return 0;
		}
		j = (j + 1) & (e->fn_tab.n - 1);
	}
	if (array_grow((void **)&e->fns, &e->fns_cap, e->nfns + 1, sizeof(*e->fns)) < 0)
		return -ENOMEM;
	e->fns[e->nfns].name = name;
	e->fns[e->nfns].file = file;
	e->fns[e->nfns].hash = h;
	e->fn_tab.s[j] = (uint32_t)(e->nfns + 1);
	*id = ++e->nfns;
	return 0;
}

static int put_functions(struct enc *e)
{
	size_t i, mark;
	int rc;

	for (i = 0; i < e->nfns; i++)
		if ((rc = pb_begin(e->b, 5, &mark)) < 0 ||
		    (rc = pb_put_uint(e->b, 1, i + 1)) < 0 ||
		    (rc = put_str(e, 2, e->fns[i].name)) < 0 ||
		    (rc = put_str(e, 3, e->fns[i].name)) < 0 ||
		    (rc = put_str(e, 4, e->fns[i].file)) < 0 ||
		    (rc = pb_end(e->b, mark)) < 0)
			return rc;
	return 0;
}

/* ---- locations ---- */

/* Does frame f stand for a location without lines? */
static int is_placeholder(struct enc *e, const struct frame *f)
{
	size_t nlen, mlen;
	const char *name, *mod;

	if (f->file || f->line)
		return 0;
	name = profile_str(e->p, f->name, &nlen);
	if (nlen < 2 || (name[0] != '[' && name[0] != '<'))
		return 0;
	mod = profile_str(e->p, f->module, &mlen);
	if (pprof_placeholder(mod, mlen, &e->ph) < 0)
		return 0;
	return e->ph.len == nlen && memcmp(e->ph.data, name, nlen) == 0;
}

static int put_location(struct enc *e, size_t li)
{
	const struct loc *l = &e->locs[li];
	const struct frame *f0 = profile_frame_get(e->p, e->lf[l->first]);
	uint64_t mid, fid;
	size_t mark, k;
	int rc;

	if ((rc = mapping_of(e, f0, &mid)) < 0 ||
	    (rc = pb_begin(e->b, 4, &mark)) < 0 ||
	    (rc = pb_put_uint(e->b, 1, li + 1)) < 0 ||
	    (rc = put_nonzero(e->b, 2, mid)) < 0 ||
	    (rc = put_nonzero(e->b, 3, f0->addr)) < 0)
		return rc;
	if (l->n == 1 && is_placeholder(e, f0))
		return pb_end(e->b, mark);
	/* Lines innermost first: the run is root first, so walk it backwards. */
	for (k = l->n; k-- > 0;) {
		const struct frame *f = profile_frame_get(e->p, e->lf[l->first + k]);
		size_t lmark;

		if ((rc = function_id(e, f->name, f->file, &fid)) < 0 ||
		    (rc = pb_begin(e->b, 4, &lmark)) < 0 ||
		    (rc = pb_put_uint(e->b, 1, fid)) < 0 ||
		    (rc = put_nonzero(e->b, 2, f->line)) < 0 ||
		    (rc = pb_end(e->b, lmark)) < 0)
			return rc;
	}
	return pb_end(e->b, mark);
}

/* The location id of the run frames[0..n). */
static int location_id(struct enc *e, const uint32_t *frames, size_t n, uint64_t *id)
{
	uint64_t h = 0;
	size_t j = 0;

	if (n == 1 && e->loc_of_frame[frames[0]]) {
		*id = e->loc_of_frame[frames[0]];
		return 0;
	}
	if (n > 1) {
		h = hash_bytes(frames, n * sizeof(*frames), 0x10c);
		if ((e->nlocs + 1) * 2 > e->loc_tab.n &&
		    slots_grow(&e->loc_tab, e->nlocs, e->locs, sizeof(*e->locs),
			       offsetof(struct loc, hash)) < 0)
			return -ENOMEM;
		j = h & (e->loc_tab.n - 1);
		for (;;) {
			uint32_t v = e->loc_tab.s[j];
			const struct loc *l;

			if (!v)
				break;
			l = &e->locs[v - 1];
			if (l->hash == h && l->n == n &&
			    memcmp(&e->lf[l->first], frames, n * sizeof(*frames)) == 0) {
				*id = v;
				return 0;
			}
			j = (j + 1) & (e->loc_tab.n - 1);
		}
	}
	if (e->nlocs >= UINT32_MAX - 1 || e->nlf + n > UINT32_MAX ||
	    array_grow((void **)&e->locs, &e->locs_cap, e->nlocs + 1, sizeof(*e->locs)) < 0 ||
	    array_grow((void **)&e->lf, &e->lf_cap, e->nlf + n, sizeof(*e->lf)) < 0)
		return -ENOMEM;
	memcpy(&e->lf[e->nlf], frames, n * sizeof(*frames));
	e->locs[e->nlocs].first = (uint32_t)e->nlf;
	e->locs[e->nlocs].n = (uint32_t)n;
	e->locs[e->nlocs].hash = h;
	e->nlf += n;
	*id = ++e->nlocs;
	/* One-frame runs are never looked up in the hash table (hash 0 unused). */
	if (n == 1)
		e->loc_of_frame[frames[0]] = (uint32_t)*id;
	else
		e->loc_tab.s[j] = (uint32_t)*id;
	return 0;
}

/* ---- samples ---- */

static int cmp_sid(const struct profile *p, uint32_t a, uint32_t b)
{
	size_t la, lb;
	const char *sa, *sb;
	int c;

	if (a == b)
		return 0;
	sa = profile_str(p, a, &la);
	sb = profile_str(p, b, &lb);
	c = memcmp(sa, sb, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

/* Labels in an order that does not depend on string ids: by key, value
 * string, number, unit. */
static int cmp_label(const void *x, const void *y, void *ctx)
{
	const struct label *a = x, *b = y;
	const struct profile *p = ctx;
	int c;

	if ((c = cmp_sid(p, a->key, b->key)) != 0 || (c = cmp_sid(p, a->str, b->str)) != 0)
		return c;
	if (a->num != b->num)
		return a->num < b->num ? -1 : 1;
	return cmp_sid(p, a->unit, b->unit);
}

static int joins_run(const struct frame *head, const struct frame *f)
{
	return f->kind == FRAME_INLINED && f->addr == head->addr &&
	       f->mapping == head->mapping && f->module == head->module;
}

static int put_sample(struct enc *e, size_t si)
{
	struct stack_view sv;
	const struct label *lab;
	size_t nlab, nids = 0, nruns = 0, i, k, mark;
	uint64_t vals[PROFILE_MAX_VALUES], *starts;
	int rc;

	profile_stack(e->p, si, &sv);
	/* ids[0..nframes] receives the location ids, the upper half the start
	 * of each run of frames. */
	if (array_grow((void **)&e->ids, &e->ids_cap, 2 * (sv.nframes + 1), sizeof(*e->ids)) < 0)
		return -ENOMEM;
	starts = e->ids + sv.nframes + 1;
	for (i = 0; i < sv.nframes; i = k) {
		const struct frame *head = profile_frame_get(e->p, sv.frames[i]);

		for (k = i + 1; k < sv.nframes &&
		     joins_run(head, profile_frame_get(e->p, sv.frames[k])); k++)
			;
		starts[nruns++] = i;
	}
	/* Leaf first on the wire, and new locations numbered leaf first, as
	 * Go's runtime numbers them, so a Go profile keeps its ids. */
	for (k = sv.nframes; nids < nruns; k = i) {
		i = starts[nruns - 1 - nids];
		if ((rc = location_id(e, &sv.frames[i], k - i, &e->ids[nids])) < 0)
			return rc;
		nids++;
	}
	for (i = 0; i < profile_nvalues(e->p); i++)
		vals[i] = (uint64_t)sv.values[i];
	if ((rc = pb_begin(e->b, 2, &mark)) < 0 ||
	    (rc = pb_put_packed(e->b, 1, e->ids, nids)) < 0 ||
	    (rc = pb_put_packed(e->b, 2, vals, profile_nvalues(e->p))) < 0)
		return rc;
	lab = profile_labelset_get(e->p, sv.labels, &nlab);
	if (nlab > 1) {
		if (array_grow((void **)&e->labels, &e->labels_cap, nlab, sizeof(*e->labels)) < 0)
			return -ENOMEM;
		memcpy(e->labels, lab, nlab * sizeof(*lab));
		qsort_r(e->labels, nlab, sizeof(*lab), cmp_label, (void *)e->p);
		lab = e->labels;
	}
	for (i = 0; i < nlab; i++) {
		size_t lmark;

		if ((rc = pb_begin(e->b, 3, &lmark)) < 0 ||
		    (rc = put_str(e, 1, lab[i].key)) < 0)
			return rc;
		if (lab[i].str)
			rc = put_str(e, 2, lab[i].str);
		else if ((rc = put_nonzero(e->b, 3, (uint64_t)lab[i].num)) == 0)
			rc = put_str(e, 4, lab[i].unit);
		if (rc < 0 || (rc = pb_end(e->b, lmark)) < 0)
			return rc;
	}
	return pb_end(e->b, mark);
}

/* ---- the profile ---- */

static int put_meta_strings(struct enc *e)
{
	const struct profile_meta *m = profile_meta_const(e->p);
	uint64_t idx;
	size_t i;
	int rc = 0;

	if ((rc = str_index(e, m->period_type, &idx)) < 0 ||
	    (rc = str_index(e, m->period_unit, &idx)) < 0 ||
	    (rc = str_index(e, m->drop_frames, &idx)) < 0 ||
	    (rc = str_index(e, m->keep_frames, &idx)) < 0 ||
	    (rc = str_index(e, m->default_sample_type, &idx)) < 0)
		return rc;
	for (i = 0; i < profile_ncomments(e->p) && rc == 0; i++)
		rc = str_index(e, profile_comment(e->p, i), &idx);
	return rc;
}

static int put_tail(struct enc *e)
{
	const struct profile_meta *m = profile_meta_const(e->p);
	size_t i, mark, len;
	int rc;

	for (i = 0; i < e->nstrs; i++) {
		const char *s = profile_str(e->p, e->strs[i], &len);

		if ((rc = pb_put_bytes(e->b, 6, s, len)) < 0)
			return rc;
	}
	if ((rc = put_str(e, 7, m->drop_frames)) < 0 ||
	    (rc = put_str(e, 8, m->keep_frames)) < 0 ||
	    (rc = put_nonzero(e->b, 9, (uint64_t)m->time_nanos)) < 0 ||
	    (rc = put_nonzero(e->b, 10, (uint64_t)m->duration_nanos)) < 0)
		return rc;
	if (m->period_type || m->period_unit) {
		if ((rc = pb_begin(e->b, 11, &mark)) < 0 ||
		    (rc = put_str(e, 1, m->period_type)) < 0 ||
		    (rc = put_str(e, 2, m->period_unit)) < 0 ||
		    (rc = pb_end(e->b, mark)) < 0)
			return rc;
	}
	if ((rc = put_nonzero(e->b, 12, (uint64_t)m->period)) < 0)
		return rc;
	if (profile_ncomments(e->p)) {
		uint64_t *c = malloc(profile_ncomments(e->p) * sizeof(*c));

		if (!c)
			return -ENOMEM;
		for (i = 0; i < profile_ncomments(e->p); i++)
			str_index(e, profile_comment(e->p, i), &c[i]);
		rc = pb_put_packed(e->b, 13, c, profile_ncomments(e->p));
		free(c);
		if (rc < 0)
			return rc;
	}
	return put_str(e, 14, m->default_sample_type);
}

static int encode(struct enc *e)
{
	size_t i, mark;
	uint32_t unit;
	int rc = 0;

	for (i = 0; i < profile_nvalues(e->p); i++) {
		uint32_t type = profile_sample_type(e->p, i, &unit);

		if ((rc = pb_begin(e->b, 1, &mark)) < 0 ||
		    (rc = put_str(e, 1, type)) < 0 ||
		    (rc = put_str(e, 2, unit)) < 0 ||
		    (rc = pb_end(e->b, mark)) < 0)
			return rc;
	}
	for (i = 0; i < profile_nstacks(e->p); i++)
		if ((rc = put_sample(e, i)) < 0)
			return rc;
	/* Locations first: they create functions and synthesized mappings,
	 * but mappings are field 3, so write locations to the side. */
	{
		struct buf *main = e->b, side;

		buf_init(&side, main->max);
		e->b = &side;
		for (i = 0; i < e->nlocs && rc == 0; i++)
			rc = put_location(e, i);
		e->b = main;
		if (rc == 0)
			rc = put_mappings(e);
		if (rc == 0)
			rc = buf_append(main, side.data, side.len);
		buf_free(&side);
		if (rc < 0)
			return rc;
	}
	if ((rc = put_functions(e)) < 0 || (rc = put_meta_strings(e)) < 0)
		return rc;
	return put_tail(e);
}

int pprof_encode(const struct profile *p, struct buf *out, int gzip,
		 struct tp_error *err)
{
	size_t nstr = strtab_count(profile_strings_const(p));
	struct buf raw;
	struct enc e;
	int rc;

	memset(&e, 0, sizeof(e));
	buf_init(&raw, out->max);
	buf_init(&e.ph, 0);
	e.p = p;
	e.b = gzip ? &raw : out;
	e.sidx = calloc(nstr + 1, sizeof(*e.sidx));
	e.synth_of_module = calloc(nstr + 1, sizeof(*e.synth_of_module));
	e.loc_of_frame = calloc(profile_nframes(p) + 1, sizeof(*e.loc_of_frame));
	rc = !e.sidx || !e.synth_of_module || !e.loc_of_frame ||
	     array_grow((void **)&e.strs, &e.strs_cap, 1, sizeof(*e.strs)) < 0 ? -ENOMEM : 0;
	if (rc == 0) {
		e.strs[e.nstrs++] = 0;		/* "" */
		rc = encode(&e);
	}
	if (rc < 0) {
		tp_error_set(err, rc, NULL, 0, -1, rc == -E2BIG ?
			     "encoded profile would exceed the output size cap" :
			     "out of memory");
		goto out;
	}
	if (gzip)
		rc = gzip_compress(raw.data, raw.len, Z_BEST_SPEED, out, err);
out:
	free(e.sidx);
	free(e.strs);
	free(e.locs);
	free(e.lf);
	free(e.loc_of_frame);
	free(e.loc_tab.s);
	free(e.fns);
	free(e.fn_tab.s);
	free(e.synth_of_module);
	free(e.synth);
	free(e.ids);
	free(e.labels);
	buf_free(&e.ph);
	buf_free(&raw);
	return rc;
}
