/* test_demangle.c - C++ and Rust (legacy, v0) names through libiberty,
 * Rust hashes dropped, the per-symbol cache. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collectors/perf/demangle.h"
#include "check.h"

struct pair {
	const char *mangled, *want;
};

/* Expected outputs are what libiberty's cplus_demangle(DMGL_PARAMS |
 * DMGL_ANSI) gives (../shared/corpus/perf/libiberty_demangle_samples.txt). */
static const struct pair cases[] = {
	{ "_ZN7rtarget9leaf_hash17ha7ccfa46e9eb2285E", "rtarget::leaf_hash" },
	{ "_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17hcb841fe2eb8ab3d5E",
	  "std::rt::lang_start::{{closure}}" },
	{ "_ZN42_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$3fmt17h2af2e7553c945ac2E",
	  "<&T as core::fmt::Debug>::fmt" },
	{ "_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$17h0123456789abcdefE",
	  "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>" },
	{ "_ZN4tikv7storage11write_batchERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERSt6vectorIiSaIiEEm",
	  "tikv::storage::write_batch(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, std::vector<int, std::allocator<int> >&, unsigned long)" },
	{ "_ZN4tikv7storage6EngineImE7compactEmm.isra.0",
	  "tikv::storage::Engine<unsigned long>::compact(unsigned long, unsigned long) [clone .isra.0]" },
	/* LLVM's suffix on a Rust name. */
	{ "_ZN7rtarget9leaf_hash17ha7ccfa46e9eb2285E.llvm.8812345678901234",
	  "rtarget::leaf_hash" },
	/* Already readable, with a hash left over (a JIT map, perf output). */
	{ "rtarget::leaf_hash::ha7ccfa46e9eb2285", "rtarget::leaf_hash" },
	/* Not mangled at all, or not validly. */
	{ "main", "main" },
	{ "_Z", "_Z" },
	{ "_ZN3foo", "_ZN3foo" },
	{ "", "" },
	/* Not a hash: wrong length, not hex. */
	{ "a::hxyz0123456789abcd", "a::hxyz0123456789abcd" },
	{ "a::h0123456789abcd", "a::h0123456789abcd" },
};

static void test_cases(void)
{
	struct buf out;
	size_t i;

	buf_init(&out, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = demangle_string(cases[i].mangled, &out);

		CHECK(r >= 0);
		CHECK_EQ_STR(out.data, cases[i].want);
	}
	CHECK_EQ_INT(demangle_string("main", &out), 0);
	CHECK_EQ_INT(demangle_string("_ZN7rtarget9leaf_hash17ha7ccfa46e9eb2285E", &out), 1);
	buf_free(&out);
}

static void test_v0(void)
{
	struct buf out;

	buf_init(&out, 0);
	/* <std::sys::thread::unix::Thread>::new::thread_start (v0, with
	 * crate disambiguators that the non-verbose form leaves out). */
	CHECK_EQ_INT(demangle_string("_RNvNvMNtNtNtCsjrHSEGnQ3l9_3std3sys6thread4unixNtB4_6Thread3new12thread_start", &out), 1);
	CHECK_EQ_STR(out.data, "<std::sys::thread::unix::Thread>::new::thread_start");
	CHECK_EQ_INT(demangle_string("_RNvCs1234_7mycrate3foo", &out), 1);
	CHECK_EQ_STR(out.data, "mycrate::foo");
	buf_free(&out);
}

/* Every entry of the corpus file: "NAME\n   -> WANT\n   -> (VERBOSE) ...". */
static void test_corpus(void)
{
	const char *dir = getenv("CORPUS");
	char path[4096], line[8192], name[8192];
	struct buf out;
	FILE *fp;
	int n = 0;

	snprintf(path, sizeof(path), "%s/perf/libiberty_demangle_samples.txt",
		 dir && *dir ? dir : "../shared/corpus");
	fp = fopen(path, "r");
	CHECK(fp != NULL);
	if (!fp)
		return;
	buf_init(&out, 0);
	name[0] = '\0';
	while (fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "   -> (VERBOSE)", 15) == 0)
			continue;
		if (strncmp(line, "   -> ", 6) == 0) {
			CHECK(demangle_string(name, &out) == 1);
			CHECK_EQ_STR(out.data, line + 6);
			n++;
		} else {
			snprintf(name, sizeof(name), "%s", line);
		}
	}
	fclose(fp);
	buf_free(&out);
	CHECK(n >= 8);
}

static void test_cache(void)
{
	static const char m[] = "_ZN7rtarget9leaf_hash17ha7ccfa46e9eb2285EXXX";
	struct demangle *d = demangle_new(1), *nc = demangle_new(0);
	const char *a, *b;
	size_t la, lb, i;
	char name[64];

	CHECK(d && nc);
	/* Names are given with a length: the trailing XXX is not part of it. */
	a = demangle_name(d, m, sizeof(m) - 4, &la);
	b = demangle_name(d, m, sizeof(m) - 4, &lb);
	CHECK(a && a == b);
	CHECK_EQ_INT(la, strlen("rtarget::leaf_hash"));
	CHECK(a && memcmp(a, "rtarget::leaf_hash", la) == 0);
	CHECK_EQ_INT(demangle_count(d), 1);
	a = demangle_name(d, "plain", 5, &la);
	CHECK(a && la == 5 && memcmp(a, "plain", 5) == 0);
	CHECK_EQ_INT(demangle_count(d), 2);
	/* Many names: the table grows, earlier entries stay. */
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "_ZN3foo%zu3barE", i);
		CHECK(demangle_name(d, name, strlen(name), &la) != NULL);
	}
	a = demangle_name(d, m, sizeof(m) - 4, &la);
	CHECK(a && la == 18);
	CHECK_EQ_INT(demangle_count(d), 5002);
	CHECK(demangle_bytes(d) > 0);
	/* Without the cache: the same answers. */
	a = demangle_name(nc, m, sizeof(m) - 4, &la);
	CHECK(a && la == 18 && memcmp(a, "rtarget::leaf_hash", 18) == 0);
	CHECK_EQ_INT(demangle_count(nc), 0);
	demangle_free(d);
	demangle_free(nc);
	demangle_free(NULL);
}

static void test_long_input(void)
{
	size_t n = DEMANGLE_MAX_INPUT + 100, i;
	char *s = malloc(n + 1);
	struct buf out;

	CHECK(s != NULL);
	if (!s)
		return;
	memcpy(s, "_ZN", 3);
	for (i = 3; i < n; i++)
		s[i] = 'a';
	s[n] = '\0';
	buf_init(&out, 0);
	CHECK_EQ_INT(demangle_string(s, &out), 0);
	CHECK_EQ_INT(out.len, n);
	/* A capped output buffer reports -E2BIG. */
	buf_free(&out);
	buf_init(&out, 10);
	CHECK_EQ_INT(demangle_string("_ZN7rtarget9leaf_hash17ha7ccfa46e9eb2285E", &out), -E2BIG);
	buf_free(&out);
	free(s);
}

int main(void)
{
	RUN(test_cases);
	RUN(test_v0);
	RUN(test_corpus);
	RUN(test_cache);
	RUN(test_long_input);
	return CHECK_DONE();
}
