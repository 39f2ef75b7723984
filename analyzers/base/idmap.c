/* idmap.c - see idmap.h. */
#include "analyzers/base/idmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int idmap_init(struct idmap *m, size_t n)
{
	memset(m, 0, sizeof(*m));
	m->n = n;
	m->dense = calloc(n + 1, sizeof(*m->dense));
	return m->dense ? 0 : -ENOMEM;
}

int idmap_put(struct idmap *m, uint64_t id, uint32_t idx)
{
	size_t j;

	if (id <= m->n) {
		if (m->dense[id])
			return -EEXIST;
		m->dense[id] = idx + 1;
		return 0;
	}
	if (!m->nslots) {
		size_t ns = 16;

		/* at most n sparse ids: a load of at most one half */
		while (ns < m->n * 2 + 2)
			ns *= 2;
		m->keys = calloc(ns, sizeof(*m->keys));
		m->vals = calloc(ns, sizeof(*m->vals));
		if (!m->keys || !m->vals)
			return -ENOMEM;
		m->nslots = ns;
	}
	j = hash_mix(id) & (m->nslots - 1);
	while (m->keys[j]) {
		if (m->keys[j] == id)
			return -EEXIST;
		j = (j + 1) & (m->nslots - 1);
	}
	m->keys[j] = id;
	m->vals[j] = idx + 1;
	return 0;
}

void idmap_free(struct idmap *m)
{
	free(m->dense);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
