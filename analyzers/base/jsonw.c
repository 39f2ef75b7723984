/* jsonw.c - see jsonw.h */
#include "analyzers/base/jsonw.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

void jsonw_init(struct jsonw *w, FILE *fp)
{
	w->fp = fp;
	w->depth = 0;
	w->err = 0;
	w->first[0] = 1;
	w->after_key = 0;
}

/* Put the separator a new value needs at the current position. */
static int jsonw_sep(struct jsonw *w)
{
	if (w->err)
		return -1;
	if (w->after_key) {
		w->after_key = 0;
		return 0;
	}
	if (!w->first[w->depth])
		putc(',', w->fp);
	w->first[w->depth] = 0;
	return 0;
}

static void jsonw_open(struct jsonw *w, int c)
{
	if (jsonw_sep(w) < 0)
		return;
	if (w->depth >= JSONW_MAX_DEPTH) {
		w->err = -E2BIG;
		return;
	}
	putc(c, w->fp);
	w->first[++w->depth] = 1;
}

static void jsonw_close(struct jsonw *w, int c)
{
	if (w->err)
		return;
	if (w->depth <= 0 || w->after_key) {
		w->err = -EINVAL;
		return;
	}
	w->depth--;
	putc(c, w->fp);
}

void jsonw_object_begin(struct jsonw *w) { jsonw_open(w, '{'); }
void jsonw_object_end(struct jsonw *w) { jsonw_close(w, '}'); }
void jsonw_array_begin(struct jsonw *w) { jsonw_open(w, '['); }
void jsonw_array_end(struct jsonw *w) { jsonw_close(w, ']'); }

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

static void jsonw_raw_string(struct jsonw *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;

	putc('"', w->fp);
	while (i < n) {
		unsigned char c = s[i];

		switch (c) {
		case '"': fputs("\\\"", w->fp); i++; continue;
		case '\\': fputs("\\\\", w->fp); i++; continue;
		case '\n': fputs("\\n", w->fp); i++; continue;
		case '\r': fputs("\\r", w->fp); i++; continue;
		case '\t': fputs("\\t", w->fp); i++; continue;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(w->fp, "\\u%04x", c);
			i++;
			continue;
		}
		k = utf8_len(s + i, n - i);
		if (k == 0) {
			/* Not UTF-8: keep the byte's value as a code point. */
			fprintf(w->fp, "\\u%04x", c);
			i++;
			continue;
		}
		fwrite(s + i, 1, k, w->fp);
		i += k;
	}
	putc('"', w->fp);
}

void jsonw_key(struct jsonw *w, const char *key)
{
	if (jsonw_sep(w) < 0)
		return;
	jsonw_raw_string(w, key, strlen(key));
	putc(':', w->fp);
	w->after_key = 1;
}

void jsonw_string_n(struct jsonw *w, const char *s, size_t n)
{
	if (jsonw_sep(w) < 0)
		return;
	jsonw_raw_string(w, s, n);
}

void jsonw_string(struct jsonw *w, const char *s)
{
	if (!s) {
		jsonw_null(w);
		return;
	}
	jsonw_string_n(w, s, strlen(s));
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	if (jsonw_sep(w) == 0)
		fprintf(w->fp, "%" PRId64, v);
}

void jsonw_uint(struct jsonw *w, uint64_t v)
{
	if (jsonw_sep(w) == 0)
		fprintf(w->fp, "%" PRIu64, v);
}

void jsonw_double(struct jsonw *w, double v, int decimals)
{
	if (jsonw_sep(w) < 0)
		return;
	if (!isfinite(v)) {
		fputs("null", w->fp);
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	/* No "-0.00". */
	if (v < 0 && v > -0.5 * pow(10, -decimals))
		v = 0;
	fprintf(w->fp, "%.*f", decimals, v);
}

void jsonw_bool(struct jsonw *w, int v)
{
	if (jsonw_sep(w) == 0)
		fputs(v ? "true" : "false", w->fp);
}

void jsonw_null(struct jsonw *w)
{
	if (jsonw_sep(w) == 0)
		fputs("null", w->fp);
}

void jsonw_kv_string(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void jsonw_kv_uint(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_key(w, key);
	jsonw_uint(w, v);
}

void jsonw_kv_double(struct jsonw *w, const char *key, double v, int decimals)
{
	jsonw_key(w, key);
	jsonw_double(w, v, decimals);
}

void jsonw_kv_bool(struct jsonw *w, const char *key, int v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void jsonw_kv_lines(struct jsonw *w, const char *key, const char *text, size_t len)
{
	const char *p = text, *end = text ? text + len : NULL;

	jsonw_key(w, key);
	jsonw_array_begin(w);
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			nl = end;
		jsonw_string_n(w, p, (size_t)(nl - p));
		p = nl + 1;
	}
	jsonw_array_end(w);
}

int jsonw_end_line(struct jsonw *w)
{
	if (!w->err && (w->depth != 0 || w->after_key))
		w->err = -EINVAL;
	putc('\n', w->fp);
	if (!w->err && ferror(w->fp))
		w->err = -EIO;
	return w->err;
}
