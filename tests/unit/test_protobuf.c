/* test_protobuf.c - the wire-format reader and writer. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"
#include "analyzers/decode/protobuf.h"
#include "check.h"

static int read_one(const void *data, size_t len, struct pb_field *f, struct tp_error *err)
{
	struct pb_reader r;

	tp_error_init(err);
	pb_reader_init(&r, data, data, len);
	return pb_next(&r, f, err);
}

static void test_varints(void)
{
	static const uint64_t vals[] = { 0, 1, 127, 128, 300, 16383, 16384, UINT32_MAX,
		(uint64_t)1 << 32, (uint64_t)1 << 56, (uint64_t)1 << 63, UINT64_MAX };
	struct tp_error err;
	struct pb_reader r;
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		size_t before = b.len;

		CHECK_EQ_INT(pb_put_varint(&b, vals[i]), 0);
		CHECK_EQ_INT(b.len - before, pb_varint_size(vals[i]));
	}
	CHECK_EQ_INT(pb_varint_size(UINT64_MAX), 10);
	CHECK_EQ_INT(pb_varint_size(127), 1);
	CHECK_EQ_INT(pb_varint_size(128), 2);
	pb_reader_init(&r, (uint8_t *)b.data, (uint8_t *)b.data, b.len);
	tp_error_init(&err);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		uint64_t v = 12345;

		CHECK_EQ_INT(pb_read_varint(&r, &v, &err), 0);
		CHECK(v == vals[i]);
	}
	CHECK(r.p == r.end);
	buf_free(&b);
}

static void test_varint_errors(void)
{
	/* 10 bytes whose last byte is 1: the largest legal encoding */
	static const uint8_t max[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	static const uint8_t over[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 };
	static const uint8_t eleven[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
		0x80, 0x00 };
	static const uint8_t cut[] = { 0x08, 0x96 };
	struct tp_error err;
	struct pb_reader r;
	uint64_t v;

	tp_error_init(&err);
	pb_reader_init(&r, max, max, sizeof(max));
	CHECK_EQ_INT(pb_read_varint(&r, &v, &err), 0);
	CHECK(v == UINT64_MAX);
	pb_reader_init(&r, over, over, sizeof(over));
	CHECK_EQ_INT(pb_read_varint(&r, &v, &err), -EBADMSG);
	CHECK_EQ_STR(err.msg, "varint overflows 64 bits");
	pb_reader_init(&r, eleven, eleven, sizeof(eleven));
	CHECK_EQ_INT(pb_read_varint(&r, &v, &err), -EBADMSG);
	CHECK_EQ_STR(err.msg, "varint longer than 10 bytes");
	/* a field whose value varint is cut: offset of the varint */
	pb_reader_init(&r, cut, cut, sizeof(cut));
	{
		struct pb_field f;

		CHECK_EQ_INT(pb_next(&r, &f, &err), -EBADMSG);
		CHECK(strstr(err.msg, "truncated varint") != NULL);
		CHECK_EQ_INT(err.offset, 1);
	}
	pb_reader_init(&r, cut, cut, 0);
	CHECK_EQ_INT(pb_read_varint(&r, &v, &err), -EBADMSG);
}

static void test_wire_types(void)
{
	/* field 1 varint 150, field 2 fixed64, field 3 bytes "hi",
	 * field 4 fixed32, field 536870911 varint 1 */
	static const uint8_t msg[] = { 0x08, 0x96, 0x01,
		0x11, 1, 2, 3, 4, 5, 6, 7, 8,
		0x1a, 0x02, 'h', 'i',
		0x25, 0xef, 0xbe, 0xad, 0xde,
		0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01 };
	struct tp_error err;
	struct pb_reader r;
	struct pb_field f;

	tp_error_init(&err);
	pb_reader_init(&r, msg, msg, sizeof(msg));
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	CHECK(f.num == 1 && f.wire == PB_VARINT && f.val == 150 && f.off == 0);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	CHECK(f.num == 2 && f.wire == PB_FIXED64 && f.val == 0x0807060504030201ULL);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	CHECK(f.num == 3 && f.wire == PB_LEN && f.len == 2 && memcmp(f.data, "hi", 2) == 0);
	CHECK_EQ_INT(f.off, 12);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	CHECK(f.num == 4 && f.wire == PB_FIXED32 && f.val == 0xdeadbeef);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	CHECK(f.num == PB_MAX_FIELD && f.val == 1);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 0);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 0);
}

static void test_bad_fields(void)
{
	static const uint8_t group_start[] = { 0x0b, 0x0c };
	static const uint8_t group_end[] = { 0x0c };
	static const uint8_t wire6[] = { 0x0e, 0 };
	static const uint8_t wire7[] = { 0x0f, 0 };
	static const uint8_t field0[] = { 0x00, 0 };
	static const uint8_t field_big[] = { 0x80, 0x80, 0x80, 0x80, 0x10, 0 };
	static const uint8_t too_long[] = { 0x08, 0x01, 0x12, 0x05, 'a', 'b' };
	static const uint8_t fixed_cut[] = { 0x09, 1, 2, 3 };
	static const uint8_t fixed32_cut[] = { 0x0d, 1, 2, 3 };
	struct tp_error err;
	struct pb_field f;

	CHECK_EQ_INT(read_one(group_start, sizeof(group_start), &f, &err), -EBADMSG);
	CHECK_EQ_STR(err.msg, "field 1: wire type 3 (group start) is not supported");
	CHECK_EQ_INT(read_one(group_end, sizeof(group_end), &f, &err), -EBADMSG);
	CHECK(strstr(err.msg, "wire type 4") != NULL);
	CHECK_EQ_INT(read_one(wire6, sizeof(wire6), &f, &err), -EBADMSG);
	CHECK(strstr(err.msg, "wire type 6") != NULL);
	CHECK_EQ_INT(read_one(wire7, sizeof(wire7), &f, &err), -EBADMSG);
	CHECK(strstr(err.msg, "wire type 7") != NULL);
	CHECK_EQ_INT(read_one(field0, sizeof(field0), &f, &err), -EBADMSG);
	CHECK_EQ_STR(err.msg, "invalid field number 0");
	CHECK_EQ_INT(read_one(field_big, sizeof(field_big), &f, &err), -EBADMSG);
	CHECK(strstr(err.msg, "invalid field number 536870912") != NULL);
	{
		struct pb_reader r;

		tp_error_init(&err);
		pb_reader_init(&r, too_long, too_long, sizeof(too_long));
		CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
		CHECK_EQ_INT(pb_next(&r, &f, &err), -EBADMSG);
		CHECK_EQ_STR(err.msg, "field 2: length 5 exceeds the 2 bytes left");
		CHECK_EQ_INT(err.offset, 2);
	}
	CHECK_EQ_INT(read_one(fixed_cut, sizeof(fixed_cut), &f, &err), -EBADMSG);
	CHECK(strstr(err.msg, "fixed64 value runs past the end") != NULL);
	CHECK_EQ_INT(read_one(fixed32_cut, sizeof(fixed32_cut), &f, &err), -EBADMSG);
	CHECK(strstr(err.msg, "fixed32") != NULL);
}

/* Offsets of a nested reader count from the outer base. */
static void test_nested_offsets(void)
{
	static const uint8_t msg[] = { 0x08, 0x01, 0x12, 0x03, 0x08, 0x80, 0x80 };
	struct tp_error err;
	struct pb_reader r, sub;
	struct pb_field f;

	tp_error_init(&err);
	pb_reader_init(&r, msg, msg, sizeof(msg));
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	pb_reader_init(&sub, msg, f.data, f.len);
	CHECK_EQ_INT(pb_next(&sub, &f, &err), -EBADMSG);
	CHECK_EQ_INT(err.offset, 5);
}

static void test_scalars(void)
{
	struct tp_error err;
	struct pb_reader r;
	struct pb_field f;
	struct pb_scalars it;
	uint64_t got[16], v;
	size_t n = 0;
	struct buf b;
	static const uint64_t packed[] = { 3, 300, UINT64_MAX };
	int rc;

	/* unpacked 1, packed {3, 300, max}, unpacked 7: one sequence */
	buf_init(&b, 0);
	CHECK_EQ_INT(pb_put_uint(&b, 1, 1), 0);
	CHECK_EQ_INT(pb_put_packed(&b, 1, packed, 3), 0);
	CHECK_EQ_INT(pb_put_uint(&b, 1, 7), 0);
	CHECK_EQ_INT(pb_put_packed(&b, 1, packed, 0), 0);	/* nothing */
	tp_error_init(&err);
	pb_reader_init(&r, (uint8_t *)b.data, (uint8_t *)b.data, b.len);
	while (pb_next(&r, &f, &err) > 0) {
		CHECK_EQ_INT(pb_scalars_init(&it, &r, &f, PB_VARINT, "id", &err), 0);
		CHECK_EQ_INT(pb_scalars_count(&f, PB_VARINT), f.wire == PB_LEN ? 3 : 1);
		while ((rc = pb_scalars_next(&it, &v, &err)) > 0 && n < 16)
			got[n++] = v;
		CHECK_EQ_INT(rc, 0);
	}
	CHECK_EQ_INT(n, 5);
	CHECK(got[0] == 1 && got[1] == 3 && got[2] == 300 && got[3] == UINT64_MAX && got[4] == 7);
	buf_free(&b);

	/* wrong wire type for the element */
	{
		static const uint8_t fixed[] = { 0x09, 1, 0, 0, 0, 0, 0, 0, 0 };

		CHECK_EQ_INT(read_one(fixed, sizeof(fixed), &f, &err), 1);
		pb_reader_init(&r, fixed, fixed, sizeof(fixed));
		CHECK_EQ_INT(pb_scalars_init(&it, &r, &f, PB_VARINT, "value", &err), -EBADMSG);
		CHECK_EQ_STR(err.msg, "value (field 1) has wire type 1 (fixed64), expected varint");
		/* but fixed64 elements are fine */
		CHECK_EQ_INT(pb_scalars_init(&it, &r, &f, PB_FIXED64, "value", &err), 0);
		CHECK_EQ_INT(pb_scalars_next(&it, &v, &err), 1);
		CHECK(v == 1);
	}
	/* packed varints cut short, packed fixed32 with a partial element */
	{
		static const uint8_t cut[] = { 0x0a, 0x02, 0x01, 0x80 };
		static const uint8_t f32[] = { 0x0a, 0x06, 1, 0, 0, 0, 2, 0 };

		CHECK_EQ_INT(read_one(cut, sizeof(cut), &f, &err), 1);
		pb_reader_init(&r, cut, cut, sizeof(cut));
		CHECK_EQ_INT(pb_scalars_init(&it, &r, &f, PB_VARINT, "id", &err), 0);
		CHECK_EQ_INT(pb_scalars_next(&it, &v, &err), 1);
		CHECK_EQ_INT(pb_scalars_next(&it, &v, &err), -EBADMSG);
		CHECK_EQ_INT(err.offset, 3);
		CHECK_EQ_INT(read_one(f32, sizeof(f32), &f, &err), 1);
		CHECK_EQ_INT(pb_scalars_count(&f, PB_FIXED32), 2);
		pb_reader_init(&r, f32, f32, sizeof(f32));
		CHECK_EQ_INT(pb_scalars_init(&it, &r, &f, PB_FIXED32, "x", &err), 0);
		CHECK_EQ_INT(pb_scalars_next(&it, &v, &err), 1);
		CHECK(v == 1);
		CHECK_EQ_INT(pb_scalars_next(&it, &v, &err), -EBADMSG);
	}
}

/* Read back a message made of one nested field of n bytes. */
static void check_nested(size_t n)
{
	struct tp_error err;
	struct pb_reader r, sub;
	struct pb_field f;
	struct buf b;
	size_t mark, inner, i;
	char *payload = malloc(n + 1);

	for (i = 0; i < n; i++)
		payload[i] = (char)('a' + i % 26);
	buf_init(&b, 0);
	CHECK_EQ_INT(pb_put_uint(&b, 1, 42), 0);
	CHECK_EQ_INT(pb_begin(&b, 2, &mark), 0);
	CHECK_EQ_INT(pb_begin(&b, 3, &inner), 0);
	CHECK_EQ_INT(pb_put_bytes(&b, 4, payload, n), 0);
	CHECK_EQ_INT(pb_end(&b, inner), 0);
	CHECK_EQ_INT(pb_put_uint(&b, 5, (uint64_t)-1), 0);
	CHECK_EQ_INT(pb_end(&b, mark), 0);
	CHECK_EQ_INT(pb_put_uint(&b, 6, 9), 0);

	tp_error_init(&err);
	pb_reader_init(&r, (uint8_t *)b.data, (uint8_t *)b.data, b.len);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	CHECK(f.num == 1 && f.val == 42);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	CHECK(f.num == 2 && f.wire == PB_LEN);
	pb_reader_init(&sub, (uint8_t *)b.data, f.data, f.len);
	CHECK_EQ_INT(pb_next(&sub, &f, &err), 1);
	CHECK(f.num == 3 && f.wire == PB_LEN && f.len == n + 1 + pb_varint_size(n));
	CHECK_EQ_INT(pb_next(&sub, &f, &err), 1);
	CHECK(f.num == 5 && f.val == UINT64_MAX);
	CHECK_EQ_INT(pb_next(&sub, &f, &err), 0);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 1);
	CHECK(f.num == 6 && f.val == 9);
	CHECK_EQ_INT(pb_next(&r, &f, &err), 0);
	/* shortest encodings: no padding anywhere */
	{
		size_t in = 1 + pb_varint_size(n) + n;
		size_t out = 1 + pb_varint_size(in) + in + 11;

		CHECK_EQ_INT(b.len, 2 + 1 + pb_varint_size(out) + out + 2);
	}
	free(payload);
	buf_free(&b);
}

static void test_writer(void)
{
	check_nested(0);
	check_nested(100);
	check_nested(200);
	check_nested(20000);
	check_nested(3 << 20);
}

static void test_writer_cap(void)
{
	struct buf b;
	size_t mark;

	buf_init(&b, 8);
	CHECK_EQ_INT(pb_put_bytes(&b, 1, "0123456789", 10), -E2BIG);
	buf_reset(&b);
	CHECK_EQ_INT(pb_put_uint(&b, 1, UINT64_MAX), -E2BIG);
	CHECK_EQ_INT(b.len, 0);
	CHECK_EQ_INT(pb_put_uint(&b, 1, 5), 0);
	CHECK_EQ_INT(pb_begin(&b, 2, &mark), 0);
	CHECK_EQ_INT(pb_put_varint(&b, 1), 0);
	CHECK_EQ_INT(pb_end(&b, mark), 0);
	CHECK_EQ_INT(pb_put_varint(&b, 300), 0);
	CHECK_EQ_INT(b.len, 7);
	CHECK_EQ_INT(pb_put_varint(&b, 300), -E2BIG);
	CHECK_EQ_INT(b.len, 7);
	buf_free(&b);
}

int main(void)
{
	RUN(test_varints);
	RUN(test_varint_errors);
	RUN(test_wire_types);
	RUN(test_bad_fields);
	RUN(test_nested_offsets);
	RUN(test_scalars);
	RUN(test_writer);
	RUN(test_writer_cap);
	return CHECK_DONE();
}
