/* protobuf.h - the protobuf wire format: a bounds-checked reader over a
 * byte range and a writer into a struct buf.
 *
 * Reader. A struct pb_reader walks one message: pb_next() returns its
 * fields one at a time (tag, wire type, and the value or the payload's
 * range). Nested messages are read with a second reader over the payload.
 * Nothing is copied and nothing recurses. Errors are -EBADMSG with the byte
 * offset (relative to the reader's base, normally the start of the whole
 * buffer) in err:
 *   - a varint cut short, longer than 10 bytes, or whose 10th byte carries
 *     bits above bit 63 ("overflows 64 bits");
 *   - field number 0 or above 2^29-1;
 *   - wire types 3 and 4 (groups) and 6, 7 (invalid);
 *   - fixed32/fixed64 or a length-delimited payload running past the end.
 * Fields of any valid wire type (0, 1, 2, 5) are returned, so unknown ones
 * are skipped by simply not looking at them.
 *
 * Repeated scalars may come packed (one wire-type-2 field holding the
 * values back to back) or unpacked (one field per value), even mixed:
 * pb_scalars_init()/pb_scalars_next() iterate either form.
 *
 * Writer. Appends canonical encodings (shortest varints) to a struct buf;
 * every function returns 0, -ENOMEM or -E2BIG (the buf's cap).
 */
#ifndef TIPROF_PROTOBUF_H
#define TIPROF_PROTOBUF_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"

enum pb_wire {
	PB_VARINT = 0,
	PB_FIXED64 = 1,
	PB_LEN = 2,
	PB_FIXED32 = 5,
};

#define PB_MAX_FIELD ((1u << 29) - 1)

struct pb_reader {
	const uint8_t *p, *end;
	const uint8_t *base;	/* offsets in errors are p - base */
};

struct pb_field {
	uint32_t num;		/* field number */
	uint32_t wire;		/* enum pb_wire */
	uint64_t val;		/* PB_VARINT, PB_FIXED64, PB_FIXED32 */
	const uint8_t *data;	/* PB_LEN: the payload, len bytes */
	size_t len;
	size_t off;		/* offset of the field's tag from base */
};

/* Read data[0..len); offsets are reported relative to base (base <= data). */
void pb_reader_init(struct pb_reader *r, const uint8_t *base, const uint8_t *data,
		    size_t len);

/* The next field: 1 and *f filled, 0 at the end of the range, or -EBADMSG. */
int pb_next(struct pb_reader *r, struct pb_field *f, struct tp_error *err);

/* One varint at r's position: 0 or -EBADMSG. */
int pb_read_varint(struct pb_reader *r, uint64_t *v, struct tp_error *err);

/* The slow path of pb_varint_fast(); use that one. */
int pb_varint_slow(struct pb_reader *r, uint64_t *v, struct tp_error *err);

static inline int pb_varint_fast(struct pb_reader *r, uint64_t *v, struct tp_error *err)
{
	if (r->p < r->end && *r->p < 0x80) {
		*v = *r->p++;
		return 0;
	}
	if (r->end - r->p >= 2 && r->p[1] < 0x80) {
		*v = (uint64_t)(r->p[0] & 0x7f) | (uint64_t)r->p[1] << 7;
		r->p += 2;
		return 0;
	}
	return pb_varint_slow(r, v, err);
}

/* Iterates the values of a repeated scalar field, packed or not. */
struct pb_scalars {
	struct pb_reader r;	/* packed payload */
	uint64_t single;	/* unpacked: the one value */
	uint32_t wire;		/* element wire type */
	int left_single;	/* 1 while the unpacked value is unread */
};

/* Start on field f, whose elements have wire type elem (PB_VARINT,
 * PB_FIXED32 or PB_FIXED64). -EBADMSG if f's wire type is neither elem
 * nor PB_LEN; what names the field in that message. */
int pb_scalars_init(struct pb_scalars *it, const struct pb_reader *parent,
		    const struct pb_field *f, uint32_t elem, const char *what,
		    struct tp_error *err);

/* 1 and *v, 0 at the end, or -EBADMSG. */
int pb_scalars_next(struct pb_scalars *it, uint64_t *v, struct tp_error *err);

/* Number of elements a repeated scalar field holds (an upper bound for a
 * malformed packed payload). */
size_t pb_scalars_count(const struct pb_field *f, uint32_t elem);

/* Bytes a varint takes. */
static inline size_t pb_varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* ---- writer ---- */

int pb_put_varint(struct buf *b, uint64_t v);
/* A field of wire type 0: tag and value (negative int64 take 10 bytes). */
int pb_put_uint(struct buf *b, uint32_t num, uint64_t v);
/* A length-delimited field with payload p[0..n). */
int pb_put_bytes(struct buf *b, uint32_t num, const void *p, size_t n);
/* A packed repeated varint field (nothing when n is 0). */
int pb_put_packed(struct buf *b, uint32_t num, const uint64_t *v, size_t n);

/* Open a nested message field: writes the tag and a one-byte length
 * placeholder and stores its position in *mark. pb_end() fixes the length
 * (moving the payload if the length needs more than one byte). */
int pb_begin(struct buf *b, uint32_t num, size_t *mark);
int pb_end(struct buf *b, size_t mark);

#endif
