/* promtext.c - see promtext.h */
#include "analyzers/metrics/promtext.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/base/buf.h"
#include "analyzers/base/linereader.h"

struct parser {
	const char *name;
	int64_t lineno;
	struct buf scratch;	/* unescaped strings of the current line */
	struct promtext_label labels[PROMTEXT_MAX_LABELS];
	struct tp_error *err;
};

static int bad(struct parser *ps, const char *what)
{
	return tp_error_set(ps->err, -EBADMSG, ps->name, ps->lineno, -1, "%s", what);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int name_start(char c, int colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}

static int name_char(char c, int colon)
{
	return name_start(c, colon) || (c >= '0' && c <= '9');
}

/* Copy s[0..n) into the scratch buffer as a NUL-terminated string; its
 * offset there in *off. */
static int scratch_put(struct parser *ps, const char *s, size_t n, size_t *off)
{
	*off = ps->scratch.len;
	if (buf_append(&ps->scratch, s, n) < 0 || buf_putc(&ps->scratch, '\0') < 0)
		return tp_error_set(ps->err, -E2BIG, ps->name, ps->lineno, -1, "line too long");
	return 0;
}

/* Unescape a quoted label value starting after the opening quote; *p is
 * left after the closing quote. */
static int label_value(struct parser *ps, const char **p, const char *end, size_t *off)
{
	const char *s = *p;

	*off = ps->scratch.len;
	while (s < end && *s != '"') {
		char c = *s++;

		if (c == '\\') {
			if (s == end)
				break;
			c = *s++;
			if (c == 'n')
				c = '\n';
			else if (c != '\\' && c != '"')
				return bad(ps, "invalid escape sequence in a label value");
		} else if (c == '\n') {
			return bad(ps, "newline in a label value");
		}
		if (buf_putc(&ps->scratch, c) < 0)
			return tp_error_set(ps->err, -E2BIG, ps->name, ps->lineno, -1,
					    "line too long");
	}
	if (s == end)
		return bad(ps, "unterminated label value");
	if (buf_putc(&ps->scratch, '\0') < 0)
		return tp_error_set(ps->err, -E2BIG, ps->name, ps->lineno, -1, "line too long");
	*p = s + 1;
	return 0;
}

static int parse_value(const char *s, size_t n, double *out)
{
	char tmp[128], *end;

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	/* Go's ParseFloat spellings: [+-]Inf, NaN (strtod also takes them). */
	*out = strtod(tmp, &end);
	return *end ? -1 : 0;
}

static int parse_ts(const char *s, size_t n, int64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	int neg = 0;

	if (n && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static int sample_line(struct parser *ps, const char *s, const char *end,
		       promtext_sample_fn fn, void *ctx)
{
	struct promtext_sample smp;
	size_t name_off, offs[PROMTEXT_MAX_LABELS][2], nl = 0, i;
	const char *name = s, *tok;
	int rc;

	memset(&smp, 0, sizeof(smp));
	if (!name_start(*s, 1))
		return bad(ps, "expected a metric name");
	while (s < end && name_char(*s, 1))
		s++;
	smp.name_len = (size_t)(s - name);
	if ((rc = scratch_put(ps, name, smp.name_len, &name_off)) < 0)
		return rc;
	while (s < end && is_blank(*s))
		s++;
	if (s < end && *s == '{') {
		s++;
		for (;;) {
			const char *ln;

			while (s < end && is_blank(*s))
				s++;
			if (s < end && *s == '}') {
				s++;
				break;
			}
			if (s == end || !name_start(*s, 0))
				return bad(ps, "expected a label name");
			if (nl == PROMTEXT_MAX_LABELS)
				return tp_error_set(ps->err, -E2BIG, ps->name, ps->lineno, -1,
						    "more than %d labels", PROMTEXT_MAX_LABELS);
			ln = s;
			while (s < end && name_char(*s, 0))
				s++;
			ps->labels[nl].name_len = (size_t)(s - ln);
			if ((rc = scratch_put(ps, ln, (size_t)(s - ln), &offs[nl][0])) < 0)
				return rc;
			while (s < end && is_blank(*s))
				s++;
			if (s == end || *s != '=')
				return bad(ps, "expected '=' after a label name");
			s++;
			while (s < end && is_blank(*s))
				s++;
			if (s == end || *s != '"')
				return bad(ps, "expected a quoted label value");
			s++;
			if ((rc = label_value(ps, &s, end, &offs[nl][1])) < 0)
				return rc;
			ps->labels[nl].value_len = ps->scratch.len - 1 - offs[nl][1];
			nl++;
			while (s < end && is_blank(*s))
				s++;
			if (s < end && *s == ',') {
				s++;
				continue;
			}
			if (s < end && *s == '}') {
				s++;
				break;
			}
			return bad(ps, "expected ',' or '}' after a label");
		}
	}
	while (s < end && is_blank(*s))
		s++;
	tok = s;
	while (s < end && !is_blank(*s))
		s++;
	if (parse_value(tok, (size_t)(s - tok), &smp.value) < 0)
		return bad(ps, "expected a sample value");
	while (s < end && is_blank(*s))
		s++;
	if (s < end && *s != '#') {
		tok = s;
		while (s < end && !is_blank(*s))
			s++;
		if (parse_ts(tok, (size_t)(s - tok), &smp.timestamp_ms) < 0)
			return bad(ps, "expected a timestamp in milliseconds");
		smp.has_timestamp = 1;
		while (s < end && is_blank(*s))
			s++;
	}
	/* OpenMetrics exemplars (" # {...} v") are skipped. */
	if (s < end && *s != '#')
		return bad(ps, "unexpected text after the sample");

	/* The scratch buffer may have moved while growing: pointers now. */
	smp.name = ps->scratch.data + name_off;
	for (i = 0; i < nl; i++) {
		ps->labels[i].name = ps->scratch.data + offs[i][0];
		ps->labels[i].value = ps->scratch.data + offs[i][1];
	}
	smp.labels = ps->labels;
	smp.nlabels = nl;
	smp.line = ps->lineno;
	return fn(ctx, &smp);
}

static int meta_line(struct parser *ps, const char *s, const char *end, promtext_meta_fn meta,
		     void *ctx)
{
	const char *kind, *metric, *text;
	size_t klen, mlen, off;
	int rc;

	/* "#" then blanks, then HELP or TYPE; anything else is a comment. */
	s++;
	while (s < end && is_blank(*s))
		s++;
	kind = s;
	while (s < end && !is_blank(*s))
		s++;
	klen = (size_t)(s - kind);
	if (!((klen == 4 && memcmp(kind, "HELP", 4) == 0) ||
	      (klen == 4 && memcmp(kind, "TYPE", 4) == 0)))
		return 0;
	while (s < end && is_blank(*s))
		s++;
	metric = s;
	while (s < end && name_char(*s, 1))
		s++;
	mlen = (size_t)(s - metric);
	if (mlen == 0 || !name_start(*metric, 1) || (s < end && !is_blank(*s)))
		return bad(ps, "expected a metric name after # HELP or # TYPE");
	while (s < end && is_blank(*s))
		s++;
	if (!meta)
		return 0;
	text = s;
	off = ps->scratch.len;
	while (s < end) {
		char c = *s++;

		if (kind[0] == 'H' && c == '\\' && s < end) {
			c = *s++;
			if (c == 'n')
				c = '\n';
			else if (c != '\\')
				if (buf_putc(&ps->scratch, '\\') < 0)
					goto big;
		}
		if (buf_putc(&ps->scratch, c) < 0)
			goto big;
	}
	if (buf_putc(&ps->scratch, '\0') < 0)
		goto big;
	text = ps->scratch.data + off;
	rc = meta(ctx, kind[0] == 'H' ? "HELP" : "TYPE", metric, mlen, text,
		  ps->scratch.len - 1 - off);
	return rc;
big:
	return tp_error_set(ps->err, -E2BIG, ps->name, ps->lineno, -1, "line too long");
}

int promtext_parse(const char *name, const void *data, size_t len, promtext_sample_fn fn,
		   promtext_meta_fn meta, void *ctx, struct tp_error *err)
{
	struct linereader *lr = NULL;
	struct parser *ps;
	const char *line;
	size_t n;
	int rc;

	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return tp_error_msg(err, -ENOMEM, "out of memory");
	ps->name = name;
	ps->err = err;
	buf_init(&ps->scratch, 2 * PROMTEXT_MAX_LINE + 64);
	rc = linereader_open_mem(&lr, name, data, len, err);
	if (rc < 0)
		goto out;
	linereader_set_max_line(lr, PROMTEXT_MAX_LINE);
	while ((rc = linereader_next(lr, &line, &n, err)) > 0) {
		const char *s = line, *end = line + n;

		ps->lineno = linereader_lineno(lr);
		buf_reset(&ps->scratch);
		if (end > s && end[-1] == '\r')
			end--;
		while (s < end && is_blank(*s))
			s++;
		if (s == end)
			continue;
		if (*s == '#')
			rc = meta_line(ps, s, end, meta, ctx);
		else
			rc = sample_line(ps, s, end, fn, ctx);
		if (rc < 0)
			goto out;
	}
out:
	linereader_close(lr);
	buf_free(&ps->scratch);
	free(ps);
	return rc;
}

const char *promtext_label(const struct promtext_sample *s, const char *name, size_t *len)
{
	size_t i, n = strlen(name);

	for (i = 0; i < s->nlabels; i++)
		if (s->labels[i].name_len == n && memcmp(s->labels[i].name, name, n) == 0) {
			if (len)
				*len = s->labels[i].value_len;
			return s->labels[i].value;
		}
	return NULL;
}
