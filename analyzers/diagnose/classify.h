/* classify.h - what a frame, a thread pool or a component means to the
 * report. Every such decision the report makes is here:
 *
 *   generic frames     roots every stack shares that say nothing about the
 *                      workload: runtime.goexit, runtime.main, main.main,
 *                      thread starts (start_thread, clone, _start,
 *                      __libc_start_main, ...), Rust's thread_start and
 *                      call_once shims, kernel thread starts, frames
 *                      without a symbol ("[unknown]", "[mariadbd]");
 *                      left out of the top functions and the hottest path,
 *                      with the thread-pool root frames (classify_skip_frame)
 *   GC frames          Go's collector and allocator (the gc-pressure share)
 *   compaction frames  RocksDB compaction and flush, and its background
 *                      pools (the compaction-io share)
 *   Go runtime frames  runtime and internal packages: skipped to find
 *                      where goroutines wait; with sync, to find the
 *                      function that released a contended lock
 *   blocking states    goroutine states that wait on another goroutine
 *   pools              RocksDB's background pools; which config key sizes
 *                      which TiKV pool
 *   components         which are written in Go (GC shares, palette) and
 *                      which run RocksDB
 *
 * Frame classifiers take a name and its length (names are not
 * NUL-terminated in a profile's string table); 1 when it matches.
 */
#ifndef TIPROF_CLASSIFY_H
#define TIPROF_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/model/profile.h"

/* The GC frames the gc-pressure finding breaks its share into. */
#define CLASSIFY_GC_MARK "runtime.gcBgMarkWorker"
#define CLASSIFY_GC_MALLOC "runtime.mallocgc"
#define CLASSIFY_GC_ASSIST "runtime.gcAssistAlloc"

/* The hottest path stops where the heaviest child holds less than
 * 1/CLASSIFY_PATH_PART of the total. */
#define CLASSIFY_PATH_PART 10

int classify_generic(const char *name, size_t len);
int classify_gc(const char *name, size_t len);
int classify_compaction(const char *name, size_t len);
/* runtime.*, internal/... */
int classify_go_runtime(const char *name, size_t len);
/* sync.* or the Go runtime: a lock's own machinery, not its holder. */
int classify_go_lock(const char *name, size_t len);

/* Frames of p (frame ids) the report leaves out, for top.h's
 * top_query.skip and hotspot.h's path: a generic frame or a root frame
 * (FRAME_ROOT: a thread or pool). ctx unused. */
int classify_skip_frame(const struct profile *p, uint32_t frame, void *ctx);
/* For the lock holder: the frames classify_go_lock() names. */
int classify_skip_lock_frame(const struct profile *p, uint32_t frame, void *ctx);

/* A goroutine state that waits on another goroutine: semacquire, sync.*,
 * chan send, chan receive, select. */
int classify_blocking_state(const char *state);

/* A RocksDB background pool: "rocksdb:low", "rocksdb:high", ... */
int classify_rocksdb_pool(const char *pool);

/* The TiKV pool whose size the config key (a config.json path such as
 * "raftstore.store-pool-size") sets, or NULL. */
const char *classify_sized_pool(const char *key);

/* "go" for TiDB and PD, "rust" for TiKV and TiFlash, NULL otherwise. */
const char *classify_component_lang(const char *component);
/* TiDB and PD: their CPU has Go's GC and allocator. */
int classify_go_component(const char *component);
/* TiKV and TiFlash: their CPU has RocksDB compaction and flush. */
int classify_rocksdb_component(const char *component);

#endif
