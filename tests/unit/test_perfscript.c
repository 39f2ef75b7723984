/* test_perfscript.c - perf script text to folded stacks.
 *
 * Without arguments: the unit tests. With arguments it is the small
 * driver tests/e2e/collapse_perf.sh uses:
 *   test_perfscript collapse [--pid] [--tid] [--kernel] [--jit] [--all]
 *       [--addrs] [--repair-rust] [--keep-truncated] [--group-threads tikv]
 *       [--event-filter EV] [--stats] FILE
 * prints the folded stacks (and with --stats one line of statistics on
 * stderr).
 */
#include "check.h"
#include "analyzers/model/folded.h"
#include "analyzers/decode/perfline.h"
#include "analyzers/decode/perfname.h"
#include "analyzers/decode/perfscript.h"

#include <errno.h>

/* ---- helpers ---- */

struct result {
	int rc;
	struct perfscript_stats st;
	struct tp_error err;
	char *folded;		/* malloc'd */
};

static void collapse_opts(const char *in, size_t len, const struct perfscript_opts *o,
			  struct result *res)
{
	struct linereader *lr;
	struct profile *p = profile_new();
	size_t n = 0;
	FILE *f;

	memset(res, 0, sizeof(*res));
	tp_error_init(&res->err);
	if (linereader_open_mem(&lr, "mem", in, len, &res->err) < 0) {
		res->rc = -1;
		profile_free(p);
		return;
	}
	res->rc = perfscript_collapse(lr, o, p, &res->st, &res->err);
	f = open_memstream(&res->folded, &n);
	if (res->rc == 0)
		folded_write(p, 0, f, &res->err);
	fclose(f);
	linereader_close(lr);
	profile_free(p);
}

/* Folded output of in under o; "" on error. Freed by the next call. */
static const char *fold(const char *in, const struct perfscript_opts *o)
{
	static struct result res;

	free(res.folded);
	collapse_opts(in, strlen(in), o, &res);
	return res.folded;
}

static const char *fold_default(const char *in)
{
	struct perfscript_opts o;

	perfscript_opts_init(&o);
	return fold(in, &o);
}

/* perfname_tidy() of one piece, as a C string. */
static const char *tidy(const char *piece, const char *mod, unsigned flags)
{
	static struct buf b;

	if (!b.max)
		buf_init(&b, 1 << 20);
	if (perfname_tidy(&b, piece, strlen(piece), mod, strlen(mod), "7f00", 4, flags) < 0)
		return "(error)";
	return b.data;
}

static const char *cut(const char *name)
{
	static char out[256];
	size_t n = perfname_cut(name, strlen(name));

	memcpy(out, name, n);
	out[n] = '\0';
	return out;
}

static const char *rust(const char *name)
{
	static char out[512];
	size_t n = strlen(name);

	memcpy(out, name, n);
	n = perfname_rust_repair(out, n);
	out[n] = '\0';
	return out;
}

static int span_is(const struct perfline_span *s, const char *want)
{
	return s->n == strlen(want) && memcmp(s->s, want, s->n) == 0;
}

/* ---- perfline: the regular expressions ---- */

static void test_header_regex(void)
{
	struct perfline_header h;
	const char *l;

	l = "java 25607 4794564.109216: 1 cycles:";
	CHECK(perfline_header(l, strlen(l), &h));
	CHECK_EQ_INT(h.comm, 4);
	CHECK(span_is(&h.pid, "25607"));
	CHECK_EQ_INT(h.tid.n, 0);

	l = "V8 WorkerThread 24636/25607 [000] 94564.109216: 100 cycles:";
	CHECK(perfline_header(l, strlen(l), &h));
	CHECK_EQ_INT(h.comm, 15);
	CHECK(span_is(&h.pid, "24636"));
	CHECK(span_is(&h.tid, "25607"));

	/* the lazy comm stops at the first run followed by a number */
	l = "a b 12 x 34 y";
	CHECK(perfline_header(l, strlen(l), &h));
	CHECK_EQ_INT(h.comm, 3);
	/* comm is at least two bytes: "a 1 x" has no match at all */
	l = "a 1 x";
	CHECK(!perfline_header(l, strlen(l), &h));
	l = "ab 1 x";
	CHECK(perfline_header(l, strlen(l), &h));
	/* digits must be followed by whitespace; slashes may repeat */
	l = "comm 12x 3";
	CHECK(!perfline_header(l, strlen(l), &h));
	l = "comm 1//2 x";
	CHECK(perfline_header(l, strlen(l), &h));
	CHECK(span_is(&h.tid, "2"));
	l = "comm 7/ x";
	CHECK(perfline_header(l, strlen(l), &h));
	CHECK_EQ_INT(h.tid.n, 0);
	l = "comm 1/2/3 x 4 y";
	CHECK(perfline_header(l, strlen(l), &h));
	CHECK_EQ_INT(h.comm, 12);
	CHECK(span_is(&h.pid, "4"));
	/* a line starting with whitespace or with nothing after is no header */
	l = " comm 1 x";
	CHECK(!perfline_header(l, strlen(l), &h));
	l = "comm 123";
	CHECK(!perfline_header(l, strlen(l), &h));
	/* a vertical tab is whitespace for Perl */
	l = "comm\v5\tx";
	CHECK(perfline_header(l, strlen(l), &h));
	CHECK(span_is(&h.pid, "5"));
}

static void test_event_regex(void)
{
	struct perfline_span ev, per;
	const char *l;

	l = "busy  8692   316.013618:    1001001 cpu-clock:pppH: ";
	CHECK(perfline_event(l, strlen(l), &ev, &per));
	CHECK(span_is(&ev, "cpu-clock:pppH"));
	CHECK(span_is(&per, "1001001"));

	l = "java 25607 4794564.109216: cycles:";
	CHECK(perfline_event(l, strlen(l), &ev, &per));
	CHECK(span_is(&ev, "cycles"));
	CHECK_EQ_INT(per.n, 0);

	/* the digits may follow the ':' directly */
	l = "x 1 2.0:77 cycles:";
	CHECK(perfline_event(l, strlen(l), &ev, &per));
	CHECK(span_is(&per, "77"));
	/* no ':' before the period: no match */
	l = "x 1 2.0 77 cycles:";
	CHECK(!perfline_event(l, strlen(l), &ev, &per));
	/* the event must be the last word and end the line */
	l = "func_ab 15294 cpu-clock: ";
	CHECK(!perfline_event(l, strlen(l), &ev, &per));
	l = "x 1 2.0: 5 cycles: ffff f (m)";
	CHECK(!perfline_event(l, strlen(l), &ev, &per));
	/* two runs of digits: no match */
	l = "x 1 2.0: 5 6 cycles:";
	CHECK(!perfline_event(l, strlen(l), &ev, &per));
	/* a ':' inside comm does not confuse it */
	l = "rocksdb:low12 1 2.0: 9 cycles:u:\r";
	CHECK(perfline_event(l, strlen(l), &ev, &per));
	CHECK(span_is(&ev, "cycles:u"));
	CHECK(span_is(&per, "9"));
}

static void test_stack_regex(void)
{
	struct perfline_frame f;
	const char *l;

	l = "\t    7f1234 main+0x1f (/usr/bin/prog)";
	CHECK(perfline_frame(l, strlen(l), &f));
	CHECK(span_is(&f.pc, "7f1234"));
	CHECK(span_is(&f.func, "main+0x1f"));
	CHECK(span_is(&f.mod, "/usr/bin/prog"));

	/* the rightmost " (" whose word holds a ')': parens in the name */
	l = "  ffff std::function<int (int)>::operator() (/a b/lib.so)";
	CHECK(perfline_frame(l, strlen(l), &f));
	CHECK(span_is(&f.func, "std::function<int"));
	CHECK(span_is(&f.mod, "int)>::operator("));
	l = "  ffff f(int) (/lib/x.so)";
	CHECK(perfline_frame(l, strlen(l), &f));
	CHECK(span_is(&f.func, "f(int)"));
	/* "(deleted)": the module ends at the last ')' of the word */
	l = "  ffff foo (/tmp/x (deleted))";
	CHECK(perfline_frame(l, strlen(l), &f));
	CHECK(span_is(&f.func, "foo (/tmp/x"));
	CHECK(span_is(&f.mod, "deleted)"));
	l = "  ffff foo (/tmp/x(deleted))trailing";
	CHECK(perfline_frame(l, strlen(l), &f));
	CHECK(span_is(&f.mod, "/tmp/x(deleted)"));
	/* an empty function gives back one space, as Perl does */
	l = "    7f1e2215d058  (/lib/libc.so)";
	CHECK(perfline_frame(l, strlen(l), &f));
	CHECK(span_is(&f.pc, "7f1e2215d058"));
	CHECK(span_is(&f.func, " "));
	/* ... and then bytes of the address */
	l = "   ab (c)";
	CHECK(perfline_frame(l, strlen(l), &f));
	CHECK(span_is(&f.pc, "a"));
	CHECK(span_is(&f.func, "b"));
	CHECK(span_is(&f.mod, "c"));
	/* empty module */
	l = "  1 f ()";
	CHECK(perfline_frame(l, strlen(l), &f));
	CHECK(span_is(&f.mod, ""));
	/* no ')' after the '(' word, no address word, tab before '(' */
	l = "  ffff f (x";
	CHECK(!perfline_frame(l, strlen(l), &f));
	l = "  !ffff f (x)";
	CHECK(!perfline_frame(l, strlen(l), &f));
	l = "  ffff f\t(x)";
	CHECK(!perfline_frame(l, strlen(l), &f));
	l = "THIS_IS_A_WEIRD_LINE";
	CHECK(!perfline_frame(l, strlen(l), &f));
	/* NUL bytes are data */
	{
		const char nul[] = "  ff a\0b (m\0)";

		CHECK(perfline_frame(nul, sizeof(nul) - 1, &f));
		CHECK_EQ_INT(f.func.n, 3);
		CHECK_EQ_INT(f.mod.n, 2);
	}
}

static void test_single_line_regex(void)
{
	struct perfline_span ev, per;
	struct perfline_frame f;
	const char *l;

	l = "false 39654 19115.489713:          1 cycles:u:  ffffffff9b201293 [unknown] ([unknown])";
	CHECK(perfline_single(l, strlen(l), &ev, &per, &f));
	CHECK(span_is(&ev, "cycles:u"));
	CHECK(span_is(&per, "1"));
	CHECK(span_is(&f.pc, "ffffffff9b201293"));
	CHECK(span_is(&f.func, "[unknown]"));
	/* tracepoint payloads are not frames: the address must be hex */
	l = "x 1 2.0: sched:sched_switch: prev_comm=a (b)";
	CHECK(!perfline_single(l, strlen(l), &ev, &per, &f));
	l = "func_ab 15294 cpu-clock: ";
	CHECK(!perfline_single(l, strlen(l), &ev, &per, &f));
}

/* ---- perfname: tidying names ---- */

static void test_cut_go_and_anonymous(void)
{
	CHECK_EQ_STR(cut("net/http.(*Client).Do"), "net/http.(*Client).Do");
	CHECK_EQ_STR(cut("main.(*T).m(int)"), "main.(*T).m(int)");
	CHECK_EQ_STR(cut("runtime.goexit"), "runtime.goexit");
	/* ".(" without a later ")." is not Go */
	CHECK_EQ_STR(cut("a.(b)"), "a.");
	CHECK_EQ_STR(cut("(anonymous namespace)::foo(int)"), "(anonymous namespace)::foo");
	CHECK_EQ_STR(cut("a::(anonymous namespace)::(anonymous namespace)::f()"),
		     "a::(anonymous namespace)::(anonymous namespace)::f");
	CHECK_EQ_STR(cut("(anonymous namespace"), "");
	CHECK_EQ_STR(cut("foo(int, char)"), "foo");
	CHECK_EQ_STR(cut("Lorg/mozilla/javascript/MemberBox;.<init>(Ljava/lang/reflect/Method;)V"),
		     "Lorg/mozilla/javascript/MemberBox;.<init>");
}

static void test_cut_templates_and_operators(void)
{
	CHECK_EQ_STR(cut("std::function<int (int, int)>::operator()(int, int) const"),
		     "std::function<int (int, int)>::operator");
	CHECK_EQ_STR(cut("std::function<int (int, int)>::operator()"),
		     "std::function<int (int, int)>::operator");
	CHECK_EQ_STR(cut("std::_Function_handler<int (int, int), main::{lambda(int, int)#1}>::_M_invoke(std::_Any_data const&)"),
		     "std::_Function_handler<int (int, int), main::{lambda(int, int)#1}>::_M_invoke");
	CHECK_EQ_STR(cut("std::endl<char, std::char_traits<char> >"),
		     "std::endl<char, std::char_traits<char> >");
	CHECK_EQ_STR(cut("bool operator<<T>(T const&, T const&)"), "bool operator<<T>");
	CHECK_EQ_STR(cut("std::operator<< <std::char_traits<char> >(std::ostream&, char const*)"),
		     "std::operator<< <std::char_traits<char> >");
	CHECK_EQ_STR(cut("X::operator<(X const&)"), "X::operator<");
	CHECK_EQ_STR(cut("X::operator<=(X const&)"), "X::operator<=");
	CHECK_EQ_STR(cut("X::operator<=>(X const&)"), "X::operator<=>");
	CHECK_EQ_STR(cut("X::operator>(X const&)"), "X::operator>");
	CHECK_EQ_STR(cut("X::operator>>(int)"), "X::operator>>");
	CHECK_EQ_STR(cut("X::operator>=(int)"), "X::operator>=");
	CHECK_EQ_STR(cut("P<T>::operator->() const"), "P<T>::operator->");
	CHECK_EQ_STR(cut("F<void (*)(int)>::call(int)"), "F<void (*)(int)>::call");
	CHECK_EQ_STR(cut("my_operator<int>(x)"), "my_operator<int>");
	/* unbalanced brackets: Perl's first '(' */
	CHECK_EQ_STR(cut("foo<bar(int)"), "foo<bar");
	CHECK_EQ_STR(cut("a>b(c)"), "a>b");
	CHECK_EQ_STR(cut("RegExp:[&<>\"'](x)"), "RegExp:[&<>\"']");
}

static void test_tidy(void)
{
	const unsigned J = PERFNAME_JAVA, I = PERFNAME_INLINED, K = PERFNAME_KERNEL,
		       T = PERFNAME_JIT, A = PERFNAME_ADDRS;

	CHECK_EQ_STR(tidy("[unknown]", "/usr/lib/libc.so.6", 0), "[libc.so.6]");
	CHECK_EQ_STR(tidy("[unknown]", "[unknown]", 0), "[unknown]");
	CHECK_EQ_STR(tidy("[unknown]", "[unknown]", A), "[unknown <7f00>]");
	CHECK_EQ_STR(tidy("[unknown]", "/a/b.so", A), "[b.so <7f00>]");
	CHECK_EQ_STR(tidy("[unknown]", "[kernel.kallsyms]", K), "[[kernel.kallsyms]]_[k]");
	CHECK_EQ_STR(tidy("a;b", "m", 0), "a:b");
	CHECK_EQ_STR(tidy("RegExp:[&<>\"']", "/tmp/perf-7539.map", T), "RegExp:[&<>]_[j]");
	CHECK_EQ_STR(tidy("Lorg/a/B;.call(Lorg/a/C;)V", "m", J), "org/a/B:.call");
	CHECK_EQ_STR(tidy("Lorg/a/B;.call(Lorg/a/C;)V", "m", 0), "Lorg/a/B:.call");
	CHECK_EQ_STR(tidy("Lfoo", "m", J), "Lfoo");
	CHECK_EQ_STR(tidy("f", "[kernel.kallsyms]", K), "f_[k]");
	CHECK_EQ_STR(tidy("f", "[kernel.kallsyms]", 0), "f");
	CHECK_EQ_STR(tidy("f", "[unknown]", K), "f");
	CHECK_EQ_STR(tidy("f", "/lib/modules/4.3/build/vmlinux", K), "f_[k]");
	CHECK_EQ_STR(tidy("f", "/usr/lib/debug/boot/vmlinux-5.4.14", K), "f_[k]");
	CHECK_EQ_STR(tidy("f", "/lib/modules/5.4/kernel/mlx5_core.ko", K), "f_[k]");
	CHECK_EQ_STR(tidy("f", "bpf_prog_2b95_uni", K), "f");
	CHECK_EQ_STR(tidy("f", "/tmp/perf-19982.map", T), "f_[j]");
	CHECK_EQ_STR(tidy("f_[j]", "/tmp/perf-19982.map", T), "f_[j]");
	CHECK_EQ_STR(tidy("f", "/tmp/jitted-31714-4145673320.so", T), "f_[j]");
	CHECK_EQ_STR(tidy("f", "/tmp/perf-x.map", T), "f");
	CHECK_EQ_STR(tidy("f", "m", I), "f_[i]");
	CHECK_EQ_STR(tidy("f_[i]", "m", I), "f_[i]");
	/* inlined wins over kernel */
	CHECK_EQ_STR(tidy("f", "[kernel.kallsyms]", I | K), "f_[i]");
	/* control characters and NUL become \xNN; the result is stable */
	{
		static struct buf b;
		const char raw[] = "a\x01\x1b[0m\0b\x7f";

		buf_init(&b, 1 << 20);
		CHECK_EQ_INT(perfname_tidy(&b, raw, sizeof(raw) - 1, "m", 1, "0", 1, 0), 0);
		CHECK_EQ_STR(b.data, "a\\x01\\x1b[0m\\x00b\\x7f");
		CHECK_EQ_INT(perfname_escape(&b), 0);
		CHECK_EQ_STR(b.data, "a\\x01\\x1b[0m\\x00b\\x7f");
		buf_free(&b);
	}
	CHECK(perfname_is_kernel("[vdso]", 6));
	CHECK(!perfname_is_kernel("/x/vmlinux.bak", 14));
	CHECK(perfname_is_jit("x/tmp/perf-1.map.y", 18));
	CHECK(!perfname_is_jit("/tmp/jitted-1-2.so.1", 20));
}

static void test_rust_repair(void)
{
	CHECK_EQ_STR(rust("_$LT$grep_searcher..searcher..glue..ReadByLine$LT$$u27$s$C$$u20$M$C$$u20$R$C$$u20$S$GT$$GT$::run::h30ecedc997ad7e32"),
		     "<grep_searcher::searcher::glue::ReadByLine<'s, M, R, S>>::run");
	CHECK_EQ_STR(rust("log::set_logger::_$u7b$$u7b$closure$u7d$$u7d$::hcb7821323b596727"),
		     "log::set_logger::_{{closure}}");
	CHECK_EQ_STR(rust("core::ptr::_$LT$impl$u20$$BP$mut$u20$T$GT$::is_null::h0123456789ABCDEF"),
		     "core::ptr::_<impl *mut T>::is_null");
	CHECK_EQ_STR(rust("a$RF$b$SP$c$LP$d$RP$$u5b$$u5d$$u7e$$u3b$::h0123456789abcdef"),
		     "a&b@c(d)[]~:");
	CHECK_EQ_STR(rust("x$u2d$y$u3c0$::h0123456789abcdef"), "x-y\xcf\x80");
	/* no hash, a short hash or a non-hex hash: unchanged */
	CHECK_EQ_STR(rust("a$LT$b$GT$"), "a$LT$b$GT$");
	CHECK_EQ_STR(rust("a::h0123456789abcde"), "a::h0123456789abcde");
	CHECK_EQ_STR(rust("a::h0123456789abcdeg"), "a::h0123456789abcdeg");
	/* an unknown escape or a control character stops the repair */
	CHECK_EQ_STR(rust("a..b$XX$c..d::h0123456789abcdef"), "a::b$XX$c..d");
	CHECK_EQ_STR(rust("a$u0a$b::h0123456789abcdef"), "a$u0a$b");
	CHECK_EQ_STR(rust("a$u7B$b::h0123456789abcdef"), "a$u7B$b");
	CHECK_EQ_STR(rust("a$LT::h0123456789abcdef"), "a$LT");
	CHECK_EQ_STR(rust("h0123456789abcdef"), "");
}

/* ---- perfscript: whole inputs ---- */

static void test_collapse_basic(void)
{
	const char *in =
		"# ========\n"
		"# cmdline : /usr/bin/perf record -g ./prog\n"
		"prog 123 [000] 1.0:   10 cycles: \n"
		"\t7f01 leaf+0x1 (/bin/prog)\n"
		"\t7f02 mid (/bin/prog)\n"
		"\t7f03 main (/bin/prog)\n"
		"\n"
		"prog 123 [000] 2.0:   5 cycles: \n"
		"\t7f01 leaf+0x2 (/bin/prog)\n"
		"\t7f02 mid (/bin/prog)\n"
		"\t7f03 main (/bin/prog)\n"
		"\n"
		"prog 124 [000] 3.0:   0 cycles: \n"
		"\n";
	struct perfscript_opts o;

	CHECK_EQ_STR(fold_default(in), "prog 1\nprog;main;mid;leaf 15\n");
	perfscript_opts_init(&o);
	o.include_pid = 1;
	CHECK_EQ_STR(fold(in, &o), "prog-? 1\nprog-?;main;mid;leaf 15\n");
	o.include_tid = 1;
	CHECK_EQ_STR(fold(in, &o), "prog-?/123;main;mid;leaf 15\nprog-?/124 1\n");
}

static void test_collapse_pid_tid_forms(void)
{
	const char *in =
		"V8 WorkerThread 24636/25607 [000] 9.1: 3 cycles:\n"
		"\tff f (m)\n\n"
		"swapper     0/0 [000] 9.2: 4 cycles:\n"
		"\tff g (m)\n\n"
		"a;b\x01 5/6 9.3: 1 cycles:\n\n";
	struct perfscript_opts o;

	perfscript_opts_init(&o);
	o.include_tid = 1;
	/* TID "0" counts as none (Perl's "not $tid"); ';' and control
	 * characters in the process name are made safe */
	CHECK_EQ_STR(fold(in, &o),
		     "V8_WorkerThread-24636/25607;f 3\na:b\\x01-5/6 1\nswapper-?/0;g 4\n");
	perfscript_opts_init(&o);
	CHECK_EQ_STR(fold(in, &o), "V8_WorkerThread;f 3\na:b\\x01 1\nswapper;g 4\n");
}

static void test_collapse_event_filter(void)
{
	const char *in =
		"pp 1 1.0: 100 cycles:\n\tff a (m)\n\n"
		"pp 1 2.0: 7 instructions:\n\tff b (m)\n\n"
		"pp 1 3.0: 100 cycles:\n\tff a (m)\n\n"
		"pp 1 4.0: 9 instructions:\n\tff c (m)\n\n"
		"pp 1 5.0: 1 page-faults:\n\tff d (m)\n\n";
	struct perfscript_opts o;
	struct result r;

	perfscript_opts_init(&o);
	collapse_opts(in, strlen(in), &o, &r);
	CHECK_EQ_INT(r.rc, 0);
	CHECK_EQ_STR(r.folded, "pp;a 200\n");
	CHECK_EQ_INT(r.st.samples, 2);
	CHECK_EQ_INT(r.st.filtered, 3);
	CHECK_EQ_STR(r.st.event, "cycles");
	CHECK_EQ_STR(r.st.first_dropped_event, "instructions");
	free(r.folded);

	o.event_filter = "instructions";
	collapse_opts(in, strlen(in), &o, &r);
	CHECK_EQ_STR(r.folded, "pp;b 7\npp;c 9\n");
	CHECK_EQ_STR(r.st.event, "instructions");
	CHECK_EQ_STR(r.st.first_dropped_event, "cycles");
	CHECK_EQ_INT(r.st.filtered, 3);
	free(r.folded);

	/* an event line without an event is never filtered */
	CHECK_EQ_STR(fold_default("pp 1 1.0: 1 cycles:\n\tff a (m)\n\n"
				  "qq 2 cpu-clock: \n\tff b (m)\n\n"),
		     "pp;a 1\nqq;b 1\n");
	/* a dropped event line inside an open sample keeps it open (Perl) */
	CHECK_EQ_STR(fold_default("pp 1 1.0: 1 cycles:\n\tff a (m)\n"
				  "qq 1 2.0: 5 other:\n\tff b (m)\n\n"),
		     "pp;b;a 1\n");
}

static void test_collapse_periods(void)
{
	/* no period or "0" counts 1; "00" is a number (0) as in Perl */
	CHECK_EQ_STR(fold_default("pp 1 1.0: cycles:\n\n"
				  "pp 1 1.0: 0 cycles:\n\n"
				  "pp 1 1.0: 00 cycles:\n\tff z (m)\n\n"
				  "pp 1 1.0: 0007 cycles:\n\tff y (m)\n\n"),
		     "pp 2\npp;y 7\n");
	{
		struct result r;
		const char *big = "pp 1 1.0: 99999999999999999999 cycles:\n\n";
		struct perfscript_opts o;

		perfscript_opts_init(&o);
		collapse_opts(big, strlen(big), &o, &r);
		CHECK_EQ_INT(r.rc, -EBADMSG);
		CHECK_EQ_INT(r.err.line, 1);
		free(r.folded);
		big = "pp 1 1.0: 9223372036854775807 cycles:\n\npp 1 1.0: 1 cycles:\n\n";
		collapse_opts(big, strlen(big), &o, &r);
		CHECK_EQ_INT(r.rc, -EOVERFLOW);
		free(r.folded);
	}
}

static void test_collapse_frames(void)
{
	const char *in =
		"java 9 1.0: 1 cycles:\n"
		"\t1 Ljava/lang/Thread;::run (/tmp/perf-9.map)\n"
		"\t2 a->b->c (/x)\n"
		"\t3 (proc) (/x)\n"
		"\t4 +0x10 (/x)\n"
		"\t5 ->  (/x)\n"
		"\t6 [unknown] (/usr/lib/libz.so (deleted))\n"
		"\t7 net/http.(*Client).Do (/go)\n"
		"\t8 (anonymous namespace)::f(int) (/x)\n"	/* starts with '(': skipped */
		"\t9 q\"u'o;te (/x)\n"
		"\n";
	struct perfscript_opts o;

	perfscript_opts_init(&o);
	CHECK_EQ_STR(fold(in, &o),
		     "java;quo:te;net/http.(*Client).Do;[unknown] ;; _[i];a;b_[i];c_[i];"
		     "java/lang/Thread:::run 1\n");
	o.annotate_jit = 1;
	o.annotate_kernel = 1;
	CHECK_EQ_STR(fold("xx 1 1.0: 1 cycles:\n\t1 f (/tmp/perf-9.map)\n"
			  "\t2 g ([kernel.kallsyms])\n\t3 h (/tmp/jitted-1-2.so)\n\n", &o),
		     "xx;h_[j];g_[k];f_[j] 1\n");
}

static void test_collapse_names_unsafe(void)
{
	const char in[] = "pp 1 1.0: 1 cycles:\n\tff a\x1b[1mb\0c (m)\n\tff x\ty (m)\n\n";
	struct perfscript_opts o;
	struct result r;

	perfscript_opts_init(&o);
	collapse_opts(in, sizeof(in) - 1, &o, &r);
	CHECK_EQ_INT(r.rc, 0);
	CHECK_EQ_STR(r.folded, "pp;x\\x09y;a\\x1b[1mb\\x00c 1\n");
	free(r.folded);
}

static void test_collapse_templates(void)
{
	CHECK_EQ_STR(fold_default("pp 1 1.0: 1 cycles:\n"
				  "\t1 std::_Function_handler<int (int, int), main::{lambda(int, int)#1}>::_M_invoke (/p)\n"
				  "\t2 std::function<int (int, int)>::operator() (/p)\n\n"),
		     "pp;std::function<int (int, int)>::operator;"
		     "std::_Function_handler<int (int, int), main::{lambda(int, int)#1}>::_M_invoke 1\n");
}

static void test_collapse_truncated_and_empty(void)
{
	const char *in = "pp 1 1.0: 1 cycles:\n\tff a (m)\n\npp 1 1.0: 2 cycles:\n\tff b (m)";
	struct perfscript_opts o;
	struct result r;

	perfscript_opts_init(&o);
	CHECK_EQ_STR(fold(in, &o), "pp;a 1\n");
	o.keep_truncated = 1;
	CHECK_EQ_STR(fold(in, &o), "pp;a 1\npp;b 2\n");

	collapse_opts("", 0, &o, &r);
	CHECK_EQ_INT(r.rc, 0);
	CHECK_EQ_INT(r.st.samples, 0);
	CHECK_EQ_STR(r.folded, "");
	free(r.folded);
	collapse_opts("# only\n\n\n", 9, &o, &r);
	CHECK_EQ_INT(r.rc, 0);
	free(r.folded);
}

static void test_collapse_unrecognized(void)
{
	struct perfscript_opts o;
	struct result r;
	const char *bad = "hello world\nmore text\n";
	const char *empty_line =
		"cc 26037  8801.193547:     250000 cpu-clock:uhH:\n"
		"\t          401b97 main+0x1f (./c)\n"
		"\n"
		"cc 26037  8801.194312:     250000 cpu-clock:uhH:\n"
		"\n"
		"\t          401b94 main+0x1c (./c)\n";
	const char *weird =
		"cc 26037  8801.193547:     250000 cpu-clock:uhH:\n"
		"\t          401b97 main+0x1f (./c)\n"
		"\n"
		"cc 26037  8801.194312:     250000 cpu-clock:uhH:\n"
		"\t          THIS_IS_A_WEIRD_LINE\n";

	perfscript_opts_init(&o);
	collapse_opts(bad, strlen(bad), &o, &r);
	CHECK_EQ_INT(r.rc, -EBADMSG);
	CHECK_EQ_INT(r.st.unrecognized, 2);
	CHECK_EQ_INT(r.st.first_unrecognized, 1);
	CHECK_EQ_INT(r.err.line, 1);
	CHECK(strstr(r.err.msg, "no perf script samples found; first unrecognized line 1") != NULL);
	free(r.folded);

	o.keep_truncated = 1;
	/* a stack line with no sample open is counted, not used */
	collapse_opts(empty_line, strlen(empty_line), &o, &r);
	CHECK_EQ_INT(r.rc, 0);
	CHECK_EQ_INT(r.st.unrecognized, 1);
	CHECK_EQ_INT(r.st.first_unrecognized, 6);
	CHECK_EQ_STR(r.folded, "cc 250000\ncc;main 250000\n");
	free(r.folded);
	collapse_opts(weird, strlen(weird), &o, &r);
	CHECK_EQ_INT(r.rc, 0);
	CHECK_EQ_INT(r.st.unrecognized, 1);
	CHECK_EQ_INT(r.st.first_unrecognized, 5);
	CHECK_EQ_STR(r.folded, "cc 250000\ncc;main 250000\n");
	free(r.folded);
	/* stack lines of a dropped sample are not counted */
	collapse_opts("pp 1 1.0: 1 a:\n\n p 1 1.0: 1 b:\n\tff x (m)\n\n", 40, &o, &r);
	CHECK_EQ_INT(r.st.unrecognized, 0);
	CHECK_EQ_INT(r.st.filtered, 1);
	free(r.folded);
}

static void test_collapse_padded_and_single_line(void)
{
	struct perfscript_opts o;

	perfscript_opts_init(&o);
	CHECK_EQ_STR(fold("           false 39654 19115.489713:          1 cycles:u:  ffffffff9b201293 [unknown] ([unknown])\n"
			  "           false 39654 19115.489719:          1 cycles:      7fa68b1f2d84 _dl_start+0x4 (/usr/lib/ld-2.31.so)\n",
			  &o),
		     "false;[unknown] 1\nfalse;_dl_start 1\n");
	CHECK_EQ_STR(fold("    swapper     0 [000] 1.0: 5 cycles:\n\tff idle ([kernel.kallsyms])\n\n", &o),
		     "swapper;idle 5\n");
	/* one-line records end the sample before them */
	CHECK_EQ_STR(fold("pp 1 1.0: 1 cycles:\n\tff a (m)\n"
			  "qq 2 2.0: 3 cycles: ff b (m)\n", &o),
		     "pp;a 1\nqq;b 3\n");
}

static void test_collapse_group_tikv(void)
{
	const char *in =
		"raftstore-1-1 15031/15031 1.0: 10 cpu-clock:\n\tff a (m)\n\n"
		"raftstore-1-2 15031/15032 1.0: 10 cpu-clock:\n\tff a (m)\n\n"
		"unified-read-po 15031/15040 1.0: 10 cpu-clock:\n\tff b (m)\n\n"
		"snap sender1000 15031/15041 1.0: 10 cpu-clock:\n\tff c (m)\n\n"
		"tikv-server 15031/15031 1.0: 10 cpu-clock:\n\tff d (m)\n\n";
	struct perfscript_opts o;

	perfscript_opts_init(&o);
	o.group_tikv = 1;
	CHECK_EQ_STR(fold(in, &o),
		     "raftstore;a 20\nsnap-sender;c 10\ntikv-server;d 10\nunified-read-pool;b 10\n");
	o.include_tid = 1;
	CHECK_EQ_STR(fold(in, &o),
		     "raftstore-15031;a 20\nsnap-sender-15031;c 10\ntikv-server-15031;d 10\n"
		     "unified-read-pool-15031;b 10\n");
	o.include_tid = 0;
	o.include_pid = 1;
	CHECK_EQ_STR(fold(in, &o),
		     "raftstore-15031;a 20\nsnap-sender-15031;c 10\ntikv-server-15031;d 10\n"
		     "unified-read-pool-15031;b 10\n");
}

static void test_collapse_addrs(void)
{
	struct perfscript_opts o;

	perfscript_opts_init(&o);
	o.include_addrs = 1;
	CHECK_EQ_STR(fold("pp 1 1.0: 1 cycles:\n\t7f1 [unknown] (/lib/a.so)\n\t7f2 f (/lib/a.so)\n\n"
			  "pp 1 1.0: 1 cycles:\n\t7f9 [unknown] (/lib/a.so)\n\t7f2 f (/lib/a.so)\n\n", &o),
		     "pp;f;[a.so <7f1>] 1\npp;f;[a.so <7f9>] 1\n");
}

static int count_cb(void *ctx, struct profile *p, const uint32_t *frames, size_t n,
		    int64_t period)
{
	int64_t *seen = ctx;
	const struct frame *f;
	size_t len;

	if (seen[0]++ == 0) {
		CHECK_EQ_INT(n, 4);
		CHECK_EQ_INT(period, 7);
		f = profile_frame_get(p, frames[0]);
		CHECK_EQ_INT(f->kind, FRAME_ROOT);
		CHECK_EQ_STR(profile_str(p, f->name, &len), "pp");
		f = profile_frame_get(p, frames[1]);
		CHECK_EQ_INT(f->kind, FRAME_USER);
		CHECK_EQ_STR(profile_str(p, f->name, &len), "main");
		CHECK_EQ_STR(profile_str(p, f->module, &len), "/bin/p");
		CHECK_EQ_INT(f->addr, 0x401000);
		f = profile_frame_get(p, frames[2]);
		CHECK_EQ_INT(f->kind, FRAME_JIT);
		f = profile_frame_get(p, frames[3]);
		CHECK_EQ_INT(f->kind, FRAME_KERNEL);
		CHECK_EQ_STR(profile_str(p, f->name, &len), "do_sys");
	}
	return seen[0] == 2 ? 42 : 0;
}

static void test_each(void)
{
	const char *in =
		"pp 1 1.0: 7 cycles:\n"
		"\tffffffff81000000 do_sys+0x1 ([kernel.kallsyms])\n"
		"\t7f00 jitted (/tmp/perf-1.map)\n"
		"\t401000 main (/bin/p)\n\n"
		"pp 1 1.0: 7 cycles:\n\t401001 main (/bin/p)\n\n"
		"pp 1 1.0: 7 cycles:\n\t401002 main (/bin/p)\n\n";
	struct linereader *lr;
	struct profile *p = profile_new();
	struct perfscript_opts o;
	struct perfscript_stats st;
	struct tp_error err;
	int64_t seen = 0;

	perfscript_opts_init(&o);
	CHECK_EQ_INT(linereader_open_mem(&lr, "mem", in, strlen(in), &err), 0);
	CHECK_EQ_INT(perfscript_each(lr, &o, p, count_cb, &seen, &st, &err), 42);
	CHECK_EQ_INT(seen, 2);
	linereader_close(lr);
	profile_free(p);
}

static void test_collapse_one_frame_per_name(void)
{
	/* the same name from two modules and two kinds is one frame */
	const char *in = "pp 1 1.0: 1 cycles:\n\t1 f ([kernel.kallsyms])\n\n"
			 "pp 1 1.0: 1 cycles:\n\t2 f (/bin/p)\n\n";
	struct linereader *lr;
	struct profile *p = profile_new();
	struct perfscript_opts o;
	struct tp_error err;

	perfscript_opts_init(&o);
	CHECK_EQ_INT(linereader_open_mem(&lr, "mem", in, strlen(in), &err), 0);
	CHECK_EQ_INT(perfscript_collapse(lr, &o, p, NULL, &err), 0);
	CHECK_EQ_INT(profile_nstacks(p), 1);
	CHECK_EQ_INT(profile_total(p, 0), 2);
	CHECK_EQ_INT(profile_nframes(p), 2);
	linereader_close(lr);
	/* a second input into the same profile reuses the frames */
	CHECK_EQ_INT(linereader_open_mem(&lr, "mem", in, strlen(in), &err), 0);
	CHECK_EQ_INT(perfscript_collapse(lr, &o, p, NULL, &err), 0);
	CHECK_EQ_INT(profile_nstacks(p), 1);
	CHECK_EQ_INT(profile_nframes(p), 2);
	linereader_close(lr);
	profile_free(p);
}

static void test_collapse_too_deep(void)
{
	size_t n = PROFILE_MAX_DEPTH, i, len = 0;
	const char *line = "\tf a (m)\n";
	char *in = malloc(32 + n * strlen(line));
	struct perfscript_opts o;
	struct result r;

	if (!in)
		return;
	len += (size_t)sprintf(in, "pp 1 1.0: 1 cycles:\n");
	for (i = 0; i < n; i++) {
		memcpy(in + len, line, strlen(line));
		len += strlen(line);
	}
	perfscript_opts_init(&o);
	collapse_opts(in, len, &o, &r);
	CHECK_EQ_INT(r.rc, -E2BIG);
	CHECK_EQ_INT(r.err.line, (int64_t)n + 1);
	free(r.folded);
	/* one frame fewer fits */
	collapse_opts(in, len - strlen(line), &o, &r);
	CHECK_EQ_INT(r.rc, 0);
	free(r.folded);
	free(in);
}

static void test_detect(void)
{
	const char *yes[] = {
		"# ========\n# cmdline : perf\nbusy  8692   316.013618:    1001001 cpu-clock:pppH: \n\t133a f (m)\n",
		"java 1/2 1.0: cycles:\n",
		"V8 WorkerThread 25607 4794564.109216: cycles:\n\tff f (m)",
		"           false 39654 19115.489713:          1 cycles:u:  ffffffff9b201293 [unknown] ([unknown])\n",
		"func_ab 15294 cpu-clock: \n\tff f (m)\n",
		"prog 1 ",
	};
	const char *no[] = {
		"",
		"main;foo;bar 12\nmain;foo 3\n",
		"a;b 1 2\nc 3 4\n",
		"\x1f\x8b\x08",
		"hello world\n",
		"prog 1 x\nnot a stack\n",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		CHECK_EQ_INT(perfscript_detect(yes[i], strlen(yes[i])), 1);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		CHECK_EQ_INT(perfscript_detect(no[i], strlen(no[i])), 0);
}

/* ---- the driver for tests/e2e/collapse_perf.sh ---- */

static int driver(int argc, char **argv)
{
	struct perfscript_opts o;
	struct perfscript_stats st;
	struct tp_error err;
	struct linereader *lr;
	struct profile *p;
	const char *file = NULL;
	int i, rc, stats = 0;
	char msg[1024];

	perfscript_opts_init(&o);
	tp_error_init(&err);
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--pid"))
			o.include_pid = 1;
		else if (!strcmp(a, "--tid"))
			o.include_tid = 1;
		else if (!strcmp(a, "--kernel"))
			o.annotate_kernel = 1;
		else if (!strcmp(a, "--jit"))
			o.annotate_jit = 1;
		else if (!strcmp(a, "--all"))
			o.annotate_kernel = o.annotate_jit = 1;
		else if (!strcmp(a, "--addrs"))
			o.include_addrs = 1;
		else if (!strcmp(a, "--repair-rust"))
			o.repair_rust = 1;
		else if (!strcmp(a, "--keep-truncated"))
			o.keep_truncated = 1;
		else if (!strcmp(a, "--stats"))
			stats = 1;
		else if (!strcmp(a, "--group-threads") && i + 1 < argc && !strcmp(argv[i + 1], "tikv"))
			o.group_tikv = 1, i++;
		else if (!strcmp(a, "--event-filter") && i + 1 < argc)
			o.event_filter = argv[++i];
		else if (a[0] == '-' && a[1])
			return fprintf(stderr, "unknown option %s\n", a), 2;
		else
			file = a;
	}
	if (strcmp(argv[1], "collapse") != 0 || !file)
		return fprintf(stderr, "usage: %s collapse [options] FILE\n", argv[0]), 2;
	p = profile_new();
	if (!p)
		return 1;
	rc = linereader_open(&lr, file, &err);
	if (rc == 0) {
		rc = perfscript_collapse(lr, &o, p, &st, &err);
		if (stats)
			fprintf(stderr, "samples=%llu filtered=%llu unrecognized=%llu first=%lld event=%s dropped=%s\n",
				(unsigned long long)st.samples, (unsigned long long)st.filtered,
				(unsigned long long)st.unrecognized, (long long)st.first_unrecognized,
				st.event, st.first_dropped_event);
		if (rc == 0)
			rc = folded_write(p, 0, stdout, &err);
		linereader_close(lr);
	}
	if (rc < 0)
		fprintf(stderr, "%s\n", tp_error_format(&err, msg, sizeof(msg)));
	profile_free(p);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return driver(argc, argv);
	RUN(test_header_regex);
	RUN(test_event_regex);
	RUN(test_stack_regex);
	RUN(test_single_line_regex);
	RUN(test_cut_go_and_anonymous);
	RUN(test_cut_templates_and_operators);
	RUN(test_tidy);
	RUN(test_rust_repair);
	RUN(test_collapse_basic);
	RUN(test_collapse_pid_tid_forms);
	RUN(test_collapse_event_filter);
	RUN(test_collapse_periods);
	RUN(test_collapse_frames);
	RUN(test_collapse_names_unsafe);
	RUN(test_collapse_templates);
	RUN(test_collapse_truncated_and_empty);
	RUN(test_collapse_unrecognized);
	RUN(test_collapse_padded_and_single_line);
	RUN(test_collapse_group_tikv);
	RUN(test_collapse_addrs);
	RUN(test_collapse_one_frame_per_name);
	RUN(test_collapse_too_deep);
	RUN(test_each);
	RUN(test_detect);
	return CHECK_DONE();
}
