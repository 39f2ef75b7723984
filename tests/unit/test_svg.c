/* test_svg.c - SVG output: number formats, escaping of hostile names and
 * options, labels, pruning, layout, differential colours, determinism,
 * errors, deep stacks and size per frame. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flamegraph/flame/flametree.h"
#include "flamegraph/flame/svg.h"
#include "flamegraph/flame/svgtext.h"

extern const unsigned char flame_js[];
extern const size_t flame_js_len;
extern const unsigned char flame_css[];
extern const size_t flame_css_len;

/* ---- svgtext into a string ---- */

struct cap {
	char *data;
	size_t len;
	FILE *fp;
	struct svgtext w;
};

static void cap_open(struct cap *c)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->data, &c->len);
	CHECK(svgtext_init(&c->w, c->fp) == 0);
}

/* Flush and return the text (valid until cap_close). */
static const char *cap_text(struct cap *c)
{
	CHECK(svgtext_flush(&c->w) == 0);
	return c->data;
}

static void cap_close(struct cap *c)
{
	svgtext_free(&c->w);
	fclose(c->fp);
	free(c->data);
}

#define EXPECT_TEXT(call, expected) do { \
	struct cap c_; \
	cap_open(&c_); \
	call; \
	CHECK_EQ_STR(cap_text(&c_), expected); \
	cap_close(&c_); \
	} while (0)

static void test_numbers(void)
{
	EXPECT_TEXT(svgtext_count(&c_.w, 0), "0");
	EXPECT_TEXT(svgtext_count(&c_.w, 999), "999");
	EXPECT_TEXT(svgtext_count(&c_.w, 1000), "1,000");
	EXPECT_TEXT(svgtext_count(&c_.w, 1234567), "1,234,567");
	EXPECT_TEXT(svgtext_count(&c_.w, -1234), "-1,234");
	EXPECT_TEXT(svgtext_count(&c_.w, INT64_MAX), "9,223,372,036,854,775,807");
	EXPECT_TEXT(svgtext_int(&c_.w, INT64_MIN), "-9223372036854775808");
	EXPECT_TEXT(svgtext_num(&c_.w, 10.0, 1), "10");
	EXPECT_TEXT(svgtext_num(&c_.w, 12.25, 1), "12.3");
	EXPECT_TEXT(svgtext_num(&c_.w, 3.14159, 2), "3.14");
	EXPECT_TEXT(svgtext_num(&c_.w, 0.06, 1), "0.1");
	EXPECT_TEXT(svgtext_num(&c_.w, 0.04, 1), "0");
	EXPECT_TEXT(svgtext_num(&c_.w, 1199.99, 1), "1200");
	EXPECT_TEXT(svgtext_num(&c_.w, 7.08, 6), "7.08");
	EXPECT_TEXT(svgtext_num(&c_.w, 0.0501, 3), "0.05");
	EXPECT_TEXT(svgtext_num(&c_.w, -2.5, 1), "-2.5");
	EXPECT_TEXT(svgtext_pct(&c_.w, 1, 3), "33.33");
	EXPECT_TEXT(svgtext_pct(&c_.w, 2, 3), "66.67");
	EXPECT_TEXT(svgtext_pct(&c_.w, 0, 0), "0.00");
	EXPECT_TEXT(svgtext_pct(&c_.w, 5, 5), "100.00");
	EXPECT_TEXT(svgtext_pct(&c_.w, -1, 8), "-12.50");
	EXPECT_TEXT(svgtext_pct(&c_.w, 1, 20000), "0.01");	/* 0.005 rounds up */
	EXPECT_TEXT(svgtext_pct(&c_.w, 1, 20001), "0.00");
	EXPECT_TEXT(svgtext_pct(&c_.w, INT64_MAX, INT64_MAX), "100.00");
	EXPECT_TEXT(svgtext_pct(&c_.w, INT64_MAX / 3, INT64_MAX), "33.33");
	EXPECT_TEXT(svgtext_color(&c_.w, 0x0a0b0c), "#0a0b0c");
}

#define ESC(s, mode) svgtext_escape(&c_.w, s, sizeof(s) - 1, mode)

static void test_escape_xml(void)
{
	EXPECT_TEXT(ESC("plain_name", SVGTEXT_XML), "plain_name");
	EXPECT_TEXT(ESC("a&b<c>d\"e'f", SVGTEXT_XML), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	EXPECT_TEXT(ESC("<script>alert(1)</script>", SVGTEXT_XML),
		    "&lt;script&gt;alert(1)&lt;/script&gt;");
	EXPECT_TEXT(ESC("]]>", SVGTEXT_XML), "]]&gt;");
	EXPECT_TEXT(ESC("\x01\x1b\x7f\t\n\r", SVGTEXT_XML), "\\x01\\x1b\\x7f\\x09\\x0a\\x0d");
	EXPECT_TEXT(ESC("a\0b", SVGTEXT_XML), "a\\x00b");
	/* valid UTF-8 is kept */
	EXPECT_TEXT(ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", SVGTEXT_XML),
		    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* invalid: lone bytes, truncated, overlong, surrogate, U+FFFE, > U+10FFFF */
	EXPECT_TEXT(ESC("\xff\xfe", SVGTEXT_XML), "\\xff\\xfe");
	EXPECT_TEXT(ESC("x\xc3", SVGTEXT_XML), "x\\xc3");
	EXPECT_TEXT(ESC("\xe2\x82", SVGTEXT_XML), "\\xe2\\x82");
	EXPECT_TEXT(ESC("\xc0\xaf", SVGTEXT_XML), "\\xc0\\xaf");
	EXPECT_TEXT(ESC("\xe0\x80\xaf", SVGTEXT_XML), "\\xe0\\x80\\xaf");
	EXPECT_TEXT(ESC("\xed\xa0\x80", SVGTEXT_XML), "\\xed\\xa0\\x80");
	EXPECT_TEXT(ESC("\xef\xbf\xbe\xef\xbf\xbf", SVGTEXT_XML),
		    "\\xef\\xbf\\xbe\\xef\\xbf\\xbf");
	EXPECT_TEXT(ESC("\xf4\x90\x80\x80", SVGTEXT_XML), "\\xf4\\x90\\x80\\x80");
	EXPECT_TEXT(ESC("\x80z", SVGTEXT_XML), "\\x80z");
	/* C1 controls encoded as UTF-8 are XML characters: kept */
	EXPECT_TEXT(ESC("\xc2\x85", SVGTEXT_XML), "\xc2\x85");
}

static void test_escape_js(void)
{
	EXPECT_TEXT(ESC("samples", SVGTEXT_JS), "samples");
	EXPECT_TEXT(ESC("Function: a_b-c.d,e", SVGTEXT_JS), "Function: a_b-c.d,e");
	EXPECT_TEXT(ESC("a\"b\\", SVGTEXT_JS), "a\\u0022b\\u005c");
	EXPECT_TEXT(ESC("</script>]]>", SVGTEXT_JS),
		    "\\u003c\\u002fscript\\u003e\\u005d\\u005d\\u003e");
	EXPECT_TEXT(ESC("\xc3\xa9\xf0\x9f\x98\x80", SVGTEXT_JS), "\\u00e9\\ud83d\\ude00");
	EXPECT_TEXT(ESC("\xff\n", SVGTEXT_JS), "\\\\xff\\\\x0a");
}

static void test_columns_and_labels(void)
{
	CHECK_EQ_INT(svgtext_columns("abc", 3, 100), 3);
	CHECK_EQ_INT(svgtext_columns("\xc3\xa9", 2, 100), 1);
	CHECK_EQ_INT(svgtext_columns("\xf0\x9f\x98\x80", 4, 100), 2);
	CHECK_EQ_INT(svgtext_columns("\x01", 1, 100), 4);
	CHECK_EQ_INT(svgtext_columns("\xff\xfe", 2, 100), 8);
	CHECK(svgtext_columns("abcdefghij", 10, 3) <= 5);	/* stops early */

	EXPECT_TEXT(svgtext_label(&c_.w, "abcdef", 6, 2), "");
	EXPECT_TEXT(svgtext_label(&c_.w, "abcdef", 6, 6), "abcdef");
	EXPECT_TEXT(svgtext_label(&c_.w, "abcdef", 6, 5), "abc..");
	EXPECT_TEXT(svgtext_label(&c_.w, "abcdef", 6, 3), "a..");
	EXPECT_TEXT(svgtext_label(&c_.w, "a<b>cdef", 8, 5), "a&lt;b..");
	EXPECT_TEXT(svgtext_label(&c_.w, "\x01" "bcdef", 6, 5), "\\x0..");
	EXPECT_TEXT(svgtext_label(&c_.w, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 12, 5),
		    "\xf0\x9f\x98\x80..");
	EXPECT_TEXT(svgtext_label(&c_.w, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 8, 3), "\xc3\xa9..");
	EXPECT_TEXT(svgtext_label(&c_.w, "\xc3\xa9\xc3\xa9\xc3\xa9", 6, 3), "\xc3\xa9\xc3\xa9\xc3\xa9");
}

/* ---- whole SVGs ---- */

static uint32_t frame(struct profile *p, const char *name, size_t len)
{
	uint32_t id = 0;

	CHECK(profile_frame_named(p, name, len, FRAME_USER, &id) == 0);
	return id;
}

/* Add a ';'-separated stack (names may not contain ';' here). */
static void add(struct flametree *t, struct profile *p, const char *stack, int64_t v0, int64_t v1)
{
	uint32_t frames[64];
	int64_t vals[2] = { v0, v1 };
	const char *s = stack;
	size_t n = 0;

	while (*s) {
		const char *e = strchr(s, ';');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		frames[n++] = frame(p, s, len);
		s += len + (e ? 1 : 0);
	}
	CHECK(flametree_add(t, frames, n, vals) == 0);
}

static char *render(const struct flametree *t, const struct svg_opts *o, size_t *len, int *rc)
{
	struct tp_error err;
	char *data = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&data, &n);

	tp_error_init(&err);
	*rc = svg_render(t, o, fp, &err);
	fclose(fp);
	if (len)
		*len = n;
	return data;
}

/* Occurrences of needle; memmem over the known length, so that a large
 * output is scanned once (a strstr loop is quadratic under ASan, which
 * measures the whole haystack on every call). */
static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, nl = strlen(needle);
	const char *end = hay + strlen(hay);

	while ((hay = memmem(hay, (size_t)(end - hay), needle, nl)) != NULL) {
		n++;
		hay += nl;
	}
	return n;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		size_t j;

		if (!k || i + k > n)
			return 0;
		if (c < 0x20 && c != '\n' && c != '\t')
			return 0;
		for (j = 1; j < k; j++)
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

static void test_hostile(void)
{
	static const char nasty[] = "x\0y";
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	struct svg_opts o;
	uint32_t f[2];
	int64_t one = 1;
	size_t len;
	char *s;
	int rc;

	add(t, p, "<script>alert(1)</script>", 5, 0);
	add(t, p, "a&b;\x1b[31mred;q\"uote'", 3, 0);
	add(t, p, "\xff\xfe bad;]]>;--><!--", 2, 0);
	f[0] = frame(p, nasty, sizeof(nasty) - 1);
	f[1] = frame(p, "\xed\xa0\x80surrogate", 12);
	CHECK(flametree_add(t, f, 2, &one) == 0);
	svg_opts_init(&o);
	o.title = "<script>alert(2)</script>";
	o.subtitle = "& \"sub\" 'title' \x07";
	o.notes = "--><script>alert(3)</script><!--";
	o.countname = "<b>ms</b>";
	o.nametype = "\"'</script>";
	o.fonttype = "Verdana\"><script>alert(4)</script>";
	o.minwidth = 0;
	s = render(t, &o, &len, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(strlen(s), len);		/* no NUL byte */
	CHECK(valid_utf8((const unsigned char *)s, len));
	CHECK_EQ_INT(count(s, "<script"), 1);
	CHECK_EQ_INT(count(s, "]]>"), 2);	/* the two CDATA ends: style, script */
	CHECK(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt; (5 &lt;b&gt;ms&lt;/b&gt;, 45.45%)"));
	CHECK(strstr(s, ">&lt;script&gt;alert(2)&lt;/script&gt;</text>"));
	CHECK(strstr(s, "<desc>--&gt;&lt;script&gt;alert(3)&lt;/script&gt;&lt;!--</desc>"));
	CHECK(strstr(s, "font-family=\"Verdana&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;\""));
	CHECK(strstr(s, ">&amp; &quot;sub&quot; &#39;title&#39; \\x07</text>"));
	CHECK(strstr(s, "<title>\\x1b[31mred ("));
	CHECK(strstr(s, "<title>\\xff\\xfe bad ("));
	CHECK(strstr(s, "<title>]]&gt; ("));
	CHECK(strstr(s, "<title>x\\x00y ("));
	CHECK(strstr(s, "<title>\\xed\\xa0\\x80surrogate ("));
	CHECK(strstr(s, "cn:\"\\u003cb\\u003ems\\u003c\\u002fb\\u003e\""));
	CHECK(strstr(s, "nt:\"\\u0022\\u0027\\u003c\\u002fscript\\u003e\""));
	free(s);
	flametree_free(t);
	profile_free(p);
}

static void test_layout(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	struct svg_opts o;
	char *s;
	int rc;

	add(t, p, "main;work", 3, 0);
	add(t, p, "main", 1, 0);
	svg_opts_init(&o);
	s = render(t, &o, NULL, &rc);
	CHECK_EQ_INT(rc, 0);
	/* 3 levels: height = 3 * 16 + 36 + 34 */
	CHECK(strstr(s, "width=\"1200\" height=\"118\" viewBox=\"0 0 1200 118\""));
	CHECK(strstr(s, ">Flame Graph</text>"));
	CHECK(strstr(s, "<g><title>all (4 samples, 100.00%)</title><rect x=\"10\" y=\"69\" "
			"width=\"1180\" height=\"15\" fill=\"#"));
	CHECK(strstr(s, "<text x=\"13\" y=\"81\">all</text></g>"));
	CHECK(strstr(s, "<g><title>work (3 samples, 75.00%)</title><rect x=\"10\" y=\"37\" "
			"width=\"885\" height=\"15\""));
	CHECK(strstr(s, "var fgcfg={xpad:10,W:1180,y0:69,dy:-16,ty:12,cw:7.08,diff:0,"
			"cn:\"samples\",nt:\"Function:\"};"));
	free(s);

	o.inverted = 1;
	o.subtitle = "sub";
	s = render(t, &o, NULL, &rc);
	CHECK(strstr(s, ">Icicle Graph</text>"));
	CHECK(strstr(s, "<g><title>all (4 samples, 100.00%)</title><rect x=\"10\" y=\"60\" "));
	CHECK(strstr(s, "<g><title>work (3 samples, 75.00%)</title><rect x=\"10\" y=\"92\" "));
	CHECK(strstr(s, "y0:60,dy:16,"));
	free(s);
	flametree_free(t);

	t = flametree_new(p, 1, 1);
	add(t, p, "main", 1, 0);
	svg_opts_init(&o);
	s = render(t, &o, NULL, &rc);
	CHECK(strstr(s, ">Flame Chart</text>"));
	free(s);
	flametree_free(t);
	profile_free(p);
}

/* Narrow frames are left out; a following sibling records the gap. */
static void test_minwidth(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	struct svg_opts o;
	char *s;
	int rc;

	add(t, p, "root;a_tiny", 1, 0);
	add(t, p, "root;a_tiny;under_tiny", 1, 0);
	add(t, p, "root;b_big", 99998, 0);
	add(t, p, "root;c_small", 10, 0);
	svg_opts_init(&o);
	s = render(t, &o, NULL, &rc);	/* 0.1 px = 8.5 samples */
	CHECK_EQ_INT(rc, 0);
	CHECK(!strstr(s, "a_tiny"));
	CHECK(!strstr(s, "under_tiny"));
	CHECK(strstr(s, "<g o=\"2\"><title>b_big (99,998 samples, 99.99%)"));
	CHECK(strstr(s, "<g><title>c_small (10 samples, 0.01%)"));
	free(s);

	o.minwidth = 0;
	s = render(t, &o, NULL, &rc);
	CHECK(strstr(s, "<g><title>a_tiny (2 samples"));
	CHECK(strstr(s, "<g><title>under_tiny (1 samples"));
	CHECK(strstr(s, "<g><title>b_big ("));
	CHECK(!strstr(s, "<g o="));
	free(s);

	o.minwidth = 0.02;
	o.minwidth_pct = 1;	/* 0.02% = 20.002 samples */
	s = render(t, &o, NULL, &rc);
	CHECK(!strstr(s, "c_small"));
	CHECK(strstr(s, "<g o=\"2\"><title>b_big ("));
	free(s);

	o.minwidth = 100;	/* only frames of 100% */
	s = render(t, &o, NULL, &rc);
	CHECK(strstr(s, "<title>root ("));
	CHECK(!strstr(s, "b_big"));
	free(s);
	flametree_free(t);
	profile_free(p);
}

static void test_differential(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 2, 0);
	struct svg_opts o;
	char *s;
	int rc;

	add(t, p, "a;b", 1, 3);
	add(t, p, "a;c", 4, 2);
	add(t, p, "a;d", 1, 1);
	svg_opts_init(&o);
	s = render(t, &o, NULL, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK(strstr(s, "<title>b (3 samples, 50.00%; +33.33%)</title><rect x=\"10\" y=\"37\" "
			"width=\"590\" height=\"15\" fill=\"#ff0000\"/>"));
	CHECK(strstr(s, "<title>c (2 samples, 33.33%; -33.33%)</title>"));
	CHECK(strstr(s, "fill=\"#0000ff\""));
	CHECK(strstr(s, "<title>d (1 samples, 16.67%; 0.00%)</title>"));
	CHECK(strstr(s, "<title>a (6 samples, 100.00%; 0.00%)</title>"));
	CHECK(strstr(s, "diff:1,"));
	free(s);
	o.negate = 1;
	s = render(t, &o, NULL, &rc);
	CHECK(strstr(s, "<title>b (3 samples, 50.00%; +33.33%)</title><rect x=\"10\" y=\"37\" "
			"width=\"590\" height=\"15\" fill=\"#0000ff\"/>"));
	free(s);
	flametree_free(t);
	profile_free(p);
}

static void test_deterministic(void)
{
	static const char *const stacks[] = {
		"m;b;x", "m;a", "m;c;y;z", "n", "m;b", "m;a;q", "n;r",
	};
	struct profile *p = profile_new();
	struct flametree *t1 = flametree_new(p, 1, 0), *t2 = flametree_new(p, 1, 0);
	struct svg_opts o;
	size_t l1, l2, l3, i;
	char *a, *b, *c;
	int rc;

	for (i = 0; i < 7; i++)
		add(t1, p, stacks[i], (int64_t)i + 1, 0);
	for (i = 7; i-- > 0;)
		add(t2, p, stacks[i], (int64_t)i + 1, 0);
	svg_opts_init(&o);
	o.minwidth = 0;
	a = render(t1, &o, &l1, &rc);
	b = render(t1, &o, &l2, &rc);
	c = render(t2, &o, &l3, &rc);	/* other input order, same graph */
	CHECK(l1 == l2 && memcmp(a, b, l1) == 0);
	CHECK(l1 == l3 && memcmp(a, c, l1) == 0);
	free(a);
	free(b);
	free(c);
	flametree_free(t1);
	flametree_free(t2);
	profile_free(p);
}

static void test_errors(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	struct svg_opts o;
	struct tp_error err;
	FILE *full;
	char *s;
	int rc;

	add(t, p, "main", 1, 0);
	svg_opts_init(&o);
	o.colors = "nope";
	s = render(t, &o, NULL, &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	free(s);
	tp_error_init(&err);
	full = fopen("/dev/null", "w");
	CHECK_EQ_INT(svg_render(t, &o, full, &err), -EINVAL);
	CHECK(strstr(err.msg, "\"nope\"") != NULL);
	fclose(full);

	svg_opts_init(&o);
	o.bgcolors = "pink";
	s = render(t, &o, NULL, &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	free(s);
	svg_opts_init(&o);
	o.width = 20;
	s = render(t, &o, NULL, &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	free(s);
	svg_opts_init(&o);
	o.frameheight = 0;
	s = render(t, &o, NULL, &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	free(s);
	svg_opts_init(&o);
	o.fontsize = 0;
	s = render(t, &o, NULL, &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	free(s);
	svg_opts_init(&o);
	o.minwidth = 101;
	o.minwidth_pct = 1;
	s = render(t, &o, NULL, &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	free(s);

	full = fopen("/dev/full", "w");
	if (full) {
		svg_opts_init(&o);
		tp_error_init(&err);
		CHECK_EQ_INT(svg_render(t, &o, full, &err), -EIO);
		CHECK_EQ_INT(err.code, -EIO);
		fclose(full);
	}
	flametree_free(t);
	profile_free(p);
}

static void test_empty(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	struct svg_opts o;
	char *s;
	int rc;

	svg_opts_init(&o);
	s = render(t, &o, NULL, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK(strstr(s, "<g id=\"frames\">\n</g>"));
	CHECK(strstr(s, "</svg>\n"));
	free(s);
	flametree_free(t);
	profile_free(p);
}

static void test_deep(void)
{
	enum { DEPTH = 100000 };
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	uint32_t *frames = malloc(DEPTH * sizeof(*frames));
	struct svg_opts o;
	char *s, buf[64];
	int64_t v = 3;
	size_t i, len;
	int rc;

	for (i = 0; i < DEPTH; i++) {
		snprintf(buf, sizeof(buf), "f%zu", i % 1000);
		frames[i] = frame(p, buf, strlen(buf));
	}
	CHECK(flametree_add(t, frames, DEPTH, &v) == 0);
	svg_opts_init(&o);
	o.minwidth = 0;
	s = render(t, &o, &len, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(count(s, "<g><title>"), DEPTH + 1);
	snprintf(buf, sizeof(buf), "height=\"%d\"", (DEPTH + 1) * 16 + 36 + 34);
	CHECK(strstr(s, buf) != NULL);
	free(s);
	free(frames);
	flametree_free(t);
	profile_free(p);
}

/* Frame markup stays well under FlameGraph's ~200 bytes per frame. */
static void test_size_per_frame(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0), *empty = flametree_new(p, 1, 0);
	struct svg_opts o;
	size_t base, len, i;
	char name[64];
	char *s;
	int rc;

	add(empty, p, "process_name", 1000000, 0);
	for (i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "process_name;function_%zu", i * 7);
		add(t, p, name, 500 + (int64_t)i % 7, 0);
	}
	svg_opts_init(&o);
	o.minwidth = 0;
	free(render(empty, &o, &base, &rc));
	s = render(t, &o, &len, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(count(s, "<title>function_"), 2000);
	CHECK((len - base) / 2000 < 130);
	free(s);
	flametree_free(t);
	flametree_free(empty);
	profile_free(p);
}

static void test_assets(void)
{
	CHECK(flame_js_len > 1000);
	CHECK(flame_css_len > 100);
	CHECK(memmem(flame_js, flame_js_len, "]]>", 3) == NULL);
	CHECK(memmem(flame_css, flame_css_len, "]]>", 3) == NULL);
	CHECK(memmem(flame_css, flame_css_len, "<", 1) == NULL);
}

int main(void)
{
	RUN(test_numbers);
	RUN(test_escape_xml);
	RUN(test_escape_js);
	RUN(test_columns_and_labels);
	RUN(test_hostile);
	RUN(test_layout);
	RUN(test_minwidth);
	RUN(test_differential);
	RUN(test_deterministic);
	RUN(test_errors);
	RUN(test_empty);
	RUN(test_deep);
	RUN(test_size_per_frame);
	RUN(test_assets);
	return CHECK_DONE();
}
