/* symtab.c - see symtab.h */
#include "collectors/perf/symtab.h"

#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzers/base/arena.h"
#include "analyzers/base/hash.h"
#include "collectors/perf/demangle.h"

struct sym {
	uint64_t start, size;
	const char *name;	/* raw; borrowed from the ELF image or an arena */
	const char *dname;	/* demangled, NULL until first needed */
	uint32_t nlen, dlen;
	uint32_t rank;		/* among aliases, the lowest rank is shown */
};

struct symset {
	struct sym *v;
	size_t n;
};

struct symtab_file {
	char *path;
	struct elffile *ef;	/* NULL: could not be opened */
	struct elffile *debug;	/* separate debug file, if used */
	int loaded;
	struct symset syms;
	struct symtab_file *next;
};

struct jitmap {
	pid_t pid;
	struct arena *arena;
	struct symset syms;
	int loaded;
	off_t size;
	struct timespec mtime;
	struct jitmap *next;
};

struct cache_ent {
	const void *owner;	/* NULL: empty slot */
	uint64_t addr;
	const struct sym *sym;	/* NULL: known not to resolve */
};

struct symtab {
	char *debug_dir, *kallsyms, *jit_dir;
	int no_cache, no_demangle;
	struct demangle *dm;
	struct symtab_file *files;
	struct jitmap *jits;
	struct arena *karena;
	struct symset ksyms;
	int kloaded;
	struct cache_ent *cache;
	size_t cache_slots, cache_count;
	struct symtab_stats stats;
};

static char *dup_or(const char *s, const char *def)
{
	return strdup(s ? s : def);
}

struct symtab *symtab_new(const struct symtab_opts *o)
{
	static const struct symtab_opts none;
	struct symtab *st = calloc(1, sizeof(*st));

	if (!o)
		o = &none;
	if (!st)
		return NULL;
	st->no_cache = o->no_cache;
	st->no_demangle = o->no_demangle;
	st->debug_dir = dup_or(o->debug_dir, "/usr/lib/debug");
	st->kallsyms = dup_or(o->kallsyms, "/proc/kallsyms");
	st->jit_dir = dup_or(o->jit_dir, "/tmp");
	st->dm = demangle_new(!o->no_cache);
	st->karena = arena_new();
	if (!o->no_cache) {
		st->cache_slots = 4096;
		st->cache = calloc(st->cache_slots, sizeof(*st->cache));
	}
	if (!st->debug_dir || !st->kallsyms || !st->jit_dir || !st->dm || !st->karena ||
	    (!o->no_cache && !st->cache)) {
		symtab_free(st);
		return NULL;
	}
	return st;
}

void symtab_free(struct symtab *st)
{
	struct symtab_file *f, *fn;
	struct jitmap *j, *jn;

	if (!st)
		return;
	for (f = st->files; f; f = fn) {
		fn = f->next;
		free(f->syms.v);
		elffile_free(f->debug);
		elffile_free(f->ef);
		free(f->path);
		free(f);
	}
	for (j = st->jits; j; j = jn) {
		jn = j->next;
		free(j->syms.v);
		arena_free(j->arena);
		free(j);
	}
	free(st->ksyms.v);
	arena_free(st->karena);
	free(st->cache);
	demangle_free(st->dm);
	free(st->debug_dir);
	free(st->kallsyms);
	free(st->jit_dir);
	free(st);
}

void symtab_get_stats(const struct symtab *st, struct symtab_stats *out)
{
	*out = st->stats;
}

/* ---- symbol sets ---- */

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* Bigger first, so a sized symbol wins over a zero-size alias. */
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Among aliases at one address, prefer global names, then names without
 * reserved leading underscores (clone3 over __GI___clone3). */
static uint32_t alias_rank(int bind, const char *name)
{
	uint32_t r = bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;

	if (name[0] == '_' && (name[1] == '_' || (name[1] >= 'A' && name[1] <= 'Z' &&
						   name[1] != 'Z' && name[1] != 'R')))
		r += 4;
	return r;
}

static int symset_push(struct symset *s, size_t *cap, uint64_t start, uint64_t size,
		       const char *name, size_t nlen, uint32_t rank)
{
	if (s->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct sym *nv = realloc(s->v, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
		*cap = nc;
	}
	s->v[s->n].start = start;
	s->v[s->n].size = size;
	s->v[s->n].name = name;
	s->v[s->n].nlen = (uint32_t)(nlen > UINT32_MAX ? UINT32_MAX : nlen);
	s->v[s->n].dname = NULL;
	s->v[s->n].dlen = 0;
	s->v[s->n].rank = rank;
	s->n++;
	return 0;
}

/* Sort and drop exact duplicates (same start and size: aliases). */
static void symset_finish(struct symset *s)
{
	size_t i, o = 0;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), sym_cmp);
	for (i = 1; i < s->n; i++) {
		if (s->v[i].start == s->v[o].start)
			continue;
		s->v[++o] = s->v[i];
	}
	s->n = o + 1;
}

static const struct sym *symset_find(const struct symset *s, uint64_t addr)
{
	size_t lo = 0, hi = s->n, k;
	const struct sym *best;

	while (lo < hi) {	/* first symbol with start > addr */
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	best = &s->v[lo - 1];
	if (best->size == 0 || addr - best->start < best->size)
		return best;
	/* Inside an enclosing symbol below a smaller one? Look back a little. */
	for (k = 2; k <= 4 && k <= lo; k++) {
		const struct sym *c = &s->v[lo - k];

		if (c->size && addr - c->start < c->size)
			return c;
	}
	return NULL;
}

/* Function symbols of the SHT_SYMTAB or SHT_DYNSYM section of ef. */
static int load_elf_syms(struct elffile *ef, Elf64_Word type, struct symset *out,
			 size_t *cap)
{
	Elf *elf = elffile_elf(ef);
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int found = 0;

	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != type || sh.sh_entsize == 0)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Sym sym;
			const char *name, *at;
			int t;

			if (!gelf_getsym(data, (int)i, &sym))
				break;
			t = GELF_ST_TYPE(sym.st_info);
			if ((t != STT_FUNC && t != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
			    sym.st_value == 0)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !name[0])
				continue;
			/* "__libc_start_main@@GLIBC_2.34": drop the version. */
			at = strchr(name + 1, '@');
			if (symset_push(out, cap, sym.st_value, sym.st_size, name,
					at ? (size_t)(at - name) : strlen(name),
					alias_rank(GELF_ST_BIND(sym.st_info), name)) < 0)
				return -ENOMEM;
			found = 1;
		}
	}
	return found;
}

static struct elffile *try_debug(const char *path, const struct elffile *main)
{
	struct elffile *d;
	size_t a, b;
	const uint8_t *x, *y;

	if (elffile_open(&d, path, NULL) < 0)
		return NULL;
	/* A debug file must be for this very build when both carry an id. */
	x = elffile_build_id(main, &a);
	y = elffile_build_id(d, &b);
	if (x && y && (a != b || memcmp(x, y, a) != 0)) {
		elffile_free(d);
		return NULL;
	}
	return d;
}

/* The separate debug file of f, or NULL. */
static struct elffile *find_debug(struct symtab *st, struct symtab_file *f)
{
	char id[2 * ELFFILE_MAX_BUILD_ID + 1], path[4096], dir[4096];
	const char *link = elffile_debuglink(f->ef), *slash;
	struct elffile *d;

	elffile_build_id_hex(f->ef, id, sizeof(id));
	if (strlen(id) > 2) {
		if (snprintf(path, sizeof(path), "%s/.build-id/%.2s/%s.debug", st->debug_dir, id,
			     id + 2) < (int)sizeof(path) && (d = try_debug(path, f->ef)))
			return d;
	}
	if (!link)
		return NULL;
	slash = strrchr(f->path, '/');
	if (snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - f->path) : 0, f->path) >=
	    (int)sizeof(dir))
		return NULL;
	if (snprintf(path, sizeof(path), "%s%s/%s", st->debug_dir, dir, link) < (int)sizeof(path) &&
	    (d = try_debug(path, f->ef)))
		return d;
	if (snprintf(path, sizeof(path), "%s/%s", dir, link) < (int)sizeof(path) &&
	    strcmp(path, f->path) != 0 && (d = try_debug(path, f->ef)))
		return d;
	if (snprintf(path, sizeof(path), "%s/.debug/%s", dir, link) < (int)sizeof(path) &&
	    (d = try_debug(path, f->ef)))
		return d;
	if (strlen(id) > 2 &&
	    snprintf(path, sizeof(path), "%s/.build-id/%.2s/%s", st->debug_dir, id, link) <
	    (int)sizeof(path) && (d = try_debug(path, f->ef)))
		return d;
	return NULL;
}

static int load_file_syms(struct symtab *st, struct symtab_file *f)
{
	size_t cap = 0;
	int r;

	f->loaded = 1;
	r = load_elf_syms(f->ef, SHT_SYMTAB, &f->syms, &cap);
	if (r == 0) {
		f->debug = find_debug(st, f);
		if (f->debug)
			r = load_elf_syms(f->debug, SHT_SYMTAB, &f->syms, &cap);
	}
	if (r == 0)
		r = load_elf_syms(f->ef, SHT_DYNSYM, &f->syms, &cap);
	if (r < 0)
		return r;
	symset_finish(&f->syms);
	st->stats.symbols += f->syms.n;
	return 0;
}

struct symtab_file *symtab_file(struct symtab *st, const char *path,
				struct tp_error *err)
{
	struct symtab_file *f;

	for (f = st->files; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			return f->ef ? f : NULL;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path))) {
		free(f);
		tp_error_set(err, -ENOMEM, path, 0, -1, "out of memory");
		return NULL;
	}
	if (elffile_open(&f->ef, path, err) == 0)
		st->stats.files++;
	f->next = st->files;
	st->files = f;
	return f->ef ? f : NULL;
}

const struct elffile *symtab_file_elf(const struct symtab_file *f)
{
	return f->ef;
}

/* ---- results ---- */

static int fill(struct symtab *st, struct sym *s, struct symtab_sym *out)
{
	size_t n;
	const char *d;

	out->start = s->start;
	if (st->no_demangle) {
		out->name = s->name;
		out->len = s->nlen;
		return 1;
	}
	if (s->dname && !st->no_cache) {
		out->name = s->dname;
		out->len = s->dlen;
		return 1;
	}
	d = demangle_name(st->dm, s->name, s->nlen, &n);
	if (!d)
		return -ENOMEM;
	if (!st->no_cache) {
		s->dname = d;
		s->dlen = (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n);
	}
	out->name = d;
	out->len = n;
	return 1;
}

static struct cache_ent *cache_slot(struct symtab *st, const void *owner, uint64_t addr)
{
	size_t j = hash_mix(addr ^ ((uint64_t)(uintptr_t)owner * 0x9e3779b97f4a7c15ULL)) &
		   (st->cache_slots - 1);

	while (st->cache[j].owner && (st->cache[j].owner != owner || st->cache[j].addr != addr))
		j = (j + 1) & (st->cache_slots - 1);
	return &st->cache[j];
}

static void cache_put(struct symtab *st, const void *owner, uint64_t addr,
		      const struct sym *s)
{
	struct cache_ent *e;

	if (st->cache_count * 2 >= st->cache_slots) {
		size_t n = st->cache_slots * 2, i, old = st->cache_slots;
		struct cache_ent *prev = st->cache, *nc;

		if (n > 2 * SYMTAB_ADDR_CACHE_MAX || !(nc = calloc(n, sizeof(*nc)))) {
			/* At the cap (or out of memory): start over. */
			memset(st->cache, 0, st->cache_slots * sizeof(*st->cache));
			st->cache_count = 0;
		} else {
			st->cache = nc;
			st->cache_slots = n;
			for (i = 0; i < old; i++)
				if (prev[i].owner)
					*cache_slot(st, prev[i].owner, prev[i].addr) = prev[i];
			free(prev);
		}
	}
	e = cache_slot(st, owner, addr);
	if (!e->owner)
		st->cache_count++;
	e->owner = owner;
	e->addr = addr;
	e->sym = s;
}

/* Resolve addr in s (owner names s for the cache). */
static int resolve(struct symtab *st, const void *owner, struct symset *s, uint64_t addr,
		   struct symtab_sym *out)
{
	const struct sym *found;

	st->stats.lookups++;
	if (st->cache) {
		struct cache_ent *e = cache_slot(st, owner, addr);

		if (e->owner) {
			st->stats.cache_hits++;
			return e->sym ? fill(st, (struct sym *)e->sym, out) : 0;
		}
	}
	found = symset_find(s, addr);
	if (st->cache)
		cache_put(st, owner, addr, found);
	return found ? fill(st, (struct sym *)found, out) : 0;
}

int symtab_lookup(struct symtab *st, struct symtab_file *f, uint64_t vaddr,
		  struct symtab_sym *out)
{
	int r;

	if (!f->loaded && (r = load_file_syms(st, f)) < 0)
		return r;
	return resolve(st, f, &f->syms, vaddr, out);
}

/* ---- kernel ---- */

static int load_kallsyms(struct symtab *st)
{
	char line[1024];
	size_t cap = 0;
	FILE *fp;
	int r = 0;

	st->kloaded = 1;
	fp = fopen(st->kallsyms, "re");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		char type, *name, *end;
		uint64_t addr;
		size_t n;

		addr = strtoull(line, &end, 16);
		if (end == line || *end != ' ' || !end[1] || end[2] != ' ')
			continue;
		type = end[1];
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		name = end + 3;
		n = strcspn(name, " \t\n");
		if (addr == 0 || n == 0)
			continue;
		name = arena_memdup(st->karena, name, n);
		if (!name || symset_push(&st->ksyms, &cap, addr, 0, name, n,
						   type == 'T' ? 0 : type == 'W' ? 1 : 2) < 0) {
			r = -ENOMEM;
			break;
		}
	}
	fclose(fp);
	symset_finish(&st->ksyms);
	st->stats.symbols += st->ksyms.n;
	return r;
}

int symtab_lookup_kernel(struct symtab *st, uint64_t addr, struct symtab_sym *out)
{
	int r;

	if (!st->kloaded && (r = load_kallsyms(st)) < 0)
		return r;
	return resolve(st, &st->ksyms, &st->ksyms, addr, out);
}

/* ---- JIT maps ---- */

static int load_jit(struct symtab *st, struct jitmap *j, const char *path)
{
	char line[4096];
	size_t cap = 0, total = 0;
	FILE *fp;
	int r = 0, skipping = 0;

	free(j->syms.v);
	j->syms.v = NULL;
	j->syms.n = 0;
	arena_free(j->arena);
	j->arena = arena_new();
	if (!j->arena)
		return -ENOMEM;
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		size_t len = strlen(line);
		uint64_t start, size;
		char *p, *e;

		total += len;
		if (total > SYMTAB_MAX_JIT_MAP)
			break;
		if (skipping) {	/* the rest of an over-long line */
			skipping = line[len - 1] != '\n';
			continue;
		}
		skipping = len > 0 && line[len - 1] != '\n' && !feof(fp);
		start = strtoull(line, &e, 16);
		if (e == line || *e != ' ')
			continue;
		size = strtoull(e + 1, &p, 16);
		if (p == e + 1 || *p != ' ')
			continue;
		p++;
		len = strcspn(p, "\n");
		if (!len)
			continue;
		p = arena_memdup(j->arena, p, len);
		if (!p || symset_push(&j->syms, &cap, start, size ? size : 1, p, len, 0) < 0) {
			r = -ENOMEM;
			break;
		}
	}
	fclose(fp);
	symset_finish(&j->syms);
	return r;
}

int symtab_lookup_jit(struct symtab *st, pid_t pid, uint64_t addr, struct symtab_sym *out)
{
	char path[4096];
	struct jitmap *j;
	struct stat sb;
	const struct sym *s;
	int r;

	for (j = st->jits; j; j = j->next)
		if (j->pid == pid)
			break;
	if (!j) {
		j = calloc(1, sizeof(*j));
		if (!j)
			return -ENOMEM;
		j->pid = pid;
		j->next = st->jits;
		st->jits = j;
	}
	snprintf(path, sizeof(path), "%s/perf-%d.map", st->jit_dir, (int)pid);
	s = j->loaded ? symset_find(&j->syms, addr) : NULL;
	if (!s) {
		/* (Re)load when the file is new or changed since. */
		if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
			return 0;
		if (!j->loaded || sb.st_size != j->size ||
		    sb.st_mtim.tv_sec != j->mtime.tv_sec || sb.st_mtim.tv_nsec != j->mtime.tv_nsec) {
			j->loaded = 1;
			j->size = sb.st_size;
			j->mtime = sb.st_mtim;
			if ((r = load_jit(st, j, path)) < 0)
				return r;
			s = symset_find(&j->syms, addr);
		}
	}
	st->stats.lookups++;
	return s ? fill(st, (struct sym *)s, out) : 0;
}
