/* perfname.c - see perfname.h */
#include "analyzers/decode/perfname.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

static int is_ident(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int is_xdigit(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static int has(const char *s, size_t n, const char *what)
{
	return memmem(s, n, what, strlen(what)) != NULL;
}

static int ends_with(const char *s, size_t n, const char *what)
{
	size_t k = strlen(what);

	return n >= k && memcmp(s + n - k, what, k) == 0;
}

static const char *base_name(const char *s, size_t n, size_t *blen)
{
	const char *sl = memrchr(s, '/', n);
	const char *b = sl ? sl + 1 : s;

	*blen = (size_t)(s + n - b);
	return b;
}

/* Length of the operator symbol at s (after the word "operator") that
 * contains angle brackets, or 0. */
static size_t operator_len(const char *s, size_t n)
{
	static const char *const ops[] = {
		"<=>", "<<=", ">>=", "->*", "<<", ">>", "<=", ">=", "->", "<", ">",
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t k = strlen(ops[i]);

		if (n >= k && memcmp(s, ops[i], k) == 0)
			return k;
	}
	return 0;
}

size_t perfname_cut(const char *s, size_t n)
{
	static const char anon[] = "anonymous namespace)";
	const size_t anon_len = sizeof(anon) - 1;
	const char *go = memmem(s, n, ".(", 2);
	size_t i, first = n, first0 = n, depth = 0;
	int balanced = 1;

	if (go) {
		size_t from = (size_t)(go - s) + 2;

		if (memmem(s + from, n - from, ").", 2))
			return n;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 'o' && n - i >= 8 && memcmp(s + i, "operator", 8) == 0 &&
		    (i == 0 || !is_ident((unsigned char)s[i - 1]))) {
			i += 7 + operator_len(s + i + 8, n - i - 8);
			continue;
		}
		if (c == '<') {
			depth++;
		} else if (c == '>') {
			if (depth == 0)
				balanced = 0;
			else
				depth--;
		} else if (c == '(') {
			if (n - i - 1 >= anon_len && memcmp(s + i + 1, anon, anon_len) == 0)
				continue;
			if (first == n)
				first = i;
			if (depth == 0 && first0 == n)
				first0 = i;
		}
	}
	if (depth != 0)
		balanced = 0;
	return balanced ? first0 : first;
}

/* The character an escape $esc$ of a legacy Rust symbol stands for, as
 * UTF-8 in out; its length, or 0 if it is not one we repair. */
static size_t rust_escape(const char *e, size_t n, char *out)
{
	static const struct { const char *esc; char c; } named[] = {
		{ "SP", '@' }, { "BP", '*' }, { "RF", '&' }, { "LT", '<' },
		{ "GT", '>' }, { "LP", '(' }, { "RP", ')' }, { "C", ',' },
	};
	uint32_t cp = 0;
	size_t i;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (n == strlen(named[i].esc) && memcmp(e, named[i].esc, n) == 0) {
			out[0] = named[i].c;
			return 1;
		}
	}
	if (n < 2 || n > 7 || e[0] != 'u')
		return 0;
	for (i = 1; i < n; i++) {
		unsigned char c = (unsigned char)e[i];

		if (c >= '0' && c <= '9')
			cp = cp * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			cp = cp * 16 + (c - 'a' + 10);
		else
			return 0;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp < 0xe000) ||
	    cp > 0x10ffff)
		return 0;
	if (cp < 0x80) {
		out[0] = cp == ';' ? ':' : (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

size_t perfname_rust_repair(char *s, size_t n)
{
	size_t end, r = 0, w = 0, i;

	if (n < 17 || s[n - 17] != 'h')
		return n;
	for (i = n - 16; i < n; i++)
		if (!is_xdigit((unsigned char)s[i]))
			return n;
	end = n - 17;
	if (end >= 2 && s[end - 2] == ':' && s[end - 1] == ':')
		end -= 2;
	if (end >= 2 && s[0] == '_' && s[1] == '$')
		r = 1;
	/* Every escape is at least as long as what replaces it, so the
	 * write position never passes the read position. */
	while (r < end) {
		char c = s[r];

		if (c == '.') {
			if (r + 1 < end && s[r + 1] == '.') {
				s[w++] = ':';
				s[w++] = ':';
				r += 2;
			} else {
				s[w++] = '.';
				r++;
			}
		} else if (c == '$') {
			const char *q = memchr(s + r + 1, '$', end - r - 1);
			char tmp[4];
			size_t k;

			if (!q)
				break;
			k = rust_escape(s + r + 1, (size_t)(q - s) - r - 1, tmp);
			if (!k)
				break;
			memcpy(s + w, tmp, k);
			w += k;
			r = (size_t)(q - s) + 1;
		} else {
			s[w++] = c;
			r++;
		}
	}
	if (r < end) {
		memmove(s + w, s + r, end - r);
		w += end - r;
	}
	return w;
}

int perfname_is_kernel(const char *mod, size_t n)
{
	const char *b;
	size_t blen;

	if (has(mod, n, "unknown"))
		return 0;
	if (n > 0 && mod[0] == '[')
		return 1;
	if (ends_with(mod, n, "vmlinux"))
		return 1;
	b = base_name(mod, n, &blen);
	if (blen >= 8 && memcmp(b, "vmlinux-", 8) == 0)
		return 1;
	return ends_with(b, blen, ".ko") || ends_with(b, blen, ".ko.gz") ||
	       ends_with(b, blen, ".ko.xz") || ends_with(b, blen, ".ko.zst");
}

/* s[0..n) is <digits>+ followed by what. */
static int digits_then(const char *s, size_t n, const char *what, size_t *used)
{
	size_t i = 0, k = strlen(what);

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0 || n - i < k || memcmp(s + i, what, k) != 0)
		return 0;
	if (used)
		*used = i + k;
	return 1;
}

int perfname_is_jit(const char *mod, size_t n)
{
	const char *p = mod, *end = mod + n, *b;
	size_t blen, used;

	while ((p = memmem(p, (size_t)(end - p), "/tmp/perf-", 10)) != NULL) {
		p += 10;
		if (digits_then(p, (size_t)(end - p), ".map", NULL))
			return 1;
	}
	b = base_name(mod, n, &blen);
	if (blen < 7 || memcmp(b, "jitted-", 7) != 0)
		return 0;
	b += 7;
	blen -= 7;
	if (!digits_then(b, blen, "-", &used))
		return 0;
	b += used;
	blen -= used;
	return digits_then(b, blen, ".so", &used) && used == blen;
}

/* Remove the quote characters '"' and '\'' from b in place. */
static void drop_quotes(struct buf *b)
{
	size_t i, w = 0;

	for (i = 0; i < b->len; i++)
		if (b->data[i] != '"' && b->data[i] != '\'')
			b->data[w++] = b->data[i];
	b->len = w;
	b->data[w] = '\0';
}

int perfname_escape(struct buf *b)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, j, count = 0;
	int r;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == ';')
			b->data[i] = ':';
		else if (is_control((unsigned char)b->data[i]))
			count++;
	}
	if (!count)
		return 0;
	if ((r = buf_reserve(b, 3 * count)) < 0)
		return r;
	i = b->len;
	j = b->len + 3 * count;
	b->data[j] = '\0';
	while (i > 0) {
		unsigned char c = (unsigned char)b->data[--i];

		if (is_control(c)) {
			j -= 4;
			b->data[j] = '\\';
			b->data[j + 1] = 'x';
			b->data[j + 2] = hex[c >> 4];
			b->data[j + 3] = hex[c & 15];
		} else {
			b->data[--j] = (char)c;
		}
	}
	b->len += 3 * count;
	return 0;
}

static int put_unknown(struct buf *out, const char *mod, size_t modlen,
		       const char *pc, size_t pclen, unsigned flags)
{
	const char *base = "unknown";
	size_t blen = 7;
	int r;

	if (!(modlen == 9 && memcmp(mod, "[unknown]", 9) == 0))
		base = base_name(mod, modlen, &blen);
	if ((r = buf_putc(out, '[')) < 0 || (r = buf_append(out, base, blen)) < 0)
		return r;
	if (flags & PERFNAME_ADDRS) {
		if ((r = buf_append(out, " <", 2)) < 0 ||
		    (r = buf_append(out, pc, pclen)) < 0 ||
		    (r = buf_putc(out, '>')) < 0)
			return r;
	}
	return buf_putc(out, ']');
}

int perfname_tidy(struct buf *out, const char *piece, size_t n,
		  const char *mod, size_t modlen, const char *pc, size_t pclen,
		  unsigned flags)
{
	size_t i;
	int r;

	buf_reset(out);
	if (n == 9 && memcmp(piece, "[unknown]", 9) == 0)
		r = put_unknown(out, mod, modlen, pc, pclen, flags);
	else
		r = buf_append(out, piece, n);
	if (r < 0)
		return r;
	if (!out->data && (r = buf_reserve(out, 0)) < 0)
		return r;
	for (i = 0; i < out->len; i++)
		if (out->data[i] == ';')
			out->data[i] = ':';
	out->len = perfname_cut(out->data, out->len);
	out->data[out->len] = '\0';
	drop_quotes(out);
	if (flags & PERFNAME_RUST) {
		out->len = perfname_rust_repair(out->data, out->len);
		out->data[out->len] = '\0';
	}
	if ((flags & PERFNAME_JAVA) && out->len > 0 && out->data[0] == 'L' &&
	    memchr(out->data, '/', out->len)) {
		memmove(out->data, out->data + 1, out->len);
		out->len--;
	}
	if (flags & PERFNAME_INLINED) {
		if (!has(out->data, out->len, "_[i]"))
			r = buf_append(out, "_[i]", 4);
	} else if ((flags & PERFNAME_KERNEL) && perfname_is_kernel(mod, modlen)) {
		r = buf_append(out, "_[k]", 4);
	} else if ((flags & PERFNAME_JIT) && perfname_is_jit(mod, modlen)) {
		if (!has(out->data, out->len, "_[j]"))
			r = buf_append(out, "_[j]", 4);
	}
	if (r < 0)
		return r;
	return perfname_escape(out);
}
