/* protobuf.c - see protobuf.h. */
#include "analyzers/decode/protobuf.h"

#include <errno.h>
#include <string.h>

static const char *const wire_names[8] = {
	"varint", "fixed64", "length-delimited", "group start", "group end",
	"fixed32", "invalid (6)", "invalid (7)",
};

void pb_reader_init(struct pb_reader *r, const uint8_t *base, const uint8_t *data,
		    size_t len)
{
	r->base = base;
	r->p = data;
	r->end = data + len;
}

static int64_t offset(const struct pb_reader *r, const uint8_t *at)
{
	return (int64_t)(at - r->base);
}

int pb_varint_slow(struct pb_reader *r, uint64_t *v, struct tp_error *err)
{
	const uint8_t *s = r->p;
	uint64_t x = 0;
	unsigned i;

	for (i = 0; i < 10; i++) {
		uint8_t c;

		if (s + i >= r->end)
			return tp_error_set(err, -EBADMSG, NULL, 0, offset(r, s),
					    "truncated varint (%u bytes, then end of data)", i);
		c = s[i];
		if (i == 9 && c > 1 && c < 0x80)
			return tp_error_set(err, -EBADMSG, NULL, 0, offset(r, s),
					    "varint overflows 64 bits");
		x |= (uint64_t)(c & 0x7f) << (7 * i);
		if (c < 0x80) {
			r->p = s + i + 1;
			*v = x;
			return 0;
		}
	}
	return tp_error_set(err, -EBADMSG, NULL, 0, offset(r, s),
			    "varint longer than 10 bytes");
}

int pb_read_varint(struct pb_reader *r, uint64_t *v, struct tp_error *err)
{
	return pb_varint_fast(r, v, err);
}

int pb_next(struct pb_reader *r, struct pb_field *f, struct tp_error *err)
{
	const uint8_t *at = r->p;
	uint64_t tag, n;
	int rc;

	if (r->p >= r->end)
		return 0;
	if ((rc = pb_varint_fast(r, &tag, err)) < 0)
		return rc;
	f->off = (size_t)offset(r, at);
	f->wire = (uint32_t)(tag & 7);
	if ((tag >> 3) == 0 || (tag >> 3) > PB_MAX_FIELD)
		return tp_error_set(err, -EBADMSG, NULL, 0, offset(r, at),
				    "invalid field number %llu", (unsigned long long)(tag >> 3));
	f->num = (uint32_t)(tag >> 3);
	f->data = NULL;
	f->len = 0;
	switch (f->wire) {
	case PB_VARINT:
		return pb_varint_fast(r, &f->val, err) < 0 ? -EBADMSG : 1;
	case PB_FIXED64:
	case PB_FIXED32: {
		size_t w = f->wire == PB_FIXED64 ? 8 : 4;
		uint8_t tmp[8] = { 0 };

		if ((size_t)(r->end - r->p) < w)
			return tp_error_set(err, -EBADMSG, NULL, 0, offset(r, at),
					    "field %u: %s value runs past the end of the data",
					    f->num, wire_names[f->wire]);
		memcpy(tmp, r->p, w);
		f->val = (uint64_t)tmp[0] | (uint64_t)tmp[1] << 8 | (uint64_t)tmp[2] << 16 |
			 (uint64_t)tmp[3] << 24 | (uint64_t)tmp[4] << 32 |
			 (uint64_t)tmp[5] << 40 | (uint64_t)tmp[6] << 48 |
			 (uint64_t)tmp[7] << 56;
		r->p += w;
		return 1;
	}
	case PB_LEN:
		if ((rc = pb_varint_fast(r, &n, err)) < 0)
			return rc;
		if (n > (uint64_t)(r->end - r->p))
			return tp_error_set(err, -EBADMSG, NULL, 0, offset(r, at),
					    "field %u: length %llu exceeds the %zu bytes left",
					    f->num, (unsigned long long)n,
					    (size_t)(r->end - r->p));
		f->data = r->p;
		f->len = (size_t)n;
		r->p += n;
		return 1;
	default:
		return tp_error_set(err, -EBADMSG, NULL, 0, offset(r, at),
				    "field %u: wire type %u (%s) is not supported",
				    f->num, f->wire, wire_names[f->wire]);
	}
}

int pb_scalars_init(struct pb_scalars *it, const struct pb_reader *parent,
		    const struct pb_field *f, uint32_t elem, const char *what,
		    struct tp_error *err)
{
	it->wire = elem;
	it->left_single = 0;
	pb_reader_init(&it->r, parent->base, f->data ? f->data : parent->p, 0);
	if (f->wire == PB_LEN) {
		pb_reader_init(&it->r, parent->base, f->data, f->len);
		return 0;
	}
	if (f->wire != elem)
		return tp_error_set(err, -EBADMSG, NULL, 0, (int64_t)f->off,
				    "%s (field %u) has wire type %u (%s), expected %s",
				    what, f->num, f->wire, wire_names[f->wire & 7],
				    wire_names[elem]);
	it->single = f->val;
	it->left_single = 1;
	return 0;
}

int pb_scalars_next(struct pb_scalars *it, uint64_t *v, struct tp_error *err)
{
	size_t w;

	if (it->left_single) {
		it->left_single = 0;
		*v = it->single;
		return 1;
	}
	if (it->r.p >= it->r.end)
		return 0;
	if (it->wire == PB_VARINT)
		return pb_varint_fast(&it->r, v, err) < 0 ? -EBADMSG : 1;
	w = it->wire == PB_FIXED64 ? 8 : 4;
	if ((size_t)(it->r.end - it->r.p) < w)
		return tp_error_set(err, -EBADMSG, NULL, 0, offset(&it->r, it->r.p),
				    "packed %s values: %zu bytes left over",
				    wire_names[it->wire], (size_t)(it->r.end - it->r.p));
	{
		uint64_t x = 0;
		size_t i;

		for (i = 0; i < w; i++)
			x |= (uint64_t)it->r.p[i] << (8 * i);
		*v = x;
	}
	it->r.p += w;
	return 1;
}

size_t pb_scalars_count(const struct pb_field *f, uint32_t elem)
{
	size_t i, n = 0;

	if (f->wire != PB_LEN)
		return 1;
	if (elem == PB_FIXED64)
		return f->len / 8 + (f->len % 8 != 0);
	if (elem == PB_FIXED32)
		return f->len / 4 + (f->len % 4 != 0);
	for (i = 0; i < f->len; i++)
		n += f->data[i] < 0x80;
	return n + (f->len && f->data[f->len - 1] >= 0x80);
}

/* ---- writer ---- */

/* Write v at dst (room for 10 bytes); returns the bytes written. */
static size_t put_varint_raw(uint8_t *dst, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		dst[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	dst[n++] = (uint8_t)v;
	return n;
}

int pb_put_varint(struct buf *b, uint64_t v)
{
	int rc;

	if ((rc = buf_reserve(b, pb_varint_size(v))) < 0)
		return rc;
	b->len += put_varint_raw((uint8_t *)b->data + b->len, v);
	b->data[b->len] = 0;
	return 0;
}

int pb_put_uint(struct buf *b, uint32_t num, uint64_t v)
{
	int rc;

	if ((rc = buf_reserve(b, pb_varint_size((uint64_t)num << 3) + pb_varint_size(v))) < 0)
		return rc;
	b->len += put_varint_raw((uint8_t *)b->data + b->len, (uint64_t)num << 3 | PB_VARINT);
	b->len += put_varint_raw((uint8_t *)b->data + b->len, v);
	b->data[b->len] = 0;
	return 0;
}

int pb_put_bytes(struct buf *b, uint32_t num, const void *p, size_t n)
{
	int rc;

	if ((rc = pb_put_varint(b, (uint64_t)num << 3 | PB_LEN)) < 0 ||
	    (rc = pb_put_varint(b, n)) < 0)
		return rc;
	return buf_append(b, p, n);
}

int pb_put_packed(struct buf *b, uint32_t num, const uint64_t *v, size_t n)
{
	size_t i, size = 0;
	int rc;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		size += pb_varint_size(v[i]);
	if ((rc = pb_put_varint(b, (uint64_t)num << 3 | PB_LEN)) < 0 ||
	    (rc = pb_put_varint(b, size)) < 0 ||
	    (rc = buf_reserve(b, size)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		b->len += put_varint_raw((uint8_t *)b->data + b->len, v[i]);
	b->data[b->len] = 0;
	return 0;
}

int pb_begin(struct buf *b, uint32_t num, size_t *mark)
{
	int rc;

	if ((rc = pb_put_varint(b, (uint64_t)num << 3 | PB_LEN)) < 0 ||
	    (rc = buf_putc(b, 0)) < 0)
		return rc;
	*mark = b->len - 1;
	return 0;
}

int pb_end(struct buf *b, size_t mark)
{
	size_t body = b->len - mark - 1, extra = pb_varint_size(body) - 1;
	int rc;

	if (extra) {
		if ((rc = buf_reserve(b, extra)) < 0)
			return rc;
		memmove(b->data + mark + 1 + extra, b->data + mark + 1, body);
		b->len += extra;
		b->data[b->len] = 0;
	}
	put_varint_raw((uint8_t *)b->data + mark, body);
	return 0;
}
