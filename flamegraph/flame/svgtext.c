/* svgtext.c - see svgtext.h. */
#include "flamegraph/flame/svgtext.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char hexdig[] = "0123456789abcdef";

int svgtext_init(struct svgtext *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->buf = malloc(SVGTEXT_BUF);
	return w->buf ? 0 : -ENOMEM;
}

static void drain(struct svgtext *w)
{
	if (w->len && !w->err && fwrite(w->buf, 1, w->len, w->fp) != w->len)
		w->err = -EIO;
	w->len = 0;
}

int svgtext_flush(struct svgtext *w)
{
	drain(w);
	if (!w->err && (fflush(w->fp) != 0 || ferror(w->fp)))
		w->err = -EIO;
	return w->err;
}

void svgtext_free(struct svgtext *w)
{
	free(w->buf);
	w->buf = NULL;
}

void svgtext_spill(struct svgtext *w, const void *s, size_t n)
{
	const char *p = s;

	while (n) {
		size_t room = SVGTEXT_BUF - w->len, k = n < room ? n : room;

		memcpy(w->buf + w->len, p, k);
		w->len += k;
		p += k;
		n -= k;
		if (w->len == SVGTEXT_BUF)
			drain(w);
	}
}

void svgtext_puts(struct svgtext *w, const char *s)
{
	svgtext_put(w, s, strlen(s));
}

/* Digits of v, most significant first, into d (24 bytes); returns count. */
static int digits(uint64_t v, char *d)
{
	char tmp[24];
	int n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		d[i] = tmp[n - 1 - i];
	return n;
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

void svgtext_int(struct svgtext *w, int64_t v)
{
	char d[24];
	int n;

	if (v < 0)
		svgtext_putc(w, '-');
	n = digits(magnitude(v), d);
	svgtext_put(w, d, (size_t)n);
}

void svgtext_count(struct svgtext *w, int64_t v)
{
	char d[24], out[32];
	int n, i, k = 0;

	if (v < 0)
		svgtext_putc(w, '-');
	n = digits(magnitude(v), d);
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = d[i];
	}
	svgtext_put(w, out, (size_t)k);
}

void svgtext_num(struct svgtext *w, double v, int decimals)
{
	static const double scale[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	char d[24];
	uint64_t m, ip, fp;
	double a;
	int n, i;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	if (!isfinite(v))
		v = 0;
	a = fabs(v) * scale[decimals] + 0.5;
	if (a >= 1.8e19)
		a = 1.8e19;
	m = (uint64_t)a;
	ip = m / (uint64_t)scale[decimals];
	fp = m % (uint64_t)scale[decimals];
	if (v < 0 && m)
		svgtext_putc(w, '-');
	n = digits(ip, d);
	svgtext_put(w, d, (size_t)n);
	if (!fp)
		return;
	while (fp % 10 == 0) {
		fp /= 10;
		decimals--;
	}
	svgtext_putc(w, '.');
	n = digits(fp, d);
	for (i = n; i < decimals; i++)
		svgtext_putc(w, '0');
	svgtext_put(w, d, (size_t)n);
}

void svgtext_pct(struct svgtext *w, int64_t part, int64_t whole)
{
	__int128 q = 0;
	uint64_t m;
	char d[40];
	int n;

	if (whole > 0) {
		__int128 p = part < 0 ? -(__int128)part : (__int128)part;

		q = (p * 20000 + whole) / ((__int128)whole * 2);	/* hundredths of a percent */
	}
	if (part < 0 && q)
		svgtext_putc(w, '-');
	if (q > (__int128)UINT64_MAX)
		q = UINT64_MAX;
	m = (uint64_t)q;
	n = digits(m / 100, d);
	d[n++] = '.';
	d[n++] = (char)('0' + m % 100 / 10);
	d[n++] = (char)('0' + m % 10);
	svgtext_put(w, d, (size_t)n);
}

void svgtext_color(struct svgtext *w, uint32_t rgb)
{
	char c[7];
	int i;

	c[0] = '#';
	for (i = 0; i < 6; i++)
		c[1 + i] = hexdig[(rgb >> (20 - 4 * i)) & 15];
	svgtext_put(w, c, 7);
}

/* Byte length of the valid UTF-8 XML character at s, or 0. */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2 || c > 0xf4)
		return 0;
	if (c < 0xe0) {
		if (n < 2 || (s[1] & 0xc0) != 0x80)
			return 0;
		*cp = (c & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (c < 0xf0) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
			return 0;	/* overlong, surrogate */
		*cp = (c & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		if (*cp == 0xfffe || *cp == 0xffff)
			return 0;	/* not XML characters */
		return 3;
	}
	if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
		return 0;
	if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
		return 0;	/* overlong, above U+10FFFF */
	*cp = (c & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 | (uint32_t)(s[2] & 0x3f) << 6 |
	      (s[3] & 0x3f);
	return 4;
}

/* One unit of repaired text at s: its byte length, and in *bad whether it
 * is shown as "\xNN" (a control or invalid byte). */
static size_t unit_at(const unsigned char *s, size_t n, uint32_t *cp, int *bad)
{
	size_t k = utf8_char(s, n, cp);

	*bad = k == 0 || *cp < 0x20 || *cp == 0x7f;
	return k ? k : 1;
}

static size_t unit_columns(uint32_t cp, int bad)
{
	return bad ? 4 : (cp >= 0x10000 ? 2 : 1);
}

/* Plain ASCII copied as is in XML mode. */
static int xml_plain(unsigned c)
{
	return c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'';
}

static int js_plain(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == ' ' || c == '_' || c == '.' || c == ',' || c == ':' || c == '-';
}

static void put_u16(struct svgtext *w, unsigned u)
{
	char e[6] = { '\\', 'u', hexdig[(u >> 12) & 15], hexdig[(u >> 8) & 15],
		      hexdig[(u >> 4) & 15], hexdig[u & 15] };

	svgtext_put(w, e, 6);
}

/* Write one unit (or, with part < 4, the first part columns of a "\xNN"). */
static void put_unit(struct svgtext *w, const unsigned char *s, size_t k, uint32_t cp,
		     int bad, enum svgtext_mode mode, size_t part)
{
	if (bad) {
		char e[4] = { '\\', 'x', hexdig[s[0] >> 4], hexdig[s[0] & 15] };
		size_t i;

		for (i = 0; i < 4 && i < part; i++) {
			if (mode == SVGTEXT_JS && i == 0)
				svgtext_put(w, "\\\\", 2);
			else
				svgtext_putc(w, e[i]);
		}
		return;
	}
	if (mode == SVGTEXT_JS) {
		if (js_plain(cp)) {
			svgtext_putc(w, (char)cp);
		} else if (cp >= 0x10000) {
			put_u16(w, 0xd800 + ((cp - 0x10000) >> 10));
			put_u16(w, 0xdc00 + ((cp - 0x10000) & 0x3ff));
		} else {
			put_u16(w, cp);
		}
		return;
	}
	switch (cp) {
	case '&': svgtext_put(w, "&amp;", 5); return;
	case '<': svgtext_put(w, "&lt;", 4); return;
	case '>': svgtext_put(w, "&gt;", 4); return;
	case '"': svgtext_put(w, "&quot;", 6); return;
	case '\'': svgtext_put(w, "&#39;", 5); return;
	}
	svgtext_put(w, s, k);
}

void svgtext_escape(struct svgtext *w, const char *str, size_t n, enum svgtext_mode mode)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		size_t j = i, k;
		uint32_t cp;
		int bad;

		if (mode == SVGTEXT_XML) {
			while (j < n && xml_plain(s[j]))
				j++;
			if (j > i) {
				svgtext_put(w, s + i, j - i);
				i = j;
				continue;
			}
		}
		k = unit_at(s + i, n - i, &cp, &bad);
		put_unit(w, s + i, k, cp, bad, mode, 4);
		i += k;
	}
}

size_t svgtext_columns(const char *str, size_t n, size_t stop)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, cols = 0;

	while (i < n && cols <= stop) {
		uint32_t cp;
		int bad;

		if (s[i] >= 0x20 && s[i] < 0x7f) {
			i++;
			cols++;
			continue;
		}
		i += unit_at(s + i, n - i, &cp, &bad);
		cols += unit_columns(cp, bad);
	}
	return cols;
}

int svgtext_label(struct svgtext *w, const char *str, size_t n, size_t chars)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, used = 0, limit;

	if (chars < 3 || n == 0)
		return 0;
	if (svgtext_columns(str, n, chars) <= chars) {
		svgtext_escape(w, str, n, SVGTEXT_XML);
		return 1;
	}
	limit = chars - 2;
	while (i < n && used < limit) {
		uint32_t cp;
		int bad;
		size_t k = unit_at(s + i, n - i, &cp, &bad), c = unit_columns(cp, bad);

		if (used + c > limit) {
			if (bad)
				put_unit(w, s + i, k, cp, bad, SVGTEXT_XML, limit - used);
			break;
		}
		put_unit(w, s + i, k, cp, bad, SVGTEXT_XML, 4);
		used += c;
		i += k;
	}
	svgtext_put(w, "..", 2);
	return 1;
}
