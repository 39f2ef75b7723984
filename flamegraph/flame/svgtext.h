/* svgtext.h - the text stream an SVG is written through.
 *
 * A large output buffer in front of a FILE, with the number formats and
 * the escaping the SVG writer needs. Untrusted bytes (frame names, titles)
 * only reach the output through svgtext_escape() or svgtext_label(), which
 * make any byte sequence safe:
 *  - XML mode: & < > " ' become entities; control characters (0x00-0x1f,
 *    0x7f) and bytes that are not valid UTF-8 or not XML characters (UTF-8
 *    surrogates, overlong forms, U+FFFE, U+FFFF) become the four characters
 *    "\xNN"; valid UTF-8 is copied.
 *  - JS mode (inside a double-quoted JavaScript string in a CDATA
 *    section): the same repaired text, every character outside
 *    [A-Za-z0-9 _.,:-] written as \uXXXX.
 * Display width ("columns") counts what a browser's string length gives
 * for the repaired text: 1 per character in the BMP, 2 above it, 4 per
 * "\xNN".
 *
 * Write errors are sticky: the first one is kept and svgtext_flush()
 * returns it.
 */
#ifndef TIPROF_SVGTEXT_H
#define TIPROF_SVGTEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SVGTEXT_BUF ((size_t)256 << 10)

struct svgtext {
	FILE *fp;
	int err;		/* 0 or -EIO */
	size_t len;
	char *buf;		/* SVGTEXT_BUF bytes */
};

enum svgtext_mode { SVGTEXT_XML = 0, SVGTEXT_JS };

/* 0 or -ENOMEM. */
int svgtext_init(struct svgtext *w, FILE *fp);
/* Write out what is buffered; 0 or -EIO (also for any earlier failure). */
int svgtext_flush(struct svgtext *w);
/* Free the buffer (without flushing). Accepts a zeroed struct. */
void svgtext_free(struct svgtext *w);

/* Copy through to the file once the buffer fills (the slow path of
 * svgtext_put()). */
void svgtext_spill(struct svgtext *w, const void *s, size_t n);

static inline void svgtext_put(struct svgtext *w, const void *s, size_t n)
{
	if (n < SVGTEXT_BUF - w->len) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
	} else {
		svgtext_spill(w, s, n);
	}
}

static inline void svgtext_putc(struct svgtext *w, char c)
{
	if (w->len + 1 < SVGTEXT_BUF)
		w->buf[w->len++] = c;
	else
		svgtext_spill(w, &c, 1);
}

void svgtext_puts(struct svgtext *w, const char *s);
void svgtext_int(struct svgtext *w, int64_t v);
/* v with thousands separators: 1,234,567. */
void svgtext_count(struct svgtext *w, int64_t v);
/* v rounded to `decimals` (0-6) places, trailing zeros dropped: 12.5, 3. */
void svgtext_num(struct svgtext *w, double v, int decimals);
/* 100 * part / whole, rounded half up to two places: 5.67 (0.00 if whole
 * is 0). A negative part gives a leading '-'. */
void svgtext_pct(struct svgtext *w, int64_t part, int64_t whole);
/* #rrggbb */
void svgtext_color(struct svgtext *w, uint32_t rgb);

/* Write s[0..n) escaped for mode. */
void svgtext_escape(struct svgtext *w, const char *s, size_t n, enum svgtext_mode mode);
/* Display columns of s[0..n); counting stops once past stop. */
size_t svgtext_columns(const char *s, size_t n, size_t stop);
/* A label fitting chars columns (XML mode): nothing below 3; the whole
 * name if it fits; else its first chars-2 columns and "..". Returns 1 if
 * anything was written. */
int svgtext_label(struct svgtext *w, const char *s, size_t n, size_t chars);

#endif
