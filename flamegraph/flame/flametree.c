/* flametree.c - see flametree.h.
 *
 * Nodes live in one array (node 0 is the root) with their values in a
 * parallel int64 array. Each node links to its newest child, and each child
 * to its next older sibling, so a node's children are a singly linked list
 * in reverse insertion order. In normal mode a child is found by walking
 * that list while it is short, and in an open-addressing table keyed by
 * (parent, name) once its parent has many children; chart mode only ever
 * looks at the newest child. The path of the previous stack is cached, so
 * consecutive stacks that share a prefix (folded input is usually sorted)
 * skip the lookups.
 *
 * A walk keeps an explicit stack of levels; each level owns a slice of one
 * scratch array holding the children of the node entered at that level,
 * sorted by name when needed.
 */
#include "flamegraph/flame/flametree.h"
#include "analyzers/base/array.h"
#include "analyzers/base/hash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NONE 0		/* the root is never a child, so 0 ends a list */
#define HASHED 0x80000000u	/* in child: the node's children are in the table */
#define MAX_NODES ((size_t)HASHED - 1)
#define SCAN_MAX 8		/* children looked at one by one before hashing */

struct ftnode {
	uint32_t name;		/* string id */
	uint32_t parent;
	uint32_t child;		/* newest child or NONE, | HASHED */
	uint32_t sibling;	/* next older sibling, or NONE */
};

struct flametree {
	const struct profile *p;
	int nvalues;
	int chart;

	struct ftnode *nodes;
	int64_t *values;	/* nvalues per node */
	size_t nnodes, cap;

	uint32_t *slots;	/* node index, 0 = empty (normal mode only) */
	size_t nslots;		/* power of two, or 0 */
	size_t nhashed;		/* nodes in the table */

	uint32_t *prev_frames;	/* the previous stack, and its nodes */
	uint32_t *prev_nodes;
	size_t prev_n, prev_cap;
};

static uint64_t key_hash(uint32_t parent, uint32_t name)
{
	return hash_mix(((uint64_t)parent << 32 | name) ^ 0x9e3779b97f4a7c15ULL);
}

struct flametree *flametree_new(const struct profile *p, int nvalues, int chart)
{
	struct flametree *t;

	if (nvalues < 1 || nvalues > FLAMETREE_MAX_VALUES)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->p = p;
	t->nvalues = nvalues;
	t->chart = chart != 0;
	t->cap = 1024;
	t->nodes = malloc(t->cap * sizeof(*t->nodes));
	t->values = malloc(t->cap * nvalues * sizeof(*t->values));
	if (!t->nodes || !t->values) {
		flametree_free(t);
		return NULL;
	}
	t->nodes[0].name = FLAMETREE_ROOT;
	t->nodes[0].parent = NONE;
	t->nodes[0].child = NONE;
	t->nodes[0].sibling = NONE;
	memset(t->values, 0, nvalues * sizeof(*t->values));
	t->nnodes = 1;
	return t;
}

void flametree_free(struct flametree *t)
{
	if (!t)
		return;
	free(t->nodes);
	free(t->values);
	free(t->slots);
	free(t->prev_frames);
	free(t->prev_nodes);
	free(t);
}

const struct profile *flametree_profile(const struct flametree *t)
{
	return t->p;
}

int flametree_nvalues(const struct flametree *t)
{
	return t->nvalues;
}

int flametree_is_chart(const struct flametree *t)
{
	return t->chart;
}

int64_t flametree_total(const struct flametree *t, int vi)
{
	return t->values[vi];
}

size_t flametree_nnodes(const struct flametree *t)
{
	return t->nnodes;
}

size_t flametree_bytes(const struct flametree *t)
{
	return sizeof(*t) + t->cap * (sizeof(*t->nodes) + t->nvalues * sizeof(*t->values)) +
	       t->nslots * sizeof(*t->slots) +
	       t->prev_cap * (sizeof(*t->prev_frames) + sizeof(*t->prev_nodes));
}

static uint32_t first_child(const struct ftnode *n)
{
	return n->child & ~HASHED;
}

/* Put node idx into a table with room for it. */
static void table_put(uint32_t *slots, size_t nslots, const struct ftnode *nodes, uint32_t idx)
{
	size_t j = key_hash(nodes[idx].parent, nodes[idx].name) & (nslots - 1);

	while (slots[j])
		j = (j + 1) & (nslots - 1);
	slots[j] = idx;
}

/* Make room for more entries, keeping the table at most half full. */
static int table_reserve(struct flametree *t, size_t more)
{
	size_t need = t->nhashed + more, ns = t->nslots ? t->nslots : 1024, i;
	uint32_t *slots;

	while (need * 2 > ns) {
		if (ns > SIZE_MAX / 2 / sizeof(*slots))
			return -ENOMEM;
		ns *= 2;
	}
	if (ns == t->nslots)
		return 0;
	slots = calloc(ns, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->nslots; i++)
		if (t->slots[i])
			table_put(slots, ns, t->nodes, t->slots[i]);
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
	return 0;
}

static int nodes_grow(struct flametree *t)
{
	size_t nc = t->cap * 2;
	struct ftnode *nn;
	int64_t *nv;

	if (t->nnodes >= MAX_NODES)
		return -E2BIG;
	if (nc > MAX_NODES + 1)
		nc = MAX_NODES + 1;
	if (nc > SIZE_MAX / (FLAMETREE_MAX_VALUES * sizeof(*nv)))
		return -ENOMEM;
	nn = realloc(t->nodes, nc * sizeof(*nn));
	if (!nn)
		return -ENOMEM;
	t->nodes = nn;
	nv = realloc(t->values, nc * t->nvalues * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	t->values = nv;
	t->cap = nc;
	return 0;
}

/* The child of parent named name, created when missing. A node's children
 * are found by walking its list while it is short; past SCAN_MAX of them
 * they go into the (parent, name) table. */
static int child_of(struct flametree *t, uint32_t parent, uint32_t name, uint32_t *out)
{
	uint32_t c, idx, flag;
	size_t k = 0;
	int r, hashed = 0;

	if (t->chart) {
		c = first_child(&t->nodes[parent]);
		if (c != NONE && t->nodes[c].name == name) {
			*out = c;
			return 0;
		}
	} else if (t->nodes[parent].child & HASHED) {
		size_t j = key_hash(parent, name) & (t->nslots - 1);

		while ((idx = t->slots[j]) != 0) {
			if (t->nodes[idx].name == name && t->nodes[idx].parent == parent) {
				*out = idx;
				return 0;
			}
			j = (j + 1) & (t->nslots - 1);
		}
		if ((r = table_reserve(t, 1)) < 0)
			return r;
		hashed = 1;
	} else {
		for (c = first_child(&t->nodes[parent]); c != NONE; c = t->nodes[c].sibling, k++)
			if (t->nodes[c].name == name) {
				*out = c;
				return 0;
			}
		if (k >= SCAN_MAX) {
			if ((r = table_reserve(t, k + 1)) < 0)
				return r;
			for (c = first_child(&t->nodes[parent]); c != NONE; c = t->nodes[c].sibling)
				table_put(t->slots, t->nslots, t->nodes, c);
			t->nhashed += k;
			t->nodes[parent].child |= HASHED;
			hashed = 1;
		}
	}
	if (t->nnodes == t->cap && (r = nodes_grow(t)) < 0)
		return r;
	idx = (uint32_t)t->nnodes++;
	flag = t->nodes[parent].child & HASHED;
	t->nodes[idx].name = name;
	t->nodes[idx].parent = parent;
	t->nodes[idx].child = NONE;
	t->nodes[idx].sibling = first_child(&t->nodes[parent]);
	t->nodes[parent].child = idx | flag;
	memset(&t->values[(size_t)idx * t->nvalues], 0, t->nvalues * sizeof(*t->values));
	if (hashed) {
		table_put(t->slots, t->nslots, t->nodes, idx);
		t->nhashed++;
	}
	*out = idx;
	return 0;
}

static int path_reserve(struct flametree *t, size_t n)
{
	size_t nc = t->prev_cap ? t->prev_cap : 64;
	uint32_t *a, *b;

	if (n <= t->prev_cap)
		return 0;
	while (nc < n) {
		if (nc > SIZE_MAX / 2 / sizeof(*a))
			return -ENOMEM;
		nc *= 2;
	}
	a = realloc(t->prev_frames, nc * sizeof(*a));
	if (!a)
		return -ENOMEM;
	t->prev_frames = a;
	b = realloc(t->prev_nodes, nc * sizeof(*b));
	if (!b)
		return -ENOMEM;
	t->prev_nodes = b;
	t->prev_cap = nc;
	return 0;
}

int flametree_add(struct flametree *t, const uint32_t *frames, size_t n,
		  const int64_t *values)
{
	size_t nframes = profile_nframes(t->p), i, same = 0;
	int nv = t->nvalues, k, r;
	uint32_t parent = 0;

	for (k = 0; k < nv; k++) {
		int64_t sum;

		if (values[k] < 0)
			return -ERANGE;
		/* Values are never negative, so no node's total exceeds the
		 * root's: checking the root checks them all. */
		if (__builtin_add_overflow(t->values[k], values[k], &sum))
			return -EOVERFLOW;
	}
	for (i = 0; i < n; i++)
		if (frames[i] >= nframes)
			return -EINVAL;
	if ((r = path_reserve(t, n)) < 0)
		return r;
	while (same < n && same < t->prev_n && frames[same] == t->prev_frames[same])
		same++;
	if (same)
		parent = t->prev_nodes[same - 1];
	for (i = same; i < n; i++) {
		uint32_t name = profile_frame_get(t->p, frames[i])->name, node;

		if ((r = child_of(t, parent, name, &node)) < 0) {
			t->prev_n = i;
			return r;
		}
		t->prev_frames[i] = frames[i];
		t->prev_nodes[i] = node;
		parent = node;
	}
	t->prev_n = n;
	for (k = 0; k < nv; k++) {
		int64_t v = values[k];

		if (!v)
			continue;
		t->values[k] += v;
		for (i = 0; i < n; i++)
			t->values[(size_t)t->prev_nodes[i] * nv + k] += v;
	}
	return 0;
}

/* ---- walk ---- */

struct level {
	size_t start, end, pos;		/* slice of the scratch array */
	int64_t cursor;			/* left edge of the next child */
};

struct walker {
	const struct flametree *t;
	uint32_t *kids;
	size_t nkids, kids_cap;
	struct level *levels;
	size_t nlevels, levels_cap;
};

static int name_cmp(const void *a, const void *b, void *ctx)
{
	const struct flametree *t = ctx;
	uint32_t x = t->nodes[*(const uint32_t *)a].name;
	uint32_t y = t->nodes[*(const uint32_t *)b].name;
	const char *sx, *sy;
	size_t lx, ly;
	int c;

	if (x == y)
		return 0;
	sx = profile_str(t->p, x, &lx);
	sy = profile_str(t->p, y, &ly);
	c = memcmp(sx, sy, lx < ly ? lx : ly);
	if (c)
		return c;
	return lx < ly ? -1 : (lx > ly ? 1 : 0);
}


/* Present node idx to fn, then push a level with its children. */
static int enter(struct walker *w, uint32_t idx, uint32_t depth, int64_t offset,
		 int flags, flametree_fn fn, void *ctx)
{
	const struct flametree *t = w->t;
	struct flametree_frame f;
	size_t start = w->nkids, cnt = 0;
	int nv = t->nvalues, k, r;
	uint32_t c;
	struct level *l;

	memset(&f, 0, sizeof(f));
	f.name = t->nodes[idx].name;
	f.depth = depth;
	f.offset = offset;
	for (k = 0; k < nv; k++)
		f.value[k] = f.self[k] = t->values[(size_t)idx * nv + k];
	for (c = first_child(&t->nodes[idx]); c != NONE; c = t->nodes[c].sibling) {
		if (w->nkids == w->kids_cap &&
		    (r = array_grow((void **)&w->kids, &w->kids_cap, w->nkids + 1, sizeof(*w->kids))) < 0)
			return r;
		w->kids[w->nkids++] = c;
		for (k = 0; k < nv; k++)
			f.self[k] -= t->values[(size_t)c * nv + k];
		cnt++;
	}
	if ((r = fn(ctx, &f)) < 0)
		return r;
	if (cnt > 1 && !(flags & FLAMETREE_UNORDERED)) {
		uint32_t *s = w->kids + start;

		if (t->chart) {	/* the list is newest first */
			size_t i;

			for (i = 0; i < cnt / 2; i++) {
				uint32_t tmp = s[i];

				s[i] = s[cnt - 1 - i];
				s[cnt - 1 - i] = tmp;
			}
		} else {
			qsort_r(s, cnt, sizeof(*s), name_cmp, (void *)t);
		}
	}
	if ((r = array_grow((void **)&w->levels, &w->levels_cap, w->nlevels + 1,
		      sizeof(*w->levels))) < 0)
		return r;
	l = &w->levels[w->nlevels++];
	l->start = start;
	l->end = w->nkids;
	l->pos = start;
	l->cursor = offset;
	return 0;
}

int flametree_walk(const struct flametree *t, int64_t minvalue, int flags,
		   flametree_fn fn, void *ctx)
{
	struct walker w;
	int wv = t->nvalues - 1, r;

	memset(&w, 0, sizeof(w));
	w.t = t;
	if (minvalue < 1)
		minvalue = 1;
	if (t->values[wv] < minvalue)
		return 0;
	r = enter(&w, 0, 0, 0, flags, fn, ctx);
	while (r == 0 && w.nlevels) {
		struct level *l = &w.levels[w.nlevels - 1];
		uint32_t c;
		int64_t width, off;

		if (l->pos == l->end) {
			w.nkids = l->start;
			w.nlevels--;
			continue;
		}
		c = w.kids[l->pos++];
		width = t->values[(size_t)c * t->nvalues + wv];
		off = l->cursor;
		l->cursor += width;
		if (width < minvalue)
			continue;
		r = enter(&w, c, (uint32_t)w.nlevels, off, flags, fn, ctx);
	}
	free(w.kids);
	free(w.levels);
	return r;
}
