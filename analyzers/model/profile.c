/* profile.c - see profile.h.
 *
 * Stacks live in a flat array of records; their frame ids come from the
 * profile's arena and their values from one growable int64 array. Three
 * open-addressing tables (frames, label sets, stacks) hold index+1 per slot
 * and the full hash per record, so they grow without rehashing content.
 */
#include "analyzers/model/profile.h"
#include "analyzers/base/array.h"
#include "analyzers/base/arena.h"
#include "analyzers/base/hash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct stackrec {
	uint32_t *frames;
	uint32_t nframes;
	uint32_t labels;
	uint64_t hash;
};

struct labelrec {
	struct label *l;
	uint32_t n;
	uint64_t hash;
};

struct table {
	uint32_t *slots;
	size_t nslots;		/* power of two, or 0 */
};

struct profile {
	struct arena *arena;
	struct strtab *strings;
	uint32_t types[PROFILE_MAX_VALUES], units[PROFILE_MAX_VALUES];
	size_t nvalues;
	struct profile_meta meta;
	uint32_t *comments;
	size_t ncomments;

	struct frame *frames;
	uint64_t *frame_hash;
	size_t nframes, frames_cap;
	struct table frame_tab;

	struct labelrec *labelsets;
	size_t nlabelsets, labelsets_cap;
	struct table label_tab;

	struct stackrec *stacks;
	int64_t *values;
	size_t nstacks, stacks_cap;
	struct table stack_tab;

	/* mappings (see the "mappings" section at the end) */
	struct mapping *mappings;
	uint64_t *mapping_hash;
	size_t nmappings, mappings_cap;
	struct table mapping_tab;
};


/* Rebuild t for count records whose hashes hash_of() returns. */
static int table_grow(struct table *t, size_t count,
		      uint64_t (*hash_of)(const struct profile *, size_t),
		      const struct profile *p)
{
	size_t ns = t->nslots ? t->nslots * 2 : 1024;
	uint32_t *slots;
	size_t i;

	while (ns < count * 2)
		ns *= 2;
	slots = calloc(ns, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		size_t j = hash_of(p, i) & (ns - 1);

		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = (uint32_t)(i + 1);
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
	return 0;
}

static uint64_t frame_hash_of(const struct profile *p, size_t i)
{
	return p->frame_hash[i];
}

static uint64_t label_hash_of(const struct profile *p, size_t i)
{
	return p->labelsets[i].hash;
}

static uint64_t stack_hash_of(const struct profile *p, size_t i)
{
	return p->stacks[i].hash;
}

struct profile *profile_new(void)
{
	struct profile *p = calloc(1, sizeof(*p));
	uint32_t id;

	if (!p)
		return NULL;
	p->arena = arena_new();
	p->strings = strtab_new();
	if (!p->arena || !p->strings || profile_labelset(p, NULL, 0, &id) < 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	arena_free(p->arena);
	strtab_free(p->strings);
	free(p->comments);
	free(p->frames);
	free(p->frame_hash);
	free(p->frame_tab.slots);
	free(p->labelsets);
	free(p->label_tab.slots);
	free(p->stacks);
	free(p->values);
	free(p->stack_tab.slots);
	free(p->mappings);
	free(p->mapping_hash);
	free(p->mapping_tab.slots);
	free(p);
}

int profile_add_sample_type(struct profile *p, const char *type, const char *unit)
{
	int r;

	if (p->nstacks)
		return -EINVAL;
	if (p->nvalues >= PROFILE_MAX_VALUES)
		return -E2BIG;
	if ((r = strtab_intern(p->strings, type, strlen(type), &p->types[p->nvalues])) < 0)
		return r;
	if ((r = strtab_intern(p->strings, unit, strlen(unit), &p->units[p->nvalues])) < 0)
		return r;
	p->nvalues++;
	return 0;
}

size_t profile_nvalues(const struct profile *p)
{
	return p->nvalues;
}

uint32_t profile_sample_type(const struct profile *p, size_t i, uint32_t *unit)
{
	if (unit)
		*unit = p->units[i];
	return p->types[i];
}

int profile_find_sample_type(const struct profile *p, const char *type)
{
	uint32_t id;
	size_t i;

	if (strtab_find(p->strings, type, strlen(type), &id) < 0)
		return -1;
	for (i = 0; i < p->nvalues; i++)
		if (p->types[i] == id)
			return (int)i;
	return -1;
}

struct profile_meta *profile_meta(struct profile *p)
{
	return &p->meta;
}

const struct profile_meta *profile_meta_const(const struct profile *p)
{
	return &p->meta;
}

int profile_add_comment(struct profile *p, uint32_t str)
{
	uint32_t *nc = realloc(p->comments, (p->ncomments + 1) * sizeof(*nc));

	if (!nc)
		return -ENOMEM;
	p->comments = nc;
	p->comments[p->ncomments++] = str;
	return 0;
}

size_t profile_ncomments(const struct profile *p)
{
	return p->ncomments;
}

uint32_t profile_comment(const struct profile *p, size_t i)
{
	return p->comments[i];
}

const struct strtab *profile_strings_const(const struct profile *p)
{
	return p->strings;
}

int profile_intern(struct profile *p, const char *s, size_t len, uint32_t *id)
{
	return strtab_intern(p->strings, s, len, id);
}

const char *profile_str(const struct profile *p, uint32_t id, size_t *len)
{
	return strtab_get(p->strings, id, len);
}

/* ---- frames ---- */

static uint64_t hash_frame(const struct frame *f)
{
	uint64_t k[4];

	k[0] = ((uint64_t)f->name << 32) | f->module;
	k[1] = ((uint64_t)f->file << 32) | f->line;
	k[2] = f->addr;
	k[3] = ((uint64_t)f->mapping << 32) | f->kind;
	return hash_bytes(k, sizeof(k), 0x5eed);
}

static int frame_eq(const struct frame *a, const struct frame *b)
{
	return a->name == b->name && a->module == b->module && a->file == b->file &&
	       a->line == b->line && a->addr == b->addr && a->kind == b->kind &&
	       a->mapping == b->mapping;
}

int profile_frame(struct profile *p, const struct frame *f, uint32_t *id)
{
	uint64_t h = hash_frame(f);
	size_t j;
	int r;

	if (p->nframes >= UINT32_MAX - 1)
		return -E2BIG;
	if ((p->nframes + 1) * 2 > p->frame_tab.nslots) {
		if ((r = table_grow(&p->frame_tab, p->nframes, frame_hash_of, p)) < 0)
			return r;
	}
	j = h & (p->frame_tab.nslots - 1);
	for (;;) {
		uint32_t v = p->frame_tab.slots[j];

		if (!v)
			break;
		if (p->frame_hash[v - 1] == h && frame_eq(&p->frames[v - 1], f)) {
			*id = v - 1;
			return 0;
		}
		j = (j + 1) & (p->frame_tab.nslots - 1);
	}
	{
		size_t cap = p->frames_cap;

		if ((r = array_grow((void **)&p->frames, &cap, p->nframes + 1,
				    sizeof(*p->frames))) < 0)
			return r;
		cap = p->frames_cap;
		if ((r = array_grow((void **)&p->frame_hash, &cap, p->nframes + 1,
				    sizeof(*p->frame_hash))) < 0)
			return r;
		p->frames_cap = cap;
	}
	p->frames[p->nframes] = *f;
	p->frame_hash[p->nframes] = h;
	p->frame_tab.slots[j] = (uint32_t)(p->nframes + 1);
	*id = (uint32_t)p->nframes++;
	return 0;
}

int profile_frame_named(struct profile *p, const char *name, size_t len,
			enum frame_kind kind, uint32_t *id)
{
	struct frame f;
	int r;

	memset(&f, 0, sizeof(f));
	if ((r = strtab_intern(p->strings, name, len, &f.name)) < 0)
		return r;
	f.kind = kind;
	return profile_frame(p, &f, id);
}

const struct frame *profile_frame_get(const struct profile *p, uint32_t id)
{
	return &p->frames[id];
}

size_t profile_nframes(const struct profile *p)
{
	return p->nframes;
}

/* ---- label sets ---- */

static int label_cmp(const void *a, const void *b)
{
	const struct label *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->str != y->str)
		return x->str < y->str ? -1 : 1;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	return 0;
}

int profile_labelset(struct profile *p, const struct label *l, size_t n, uint32_t *id)
{
	struct label tmp[64], *sorted = tmp;
	uint64_t h;
	size_t j;
	int r = 0;

	if (n > UINT32_MAX)
		return -E2BIG;
	if (n > 64) {
		sorted = malloc(n * sizeof(*sorted));
		if (!sorted)
			return -ENOMEM;
	}
	if (n)
		memcpy(sorted, l, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), label_cmp);
	h = hash_bytes(sorted, n * sizeof(*sorted), 0x1abe1);
	if ((p->nlabelsets + 1) * 2 > p->label_tab.nslots) {
		if ((r = table_grow(&p->label_tab, p->nlabelsets, label_hash_of, p)) < 0)
			goto out;
	}
	j = h & (p->label_tab.nslots - 1);
	for (;;) {
		uint32_t v = p->label_tab.slots[j];
		const struct labelrec *lr;

		if (!v)
			break;
		lr = &p->labelsets[v - 1];
		if (lr->hash == h && lr->n == n &&
		    (n == 0 || memcmp(lr->l, sorted, n * sizeof(*sorted)) == 0)) {
			*id = v - 1;
			goto out;
		}
		j = (j + 1) & (p->label_tab.nslots - 1);
	}
	if ((r = array_grow((void **)&p->labelsets, &p->labelsets_cap,
			    p->nlabelsets + 1, sizeof(*p->labelsets))) < 0)
		goto out;
	{
		struct labelrec *lr = &p->labelsets[p->nlabelsets];

		lr->l = n ? arena_memdup(p->arena, sorted, n * sizeof(*sorted)) : NULL;
		if (n && !lr->l) {
			r = -ENOMEM;
			goto out;
		}
		lr->n = (uint32_t)n;
		lr->hash = h;
	}
	p->label_tab.slots[j] = (uint32_t)(p->nlabelsets + 1);
	*id = (uint32_t)p->nlabelsets++;
out:
	if (sorted != tmp)
		free(sorted);
	return r;
}

const struct label *profile_labelset_get(const struct profile *p, uint32_t id, size_t *n)
{
	*n = p->labelsets[id].n;
	return p->labelsets[id].l;
}

size_t profile_nlabelsets(const struct profile *p)
{
	return p->nlabelsets;
}

/* ---- stacks ---- */

static uint64_t hash_stack(const uint32_t *frames, size_t n, uint32_t labels)
{
	return hash_bytes(frames, n * sizeof(*frames), 0x57ac ^ ((uint64_t)labels << 20));
}

static long find_slot(const struct profile *p, const uint32_t *frames, size_t n,
		      uint32_t labels, uint64_t h, size_t *slot)
{
	size_t j;

	if (!p->stack_tab.nslots) {
		*slot = 0;
		return -1;
	}
	j = h & (p->stack_tab.nslots - 1);
	for (;;) {
		uint32_t v = p->stack_tab.slots[j];
		const struct stackrec *s;

		if (!v) {
			*slot = j;
			return -1;
		}
		s = &p->stacks[v - 1];
		if (s->hash == h && s->nframes == n && s->labels == labels &&
		    (n == 0 || memcmp(s->frames, frames, n * sizeof(*frames)) == 0)) {
			*slot = j;
			return (long)(v - 1);
		}
		j = (j + 1) & (p->stack_tab.nslots - 1);
	}
}

long profile_find_stack(const struct profile *p, const uint32_t *frames,
			size_t n, uint32_t labels)
{
	size_t slot;

	return find_slot(p, frames, n, labels, hash_stack(frames, n, labels), &slot);
}

static int add_values(int64_t *dst, const int64_t *v, size_t nv)
{
	int64_t tmp[PROFILE_MAX_VALUES];
	size_t i;

	for (i = 0; i < nv; i++)
		if (__builtin_add_overflow(dst[i], v[i], &tmp[i]))
			return -EOVERFLOW;
	memcpy(dst, tmp, nv * sizeof(*dst));
	return 0;
}

int profile_add(struct profile *p, const uint32_t *frames, size_t n,
		uint32_t labels, const int64_t *values, size_t *idx)
{
	uint64_t h;
	size_t slot;
	long found;
	int r;

	if (n > PROFILE_MAX_DEPTH)
		return -E2BIG;
	h = hash_stack(frames, n, labels);
	found = find_slot(p, frames, n, labels, h, &slot);
	if (found >= 0) {
		if (idx)
			*idx = (size_t)found;
		return add_values(&p->values[(size_t)found * p->nvalues], values, p->nvalues);
	}
	if (p->nstacks >= UINT32_MAX - 1)
		return -E2BIG;
	if ((p->nstacks + 1) * 2 > p->stack_tab.nslots) {
		if ((r = table_grow(&p->stack_tab, p->nstacks, stack_hash_of, p)) < 0)
			return r;
		find_slot(p, frames, n, labels, h, &slot);
	}
	if (p->nstacks + 1 > p->stacks_cap) {
		size_t cap = p->stacks_cap, vcap;

		if ((r = array_grow((void **)&p->stacks, &cap, p->nstacks + 1,
				    sizeof(*p->stacks))) < 0)
			return r;
		vcap = p->stacks_cap * (p->nvalues ? p->nvalues : 1);
		if (p->nvalues &&
		    (r = array_grow((void **)&p->values, &vcap, cap * p->nvalues,
				    sizeof(*p->values))) < 0)
			return r;
		p->stacks_cap = cap;
	}
	{
		struct stackrec *s = &p->stacks[p->nstacks];

		s->frames = n ? arena_alloc(p->arena, n * sizeof(*frames)) : NULL;
		if (n && !s->frames)
			return -ENOMEM;
		if (n)
			memcpy(s->frames, frames, n * sizeof(*frames));
		s->nframes = (uint32_t)n;
		s->labels = labels;
		s->hash = h;
	}
	if (p->nvalues)
		memcpy(&p->values[p->nstacks * p->nvalues], values,
		       p->nvalues * sizeof(*values));
	p->stack_tab.slots[slot] = (uint32_t)(p->nstacks + 1);
	if (idx)
		*idx = p->nstacks;
	p->nstacks++;
	return 0;
}

int profile_add_leaf_first(struct profile *p, const uint32_t *frames, size_t n,
			   uint32_t labels, const int64_t *values, size_t *idx)
{
	uint32_t tmp[256], *rev = tmp;
	size_t i;
	int r;

	if (n > PROFILE_MAX_DEPTH)
		return -E2BIG;
	if (n == 0)
		return profile_add(p, frames, 0, labels, values, idx);
	if (n > 256) {
		rev = malloc(n * sizeof(*rev));
		if (!rev)
			return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		rev[i] = frames[n - 1 - i];
	r = profile_add(p, rev, n, labels, values, idx);
	if (rev != tmp)
		free(rev);
	return r;
}

size_t profile_nstacks(const struct profile *p)
{
	return p->nstacks;
}

void profile_stack(const struct profile *p, size_t i, struct stack_view *out)
{
	out->frames = p->stacks[i].frames;
	out->nframes = p->stacks[i].nframes;
	out->labels = p->stacks[i].labels;
	out->values = p->nvalues ? &p->values[i * p->nvalues] : NULL;
}

int64_t profile_total(const struct profile *p, size_t vi)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < p->nstacks; i++) {
		int64_t v = p->values[i * p->nvalues + vi];

		if (__builtin_add_overflow(t, v, &t))
			t = v > 0 ? INT64_MAX : INT64_MIN;
	}
	return t;
}

/* Compare as the folded lines "f1;f2;...;fn" would compare with memcmp. */
int profile_stack_cmp(const struct profile *p, size_t ia, size_t ib)
{
	const struct stackrec *a = &p->stacks[ia], *b = &p->stacks[ib];
	uint32_t i = 0;

	for (;; i++) {
		const unsigned char *sa, *sb;
		size_t la, lb, k, m;

		if (i == a->nframes || i == b->nframes) {
			if (a->nframes != b->nframes)
				return a->nframes < b->nframes ? -1 : 1;
			break;
		}
		if (a->frames[i] == b->frames[i])
			continue;
		sa = (const unsigned char *)strtab_get(p->strings,
			p->frames[a->frames[i]].name, &la);
		sb = (const unsigned char *)strtab_get(p->strings,
			p->frames[b->frames[i]].name, &lb);
		m = la < lb ? la : lb;
		for (k = 0; k < m; k++)
			if (sa[k] != sb[k])
				return sa[k] < sb[k] ? -1 : 1;
		if (la == lb)
			continue;	/* same name, other frame fields differ */
		/* One name is a prefix of the other: the shorter one is
		 * followed by ';' or by the end of its line. */
		if (la < lb) {
			if (i + 1 == a->nframes)
				return -1;
			return ';' < sb[la] ? -1 : (';' > sb[la] ? 1 : -1);
		} else {
			if (i + 1 == b->nframes)
				return 1;
			return sa[lb] < ';' ? -1 : (sa[lb] > ';' ? 1 : 1);
		}
	}
	if (a->labels != b->labels)
		return a->labels < b->labels ? -1 : 1;
	/* Stacks whose names are equal but whose frames differ in other
	 * fields: order by frame ids for determinism. */
	for (i = 0; i < a->nframes; i++)
		if (a->frames[i] != b->frames[i])
			return a->frames[i] < b->frames[i] ? -1 : 1;
	return 0;
}

static int cmp_idx(const void *x, const void *y, void *ctx)
{
	return profile_stack_cmp(ctx, *(const uint32_t *)x, *(const uint32_t *)y);
}

int profile_sorted(const struct profile *p, uint32_t **order)
{
	uint32_t *o = malloc((p->nstacks ? p->nstacks : 1) * sizeof(*o));
	size_t i;

	if (!o)
		return -ENOMEM;
	for (i = 0; i < p->nstacks; i++)
		o[i] = (uint32_t)i;
	qsort_r(o, p->nstacks, sizeof(*o), cmp_idx, (void *)p);
	*order = o;
	return 0;
}

static int remap(struct profile *dst, const struct profile *src, uint32_t id,
		 uint32_t *out)
{
	size_t len;
	const char *s = strtab_get(src->strings, id, &len);

	return strtab_intern(dst->strings, s, len, out);
}

int profile_import_frame(struct profile *dst, const struct profile *src,
			 uint32_t fid, uint32_t *out)
{
	struct frame f = src->frames[fid];
	int r;

	if ((r = remap(dst, src, src->frames[fid].name, &f.name)) < 0 ||
	    (r = remap(dst, src, src->frames[fid].module, &f.module)) < 0 ||
	    (r = remap(dst, src, src->frames[fid].file, &f.file)) < 0)
		return r;
	if (f.mapping) {
		struct mapping m = src->mappings[f.mapping - 1];

		if ((r = remap(dst, src, m.filename, &m.filename)) < 0 ||
		    (r = remap(dst, src, m.build_id, &m.build_id)) < 0 ||
		    (r = profile_mapping_add(dst, &m, &f.mapping)) < 0)
			return r;
	}
	return profile_frame(dst, &f, out);
}

int profile_import_labelset(struct profile *dst, const struct profile *src,
			    uint32_t lid, uint32_t *out)
{
	const struct labelrec *lr = &src->labelsets[lid];
	struct label *l;
	uint32_t k;
	int r = 0;

	if (lr->n == 0) {
		*out = 0;
		return 0;
	}
	l = malloc(lr->n * sizeof(*l));
	if (!l)
		return -ENOMEM;
	for (k = 0; k < lr->n; k++) {
		l[k] = lr->l[k];
		if ((r = remap(dst, src, lr->l[k].key, &l[k].key)) < 0 ||
		    (r = remap(dst, src, lr->l[k].str, &l[k].str)) < 0 ||
		    (r = remap(dst, src, lr->l[k].unit, &l[k].unit)) < 0)
			break;
	}
	if (r == 0)
		r = profile_labelset(dst, l, lr->n, out);
	free(l);
	return r;
}

int profile_merge(struct profile *dst, const struct profile *src,
		  size_t src_vi, size_t dst_vi)
{
	uint32_t *fmap = NULL, *lmap = NULL, *tmp = NULL;
	size_t i, tmpcap = 0;
	int64_t vals[PROFILE_MAX_VALUES];
	int r = 0;

	if (src_vi == (size_t)-1 && src->nvalues != dst->nvalues)
		return -EINVAL;
	if (src_vi != (size_t)-1 && (src_vi >= src->nvalues || dst_vi >= dst->nvalues))
		return -EINVAL;
	fmap = malloc((src->nframes ? src->nframes : 1) * sizeof(*fmap));
	lmap = malloc((src->nlabelsets ? src->nlabelsets : 1) * sizeof(*lmap));
	if (!fmap || !lmap) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < src->nframes; i++)
		if ((r = profile_import_frame(dst, src, (uint32_t)i, &fmap[i])) < 0)
			goto out;
	for (i = 0; i < src->nlabelsets; i++)
		if ((r = profile_import_labelset(dst, src, (uint32_t)i, &lmap[i])) < 0)
			goto out;
	for (i = 0; i < src->nstacks; i++) {
		const struct stackrec *s = &src->stacks[i];
		uint32_t k;

		if (s->nframes > tmpcap) {
			uint32_t *nt = realloc(tmp, s->nframes * sizeof(*nt));

			if (!nt) {
				r = -ENOMEM;
				goto out;
			}
			tmp = nt;
			tmpcap = s->nframes;
		}
		for (k = 0; k < s->nframes; k++)
			tmp[k] = fmap[s->frames[k]];
		if (src_vi == (size_t)-1) {
			memcpy(vals, &src->values[i * src->nvalues], src->nvalues * sizeof(*vals));
		} else {
			memset(vals, 0, dst->nvalues * sizeof(*vals));
			vals[dst_vi] = src->values[i * src->nvalues + src_vi];
		}
		if ((r = profile_add(dst, tmp, s->nframes, lmap[s->labels], vals, NULL)) < 0)
			goto out;
	}
out:
	free(fmap);
	free(lmap);
	free(tmp);
	return r;
}

int profile_copy_header(struct profile *dst, const struct profile *src)
{
	const struct profile_meta *sm = &src->meta;
	struct profile_meta *dm = &dst->meta;
	size_t i;
	int r;

	if (dst->nstacks)
		return -EINVAL;
	if (dst->nvalues == 0)
		for (i = 0; i < src->nvalues; i++)
			if ((r = profile_add_sample_type(dst,
					strtab_get(src->strings, src->types[i], NULL),
					strtab_get(src->strings, src->units[i], NULL))) < 0)
				return r;
	dm->period = sm->period;
	dm->time_nanos = sm->time_nanos;
	dm->duration_nanos = sm->duration_nanos;
	if ((r = remap(dst, src, sm->period_type, &dm->period_type)) < 0 ||
	    (r = remap(dst, src, sm->period_unit, &dm->period_unit)) < 0 ||
	    (r = remap(dst, src, sm->default_sample_type, &dm->default_sample_type)) < 0 ||
	    (r = remap(dst, src, sm->drop_frames, &dm->drop_frames)) < 0 ||
	    (r = remap(dst, src, sm->keep_frames, &dm->keep_frames)) < 0)
		return r;
	for (i = 0; i < src->ncomments; i++) {
		uint32_t id;

		if ((r = remap(dst, src, src->comments[i], &id)) < 0 ||
		    (r = profile_add_comment(dst, id)) < 0)
			return r;
	}
	return 0;
}

int profile_scale(struct profile *p, size_t vi, int64_t num, int64_t den)
{
	size_t i;

	if (vi >= p->nvalues || den == 0)
		return -EINVAL;
	for (i = 0; i < p->nstacks; i++) {
		__int128 v = (__int128)p->values[i * p->nvalues + vi] * num / den;

		if (v > INT64_MAX || v < INT64_MIN)
			return -EOVERFLOW;
		p->values[i * p->nvalues + vi] = (int64_t)v;
	}
	return 0;
}

size_t profile_bytes(const struct profile *p)
{
	return arena_bytes(p->arena) + strtab_bytes(p->strings) +
	       p->frames_cap * (sizeof(struct frame) + sizeof(uint64_t)) +
	       p->frame_tab.nslots * 4 + p->labelsets_cap * sizeof(struct labelrec) +
	       p->label_tab.nslots * 4 + p->stacks_cap * sizeof(struct stackrec) +
	       p->stacks_cap * p->nvalues * sizeof(int64_t) + p->stack_tab.nslots * 4 +
	       p->mappings_cap * (sizeof(struct mapping) + sizeof(uint64_t)) +
	       p->mapping_tab.nslots * 4;
}

/* ---- mappings (pprof) ----
 *
 * Added for the pprof decoder and encoder: a deduplicated table of
 * struct mapping, the same open-addressing scheme as frames. Id i+1 is
 * record i.
 */

static uint64_t mapping_hash_of(const struct profile *p, size_t i)
{
	return p->mapping_hash[i];
}

static uint64_t hash_mapping(const struct mapping *m)
{
	uint64_t k[5];

	k[0] = m->start;
	k[1] = m->limit;
	k[2] = m->offset;
	k[3] = ((uint64_t)m->filename << 32) | m->build_id;
	k[4] = m->flags;
	return hash_bytes(k, sizeof(k), 0x3a99);
}

static int mapping_eq(const struct mapping *a, const struct mapping *b)
{
	return a->start == b->start && a->limit == b->limit && a->offset == b->offset &&
	       a->filename == b->filename && a->build_id == b->build_id &&
	       a->flags == b->flags;
}

int profile_mapping_add(struct profile *p, const struct mapping *m, uint32_t *id)
{
	uint64_t h = hash_mapping(m);
	size_t j, cap;
	int r;

	if (p->nmappings >= UINT32_MAX - 1)
		return -E2BIG;
	if ((p->nmappings + 1) * 2 > p->mapping_tab.nslots) {
		if ((r = table_grow(&p->mapping_tab, p->nmappings, mapping_hash_of, p)) < 0)
			return r;
	}
	j = h & (p->mapping_tab.nslots - 1);
	for (;;) {
		uint32_t v = p->mapping_tab.slots[j];

		if (!v)
			break;
		if (p->mapping_hash[v - 1] == h && mapping_eq(&p->mappings[v - 1], m)) {
			*id = v;
			return 0;
		}
		j = (j + 1) & (p->mapping_tab.nslots - 1);
	}
	cap = p->mappings_cap;
	if ((r = array_grow((void **)&p->mappings, &cap, p->nmappings + 1,
			    sizeof(*p->mappings))) < 0)
		return r;
	cap = p->mappings_cap;
	if ((r = array_grow((void **)&p->mapping_hash, &cap, p->nmappings + 1,
			    sizeof(*p->mapping_hash))) < 0)
		return r;
	p->mappings_cap = cap;
	p->mappings[p->nmappings] = *m;
	p->mapping_hash[p->nmappings] = h;
	p->mapping_tab.slots[j] = (uint32_t)(p->nmappings + 1);
	*id = (uint32_t)++p->nmappings;
	return 0;
}

const struct mapping *profile_mapping_get(const struct profile *p, uint32_t id)
{
	return &p->mappings[id - 1];
}

size_t profile_mapping_count(const struct profile *p)
{
	return p->nmappings;
}
