/* strtab.h - string interning: each distinct byte string gets a 32-bit id.
 *
 * Strings may contain any bytes, NUL included. Id 0 is always the empty
 * string. Stored strings live in the table's arena and are NUL-terminated
 * for convenience; they are borrowed and valid until strtab_free().
 * Memory grows with the number and size of distinct strings only.
 */
#ifndef TIPROF_STRTAB_H
#define TIPROF_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct strtab;

/* NULL when out of memory. */
struct strtab *strtab_new(void);

/* Set *id to the id of s[0..len). Returns 0, -ENOMEM, or -E2BIG when the
 * table would pass 2^31-1 strings or a string is longer than 2^32-1. */
int strtab_intern(struct strtab *t, const char *s, size_t len, uint32_t *id);

/* Same, with a precomputed hash_bytes(s, len, 0). */
int strtab_intern_hashed(struct strtab *t, const char *s, size_t len,
			 uint64_t hash, uint32_t *id);

/* 0 and *id set when s is present, -ENOENT otherwise. Never allocates. */
int strtab_find(const struct strtab *t, const char *s, size_t len, uint32_t *id);

/* The string with this id (borrowed), its length in *len if len != NULL.
 * id must be below strtab_count(). */
const char *strtab_get(const struct strtab *t, uint32_t id, size_t *len);

uint32_t strtab_count(const struct strtab *t);

/* Bytes used, for memory accounting. */
size_t strtab_bytes(const struct strtab *t);

/* Accepts NULL. */
void strtab_free(struct strtab *t);

#endif
