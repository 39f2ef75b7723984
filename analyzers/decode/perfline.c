/* perfline.c - see perfline.h.
 *
 * Each emulation states the expression it stands for and why a single
 * scan finds the match Perl's backtracking finds. All are linear in the
 * line length.
 */
#include "analyzers/decode/perfline.h"
#include "analyzers/base/text.h"

#include <stdint.h>
#include <string.h>

#define SINGLE_LINE_TRIES 16	/* split points tried per line */

static int is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

static int is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

size_t perfline_skip_ws(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && perfline_is_ws((unsigned char)s[i]))
		i++;
	return i;
}

/* Whether s[0..n) holds a whitespace byte; eight bytes at a time. */
static int any_ws(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t i = 0, j;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		/* some byte < 0x21: look closer */
		if (((w - ones * 0x21) & ~w & highs) != 0)
			for (j = i; j < i + 8; j++)
				if (perfline_is_ws((unsigned char)s[j]))
					return 1;
	}
	for (; i < n; i++)
		if (perfline_is_ws((unsigned char)s[i]))
			return 1;
	return 0;
}

/* ^(\S.+?)\s+(\d+)[/]*(\d+)*\s+
 * The lazy comm ends at the first whitespace run (at offset 2 or more)
 * that is followed by digits, optional slashes, optional digits and
 * whitespace, all runs taken whole: a shorter run leaves a digit or a
 * slash where whitespace is needed, so backtracking never finds another
 * way. Each whitespace run is tried once, which keeps this linear. */
int perfline_header(const char *s, size_t n, struct perfline_header *h)
{
	size_t k = 2, j, d, e, t;

	if (n < 3 || perfline_is_ws((unsigned char)s[0]))
		return 0;
	while (k < n) {
		if (!perfline_is_ws((unsigned char)s[k])) {
			k++;
			continue;
		}
		j = k;
		while (j < n && perfline_is_ws((unsigned char)s[j]))
			j++;
		d = j;
		while (d < n && is_digit((unsigned char)s[d]))
			d++;
		if (d > j) {
			e = d;
			while (e < n && s[e] == '/')
				e++;
			t = e;
			while (t < n && is_digit((unsigned char)s[t]))
				t++;
			if (t < n && perfline_is_ws((unsigned char)s[t])) {
				h->comm = k;
				h->pid.s = s + j;
				h->pid.n = d - j;
				h->tid.s = s + e;
				h->tid.n = t - e;
				return 1;
			}
		}
		k = j;
	}
	return 0;
}

/* :\s*(\d+)*\s+(\S+):\s*$
 * The ':' before \s*$ can only be the last non-space byte, (\S+) is then
 * the whole last word without that ':', and the bytes between the word
 * and the starting ':' must be spaces, at most one run of digits, and
 * spaces (at least one). So the match, if any, is found by walking back
 * from the end. per.n == 0 when there are no digits. */
int perfline_event(const char *s, size_t n, struct perfline_span *ev, struct perfline_span *per)
{
	size_t e = n, ts, w, d, c;

	while (e > 0 && perfline_is_ws((unsigned char)s[e - 1]))
		e--;
	if (e < 2 || s[e - 1] != ':')
		return 0;
	ts = e - 1;
	while (ts > 0 && !perfline_is_ws((unsigned char)s[ts - 1]))
		ts--;
	if (ts == e - 1 || ts == 0)
		return 0;
	w = ts;
	while (w > 0 && perfline_is_ws((unsigned char)s[w - 1]))
		w--;
	d = w;
	while (d > 0 && is_digit((unsigned char)s[d - 1]))
		d--;
	c = d;
	if (d < w)
		while (c > 0 && perfline_is_ws((unsigned char)s[c - 1]))
			c--;
	if (c == 0 || s[c - 1] != ':')
		return 0;
	ev->s = s + ts;
	ev->n = e - 1 - ts;
	per->s = s + d;
	per->n = w - d;
	return 1;
}

/* ^\s*(\w+)\s*(.+) \((\S*)\)
 * Unanchored at the end, so the greedy (.+) makes " (" the rightmost one
 * whose following non-space run holds a ')' (the module ends at the last
 * ')' of that run). The function starts after the spaces that follow the
 * address, unless that leaves it empty: then Perl gives back spaces, and
 * then word bytes of the address, one at a time. */
int perfline_frame(const char *s, size_t n, struct perfline_frame *k)
{
	size_t L, W, S, i, p = 0, close = 0, f;
	int found = 0, have_close = 0;

	L = perfline_skip_ws(s, n);
	W = L;
	while (W < n && is_word((unsigned char)s[W]))
		W++;
	if (W == L)
		return 0;
	S = W + perfline_skip_ws(s + W, n - W);
	/* Common case: the line ends with "(module)" holding no space and no
	 * other '(', which is then the rightmost candidate. */
	if (n > L + 4 && s[n - 1] == ')') {
		const char *q = memrchr(s + L + 3, '(', n - L - 4);

		if (q && q[-1] == ' ' && !any_ws(q, (size_t)(s + n - q))) {
			p = (size_t)(q - s) - 1;
			close = n - 1;
			found = 1;
		}
	}
	for (i = found ? 0 : n; i > L + 2; i--) {
		unsigned char c = (unsigned char)s[i - 1];

		if (perfline_is_ws(c)) {
			if (c == ' ' && have_close && i < n && s[i] == '(') {
				p = i - 1;
				found = 1;
				break;
			}
			have_close = 0;
		} else if (c == ')' && !have_close) {
			have_close = 1;
			close = i - 1;
		}
	}
	if (!found)
		return 0;
	f = p >= S + 1 ? S : p - 1;
	k->pc.s = s + L;
	k->pc.n = (f < W ? f : W) - L;
	k->func.s = s + f;
	k->func.n = p - f;
	k->mod.s = s + p + 2;
	k->mod.n = close - (p + 2);
	return 1;
}

/* A header line that failed perfline_event() but carries its one frame after
 * the event ("comm 1 2.0: 1 cycles:  ffff sym (dso)", perf script without
 * call chains): the first "event: " split that leaves a valid event part
 * and a stack line with a hexadecimal address. */
int perfline_single(const char *l, size_t n, struct perfline_span *ev, struct perfline_span *per,
			struct perfline_frame *k)
{
	size_t i = 0, tries = 0, j;

	while (i + 1 < n && tries < SINGLE_LINE_TRIES) {
		const char *c = memchr(l + i, ':', n - i - 1);

		if (!c)
			break;
		i = (size_t)(c - l) + 1;
		if (!perfline_is_ws((unsigned char)l[i]))
			continue;
		tries++;
		if (!perfline_event(l, i, ev, per) || !perfline_frame(l + i, n - i, k))
			continue;
		for (j = 0; j < k->pc.n; j++)
			if (!is_hex((unsigned char)k->pc.s[j]))
				break;
		if (j == k->pc.n)
			return 1;
	}
	return 0;
}
