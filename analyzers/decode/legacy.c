/* legacy.c - see legacy.h */
#include "analyzers/decode/legacy.h"
#include "analyzers/base/buf.h"
#include "analyzers/base/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LABELS 64
#define UNKNOWN "<unknown>"

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* A cursor over one line. */
struct cur {
	const char *s;
	size_t n, i;
};

static void skip_ws(struct cur *c)
{
	while (c->i < c->n && is_space(c->s[c->i]))
		c->i++;
}

static int eat(struct cur *c, char ch)
{
	skip_ws(c);
	if (c->i < c->n && c->s[c->i] == ch) {
		c->i++;
		return 1;
	}
	return 0;
}

/* A decimal integer (optionally negative); -1 not a number, -2 too big. */
static int num(struct cur *c, int64_t *v)
{
	int neg = 0;
	uint64_t x = 0;

	skip_ws(c);
	if (c->i < c->n && c->s[c->i] == '-') {
		neg = 1;
		c->i++;
	}
	if (c->i >= c->n || !is_digit(c->s[c->i]))
		return -1;
	while (c->i < c->n && is_digit(c->s[c->i])) {
		unsigned d = (unsigned)(c->s[c->i++] - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -2;
		x = x * 10 + d;
	}
	if (x > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -2;
	*v = neg ? (int64_t)(0 - x) : (int64_t)x;
	return 0;
}

/* "0x..." hex; -1 not hex, -2 too big. */
static int hex(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	size_t start;

	skip_ws(c);
	if (c->i + 2 > c->n || c->s[c->i] != '0' || (c->s[c->i + 1] != 'x' && c->s[c->i + 1] != 'X'))
		return -1;
	c->i += 2;
	start = c->i;
	while (c->i < c->n) {
		char ch = c->s[c->i];
		unsigned d;

		if (is_digit(ch))
			d = (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			d = (unsigned)(ch - 'A' + 10);
		else
			break;
		if (x >> 60)
			return -2;
		x = x * 16 + d;
		c->i++;
	}
	if (c->i == start)
		return -1;
	*v = x;
	return 0;
}

enum legacy_kind legacy_detect(const char *buf, size_t n)
{
	size_t i = 0, e;
	struct cur c;

	while (i < n && (buf[i] == '\n' || buf[i] == '\r' || is_space(buf[i])))
		i++;
	for (e = i; e < n && buf[e] != '\n'; e++)
		;
	c.s = buf + i;
	c.n = e - i;
	c.i = 0;
	if (starts(c.s, c.n, "heap profile:"))
		return LEGACY_HEAP;
	if (starts(c.s, c.n, "--- mutex:") || starts(c.s, c.n, "--- contention:") ||
	    starts(c.s, c.n, "--- contentionz "))
		return LEGACY_CONTENTION;
	/* "<word> profile: total N" */
	while (c.i < c.n && (is_digit(c.s[c.i]) || c.s[c.i] == '_' ||
			     (c.s[c.i] >= 'a' && c.s[c.i] <= 'z') ||
			     (c.s[c.i] >= 'A' && c.s[c.i] <= 'Z')))
		c.i++;
	if (c.i > 0 && starts(c.s + c.i, c.n - c.i, " profile: total ")) {
		int64_t v;

		c.i += 16;
		if (num(&c, &v) == 0)
			return LEGACY_COUNT;
	}
	return LEGACY_NONE;
}

/* ---- reading ---- */

struct reader {
	struct linereader *lr;
	struct profile *p;
	struct tp_error *err;
	struct legacy_info *info;
	enum legacy_kind kind;
	int v2, has_alloc;
	int64_t period, cpuhz;
	/* the current record */
	int have;
	int64_t v[4];
	size_t nv;
	int64_t blocksize;
	uint64_t *addrs;	/* from the "@" line, leaf first */
	size_t naddrs, acap;
	struct frame *fr;	/* from "#" lines, leaf first */
	size_t nfr, fcap;
	uint32_t *ids;
	size_t icap;
	struct label lab[MAX_LABELS];
	size_t nlab;
	uint32_t k_bytes, u_bytes;
	struct buf tmp;
};

static int bad(struct reader *r, const char *fmt, const char *arg)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	return tp_error_set(r->err, -EBADMSG, linereader_name(r->lr),
			    linereader_lineno(r->lr), -1, fmt, arg);
#pragma GCC diagnostic pop
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc;
	void *np;

	if (need <= *cap)
		return 0;
	if (need > PROFILE_MAX_DEPTH)
		return -E2BIG;
	nc = *cap ? *cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	np = realloc(*p, nc * size);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

static int too_deep(struct reader *r)
{
	return tp_error_set(r->err, -E2BIG, linereader_name(r->lr), linereader_lineno(r->lr), -1,
			    "stack deeper than %zu frames", PROFILE_MAX_DEPTH);
}

/* The record read so far goes into the profile. */
static int flush(struct reader *r)
{
	uint32_t lid;
	size_t i, n = 0;
	int rc, zero = 1;

	if (!r->have)
		return 0;
	r->have = 0;
	for (i = 0; i < r->nv; i++)
		zero &= r->v[i] == 0;
	if (r->info) {
		r->info->records++;
		if (r->nfr)
			r->info->symbolized++;
	}
	if (zero) {
		if (r->info)
			r->info->dropped++;
		return 0;
	}
	if ((rc = grow((void **)&r->ids, &r->icap, (r->nfr ? r->nfr : r->naddrs) + 1,
		       sizeof(*r->ids))) < 0)
		return rc == -E2BIG ? too_deep(r) : rc;
	if (r->nfr) {
		for (i = 0; i < r->nfr; i++) {
			struct frame f = r->fr[i];

			/* Same address as the next (outer) frame but another
			 * function or line: inlined into it. */
			if (i + 1 < r->nfr && r->fr[i + 1].addr == f.addr &&
			    (r->fr[i + 1].name != f.name || r->fr[i + 1].line != f.line))
				f.kind = FRAME_INLINED;
			if ((rc = profile_frame(r->p, &f, &r->ids[n++])) < 0)
				return rc;
		}
	} else {
		for (i = 0; i < r->naddrs; i++) {
			struct frame f;

			memset(&f, 0, sizeof(f));
			if ((rc = profile_intern(r->p, UNKNOWN, strlen(UNKNOWN), &f.name)) < 0)
				return rc;
			f.addr = r->addrs[i] - 1;	/* return address -> call */
			if ((rc = profile_frame(r->p, &f, &r->ids[n++])) < 0)
				return rc;
		}
	}
	if (r->kind == LEGACY_HEAP) {
		if (r->nlab >= MAX_LABELS)
			return bad(r, "%s", "too many labels");
		memset(&r->lab[r->nlab], 0, sizeof(r->lab[0]));
		r->lab[r->nlab].key = r->k_bytes;
		r->lab[r->nlab].num = r->blocksize;
		r->lab[r->nlab++].unit = r->u_bytes;
	}
	if ((rc = profile_labelset(r->p, r->lab, r->nlab, &lid)) < 0)
		return rc;
	rc = profile_add_leaf_first(r->p, r->ids, n, lid, r->v, NULL);
	if (rc == -EOVERFLOW)
		return tp_error_set(r->err, rc, linereader_name(r->lr), linereader_lineno(r->lr), -1,
				    "values overflow a signed 64-bit sum");
	if (rc == -E2BIG)
		return too_deep(r);
	return rc;
}

/* The " @ 0x.. 0x.." tail of a record line. */
static int addresses(struct reader *r, struct cur *c)
{
	int rc;

	r->naddrs = 0;
	for (;;) {
		uint64_t a;

		skip_ws(c);
		if (c->i >= c->n)
			return 0;
		rc = hex(c, &a);
		if (rc == -2)
			return bad(r, "%s", "address wider than 64 bits");
		if (rc < 0 || (c->i < c->n && !is_space(c->s[c->i])))
			return bad(r, "%s", "expected a hexadecimal address (0x...)");
		if ((rc = grow((void **)&r->addrs, &r->acap, r->naddrs + 1, sizeof(*r->addrs))) < 0)
			return rc == -E2BIG ? too_deep(r) : rc;
		r->addrs[r->naddrs++] = a;
	}
}

static int mul(struct reader *r, int64_t a, int64_t b, int64_t *out)
{
	if (__builtin_mul_overflow(a, b, out))
		return tp_error_set(r->err, -EOVERFLOW, linereader_name(r->lr),
				    linereader_lineno(r->lr), -1, "value overflows after scaling");
	return 0;
}

static int from_double(struct reader *r, double d, int64_t *out)
{
	if (!(d > -9.2233720368547758e18 && d < 9.2233720368547758e18))
		return tp_error_set(r->err, -EOVERFLOW, linereader_name(r->lr),
				    linereader_lineno(r->lr), -1, "value overflows after scaling");
	*out = (int64_t)d;
	return 0;
}

/* pprof's unsampling of a heap record: divide by the probability
 * 1 - exp(-avg/rate) that an allocation of the average size was sampled. */
static int heap_pair(struct reader *r, int64_t count, int64_t size, const char *what)
{
	if (count == 0 && size != 0)
		return bad(r, "%s count is 0 but its bytes are not", what);
	if (count != 0) {
		r->blocksize = size / count;
		if (r->v2 && size != 0 && r->period > 1) {
			double avg = (double)size / (double)count;
			double scale = 1 / (1 - exp(-avg / (double)r->period));
			int rc;

			if ((rc = from_double(r, (double)count * scale, &count)) < 0 ||
			    (rc = from_double(r, (double)size * scale, &size)) < 0)
				return rc;
		} else if (r->v2 && size == 0) {
			count = 0;
		}
	}
	r->v[r->nv++] = count;
	r->v[r->nv++] = size;
	return 0;
}

static int record(struct reader *r, const char *s, size_t n)
{
	struct cur c = { s, n, 0 };
	int64_t a, b, x, y;
	int rc;

	if ((rc = flush(r)) < 0)
		return rc;
	r->have = 1;
	r->nv = 0;
	r->nfr = 0;
	r->nlab = 0;
	r->blocksize = 0;
	switch (r->kind) {
	case LEGACY_COUNT:
		if (num(&c, &a) < 0 || a < 0)
			return bad(r, "%s", "expected \"COUNT @ addresses\"");
		if (!eat(&c, '@'))
			return bad(r, "%s", "expected '@' after the count");
		r->v[r->nv++] = a;
		break;
	case LEGACY_HEAP:
		if (num(&c, &a) < 0 || !eat(&c, ':') || num(&c, &b) < 0 || !eat(&c, '[') ||
		    num(&c, &x) < 0 || !eat(&c, ':') || num(&c, &y) < 0 || !eat(&c, ']') ||
		    !eat(&c, '@'))
			return bad(r, "%s", "expected \"INUSE_OBJECTS: INUSE_BYTES [ALLOC_OBJECTS: ALLOC_BYTES] @ addresses\"");
		if (a < 0 || b < 0 || x < 0 || y < 0)
			return bad(r, "%s", "negative heap record values");
		if (r->has_alloc && (rc = heap_pair(r, x, y, "allocation")) < 0)
			return rc;
		if ((rc = heap_pair(r, a, b, "in-use")) < 0)
			return rc;
		break;
	case LEGACY_CONTENTION:
		if (num(&c, &a) < 0 || num(&c, &b) < 0 || !eat(&c, '@'))
			return bad(r, "%s", "expected \"CYCLES COUNT @ addresses\"");
		if (r->period > 0) {
			if (r->cpuhz > 0 &&
			    (rc = from_double(r, (double)a * (double)r->period /
						 ((double)r->cpuhz / 1e9), &a)) < 0)
				return rc;
			if ((rc = mul(r, b, r->period, &b)) < 0)
				return rc;
		}
		r->v[r->nv++] = b;
		r->v[r->nv++] = a;
		break;
	default:
		return -EINVAL;
	}
	return addresses(r, &c);
}

/* Go's strconv.Quote'd string at c (the opening quote) into r->tmp. */
static int quoted(struct reader *r, struct cur *c)
{
	buf_reset(&r->tmp);
	if (!eat(c, '"'))
		return -1;
	while (c->i < c->n) {
		char ch = c->s[c->i++];
		unsigned cp = 0;
		int k, digits = 0;

		if (ch == '"')
			return buf_putc(&r->tmp, '\0') < 0 ? -1 : (r->tmp.len--, 0);
		if (ch != '\\') {
			if (buf_putc(&r->tmp, ch) < 0)
				return -1;
			continue;
		}
		if (c->i >= c->n)
			return -1;
		ch = c->s[c->i++];
		switch (ch) {
		case 'a': ch = '\a'; break;
		case 'b': ch = '\b'; break;
		case 'f': ch = '\f'; break;
		case 'n': ch = '\n'; break;
		case 'r': ch = '\r'; break;
		case 't': ch = '\t'; break;
		case 'v': ch = '\v'; break;
		case '\\': case '"': case '\'': break;
		case 'x': digits = 2; break;
		case 'u': digits = 4; break;
		case 'U': digits = 8; break;
		default: return -1;
		}
		if (!digits) {
			if (buf_putc(&r->tmp, ch) < 0)
				return -1;
			continue;
		}
		for (k = 0; k < digits; k++) {
			char h = c->i < c->n ? c->s[c->i++] : 0;
			unsigned d;

			if (is_digit(h))
				d = (unsigned)(h - '0');
			else if (h >= 'a' && h <= 'f')
				d = (unsigned)(h - 'a' + 10);
			else if (h >= 'A' && h <= 'F')
				d = (unsigned)(h - 'A' + 10);
			else
				return -1;
			cp = cp * 16 + d;
		}
		if (digits == 2) {
			if (buf_putc(&r->tmp, (char)cp) < 0)
				return -1;
		} else {
			char u[4];
			size_t len;

			if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				cp = 0xfffd;
			if (cp < 0x80) {
				u[0] = (char)cp;
				len = 1;
			} else if (cp < 0x800) {
				u[0] = (char)(0xc0 | (cp >> 6));
				u[1] = (char)(0x80 | (cp & 0x3f));
				len = 2;
			} else if (cp < 0x10000) {
				u[0] = (char)(0xe0 | (cp >> 12));
				u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[2] = (char)(0x80 | (cp & 0x3f));
				len = 3;
			} else {
				u[0] = (char)(0xf0 | (cp >> 18));
				u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
				u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[3] = (char)(0x80 | (cp & 0x3f));
				len = 4;
			}
			if (buf_append(&r->tmp, u, len) < 0)
				return -1;
		}
	}
	return -1;
}

/* "# labels: {"k":"v", "k2":"v2"}" */
static int labels(struct reader *r, const char *s, size_t n)
{
	struct cur c = { s, n, 9 };
	int rc;

	if (!r->have)
		return bad(r, "%s", "a \"# labels:\" line before any record");
	if (!eat(&c, '{'))
		goto malformed;
	if (eat(&c, '}'))
		return 0;
	for (;;) {
		struct label *l;

		if (r->nlab >= MAX_LABELS - 1)
			return bad(r, "%s", "more than 63 labels on one record");
		l = &r->lab[r->nlab];
		memset(l, 0, sizeof(*l));
		if (quoted(r, &c) < 0)
			goto malformed;
		if ((rc = profile_intern(r->p, r->tmp.data ? r->tmp.data : "", r->tmp.len, &l->key)) < 0)
			return rc;
		if (!eat(&c, ':') || quoted(r, &c) < 0)
			goto malformed;
		if ((rc = profile_intern(r->p, r->tmp.data ? r->tmp.data : "", r->tmp.len, &l->str)) < 0)
			return rc;
		if (l->str)	/* an empty value is no label (as in pprof) */
			r->nlab++;
		if (eat(&c, '}'))
			break;
		if (!eat(&c, ','))
			goto malformed;
	}
	skip_ws(&c);
	if (c.i == c.n)
		return 0;
malformed:
	return bad(r, "%s", "malformed \"# labels:\" line (expected {\"key\":\"value\", ...})");
}

/* "#\t0xPC\tfunction+0xOFF\tfile:line" (fields separated by runs of tabs) */
static int frame_line(struct reader *r, const char *s, size_t n)
{
	struct cur c = { s, n, 1 };
	struct frame *f;
	const char *fields[3];
	size_t flen[3], nf = 0, i;
	uint64_t addr;
	int rc;

	if (!r->have)
		return bad(r, "%s", "a \"#\" frame line before any record");
	rc = hex(&c, &addr);
	if (rc < 0)
		return bad(r, "%s", "malformed \"#\" frame line (expected \"#\\t0xADDRESS\\tfunction+0xOFFSET\\tfile:line\")");
	while (c.i < c.n && nf < 3) {
		size_t a;

		while (c.i < c.n && c.s[c.i] == '\t')
			c.i++;
		a = c.i;
		while (c.i < c.n && c.s[c.i] != '\t')
			c.i++;
		if (c.i > a) {
			fields[nf] = c.s + a;
			flen[nf++] = c.i - a;
		}
	}
	if ((rc = grow((void **)&r->fr, &r->fcap, r->nfr + 1, sizeof(*r->fr))) < 0)
		return rc == -E2BIG ? too_deep(r) : rc;
	f = &r->fr[r->nfr];
	memset(f, 0, sizeof(*f));
	f->addr = addr;
	if (nf == 0) {
		rc = profile_intern(r->p, UNKNOWN, strlen(UNKNOWN), &f->name);
	} else {
		size_t k = flen[0];

		/* "function+0xOFF" -> "function" */
		for (i = flen[0]; i > 3; i--) {
			if (fields[0][i - 1] == '+') {
				k = i - 1;
				break;
			}
		}
		if (k < flen[0] && !starts(fields[0] + k, flen[0] - k, "+0x"))
			k = flen[0];
		rc = profile_intern(r->p, fields[0], k, &f->name);
	}
	if (rc < 0)
		return rc;
	if (nf >= 2) {
		size_t colon = flen[1];
		uint64_t line = 0;

		while (colon > 0 && fields[1][colon - 1] != ':')
			colon--;
		if (colon == 0 || colon == flen[1])
			return bad(r, "%s", "malformed \"#\" frame line: expected \"file:line\" after the function");
		for (i = colon; i < flen[1]; i++) {
			if (!is_digit(fields[1][i]))
				return bad(r, "%s", "malformed \"#\" frame line: bad line number");
			if (line < 0xffffffffu)
				line = line * 10 + (uint64_t)(fields[1][i] - '0');
		}
		if ((rc = profile_intern(r->p, fields[1], colon - 1, &f->file)) < 0)
			return rc;
		f->line = line > 0xffffffffu ? 0 : (uint32_t)line;
	}
	r->nfr++;
	return 0;
}

/* "# Name = value" after "# runtime.MemStats" (integers only) */
static void memstat(struct reader *r, const char *s, size_t n)
{
	struct cur c = { s, n, 1 };
	struct legacy_memstat *m;
	size_t a, e;
	int64_t v;

	if (!r->info || r->info->nmemstats >= LEGACY_MAX_MEMSTATS)
		return;
	skip_ws(&c);
	a = c.i;
	while (c.i < c.n && !is_space(c.s[c.i]) && c.s[c.i] != '=')
		c.i++;
	e = c.i;
	if (e == a || e - a >= sizeof(m->name) || !eat(&c, '=') || num(&c, &v) < 0)
		return;
	skip_ws(&c);
	if (c.i != c.n)
		return;
	m = &r->info->memstats[r->info->nmemstats++];
	memcpy(m->name, s + a, e - a);
	m->name[e - a] = '\0';
	m->value = v;
}

/* The attribute lines of a contention profile, until the first record.
 * Returns 1 when line s is an attribute, 0 when it is not. */
static int attribute(struct reader *r, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	size_t kl, vs;
	struct cur c;
	int64_t v = 0;
	int base16 = 0;

	if (!eq)
		return 0;
	kl = (size_t)(eq - s);
	while (kl && is_space(s[kl - 1]))
		kl--;
	vs = (size_t)(eq - s) + 1;
	if ((kl == 6 && memcmp(s, "format", 6) == 0) || (kl == 10 && memcmp(s, "resolution", 10) == 0))
		return bad(r, "%s", "Java contention profiles are not supported");
	c.s = s;
	c.n = n;
	c.i = vs;
	skip_ws(&c);
	if (c.i + 1 < n && s[c.i] == '0' && (s[c.i + 1] == 'x' || s[c.i + 1] == 'X'))
		base16 = 1;
	if (base16) {
		uint64_t u;

		if (hex(&c, &u) < 0 || u > INT64_MAX)
			return bad(r, "%s", "bad attribute value");
		v = (int64_t)u;
	} else if (num(&c, &v) < 0) {
		return bad(r, "%s", "bad attribute value");
	}
	skip_ws(&c);
	if (c.i != n)
		return bad(r, "%s", "bad attribute value");
#define KEY(k) (kl == sizeof(k) - 1 && memcmp(s, k, kl) == 0)
	if (KEY("cycles/second")) {
		r->cpuhz = v;
	} else if (KEY("sampling period")) {
		r->period = v;
	} else if (KEY("ms since reset")) {
		int64_t d;

		if (__builtin_mul_overflow(v, (int64_t)1000000, &d))
			return bad(r, "%s", "\"ms since reset\" is too large");
		profile_meta(r->p)->duration_nanos = d;
	} else if (!KEY("discarded samples")) {
		return bad(r, "%s", "unknown contention profile attribute");
	}
#undef KEY
	return 1;
}

static int setup(struct reader *r, const char *s, size_t n)
{
	struct profile *p = r->p;
	struct profile_meta *m = profile_meta(p);
	struct legacy_info *info = r->info;
	struct cur c = { s, n, 0 };
	int rc = 0;

	switch (r->kind) {
	case LEGACY_COUNT: {
		size_t w = 0;
		int64_t total;

		while (w < n && s[w] != ' ')
			w++;
		c.i = w + 16;
		if (num(&c, &total) < 0)
			return bad(r, "%s", "malformed header (expected \"NAME profile: total N\")");
		if (info) {
			snprintf(info->type, sizeof(info->type), "%.*s", (int)(w < 31 ? w : 31), s);
			info->total = total;
		}
		if ((rc = profile_intern(p, s, w, &m->period_type)) < 0 ||
		    (rc = profile_intern(p, "count", 5, &m->period_unit)) < 0)
			return rc;
		m->period = 1;
		{
			char type[64];

			snprintf(type, sizeof(type), "%.*s", (int)(w < 63 ? w : 63), s);
			return profile_add_sample_type(p, type, "count");
		}
	}
	case LEGACY_HEAP: {
		int64_t a, b, x, y, per = 0;
		size_t w, we;

		c.i = 13;
		if (num(&c, &a) < 0 || !eat(&c, ':') || num(&c, &b) < 0 || !eat(&c, '[') ||
		    num(&c, &x) < 0 || !eat(&c, ':') || num(&c, &y) < 0 || !eat(&c, ']') ||
		    !eat(&c, '@'))
			return bad(r, "%s", "malformed heap profile header");
		skip_ws(&c);
		w = c.i;
		while (c.i < n && c.s[c.i] != '/' && !is_space(c.s[c.i]))
			c.i++;
		we = c.i;
		if (c.i < n && c.s[c.i] == '/') {
			c.i++;
			if (c.i < n && num(&c, &per) < 0)
				return bad(r, "%s", "malformed sampling rate in the heap profile header");
		}
#define IS(k) (we - w == sizeof(k) - 1 && memcmp(s + w, k, sizeof(k) - 1) == 0)
		if (IS("heapz_v2") || IS("heap_v2")) {
			r->v2 = 1;
			r->period = per;
			r->has_alloc = (x != a && x != 0) || (y != b && y != 0);
		} else if (IS("heapprofile")) {
			r->period = 1;
			r->has_alloc = (x != a && x != 0) || (y != b && y != 0);
		} else if (IS("heap")) {
			r->v2 = 1;
			r->period = per / 2;
			r->has_alloc = (x != a && x != 0) || (y != b && y != 0);
		} else if (IS("growth") || IS("growthz") || IS("fragmentation") ||
			   IS("fragmentationz")) {
			r->period = 1;
		} else {
			return bad(r, "%s", "unknown heap profile type after '@'");
		}
#undef IS
		if (info) {
			snprintf(info->type, sizeof(info->type), "heap");
			info->inuse_objects = a;
			info->inuse_bytes = b;
			info->alloc_objects = x;
			info->alloc_bytes = y;
			info->rate = r->period;
		}
		if ((rc = profile_intern(p, "space", 5, &m->period_type)) < 0 ||
		    (rc = profile_intern(p, "bytes", 5, &m->period_unit)) < 0 ||
		    (rc = profile_intern(p, "bytes", 5, &r->k_bytes)) < 0 ||
		    (rc = profile_intern(p, "bytes", 5, &r->u_bytes)) < 0)
			return rc;
		m->period = r->period;
		if (r->has_alloc &&
		    ((rc = profile_add_sample_type(p, "alloc_objects", "count")) < 0 ||
		     (rc = profile_add_sample_type(p, "alloc_space", "bytes")) < 0 ||
		     (rc = profile_add_sample_type(p, "inuse_objects", "count")) < 0 ||
		     (rc = profile_add_sample_type(p, "inuse_space", "bytes")) < 0))
			return rc;
		if (!r->has_alloc &&
		    ((rc = profile_add_sample_type(p, "objects", "count")) < 0 ||
		     (rc = profile_add_sample_type(p, "space", "bytes")) < 0))
			return rc;
		return 0;
	}
	case LEGACY_CONTENTION:
		r->period = 1;
		if (info)
			snprintf(info->type, sizeof(info->type), "%s",
				 starts(s, n, "--- mutex:") ? "mutex" :
				 starts(s, n, "--- contention:") ? "block" : "contentionz");
		if ((rc = profile_intern(p, "contentions", 11, &m->period_type)) < 0 ||
		    (rc = profile_intern(p, "count", 5, &m->period_unit)) < 0 ||
		    (rc = profile_add_sample_type(p, "contentions", "count")) < 0 ||
		    (rc = profile_add_sample_type(p, "delay", "nanoseconds")) < 0)
			return rc;
		return 0;
	default:
		return bad(r, "%s", "not a debug=1 profile text (expected \"goroutine profile: total N\", \"heap profile: ...\" or \"--- mutex:\")");
	}
}

int legacy_read(struct linereader *lr, struct profile *p, struct legacy_info *info,
		struct tp_error *err)
{
	struct reader r;
	const char *s;
	size_t n;
	int rc, header = 0, attrs = 0, trailer = 0;

	memset(&r, 0, sizeof(r));
	r.lr = lr;
	r.p = p;
	r.err = err;
	r.info = info;
	buf_init(&r.tmp, (size_t)1 << 20);
	if (info)
		memset(info, 0, sizeof(*info));
	while ((rc = linereader_next(lr, &s, &n, err)) > 0) {
		while (n && (s[n - 1] == '\r' || is_space(s[n - 1])))
			n--;
		if (!header) {
			size_t k = 0;

			while (k < n && is_space(s[k]))
				k++;
			if (k == n)
				continue;
			r.kind = legacy_detect(s + k, n - k);
			if ((rc = setup(&r, s + k, n - k)) < 0)
				goto out;
			if (info) {
				info->kind = r.kind;
				info->period = r.period;
			}
			header = 1;
			attrs = r.kind == LEGACY_CONTENTION;
			continue;
		}
		{
			size_t k = 0;

			while (k < n && s[k] == ' ')
				k++;
			s += k;
			n -= k;
		}
		if (n == 0) {
			if ((rc = flush(&r)) < 0)
				goto out;
			continue;
		}
		if (s[0] == '#') {
			if (trailer) {
				memstat(&r, s, n);
			} else if (starts(s, n, "# runtime.MemStats")) {
				if ((rc = flush(&r)) < 0)
					goto out;
				trailer = 1;
			} else if (starts(s, n, "# labels:")) {
				if ((rc = labels(&r, s, n)) < 0)
					goto out;
			} else if (n > 1 && s[1] == '\t') {
				if ((rc = frame_line(&r, s, n)) < 0)
					goto out;
			}
			continue;	/* other comments */
		}
		if (trailer)
			continue;
		if (starts(s, n, "MAPPED_LIBRARIES:") || starts(s, n, "--- Memory map:"))
			break;
		if (attrs) {
			if ((rc = attribute(&r, s, n)) < 0)
				goto out;
			if (rc == 1) {
				if (info) {
					info->period = r.period;
					info->cycles_per_second = r.cpuhz;
				}
				profile_meta(p)->period = r.period;
				continue;
			}
			attrs = 0;
		}
		if (r.kind == LEGACY_CONTENTION && starts(s, n, "---"))
			break;
		if ((rc = record(&r, s, n)) < 0)
			goto out;
	}
	if (rc < 0)
		goto out;
	if (!header) {
		rc = tp_error_set(err, -EBADMSG, linereader_name(lr), 0, -1, "empty input");
		goto out;
	}
	rc = flush(&r);
out:
	if (rc == -ENOMEM && err && !err->msg[0])
		tp_error_set(err, rc, linereader_name(lr), linereader_lineno(lr), -1, "out of memory");
	free(r.addrs);
	free(r.fr);
	free(r.ids);
	buf_free(&r.tmp);
	return rc < 0 ? rc : 0;
}
