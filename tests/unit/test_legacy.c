/* test_legacy.c - Go's debug=1 texts: symbols from "#" lines, labels,
 * pprof's scaling of heap and contention values, errors. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/error.h"
#include "analyzers/decode/legacy.h"
#include "analyzers/base/linereader.h"
#include "analyzers/model/profile.h"
#include "check.h"

static int read_mem(const char *text, struct profile **pp, struct legacy_info *li,
		    struct tp_error *err)
{
	struct linereader *lr;
	int r;

	*pp = profile_new();
	tp_error_init(err);
	if (linereader_open_mem(&lr, "prof.txt", text, strlen(text), err) < 0)
		return -1;
	r = legacy_read(lr, *pp, li, err);
	linereader_close(lr);
	return r;
}

static const char *fname(const struct profile *p, uint32_t fid)
{
	return profile_str(p, profile_frame_get(p, fid)->name, NULL);
}

static const char goroutines[] =
	"goroutine profile: total 23\n"
	"20 @ 0x43b336 0x407e9b 0x689e3f 0x46b2c1\n"
	"#\t0x689e3e\tmain.main.func2+0x1e\t/opt/demo/main.go:199\n"
	"\n"
	"2 @ 0x43b336 0x6888d4 0x6888bd 0x46b2c1\n"
	"# labels: {\"sql_digest\":\"s\\\"q\\u00e9\", \"worker\":\"sort\"}\n"
	"#\t0x6888d3\tsort.Ints+0x73\t\t/usr/lib/go/src/sort/sort.go:157\n"
	"#\t0x6888d3\tmain.sortWork+0x5c\t/opt/demo/main.go:46\n"
	"#\t0x6888bc\tmain.rec+0x5c\t/opt/demo/main.go:50\n"
	"#\t0x6888bc\tmain.rec+0x5c\t/opt/demo/main.go:50\n"
	"\n"
	"1 @ 0x46b2c1\n"
	"\n";

static void test_detect(void)
{
	CHECK_EQ_INT(legacy_detect(goroutines, sizeof(goroutines) - 1), LEGACY_COUNT);
	CHECK_EQ_INT(legacy_detect("threadcreate profile: total 6\n5 @\n", 34), LEGACY_COUNT);
	CHECK_EQ_INT(legacy_detect("heap profile: 1: 2 [3: 4] @ heap/1048576\n", 41), LEGACY_HEAP);
	CHECK_EQ_INT(legacy_detect("--- mutex:\ncycles/second=1\n", 27), LEGACY_CONTENTION);
	CHECK_EQ_INT(legacy_detect("--- contention:\n", 16), LEGACY_CONTENTION);
	CHECK_EQ_INT(legacy_detect("goroutine 1 [running]:\n", 23), LEGACY_NONE);
	CHECK_EQ_INT(legacy_detect("main;f 1\n", 9), LEGACY_NONE);
}

static void test_count(void)
{
	struct legacy_info li;
	struct tp_error err;
	struct profile *p;
	size_t i, found = 0;

	CHECK_EQ_INT(read_mem(goroutines, &p, &li, &err), 0);
	CHECK_EQ_INT(li.kind, LEGACY_COUNT);
	CHECK_EQ_STR(li.type, "goroutine");
	CHECK_EQ_INT(li.total, 23);
	CHECK_EQ_INT(li.records, 3);
	CHECK_EQ_INT(li.symbolized, 2);
	CHECK_EQ_STR(profile_str(p, profile_sample_type(p, 0, NULL), NULL), "goroutine");
	CHECK_EQ_INT(profile_total(p, 0), 23);
	CHECK_EQ_INT(profile_nstacks(p), 3);
	for (i = 0; i < profile_nstacks(p); i++) {
		struct stack_view sv;
		const struct label *l;
		size_t nl;

		profile_stack(p, i, &sv);
		if (sv.values[0] == 20) {
			/* only the "#" frames: runtime frames Go left out stay out */
			CHECK_EQ_INT(sv.nframes, 1);
			CHECK_EQ_STR(fname(p, sv.frames[0]), "main.main.func2");
			CHECK_EQ_INT(profile_frame_get(p, sv.frames[0])->addr, 0x689e3e);
			CHECK_EQ_INT(profile_frame_get(p, sv.frames[0])->line, 199);
			found++;
		} else if (sv.values[0] == 2) {
			CHECK_EQ_INT(sv.nframes, 4);
			/* root first: the recursion stays two frames, not inlined */
			CHECK_EQ_STR(fname(p, sv.frames[0]), "main.rec");
			CHECK_EQ_INT(profile_frame_get(p, sv.frames[0])->kind, FRAME_USER);
			CHECK_EQ_INT(profile_frame_get(p, sv.frames[1])->kind, FRAME_USER);
			CHECK_EQ_STR(fname(p, sv.frames[2]), "main.sortWork");
			CHECK_EQ_INT(profile_frame_get(p, sv.frames[2])->kind, FRAME_USER);
			/* same address, other function, leaf side: inlined */
			CHECK_EQ_STR(fname(p, sv.frames[3]), "sort.Ints");
			CHECK_EQ_INT(profile_frame_get(p, sv.frames[3])->kind, FRAME_INLINED);
			CHECK_EQ_STR(profile_str(p, profile_frame_get(p, sv.frames[3])->file, NULL),
				     "/usr/lib/go/src/sort/sort.go");
			l = profile_labelset_get(p, sv.labels, &nl);
			CHECK_EQ_INT(nl, 2);
			if (nl == 2) {
				CHECK_EQ_STR(profile_str(p, l[0].key, NULL), "sql_digest");
				CHECK_EQ_STR(profile_str(p, l[0].str, NULL), "s\"q\xc3\xa9");
				CHECK_EQ_STR(profile_str(p, l[1].str, NULL), "sort");
			}
			found++;
		} else {
			/* no "#" line: pprof's <unknown> at the address minus 1 */
			CHECK_EQ_INT(sv.nframes, 1);
			CHECK_EQ_STR(fname(p, sv.frames[0]), "<unknown>");
			CHECK_EQ_INT(profile_frame_get(p, sv.frames[0])->addr, 0x46b2c0);
			found++;
		}
	}
	CHECK_EQ_INT(found, 3);
	profile_free(p);
}

static void test_heap(void)
{
	static const char text[] =
		"heap profile: 12: 328096 [128: 16106000] @ heap/1048576\n"
		"10: 163840 [10: 163840] @ 0x688afd 0x46b2c1\n"
		"#\t0x688afc\tmain.allocBurst+0xbc\t/opt/demo/main.go:76\n"
		"\n"
		"1: 163840 [78: 12779520] @ 0x68888b\n"
		"#\t0x68888a\tmain.sortWork+0x2a\t/opt/demo/main.go:42\n"
		"\n"
		"0: 0 [0: 0] @ 0x4d15c5\n"
		"#\t0x4d15c4\tcompress/flate.newDeflateFast+0x424\t/go/deflatefast.go:64\n"
		"\n"
		"\n"
		"# runtime.MemStats\n"
		"# Alloc = 9834664\n"
		"# TotalAlloc = 83043744\n"
		"# PauseNs = [0 0 0]\n"
		"# NumGC = 5\n";
	struct legacy_info li;
	struct tp_error err;
	struct profile *p;
	size_t i;

	CHECK_EQ_INT(read_mem(text, &p, &li, &err), 0);
	CHECK_EQ_INT(li.kind, LEGACY_HEAP);
	CHECK_EQ_INT(li.inuse_objects, 12);
	CHECK_EQ_INT(li.inuse_bytes, 328096);
	CHECK_EQ_INT(li.alloc_objects, 128);
	CHECK_EQ_INT(li.alloc_bytes, 16106000);
	CHECK_EQ_INT(li.rate, 524288);
	CHECK_EQ_INT(li.records, 3);
	CHECK_EQ_INT(li.dropped, 1);
	CHECK_EQ_INT(li.nmemstats, 3);
	if (li.nmemstats == 3) {
		CHECK_EQ_STR(li.memstats[0].name, "Alloc");
		CHECK_EQ_INT(li.memstats[0].value, 9834664);
		CHECK_EQ_STR(li.memstats[2].name, "NumGC");
	}
	CHECK_EQ_INT(profile_nvalues(p), 4);
	CHECK_EQ_STR(profile_str(p, profile_sample_type(p, 3, NULL), NULL), "inuse_space");
	CHECK_EQ_INT(profile_meta(p)->period, 524288);
	CHECK_EQ_INT(profile_nstacks(p), 2);
	for (i = 0; i < profile_nstacks(p); i++) {
		struct stack_view sv;
		const struct label *l;
		size_t nl;

		profile_stack(p, i, &sv);
		l = profile_labelset_get(p, sv.labels, &nl);
		CHECK_EQ_INT(nl, 1);
		CHECK_EQ_STR(profile_str(p, l[0].key, NULL), "bytes");
		if (strcmp(fname(p, sv.frames[sv.nframes - 1]), "main.allocBurst") == 0) {
			/* the numbers `go tool pprof -raw` prints for this record */
			CHECK_EQ_INT(sv.values[0], 325);
			CHECK_EQ_INT(sv.values[1], 5325226);
			CHECK_EQ_INT(sv.values[2], 325);
			CHECK_EQ_INT(sv.values[3], 5325226);
			CHECK_EQ_INT(l[0].num, 16384);
		} else {
			CHECK_EQ_INT(sv.values[0], 290);
			CHECK_EQ_INT(sv.values[1], 47616483);
			CHECK_EQ_INT(sv.values[2], 3);
			CHECK_EQ_INT(sv.values[3], 610467);
			CHECK_EQ_INT(l[0].num, 163840);
		}
	}
	profile_free(p);
}

static void test_contention(void)
{
	static const char mutex[] =
		"--- mutex:\n"
		"cycles/second=2000018008\n"
		"sampling period=10\n"
		"102706486 13 @ 0x688c50 0x46b2c1\n"
		"#\t0x688c4f\tsync.(*Mutex).Unlock+0x6f\t/go/sync/mutex.go:223\n";
	static const char block[] =
		"--- contention:\n"
		"cycles/second=2000018008\n"
		"13730589592 179 @ 0x688c19\n";
	struct legacy_info li;
	struct tp_error err;
	struct profile *p;
	struct stack_view sv;

	CHECK_EQ_INT(read_mem(mutex, &p, &li, &err), 0);
	CHECK_EQ_STR(li.type, "mutex");
	CHECK_EQ_INT(li.period, 10);
	CHECK_EQ_INT(li.cycles_per_second, 2000018008);
	CHECK_EQ_INT(profile_nstacks(p), 1);
	profile_stack(p, 0, &sv);
	CHECK_EQ_INT(sv.values[0], 130);
	CHECK_EQ_INT(sv.values[1], 513527806);
	CHECK_EQ_STR(profile_str(p, profile_sample_type(p, 1, NULL), NULL), "delay");
	profile_free(p);

	CHECK_EQ_INT(read_mem(block, &p, &li, &err), 0);
	CHECK_EQ_STR(li.type, "block");
	profile_stack(p, 0, &sv);
	CHECK_EQ_INT(sv.values[0], 179);
	CHECK_EQ_INT(sv.values[1], 6865232981LL);
	CHECK_EQ_STR(fname(p, sv.frames[0]), "<unknown>");
	profile_free(p);
}

static void test_errors(void)
{
	static const struct {
		const char *text;
		int code, line;
		const char *msg;
	} cases[] = {
		{ "goroutine profile: total 1\nx @ 0x1\n", -EBADMSG, 2, "COUNT @" },
		{ "goroutine profile: total 1\n1 @ 0x1 zz\n", -EBADMSG, 2, "hexadecimal address" },
		{ "goroutine profile: total 1\n1 @ 0x11111111111111111\n", -EBADMSG, 2, "wider than 64" },
		{ "goroutine profile: total 1\n#\t0x1\tf+0x1\t/x.go:1\n", -EBADMSG, 2, "before any record" },
		{ "goroutine profile: total 1\n1 @ 0x2\n#\t0x1\tf+0x1\t/x.go:1x\n", -EBADMSG, 3, "line number" },
		{ "goroutine profile: total 1\n1 @ 0x2\n# labels: {\"a\":}\n", -EBADMSG, 3, "labels" },
		{ "heap profile: 1: 2 [3: 4] @ weird/8\n", -EBADMSG, 1, "unknown heap profile type" },
		{ "heap profile: 1: 2 [3: 4] @ heap/8\n0: 5 [0: 0] @ 0x1\n", -EBADMSG, 2, "count is 0" },
		{ "heap profile: 1: 2 [3: 4] @ heap/8\n1: 2 3: 4 @ 0x1\n", -EBADMSG, 2, "INUSE_OBJECTS" },
		{ "--- mutex:\nbogus=1\n", -EBADMSG, 2, "unknown contention profile attribute" },
		{ "--- contentionz 1 ---\nformat = java\n", -EBADMSG, 2, "Java" },
		{ "--- mutex:\nsampling period=9223372036854775807\n1 2 @ 0x1\n", -EOVERFLOW, 3, "overflows" },
		{ "nothing we know\n", -EBADMSG, 1, "not a debug=1" },
		{ "\n\n", -EBADMSG, 0, "empty" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tp_error err;
		struct profile *p;

		CHECK_EQ_INT(read_mem(cases[i].text, &p, NULL, &err), cases[i].code);
		CHECK_EQ_INT(err.line, cases[i].line);
		if (!strstr(err.msg, cases[i].msg)) {
			fprintf(stderr, "  case %zu: \"%s\"\n", i, err.msg);
			CHECK(0);
		}
		profile_free(p);
	}
}

int main(void)
{
	RUN(test_detect);
	RUN(test_count);
	RUN(test_heap);
	RUN(test_contention);
	RUN(test_errors);
	return CHECK_DONE();
}
