/* test_threadname.c - TiKV thread names to pool names. */
#include "check.h"
#include "analyzers/model/threadname.h"

static const char *pool(const char *name)
{
	static char out[64];

	threadname_tikv_pool(name, strlen(name), out, sizeof(out));
	return out;
}

static void test_known_prefixes(void)
{
	CHECK_EQ_STR(pool("unified-read-po"), "unified-read-pool");
	CHECK_EQ_STR(pool("sched-worker-po"), "sched-worker-pool");
	CHECK_EQ_STR(pool("sched-worker-pr"), "sched-worker-priority");
	CHECK_EQ_STR(pool("sched-worker-hi"), "sched-worker-high");
	CHECK_EQ_STR(pool("raftlog-fetch-w"), "raftlog-fetch-worker");
	CHECK_EQ_STR(pool("store-read-norm"), "store-read-normal");
	CHECK_EQ_STR(pool("store-read-low-"), "store-read-low");
	CHECK_EQ_STR(pool("raftstore-1-1"), "raftstore");
	CHECK_EQ_STR(pool("raftstore-0"), "raftstore");
	CHECK_EQ_STR(pool("rocksdb:low12"), "rocksdb:low");
	CHECK_EQ_STR(pool("rocksdb:high3"), "rocksdb:high");
	CHECK_EQ_STR(pool("grpc-server-3"), "grpc-server");
	CHECK_EQ_STR(pool("apply-0"), "apply");
	CHECK_EQ_STR(pool("cdcwkr1"), "cdcwkr");
	CHECK_EQ_STR(pool("cdc-2"), "cdc");
	CHECK_EQ_STR(pool("rs-3"), "rs");
	CHECK_EQ_STR(pool("sst-import-misc"), "sst-import-misc");
	CHECK_EQ_STR(pool("timer"), "timer");
	CHECK_EQ_STR(pool("steady-timer"), "steady-timer");
}

static void test_generic_rule(void)
{
	/* the examples of TiKV's profiler */
	CHECK_EQ_STR(pool("grpc-server-5"), "grpc-server");
	CHECK_EQ_STR(pool("rocksdb:bg1000"), "rocksdb:bg");
	CHECK_EQ_STR(pool("raftstore-1-100"), "raftstore");
	CHECK_EQ_STR(pool("snap sender1000"), "snap-sender");
	CHECK_EQ_STR(pool("snap_sender1000"), "snap-sender");
	/* unknown names */
	CHECK_EQ_STR(pool("tokio-runtime-w"), "tokio-runtime-w");
	CHECK_EQ_STR(pool("my_pool-12"), "my-pool");
	CHECK_EQ_STR(pool("worker 7"), "worker-");
	CHECK_EQ_STR(pool("a-"), "a-");
	CHECK_EQ_STR(pool("-1"), "-");
	CHECK_EQ_STR(pool("rsync"), "rsync");
	/* names that do not have the shape are kept as they are */
	CHECK_EQ_STR(pool("Foo_1"), "Foo_1");
	CHECK_EQ_STR(pool("tikv-server"), "tikv-server");
	CHECK_EQ_STR(pool("x1y"), "x1y");
	CHECK_EQ_STR(pool("123"), "123");
	CHECK_EQ_STR(pool(""), "");
}

static void test_output_buffer(void)
{
	char small[5];
	char big[32];
	const char nul[] = "ab\0c";

	CHECK_EQ_INT(threadname_tikv_pool("unified-read-po", 15, small, sizeof(small)), 17);
	CHECK_EQ_STR(small, "unif");
	CHECK_EQ_INT(threadname_tikv_pool("apply-1", 7, NULL, 0), 5);
	/* bytes after len are not read; NUL inside the name is data */
	CHECK_EQ_INT(threadname_tikv_pool("apply-1XXXX", 7, big, sizeof(big)), 5);
	CHECK_EQ_STR(big, "apply");
	CHECK_EQ_INT(threadname_tikv_pool(nul, 4, big, sizeof(big)), 4);
	CHECK(memcmp(big, nul, 4) == 0);
}

int main(void)
{
	RUN(test_known_prefixes);
	RUN(test_generic_rule);
	RUN(test_output_buffer);
	return CHECK_DONE();
}
