/* test_classify.c - each classifier of the report (diagnose/classify.h)
 * on a name it matches and on one it does not. */
#include <string.h>
#include "analyzers/diagnose/classify.h"
#include "analyzers/model/profile.h"
#include "check.h"

static int is(int (*fn)(const char *, size_t), const char *name)
{
	return fn(name, strlen(name));
}

static void test_generic(void)
{
	CHECK(is(classify_generic, "runtime.goexit"));
	CHECK(is(classify_generic, "start_thread"));
	CHECK(is(classify_generic, "[mariadbd]"));
	CHECK(is(classify_generic, "std::thread::Builder::spawn_unchecked::{{closure}}"));
	/* the length counts, not a NUL */
	CHECK(classify_generic("main.mainXYZ", 9));
	CHECK(!is(classify_generic, "main.spin"));
	CHECK(!is(classify_generic, "runtime.goexit1"));
	CHECK(!is(classify_generic, "[mariadbd"));
}

static void test_gc(void)
{
	CHECK(is(classify_gc, CLASSIFY_GC_MARK));
	CHECK(is(classify_gc, CLASSIFY_GC_MALLOC));
	CHECK(is(classify_gc, "runtime.scanobject"));
	CHECK(!is(classify_gc, "runtime.memmove"));
	CHECK(!is(classify_gc, "main.gcLike"));
}

static void test_compaction(void)
{
	CHECK(is(classify_compaction, "rocksdb::CompactionJob::Run"));
	CHECK(is(classify_compaction, "rocksdb::FlushJob::WriteLevel0Table"));
	CHECK(is(classify_compaction, "rocksdb:low"));
	CHECK(!is(classify_compaction, "rocksdb::DBImpl::Get"));
	CHECK(!is(classify_compaction, "raftstore"));
}

static void test_go_runtime_and_lock(void)
{
	CHECK(is(classify_go_runtime, "runtime.gopark"));
	CHECK(is(classify_go_runtime, "internal/poll.(*FD).Read"));
	CHECK(!is(classify_go_runtime, "sync.(*Mutex).Unlock"));
	CHECK(!is(classify_go_runtime, "main.wait"));
	CHECK(is(classify_go_lock, "sync.(*Mutex).Unlock"));
	CHECK(is(classify_go_lock, "runtime.semrelease1"));
	CHECK(!is(classify_go_lock, "main.contendedSection"));
	CHECK(!is(classify_go_lock, "golang.org/x/sync/errgroup.(*Group).Wait"));
}

static uint32_t frame(struct profile *p, const char *name, enum frame_kind kind)
{
	uint32_t id = 0;

	CHECK_EQ_INT(profile_frame_named(p, name, strlen(name), kind, &id), 0);
	return id;
}

static void test_skip_frames(void)
{
	struct profile *p = profile_new();

	CHECK(classify_skip_frame(p, frame(p, "raftstore", FRAME_ROOT), NULL));
	CHECK(classify_skip_frame(p, frame(p, "clone", FRAME_KERNEL), NULL));
	CHECK(!classify_skip_frame(p, frame(p, "raftstore_poll_peers", FRAME_USER), NULL));
	CHECK(classify_skip_lock_frame(p, frame(p, "sync.(*RWMutex).RUnlock", FRAME_USER), NULL));
	CHECK(!classify_skip_lock_frame(p, frame(p, "main.(*Domain).Reload", FRAME_USER), NULL));
	profile_free(p);
}

static void test_blocking_state(void)
{
	CHECK(classify_blocking_state("semacquire"));
	CHECK(classify_blocking_state("sync.Mutex.Lock"));
	CHECK(classify_blocking_state("chan receive (nil chan)"));
	CHECK(classify_blocking_state("select"));
	CHECK(!classify_blocking_state("select (no cases)"));
	CHECK(!classify_blocking_state("IO wait"));
	CHECK(!classify_blocking_state("running"));
}

static void test_pools(void)
{
	CHECK(classify_rocksdb_pool("rocksdb:low"));
	CHECK(!classify_rocksdb_pool("raftstore"));
	CHECK_EQ_STR(classify_sized_pool("raftstore.store-pool-size"), "raftstore");
	CHECK_EQ_STR(classify_sized_pool("readpool.unified.max-thread-count"), "unified-read-pool");
	CHECK(classify_sized_pool("raftstore.store-pool") == NULL);
	CHECK(classify_sized_pool("") == NULL);
}

static void test_components(void)
{
	CHECK_EQ_STR(classify_component_lang("tidb"), "go");
	CHECK_EQ_STR(classify_component_lang("tikv"), "rust");
	CHECK(classify_component_lang("local") == NULL);
	CHECK(classify_go_component("pd"));
	CHECK(!classify_go_component("tikv"));
	CHECK(classify_rocksdb_component("tiflash"));
	CHECK(!classify_rocksdb_component("tidb"));
}

int main(void)
{
	RUN(test_generic);
	RUN(test_gc);
	RUN(test_compaction);
	RUN(test_go_runtime_and_lock);
	RUN(test_skip_frames);
	RUN(test_blocking_state);
	RUN(test_pools);
	RUN(test_components);
	return CHECK_DONE();
}
