/* test_goroutine.c - goroutine dumps (debug=2): headers, frames, labels,
 * grouping, and precise errors. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/error.h"
#include "analyzers/decode/goroutine.h"
#include "analyzers/base/linereader.h"
#include "analyzers/model/profile.h"
#include "check.h"

static const char dump[] =
	"goroutine 7 [chan receive, 3 minutes, locked to thread]:\n"
	"main.worker(0xc000010000, {0x6e2f80, 0x4})\n"
	"\t/src/demo/main.go:44 +0x3e\n"
	"math/rand.(*Rand).Int63(...)\n"
	"\t/usr/lib/go/src/math/rand/rand.go:84\n"
	"main.run(...)\n"
	"\t/src/demo/main.go:90 +0x1f\n"
	"created by main.main in goroutine 1\n"
	"\t/src/demo/main.go:185 +0x26a\n"
	"\n"
	"goroutine 8 [chan receive, 5 minutes, locked to thread]:\n"
	"main.worker(0xc000010100, {0x6e2f80, 0x4})\n"
	"\t/src/demo/main.go:44 +0x3e\n"
	"math/rand.(*Rand).Int63(...)\n"
	"\t/usr/lib/go/src/math/rand/rand.go:84\n"
	"main.run(...)\n"
	"\t/src/demo/main.go:90 +0x1f\n"
	"created by main.main in goroutine 1\n"
	"\t/src/demo/main.go:185 +0x26a\n"
	"\n"
	"goroutine 1 gp=0xc000002380 m=nil [running]:\n"
	"main.main()\n"
	"\t/src/demo/main.go:12 +0x10\n"
	"\n"
	"goroutine 9 [select]:\n"
	"main.(*T).loop[...](0x1)\n"
	"\t/src/demo/t.go:7 +0x2\n"
	"...additional frames elided...\n"
	"created by main.spawn\n"
	"\t/src/demo/t.go:3 +0x1\n"
	"\n"
	"goroutine 10 [running]:\n"
	"\tgoroutine running on other thread; stack unavailable\n";

static int read_mem(const char *text, struct profile **pp, struct goroutine_stats *st,
		    struct tp_error *err)
{
	struct linereader *lr;
	int r;

	*pp = profile_new();
	tp_error_init(err);
	if (linereader_open_mem(&lr, "dump.txt", text, strlen(text), err) < 0)
		return -1;
	r = goroutine_read(lr, *pp, st, err);
	linereader_close(lr);
	return r;
}

/* The label value of key in stack i, or NULL; *num for numeric ones. */
static const char *label(const struct profile *p, size_t i, const char *key, int64_t *num)
{
	struct stack_view sv;
	const struct label *l;
	size_t n, k;

	profile_stack(p, i, &sv);
	l = profile_labelset_get(p, sv.labels, &n);
	for (k = 0; k < n; k++) {
		if (strcmp(profile_str(p, l[k].key, NULL), key) != 0)
			continue;
		if (num)
			*num = l[k].num;
		return l[k].str ? profile_str(p, l[k].str, NULL) : "";
	}
	return NULL;
}

static long find(const struct profile *p, const char *leaf)
{
	size_t i;

	for (i = 0; i < profile_nstacks(p); i++) {
		struct stack_view sv;

		profile_stack(p, i, &sv);
		if (sv.nframes &&
		    strcmp(profile_str(p, profile_frame_get(p, sv.frames[sv.nframes - 1])->name,
				       NULL), leaf) == 0)
			return (long)i;
	}
	return -1;
}

static void test_detect(void)
{
	CHECK(goroutine_detect(dump, sizeof(dump) - 1));
	CHECK(goroutine_detect("\n\ngoroutine 1 [running]:\n", 24));
	CHECK(goroutine_detect("panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n", 48));
	CHECK(!goroutine_detect("goroutine profile: total 3\n", 27));
	CHECK(!goroutine_detect("main;foo 1\n", 11));
	CHECK(!goroutine_detect("goroutine 1 running:\n", 21));
}

static void test_read(void)
{
	struct goroutine_stats st;
	struct tp_error err;
	struct profile *p;
	struct stack_view sv;
	int64_t wait = 0;
	long i;

	CHECK_EQ_INT(read_mem(dump, &p, &st, &err), 0);
	CHECK_EQ_INT(st.goroutines, 5);
	CHECK_EQ_INT(st.locked, 2);
	CHECK_EQ_INT(st.elided, 1);
	CHECK_EQ_INT(st.unavailable, 1);
	CHECK_EQ_INT(profile_nvalues(p), 1);
	CHECK_EQ_STR(profile_str(p, profile_sample_type(p, 0, NULL), NULL), "goroutine");
	CHECK_EQ_INT(profile_total(p, 0), 5);
	/* goroutines 7 and 8 differ in their wait only: two stacks */
	CHECK_EQ_INT(profile_nstacks(p), 5);

	i = find(p, "main.worker");
	CHECK(i >= 0);
	if (i >= 0) {
		profile_stack(p, (size_t)i, &sv);
		CHECK_EQ_INT(sv.nframes, 3);
		CHECK_EQ_INT(sv.values[0], 1);
		CHECK_EQ_STR(profile_str(p, profile_frame_get(p, sv.frames[0])->name, NULL), "main.run");
		/* "(...)" with a +0x offset is a real frame; without, inlined */
		CHECK_EQ_INT(profile_frame_get(p, sv.frames[0])->kind, FRAME_USER);
		CHECK_EQ_INT(profile_frame_get(p, sv.frames[1])->kind, FRAME_INLINED);
		CHECK_EQ_INT(profile_frame_get(p, sv.frames[2])->kind, FRAME_USER);
		CHECK_EQ_INT(profile_frame_get(p, sv.frames[2])->line, 44);
		CHECK_EQ_STR(profile_str(p, profile_frame_get(p, sv.frames[2])->file, NULL),
			     "/src/demo/main.go");
		CHECK_EQ_STR(label(p, (size_t)i, "state", NULL), "chan receive");
		CHECK_EQ_STR(label(p, (size_t)i, "locked", NULL), "thread");
		CHECK_EQ_STR(label(p, (size_t)i, "created_by", NULL), "main.main");
		CHECK(label(p, (size_t)i, "wait", &wait) != NULL);
		CHECK(wait == 3 || wait == 5);
	}
	i = find(p, "main.main");
	CHECK(i >= 0);
	if (i >= 0) {
		CHECK_EQ_STR(label(p, (size_t)i, "state", NULL), "running");
		CHECK(label(p, (size_t)i, "wait", NULL) == NULL);
		CHECK(label(p, (size_t)i, "created_by", NULL) == NULL);
	}
	/* elided frames: a frame of that name at the root end */
	i = find(p, "main.(*T).loop[...]");
	CHECK(i >= 0);
	if (i >= 0) {
		profile_stack(p, (size_t)i, &sv);
		CHECK_EQ_INT(sv.nframes, 2);
		CHECK_EQ_STR(profile_str(p, profile_frame_get(p, sv.frames[0])->name, NULL),
			     "...additional frames elided...");
		CHECK_EQ_STR(label(p, (size_t)i, "created_by", NULL), "main.spawn");
		CHECK_EQ_STR(label(p, (size_t)i, "state", NULL), "select");
	}
	CHECK(find(p, "<stack unavailable>") >= 0);
	profile_free(p);
}

static void test_groups(void)
{
	struct goroutine_group *g;
	struct goroutine_state *s;
	struct tp_error err;
	struct profile *p;
	size_t n, ns;

	CHECK_EQ_INT(read_mem(dump, &p, NULL, &err), 0);
	CHECK_EQ_INT(goroutine_groups(p, &g, &n), 0);
	/* 7 and 8 merge (same stack, state, lock, creator), waits 3..5 */
	CHECK_EQ_INT(n, 4);
	if (n == 4) {
		CHECK_EQ_INT(g[0].count, 2);
		CHECK_EQ_INT(g[0].wait_min, 3);
		CHECK_EQ_INT(g[0].wait_max, 5);
		CHECK_EQ_INT(g[0].locked, 1);
		CHECK_EQ_INT(g[0].nstacks, 2);
		CHECK_EQ_STR(profile_str(p, g[0].state, NULL), "chan receive");
		CHECK_EQ_STR(profile_str(p, g[0].created_by, NULL), "main.main");
		/* ties: by state name */
		CHECK_EQ_STR(profile_str(p, g[1].state, NULL), "running");
		CHECK_EQ_INT(g[1].wait_min, -1);
	}
	CHECK_EQ_INT(goroutine_states(p, &s, &ns), 0);
	CHECK_EQ_INT(ns, 3);
	if (ns == 3) {
		CHECK_EQ_STR(profile_str(p, s[0].state, NULL), "chan receive");
		CHECK_EQ_INT(s[0].count, 2);
		CHECK_EQ_STR(profile_str(p, s[1].state, NULL), "running");
		CHECK_EQ_INT(s[1].count, 2);
		CHECK_EQ_STR(profile_str(p, s[2].state, NULL), "select");
	}
	free(g);
	free(s);
	profile_free(p);
}

static void test_preamble(void)
{
	struct tp_error err;
	struct profile *p;

	CHECK_EQ_INT(read_mem("panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n"
			      "\t/x.go:3 +0x1\nexit status 2\n", &p, NULL, &err), -EBADMSG);
	profile_free(p);
	CHECK_EQ_INT(read_mem("panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n"
			      "\t/x.go:3 +0x1\n\nexit status 2\n", &p, NULL, &err), 0);
	CHECK_EQ_INT(profile_total(p, 0), 1);
	profile_free(p);
}

static void test_errors(void)
{
	static const struct {
		const char *text;
		int line;
		const char *msg;
	} cases[] = {
		{ "goroutine 1 [running]:\nmain.main()\n", 2, "ends after a call line" },
		{ "goroutine 1 [running]:\nmain.main()\nmain.x()\n", 3, "tab-indented" },
		{ "goroutine 1 [running]:\n\t/x.go:1\n", 2, "without a call" },
		{ "goroutine 1 [running]:\nnot a call\n", 2, "expected a call" },
		{ "goroutine 1 [running]:\n()\n\t/x.go:1\n", 2, "expected a call" },
		{ "goroutine 1 [running]:\nmain.f()\n\tno-line-number\n", 3, "file:line" },
		{ "goroutine 1 [running]:\nmain.f()\n\t/x.go:12a\n", 3, "file:line" },
		{ "no dump here\n\n", 0, "no goroutine header" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tp_error err;
		struct profile *p;

		CHECK_EQ_INT(read_mem(cases[i].text, &p, NULL, &err), -EBADMSG);
		CHECK_EQ_INT(err.line, cases[i].line);
		CHECK_EQ_STR(err.file, "dump.txt");
		if (!strstr(err.msg, cases[i].msg)) {
			fprintf(stderr, "  case %zu: \"%s\"\n", i, err.msg);
			CHECK(0);
		}
		profile_free(p);
	}
}

/* A 200,000-frame goroutine is read without recursion. */
static void test_deep(void)
{
	size_t n = 200000, i, len = 0;
	char *text = malloc(n * 24 + 64);
	struct tp_error err;
	struct profile *p;
	struct stack_view sv;

	len += (size_t)sprintf(text, "goroutine 1 [running]:\n");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "main.f%zu()\n\t/x.go:%zu\n", i % 7, i % 11);
	CHECK_EQ_INT(read_mem(text, &p, NULL, &err), 0);
	CHECK_EQ_INT(profile_nstacks(p), 1);
	profile_stack(p, 0, &sv);
	CHECK_EQ_INT(sv.nframes, n);
	profile_free(p);
	free(text);
}

int main(void)
{
	RUN(test_detect);
	RUN(test_read);
	RUN(test_groups);
	RUN(test_preamble);
	RUN(test_errors);
	RUN(test_deep);
	return CHECK_DONE();
}
