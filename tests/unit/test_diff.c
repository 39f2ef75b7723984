#include "analyzers/model/diff.h"
#include "analyzers/model/folded.h"
#include "check.h"

static struct profile *load(const char *text)
{
	struct profile *p = profile_new();
	struct linereader *lr;
	struct folded_stats st;

	linereader_open_mem(&lr, "t", text, strlen(text), NULL);
	CHECK(folded_read(lr, p, &st, NULL) == 0);
	linereader_close(lr);
	return p;
}

static char *run(const char *a, const char *b, int normalize, int strip)
{
	struct profile *pa = load(a), *pb = load(b), *d = NULL;
	struct diff_opts o = { normalize, strip };
	char *out = NULL;
	size_t len;
	FILE *fp = open_memstream(&out, &len);

	CHECK(diff_profiles(pa, 0, pb, 0, &o, &d, NULL) == 0);
	folded_write(d, -1, fp, NULL);
	fclose(fp);
	profile_free(pa);
	profile_free(pb);
	profile_free(d);
	return out;
}

static void union_of_stacks(void)
{
	char *out = run("a;b 3\na;c 4\n", "a;b 5\nd 1\n", 0, 0);

	CHECK_EQ_STR(out, "a;b 3 5\na;c 4 0\nd 0 1\n");
	free(out);
}

static void normalize_floors(void)
{
	/* totals 65 and 80, as in difffolded's example: 14*80/65 = 17.2 */
	char *out = run("x 14\ny 51\n", "x 13\ny 67\n", 1, 0);

	CHECK_EQ_STR(out, "x 17 13\ny 62 67\n");
	free(out);
}

static void strip_hex_merges(void)
{
	char *out = run("a;0x1234;b 1\na;0xabc;b 2\n", "a;0xff;b 4\n", 0, 1);

	CHECK_EQ_STR(out, "a;0x...;b 3 4\n");
	free(out);
}

int main(void)
{
	RUN(union_of_stacks);
	RUN(normalize_floors);
	RUN(strip_hex_merges);
	return CHECK_DONE();
}
