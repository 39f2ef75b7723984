/* test_gzip.c - whole-buffer gzip: members, damage, caps, compression. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"
#include "analyzers/base/gzip.h"
#include "check.h"

/* gzip'd copy of p[0..n) in b (fresh). */
static void gz(struct buf *b, const void *p, size_t n)
{
	struct tp_error err;

	buf_init(b, 0);
	tp_error_init(&err);
	CHECK_EQ_INT(gzip_compress(p, n, 6, b, &err), 0);
}

/* A gzip member of n zero bytes, made without holding them. */
static void gz_zeros(struct buf *b, size_t n)
{
	static uint8_t zero[1 << 16];
	z_stream z;
	uint8_t out[1 << 16];
	int zr;

	buf_init(b, 0);
	memset(&z, 0, sizeof(z));
	CHECK(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	do {
		size_t chunk = n < sizeof(zero) ? n : sizeof(zero);

		n -= chunk;
		z.next_in = zero;
		z.avail_in = (uInt)chunk;
		do {
			z.next_out = out;
			z.avail_out = sizeof(out);
			zr = deflate(&z, n ? Z_NO_FLUSH : Z_FINISH);
			buf_append(b, out, sizeof(out) - z.avail_out);
		} while (z.avail_out == 0);
	} while (n);
	CHECK_EQ_INT(zr, Z_STREAM_END);
	deflateEnd(&z);
}

static int inflate_buf(const struct buf *in, const struct gzip_opts *o, uint8_t **out,
		       size_t *n, struct tp_error *err)
{
	tp_error_init(err);
	return gzip_decompress(in->data, in->len, o, out, n, err);
}

static void test_roundtrip(void)
{
	static char text[100000];
	struct tp_error err;
	struct buf b;
	uint8_t *out;
	size_t i, n;

	for (i = 0; i < sizeof(text); i++)
		text[i] = (char)("abcdefgh;\n"[i % 10] + (i % 7 == 0) + (char)(i >> 12));
	gz(&b, text, sizeof(text));
	CHECK(gzip_detect(b.data, b.len));
	CHECK_EQ_INT(inflate_buf(&b, NULL, &out, &n, &err), 0);
	CHECK_EQ_INT(n, sizeof(text));
	CHECK(memcmp(out, text, n) == 0);
	CHECK_EQ_INT(out[n], 0);
	free(out);
	buf_free(&b);
}

static void test_members(void)
{
	struct tp_error err;
	struct buf a, b, e;
	uint8_t *out;
	size_t n;

	gz(&a, "hello ", 6);
	gz(&b, "world", 5);
	gz(&e, "", 0);
	buf_append(&a, e.data, e.len);		/* an empty member in the middle */
	buf_append(&a, b.data, b.len);
	CHECK_EQ_INT(inflate_buf(&a, NULL, &out, &n, &err), 0);
	CHECK_EQ_INT(n, 11);
	CHECK(memcmp(out, "hello world", 11) == 0);
	free(out);
	/* a lone empty member decompresses to nothing */
	CHECK_EQ_INT(inflate_buf(&e, NULL, &out, &n, &err), 0);
	CHECK_EQ_INT(n, 0);
	CHECK(out != NULL);
	free(out);
	buf_free(&a);
	buf_free(&b);
	buf_free(&e);
}

static void test_damage(void)
{
	struct tp_error err;
	struct buf b, two;
	uint8_t *out = (uint8_t *)1;
	size_t n, cut;

	gz(&b, "some profile bytes, some profile bytes", 38);
	/* every truncation is an error, never a crash */
	for (cut = 1; cut < b.len; cut++) {
		struct buf t = b;

		t.len = cut;
		CHECK_EQ_INT(inflate_buf(&t, NULL, &out, &n, &err), -EBADMSG);
		CHECK(out == NULL);
		if (cut >= 10)
			CHECK(strstr(err.msg, "truncated") != NULL);
	}
	/* CRC-32 and length in the trailer */
	b.data[b.len - 8] ^= 1;
	CHECK_EQ_INT(inflate_buf(&b, NULL, &out, &n, &err), -EBADMSG);
	CHECK(strstr(err.msg, "CRC-32 mismatch") != NULL);
	b.data[b.len - 8] ^= 1;
	b.data[b.len - 1] ^= 1;
	CHECK_EQ_INT(inflate_buf(&b, NULL, &out, &n, &err), -EBADMSG);
	CHECK(strstr(err.msg, "length") != NULL);
	b.data[b.len - 1] ^= 1;
	/* bad header */
	b.data[2] = 7;
	CHECK_EQ_INT(inflate_buf(&b, NULL, &out, &n, &err), -EBADMSG);
	CHECK(strstr(err.msg, "bad header") != NULL);
	b.data[2] = 8;
	/* trailing garbage, also when it is zero padding */
	two = b;
	two.data = NULL;
	buf_init(&two, 0);
	buf_append(&two, b.data, b.len);
	buf_append(&two, "junk", 4);
	CHECK_EQ_INT(inflate_buf(&two, NULL, &out, &n, &err), -EBADMSG);
	CHECK(strstr(err.msg, "trailing garbage: 4 bytes after gzip member 1") != NULL);
	CHECK_EQ_INT(err.offset, (int64_t)b.len);
	two.len = b.len;
	buf_append(&two, "\0\0\0\0", 4);
	CHECK_EQ_INT(inflate_buf(&two, NULL, &out, &n, &err), -EBADMSG);
	/* a second member that is cut short names member 2 */
	two.len = b.len;
	buf_append(&two, b.data, b.len - 3);
	CHECK_EQ_INT(inflate_buf(&two, NULL, &out, &n, &err), -EBADMSG);
	CHECK(strstr(err.msg, "member 2") != NULL);
	/* not gzip, empty */
	two.len = 0;
	buf_append(&two, "hello", 5);
	CHECK_EQ_INT(inflate_buf(&two, NULL, &out, &n, &err), -EBADMSG);
	CHECK(strstr(err.msg, "not gzip") != NULL);
	two.len = 0;
	CHECK_EQ_INT(inflate_buf(&two, NULL, &out, &n, &err), -EBADMSG);
	CHECK(strstr(err.msg, "empty") != NULL);
	CHECK(!gzip_detect("\x1f", 1));
	buf_free(&two);
	buf_free(&b);
}

static void test_size_cap(void)
{
	struct gzip_opts o = { 50000, 0 };
	struct tp_error err;
	struct buf b;
	uint8_t *out;
	size_t n;

	gz_zeros(&b, 100000);
	CHECK_EQ_INT(inflate_buf(&b, &o, &out, &n, &err), -EFBIG);
	CHECK_EQ_STR(err.msg, "decompressed size exceeds 50000 bytes (use --max-size)");
	CHECK(out == NULL);
	o.max_size = 100000;		/* exactly at the cap is fine */
	CHECK_EQ_INT(inflate_buf(&b, &o, &out, &n, &err), 0);
	CHECK_EQ_INT(n, 100000);
	free(out);
	o.max_size = 99999;
	CHECK_EQ_INT(inflate_buf(&b, &o, &out, &n, &err), -EFBIG);
	buf_free(&b);
}

static void test_ratio_cap(void)
{
	struct gzip_opts o = { 0, 10 };
	struct tp_error err;
	struct buf b;
	uint8_t *out;
	size_t n;

	/* 2 MiB of zeros compress about 1000:1 */
	gz_zeros(&b, 2 << 20);
	CHECK_EQ_INT(inflate_buf(&b, &o, &out, &n, &err), -EFBIG);
	CHECK(strstr(err.msg, "exceeds 1048576 bytes (10 times the compressed size; "
		     "use --max-size)") != NULL);
	o.max_ratio = GZIP_NO_RATIO;
	CHECK_EQ_INT(inflate_buf(&b, &o, &out, &n, &err), 0);
	CHECK_EQ_INT(n, 2 << 20);
	free(out);
	/* ... and so does the default ratio (1000) */
	CHECK_EQ_INT(inflate_buf(&b, NULL, &out, &n, &err), -EFBIG);
	buf_free(&b);
	/* but outputs up to 1 MiB always pass the ratio test */
	gz_zeros(&b, 1 << 20);
	CHECK_EQ_INT(inflate_buf(&b, NULL, &out, &n, &err), 0);
	free(out);
	buf_free(&b);

	CHECK_EQ_INT(gzip_limit(100, NULL), GZIP_RATIO_FLOOR);
	CHECK_EQ_INT(gzip_limit(10 << 20, NULL), GZIP_DEFAULT_MAX_SIZE);
	CHECK_EQ_INT(gzip_limit(100000, NULL), 100000 * 1000);
	CHECK(gzip_limit(SIZE_MAX / 2, NULL) == GZIP_DEFAULT_MAX_SIZE);
	o.max_size = SIZE_MAX;
	o.max_ratio = GZIP_NO_RATIO;
	CHECK(gzip_limit(5, &o) == SIZE_MAX - 1);
}

/* Outputs past GZIP_DIRECT_MAX are measured first, then filled. */
static void test_large_two_pass(void)
{
	struct gzip_opts o = { 0, GZIP_NO_RATIO };
	size_t big = GZIP_DIRECT_MAX + 12345, n, i;
	struct tp_error err;
	struct buf b, tail;
	uint8_t *out;
	int zeros = 1;

	gz_zeros(&b, big);
	gz(&tail, "END", 3);
	buf_append(&b, tail.data, tail.len);
	CHECK_EQ_INT(inflate_buf(&b, &o, &out, &n, &err), 0);
	CHECK_EQ_INT(n, big + 3);
	for (i = 0; i < big; i += 4096)
		zeros &= out[i] == 0;
	CHECK(zeros);
	CHECK(memcmp(out + big, "END", 3) == 0);
	free(out);
	/* over the cap while counting: refused */
	o.max_size = GZIP_DIRECT_MAX + 100;
	CHECK_EQ_INT(inflate_buf(&b, &o, &out, &n, &err), -EFBIG);
	CHECK(strstr(err.msg, "use --max-size") != NULL);
	/* damage found only by the counting pass is still reported */
	o.max_size = 0;
	b.data[b.len - tail.len - 8] ^= 0x40;
	CHECK_EQ_INT(inflate_buf(&b, &o, &out, &n, &err), -EBADMSG);
	CHECK(strstr(err.msg, "CRC-32") != NULL);
	buf_free(&b);
	buf_free(&tail);
}

static void test_peek(void)
{
	static char text[20000];
	char head[100];
	struct buf b;
	size_t got, i;

	for (i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 26);
	gz(&b, text, sizeof(text));
	CHECK_EQ_INT(gzip_peek(b.data, b.len, head, sizeof(head), &got), 0);
	CHECK_EQ_INT(got, sizeof(head));
	CHECK(memcmp(head, text, sizeof(head)) == 0);
	/* a cut file still gives its start */
	CHECK_EQ_INT(gzip_peek(b.data, b.len / 2, head, sizeof(head), &got), 0);
	CHECK(got > 0 && memcmp(head, text, got) == 0);
	CHECK_EQ_INT(gzip_peek("hello", 5, head, sizeof(head), &got), -EBADMSG);
	buf_free(&b);
}

static void test_compress(void)
{
	struct tp_error err;
	struct buf a, b, small;

	gz(&a, "deterministic", 13);
	gz(&b, "deterministic", 13);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	CHECK(a.len > 18 && (uint8_t)a.data[0] == 0x1f && (uint8_t)a.data[1] == 0x8b);
	CHECK(a.data[4] == 0 && a.data[5] == 0 && a.data[6] == 0 && a.data[7] == 0);
	/* appends to what is there */
	tp_error_init(&err);
	CHECK_EQ_INT(gzip_compress("x", 1, 1, &a, &err), 0);
	CHECK(a.len > b.len + 18);
	/* the output cap is honoured */
	buf_init(&small, 10);
	CHECK_EQ_INT(gzip_compress("deterministic", 13, 6, &small, &err), -E2BIG);
	CHECK(strstr(err.msg, "cap") != NULL);
	buf_free(&small);
	buf_free(&a);
	buf_free(&b);
}

int main(void)
{
	RUN(test_roundtrip);
	RUN(test_members);
	RUN(test_damage);
	RUN(test_size_cap);
	RUN(test_ratio_cap);
	RUN(test_large_two_pass);
	RUN(test_peek);
	RUN(test_compress);
	return CHECK_DONE();
}
