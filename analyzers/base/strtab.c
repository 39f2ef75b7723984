/* strtab.c - see strtab.h. Open addressing, linear probing, power-of-two
 * slots holding id+1 (0 = empty), with the hash kept per string so that
 * growing never rehashes the bytes. */
#include "analyzers/base/strtab.h"
#include "analyzers/base/arena.h"
#include "analyzers/base/hash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	const char *s;
	uint32_t len;
	uint32_t hash32;
};

struct strtab {
	struct arena *arena;
	struct entry *ents;
	uint32_t n, cap;	/* strings, capacity of ents */
	uint32_t *slots;
	size_t nslots;		/* power of two */
};

static int grow_slots(struct strtab *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 1024;
	uint32_t *slots = calloc(ns, sizeof(*slots));
	uint32_t i;

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		size_t j = t->ents[i].hash32 & (ns - 1);

		while (slots[j])
			j = (j + 1) & (ns - 1);
		slots[j] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
	return 0;
}

struct strtab *strtab_new(void)
{
	struct strtab *t = calloc(1, sizeof(*t));
	uint32_t id;

	if (!t)
		return NULL;
	t->arena = arena_new();
	if (!t->arena || strtab_intern(t, "", 0, &id) < 0) {
		strtab_free(t);
		return NULL;
	}
	return t;
}

static int lookup(const struct strtab *t, const char *s, size_t len,
		  uint32_t h, size_t *slot)
{
	size_t j = h & (t->nslots - 1);

	for (;;) {
		uint32_t v = t->slots[j];
		const struct entry *e;

		if (!v) {
			*slot = j;
			return -ENOENT;
		}
		e = &t->ents[v - 1];
		if (e->hash32 == h && e->len == len && memcmp(e->s, s, len) == 0) {
			*slot = j;
			return (int)(v - 1);
		}
		j = (j + 1) & (t->nslots - 1);
	}
}

int strtab_intern_hashed(struct strtab *t, const char *s, size_t len,
			 uint64_t hash, uint32_t *id)
{
	uint32_t h = (uint32_t)hash;
	size_t slot;
	struct entry *e;
	int r;

	if (len > UINT32_MAX)
		return -E2BIG;
	if (!t->nslots || (size_t)(t->n + 1) * 2 > t->nslots) {
		if ((r = grow_slots(t)) < 0)
			return r;
	}
	r = lookup(t, s, len, h, &slot);
	if (r >= 0) {
		*id = (uint32_t)r;
		return 0;
	}
	if (t->n >= INT32_MAX)
		return -E2BIG;
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? (t->cap > UINT32_MAX / 2 ? UINT32_MAX : t->cap * 2) : 1024;
		struct entry *ne = realloc(t->ents, (size_t)nc * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		t->ents = ne;
		t->cap = nc;
	}
	e = &t->ents[t->n];
	e->s = arena_memdup(t->arena, s, len);
	if (!e->s)
		return -ENOMEM;
	e->len = (uint32_t)len;
	e->hash32 = h;
	t->slots[slot] = t->n + 1;
	*id = t->n++;
	return 0;
}

int strtab_intern(struct strtab *t, const char *s, size_t len, uint32_t *id)
{
	return strtab_intern_hashed(t, s, len, hash_bytes(s, len, 0), id);
}

int strtab_find(const struct strtab *t, const char *s, size_t len, uint32_t *id)
{
	size_t slot;
	int r;

	if (!t->nslots || len > UINT32_MAX)
		return -ENOENT;
	r = lookup(t, s, len, (uint32_t)hash_bytes(s, len, 0), &slot);
	if (r < 0)
		return -ENOENT;
	*id = (uint32_t)r;
	return 0;
}

const char *strtab_get(const struct strtab *t, uint32_t id, size_t *len)
{
	if (len)
		*len = t->ents[id].len;
	return t->ents[id].s;
}

uint32_t strtab_count(const struct strtab *t)
{
	return t->n;
}

size_t strtab_bytes(const struct strtab *t)
{
	return arena_bytes(t->arena) + (size_t)t->cap * sizeof(struct entry) +
	       t->nslots * sizeof(uint32_t);
}

void strtab_free(struct strtab *t)
{
	if (!t)
		return;
	arena_free(t->arena);
	free(t->ents);
	free(t->slots);
	free(t);
}
