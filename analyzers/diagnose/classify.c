/* classify.c - see classify.h */
#include "analyzers/diagnose/classify.h"

#include <string.h>

static const char *const generic_names[] = {
	"runtime.goexit", "runtime.main", "main.main", "runtime.mstart", "runtime.mstart0",
	"runtime.mstart1", "runtime.rt0_go", "runtime.mcall", "runtime.morestack",
	"runtime.systemstack", "runtime.asmcgocall", "runtime.cgocall",
	"start_thread", "clone", "clone3", "__clone", "__clone3", "_start", "__libc_start_main",
	"__libc_start_call_main", "__libc_start_main_impl", "[unknown]", "all", "<stack unavailable>",
	"std::sys::unix::thread::Thread::new::thread_start",
	"std::sys::pal::unix::thread::Thread::new::thread_start",
	"std::sys_common::backtrace::__rust_begin_short_backtrace",
	"std::sys::backtrace::__rust_begin_short_backtrace",
	"std::rt::lang_start_internal", "std::rt::lang_start", "std::panicking::try",
	"std::panic::catch_unwind", "__rust_try", "core::ops::function::FnOnce::call_once",
	"ret_from_fork", "ret_from_fork_asm", "kthread", "secondary_startup_64",
	"secondary_startup_64_no_verify", "start_secondary", "cpu_startup_entry", NULL,
};

/* The closure shims that start every Rust thread (prefixes). */
static const char *const generic_prefixes[] = {
	"std::thread::Builder::spawn_unchecked",
	"<alloc::boxed::Box<F,A> as core::ops::function::FnOnce<Args>>::call_once",
	"<alloc::boxed::Box<F> as core::ops::function::FnOnce<A>>::call_once",
	"core::ops::function::FnOnce::call_once{{vtable.shim}}",
	"std::thread::Builder::spawn", NULL,
};

static const char *const gc_prefixes[] = {
	"runtime.gc", "runtime.mallocgc", "runtime.scanobject", "runtime.scanblock",
	"runtime.markroot", "runtime.greyobject", "runtime.bgsweep", "runtime.sweepone",
	"runtime.(*mspan).sweep", "runtime.(*sweepLocked).sweep", "runtime.wbBuf",
	"runtime.bulkBarrierPreWrite", "runtime.findObject", "runtime.(*gcWork)",
	"runtime.scanstack", "runtime.(*gcControllerState)", NULL,
};

static const char *const compaction_prefixes[] = {
	"rocksdb::CompactionJob", "rocksdb::DBImpl::BackgroundCompaction",
	"rocksdb::DBImpl::BackgroundCallCompaction", "rocksdb::DBImpl::BackgroundFlush",
	"rocksdb::DBImpl::BackgroundCallFlush", "rocksdb::FlushJob", "rocksdb::CompactionIterator",
	"rocksdb:low", "rocksdb:high", "rocksdb:bg", NULL,
};

static const char *const go_runtime_prefixes[] = { "runtime.", "internal/", NULL };
static const char *const go_lock_prefixes[] = { "sync.", "runtime.", "internal/", NULL };

/* Goroutine states: prefixes, and whole states. */
static const char *const blocking_prefixes[] = { "semacquire", "sync.", "chan send", "chan receive", NULL };
static const char *const blocking_states[] = { "select", NULL };

/* TiKV's configured pool sizes: config key, the pool it sizes. */
static const struct {
	const char *key, *pool;
} sized_pools[] = {
	{ "raftstore.store-pool-size", "raftstore" },
	{ "raftstore.apply-pool-size", "apply" },
	{ "server.grpc-concurrency", "grpc-server" },
	{ "readpool.unified.max-thread-count", "unified-read-pool" },
	{ "storage.scheduler-worker-pool-size", "sched-worker-pool" },
	{ "raftstore.store-io-pool-size", "store-writer" },
	{ "rocksdb.max-background-jobs", "rocksdb:low" },
	{ "rocksdb.max-background-flushes", "rocksdb:high" },
};

static int prefix_any(const char *name, size_t len, const char *const *list)
{
	for (; *list; list++) {
		size_t l = strlen(*list);

		if (len >= l && memcmp(name, *list, l) == 0)
			return 1;
	}
	return 0;
}

static int equal_any(const char *name, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == len && memcmp(name, *list, len) == 0)
			return 1;
	return 0;
}

int classify_generic(const char *name, size_t len)
{
	if (equal_any(name, len, generic_names))
		return 1;
	/* "[mariadbd]", "[unknown]": a frame without a symbol says nothing */
	if (len >= 2 && name[0] == '[' && name[len - 1] == ']')
		return 1;
	return prefix_any(name, len, generic_prefixes);
}

int classify_gc(const char *name, size_t len)
{
	return prefix_any(name, len, gc_prefixes);
}

int classify_compaction(const char *name, size_t len)
{
	return prefix_any(name, len, compaction_prefixes);
}

int classify_go_runtime(const char *name, size_t len)
{
	return prefix_any(name, len, go_runtime_prefixes);
}

int classify_go_lock(const char *name, size_t len)
{
	return prefix_any(name, len, go_lock_prefixes);
}

int classify_skip_frame(const struct profile *p, uint32_t frame, void *ctx)
{
	const struct frame *f = profile_frame_get(p, frame);
	size_t len;
	const char *name = profile_str(p, f->name, &len);

	(void)ctx;
	return f->kind == FRAME_ROOT || classify_generic(name, len);
}

int classify_skip_lock_frame(const struct profile *p, uint32_t frame, void *ctx)
{
	size_t len;
	const char *name = profile_str(p, profile_frame_get(p, frame)->name, &len);

	(void)ctx;
	return classify_go_lock(name, len);
}

int classify_blocking_state(const char *state)
{
	return prefix_any(state, strlen(state), blocking_prefixes) ||
	       equal_any(state, strlen(state), blocking_states);
}

int classify_rocksdb_pool(const char *pool)
{
	return strncmp(pool, "rocksdb", 7) == 0;
}

const char *classify_sized_pool(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(sized_pools) / sizeof(sized_pools[0]); i++)
		if (strcmp(key, sized_pools[i].key) == 0)
			return sized_pools[i].pool;
	return NULL;
}

const char *classify_component_lang(const char *component)
{
	return classify_go_component(component) ? "go" :
	       classify_rocksdb_component(component) ? "rust" : NULL;
}

int classify_go_component(const char *component)
{
	return strcmp(component, "tidb") == 0 || strcmp(component, "pd") == 0;
}

int classify_rocksdb_component(const char *component)
{
	return strcmp(component, "tikv") == 0 || strcmp(component, "tiflash") == 0;
}
