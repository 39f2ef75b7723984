/* recorder.c - see recorder.h */
#include "collectors/perf/recorder.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyzers/base/buf.h"
#include "analyzers/base/hash.h"
#include "analyzers/model/threadname.h"
#include "collectors/perf/unwind.h"

#define MAX_KERNEL_FRAMES 256
#define MAX_FRAMES (UNWIND_MAX_DEPTH + MAX_KERNEL_FRAMES + 1)
#define MAX_PROCS 65536
#define MAX_THREADS (1 << 22)

enum map_kind { MK_FILE, MK_ANON, MK_SPECIAL };

struct map {
	uint64_t start, end, pgoff;
	enum map_kind kind;
	struct symtab_file *file;	/* ELF file, or NULL */
	uint64_t bias, lo, hi;		/* when file: bias and module span */
	uint32_t module;		/* string id of the path */
	uint32_t mapping;		/* pprof mapping id, 0 until used */
	uint32_t unknown;		/* frame id of "[base name]", 0 until used */
};

/* (address, leaf) -> frame id, per process: a repeated address skips
 * symbol lookup and interning. Emptied when the mappings change. */
struct fcache {
	uint64_t *keys;			/* 0: empty */
	uint32_t *vals;
	size_t n, slots;
};

#define FCACHE_MAX ((size_t)1 << 20)

struct proc {
	pid_t pid;
	struct fcache fc;
	struct map *maps;		/* sorted by start, not overlapping */
	size_t nmaps, cap;
	size_t last;			/* the map the last lookup hit */
	struct unwind *uw;		/* NULL until a DWARF sample needs it */
	char comm[32];
};

struct thread {
	pid_t tid, pid;
	char name[32];
	int have_ids;
	uint32_t labels, root;		/* label set and root frame ids */
};

/* An int -> pointer table (open addressing; keys are > 0). */
struct ptab {
	int32_t *keys;
	void **vals;
	size_t n, slots;
};

struct recorder {
	struct recorder_opts o;
	struct profile *p;
	struct symtab *st;
	struct ptab procs, threads;
	uint64_t ips[MAX_FRAMES];
	uint32_t ids[MAX_FRAMES];
	struct buf name;
	uint32_t unknown_id, vdso_id;
	struct recorder_stats stats;
};

/* ---- tables ---- */

static void *ptab_get(const struct ptab *t, int32_t key)
{
	size_t j;

	if (!t->slots)
		return NULL;
	j = hash_mix((uint64_t)(uint32_t)key) & (t->slots - 1);
	while (t->keys[j]) {
		if (t->keys[j] == key)
			return t->vals[j];
		j = (j + 1) & (t->slots - 1);
	}
	return NULL;
}

static int ptab_put(struct ptab *t, int32_t key, void *val)
{
	size_t j;

	if ((t->n + 1) * 2 > t->slots) {
		size_t ns = t->slots ? t->slots * 2 : 64, i;
		int32_t *nk = calloc(ns, sizeof(*nk));
		void **nv = calloc(ns, sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return -ENOMEM;
		}
		for (i = 0; i < t->slots; i++) {
			if (!t->keys[i])
				continue;
			j = hash_mix((uint64_t)(uint32_t)t->keys[i]) & (ns - 1);
			while (nk[j])
				j = (j + 1) & (ns - 1);
			nk[j] = t->keys[i];
			nv[j] = t->vals[i];
		}
		free(t->keys);
		free(t->vals);
		t->keys = nk;
		t->vals = nv;
		t->slots = ns;
	}
	j = hash_mix((uint64_t)(uint32_t)key) & (t->slots - 1);
	while (t->keys[j] && t->keys[j] != key)
		j = (j + 1) & (t->slots - 1);
	if (!t->keys[j])
		t->n++;
	t->keys[j] = key;
	t->vals[j] = val;
	return 0;
}

static void ptab_free(struct ptab *t, void (*fn)(void *))
{
	size_t i;

	for (i = 0; i < t->slots; i++)
		if (t->keys[i] && fn)
			fn(t->vals[i]);
	free(t->keys);
	free(t->vals);
}

static uint32_t *fcache_get(struct fcache *c, uint64_t key)
{
	size_t j;

	if (!c->slots)
		return NULL;
	j = hash_mix(key) & (c->slots - 1);
	while (c->keys[j]) {
		if (c->keys[j] == key)
			return &c->vals[j];
		j = (j + 1) & (c->slots - 1);
	}
	return NULL;
}

static void fcache_clear(struct fcache *c)
{
	if (c->slots)
		memset(c->keys, 0, c->slots * sizeof(*c->keys));
	c->n = 0;
}

static void fcache_put(struct fcache *c, uint64_t key, uint32_t val)
{
	size_t j;

	if ((c->n + 1) * 2 > c->slots) {
		size_t ns = c->slots ? c->slots * 2 : 1024, i;
		uint64_t *nk;
		uint32_t *nv;

		if (ns > 2 * FCACHE_MAX) {
			fcache_clear(c);
		} else {
			nk = calloc(ns, sizeof(*nk));
			nv = calloc(ns, sizeof(*nv));
			if (!nk || !nv) {	/* no room: just do not cache */
				free(nk);
				free(nv);
				return;
			}
			for (i = 0; i < c->slots; i++) {
				if (!c->keys[i])
					continue;
				j = hash_mix(c->keys[i]) & (ns - 1);
				while (nk[j])
					j = (j + 1) & (ns - 1);
				nk[j] = c->keys[i];
				nv[j] = c->vals[i];
			}
			free(c->keys);
			free(c->vals);
			c->keys = nk;
			c->vals = nv;
			c->slots = ns;
		}
	}
	j = hash_mix(key) & (c->slots - 1);
	while (c->keys[j] && c->keys[j] != key)
		j = (j + 1) & (c->slots - 1);
	if (!c->keys[j])
		c->n++;
	c->keys[j] = key;
	c->vals[j] = val;
}

static void proc_free(void *v)
{
	struct proc *pr = v;

	free(pr->fc.keys);
	free(pr->fc.vals);
	unwind_free(pr->uw);
	free(pr->maps);
	free(pr);
}

/* ---- setup ---- */

int recorder_new(struct recorder **rp, const struct recorder_opts *o, struct tp_error *err)
{
	struct recorder *r = calloc(1, sizeof(*r));
	struct profile_meta *meta;
	uint32_t ptype, punit;

	*rp = NULL;
	if (!r)
		return tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
	r->o = *o;
	buf_init(&r->name, 1 << 20);
	r->p = profile_new();
	r->st = symtab_new(&o->sym);
	if (!r->p || !r->st ||
	    profile_add_sample_type(r->p, "samples", "count") < 0 ||
	    profile_add_sample_type(r->p, "cpu", "nanoseconds") < 0 ||
	    profile_intern(r->p, "cpu", 3, &ptype) < 0 ||
	    profile_intern(r->p, "nanoseconds", 11, &punit) < 0 ||
	    profile_frame_named(r->p, "[unknown]", 9, FRAME_USER, &r->unknown_id) < 0 ||
	    profile_frame_named(r->p, "[vdso]", 6, FRAME_USER, &r->vdso_id) < 0) {
		recorder_free(r);
		return tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
	}
	meta = profile_meta(r->p);
	meta->period_type = ptype;
	meta->period_unit = punit;
	meta->period = o->freq ? 1000000000LL / o->freq : 0;
	*rp = r;
	return 0;
}

void recorder_free(struct recorder *r)
{
	if (!r)
		return;
	ptab_free(&r->procs, proc_free);
	ptab_free(&r->threads, free);
	symtab_free(r->st);
	profile_free(r->p);
	buf_free(&r->name);
	free(r);
}

struct profile *recorder_profile(struct recorder *r)
{
	return r->p;
}

void recorder_get_stats(const struct recorder *r, struct recorder_stats *out)
{
	*out = r->stats;
	symtab_get_stats(r->st, &out->sym);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- processes and threads ---- */

static struct proc *get_proc(struct recorder *r, pid_t pid)
{
	struct proc *pr = ptab_get(&r->procs, pid);

	if (pr || pid <= 0 || r->procs.n >= MAX_PROCS)
		return pr;
	pr = calloc(1, sizeof(*pr));
	if (!pr)
		return NULL;
	pr->pid = pid;
	if (ptab_put(&r->procs, pid, pr) < 0) {
		free(pr);
		return NULL;
	}
	return pr;
}

static void read_comm(pid_t pid, pid_t tid, char *out, size_t cap)
{
	char path[128];
	FILE *fp;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	fp = fopen(path, "re");
	if (fp) {
		n = fread(out, 1, cap - 1, fp);
		fclose(fp);
	}
	while (n && out[n - 1] == '\n')
		n--;
	out[n] = '\0';
	if (!n)
		snprintf(out, cap, "[%d]", (int)tid);
}

static struct thread *get_thread(struct recorder *r, pid_t pid, pid_t tid, int create)
{
	struct thread *t = ptab_get(&r->threads, tid);

	if ((t && t->pid == pid) || !create || tid <= 0 || r->threads.n >= MAX_THREADS)
		return t;
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t || ptab_put(&r->threads, tid, t) < 0) {
			free(t);
			return NULL;
		}
	}
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->pid = pid;
	return t;
}

static void set_thread_name(struct thread *t, const char *name)
{
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->have_ids = 0;
}

/* The label set and root frame of t. */
static int thread_ids(struct recorder *r, struct thread *t)
{
	char pool[64];
	const char *name = t->name;
	size_t len = strlen(name);
	struct label l;
	int rc;

	if (t->have_ids)
		return 0;
	if (r->o.group_tikv) {
		len = threadname_tikv_pool(t->name, len, pool, sizeof(pool));
		if (len >= sizeof(pool))
			len = sizeof(pool) - 1;
		name = pool;
	}
	memset(&l, 0, sizeof(l));
	if ((rc = profile_intern(r->p, "thread", 6, &l.key)) < 0 ||
	    (rc = profile_intern(r->p, name, len, &l.str)) < 0 ||
	    (rc = profile_labelset(r->p, &l, 1, &t->labels)) < 0 ||
	    (rc = profile_frame_named(r->p, name, len, FRAME_ROOT, &t->root)) < 0)
		return rc;
	t->have_ids = 1;
	return 0;
}

/* ---- mappings ---- */

static int map_reserve(struct proc *pr, size_t extra)
{
	if (pr->nmaps + extra > pr->cap) {
		size_t nc = pr->cap ? pr->cap * 2 : 16;
		struct map *nv;

		while (nc < pr->nmaps + extra)
			nc *= 2;
		nv = realloc(pr->maps, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		pr->maps = nv;
		pr->cap = nc;
	}
	return 0;
}

/* Cut [start, end) out of pr's maps. Returns 1 when something changed. */
static int map_punch(struct proc *pr, uint64_t start, uint64_t end)
{
	size_t i = 0;
	int changed = 0;

	while (i < pr->nmaps) {
		struct map *m = &pr->maps[i];

		if (m->end <= start || m->start >= end) {
			i++;
			continue;
		}
		changed = 1;
		if (m->start < start && m->end > end) {	/* split in two */
			struct map right = *m;

			if (map_reserve(pr, 1) < 0)
				return changed;
			m = &pr->maps[i];
			right.pgoff += end - m->start;
			right.start = end;
			right.mapping = 0;
			m->end = start;
			m->mapping = 0;
			memmove(&pr->maps[i + 2], &pr->maps[i + 1],
				(pr->nmaps - i - 1) * sizeof(*m));
			pr->maps[i + 1] = right;
			pr->nmaps++;
			return changed;
		}
		if (m->start < start) {
			m->end = start;
			m->mapping = 0;
			i++;
		} else if (m->end > end) {
			m->pgoff += end - m->start;
			m->start = end;
			m->mapping = 0;
			i++;
		} else {
			memmove(m, m + 1, (pr->nmaps - i - 1) * sizeof(*m));
			pr->nmaps--;
		}
	}
	return changed;
}

static int add_map(struct recorder *r, struct proc *pr, const struct sampler_record *rec)
{
	const char *fn = rec->u.mmap.filename;
	struct map m;
	size_t i;
	int rc;

	if (!rec->u.mmap.len || rec->u.mmap.start + rec->u.mmap.len < rec->u.mmap.start)
		return 0;
	memset(&m, 0, sizeof(m));
	m.start = rec->u.mmap.start;
	m.end = m.start + rec->u.mmap.len;
	m.pgoff = rec->u.mmap.pgoff;
	if (fn[0] == '/' && strncmp(fn, "/memfd:", 7) != 0 && strncmp(fn, "/dev/", 5) != 0) {
		char alt[4200];

		m.kind = MK_FILE;
		m.file = symtab_file(r->st, fn, NULL);
		if (!m.file && (size_t)snprintf(alt, sizeof(alt), "/proc/%d/root%s",
						 (int)pr->pid, fn) < sizeof(alt) &&
		    access(alt, R_OK) == 0)
			m.file = symtab_file(r->st, alt, NULL);
		if (m.file) {
			const struct elffile *ef = symtab_file_elf(m.file);

			if (elffile_bias(ef, m.start, m.pgoff, &m.bias) == 0) {
				elffile_span(ef, &m.lo, &m.hi);
				m.lo += m.bias;
				m.hi += m.bias;
			} else {
				m.file = NULL;
			}
		}
	} else if (strcmp(fn, "[vdso]") == 0) {
		m.kind = MK_SPECIAL;
	} else {
		m.kind = MK_ANON;	/* "//anon", "[anon:...]", memfd: JIT code */
	}
	if ((rc = profile_intern(r->p, fn, strlen(fn), &m.module)) < 0)
		return rc;
	if (map_punch(pr, m.start, m.end)) {
		if (pr->uw)
			unwind_flush(pr->uw);
	}
	/* Addresses that resolved to nothing may resolve now. */
	fcache_clear(&pr->fc);
	if ((rc = map_reserve(pr, 1)) < 0)
		return rc;
	for (i = pr->nmaps; i > 0 && pr->maps[i - 1].start > m.start; i--)
		;
	memmove(&pr->maps[i + 1], &pr->maps[i], (pr->nmaps - i) * sizeof(m));
	pr->maps[i] = m;
	pr->nmaps++;
	pr->last = 0;
	return 0;
}

static struct map *find_map(struct proc *pr, uint64_t addr)
{
	size_t lo = 0, hi = pr->nmaps;

	if (pr->last < pr->nmaps && addr >= pr->maps[pr->last].start &&
	    addr < pr->maps[pr->last].end)
		return &pr->maps[pr->last];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pr->maps[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr < pr->maps[lo - 1].end) {
		pr->last = lo - 1;
		return &pr->maps[lo - 1];
	}
	return NULL;
}

/* unwind_find_fn: the module holding addr, also for addresses in the
 * non-executable segments of a mapped file (.eh_frame_hdr, .rodata). */
static int find_module(void *ctx, uint64_t addr, struct unwind_module *out)
{
	struct proc *pr = ctx;
	struct map *m = find_map(pr, addr);
	size_t i;

	if (!m || !m->file) {
		m = NULL;
		for (i = 0; i < pr->nmaps; i++)
			if (pr->maps[i].file && addr >= pr->maps[i].lo && addr < pr->maps[i].hi) {
				m = &pr->maps[i];
				break;
			}
	}
	if (!m || !m->file)
		return -ENOENT;
	out->ef = symtab_file_elf(m->file);
	out->bias = m->bias;
	out->lo = m->lo;
	out->hi = m->hi;
	return 0;
}

/* ---- frames ---- */

static int mapping_id(struct recorder *r, struct map *m, uint32_t *id)
{
	struct mapping pm;
	char bid[2 * ELFFILE_MAX_BUILD_ID + 1] = "";
	int rc;

	if (m->mapping) {
		*id = m->mapping;
		return 0;
	}
	memset(&pm, 0, sizeof(pm));
	pm.start = m->start;
	pm.limit = m->end;
	pm.offset = m->pgoff;
	pm.filename = m->module;
	if (m->file) {
		elffile_build_id_hex(symtab_file_elf(m->file), bid, sizeof(bid));
		pm.flags = MAPPING_HAS_FUNCTIONS;
	}
	if ((rc = profile_intern(r->p, bid, strlen(bid), &pm.build_id)) < 0 ||
	    (rc = profile_mapping_add(r->p, &pm, &m->mapping)) < 0)
		return rc;
	*id = m->mapping;
	return 0;
}

/* Intern a frame named name[0..len) + suffix. */
static int named_frame(struct recorder *r, const char *name, size_t len, const char *suffix,
		       enum frame_kind kind, uint32_t module, uint64_t addr, uint32_t mapping,
		       uint32_t *id)
{
	struct frame f;
	int rc;

	memset(&f, 0, sizeof(f));
	if (suffix && !r->o.keep_addresses) {
		buf_reset(&r->name);
		if ((rc = buf_append(&r->name, name, len)) < 0 ||
		    (rc = buf_puts(&r->name, suffix)) < 0)
			return rc;
		name = r->name.data;
		len = r->name.len;
	}
	if ((rc = profile_intern(r->p, name, len, &f.name)) < 0)
		return rc;
	f.kind = kind;
	if (r->o.keep_addresses) {
		f.module = module;
		f.addr = addr;
		f.mapping = mapping;
	}
	return profile_frame(r->p, &f, id);
}

/* The "[base name]" frame of a mapping without a symbol for an address. */
static int placeholder(struct recorder *r, struct map *m, uint64_t addr, uint32_t mapping,
		       uint32_t *id)
{
	size_t len;
	const char *path = profile_str(r->p, m->module, &len), *slash;
	int rc;

	r->stats.unknown++;
	if (!r->o.keep_addresses && m->unknown) {
		*id = m->unknown;
		return 0;
	}
	slash = memrchr(path, '/', len);
	if (slash) {
		len -= (size_t)(slash + 1 - path);
		path = slash + 1;
	}
	buf_reset(&r->name);
	if ((rc = buf_putc(&r->name, '[')) < 0 || (rc = buf_append(&r->name, path, len)) < 0 ||
	    (rc = buf_putc(&r->name, ']')) < 0)
		return rc;
	if (r->o.keep_addresses)
		return named_frame(r, r->name.data, r->name.len, NULL, FRAME_USER, m->module, addr,
				   mapping, id);
	rc = profile_frame_named(r->p, r->name.data, r->name.len, FRAME_USER, &m->unknown);
	*id = m->unknown;
	return rc;
}

static int resolve_user_frame(struct recorder *r, struct proc *pr, uint64_t addr, int leaf,
			      uint32_t *id)
{
	uint64_t look = leaf || !addr ? addr : addr - 1;	/* inside the call */
	struct map *m = find_map(pr, look);
	struct symtab_sym sym;
	uint32_t mapping = 0;
	int rc;

	if (m && r->o.keep_addresses && (rc = mapping_id(r, m, &mapping)) < 0)
		return rc;
	if (m && m->file) {
		rc = symtab_lookup(r->st, m->file, look - m->bias, &sym);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return named_frame(r, sym.name, sym.len, NULL, FRAME_USER, m->module, addr,
					   mapping, id);
		return placeholder(r, m, addr, mapping, id);
	}
	if (m && m->kind == MK_SPECIAL) {
		*id = r->vdso_id;
		return 0;
	}
	if (!m || m->kind == MK_ANON) {
		rc = symtab_lookup_jit(r->st, pr->pid, look, &sym);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return named_frame(r, sym.name, sym.len, "_[j]", FRAME_JIT,
					   m ? m->module : 0, addr, mapping, id);
	}
	if (m)
		return placeholder(r, m, addr, mapping, id);
	r->stats.unknown++;
	*id = r->unknown_id;
	return 0;
}

static int user_frame(struct recorder *r, struct proc *pr, uint64_t addr, int leaf,
		      uint32_t *id)
{
	uint64_t key = (addr << 1) | (leaf ? 1 : 0);
	uint32_t *hit;
	int rc;

	if (r->o.sym.no_cache || !key)
		return resolve_user_frame(r, pr, addr, leaf, id);
	if ((hit = fcache_get(&pr->fc, key)) != NULL) {
		*id = *hit;
		return 0;
	}
	if ((rc = resolve_user_frame(r, pr, addr, leaf, id)) == 0)
		fcache_put(&pr->fc, key, *id);
	return rc;
}

static int kernel_frame(struct recorder *r, uint64_t addr, int leaf, uint32_t *id)
{
	struct symtab_sym sym;
	uint32_t module = 0;
	int found, rc;

	found = symtab_lookup_kernel(r->st, leaf ? addr : addr - 1, &sym);
	if (found < 0)
		return found;
	if (!found) {
		sym.name = "[unknown]";
		sym.len = 9;
		r->stats.unknown++;
	}
	if (r->o.keep_addresses && (rc = profile_intern(r->p, "[kernel.kallsyms]", 17, &module)) < 0)
		return rc;
	return named_frame(r, sym.name, sym.len, "_[k]", FRAME_KERNEL, module, addr, 0, id);
}

/* ---- samples ---- */

static int add_sample(struct recorder *r, const struct sampler_record *rec)
{
	struct proc *pr = get_proc(r, rec->pid);
	struct thread *t = get_thread(r, rec->pid, rec->tid, 1);
	const uint64_t *cc = rec->u.sample.callchain;
	uint64_t ctx = 0, t0, t1, unwind0;
	size_t n = 0, nuser = 0, i, first_k = 1;
	int64_t values[2];
	int rc;

	if (!pr || !t)
		return -ENOMEM;
	if (!t->name[0]) {
		read_comm(rec->pid, rec->tid, t->name, sizeof(t->name));
		t->have_ids = 0;
	}
	t0 = now_ns();
	unwind0 = r->stats.unwind_ns;
	/* Kernel frames, then user frames (callchain in FP mode). */
	for (i = 0; cc && i < rec->u.sample.nr && n < MAX_FRAMES - 1; i++) {
		uint64_t ip = cc[i];

		if (ip >= (uint64_t)PERF_CONTEXT_MAX) {
			ctx = ip;
			continue;
		}
		if (ctx == (uint64_t)PERF_CONTEXT_KERNEL && r->o.kernel &&
		    n < MAX_KERNEL_FRAMES) {
			if ((rc = kernel_frame(r, ip, first_k, &r->ids[n])) < 0)
				return rc;
			first_k = 0;
			n++;
		} else if (ctx == (uint64_t)PERF_CONTEXT_USER && r->o.mode == RECORDER_FP) {
			if ((rc = user_frame(r, pr, ip, nuser == 0, &r->ids[n])) < 0)
				return rc;
			nuser++;
			n++;
		}
	}
	if (r->o.mode == RECORDER_DWARF) {
		size_t k, got = 0;

		if (rec->u.sample.has_regs) {
			struct unwind_state us;
			uint64_t u0 = now_ns();

			if (!pr->uw && !(pr->uw = unwind_new()))
				return -ENOMEM;
			memcpy(us.regs, rec->u.sample.regs, sizeof(us.regs));
			us.stack = rec->u.sample.stack;
			us.stack_len = rec->u.sample.stack_len;
			if (us.stack_len && us.stack_len == rec->u.sample.stack_cap)
				r->stats.full_stack_copies++;
			got = unwind_stack(pr->uw, &us, find_module, pr, r->ips,
					   MAX_FRAMES - 1 - n);
			r->stats.unwind_ns += now_ns() - u0;
		} else if (rec->u.sample.user && rec->u.sample.ip) {
			r->ips[0] = rec->u.sample.ip;
			got = 1;
		}
		for (k = 0; k < got; k++) {
			if ((rc = user_frame(r, pr, r->ips[k], k == 0, &r->ids[n])) < 0)
				return rc;
			n++;
		}
		nuser = got;
	} else if (!cc && rec->u.sample.user && rec->u.sample.ip) {
		if ((rc = user_frame(r, pr, rec->u.sample.ip, 1, &r->ids[n])) < 0)
			return rc;
		n++;
		nuser = 1;
	}
	if (nuser == 1)
		r->stats.one_frame++;
	if ((rc = thread_ids(r, t)) < 0)
		return rc;
	if (r->o.per_thread)
		r->ids[n++] = t->root;
	t1 = now_ns();
	/* Unwinding was timed on its own; the rest was symbolization. */
	r->stats.symbolize_ns += t1 - t0 - (r->stats.unwind_ns - unwind0);
	values[0] = 1;
	values[1] = (int64_t)(rec->u.sample.period ? rec->u.sample.period :
			      (r->o.freq ? 1000000000ULL / r->o.freq : 0));
	if ((rc = profile_add_leaf_first(r->p, r->ids, n, t->labels, values, NULL)) < 0)
		return rc;
	r->stats.samples++;
	r->stats.frames += n;
	return 0;
}

int recorder_record(void *ctx, const struct sampler_record *rec)
{
	struct recorder *r = ctx;
	struct proc *pr, *parent;
	struct thread *t, *pt;
	int rc = 0;

	switch (rec->kind) {
	case SAMPLER_SAMPLE:
		return add_sample(r, rec);
	case SAMPLER_MMAP:
		pr = get_proc(r, rec->pid);
		return pr ? add_map(r, pr, rec) : -ENOMEM;
	case SAMPLER_COMM:
		t = get_thread(r, rec->pid, rec->tid, 1);
		pr = get_proc(r, rec->pid);
		if (!t || !pr)
			return -ENOMEM;
		set_thread_name(t, rec->u.comm.name);
		if (rec->pid == rec->tid)
			snprintf(pr->comm, sizeof(pr->comm), "%s", rec->u.comm.name);
		if (rec->u.comm.exec) {
			pr->nmaps = 0;
			pr->last = 0;
			fcache_clear(&pr->fc);
			if (pr->uw)
				unwind_flush(pr->uw);
		}
		return 0;
	case SAMPLER_FORK:
		pt = get_thread(r, rec->u.fork.ppid, rec->u.fork.ptid, 0);
		t = get_thread(r, rec->pid, rec->tid, 1);
		if (!t)
			return -ENOMEM;
		if (pt && pt->name[0])
			set_thread_name(t, pt->name);
		if (rec->pid != rec->u.fork.ppid) {	/* a new process */
			parent = get_proc(r, rec->u.fork.ppid);
			pr = get_proc(r, rec->pid);
			if (!pr || !parent)
				return -ENOMEM;
			if (parent->nmaps && pr != parent) {
				if ((rc = map_reserve(pr, parent->nmaps)) < 0)
					return rc;
				memcpy(pr->maps, parent->maps, parent->nmaps * sizeof(*pr->maps));
				pr->nmaps = parent->nmaps;
			}
			memcpy(pr->comm, parent->comm, sizeof(pr->comm));
		}
		return 0;
	case SAMPLER_EXIT:
		return 0;
	}
	return rc;
}
