/* gzip.h - whole-buffer gzip: capped decompression and compression.
 *
 * gzip_decompress() inflates every member of a gzip file (members are
 * concatenated, as `cat a.gz b.gz` makes them) into one malloc'd buffer.
 * It never trusts the sizes the input declares: the output is capped both
 * in absolute size and as a multiple of the input size, and a file that
 * would pass either cap is refused with -EFBIG after using at most
 * GZIP_DIRECT_MAX bytes plus a small scratch buffer (the rest is counted,
 * not stored). Whether a buffer is gzip at all is the caller's decision
 * (gzip_detect()); data that is not gzip is an error here.
 *
 * Errors (-EBADMSG unless noted) name the byte offset in the compressed
 * input: empty input, bad header, corrupt deflate data, CRC or length
 * mismatch, truncated member, bytes after the last member that do not start
 * another member ("trailing garbage"). -EFBIG: over a cap; the message is
 * "decompressed size exceeds N bytes (use --max-size)". -ENOMEM.
 */
#ifndef TIPROF_GZIP_H
#define TIPROF_GZIP_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"

#define GZIP_DEFAULT_MAX_SIZE	((size_t)512 << 20)	/* 512 MiB of output */
#define GZIP_DEFAULT_MAX_RATIO	1000u			/* output / input */
#define GZIP_RATIO_FLOOR	((size_t)1 << 20)	/* ratio applies above 1 MiB */
#define GZIP_DIRECT_MAX		((size_t)64 << 20)	/* see gzip_decompress() */
#define GZIP_NO_RATIO		0xffffffffu		/* max_ratio: no ratio cap */

struct gzip_opts {
	size_t max_size;	/* output cap in bytes; 0 = default, SIZE_MAX = none */
	unsigned max_ratio;	/* 0 = default, GZIP_NO_RATIO = none */
};

/* 1 when buf starts with the gzip magic bytes 1f 8b, else 0. */
int gzip_detect(const void *buf, size_t len);

/* The output cap in effect for an input of inlen bytes: the smaller of
 * max_size and max_ratio * inlen (but never below GZIP_RATIO_FLOOR for the
 * ratio part). o may be NULL for the defaults. */
size_t gzip_limit(size_t inlen, const struct gzip_opts *o);

/* Inflate all members of in[0..len) into *out (malloc'd, NUL-terminated
 * for convenience, *outlen bytes without the NUL; the caller frees it).
 * o may be NULL. When the output is larger than GZIP_DIRECT_MAX (and within
 * the cap), the input is inflated twice: once to measure, once to fill an
 * exactly sized buffer. On error *out is NULL. */
int gzip_decompress(const void *in, size_t len, const struct gzip_opts *o,
		    uint8_t **out, size_t *outlen, struct tp_error *err);

/* Inflate only the start of the first member: up to cap bytes into out,
 * the count in *got. For format sniffing: 0 even when the data is cut
 * short or corrupt further on, -EBADMSG when nothing could be inflated. */
int gzip_peek(const void *in, size_t len, void *out, size_t cap, size_t *got);

/* Append a one-member gzip file of in[0..len) to out. level is zlib's
 * (1 fastest .. 9 smallest, -1 default). The header has no name and mtime
 * 0, so equal input gives equal bytes. 0, -ENOMEM, -E2BIG (out's cap). */
int gzip_compress(const void *in, size_t len, int level, struct buf *out,
		  struct tp_error *err);

#endif
