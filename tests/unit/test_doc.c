/* test_doc.c - the report's document model: Markdown and HTML escaping,
 * code spans, tables, figures embedded in HTML (srcdoc) or linked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flamegraph/report/doc.h"
#include "check.h"

static char *md(const struct doc *d)
{
	struct tp_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	CHECK_EQ_INT(doc_write_md(d, fp, &err), 0);
	fclose(fp);
	return text;
}

static char *html(const struct doc *d, const char *dir, size_t cap)
{
	struct tp_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	CHECK_EQ_INT(doc_write_html(d, fp, "t<i>tle", dir, cap, &err), 0);
	fclose(fp);
	return text;
}

static void test_markdown(void)
{
	struct doc *d = doc_new();
	static const char *const head[] = { "Function", "Share" };
	const char *row[2] = { "\x01std::vec::Vec<T>|x`y\x02", "5.0%" };
	char *s;

	doc_heading(d, 1, "Title with *stars* and \x01" "code\x02");
	doc_para(d, "\x03" "Bold:" "\x04" " <b>not html</b> [link](x) a_b");
	doc_item(d, "one");
	doc_item(d, "two\x07");
	doc_table(d, 2, head);
	doc_row(d, row);
	doc_code(d, "a | b\n<x>");
	doc_figure(d, "chart (1)", "io util.svg", 1);
	doc_figure(d, "flame", "tidb-1.svg", 0);
	s = md(d);
	CHECK(strstr(s, "# Title with \\*stars\\* and `code`\n") != NULL);
	CHECK(strstr(s, "**Bold:** \\<b\\>not html\\</b\\> \\[link\\](x) a\\_b") != NULL);
	CHECK(strstr(s, "- one\n- two?\n\n") != NULL);
	CHECK(strstr(s, "| Function | Share |\n|---|---|\n| ``std::vec::Vec<T>\\|x`y`` | 5.0% |\n") != NULL);
	CHECK(strstr(s, "```\na | b\n<x>\n```\n") != NULL);
	CHECK(strstr(s, "![chart (1)](io%20util.svg)") != NULL);
	CHECK(strstr(s, "- [flame](tidb-1.svg)") != NULL);
	free(s);
	doc_free(d);
}

static void test_html(void)
{
	const char *dir = getenv("TEST_TMP") ? getenv("TEST_TMP") : "/tmp";
	char path[1024];
	struct doc *d = doc_new();
	FILE *fp;
	char *s;

	snprintf(path, sizeof(path), "%s/doc-test.svg", dir);
	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fputs("<?xml version=\"1.0\"?>\n<svg width=\"100\" height=\"66\"><text>a & \"b\"</text>"
	      "<script><![CDATA[var x = '<';]]></script></svg>\n", fp);
	fclose(fp);
	doc_heading(d, 2, "H <2>");
	doc_para(d, "x \x01<y>\x02 \x03" "z" "\x04 & 'q'");
	doc_item(d, "i");
	doc_figure(d, "f\"g", "doc-test.svg", 0);
	doc_figure(d, "gone", "missing.svg", 1);
	s = html(d, dir, 1 << 20);
	CHECK(strstr(s, "<title>t&lt;i&gt;tle</title>") != NULL);
	CHECK(strstr(s, "<h2>H &lt;2&gt;</h2>") != NULL);
	CHECK(strstr(s, "<p>x <code>&lt;y&gt;</code> <strong>z</strong> &amp; &#39;q&#39;</p>") != NULL);
	CHECK(strstr(s, "<ul>\n<li>i</li>\n</ul>\n") != NULL);
	/* the SVG, escaped into srcdoc, height from the file */
	CHECK(strstr(s, "style=\"height:74px\" srcdoc=\"&lt;?xml version=&quot;1.0&quot;?&gt;\n&lt;svg") != NULL);
	CHECK(strstr(s, "a &amp; &quot;b&quot;") != NULL);
	CHECK(strstr(s, "<a href=\"doc-test.svg\">doc-test.svg</a>") != NULL);
	CHECK(strstr(s, "missing.svg</a> <span class=\"note\">(file missing)</span>") != NULL);
	CHECK(strstr(s, "title=\"f&quot;g\"") != NULL);
	free(s);
	/* past the size limit: linked only */
	s = html(d, dir, 10);
	CHECK(strstr(s, "srcdoc") == NULL);
	CHECK(strstr(s, "(not embedded: the page's size limit)") != NULL);
	free(s);
	doc_free(d);
	remove(path);
}

int main(void)
{
	RUN(test_markdown);
	RUN(test_html);
	return CHECK_DONE();
}
