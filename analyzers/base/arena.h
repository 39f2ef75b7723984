/* arena.h - a bump allocator: many small allocations, one free.
 *
 * Every profile owns one arena; interned strings, frame arrays and other
 * records that live as long as the profile come from it. Memory returned is
 * aligned to 8 bytes and stays valid until arena_free().
 */
#ifndef TIPROF_ARENA_H
#define TIPROF_ARENA_H

#include <stddef.h>

struct arena;

/* Returns NULL when out of memory. */
struct arena *arena_new(void);

/* n bytes, 8-byte aligned, uninitialised. NULL when out of memory or when a
 * failure was injected with arena_fail_after(). n may be 0. */
void *arena_alloc(struct arena *a, size_t n);

/* A copy of n bytes of p, followed by a NUL byte (so strings can be used as
 * C strings). NULL when out of memory. */
void *arena_memdup(struct arena *a, const void *p, size_t n);

/* Bytes obtained from the system so far (for memory accounting). */
size_t arena_bytes(const struct arena *a);

/* Make the n-th allocation from now (1-based) and all later ones fail; 0
 * turns it off. For allocation-failure tests. */
void arena_fail_after(struct arena *a, unsigned long n);

/* Accepts NULL. */
void arena_free(struct arena *a);

#endif
