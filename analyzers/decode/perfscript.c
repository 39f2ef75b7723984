/* perfscript.c - see perfscript.h.
 *
 * A line is a comment, a blank line (end of sample), an event line or a
 * stack line, told apart in stackcollapse-perf.pl's order (perfline.c
 * matches them). The sample state follows the Perl script's: an event
 * line the filter drops leaves an open sample open, and stack lines with
 * no sample open are ignored. Tidied names (perfname.c) are cached per
 * distinct (symbol, module) text, so most stack lines cost one hash
 * lookup and no allocation.
 */
#include "analyzers/decode/perfscript.h"
#include "analyzers/base/buf.h"
#include "analyzers/base/hash.h"
#include "analyzers/decode/perfline.h"
#include "analyzers/decode/perfname.h"
#include "analyzers/model/threadname.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_BYTES ((size_t)256 << 20)	/* cap of one tidied name */
#define CACHE_MAX_BYTES ((size_t)64 << 20)	/* cache is emptied past this */

enum { SAMPLE_NONE, SAMPLE_OPEN, SAMPLE_FILTERED };

struct cpiece {
	uint32_t name, kind, frame;
};

struct centry {
	uint64_t hash;
	size_t key;		/* func, mod, pc bytes in keys */
	uint32_t funclen, modlen, pclen;
	uint32_t java;
	uint32_t piece, npieces;	/* in pieces[] */
	uint32_t module;	/* string id */
};

struct ps {
	const struct perfscript_opts *o;
	struct profile *p;
	struct linereader *lr;
	int collapse;
	perfscript_sample_fn fn;
	void *ctx;
	struct perfscript_stats *st;
	struct tp_error *err;
	unsigned flags;		/* PERFNAME_* from the options */

	struct buf filter;
	int have_filter;

	int state;
	uint32_t root;
	int64_t period;
	int java;
	uint32_t *acc;		/* frames of the open sample, leaf first */
	size_t nacc, acccap;
	uint32_t *out;		/* root first, for the caller */
	size_t outcap;

	struct buf pname, last_pname, name;
	uint32_t last_root;
	int have_last_root;

	struct centry *ents;
	size_t nents, entcap;
	uint32_t *slots;	/* entry index + 1 */
	size_t nslots;
	struct buf keys;
	struct cpiece *pieces;
	size_t npieces, piececap;

	uint32_t *byname;	/* collapse: frame id + 1 of each name id */
	size_t bynamecap;
	int64_t values[PROFILE_MAX_VALUES];
};

static uint64_t parse_hex(const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 16)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return 0;
	}
	return v;
}

static void copy_event(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int fail(struct ps *s, int code, const char *msg)
{
	return tp_error_set(s->err, code, linereader_name(s->lr), linereader_lineno(s->lr),
			    -1, "%s", msg);
}

static void unrecognized(struct ps *s)
{
	if (s->st->unrecognized++ == 0)
		s->st->first_unrecognized = linereader_lineno(s->lr);
}

static int grow_u32(uint32_t **a, size_t *cap, size_t need)
{
	size_t nc = *cap ? *cap : 256;
	uint32_t *na;

	if (need <= *cap)
		return 0;
	while (nc < need)
		nc *= 2;
	na = realloc(*a, nc * sizeof(*na));
	if (!na)
		return -ENOMEM;
	*a = na;
	*cap = nc;
	return 0;
}

/* ---- collapse: one frame per name ---- */

static int byname_reserve(struct ps *s, uint32_t name)
{
	size_t old = s->bynamecap;
	int r;

	if (name < s->bynamecap)
		return 0;
	if ((r = grow_u32(&s->byname, &s->bynamecap, (size_t)name + 1)) < 0)
		return r;
	memset(s->byname + old, 0, (s->bynamecap - old) * sizeof(*s->byname));
	return 0;
}

/* Frames p already has stand for their names. */
static int byname_seed(struct ps *s)
{
	size_t i, n = profile_nframes(s->p);
	int r;

	for (i = 0; i < n; i++) {
		const struct frame *f = profile_frame_get(s->p, (uint32_t)i);

		if (f->kind == FRAME_ROOT)
			continue;
		if ((r = byname_reserve(s, f->name)) < 0)
			return r;
		if (!s->byname[f->name])
			s->byname[f->name] = (uint32_t)i + 1;
	}
	return 0;
}

static int byname_frame(struct ps *s, uint32_t name, uint32_t module, uint32_t kind,
			uint32_t *id)
{
	struct frame f;
	int r;

	if ((r = byname_reserve(s, name)) < 0)
		return r;
	if (s->byname[name]) {
		*id = s->byname[name] - 1;
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.name = name;
	f.module = module;
	f.kind = kind;
	if ((r = profile_frame(s->p, &f, id)) < 0)
		return r;
	s->byname[name] = *id + 1;
	return 0;
}

/* ---- the name cache ---- */

static void cache_clear(struct ps *s)
{
	if (s->slots)
		memset(s->slots, 0, s->nslots * sizeof(*s->slots));
	s->nents = 0;
	s->npieces = 0;
	buf_reset(&s->keys);
}

static int cache_grow(struct ps *s)
{
	size_t ns = s->nslots ? s->nslots * 2 : 4096, i;
	uint32_t *slots = calloc(ns, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < s->nents; i++) {
		size_t j = s->ents[i].hash & (ns - 1);

		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(s->slots);
	s->slots = slots;
	s->nslots = ns;
	return 0;
}

static uint64_t load64(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

static uint32_t load32(const char *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	return w;
}

/* Like hash_bytes(), but the tail is read with fixed-size (overlapping)
 * loads: this runs for every stack line. */
static uint64_t line_hash(const char *s, size_t n, uint64_t h)
{
	const uint64_t m1 = 0x87c37b91114253d5ULL, m2 = 0x4cf5ad432745937fULL;
	size_t len = n;
	uint64_t w;

	h ^= n * 0x9e3779b97f4a7c15ULL;
	while (n > 8) {
		h = (h ^ (load64(s) * m1)) * m2;
		h = (h << 31) | (h >> 33);
		s += 8;
		n -= 8;
	}
	if (len >= 8)
		w = load64(s + n - 8);
	else if (n >= 4)
		w = load32(s) | (uint64_t)load32(s + n - 4) << 32;
	else if (n > 0)
		w = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
	else
		w = 0;
	h = (h ^ (w * m1)) * m2;
	return hash_mix(h);
}

static uint64_t key_hash(const struct perfline_span *func, const struct perfline_span *mod,
			 const struct perfline_span *pc, int java)
{
	uint64_t h = line_hash(func->s, func->n, java ? 0x6a617661 : 0x70657266);

	h ^= line_hash(mod->s, mod->n, 0x6d6f64) * 0x9e3779b97f4a7c15ULL;
	if (pc->n)
		h ^= line_hash(pc->s, pc->n, 0x7063) * 0xc2b2ae3d27d4eb4fULL;
	return h;
}

static const struct centry *cache_find(const struct ps *s, uint64_t h,
				       const struct perfline_span *func, const struct perfline_span *mod,
				       const struct perfline_span *pc, int java, size_t *slot)
{
	size_t j;

	if (!s->nslots) {
		*slot = 0;
		return NULL;
	}
	for (j = h & (s->nslots - 1);; j = (j + 1) & (s->nslots - 1)) {
		const struct centry *e;
		const char *k;

		if (!s->slots[j]) {
			*slot = j;
			return NULL;
		}
		e = &s->ents[s->slots[j] - 1];
		k = s->keys.data + e->key;
		if (e->hash == h && e->funclen == func->n && e->modlen == mod->n &&
		    e->pclen == pc->n && e->java == (uint32_t)java &&
		    memcmp(k, func->s, func->n) == 0 &&
		    memcmp(k + func->n, mod->s, mod->n) == 0 &&
		    memcmp(k + func->n + mod->n, pc->s, pc->n) == 0)
			return e;
	}
}

static uint32_t frame_kind(const struct perfline_span *mod, size_t piece)
{
	if (piece > 0)
		return FRAME_INLINED;
	if (perfname_is_kernel(mod->s, mod->n))
		return FRAME_KERNEL;
	if (perfname_is_jit(mod->s, mod->n))
		return FRAME_JIT;
	return FRAME_USER;
}

static int add_piece(struct ps *s, const char *piece, size_t n, size_t idx,
		     const struct perfline_frame *k, uint32_t module, int java)
{
	unsigned flags = s->flags | (java ? PERFNAME_JAVA : 0) | (idx ? PERFNAME_INLINED : 0);
	struct cpiece *cp;
	int r;

	if (s->npieces >= UINT32_MAX - 1)
		return -E2BIG;
	if (s->npieces == s->piececap) {
		size_t nc = s->piececap ? s->piececap * 2 : 1024;
		struct cpiece *np = realloc(s->pieces, nc * sizeof(*np));

		if (!np)
			return -ENOMEM;
		s->pieces = np;
		s->piececap = nc;
	}
	cp = &s->pieces[s->npieces];
	if ((r = perfname_tidy(&s->name, piece, n, k->mod.s, k->mod.n, k->pc.s, k->pc.n,
			       flags)) < 0)
		return r;
	if ((r = profile_intern(s->p, s->name.data, s->name.len, &cp->name)) < 0)
		return r;
	cp->kind = frame_kind(&k->mod, idx);
	cp->frame = 0;
	if (s->collapse && (r = byname_frame(s, cp->name, module, cp->kind, &cp->frame)) < 0)
		return r;
	s->npieces++;
	return 0;
}

/* Tidy the pieces of func (split on "->" as Perl's split does: trailing
 * empty pieces dropped) into a new cache entry. */
static int cache_add(struct ps *s, uint64_t h, size_t slot, const struct perfline_span *func,
		     const struct perfline_frame *k, const struct perfline_span *pc, int java,
		     const struct centry **out)
{
	struct centry *e;
	size_t start = 0, end = func->n, idx = 0;
	uint32_t module;
	int r;

	if (s->keys.len + func->n + k->mod.n + pc->n > CACHE_MAX_BYTES && s->nents) {
		cache_clear(s);
		slot = h & (s->nslots - 1);
		while (s->slots[slot])
			slot = (slot + 1) & (s->nslots - 1);
	}
	if ((s->nents + 1) * 2 > s->nslots) {
		if ((r = cache_grow(s)) < 0)
			return r;
		cache_find(s, h, func, &k->mod, pc, java, &slot);
	}
	if (s->nents == s->entcap) {
		size_t nc = s->entcap ? s->entcap * 2 : 1024;
		struct centry *ne = realloc(s->ents, nc * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		s->ents = ne;
		s->entcap = nc;
	}
	if ((r = profile_intern(s->p, k->mod.s, k->mod.n, &module)) < 0)
		return r;
	e = &s->ents[s->nents];
	e->hash = h;
	e->key = s->keys.len;
	e->funclen = (uint32_t)func->n;
	e->modlen = (uint32_t)k->mod.n;
	e->pclen = (uint32_t)pc->n;
	e->java = (uint32_t)java;
	e->piece = (uint32_t)s->npieces;
	e->module = module;
	if ((r = buf_append(&s->keys, func->s, func->n)) < 0 ||
	    (r = buf_append(&s->keys, k->mod.s, k->mod.n)) < 0 ||
	    (r = buf_append(&s->keys, pc->s, pc->n)) < 0)
		return r;
	while (end >= start + 2 && memcmp(func->s + end - 2, "->", 2) == 0)
		end -= 2;
	while (start < end) {
		const char *a = memmem(func->s + start, end - start, "->", 2);
		size_t stop = a ? (size_t)(a - func->s) : end;

		if ((r = add_piece(s, func->s + start, stop - start, idx++, k, module, java)) < 0)
			return r;
		start = a ? stop + 2 : end;
	}
	e->npieces = (uint32_t)(s->npieces - e->piece);
	s->slots[slot] = (uint32_t)s->nents + 1;
	s->nents++;
	*out = e;
	return 0;
}

/* ---- lines ---- */

static int on_frame(struct ps *s, const struct perfline_frame *k)
{
	struct perfline_span func = k->func, pc = { k->pc.s, 0 };
	const struct centry *e;
	size_t i, slot, h_end;
	uint64_t h;
	int r;

	/* s/\+0x[\da-f]+$// */
	h_end = func.n;
	while (h_end > 0 && ((func.s[h_end - 1] >= '0' && func.s[h_end - 1] <= '9') ||
			     (func.s[h_end - 1] >= 'a' && func.s[h_end - 1] <= 'f')))
		h_end--;
	if (h_end < func.n && h_end >= 3 && memcmp(func.s + h_end - 3, "+0x", 3) == 0)
		func.n = h_end - 3;
	if (func.n > 0 && func.s[0] == '(')
		return 0;	/* a process name, as Perl skips it */
	if ((s->flags & PERFNAME_ADDRS) && memmem(func.s, func.n, "[unknown]", 9))
		pc.n = k->pc.n;
	h = key_hash(&func, &k->mod, &pc, s->java);
	e = cache_find(s, h, &func, &k->mod, &pc, s->java, &slot);
	if (!e && (r = cache_add(s, h, slot, &func, k, &pc, s->java, &e)) < 0)
		return fail(s, r, r == -ENOMEM ? "out of memory" : "frame name too long");
	if (e->npieces > PROFILE_MAX_DEPTH - 1 - s->nacc)
		return tp_error_set(s->err, -E2BIG, linereader_name(s->lr),
				    linereader_lineno(s->lr), -1,
				    "stack deeper than %zu frames", PROFILE_MAX_DEPTH);
	if ((r = grow_u32(&s->acc, &s->acccap, s->nacc + e->npieces)) < 0)
		return fail(s, r, "out of memory");
	for (i = e->npieces; i-- > 0;) {
		const struct cpiece *cp = &s->pieces[e->piece + i];
		uint32_t id = cp->frame;

		if (!s->collapse) {
			struct frame f;

			memset(&f, 0, sizeof(f));
			f.name = cp->name;
			f.module = e->module;
			f.addr = parse_hex(k->pc.s, k->pc.n);
			f.kind = cp->kind;
			if ((r = profile_frame(s->p, &f, &id)) < 0)
				return fail(s, r, "cannot add frame");
		}
		s->acc[s->nacc++] = id;
	}
	return 0;
}

static int end_sample(struct ps *s)
{
	size_t i, n;
	int r;

	if (s->state != SAMPLE_OPEN) {
		s->state = SAMPLE_NONE;
		return 0;
	}
	n = s->nacc + 1;
	s->state = SAMPLE_NONE;
	if ((r = grow_u32(&s->out, &s->outcap, n)) < 0)
		return fail(s, r, "out of memory");
	s->out[0] = s->root;
	for (i = 0; i < s->nacc; i++)
		s->out[1 + i] = s->acc[s->nacc - 1 - i];
	s->nacc = 0;
	s->st->samples++;
	if (!s->collapse)
		return s->fn(s->ctx, s->p, s->out, n, s->period);
	if (profile_nvalues(s->p) == 0 &&
	    (r = profile_add_sample_type(s->p, "samples", "count")) < 0)
		return fail(s, r, "cannot add sample type");
	s->values[0] = s->period;
	r = profile_add(s->p, s->out, n, 0, s->values, NULL);
	if (r == -EOVERFLOW)
		return fail(s, r, "sample counts overflow a 64-bit sum");
	if (r < 0)
		return fail(s, r, "cannot add stack");
	return 0;
}

/* The root frame's name for this header into s->pname. */
static int build_pname(struct ps *s, const char *l, const struct perfline_header *h)
{
	struct buf *b = &s->pname;
	struct perfline_span pid = h->pid, tid = h->tid;
	int with_tid = s->o->include_tid && !s->o->group_tikv;
	int with_pid = s->o->include_pid || s->o->include_tid;
	size_t i;
	int r;

	buf_reset(b);
	if (s->o->group_tikv) {
		size_t cap = h->comm + 64, k;

		if ((r = buf_reserve(b, cap)) < 0)
			return r;
		k = threadname_tikv_pool(l, h->comm, b->data, cap + 1);
		b->len = k < cap ? k : cap;
	} else if ((r = buf_append(b, l, h->comm)) < 0) {
		return r;
	}
	/* Perl: "if (not $tid)" - no TID, or a TID of "0" */
	if (tid.n == 0 || (tid.n == 1 && tid.s[0] == '0')) {
		tid = pid;
		pid.s = "?";
		pid.n = 1;
	}
	if (with_pid || with_tid) {
		if ((r = buf_putc(b, '-')) < 0 || (r = buf_append(b, pid.s, pid.n)) < 0)
			return r;
		if (with_tid && ((r = buf_putc(b, '/')) < 0 ||
				 (r = buf_append(b, tid.s, tid.n)) < 0))
			return r;
	}
	if ((r = buf_reserve(b, 0)) < 0)
		return r;
	for (i = 0; i < b->len; i++)
		if (b->data[i] == ' ')
			b->data[i] = '_';
	return perfname_escape(b);
}

static int set_root(struct ps *s)
{
	int r;

	if (s->have_last_root && s->last_pname.len == s->pname.len &&
	    memcmp(s->last_pname.data, s->pname.data, s->pname.len) == 0)
		return 0;
	if ((r = profile_frame_named(s->p, s->pname.data, s->pname.len, FRAME_ROOT,
				     &s->last_root)) < 0)
		return r;
	buf_reset(&s->last_pname);
	if ((r = buf_append(&s->last_pname, s->pname.data, s->pname.len)) < 0)
		return r;
	s->have_last_root = 1;
	return 0;
}

static int parse_period(struct ps *s, const struct perfline_span *per, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	/* Perl: "$period = 1 if not $period" - no digits, or "0" */
	if (per->n == 0 || (per->n == 1 && per->s[0] == '0')) {
		*out = 1;
		return 0;
	}
	for (i = 0; i < per->n; i++) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, per->s[i] - '0', &v))
			return fail(s, -EBADMSG, "sample period does not fit 64 bits");
	}
	*out = v;
	return 0;
}

static int on_header(struct ps *s, const char *l, size_t n, const struct perfline_header *h)
{
	struct perfline_span ev = { NULL, 0 }, per = { NULL, 0 };
	struct perfline_frame one;
	int have_event, single = 0, r;

	have_event = perfline_event(l, n, &ev, &per);
	if (!have_event && perfline_single(l, n, &ev, &per, &one)) {
		have_event = single = 1;
		if ((r = end_sample(s)) != 0)
			return r;
	}
	/* Perl finds no event on a line that does not end with it, so a
	 * one-line record sets no default filter; an explicit one applies. */
	if (have_event && (!single || s->o->event_filter)) {
		if (!s->have_filter) {
			if ((r = buf_append(&s->filter, ev.s, ev.n)) < 0)
				return fail(s, r, "event name too long");
			s->have_filter = 1;
			copy_event(s->st->event, sizeof(s->st->event), ev.s, ev.n);
		} else if (ev.n != s->filter.len || memcmp(ev.s, s->filter.data, ev.n) != 0) {
			s->st->filtered++;
			if (!s->st->first_dropped_event[0])
				copy_event(s->st->first_dropped_event,
					   sizeof(s->st->first_dropped_event), ev.s, ev.n);
			/* Perl keeps an open sample open (its name unchanged) */
			if (single)
				s->state = SAMPLE_NONE;
			else if (s->state != SAMPLE_OPEN)
				s->state = SAMPLE_FILTERED;
			return 0;
		}
	}
	if ((r = parse_period(s, &per, &s->period)) < 0)
		return r;
	if ((r = build_pname(s, l, h)) < 0 || (r = set_root(s)) < 0)
		return fail(s, r, r == -ENOMEM ? "out of memory" : "process name too long");
	s->root = s->last_root;
	s->java = s->pname.len >= 4 && memcmp(s->pname.data, "java", 4) == 0;
	s->state = SAMPLE_OPEN;
	if (!single)
		return 0;
	if ((r = on_frame(s, &one)) != 0)
		return r;
	return end_sample(s);
}

static int on_line(struct ps *s, const char *l, size_t n)
{
	struct perfline_header h;
	struct perfline_frame k;
	size_t t;

	if (n > 0 && l[0] == '#')
		return 0;
	if (n == 0)
		return end_sample(s);
	if (!perfline_is_ws((unsigned char)l[0]) && perfline_header(l, n, &h))
		return on_header(s, l, n, &h);
	if (perfline_frame(l, n, &k)) {
		if (s->state == SAMPLE_OPEN)
			return on_frame(s, &k);
		if (s->state == SAMPLE_FILTERED)
			return 0;
	}
	/* Perl drops this line; perf pads comm, so try an indented event
	 * line before counting it. */
	t = perfline_skip_ws(l, n);
	if (t > 0 && perfline_header(l + t, n - t, &h))
		return on_header(s, l + t, n - t, &h);
	unrecognized(s);
	return 0;
}

static void ps_free(struct ps *s)
{
	buf_free(&s->filter);
	buf_free(&s->pname);
	buf_free(&s->last_pname);
	buf_free(&s->name);
	buf_free(&s->keys);
	free(s->acc);
	free(s->out);
	free(s->ents);
	free(s->slots);
	free(s->pieces);
	free(s->byname);
}

static int run(struct linereader *lr, const struct perfscript_opts *o, struct profile *p,
	       int collapse, perfscript_sample_fn fn, void *ctx,
	       struct perfscript_stats *st, struct tp_error *err)
{
	struct perfscript_stats local;
	struct ps s;
	const char *line;
	size_t len;
	int r;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.p = p;
	s.lr = lr;
	s.collapse = collapse;
	s.fn = fn;
	s.ctx = ctx;
	s.st = st;
	s.err = err;
	s.flags = (o->annotate_kernel ? PERFNAME_KERNEL : 0) |
		  (o->annotate_jit ? PERFNAME_JIT : 0) |
		  (o->include_addrs ? PERFNAME_ADDRS : 0) |
		  (o->repair_rust ? PERFNAME_RUST : 0);
	buf_init(&s.filter, 1 << 20);
	buf_init(&s.pname, NAME_MAX_BYTES);
	buf_init(&s.last_pname, NAME_MAX_BYTES);
	buf_init(&s.name, NAME_MAX_BYTES);
	buf_init(&s.keys, 0);
	if (o->event_filter && o->event_filter[0]) {
		if ((r = buf_puts(&s.filter, o->event_filter)) < 0) {
			r = tp_error_set(err, r, linereader_name(lr), 0, -1,
					 "event filter too long");
			goto out;
		}
		s.have_filter = 1;
		copy_event(st->event, sizeof(st->event), s.filter.data, s.filter.len);
	}
	if (collapse && (r = byname_seed(&s)) < 0) {
		r = tp_error_set(err, r, linereader_name(lr), 0, -1, "out of memory");
		goto out;
	}
	while ((r = linereader_next(lr, &line, &len, err)) > 0)
		if ((r = on_line(&s, line, len)) != 0)
			goto out;
	if (r < 0)
		goto out;
	if (s.state == SAMPLE_OPEN && !o->keep_truncated)
		st->truncated = 1;
	else if ((r = end_sample(&s)) != 0)
		goto out;
	if (st->samples == 0 && st->unrecognized > 0)
		r = tp_error_set(err, -EBADMSG, linereader_name(lr), st->first_unrecognized, -1,
				 "no perf script samples found; first unrecognized line %lld",
				 (long long)st->first_unrecognized);
out:
	ps_free(&s);
	return r;
}

void perfscript_opts_init(struct perfscript_opts *o)
{
	memset(o, 0, sizeof(*o));
}

int perfscript_each(struct linereader *lr, const struct perfscript_opts *o,
		    struct profile *p, perfscript_sample_fn fn, void *ctx,
		    struct perfscript_stats *st, struct tp_error *err)
{
	if (!fn)
		return tp_error_set(err, -EINVAL, linereader_name(lr), 0, -1,
				    "no sample callback");
	return run(lr, o, p, 0, fn, ctx, st, err);
}

int perfscript_collapse(struct linereader *lr, const struct perfscript_opts *o,
			struct profile *p, struct perfscript_stats *st, struct tp_error *err)
{
	return run(lr, o, p, 1, NULL, NULL, st, err);
}

int perfscript_detect(const char *buf, size_t n)
{
	size_t pos = 0, len, t;
	int after_header = 0;

	while (pos < n) {
		const char *l = buf + pos, *nl = memchr(l, '\n', n - pos);
		struct perfline_header h;
		struct perfline_frame k;
		struct perfline_span ev, per;

		len = nl ? (size_t)(nl - l) : n - pos;
		pos += len + 1;
		if (len > 0 && l[0] == '#')
			continue;
		if (!after_header) {
			if (len == 0)
				continue;
			t = perfline_skip_ws(l, len);
			if (!perfline_header(l + t, len - t, &h))
				return 0;
			if (perfline_event(l, len, &ev, &per) ||
			    perfline_single(l + t, len - t, &ev, &per, &k) || !nl)
				return 1;
			after_header = 1;
			continue;
		}
		return !nl || perfline_frame(l, len, &k);
	}
	return after_header;
}
