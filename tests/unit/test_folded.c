#include "analyzers/model/folded.h"
#include "check.h"
#include <errno.h>

/* Read text as folded, write it back; returns malloc'd output. */
static char *roundtrip(const char *text, size_t len, int *rc, struct folded_stats *st,
		       struct tp_error *err)
{
	struct linereader *lr;
	struct profile *p = profile_new();
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp = open_memstream(&out, &outlen);

	tp_error_init(err);
	linereader_open_mem(&lr, "in.folded", text, len, NULL);
	*rc = folded_read(lr, p, st, err);
	if (*rc == 0)
		*rc = folded_write(p, -1, fp, err);
	fclose(fp);
	linereader_close(lr);
	profile_free(p);
	return out;
}

static void sorts_and_merges(void)
{
	const char *in = "b;c 2\na;x 1\nb;c 3\na 4\n\n";
	struct folded_stats st;
	struct tp_error err;
	int rc;
	char *out = roundtrip(in, strlen(in), &rc, &st, &err);

	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_STR(out, "a 4\na;x 1\nb;c 5\n");
	CHECK_EQ_INT(st.lines, 4);
	CHECK_EQ_INT(st.columns, 1);
	free(out);
}

static void roundtrip_exact(void)
{
	const char *in = "a b;c (x, y)<T> 7\nmain;std::vector<int>::push_back 10\nx;y 18446744073\n";
	struct folded_stats st;
	struct tp_error err;
	int rc;
	char *once = roundtrip(in, strlen(in), &rc, &st, &err);
	char *twice = roundtrip(once, strlen(once), &rc, &st, &err);

	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_STR(once, in);
	CHECK_EQ_STR(twice, once);
	free(once);
	free(twice);
}

/* One white space separates the count, so names may end in spaces. */
static void trailing_spaces_kept(void)
{
	const char *in = "a;  3\nb ;c 1\n";
	struct folded_stats st;
	struct tp_error err;
	int rc;
	char *out = roundtrip(in, strlen(in), &rc, &st, &err);

	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_STR(out, in);
	free(out);
}

static void two_columns(void)
{
	const char *in = "a;b 1 2\na;c 0 5\n";
	struct folded_stats st;
	struct tp_error err;
	int rc;
	char *out = roundtrip(in, strlen(in), &rc, &st, &err);

	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(st.columns, 2);
	CHECK_EQ_STR(out, in);
	free(out);
	CHECK_EQ_INT(folded_columns(in, strlen(in)), 2);
	CHECK_EQ_INT(folded_columns("x 3\n", 4), 1);
}

static void bad_lines_skipped(void)
{
	const char *in = "a;b 1\nno count here\na;b 2.75\n-5\nc -3\n";
	struct folded_stats st;
	struct tp_error err;
	int rc;
	char *out = roundtrip(in, strlen(in), &rc, &st, &err);

	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_STR(out, "a;b 3\n");
	CHECK_EQ_INT(st.ignored, 3);
	CHECK_EQ_INT(st.first_ignored, 2);
	CHECK_EQ_INT(st.fractional, 1);
	free(out);
}

static void nothing_parsable_is_an_error(void)
{
	const char *in = "hello\nworld\n";
	struct folded_stats st;
	struct tp_error err;
	int rc;
	char *out = roundtrip(in, strlen(in), &rc, &st, &err);

	CHECK_EQ_INT(rc, -EBADMSG);
	CHECK_EQ_STR(err.file, "in.folded");
	CHECK_EQ_INT(err.line, 1);
	free(out);
	out = roundtrip("", 0, &rc, &st, &err);
	CHECK_EQ_INT(rc, 0);
	CHECK(out && out[0] == '\0');
	free(out);
}

static void huge_count_is_an_error(void)
{
	const char *in = "a 1\nb 99999999999999999999\n";
	struct folded_stats st;
	struct tp_error err;
	int rc;
	char *out = roundtrip(in, strlen(in), &rc, &st, &err);

	CHECK_EQ_INT(rc, -ERANGE);
	CHECK_EQ_INT(err.line, 2);
	free(out);
	in = "a 9223372036854775807\na 1\n";
	out = roundtrip(in, strlen(in), &rc, &st, &err);
	CHECK_EQ_INT(rc, -EOVERFLOW);
	CHECK_EQ_INT(err.line, 2);
	free(out);
}

static void unsafe_names_escaped(void)
{
	const char in[] = "a\x01" "b;c\0d 3\n";
	struct folded_stats st;
	struct tp_error err;
	struct buf b;
	int rc;
	char *out = roundtrip(in, sizeof(in) - 1, &rc, &st, &err);

	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_STR(out, "a\\x01b;c\\x00d 3\n");
	free(out);
	buf_init(&b, 0);
	CHECK(folded_safe_name("x;y\n", 4, 1, &b) == 0);
	CHECK_EQ_STR(b.data, "x:y\\x0a");
	/* a name that ends like a count would change the columns */
	buf_reset(&b);
	CHECK(folded_safe_name("b 12", 4, 1, &b) == 0);
	CHECK_EQ_STR(b.data, "b\\x2012");
	CHECK(folded_name_is_safe(b.data, b.len, 1));
	CHECK(folded_name_is_safe("b 12", 4, 0));	/* fine inside a stack */
	buf_reset(&b);
	CHECK(folded_safe_name("f 1.5 x", 7, 1, &b) == 0);
	CHECK_EQ_STR(b.data, "f 1.5 x");
	buf_reset(&b);
	CHECK(folded_safe_name("trailing ", 9, 1, &b) == 0);
	CHECK_EQ_STR(b.data, "trailing ");
	CHECK(!folded_name_is_safe("x;y", 3, 0));
	CHECK(folded_name_is_safe(b.data, b.len, 1));
	buf_free(&b);
}

static void detect(void)
{
	const char *folded = "main;a;b 12\nmain;c 3\n";
	const char *perf = "busy  8692   316.013618:    1001001 cpu-clock:pppH: \n\t 133a f (/x)\n";

	CHECK(folded_detect(folded, strlen(folded)));
	CHECK(!folded_detect(perf, strlen(perf)));
	CHECK(!folded_detect("\x1f\x8b\x08\x00", 4));
	CHECK(!folded_detect("# comment\n", 10));
	CHECK(folded_detect("single 1", 8));
}

int main(void)
{
	RUN(sorts_and_merges);
	RUN(roundtrip_exact);
	RUN(trailing_spaces_kept);
	RUN(two_columns);
	RUN(bad_lines_skipped);
	RUN(nothing_parsable_is_an_error);
	RUN(huge_count_is_an_error);
	RUN(unsafe_names_escaped);
	RUN(detect);
	return CHECK_DONE();
}
