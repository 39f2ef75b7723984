/* test_chart.c - SVG line charts: ticks, determinism, escaping, gaps,
 * empty charts, limits. Well-formedness with xmllint is checked in
 * tests/e2e/report.sh. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flamegraph/report/chart.h"
#include "check.h"

static char *render(const struct chart *c, int *rc)
{
	struct tp_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	tp_error_init(&err);
	*rc = chart_render(c, fp, &err);
	fclose(fp);
	return text;
}

static size_t count(const char *s, const char *w)
{
	size_t n = 0, l = strlen(w);

	while ((s = strstr(s, w))) {
		n++;
		s += l;
	}
	return n;
}

static void test_nice_step(void)
{
	CHECK(chart_nice_step(10, 5) == 2);
	CHECK(chart_nice_step(100, 8) == 20);
	CHECK(fabs(chart_nice_step(0.7, 5) - 0.2) < 1e-12);
	CHECK(chart_nice_step(30, 8) == 5);
	CHECK(chart_nice_step(1e6, 5) == 200000);
	CHECK(chart_nice_step(0, 5) == 1);
}

static void test_basic(void)
{
	static const double x[] = { 0, 1, 2, 3, 4 }, y1[] = { 10, 55.5, 20, 80, 90 },
			    y2[] = { 5, 5, NAN, 7, 8 };
	struct chart_series s[2] = { { "sda %util", x, y1, 5 }, { "nvme0n1 %util", x, y2, 5 } };
	struct chart c = { "Disk utilisation", "seconds", "%util", 0, 0, s, 2 };
	char *a, *b;
	int rc;

	a = render(&c, &rc);
	CHECK_EQ_INT(rc, 0);
	b = render(&c, &rc);
	CHECK(a && b && strcmp(a, b) == 0);	/* deterministic */
	CHECK(strncmp(a, "<?xml", 5) == 0);
	CHECK(strstr(a, ">Disk utilisation</text>") != NULL);
	CHECK(strstr(a, ">seconds</text>") != NULL);
	/* y axis 0..100 in steps of 20 */
	CHECK(strstr(a, ">100</text>") != NULL);
	CHECK(strstr(a, ">80</text>") != NULL);
	CHECK(strstr(a, ">0</text>") != NULL);
	/* the NAN splits the second series: 3 polylines in all */
	CHECK_EQ_INT(count(a, "<polyline"), 3);
	CHECK_EQ_INT(count(a, "<title>"), 2);
	CHECK(strstr(a, "<title>nvme0n1 %util</title>") != NULL);
	CHECK(strstr(a, "no data") == NULL);
	CHECK(strstr(a, "</svg>\n") != NULL);
	free(a);
	free(b);
}

static void test_escaping(void)
{
	static const double x[] = { 0, 1 }, y[] = { 1, 2 };
	struct chart_series s = { "a<b>&\"c\"\x01'", x, y, 2 };
	struct chart c = { "<script>alert(1)</script> & co", "x & y", "<y>", 0, 0, &s, 1 };
	char *a;
	int rc;

	a = render(&c, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK(strstr(a, "<script") == NULL);
	CHECK(strstr(a, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co") != NULL);
	CHECK(strstr(a, "a&lt;b&gt;&amp;&quot;c&quot;\\x01&apos;") != NULL ||
	      strstr(a, "a&lt;b&gt;&amp;&quot;c&quot;\\x01&#39;") != NULL);
	CHECK(strchr(a, '\x01') == NULL);
	free(a);
}

static void test_empty_and_large(void)
{
	static const double x[] = { 0, 10, 20 }, y[] = { NAN, NAN, NAN },
			    big[] = { 1.2e6, 2.5e6, 3.1e6 };
	struct chart_series s = { "nothing", x, y, 3 }, sb = { "big", x, big, 3 };
	struct chart c = { "Empty", "seconds", NULL, 0, 0, &s, 1 };
	char *a;
	int rc;

	a = render(&c, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK(strstr(a, ">no data</text>") != NULL);
	CHECK_EQ_INT(count(a, "<polyline"), 0);
	free(a);
	c.nseries = 0;
	a = render(&c, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK(strstr(a, ">no data</text>") != NULL);
	free(a);
	c.series = &sb;
	c.nseries = 1;
	a = render(&c, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK(strstr(a, ">3.5M</text>") != NULL || strstr(a, ">4M</text>") != NULL);
	CHECK(strstr(a, ">1M</text>") != NULL);
	free(a);
}

static void test_limits(void)
{
	static const double x[] = { 0 }, y[] = { 1 };
	struct chart_series s[CHART_MAX_SERIES + 1];
	struct chart c = { "t", NULL, NULL, 0, 0, s, CHART_MAX_SERIES + 1 };
	char *a;
	size_t i;
	int rc;

	for (i = 0; i <= CHART_MAX_SERIES; i++) {
		s[i].name = "s";
		s[i].x = x;
		s[i].y = y;
		s[i].n = 1;
	}
	a = render(&c, &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	free(a);
	c.nseries = 1;
	c.width = 100;
	a = render(&c, &rc);
	CHECK_EQ_INT(rc, -EINVAL);
	free(a);
	/* one point: still a chart */
	c.width = 0;
	a = render(&c, &rc);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(count(a, "<polyline"), 1);
	free(a);
}

int main(void)
{
	RUN(test_nice_step);
	RUN(test_basic);
	RUN(test_escaping);
	RUN(test_empty_and_large);
	RUN(test_limits);
	return CHECK_DONE();
}
