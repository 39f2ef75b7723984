#include "analyzers/base/arena.h"
#include "check.h"
#include <stdint.h>

static void alloc_aligned_and_distinct(void)
{
	struct arena *a = arena_new();
	char *p[1000];
	int i;

	CHECK(a != NULL);
	for (i = 0; i < 1000; i++) {
		p[i] = arena_alloc(a, (size_t)(i % 37) + 1);
		CHECK(p[i] != NULL);
		CHECK(((uintptr_t)p[i] & 7) == 0);
		memset(p[i], i & 0xff, (size_t)(i % 37) + 1);
	}
	for (i = 0; i < 1000; i++)
		CHECK((unsigned char)p[i][i % 37] == (i & 0xff));
	arena_free(a);
}

static void large_blocks_keep_chunk(void)
{
	struct arena *a = arena_new();
	char *small1 = arena_alloc(a, 16);
	char *big = arena_alloc(a, 4 << 20);
	char *small2 = arena_alloc(a, 16);

	CHECK(small1 && big && small2);
	/* the small allocations share the first chunk */
	CHECK(small2 - small1 == 16);
	memset(big, 1, 4 << 20);
	CHECK(arena_bytes(a) >= (4u << 20));
	arena_free(a);
}

static void memdup_terminates(void)
{
	struct arena *a = arena_new();
	char *s = arena_memdup(a, "ab\0cd", 5);

	CHECK(s && memcmp(s, "ab\0cd", 5) == 0 && s[5] == '\0');
	CHECK(arena_alloc(a, 0) != NULL);
	arena_free(a);
	arena_free(NULL);
}

static void injected_failure(void)
{
	struct arena *a = arena_new();

	arena_fail_after(a, 3);
	CHECK(arena_alloc(a, 8) != NULL);
	CHECK(arena_alloc(a, 8) != NULL);
	CHECK(arena_alloc(a, 8) == NULL);
	CHECK(arena_alloc(a, 8) == NULL);
	arena_fail_after(a, 0);
	CHECK(arena_alloc(a, 8) != NULL);
	CHECK(arena_alloc(a, SIZE_MAX) == NULL);
	arena_free(a);
}

int main(void)
{
	RUN(alloc_aligned_and_distinct);
	RUN(large_blocks_keep_chunk);
	RUN(memdup_terminates);
	RUN(injected_failure);
	return CHECK_DONE();
}
