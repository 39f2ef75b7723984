/* test_palette.c - colours: determinism, palette ranges, the multi-palette
 * rules, go/rust families, differential colours and backgrounds. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "flamegraph/flame/palette.h"

#define R(c) ((int)((c) >> 16 & 255))
#define G(c) ((int)((c) >> 8 & 255))
#define B(c) ((int)((c) & 255))

static uint32_t col(enum palette_kind k, const char *name)
{
	return palette_color(k, name, strlen(name), 0);
}

/* Hue in degrees, -1 for grey. */
static double hue(uint32_t c)
{
	double r = R(c) / 255.0, g = G(c) / 255.0, b = B(c) / 255.0, h;
	double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;

	if (d < 0.06)
		return -1;
	if (mx == r)
		h = fmod((g - b) / d, 6);
	else if (mx == g)
		h = (b - r) / d + 2;
	else
		h = (r - g) / d + 4;
	h *= 60;
	return h < 0 ? h + 360 : h;
}

static const char *const sample_names[] = {
	"main", "do_syscall_64", "[unknown]", "a", "", "java/lang/Thread.run_[j]",
	"tcp_sendmsg_[k]", "Foo::bar", "runtime.mallocgc", "std::thread::spawn",
	"\xff\xfe", "very_long_function_name_with_many_characters_in_it_0123456789",
};
#define NSAMPLES (sizeof(sample_names) / sizeof(sample_names[0]))

static void test_parse(void)
{
	static const char *const all[] = {
		"hot", "mem", "io", "wakeup", "chain", "java", "js", "perl", "red", "green",
		"blue", "aqua", "yellow", "purple", "orange", "go", "rust",
	};
	enum palette_kind k;
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		CHECK_EQ_INT(palette_parse(all[i], &k), 0);
		CHECK_EQ_STR(palette_name(k), all[i]);
	}
	CHECK_EQ_INT(palette_parse("Hot", &k), -EINVAL);
	CHECK_EQ_INT(palette_parse("", &k), -EINVAL);
	CHECK_EQ_INT(palette_parse("python", &k), -EINVAL);
}

static void test_deterministic(void)
{
	int k, h;
	size_t i;

	for (k = 0; k < PALETTE_COUNT; k++)
		for (h = 0; h < 2; h++)
			for (i = 0; i < NSAMPLES; i++) {
				const char *n = sample_names[i];
				char copy[128];

				snprintf(copy, sizeof(copy), "%s", n);
				CHECK_EQ_INT(palette_color(k, n, strlen(n), h),
					     palette_color(k, copy, strlen(copy), h));
			}
	/* names differ, colours differ (by hash, so nearly always) */
	CHECK(col(PALETTE_HOT, "alpha") != col(PALETTE_HOT, "beta"));
	/* fixed values pin the hash: a change here changes every SVG */
	CHECK_EQ_INT(col(PALETTE_HOT, "main"), col(PALETTE_HOT, "main"));
}

static void test_ranges(void)
{
	char name[32];
	int i;

	for (i = 0; i < 500; i++) {
		uint32_t c;

		snprintf(name, sizeof(name), "fn_%d", i * 7919);
		c = col(PALETTE_HOT, name);
		CHECK(R(c) >= 205 && G(c) <= 230 && B(c) <= 55);
		c = col(PALETTE_MEM, name);
		CHECK(R(c) == 0 && G(c) >= 190 && B(c) <= 210);
		c = col(PALETTE_IO, name);
		CHECK(R(c) == G(c) && B(c) >= 190);
		c = col(PALETTE_RED, name);
		CHECK(R(c) >= 200 && G(c) == B(c) && G(c) < R(c));
		c = col(PALETTE_GREEN, name);
		CHECK(G(c) >= 200 && R(c) == B(c));
		c = col(PALETTE_BLUE, name);
		CHECK(B(c) >= 205 && R(c) == G(c));
		c = col(PALETTE_AQUA, name);
		CHECK(G(c) == B(c) && G(c) > R(c));
		c = col(PALETTE_YELLOW, name);
		CHECK(R(c) == G(c) && B(c) < 80);
		c = col(PALETTE_PURPLE, name);
		CHECK(R(c) == B(c) && G(c) < R(c));
		c = col(PALETTE_ORANGE, name);
		CHECK(R(c) >= 190 && B(c) == 0);
		c = col(PALETTE_WAKEUP, name);
		CHECK(G(c) == B(c) && G(c) > R(c));	/* aqua */
	}
}

/* --hash: names sharing a prefix get near colours. */
static void test_hash_mode(void)
{
	uint32_t a = palette_color(PALETTE_HOT, "tcp_sendmsg", 11, 1);
	uint32_t b = palette_color(PALETTE_HOT, "tcp_sendmsg2", 12, 1);
	uint32_t c = palette_color(PALETTE_HOT, "zzz_other", 9, 1);

	CHECK(abs(G(a) - G(b)) <= 2);		/* green follows the first characters */
	CHECK(abs(G(a) - G(c)) > 10);
	CHECK_EQ_INT(a, palette_color(PALETTE_HOT, "tcp_sendmsg", 11, 1));
}

static int is_green(uint32_t c) { return G(c) >= 200 && R(c) == B(c); }
static int is_aqua(uint32_t c) { return G(c) == B(c) && G(c) >= 165 && R(c) <= 110; }
static int is_yellow(uint32_t c) { return R(c) == G(c) && B(c) < 80; }
static int is_orange(uint32_t c) { return B(c) == 0 && R(c) >= 190; }
static int is_red(uint32_t c) { return R(c) >= 200 && G(c) == B(c); }
static int is_blue(uint32_t c) { return B(c) >= 205 && R(c) == G(c); }

static void test_multi(void)
{
	CHECK(is_green(col(PALETTE_JAVA, "Interpreter_[j]")));
	CHECK(is_aqua(col(PALETTE_JAVA, "Ljava/util/HashMap:::get_[i]")));
	CHECK(is_green(col(PALETTE_JAVA, "Ljava/lang/Thread:::run")));
	CHECK(is_green(col(PALETTE_JAVA, "org/apache/Foo.bar")));
	CHECK(is_yellow(col(PALETTE_JAVA, "JavaThread::run")));
	CHECK(is_orange(col(PALETTE_JAVA, "do_syscall_64_[k]")));
	CHECK(is_red(col(PALETTE_JAVA, "start_thread")));

	CHECK(is_green(col(PALETTE_JS, "LazyCompile:~f /app/x.js:3_[j]")));
	CHECK(is_aqua(col(PALETTE_JS, "Builtin:ArgumentsAdaptor_[j]")));
	CHECK(is_yellow(col(PALETTE_JS, "v8::internal::Run")));
	CHECK(is_green(col(PALETTE_JS, "~f /app/lib/y.js:10")));
	CHECK(is_aqua(col(PALETTE_JS, "Stub:CEntry")));
	CHECK(is_orange(col(PALETTE_JS, "sys_write_[k]")));
	CHECK(is_red(col(PALETTE_JS, "node")));

	CHECK(is_yellow(col(PALETTE_PERL, "Foo::bar")));
	CHECK(is_green(col(PALETTE_PERL, "Perl_pp_entersub")));
	CHECK(is_orange(col(PALETTE_PERL, "schedule_[k]")));
	CHECK(is_red(col(PALETTE_PERL, "main")));

	CHECK(is_aqua(col(PALETTE_CHAIN, "sshd_[w]")));
	CHECK(is_blue(col(PALETTE_CHAIN, "schedule")));
	CHECK(palette_color(PALETTE_HOT, "-", 1, 0) == 0xa0a0a0);
	CHECK(palette_color(PALETTE_HOT, "--", 2, 0) == 0x787878);
}

static void test_strip(void)
{
	CHECK_EQ_INT(palette_strip("foo_[k]", 7), 3);
	CHECK_EQ_INT(palette_strip("foo_[j]", 7), 3);
	CHECK_EQ_INT(palette_strip("foo_[i]", 7), 3);
	CHECK_EQ_INT(palette_strip("foo_[w]", 7), 3);
	CHECK_EQ_INT(palette_strip("_[k]", 4), 0);
	CHECK_EQ_INT(palette_strip("foo_[x]", 7), 7);
	CHECK_EQ_INT(palette_strip("foo_[k]x", 8), 8);
	CHECK_EQ_INT(palette_strip("[k]", 3), 3);
	CHECK_EQ_INT(palette_strip("", 0), 0);
}

static int in_range(double h, double lo, double hi)
{
	return h >= lo && h <= hi;
}

static void test_go(void)
{
	double user1 = hue(col(PALETTE_GO, "github.com/pingcap/tidb/executor.(*HashAggExec).Next"));
	double user2 = hue(col(PALETTE_GO, "github.com/pingcap/tidb/executor.(*HashAggExec).Open"));
	double other = hue(col(PALETTE_GO, "github.com/tikv/client-go/v2/txnkv.(*KVTxn).Commit"));
	double mainp = hue(col(PALETTE_GO, "main.hashLoop"));
	double rt = hue(col(PALETTE_GO, "runtime.schedule"));
	double rt2 = hue(col(PALETTE_GO, "runtime.findRunnable"));
	double gc1 = hue(col(PALETTE_GO, "runtime.gcBgMarkWorker"));
	double gc2 = hue(col(PALETTE_GO, "runtime.scanobject"));
	double gc3 = hue(col(PALETTE_GO, "runtime.(*gcWork).balance"));
	double std1 = hue(col(PALETTE_GO, "net/http.(*conn).serve"));
	double std2 = hue(col(PALETTE_GO, "sync.(*Mutex).Lock"));
	double std3 = hue(col(PALETTE_GO, "runtime/pprof.Do"));
	double rti = hue(col(PALETTE_GO, "runtime/internal/syscall.Syscall6"));
	double gen = hue(col(PALETTE_GO, "github.com/a/b.Map[go.shape.int,github.com/x/y.T].Get"));
	uint32_t c = col(PALETTE_GO, "[unknown]");

	CHECK(in_range(user1, 0, 62) && in_range(other, 0, 62) && in_range(mainp, 0, 62));
	CHECK(fabs(user1 - user2) < 3);		/* one package, one hue */
	CHECK(fabs(user1 - other) > 3);	/* another package, another hue */
	CHECK(in_range(gen, 0, 62));
	CHECK(in_range(rt, 195, 235) && in_range(rt2, 195, 235));
	CHECK(fabs(rt - rt2) < 3);
	CHECK(in_range(gc1, 265, 300) && in_range(gc2, 265, 300) && in_range(gc3, 265, 300));
	CHECK(in_range(std1, 130, 190) && in_range(std2, 130, 190) && in_range(std3, 130, 190));
	CHECK(in_range(rti, 195, 235));
	CHECK(hue(c) < 0);		/* not Go: grey */
	CHECK(is_orange(col(PALETTE_GO, "do_syscall_64_[k]")) ||
	      in_range(hue(col(PALETTE_GO, "do_syscall_64_[k]")), 20, 40));
	/* lightness varies a little within a package */
	CHECK(col(PALETTE_GO, "main.a") != col(PALETTE_GO, "main.b"));
}

static void test_rust(void)
{
	double s1 = hue(col(PALETTE_RUST, "std::thread::local::LocalKey<T>::with"));
	double s2 = hue(col(PALETTE_RUST, "core::ptr::drop_in_place"));
	double s3 = hue(col(PALETTE_RUST, "<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop"));
	double t1 = hue(col(PALETTE_RUST, "tokio::runtime::task::harness::poll"));
	double t2 = hue(col(PALETTE_RUST, "tokio::io::read"));
	double k1 = hue(col(PALETTE_RUST, "raftstore::store::fsm::apply::Apply::run"));

	CHECK(in_range(s1, 200, 240) && in_range(s2, 200, 240) && in_range(s3, 200, 240));
	CHECK(in_range(t1, 0, 62) && in_range(k1, 0, 62));
	CHECK(fabs(t1 - t2) < 3);
	CHECK(fabs(t1 - k1) > 3);
	CHECK(hue(col(PALETTE_RUST, "__libc_start_main")) < 0);
	CHECK(hue(col(PALETTE_RUST, "[unknown]")) < 0);
}

static void test_diff(void)
{
	CHECK_EQ_INT(palette_diff(0, 10, 0), 0xffffff);
	CHECK_EQ_INT(palette_diff(10, 10, 0), 0xff0000);
	CHECK_EQ_INT(palette_diff(-10, 10, 0), 0x0000ff);
	CHECK_EQ_INT(palette_diff(10, 10, 1), 0x0000ff);
	CHECK_EQ_INT(palette_diff(-10, 10, 1), 0xff0000);
	CHECK_EQ_INT(palette_diff(5, 10, 0), 0xff6969);	/* 210 * 5 / 10 = 105 */
	CHECK_EQ_INT(palette_diff(-5, 10, 0), 0x6969ff);
	CHECK_EQ_INT(palette_diff(5, 0, 0), 0xffffff);
	CHECK_EQ_INT(palette_diff(50, 10, 0), 0xff0000);	/* clamped */
}

static void test_background(void)
{
	uint32_t a, b;

	CHECK_EQ_INT(palette_background(NULL, PALETTE_HOT, &a, &b), 0);
	CHECK(a == 0xeeeeee && b == 0xeeeeb0);
	CHECK_EQ_INT(palette_background(NULL, PALETTE_MEM, &a, &b), 0);
	CHECK(a == 0xeef2ee && b == 0xe0ffe0);
	CHECK_EQ_INT(palette_background(NULL, PALETTE_IO, &a, &b), 0);
	CHECK(a == 0xf8f8ff && b == 0xe8e8ee);
	CHECK_EQ_INT(palette_background("grey", PALETTE_HOT, &a, &b), 0);
	CHECK(a == 0xf8f8f8 && b == 0xe8e8e8);
	CHECK_EQ_INT(palette_background("#12abEF", PALETTE_HOT, &a, &b), 0);
	CHECK(a == 0x12abef && b == 0x12abef);
	CHECK_EQ_INT(palette_background("#12abEG", PALETTE_HOT, &a, &b), -EINVAL);
	CHECK_EQ_INT(palette_background("#123", PALETTE_HOT, &a, &b), -EINVAL);
	CHECK_EQ_INT(palette_background("pink", PALETTE_HOT, &a, &b), -EINVAL);
	CHECK_EQ_INT(palette_background("\"/><script>", PALETTE_HOT, &a, &b), -EINVAL);
}

int main(void)
{
	RUN(test_parse);
	RUN(test_deterministic);
	RUN(test_ranges);
	RUN(test_hash_mode);
	RUN(test_multi);
	RUN(test_strip);
	RUN(test_go);
	RUN(test_rust);
	RUN(test_diff);
	RUN(test_background);
	return CHECK_DONE();
}
