/* jsonw.h - a small streaming JSON writer.
 *
 * Writes one JSON value (usually an object on one line) to a stdio stream,
 * putting commas and colons where they belong. Strings are escaped: quote,
 * backslash and control characters, and bytes that are not valid UTF-8
 * (written as \u00XX, so any name, even binary, gives valid JSON).
 * Non-finite numbers are written as null. Nesting deeper than
 * JSONW_MAX_DEPTH sets an error instead of writing.
 */
#ifndef TIPROF_JSONW_H
#define TIPROF_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 32

struct jsonw {
	FILE *fp;
	int depth;
	int err;			/* 0, or a negative errno once anything failed */
	unsigned char first[JSONW_MAX_DEPTH + 1];	/* no member written yet */
	unsigned char after_key;	/* a key was written; its value is next */
};

void jsonw_init(struct jsonw *w, FILE *fp);

void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);

/* An object member's name; the next call writes its value. */
void jsonw_key(struct jsonw *w, const char *key);

void jsonw_string(struct jsonw *w, const char *s);
void jsonw_string_n(struct jsonw *w, const char *s, size_t n);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_uint(struct jsonw *w, uint64_t v);
/* v with decimals digits after the point (0..9); null if not finite. */
void jsonw_double(struct jsonw *w, double v, int decimals);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);

/* Shorthands: key then value. */
void jsonw_kv_string(struct jsonw *w, const char *key, const char *s);
void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_kv_uint(struct jsonw *w, const char *key, uint64_t v);
void jsonw_kv_double(struct jsonw *w, const char *key, double v, int decimals);
void jsonw_kv_bool(struct jsonw *w, const char *key, int v);

/* key, then text[0..len) as an array of strings, one per line ('\n'
 * separates and ends lines). text may be NULL when len is 0. */
void jsonw_kv_lines(struct jsonw *w, const char *key, const char *text, size_t len);

/* Write a newline, check the stream; 0, -EINVAL for unbalanced nesting, or
 * -EIO when a write failed. */
int jsonw_end_line(struct jsonw *w);

#endif
