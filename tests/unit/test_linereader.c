#include "analyzers/base/linereader.h"
#include "check.h"
#include <errno.h>
#include <zlib.h>

static int collect(struct linereader *lr, char *out, size_t cap, int *nlines)
{
	const char *line;
	size_t len, used = 0;
	int r;

	*nlines = 0;
	out[0] = '\0';
	while ((r = linereader_next(lr, &line, &len, NULL)) > 0) {
		if (used + len + 2 < cap) {
			memcpy(out + used, line, len);
			used += len;
			out[used++] = '|';
			out[used] = '\0';
		}
		(*nlines)++;
	}
	return r;
}

static void plain_lines(void)
{
	struct linereader *lr;
	char out[256];
	int n;
	const char *text = "a\nbb\n\nccc";

	CHECK(linereader_open_mem(&lr, "mem", text, strlen(text), NULL) == 0);
	CHECK(collect(lr, out, sizeof(out), &n) == 0);
	CHECK_EQ_STR(out, "a|bb||ccc|");
	CHECK_EQ_INT(n, 4);
	CHECK_EQ_INT(linereader_lineno(lr), 4);
	CHECK(!linereader_is_gzip(lr));
	linereader_close(lr);
}

static void long_lines_grow_and_cap(void)
{
	struct linereader *lr;
	struct tp_error err;
	const char *line;
	size_t len, n = 3 << 20;
	char *big = malloc(n + 3);

	memset(big, 'x', n);
	big[n] = '\n';
	big[n + 1] = 'y';
	big[n + 2] = '\n';
	CHECK(linereader_open_mem(&lr, "big", big, n + 3, NULL) == 0);
	CHECK(linereader_next(lr, &line, &len, NULL) == 1 && len == n);
	CHECK(linereader_next(lr, &line, &len, NULL) == 1 && len == 1 && line[0] == 'y');
	CHECK(linereader_next(lr, &line, &len, NULL) == 0);
	linereader_close(lr);

	CHECK(linereader_open_mem(&lr, "big", big, n + 3, NULL) == 0);
	linereader_set_max_line(lr, 1 << 20);
	tp_error_init(&err);
	CHECK(linereader_next(lr, &line, &len, &err) == -E2BIG);
	CHECK_EQ_STR(err.file, "big");
	CHECK_EQ_INT(err.line, 1);
	linereader_close(lr);
	free(big);
}

static size_t gz(const char *text, unsigned char *out, size_t cap)
{
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (unsigned char *)text;
	zs.avail_in = (uInt)strlen(text);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	return cap - zs.avail_out;
}

static void gzip_members_and_errors(void)
{
	unsigned char data[512];
	size_t a, b;
	struct linereader *lr;
	struct tp_error err;
	char out[256];
	int n;

	a = gz("one\ntwo\n", data, sizeof(data));
	b = gz("three\n", data + a, sizeof(data) - a);
	CHECK(linereader_open_mem(&lr, "z", data, a + b, NULL) == 0);
	CHECK(linereader_is_gzip(lr));
	CHECK(collect(lr, out, sizeof(out), &n) == 0);
	CHECK_EQ_STR(out, "one|two|three|");
	linereader_close(lr);

	/* truncated */
	CHECK(linereader_open_mem(&lr, "t.gz", data, a - 6, NULL) == 0);
	tp_error_init(&err);
	CHECK(collect(lr, out, sizeof(out), &n) == -EBADMSG);
	linereader_close(lr);
	/* trailing garbage */
	memcpy(data + a, "garbage!", 8);
	CHECK(linereader_open_mem(&lr, "g.gz", data, a + 8, NULL) == 0);
	CHECK(collect(lr, out, sizeof(out), &n) == -EBADMSG);
	linereader_close(lr);
	/* corrupt deflate data */
	a = gz("hello world hello world\n", data, sizeof(data));
	data[12] ^= 0xff;
	data[13] ^= 0xff;
	CHECK(linereader_open_mem(&lr, "c.gz", data, a, NULL) == 0);
	CHECK(collect(lr, out, sizeof(out), &n) == -EBADMSG);
	linereader_close(lr);
}

static void peek_does_not_consume(void)
{
	struct linereader *lr;
	const char *p, *line;
	size_t n, len;

	CHECK(linereader_open_mem(&lr, "m", "abc\ndef\n", 8, NULL) == 0);
	CHECK(linereader_peek(lr, 5, &p, &n, NULL) == 0 && n == 5 && memcmp(p, "abc\nd", 5) == 0);
	CHECK(linereader_next(lr, &line, &len, NULL) == 1 && len == 3);
	CHECK(linereader_peek(lr, 100, &p, &n, NULL) == 0 && n == 4);
	linereader_close(lr);
	CHECK(linereader_open(&lr, "/nonexistent/file", NULL) == -ENOENT);
	linereader_close(NULL);
}

int main(void)
{
	RUN(plain_lines);
	RUN(long_lines_grow_and_cap);
	RUN(gzip_members_and_errors);
	RUN(peek_does_not_consume);
	return CHECK_DONE();
}
