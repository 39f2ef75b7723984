/* demangle.h - readable names for mangled C++ and Rust symbols.
 *
 * Demangling is libiberty's cplus_demangle() (the demangler binutils and
 * perf use), with DMGL_PARAMS | DMGL_ANSI: C++ (Itanium ABI, clone suffixes
 * such as ".isra.0" become " [clone .isra.0]"), Rust legacy names
 * ("_ZN...17h<16 hex>E", the hash is dropped) and Rust v0 names ("_R...",
 * crate disambiguators are not shown). A legacy Rust hash left in a name
 * (a demangled name from a JIT map, an LLVM suffix) is dropped too.
 *
 * Demangling costs 10-30 us per name, so a struct demangle caches each
 * result per symbol name: memory grows with the number of distinct names.
 */
#ifndef TIPROF_DEMANGLE_H
#define TIPROF_DEMANGLE_H

#include <stddef.h>
#include "analyzers/base/buf.h"

/* Longest mangled name handed to the demangler; longer names are kept as
 * they are (the demangler's recursion limits apply below this). */
#define DEMANGLE_MAX_INPUT 8192

struct demangle;

/* cache 0 turns caching off (every call demangles again; for measuring
 * what the cache saves). NULL when out of memory. */
struct demangle *demangle_new(int cache);

/* Accepts NULL. */
void demangle_free(struct demangle *d);

/* The readable form of name[0..len) (not NUL-terminated), or the name
 * itself when it is not mangled. Borrowed: valid until demangle_free()
 * (with caching off: until the next call). *outlen receives its length.
 * NULL when out of memory. */
const char *demangle_name(struct demangle *d, const char *name, size_t len,
			  size_t *outlen);

/* Demangle name (NUL-terminated) into out, replacing its content.
 * 1 when name was mangled and demangled, 0 when out holds name unchanged
 * (apart from a dropped Rust hash), -ENOMEM or -E2BIG (out's cap). */
int demangle_string(const char *name, struct buf *out);

/* Number of names held and bytes used by the cache. */
size_t demangle_count(const struct demangle *d);
size_t demangle_bytes(const struct demangle *d);

#endif
