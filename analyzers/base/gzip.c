/* gzip.c - see gzip.h.
 *
 * One inflate loop serves three sinks: a growing buffer (the usual case),
 * a counter that throws the bytes away (to measure outputs too large to
 * hold speculatively), and a buffer of exactly the measured size. zlib's
 * gzip mode (windowBits 15 + 16) checks each member's header, CRC-32 and
 * length; members are chained here by hand so that bytes after a member
 * are checked for the magic of another member instead of being ignored.
 */
#include "analyzers/base/gzip.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CHUNK_MAX	((size_t)1 << 30)	/* per zlib call; fits a uInt */
#define SCRATCH_SIZE	((size_t)256 << 10)	/* counting sink */

enum sink_mode { SINK_GROW, SINK_COUNT, SINK_FIXED };

struct sink {
	enum sink_mode mode;
	uint8_t *data;		/* GROW and FIXED */
	size_t cap;		/* bytes allocated in data */
	size_t bound;		/* stop when the output passes this */
	size_t total;		/* bytes produced so far */
	uint8_t *scratch;	/* COUNT */
};

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

int gzip_detect(const void *buf, size_t len)
{
	const uint8_t *b = buf;

	return len >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

size_t gzip_limit(size_t inlen, const struct gzip_opts *o)
{
	size_t max = o && o->max_size ? o->max_size : GZIP_DEFAULT_MAX_SIZE;
	unsigned ratio = o && o->max_ratio ? o->max_ratio : GZIP_DEFAULT_MAX_RATIO;
	size_t byratio;

	if (ratio != GZIP_NO_RATIO) {
		if (__builtin_mul_overflow(inlen, (size_t)ratio, &byratio))
			byratio = SIZE_MAX;
		if (byratio < GZIP_RATIO_FLOOR)
			byratio = GZIP_RATIO_FLOOR;
		max = min_size(max, byratio);
	}
	return min_size(max, SIZE_MAX - 1);
}

/* Point z's output at free space in s. 0, -ENOMEM, or 1 when the output
 * has passed s->bound (the caller stops). */
static int sink_space(struct sink *s, z_stream *z)
{
	size_t want;

	if (s->total > s->bound)
		return 1;
	if (s->mode == SINK_COUNT) {
		z->next_out = s->scratch;
		z->avail_out = (uInt)SCRATCH_SIZE;
		return 0;
	}
	if (s->total == s->cap) {
		/* One byte past the bound is enough to tell "more". */
		size_t nc = s->cap ? s->cap * 2 : 64 << 10;
		uint8_t *nd;

		if (nc < s->cap || nc > s->bound + 1)
			nc = s->bound + 1;
		if (nc <= s->cap)
			return 1;
		nd = realloc(s->data, nc + 1);	/* + NUL */
		if (!nd)
			return -ENOMEM;
		s->data = nd;
		s->cap = nc;
	}
	want = min_size(s->cap - s->total, CHUNK_MAX);
	z->next_out = s->data + s->total;
	z->avail_out = (uInt)want;
	return 0;
}

static int data_error(const z_stream *z, int member, size_t pos, struct tp_error *err)
{
	const char *m = z->msg ? z->msg : "unknown error";

	if (strcmp(m, "incorrect data check") == 0)
		return tp_error_set(err, -EBADMSG, NULL, 0, (int64_t)pos,
				    "gzip member %d: CRC-32 mismatch (corrupt data)", member);
	if (strcmp(m, "incorrect length check") == 0)
		return tp_error_set(err, -EBADMSG, NULL, 0, (int64_t)pos,
				    "gzip member %d: length in trailer does not match the data",
				    member);
	if (strstr(m, "header") || strstr(m, "compression method"))
		return tp_error_set(err, -EBADMSG, NULL, 0, (int64_t)pos,
				    "gzip member %d: bad header: %s", member, m);
	return tp_error_set(err, -EBADMSG, NULL, 0, (int64_t)pos,
			    "gzip member %d: corrupt deflate data: %s", member, m);
}

/* Inflate every member of in[0..len) into s. 0, -EBADMSG, -ENOMEM, or 1
 * when the output passed s->bound. */
static int inflate_all(const uint8_t *in, size_t len, struct sink *s,
		       struct tp_error *err)
{
	z_stream z;
	size_t pos = 0;
	int member = 1, rc = 0, zr;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -ENOMEM;
	for (;;) {
		z.next_in = (Bytef *)(in + pos);
		z.avail_in = (uInt)min_size(len - pos, CHUNK_MAX);
		for (;;) {
			uint8_t *before;

			if (z.avail_out == 0 && (rc = sink_space(s, &z)) != 0)
				goto out;
			before = z.next_out;
			zr = inflate(&z, Z_NO_FLUSH);
			s->total += (size_t)(z.next_out - before);
			if (s->total > s->bound) {
				rc = 1;
				goto out;
			}
			if (z.avail_in == 0 && (size_t)(z.next_in - in) < len)
				z.avail_in = (uInt)min_size(len - (size_t)(z.next_in - in),
							    CHUNK_MAX);
			if (zr == Z_STREAM_END)
				break;
			if (zr == Z_OK)
				continue;
			if (zr == Z_BUF_ERROR && z.avail_out == 0)
				continue;
			if (zr == Z_BUF_ERROR) {
				rc = tp_error_set(err, -EBADMSG, NULL, 0, (int64_t)len,
						  "truncated gzip data: member %d ends at byte %zu "
						  "before its end", member, len);
				goto out;
			}
			if (zr == Z_MEM_ERROR) {
				rc = tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
				goto out;
			}
			rc = data_error(&z, member, (size_t)(z.next_in - in), err);
			goto out;
		}
		pos = (size_t)(z.next_in - in);
		if (pos == len)
			break;
		if (!gzip_detect(in + pos, len - pos)) {
			rc = tp_error_set(err, -EBADMSG, NULL, 0, (int64_t)pos,
					  "trailing garbage: %zu bytes after gzip member %d "
					  "do not start another member", len - pos, member);
			goto out;
		}
		member++;
		if (inflateReset(&z) != Z_OK) {
			rc = -ENOMEM;
			goto out;
		}
	}
out:
	inflateEnd(&z);
	return rc;
}

static int too_big(size_t limit, size_t inlen, const struct gzip_opts *o,
		   struct tp_error *err)
{
	struct gzip_opts noratio = { o ? o->max_size : 0, GZIP_NO_RATIO };

	if (gzip_limit(inlen, &noratio) > limit)	/* the ratio was binding */
		return tp_error_set(err, -EFBIG, NULL, 0, -1,
				    "decompressed size exceeds %zu bytes (%u times the "
				    "compressed size; use --max-size)", limit,
				    o && o->max_ratio ? o->max_ratio : GZIP_DEFAULT_MAX_RATIO);
	return tp_error_set(err, -EFBIG, NULL, 0, -1,
			    "decompressed size exceeds %zu bytes (use --max-size)", limit);
}

int gzip_decompress(const void *in, size_t len, const struct gzip_opts *o,
		    uint8_t **out, size_t *outlen, struct tp_error *err)
{
	size_t limit = gzip_limit(len, o);
	struct sink s;
	int rc;

	*out = NULL;
	*outlen = 0;
	memset(&s, 0, sizeof(s));
	if (len == 0)
		return tp_error_set(err, -EBADMSG, NULL, 0, 0, "empty input");
	if (!gzip_detect(in, len))
		return tp_error_set(err, -EBADMSG, NULL, 0, 0,
				    "not gzip data (no 1f 8b magic)");

	s.mode = SINK_GROW;
	s.bound = min_size(limit, GZIP_DIRECT_MAX);
	rc = inflate_all(in, len, &s, err);
	if (rc == 1 && s.bound < limit) {
		/* Too big to hold on speculation: measure, then fill. */
		free(s.data);
		memset(&s, 0, sizeof(s));
		s.mode = SINK_COUNT;
		s.bound = limit;
		s.scratch = malloc(SCRATCH_SIZE);
		if (!s.scratch) {
			rc = -ENOMEM;
			goto out;
		}
		rc = inflate_all(in, len, &s, err);
		if (rc == 1)
			rc = too_big(limit, len, o, err);
		if (rc < 0)
			goto out;
		free(s.scratch);
		s.scratch = NULL;
		s.mode = SINK_FIXED;
		s.cap = s.total;
		s.bound = s.total;
		s.total = 0;
		s.data = malloc(s.cap + 1);
		if (!s.data) {
			rc = -ENOMEM;
			goto out;
		}
		rc = inflate_all(in, len, &s, err);
		if (rc == 1)
			rc = tp_error_set(err, -EBADMSG, NULL, 0, -1,
					  "gzip data changed while being read");
	}
	if (rc == 1)
		rc = too_big(limit, len, o, err);
	if (rc < 0)
		goto out;
	if (!s.data && !(s.data = malloc(1))) {
		rc = -ENOMEM;
		goto out;
	}
	s.data[s.total] = 0;
	*out = s.data;
	*outlen = s.total;
	s.data = NULL;
out:
	if (rc == -ENOMEM && err && !err->code)
		tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
	free(s.data);
	free(s.scratch);
	return rc;
}

int gzip_peek(const void *in, size_t len, void *out, size_t cap, size_t *got)
{
	z_stream z;
	int zr;

	*got = 0;
	if (!gzip_detect(in, len))
		return -EBADMSG;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return -ENOMEM;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)min_size(len, CHUNK_MAX);
	z.next_out = out;
	z.avail_out = (uInt)min_size(cap, CHUNK_MAX);
	do
		zr = inflate(&z, Z_SYNC_FLUSH);
	while (zr == Z_OK && z.avail_out && z.avail_in);
	*got = (size_t)(z.next_out - (Bytef *)out);
	inflateEnd(&z);
	return *got ? 0 : -EBADMSG;
}

/* Make room in out for more compressed bytes, within its cap. */
static int grow_out(struct buf *out)
{
	size_t extra = out->cap / 2 + 4096;

	if (out->max - out->len < extra)
		extra = out->max - out->len;
	if (extra == 0)
		return -E2BIG;
	return buf_reserve(out, extra);
}

int gzip_compress(const void *in, size_t len, int level, struct buf *out,
		  struct tp_error *err)
{
	const uint8_t *src = in;
	size_t done = 0;
	z_stream z;
	int rc = 0, zr;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
	do {
		size_t chunk = min_size(len - done, CHUNK_MAX);
		int flush = done + chunk == len ? Z_FINISH : Z_NO_FLUSH;

		z.next_in = (Bytef *)(src + done);
		z.avail_in = (uInt)chunk;
		do {
			uint8_t *before;

			if ((out->cap <= out->len + 1 || out->len == out->max) &&
			    (rc = grow_out(out)) < 0) {
				tp_error_set(err, rc, NULL, 0, -1, rc == -E2BIG ?
					     "compressed output would exceed its size cap" :
					     "out of memory");
				goto out;
			}
			before = (uint8_t *)out->data + out->len;
			z.next_out = before;
			z.avail_out = (uInt)min_size(min_size(out->cap - out->len - 1,
							      out->max - out->len), CHUNK_MAX);
			zr = deflate(&z, flush);
			out->len += (size_t)(z.next_out - before);
			if (zr == Z_STREAM_ERROR) {
				rc = tp_error_set(err, -EINVAL, NULL, 0, -1, "deflate failed");
				goto out;
			}
		} while (z.avail_in || (flush == Z_FINISH && zr != Z_STREAM_END));
		done += chunk;
	} while (done < len);
	out->data[out->len] = 0;
out:
	deflateEnd(&z);
	return rc;
}
