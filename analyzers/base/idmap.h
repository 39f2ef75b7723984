/* idmap.h - message ids to array indexes, for decoders of formats whose
 * records refer to each other by arbitrary 64-bit ids (pprof's mapping,
 * location and function ids).
 *
 * Sized for n records: ids 1..n, the usual dense numbering, live in a flat
 * array; any other id goes to a small open-addressing table that never
 * holds more than n entries, so memory is O(n) whatever the ids are. Id 0
 * is never stored (formats reserve it). The struct is transparent so it can
 * sit inside a decoder's state; its members are private to idmap.c.
 */
#ifndef TIPROF_IDMAP_H
#define TIPROF_IDMAP_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/hash.h"

struct idmap {
	size_t n;		/* ids 1..n live in dense */
	uint32_t *dense;	/* index + 1, 0 = absent */
	uint64_t *keys;		/* other ids, 0 = empty slot */
	uint32_t *vals;		/* index + 1 */
	size_t nslots;		/* power of two, 0 until needed */
};

/* Room for n records. 0 or -ENOMEM. */
int idmap_init(struct idmap *m, size_t n);

/* Map id (not 0) to idx. 0, -EEXIST when id is already mapped, -ENOMEM.
 * At most n ids may be put. */
int idmap_put(struct idmap *m, uint64_t id, uint32_t idx);

/* Index + 1 of id, or 0 when id is absent (or 0). */
static inline uint32_t idmap_get(const struct idmap *m, uint64_t id)
{
	size_t j;

	if (id <= m->n)
		return id ? m->dense[id] : 0;
	if (!m->nslots)
		return 0;
	j = hash_mix(id) & (m->nslots - 1);
	while (m->keys[j]) {
		if (m->keys[j] == id)
			return m->vals[j];
		j = (j + 1) & (m->nslots - 1);
	}
	return 0;
}

/* Accepts a zeroed or freed map. */
void idmap_free(struct idmap *m);

#endif
