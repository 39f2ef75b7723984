/* pprofdetect.c - recognizing profile.proto; see pprof.h.
 *
 * A Profile message has no magic number, so recognition looks at what its
 * first fields must be: field numbers 1..15 with the wire types
 * profile.proto gives them, nested messages that parse. Four such fields
 * are convincing; text and other binary formats fail on the first one or
 * two (text is also recognized outright).
 */
#include "analyzers/decode/pprof.h"
#include "analyzers/base/gzip.h"
#include "analyzers/decode/protobuf.h"

#define DETECT_BYTES	4096		/* inflated or read to decide */
#define DETECT_FIELDS	4		/* fields that must look right */

/* Printable ASCII throughout the first 64 bytes: text, not protobuf
 * (whose first bytes are tags and small lengths). */
static int looks_text(const uint8_t *b, size_t n)
{
	size_t i;

	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++)
		if ((b[i] < 0x20 && b[i] != '\t' && b[i] != '\n' && b[i] != '\r') ||
		    b[i] >= 0x7f)
			return 0;
	return n > 0;
}

int pprof_sniff(const uint8_t *b, size_t n, int cut)
{
	struct pb_reader r, sub;
	struct pb_field g;
	int fields = 0, rc;

	if (looks_text(b, n))
		return 0;
	pb_reader_init(&r, b, b, n);
	while (fields < DETECT_FIELDS && r.p < r.end) {
		uint64_t tag, len = 0;
		uint32_t num, wire;

		if (pb_read_varint(&r, &tag, NULL) < 0)
			return cut && fields > 0;
		if (r.p >= r.end && cut)	/* the tag may be all there is */
			return fields > 0 || (tag >> 3 >= 1 && tag >> 3 <= 15);
		num = (uint32_t)(tag >> 3);
		wire = (uint32_t)(tag & 7);
		if (num < 1 || num > 15)
			return 0;
		if (num <= 6 || num == 11) {
			if (wire != PB_LEN)
				return 0;
		} else if (num == 13) {
			if (wire != PB_LEN && wire != PB_VARINT)
				return 0;
		} else if (wire != PB_VARINT) {
			return 0;
		}
		if (wire == PB_VARINT) {
			if (pb_read_varint(&r, &len, NULL) < 0)
				return cut;
			fields++;
			continue;
		}
		if (pb_read_varint(&r, &len, NULL) < 0 || len > (uint64_t)(r.end - r.p))
			return cut;
		if (num != 6 && num != 13) {
			/* A message: its payload must parse. */
			pb_reader_init(&sub, b, r.p, (size_t)len);
			while ((rc = pb_next(&sub, &g, NULL)) > 0)
				;
			if (rc < 0)
				return 0;
		}
		r.p += len;
		fields++;
	}
	return fields > 0;
}

int pprof_detect(const uint8_t *buf, size_t len)
{
	uint8_t head[DETECT_BYTES];
	size_t got;

	if (gzip_detect(buf, len)) {
		if (gzip_peek(buf, len, head, sizeof(head), &got) < 0)
			return PPROF_NONE;
		return pprof_sniff(head, got, got == sizeof(head)) ? PPROF_GZIP : PPROF_NONE;
	}
	if (len > DETECT_BYTES)
		return pprof_sniff(buf, DETECT_BYTES, 1) ? PPROF_RAW : PPROF_NONE;
	return pprof_sniff(buf, len, 0) ? PPROF_RAW : PPROF_NONE;
}
