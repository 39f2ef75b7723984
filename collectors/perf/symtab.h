/* symtab.h - addresses to function names: ELF files, the kernel, JIT maps.
 *
 * ELF symbols (libelf): a file's .symtab; when it has none (Debian's
 * libc.so.6 has only .dynsym), the .symtab of its separate debug file,
 * found by build-id (DEBUG_DIR/.build-id/xx/yyyy.debug) or .gnu_debuglink
 * (DEBUG_DIR/<dir of the file>/NAME, <dir>/NAME, <dir>/.debug/NAME, and
 * DEBUG_DIR/.build-id/xx/NAME); failing both, its .dynsym. Function
 * symbols (STT_FUNC, STT_GNU_IFUNC) are sorted by address; an address
 * resolves to the symbol containing it, or to the nearest one below it
 * when that one has no size. Lookups take ELF virtual addresses: the
 * caller removes the load bias (elffile_bias()).
 *
 * Kernel: /proc/kallsyms (text symbols), loaded on first use. Addresses
 * read as 0 (kptr_restrict, no privilege) resolve to nothing.
 *
 * JIT: /tmp/perf-PID.map ("START SIZE NAME" per line, hex), loaded on
 * first use per process and reloaded when it has changed and an address
 * is not found.
 *
 * Names are demangled (demangle.h), each symbol once. Results are cached
 * per (file, address), so a repeated address costs one hash lookup.
 * Caching can be turned off to measure what it saves.
 */
#ifndef TIPROF_SYMTAB_H
#define TIPROF_SYMTAB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "collectors/perf/elffile.h"

#define SYMTAB_MAX_JIT_MAP ((size_t)256 << 20)	/* bytes of one perf-PID.map */
#define SYMTAB_ADDR_CACHE_MAX ((size_t)1 << 20)	/* entries before a reset */

struct symtab_opts {
	const char *debug_dir;	/* NULL: /usr/lib/debug */
	const char *kallsyms;	/* NULL: /proc/kallsyms */
	const char *jit_dir;	/* NULL: /tmp (perf-PID.map) */
	int no_cache;		/* no per-address or per-symbol caches */
	int no_demangle;	/* keep names as they are in the files */
};

/* A resolved address. name[0..len) is borrowed (not NUL-terminated),
 * valid until symtab_free(), or with no_cache until the next lookup. */
struct symtab_sym {
	const char *name;
	size_t len;
	uint64_t start;		/* the symbol's address (same space as the query) */
};

struct symtab_stats {
	uint64_t lookups, cache_hits;
	uint64_t files, symbols;	/* ELF files opened, symbols loaded */
};

struct symtab;
struct symtab_file;

/* o may be NULL. NULL when out of memory. */
struct symtab *symtab_new(const struct symtab_opts *o);

/* Accepts NULL. */
void symtab_free(struct symtab *st);

/* The ELF file at path, opened on first use and kept until symtab_free();
 * NULL when it cannot be opened as an ELF file (remembered, not retried).
 * err (may be NULL) receives the reason the first time. */
struct symtab_file *symtab_file(struct symtab *st, const char *path,
				struct tp_error *err);
const struct elffile *symtab_file_elf(const struct symtab_file *f);

/* Resolve ELF virtual address vaddr of f. 1 when found, 0 when not,
 * -ENOMEM. */
int symtab_lookup(struct symtab *st, struct symtab_file *f, uint64_t vaddr,
		  struct symtab_sym *out);

/* Resolve a kernel address. 1, 0 or -ENOMEM. */
int symtab_lookup_kernel(struct symtab *st, uint64_t addr, struct symtab_sym *out);

/* Resolve addr in process pid through its perf-PID.map. 1, 0 or -ENOMEM. */
int symtab_lookup_jit(struct symtab *st, pid_t pid, uint64_t addr,
		      struct symtab_sym *out);

void symtab_get_stats(const struct symtab *st, struct symtab_stats *out);

#endif
