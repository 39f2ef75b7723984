/* palette.c - see palette.h.
 *
 * Basic palettes are a base colour plus up to three scaled "random"
 * components v1..v3 in [0,1) that come from the name: a full hash by
 * default, or (hash mode) a weighting of the first characters, so names
 * sharing a prefix land close together. Multi palettes (java, js, perl,
 * chain, wakeup) first pick a basic palette from the name's shape. The go
 * and rust palettes work in HSL: the family fixes a hue range, the package
 * or crate picks a hue inside it, the function varies the lightness a bit.
 */
#include "flamegraph/flame/palette.h"
#include "analyzers/base/hash.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static const char *const names[PALETTE_COUNT] = {
	"hot", "mem", "io", "wakeup", "chain", "java", "js", "perl", "red", "green",
	"blue", "aqua", "yellow", "purple", "orange", "go", "rust",
};

int palette_parse(const char *name, enum palette_kind *out)
{
	int i;

	for (i = 0; i < PALETTE_COUNT; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum palette_kind)i;
			return 0;
		}
	return -EINVAL;
}

const char *palette_name(enum palette_kind k)
{
	return (unsigned)k < PALETTE_COUNT ? names[k] : "?";
}

static uint32_t rgb(int r, int g, int b)
{
	return (uint32_t)(r & 255) << 16 | (uint32_t)(g & 255) << 8 | (uint32_t)(b & 255);
}

static int has(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle)) != NULL;
}

static int ends(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

size_t palette_strip(const char *name, size_t len)
{
	if (len >= 4 && name[len - 4] == '_' && name[len - 3] == '[' && name[len - 1] == ']' &&
	    (name[len - 2] == 'k' || name[len - 2] == 'j' || name[len - 2] == 'i' ||
	     name[len - 2] == 'w'))
		return len - 4;
	return len;
}

/* Hash mode: a value in [0,1) from the first characters, the first
 * weighing most. Any "module`" prefix is skipped. */
static double prefix_value(const char *s, size_t n, int backwards)
{
	const unsigned char *u = (const unsigned char *)s;
	const void *tick = memchr(s, '`', n);
	double v = 0, w = 1;
	size_t i, k;

	if (tick && !backwards) {
		size_t skip = (size_t)((const char *)tick - s) + 1;

		u += skip;
		n -= skip;
	}
	for (k = 0; k < 6 && k < n; k++) {
		i = backwards ? n - 1 - k : k;
		w *= 0.5;
		v += w * (double)(u[i] % 16) / 16.0;
		if (k == 0)
			v += w * (double)((u[i] / 16) % 4) / 64.0;
	}
	return v < 1 ? v : 0.999;
}

static void components(const char *s, size_t n, int hash, double v[3])
{
	if (hash) {
		v[0] = prefix_value(s, n, 0);
		v[1] = v[2] = prefix_value(s, n, 1);
	} else {
		uint64_t h = hash_bytes(s, n, 0xc0102);

		v[0] = (double)(h & 0xffff) / 65536.0;
		v[1] = (double)((h >> 16) & 0xffff) / 65536.0;
		v[2] = (double)((h >> 32) & 0xffff) / 65536.0;
	}
}

static uint32_t basic(enum palette_kind k, const double v[3])
{
	double a = v[0], b = v[1], c = v[2];

	switch (k) {
	case PALETTE_MEM:
		return rgb(0, 190 + (int)(50 * b), (int)(210 * a));
	case PALETTE_IO:
		return rgb(80 + (int)(60 * a), 80 + (int)(60 * a), 190 + (int)(55 * b));
	case PALETTE_RED:
		return rgb(200 + (int)(55 * a), 50 + (int)(80 * a), 50 + (int)(80 * a));
	case PALETTE_GREEN:
		return rgb(50 + (int)(60 * a), 200 + (int)(55 * a), 50 + (int)(60 * a));
	case PALETTE_BLUE:
		return rgb(80 + (int)(60 * a), 80 + (int)(60 * a), 205 + (int)(50 * a));
	case PALETTE_AQUA:
		return rgb(50 + (int)(60 * a), 165 + (int)(55 * a), 165 + (int)(55 * a));
	case PALETTE_YELLOW:
		return rgb(175 + (int)(55 * a), 175 + (int)(55 * a), 50 + (int)(20 * a));
	case PALETTE_PURPLE:
		return rgb(190 + (int)(65 * a), 80 + (int)(60 * a), 190 + (int)(65 * a));
	case PALETTE_ORANGE:
		return rgb(190 + (int)(65 * a), 90 + (int)(65 * a), 0);
	default:	/* hot */
		return rgb(205 + (int)(50 * c), (int)(230 * a), (int)(55 * b));
	}
}

/* h in degrees, s and l in [0,1]. */
static uint32_t hsl(double h, double s, double l)
{
	double c = (1 - fabs(2 * l - 1)) * s, hp = fmod(h, 360) / 60;
	double x = c * (1 - fabs(fmod(hp, 2) - 1)), m = l - c / 2, r, g, b;

	if (hp < 1)
		r = c, g = x, b = 0;
	else if (hp < 2)
		r = x, g = c, b = 0;
	else if (hp < 3)
		r = 0, g = c, b = x;
	else if (hp < 4)
		r = 0, g = x, b = c;
	else if (hp < 5)
		r = x, g = 0, b = c;
	else
		r = c, g = 0, b = x;
	return rgb((int)((r + m) * 255 + 0.5), (int)((g + m) * 255 + 0.5),
		   (int)((b + m) * 255 + 0.5));
}

static double unit(uint64_t h)
{
	return (double)(h >> 11) / 9007199254740992.0;	/* [0,1) */
}

/* A colour within a family: the unit (package, crate) picks the hue in
 * [h0, h0+hspan), the full name nudges the lightness. */
static uint32_t family(const char *unitname, size_t ulen, const char *name, size_t len,
		       double h0, double hspan, double s, double l, double lspan)
{
	uint64_t hu = hash_bytes(unitname, ulen, 0xfa111);
	uint64_t hn = hash_bytes(name, len, 0x11fe);
	double lum = l + (unit(hu >> 1) - 0.5) * lspan * 0.5 + (unit(hn) - 0.5) * lspan * 0.5;

	return hsl(h0 + unit(hu) * hspan, s, lum);
}

static uint32_t grey(const char *name, size_t len)
{
	int v = 170 + (int)(50 * unit(hash_bytes(name, len, 0x9e7)));

	return rgb(v, v, v - 8);
}

static uint32_t kernel(const char *name, size_t len)
{
	return family("", 0, name, len, 25, 12, 0.80, 0.60, 0.10);
}

/* The package of a Go symbol: before the first '.' after the last '/'
 * (looking only before any '(' or '['). 0 if it does not look like Go. */
static size_t go_package(const char *s, size_t n)
{
	size_t limit = n, i, start = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '(' || s[i] == '[' || s[i] == ' ' || s[i] == '<') {
			limit = i;
			break;
		}
	for (i = 0; i < limit; i++)
		if (s[i] == '/')
			start = i + 1;
	for (i = start; i < limit; i++)
		if (s[i] == '.')
			return i;
	return 0;
}

static int go_gc(const char *fn, size_t n)
{
	static const char *const gc[] = {
		"gc", "mark", "scan", "sweep", "greyobject", "bgscavenge", "scavenge",
		"wbBuf", "findObject", "heapBits", "bulkBarrier", "shade",
	};
	size_t i;

	while (n && (*fn == '(' || *fn == '*')) {	/* (*gcWork).put */
		fn++;
		n--;
	}
	for (i = 0; i < sizeof(gc) / sizeof(gc[0]); i++) {
		size_t m = strlen(gc[i]);

		if (n >= m && memcmp(fn, gc[i], m) == 0)
			return 1;
	}
	return has(fn, n, "GC") || has(fn, n, "Mark") || has(fn, n, "Sweep");
}

static uint32_t go_color(const char *s, size_t n)
{
	size_t pk = go_package(s, n);
	const char *slash;

	if (!pk)
		return grey(s, n);
	if ((pk == 7 && memcmp(s, "runtime", 7) == 0) ||
	    (pk > 17 && memcmp(s, "runtime/internal/", 17) == 0) ||
	    (pk > 17 && memcmp(s, "internal/runtime/", 17) == 0)) {
		if (go_gc(s + pk + 1, n - pk - 1))
			return family(s, pk, s, n, 270, 25, 0.45, 0.68, 0.12);
		return family(s, pk, s, n, 200, 28, 0.50, 0.66, 0.14);
	}
	slash = memchr(s, '/', pk);
	if (!memchr(s, '.', slash ? (size_t)(slash - s) : pk) &&
	    !(pk == 4 && memcmp(s, "main", 4) == 0))
		return family(s, pk, s, n, 135, 50, 0.42, 0.62, 0.14);	/* standard library */
	return family(s, pk, s, n, 0, 62, 0.78, 0.60, 0.12);
}

/* "java/...", "Lorg/..." and the like. */
static int java_class(const char *s, size_t n)
{
	static const char *const pre[] = {
		"java/", "javax/", "jdk/", "net/", "org/", "com/", "io/", "sun/",
	};
	size_t i;

	if (n && s[0] == 'L') {
		s++;
		n--;
	}
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (n >= strlen(pre[i]) && memcmp(s, pre[i], strlen(pre[i])) == 0)
			return 1;
	return 0;
}

/* JavaScript source: a '/' followed somewhere by ".js". */
static int js_source(const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n);

	return slash && has(slash, n - (size_t)(slash - s), ".js");
}

static uint32_t rust_color(const char *s, size_t n)
{
	const char *sep;
	size_t i = 0, len;

	for (;;) {	/* "<&mut dyn core::..." -> "core::..." */
		if (i < n && (s[i] == '<' || s[i] == '&' || s[i] == '*' || s[i] == '['))
			i++;
		else if (n - i > 4 && memcmp(s + i, "mut ", 4) == 0)
			i += 4;
		else if (n - i > 4 && memcmp(s + i, "dyn ", 4) == 0)
			i += 4;
		else if (n - i > 6 && memcmp(s + i, "const ", 6) == 0)
			i += 6;
		else
			break;
	}
	sep = memmem(s + i, n - i, "::", 2);
	if (!sep || sep == s + i || memchr(s + i, ' ', (size_t)(sep - s) - i))
		return grey(s, n);
	len = (size_t)(sep - s) - i;
	if ((len == 3 && memcmp(s + i, "std", 3) == 0) ||
	    (len == 4 && memcmp(s + i, "core", 4) == 0) ||
	    (len == 5 && memcmp(s + i, "alloc", 5) == 0))
		return family(s + i, len, s, n, 205, 30, 0.50, 0.66, 0.14);
	return family(s + i, len, s, n, 0, 62, 0.78, 0.60, 0.12);
}

uint32_t palette_color(enum palette_kind k, const char *name, size_t len, int hash)
{
	size_t n = palette_strip(name, len);
	double v[3];

	if (len == 1 && name[0] == '-')
		return rgb(160, 160, 160);
	if (len == 2 && name[0] == '-' && name[1] == '-')
		return rgb(120, 120, 120);
	switch (k) {
	case PALETTE_GO:
	case PALETTE_RUST:
		if (ends(name, len, "_[k]"))
			return kernel(name, n);
		return k == PALETTE_GO ? go_color(name, n) : rust_color(name, n);
	case PALETTE_JAVA:
		if (ends(name, len, "_[j]"))
			k = PALETTE_GREEN;
		else if (ends(name, len, "_[i]"))
			k = PALETTE_AQUA;
		else if (java_class(name, len) || has(name, len, ":::"))
			k = PALETTE_GREEN;
		else if (has(name, len, "::"))
			k = PALETTE_YELLOW;
		else if (ends(name, len, "_[k]"))
			k = PALETTE_ORANGE;
		else
			k = PALETTE_RED;
		break;
	case PALETTE_PERL:
		if (has(name, len, "::"))
			k = PALETTE_YELLOW;
		else if (has(name, len, "Perl") || has(name, len, ".pl"))
			k = PALETTE_GREEN;
		else if (ends(name, len, "_[k]"))
			k = PALETTE_ORANGE;
		else
			k = PALETTE_RED;
		break;
	case PALETTE_JS:
		if (ends(name, len, "_[j]")) {
			k = memchr(name, '/', len) ? PALETTE_GREEN : PALETTE_AQUA;
		} else if (has(name, len, "::")) {
			k = PALETTE_YELLOW;
		} else if (js_source(name, len)) {
			k = PALETTE_GREEN;
		} else if (memchr(name, ':', len)) {
			k = PALETTE_AQUA;
		} else if (len == 1 && name[0] == ' ') {
			k = PALETTE_GREEN;
		} else if (has(name, len, "_[k]")) {
			k = PALETTE_ORANGE;
		} else {
			k = PALETTE_RED;
		}
		break;
	case PALETTE_WAKEUP:
		k = PALETTE_AQUA;
		break;
	case PALETTE_CHAIN:
		k = has(name, len, "_[w]") ? PALETTE_AQUA : PALETTE_BLUE;
		break;
	default:
		break;
	}
	components(name, n, hash, v);
	return basic(k, v);
}

uint32_t palette_diff(double delta, double maxdelta, int negate)
{
	int c;

	if (negate)
		delta = -delta;
	if (!(maxdelta > 0) || delta == 0)
		return rgb(255, 255, 255);
	if (fabs(delta) > maxdelta)
		delta = delta > 0 ? maxdelta : -maxdelta;
	c = (int)(210 * (maxdelta - fabs(delta)) / maxdelta);
	if (delta > 0)
		return rgb(255, c, c);
	return rgb(c, c, 255);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int palette_background(const char *bgcolors, enum palette_kind k,
		       uint32_t *top, uint32_t *bottom)
{
	const char *b = bgcolors;
	int i;

	if (!b) {
		switch (k) {
		case PALETTE_MEM:
			b = "green";
			break;
		case PALETTE_IO:
		case PALETTE_WAKEUP:
		case PALETTE_CHAIN:
			b = "blue";
			break;
		case PALETTE_GO:
		case PALETTE_RUST:
			b = "grey";
			break;
		default:
			b = "yellow";
			break;
		}
	}
	if (strcmp(b, "yellow") == 0) {
		*top = 0xeeeeee;
		*bottom = 0xeeeeb0;
	} else if (strcmp(b, "blue") == 0) {
		*top = 0xf8f8ff;
		*bottom = 0xe8e8ee;
	} else if (strcmp(b, "green") == 0) {
		*top = 0xeef2ee;
		*bottom = 0xe0ffe0;
	} else if (strcmp(b, "grey") == 0 || strcmp(b, "gray") == 0) {
		*top = 0xf8f8f8;
		*bottom = 0xe8e8e8;
	} else if (b[0] == '#' && strlen(b) == 7) {
		uint32_t v = 0;

		for (i = 1; i < 7; i++) {
			int h = hexval((unsigned char)b[i]);

			if (h < 0)
				return -EINVAL;
			v = v << 4 | (uint32_t)h;
		}
		*top = *bottom = v;
	} else {
		return -EINVAL;
	}
	return 0;
}
