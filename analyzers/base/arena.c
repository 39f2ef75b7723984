/* arena.c - see arena.h */
#include "analyzers/base/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (256 * 1024)

struct chunk {
	struct chunk *next;
	size_t size;		/* usable bytes after the header */
	size_t used;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
	size_t bytes;
	unsigned long fail_after;	/* 0 = never */
	unsigned long count;
};

struct arena *arena_new(void)
{
	return calloc(1, sizeof(struct arena));
}

static struct chunk *chunk_new(size_t need)
{
	size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
	struct chunk *c;

	if (size > SIZE_MAX - sizeof(*c))
		return NULL;
	c = malloc(sizeof(*c) + size);
	if (!c)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c;
	size_t need;
	void *p;

	if (a->fail_after && ++a->count >= a->fail_after)
		return NULL;
	if (n > SIZE_MAX - 8)
		return NULL;
	need = (n + 7) & ~(size_t)7;
	c = a->head;
	if (!c || c->size - c->used < need) {
		c = chunk_new(need);
		if (!c)
			return NULL;
		a->bytes += c->size;
		/* A large one-off block goes behind the current chunk so the
		 * current chunk's free space is not wasted. */
		if (a->head && need > ARENA_CHUNK / 4) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += need;
	return p;
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	char *d;

	if (n == SIZE_MAX)
		return NULL;
	d = arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	if (n)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

size_t arena_bytes(const struct arena *a)
{
	return a->bytes;
}

void arena_fail_after(struct arena *a, unsigned long n)
{
	a->fail_after = n;
	a->count = 0;
}

void arena_free(struct arena *a)
{
	struct chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}
