/* demangle.c - see demangle.h */
#include "collectors/perf/demangle.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libiberty/demangle.h>

#include "analyzers/base/arena.h"
#include "analyzers/base/hash.h"

struct entry {
	uint64_t hash;
	const char *key, *val;
	uint32_t klen, vlen;
};

struct demangle {
	int cache;
	struct arena *arena;
	struct entry *slots;
	size_t nslots, count;
	struct buf tmp;		/* the NUL-terminated input, the uncached result */
	struct buf out;
};

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Length of s[0..n) without a trailing Rust hash "::h" + 16 hex digits. */
static size_t drop_rust_hash(const char *s, size_t n)
{
	size_t i;

	if (n < 19)
		return n;
	if (memcmp(s + n - 19, "::h", 3) != 0)
		return n;
	for (i = n - 16; i < n; i++)
		if (!is_hex((unsigned char)s[i]))
			return n;
	return n - 19;
}

/* A mangled name may carry a suffix the demangler does not know, such as
 * LLVM's ".llvm.1234567": retry without it. */
static char *demangle_with_suffix(const char *name)
{
	const char *dot;
	char *r, *base;

	r = cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI);
	if (r)
		return r;
	dot = strstr(name, ".llvm.");
	if (!dot || dot == name)
		return NULL;
	base = strndup(name, (size_t)(dot - name));
	if (!base)
		return NULL;
	r = cplus_demangle(base, DMGL_PARAMS | DMGL_ANSI);
	free(base);
	return r;
}

int demangle_string(const char *name, struct buf *out)
{
	size_t n = strlen(name);
	char *r = NULL;
	int rc, mangled = 0;

	buf_reset(out);
	if (n < DEMANGLE_MAX_INPUT && (name[0] == '_' || name[0] == '.')) {
		r = demangle_with_suffix(name);
		mangled = r != NULL;
	}
	if (r) {
		rc = buf_append(out, r, drop_rust_hash(r, strlen(r)));
		free(r);
	} else {
		rc = buf_append(out, name, drop_rust_hash(name, n));
	}
	return rc < 0 ? rc : mangled;
}

struct demangle *demangle_new(int cache)
{
	struct demangle *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->cache = cache;
	buf_init(&d->tmp, 0);
	buf_init(&d->out, 0);
	if (cache) {
		d->arena = arena_new();
		d->nslots = 1024;
		d->slots = calloc(d->nslots, sizeof(*d->slots));
		if (!d->arena || !d->slots) {
			demangle_free(d);
			return NULL;
		}
	}
	return d;
}

void demangle_free(struct demangle *d)
{
	if (!d)
		return;
	arena_free(d->arena);
	free(d->slots);
	buf_free(&d->tmp);
	buf_free(&d->out);
	free(d);
}

static int grow(struct demangle *d)
{
	size_t n = d->nslots * 2, i, j;
	struct entry *s = calloc(n, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (i = 0; i < d->nslots; i++) {
		if (!d->slots[i].key)
			continue;
		j = d->slots[i].hash & (n - 1);
		while (s[j].key)
			j = (j + 1) & (n - 1);
		s[j] = d->slots[i];
	}
	free(d->slots);
	d->slots = s;
	d->nslots = n;
	return 0;
}

/* Demangle name[0..len) into d->out. */
static int run(struct demangle *d, const char *name, size_t len)
{
	buf_reset(&d->tmp);
	if (buf_append(&d->tmp, name, len) < 0)	/* NUL-terminates */
		return -ENOMEM;
	return demangle_string(d->tmp.data, &d->out);
}

const char *demangle_name(struct demangle *d, const char *name, size_t len,
			  size_t *outlen)
{
	uint64_t h;
	size_t j;
	struct entry *e;

	if (!d->cache) {
		if (run(d, name, len) < 0)
			return NULL;
		*outlen = d->out.len;
		return d->out.data;
	}
	h = hash_bytes(name, len, 0x64656d);
	j = h & (d->nslots - 1);
	while (d->slots[j].key) {
		e = &d->slots[j];
		if (e->hash == h && e->klen == len && memcmp(e->key, name, len) == 0) {
			*outlen = e->vlen;
			return e->val;
		}
		j = (j + 1) & (d->nslots - 1);
	}
	if (len > UINT32_MAX || run(d, name, len) < 0 || d->out.len > UINT32_MAX)
		return NULL;
	e = &d->slots[j];
	e->key = arena_memdup(d->arena, name, len);
	if (d->out.len == len && memcmp(d->out.data, name, len) == 0)
		e->val = e->key;
	else
		e->val = arena_memdup(d->arena, d->out.data, d->out.len);
	if (!e->key || !e->val) {
		e->key = NULL;
		return NULL;
	}
	e->hash = h;
	e->klen = (uint32_t)len;
	e->vlen = (uint32_t)d->out.len;
	d->count++;
	*outlen = e->vlen;
	name = e->val;
	if (d->count * 2 > d->nslots && grow(d) < 0)
		return NULL;
	return name;
}

size_t demangle_count(const struct demangle *d)
{
	return d->count;
}

size_t demangle_bytes(const struct demangle *d)
{
	return (d->arena ? arena_bytes(d->arena) : 0) + d->nslots * sizeof(struct entry) +
	       d->tmp.cap + d->out.cap;
}
