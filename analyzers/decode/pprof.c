/* pprof.c - decoding profile.proto into the model; see pprof.h.
 *
 * The Profile message is read in four passes over its top-level fields,
 * because references may point forward (Go writes the string table after
 * the samples that use it):
 *   1. the string table (interned as it comes), the scalar fields and the
 *      number of messages of each kind;
 *   2. sample types, mappings and functions;
 *   3. locations, each turned into its frames once (root first);
 *   4. samples, each a concatenation of its locations' frames.
 * Ids map to array indexes through struct idmap (idmap.h).
 * Skipping a message costs one tag and one length, so the extra passes are
 * cheap next to pass 4.
 */
#include "analyzers/decode/pprof.h"
#include "analyzers/base/array.h"
#include "analyzers/base/gzip.h"
#include "analyzers/base/idmap.h"
#include "analyzers/decode/protobuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	P_SAMPLE_TYPE = 1, P_SAMPLE, P_MAPPING, P_LOCATION, P_FUNCTION,
	P_STRING_TABLE, P_DROP_FRAMES, P_KEEP_FRAMES, P_TIME_NANOS,
	P_DURATION_NANOS, P_PERIOD_TYPE, P_PERIOD, P_COMMENT,
	P_DEFAULT_SAMPLE_TYPE, P_DOC_URL,
};

#define FRAMES_PER_BYTE	16		/* expansion budget, see pprof.h */
#define FRAMES_SLACK	((size_t)1 << 20)
#define DETECT_BYTES	4096		/* as pprof_detect() */

struct func {
	uint32_t name, file;	/* model string ids; name is a placeholder if unnamed */
	int named;
};

struct dec {
	struct profile *p;
	struct tp_error *err;
	const uint8_t *base;
	size_t len;

	uint32_t *str;		/* string index -> model string id */
	size_t nstr, strcap;
	struct buf tmp;
	uint32_t unknown;	/* "<unknown>", 0 until needed */

	size_t nsample_types, nsamples, nmaps, nfuncs, nlocs;
	struct idmap mapids, funcids, locids;
	uint32_t *map_model;	/* mapping index -> model mapping id */
	uint32_t *map_file;	/* mapping index -> filename string id */
	uint32_t *map_ph;	/* mapping index -> placeholder name */
	struct func *funcs;
	uint32_t *loc_first, *loc_n;	/* location index -> range in lframes */
	uint32_t *lframes;
	size_t nlframes, lframes_cap;

	int64_t time_nanos;
	int have_period_type;
	struct pb_field period_type;
	uint64_t drop, keep, dflt;
	size_t drop_off, keep_off, dflt_off;
	uint64_t *comments;
	size_t *comment_offs;
	size_t ncomments, comments_cap;

	uint32_t *locs, *stack;
	size_t locs_cap, stack_cap;
	struct label *labels;
	size_t labels_cap;
	size_t frame_budget;
	int wire_error;		/* the top level is not valid protobuf */
};

/* ---- errors ---- */

static int bad(struct dec *d, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct dec *d, size_t off, const char *fmt, ...)
{
	char msg[480];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tp_error_set(d->err, -EBADMSG, NULL, 0, (int64_t)off, "%s", msg);
}

static int fail(struct dec *d, int code, size_t off, const char *msg)
{
	return tp_error_set(d->err, code, NULL, 0, (int64_t)off, "%s", msg);
}

/* Prefix the message already in d->err with where it happened. */
static int in_ctx(struct dec *d, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int in_ctx(struct dec *d, int rc, const char *fmt, ...)
{
	char pre[128], old[512];
	va_list ap;

	if (!d->err)
		return rc;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	snprintf(old, sizeof(old), "%s", d->err->msg);
	return tp_error_msg(d->err, rc, "%s: %s", pre, old);
}

static int nomem(struct dec *d)
{
	return fail(d, -ENOMEM, 0, "out of memory");
}

/* ---- helpers ---- */


/* String index v (an int64 on the wire) as a model id. */
static int str_at(struct dec *d, uint64_t v, size_t off, const char *what, uint32_t *sid)
{
	if ((int64_t)v < 0)
		return bad(d, off, "%s: negative string index %lld", what, (long long)v);
	if (v >= d->nstr)
		return bad(d, off, "%s: string index %llu out of range (string table has "
			   "%zu entries)", what, (unsigned long long)v, d->nstr);
	*sid = d->str[v];
	return 0;
}

static int want_wire(struct dec *d, const struct pb_field *f, uint32_t wire,
		     const char *what)
{
	static const char *const names[] = { "varint", "fixed64", "length-delimited" };

	if (f->wire == wire)
		return 0;
	return bad(d, f->off, "%s (field %u): wire type %u, expected %u (%s)", what,
		   f->num, f->wire, wire, names[wire]);
}

int pprof_placeholder(const char *file, size_t flen, struct buf *out)
{
	size_t b;
	int rc;

	buf_reset(out);
	if (flen == 0)
		return buf_puts(out, "<unknown>");
	while (flen > 1 && file[flen - 1] == '/')
		flen--;
	b = flen;
	while (b > 0 && file[b - 1] != '/')
		b--;
	if (b == flen)		/* only slashes */
		b = flen - 1;
	if ((rc = buf_putc(out, '[')) < 0 || (rc = buf_append(out, file + b, flen - b)) < 0)
		return rc;
	return buf_putc(out, ']');
}

static int placeholder_sid(struct dec *d, uint32_t file, uint32_t *sid)
{
	size_t flen;
	const char *f = profile_str(d->p, file, &flen);
	int rc;

	if (file == 0 && d->unknown) {
		*sid = d->unknown;
		return 0;
	}
	if ((rc = pprof_placeholder(f, flen, &d->tmp)) < 0 ||
	    (rc = profile_intern(d->p, d->tmp.data, d->tmp.len, sid)) < 0)
		return rc;
	if (file == 0)
		d->unknown = *sid;
	return 0;
}

/* ---- pass 1: strings, scalars, counts ---- */

static int scan_top(struct dec *d)
{
	struct pb_reader r;
	struct pb_field f;
	int rc;

	pb_reader_init(&r, d->base, d->base, d->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0) {
		switch (f.num) {
		case P_SAMPLE_TYPE:
		case P_SAMPLE:
		case P_MAPPING:
		case P_LOCATION:
		case P_FUNCTION: {
			static const char *const what[] = { "", "sample_type", "sample",
				"mapping", "location", "function" };
			size_t *counts[] = { NULL, &d->nsample_types, &d->nsamples,
				&d->nmaps, &d->nlocs, &d->nfuncs };

			if ((rc = want_wire(d, &f, PB_LEN, what[f.num])) < 0)
				return rc;
			++*counts[f.num];
			break;
		}
		case P_STRING_TABLE:
			if ((rc = want_wire(d, &f, PB_LEN, "string_table")) < 0)
				return rc;
			if (d->nstr == 0 && f.len != 0)
				return bad(d, f.off, "string_table[0] must be \"\", is \"%.*s\"%s",
					   (int)(f.len < 40 ? f.len : 40), (const char *)f.data,
					   f.len > 40 ? "..." : "");
			if (d->nstr >= UINT32_MAX - 1)
				return fail(d, -E2BIG, f.off, "too many strings");
			if (array_grow((void **)&d->str, &d->strcap, d->nstr + 1, sizeof(*d->str)) < 0)
				return nomem(d);
			if ((rc = profile_intern(d->p, (const char *)f.data, f.len,
						 &d->str[d->nstr])) < 0)
				return rc == -ENOMEM ? nomem(d) :
				       fail(d, rc, f.off, "string too long");
			d->nstr++;
			break;
		case P_DROP_FRAMES:
		case P_KEEP_FRAMES:
		case P_DEFAULT_SAMPLE_TYPE: {
			static const char *const what[] = { "drop_frames", "keep_frames" };

			if ((rc = want_wire(d, &f, PB_VARINT, f.num == P_DEFAULT_SAMPLE_TYPE ?
					    "default_sample_type" : what[f.num - P_DROP_FRAMES])) < 0)
				return rc;
			if (f.num == P_DROP_FRAMES) {
				d->drop = f.val;
				d->drop_off = f.off;
			} else if (f.num == P_KEEP_FRAMES) {
				d->keep = f.val;
				d->keep_off = f.off;
			} else {
				d->dflt = f.val;
				d->dflt_off = f.off;
			}
			break;
		}
		case P_TIME_NANOS:
			if ((rc = want_wire(d, &f, PB_VARINT, "time_nanos")) < 0)
				return rc;
			if (d->time_nanos != 0)
				return bad(d, f.off, "time_nanos appears twice: several profiles "
					   "concatenated (merge them instead)");
			d->time_nanos = (int64_t)f.val;
			break;
		case P_DURATION_NANOS:
			if ((rc = want_wire(d, &f, PB_VARINT, "duration_nanos")) < 0)
				return rc;
			profile_meta(d->p)->duration_nanos = (int64_t)f.val;
			break;
		case P_PERIOD:
			if ((rc = want_wire(d, &f, PB_VARINT, "period")) < 0)
				return rc;
			profile_meta(d->p)->period = (int64_t)f.val;
			break;
		case P_PERIOD_TYPE:
			if ((rc = want_wire(d, &f, PB_LEN, "period_type")) < 0)
				return rc;
			d->period_type = f;
			d->have_period_type = 1;
			break;
		case P_COMMENT: {
			struct pb_scalars it;
			uint64_t v;

			if ((rc = pb_scalars_init(&it, &r, &f, PB_VARINT, "comment", d->err)) < 0)
				return rc;
			while ((rc = pb_scalars_next(&it, &v, d->err)) > 0) {
				size_t cap = d->comments_cap;

				if (array_grow((void **)&d->comments, &cap, d->ncomments + 1,
					 sizeof(*d->comments)) < 0 ||
				    array_grow((void **)&d->comment_offs, &d->comments_cap,
					 d->ncomments + 1, sizeof(*d->comment_offs)) < 0)
					return nomem(d);
				d->comments[d->ncomments] = v;
				d->comment_offs[d->ncomments++] = f.off;
			}
			if (rc < 0)
				return in_ctx(d, rc, "comment");
			break;
		}
		default:	/* doc_url and unknown fields */
			break;
		}
	}
	d->wire_error = rc < 0;
	return rc;
}

/* Scalars that name strings: check and store them. */
static int set_meta(struct dec *d)
{
	struct profile_meta *m = profile_meta(d->p);
	size_t i;
	int rc;

	m->time_nanos = d->time_nanos;
	if ((rc = str_at(d, d->drop, d->drop_off, "drop_frames", &m->drop_frames)) < 0 ||
	    (rc = str_at(d, d->keep, d->keep_off, "keep_frames", &m->keep_frames)) < 0 ||
	    (rc = str_at(d, d->dflt, d->dflt_off, "default_sample_type",
			 &m->default_sample_type)) < 0)
		return rc;
	for (i = 0; i < d->ncomments; i++) {
		uint32_t sid = 0;

		if ((rc = str_at(d, d->comments[i], d->comment_offs[i], "comment", &sid)) < 0)
			return rc;
		if (profile_add_comment(d->p, sid) < 0)
			return nomem(d);
	}
	if (d->have_period_type) {
		struct pb_reader r;
		struct pb_field f;

		pb_reader_init(&r, d->base, d->period_type.data, d->period_type.len);
		while ((rc = pb_next(&r, &f, d->err)) > 0) {
			if (f.num != 1 && f.num != 2)
				continue;
			if ((rc = want_wire(d, &f, PB_VARINT, f.num == 1 ? "period_type.type" :
					    "period_type.unit")) < 0 ||
			    (rc = str_at(d, f.val, f.off, f.num == 1 ? "period_type.type" :
					 "period_type.unit", f.num == 1 ? &m->period_type :
					 &m->period_unit)) < 0)
				return rc;
		}
		if (rc < 0)
			return in_ctx(d, rc, "period_type");
	}
	return 0;
}

/* ---- pass 2: sample types, mappings, functions ---- */

static int decode_sample_type(struct dec *d, const struct pb_field *m, size_t i)
{
	uint32_t type = 0, unit = 0;
	struct pb_reader r;
	struct pb_field f;
	int rc;

	pb_reader_init(&r, d->base, m->data, m->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0) {
		if (f.num != 1 && f.num != 2)
			continue;
		if ((rc = want_wire(d, &f, PB_VARINT, f.num == 1 ? "type" : "unit")) < 0 ||
		    (rc = str_at(d, f.val, f.off, f.num == 1 ? "type" : "unit",
				 f.num == 1 ? &type : &unit)) < 0)
			return in_ctx(d, rc, "sample_type %zu", i + 1);
	}
	if (rc < 0)
		return in_ctx(d, rc, "sample_type %zu", i + 1);
	if (i >= PROFILE_MAX_VALUES)
		return fail(d, -E2BIG, m->off, "more sample types than tiprof supports (16)");
	rc = profile_add_sample_type(d->p, profile_str(d->p, type, NULL),
				     profile_str(d->p, unit, NULL));
	return rc < 0 ? nomem(d) : 0;
}

static int decode_mapping(struct dec *d, const struct pb_field *m, size_t i)
{
	static const uint32_t flag[] = { MAPPING_HAS_FUNCTIONS, MAPPING_HAS_FILENAMES,
		MAPPING_HAS_LINE_NUMBERS, MAPPING_HAS_INLINE_FRAMES };
	struct mapping mp;
	uint64_t id = 0;
	struct pb_reader r;
	struct pb_field f;
	int rc;

	memset(&mp, 0, sizeof(mp));
	pb_reader_init(&r, d->base, m->data, m->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0) {
		if (f.num < 1 || f.num > 10)
			continue;
		if ((rc = want_wire(d, &f, PB_VARINT, "field")) < 0)
			return in_ctx(d, rc, "mapping %zu", i + 1);
		switch (f.num) {
		case 1: id = f.val; break;
		case 2: mp.start = f.val; break;
		case 3: mp.limit = f.val; break;
		case 4: mp.offset = f.val; break;
		case 5:
			if ((rc = str_at(d, f.val, f.off, "filename", &mp.filename)) < 0)
				return in_ctx(d, rc, "mapping %zu", i + 1);
			break;
		case 6:
			if ((rc = str_at(d, f.val, f.off, "build_id", &mp.build_id)) < 0)
				return in_ctx(d, rc, "mapping %zu", i + 1);
			break;
		default:
			if (f.val)
				mp.flags |= flag[f.num - 7];
			else
				mp.flags &= ~flag[f.num - 7];
			break;
		}
	}
	if (rc < 0)
		return in_ctx(d, rc, "mapping %zu", i + 1);
	if (id == 0)
		return bad(d, m->off, "mapping %zu has id 0 (reserved)", i + 1);
	rc = idmap_put(&d->mapids, id, (uint32_t)i);
	if (rc == -EEXIST)
		return bad(d, m->off, "mapping %zu: duplicate mapping id %llu", i + 1,
			   (unsigned long long)id);
	if (rc < 0 || profile_mapping_add(d->p, &mp, &d->map_model[i]) < 0 ||
	    placeholder_sid(d, mp.filename, &d->map_ph[i]) < 0)
		return nomem(d);
	d->map_file[i] = mp.filename;
	return 0;
}

static int decode_function(struct dec *d, const struct pb_field *m, size_t i)
{
	static const char *const what[] = { "", "id", "name", "system_name", "filename",
		"start_line" };
	uint64_t id = 0;
	uint32_t sid = 0, name = 0, file = 0;
	struct pb_reader r;
	struct pb_field f;
	int rc;

	pb_reader_init(&r, d->base, m->data, m->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0) {
		if (f.num < 1 || f.num > 5)
			continue;
		if ((rc = want_wire(d, &f, PB_VARINT, what[f.num])) < 0)
			return in_ctx(d, rc, "function %zu", i + 1);
		if (f.num == 1) {
			id = f.val;
		} else if (f.num >= 2 && f.num <= 4) {
			if ((rc = str_at(d, f.val, f.off, what[f.num], &sid)) < 0)
				return in_ctx(d, rc, "function %zu", i + 1);
			if (f.num == 2)
				name = sid;
			else if (f.num == 4)
				file = sid;
		}
	}
	if (rc < 0)
		return in_ctx(d, rc, "function %zu", i + 1);
	if (id == 0)
		return bad(d, m->off, "function %zu has id 0 (reserved)", i + 1);
	rc = idmap_put(&d->funcids, id, (uint32_t)i);
	if (rc == -EEXIST)
		return bad(d, m->off, "function %zu: duplicate function id %llu", i + 1,
			   (unsigned long long)id);
	if (rc < 0)
		return nomem(d);
	d->funcs[i].name = name;
	d->funcs[i].file = file;
	d->funcs[i].named = name != 0;
	return 0;
}

static int alloc_tables(struct dec *d)
{
	if (idmap_init(&d->mapids, d->nmaps) < 0 || idmap_init(&d->funcids, d->nfuncs) < 0 ||
	    idmap_init(&d->locids, d->nlocs) < 0)
		return nomem(d);
	d->map_model = calloc(d->nmaps + 1, sizeof(*d->map_model));
	d->map_file = calloc(d->nmaps + 1, sizeof(*d->map_file));
	d->map_ph = calloc(d->nmaps + 1, sizeof(*d->map_ph));
	d->funcs = calloc(d->nfuncs + 1, sizeof(*d->funcs));
	d->loc_first = calloc(d->nlocs + 1, sizeof(*d->loc_first));
	d->loc_n = calloc(d->nlocs + 1, sizeof(*d->loc_n));
	if (!d->map_model || !d->map_file || !d->map_ph || !d->funcs || !d->loc_first ||
	    !d->loc_n)
		return nomem(d);
	return 0;
}

static int scan_defs(struct dec *d)
{
	size_t nt = 0, nm = 0, nf = 0;
	struct pb_reader r;
	struct pb_field f;
	int rc;

	pb_reader_init(&r, d->base, d->base, d->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0) {
		if (f.num == P_SAMPLE_TYPE)
			rc = decode_sample_type(d, &f, nt++);
		else if (f.num == P_MAPPING)
			rc = decode_mapping(d, &f, nm++);
		else if (f.num == P_FUNCTION)
			rc = decode_function(d, &f, nf++);
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* ---- pass 3: locations ---- */

/* Frames of line k (of n) of location i, stored at lframes[at]. */
static int line_frame(struct dec *d, const struct pb_field *ln, size_t i, size_t k,
		      size_t n, uint64_t addr, uint32_t mi, uint32_t at)
{
	struct frame fr;
	uint64_t fid = 0, line = 0;
	struct pb_reader r;
	struct pb_field f;
	uint32_t fi = 0;
	int rc;

	pb_reader_init(&r, d->base, ln->data, ln->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0) {
		if (f.num != 1 && f.num != 2 && f.num != 3)
			continue;
		if ((rc = want_wire(d, &f, PB_VARINT, f.num == 1 ? "function_id" :
				    f.num == 2 ? "line" : "column")) < 0)
			return in_ctx(d, rc, "location %zu line %zu", i + 1, k + 1);
		if (f.num == 1)
			fid = f.val;
		else if (f.num == 2)
			line = f.val;
	}
	if (rc < 0)
		return in_ctx(d, rc, "location %zu line %zu", i + 1, k + 1);
	memset(&fr, 0, sizeof(fr));
	fr.addr = addr;
	if (mi) {
		fr.mapping = d->map_model[mi - 1];
		fr.module = d->map_file[mi - 1];
	}
	fr.kind = k + 1 < n ? FRAME_INLINED : FRAME_USER;
	fr.line = (int64_t)line >= 0 && line <= UINT32_MAX ? (uint32_t)line : 0;
	if (fid) {
		if (!(fi = idmap_get(&d->funcids, fid)))
			return bad(d, ln->off, "location %zu line %zu references function %llu, "
				   "which does not exist", i + 1, k + 1,
				   (unsigned long long)fid);
		fr.name = d->funcs[fi - 1].name;
		fr.file = d->funcs[fi - 1].file;
	}
	if (!fid || !d->funcs[fi - 1].named) {
		if (mi)
			fr.name = d->map_ph[mi - 1];
		else if ((rc = placeholder_sid(d, 0, &fr.name)) < 0)
			return nomem(d);
	}
	if ((rc = profile_frame(d->p, &fr, &d->lframes[at])) < 0)
		return rc == -ENOMEM ? nomem(d) : fail(d, rc, ln->off, "too many frames");
	return 0;
}

static int decode_location(struct dec *d, const struct pb_field *m, size_t i)
{
	uint64_t id = 0, mid = 0, addr = 0;
	size_t nlines = 0, k = 0, first = d->nlframes;
	struct pb_reader r;
	struct pb_field f;
	uint32_t mi = 0;
	int rc;

	pb_reader_init(&r, d->base, m->data, m->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0) {
		if (f.num == 4) {
			if ((rc = want_wire(d, &f, PB_LEN, "line")) < 0)
				return in_ctx(d, rc, "location %zu", i + 1);
			nlines++;
			continue;
		}
		if (f.num < 1 || f.num > 5)
			continue;
		if ((rc = want_wire(d, &f, PB_VARINT, f.num == 1 ? "id" : f.num == 2 ?
				    "mapping_id" : f.num == 3 ? "address" : "is_folded")) < 0)
			return in_ctx(d, rc, "location %zu", i + 1);
		if (f.num == 1)
			id = f.val;
		else if (f.num == 2)
			mid = f.val;
		else if (f.num == 3)
			addr = f.val;
	}
	if (rc < 0)
		return in_ctx(d, rc, "location %zu", i + 1);
	if (id == 0)
		return bad(d, m->off, "location %zu has id 0 (reserved)", i + 1);
	rc = idmap_put(&d->locids, id, (uint32_t)i);
	if (rc == -EEXIST)
		return bad(d, m->off, "location %zu: duplicate location id %llu", i + 1,
			   (unsigned long long)id);
	if (rc < 0)
		return nomem(d);
	if (mid && !(mi = idmap_get(&d->mapids, mid)))
		return bad(d, m->off, "location %zu (id %llu) references mapping %llu, which "
			   "does not exist", i + 1, (unsigned long long)id,
			   (unsigned long long)mid);
	if (nlines == 0)
		nlines = 1;	/* one placeholder frame */
	if (d->nlframes + nlines > UINT32_MAX)
		return fail(d, -E2BIG, m->off, "too many location lines");
	if (array_grow((void **)&d->lframes, &d->lframes_cap, d->nlframes + nlines,
		 sizeof(*d->lframes)) < 0)
		return nomem(d);
	d->loc_first[i] = (uint32_t)first;
	d->loc_n[i] = (uint32_t)nlines;
	d->nlframes += nlines;

	pb_reader_init(&r, d->base, m->data, m->len);
	while (pb_next(&r, &f, d->err) > 0) {
		if (f.num != 4)
			continue;
		/* Line k is innermost first; root first puts it at nlines-1-k. */
		if ((rc = line_frame(d, &f, i, k, nlines, addr, mi,
				     (uint32_t)(first + nlines - 1 - k))) < 0)
			return rc;
		k++;
	}
	if (k == 0) {
		struct frame fr;

		memset(&fr, 0, sizeof(fr));
		fr.addr = addr;
		if (mi) {
			fr.mapping = d->map_model[mi - 1];
			fr.module = d->map_file[mi - 1];
			fr.name = d->map_ph[mi - 1];
		} else if (placeholder_sid(d, 0, &fr.name) < 0) {
			return nomem(d);
		}
		fr.kind = FRAME_USER;
		if ((rc = profile_frame(d->p, &fr, &d->lframes[first])) < 0)
			return rc == -ENOMEM ? nomem(d) : fail(d, rc, m->off, "too many frames");
	}
	return 0;
}

/* Decode every top-level field num, in order, with fn (which gets the
 * field's index among its kind). */
static int scan_each(struct dec *d, uint64_t num,
		     int (*fn)(struct dec *, const struct pb_field *, size_t))
{
	struct pb_reader r;
	struct pb_field f;
	size_t n = 0;
	int rc;

	pb_reader_init(&r, d->base, d->base, d->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0)
		if (f.num == num && (rc = fn(d, &f, n++)) < 0)
			return rc;
	return rc;
}

/* ---- pass 4: samples ---- */

static int decode_label(struct dec *d, const struct pb_field *m, size_t si,
			size_t *nlabels)
{
	uint64_t key = 0, str = 0, num = 0, unit = 0;
	struct label l;
	struct pb_reader r;
	struct pb_field f;
	int rc;

	pb_reader_init(&r, d->base, m->data, m->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0) {
		if (f.num < 1 || f.num > 4)
			continue;
		if ((rc = want_wire(d, &f, PB_VARINT, f.num == 1 ? "key" : f.num == 2 ?
				    "str" : f.num == 3 ? "num" : "num_unit")) < 0)
			return in_ctx(d, rc, "sample %zu label", si + 1);
		if (f.num == 1)
			key = f.val;
		else if (f.num == 2)
			str = f.val;
		else if (f.num == 3)
			num = f.val;
		else
			unit = f.val;
	}
	if (rc < 0)
		return in_ctx(d, rc, "sample %zu label", si + 1);
	memset(&l, 0, sizeof(l));
	if ((rc = str_at(d, key, m->off, "label key", &l.key)) < 0 ||
	    (rc = str_at(d, str, m->off, "label str", &l.str)) < 0 ||
	    (rc = str_at(d, unit, m->off, "label num_unit", &l.unit)) < 0)
		return in_ctx(d, rc, "sample %zu", si + 1);
	if (str) {
		l.unit = 0;
		if (!l.str)
			return 0;	/* "" value: not representable, dropped */
	} else if (num || unit) {
		l.num = (int64_t)num;
	} else {
		return 0;
	}
	if (array_grow((void **)&d->labels, &d->labels_cap, *nlabels + 1, sizeof(*d->labels)) < 0)
		return nomem(d);
	d->labels[(*nlabels)++] = l;
	return 0;
}

static int decode_sample(struct dec *d, const struct pb_field *m, size_t si)
{
	size_t nv = 0, nl = 0, nlabels = 0, depth = 0, k, i;
	int64_t values[PROFILE_MAX_VALUES];
	size_t want = profile_nvalues(d->p);
	uint32_t labels = 0;
	struct pb_reader r;
	struct pb_field f;
	int rc;

	pb_reader_init(&r, d->base, m->data, m->len);
	while ((rc = pb_next(&r, &f, d->err)) > 0) {
		struct pb_scalars it;
		uint64_t v;

		if (f.num == 1) {
			if ((rc = pb_scalars_init(&it, &r, &f, PB_VARINT, "location_id",
						  d->err)) < 0)
				return in_ctx(d, rc, "sample %zu", si + 1);
			while ((rc = pb_scalars_next(&it, &v, d->err)) > 0) {
				uint32_t li = idmap_get(&d->locids, v);

				if (nl == d->locs_cap &&
				    array_grow((void **)&d->locs, &d->locs_cap, nl + 1,
					 sizeof(*d->locs)) < 0)
					return nomem(d);
				if (!li)
					return bad(d, f.off, "sample %zu references location %llu, "
						   "which does not exist", si + 1,
						   (unsigned long long)v);
				d->locs[nl++] = li - 1;
				depth += d->loc_n[li - 1];
			}
		} else if (f.num == 2) {
			if ((rc = pb_scalars_init(&it, &r, &f, PB_VARINT, "value", d->err)) < 0)
				return in_ctx(d, rc, "sample %zu", si + 1);
			while ((rc = pb_scalars_next(&it, &v, d->err)) > 0) {
				if (nv < want)
					values[nv] = (int64_t)v;
				nv++;
			}
		} else if (f.num == 3) {
			if ((rc = want_wire(d, &f, PB_LEN, "label")) < 0 ||
			    (rc = decode_label(d, &f, si, &nlabels)) < 0)
				return rc;
			continue;
		} else {
			continue;
		}
		if (rc < 0)
			return in_ctx(d, rc, "sample %zu", si + 1);
	}
	if (rc < 0)
		return in_ctx(d, rc, "sample %zu", si + 1);
	if (nv != want)
		return bad(d, m->off, "sample %zu has %zu values, expected %zu (sample_type "
			   "count)", si + 1, nv, want);
	if (depth > PROFILE_MAX_DEPTH)
		return fail(d, -E2BIG, m->off, "sample stack deeper than 1048576 frames");
	if (depth > d->frame_budget)
		return fail(d, -E2BIG, m->off, "samples expand to too many frames "
			    "(more than 16 per input byte)");
	d->frame_budget -= depth;
	if (array_grow((void **)&d->stack, &d->stack_cap, depth + 1, sizeof(*d->stack)) < 0)
		return nomem(d);
	/* Location ids are leaf first; the stack is root first. */
	for (k = 0, i = nl; i-- > 0;) {
		uint32_t li = d->locs[i], n = d->loc_n[li];

		if (n == 1)
			d->stack[k] = d->lframes[d->loc_first[li]];
		else
			memcpy(&d->stack[k], &d->lframes[d->loc_first[li]],
			       n * sizeof(*d->stack));
		k += n;
	}
	if (nlabels && profile_labelset(d->p, d->labels, nlabels, &labels) < 0)
		return nomem(d);
	rc = profile_add(d->p, d->stack, depth, labels, values, NULL);
	if (rc == -EOVERFLOW)
		return tp_error_set(d->err, rc, NULL, 0, (int64_t)m->off,
				    "sample %zu: adding it to an identical earlier sample "
				    "overflows int64", si + 1);
	return rc < 0 ? nomem(d) : 0;
}

static int decode_raw(struct dec *d)
{
	int rc;

	if (d->len == 0)
		return bad(d, 0, "empty profile");
	if ((rc = scan_top(d)) < 0)
		return rc;
	if (d->nstr == 0)
		return bad(d, 0, "no string table (profile.proto needs string_table[0] = \"\")");
	if (d->nsamples && !d->nsample_types)
		return bad(d, 0, "profile has %zu samples but no sample_type", d->nsamples);
	if ((rc = set_meta(d)) < 0 || (rc = alloc_tables(d)) < 0 ||
	    (rc = scan_defs(d)) < 0 || (rc = scan_each(d, P_LOCATION, decode_location)) < 0)
		return rc;
	return scan_each(d, P_SAMPLE, decode_sample);
}

static void dec_free(struct dec *d)
{
	free(d->str);
	buf_free(&d->tmp);
	idmap_free(&d->mapids);
	idmap_free(&d->funcids);
	idmap_free(&d->locids);
	free(d->map_model);
	free(d->map_file);
	free(d->map_ph);
	free(d->funcs);
	free(d->loc_first);
	free(d->loc_n);
	free(d->lframes);
	free(d->comments);
	free(d->comment_offs);
	free(d->locs);
	free(d->stack);
	free(d->labels);
}

int pprof_decode(const uint8_t *buf, size_t len, const struct pprof_opts *o,
		 struct profile *p, struct tp_error *err)
{
	struct gzip_opts go = { o ? o->max_size : 0, o ? o->max_ratio : 0 };
	uint8_t *raw = NULL;
	size_t rawlen = 0;
	struct dec d;
	int gz = gzip_detect(buf, len), rc;

	memset(&d, 0, sizeof(d));
	buf_init(&d.tmp, 0);
	d.p = p;
	d.err = err;
	if (len == 0) {
		rc = tp_error_set(err, -EBADMSG, NULL, 0, 0, "empty input");
		goto out;
	}
	if (gz && (rc = gzip_decompress(buf, len, &go, &raw, &rawlen, err)) < 0)
		goto out;
	d.base = gz ? raw : buf;
	d.len = gz ? rawlen : len;
	d.frame_budget = d.len * FRAMES_PER_BYTE + FRAMES_SLACK;
	if (gz && rawlen == 0) {
		rc = tp_error_set(err, -EBADMSG, NULL, 0, 0,
				  "empty profile (the gzip data decompresses to 0 bytes)");
		goto out;
	}
	rc = decode_raw(&d);
	/* Input that is no profile at all fails somewhere; rather than name a
	 * protobuf detail, say what it is when the top level is not protobuf
	 * from the start (or did not look like a Profile before it failed),
	 * or when the input is text. */
	if (rc == -EBADMSG && err && err->offset >= 0 && (size_t)err->offset <= d.len &&
	    (!pprof_sniff(d.base, d.len < DETECT_BYTES ? d.len : DETECT_BYTES,
			  d.len > DETECT_BYTES) ||
	     (d.wire_error && (err->offset < 8 ||
			       !pprof_sniff(d.base, (size_t)err->offset, 1)))))
		rc = tp_error_set(err, rc, NULL, 0, 0, gz ?
				  "the gzip data does not hold a profile.proto" :
				  "not a pprof profile (neither gzip nor profile.proto)");
	else if (rc < 0 && gz)
		in_ctx(&d, rc, "decompressed profile");
out:
	dec_free(&d);
	free(raw);
	return rc;
}
