/* buf.h - a growable byte buffer with a size cap.
 *
 * Every buffer fed by untrusted input has a cap: appending past max fails
 * with -E2BIG instead of growing. The struct is transparent: data[0..len)
 * is the content, and data is always NUL-terminated after a successful
 * append (data may be NULL while len == 0).
 */
#ifndef TIPROF_BUF_H
#define TIPROF_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;	/* largest allowed len */
};

/* max 0 means no cap beyond memory. */
void buf_init(struct buf *b, size_t max);

/* Make room for extra more bytes (plus the NUL). 0, -ENOMEM or -E2BIG.
 * On failure the content is unchanged. */
int buf_reserve(struct buf *b, size_t extra);

int buf_append(struct buf *b, const void *p, size_t n);
int buf_putc(struct buf *b, int c);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Keep the allocation, drop the content. */
void buf_reset(struct buf *b);

/* Hand the content to the caller (free() it); b is left empty. */
char *buf_take(struct buf *b, size_t *len);

/* Accepts a zeroed or freed buf. */
void buf_free(struct buf *b);

#endif
