/* threadname.h - group thread names into the pools they belong to.
 *
 * Per-thread names such as "grpc-server-3" or "raftstore-1-2" split one
 * pool over many flame graph roots; mapping each name to its pool merges
 * them. Linux keeps only 15 bytes of a thread name (comm), so truncated
 * names like "unified-read-po" are recognised too.
 */
#ifndef TIPROF_THREADNAME_H
#define TIPROF_THREADNAME_H

#include <stddef.h>

/* The pool name of the TiKV thread name[0..len) (which may contain any
 * bytes). A name that starts with one of TiKV's thread-name prefixes
 * (grpc-server, raftstore, apply, unified-read-pool, sched-worker-pool,
 * rocksdb:low, ...), followed only by digits and separators ("-_ :"), or a
 * 15-byte name that is the start of such a prefix (a truncated comm),
 * maps to that prefix. Any other name follows the rule TiKV's profiler
 * uses for its thread labels: the shortest leading run of [a-z-_ :] after
 * which only (-?digit)* remains, with '_' and ' ' turned into '-'; a name
 * that does not have that shape is kept as it is.
 *
 * Writes at most cap-1 bytes and a NUL to out (nothing when cap is 0) and
 * returns the full length of the pool name, as snprintf does. */
size_t threadname_tikv_pool(const char *name, size_t len, char *out, size_t cap);

#endif
