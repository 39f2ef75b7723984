/* folded.c - see folded.h.
 *
 * Reading keeps the previous line and its frame ids: folded files are
 * usually sorted, so consecutive lines share long prefixes, and frames
 * wholly inside the shared prefix are reused without hashing. A frame
 * name's string id maps to its frame id through a dense array, so each new
 * frame costs one string-table lookup.
 */
#include "analyzers/model/folded.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	struct profile *p;
	uint32_t *fids;		/* frames of the current line */
	uint32_t *ends;		/* byte offset of each frame's end */
	size_t cap;
	size_t nprev;		/* frames of the previous line */
	struct buf prev;	/* previous line's stack text */
	uint32_t *frame_of_str;	/* string id -> frame id + 1 */
	size_t fos_cap;
	struct buf safe;
};

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* The position of a space that would make the end of name read as a
 * count ("name 12", "name 1.5"): the last space, when only digits and dots
 * follow it, a digit first. len when there is none. */
static size_t count_like_space(const char *name, size_t len)
{
	size_t i = len;

	while (i > 0 && ((name[i - 1] >= '0' && name[i - 1] <= '9') || name[i - 1] == '.'))
		i--;
	if (i > 0 && i < len && name[i - 1] == ' ' && name[i] != '.')
		return i - 1;
	return len;
}

int folded_name_is_safe(const char *name, size_t len, int leaf)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f || c == ';')
			return 0;
	}
	return !leaf || count_like_space(name, len) == len;
}

int folded_safe_name(const char *name, size_t len, int leaf, struct buf *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0, sp = leaf ? count_like_space(name, len) : len;
	int r;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		char esc[4];

		if (c >= 0x20 && c != 0x7f && c != ';' && i != sp)
			continue;
		if ((r = buf_append(out, name + start, i - start)) < 0)
			return r;
		if (c == ';') {
			r = buf_putc(out, ':');
		} else {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			r = buf_append(out, esc, 4);
		}
		if (r < 0)
			return r;
		start = i + 1;
	}
	return buf_append(out, name + start, len - start);
}

/* Parse a count ending at s[end) backwards: digits, optionally with a
 * fraction, preceded by white space. Sets *start to where it begins. 0 ok,
 * -1 not a count, -ERANGE too large. */
static int parse_count(const char *s, size_t end, size_t *start, int64_t *val,
		       int *fraction)
{
	size_t i = end, dot = (size_t)-1, j;
	int64_t v = 0;

	while (i > 0 && ((s[i - 1] >= '0' && s[i - 1] <= '9') ||
			 (s[i - 1] == '.' && dot == (size_t)-1))) {
		if (s[i - 1] == '.')
			dot = i - 1;
		i--;
	}
	if (i == end)
		return -1;
	if (dot == i)		/* ".5": a digit must come first */
		return -1;
	if (i == 0 || !is_space((unsigned char)s[i - 1]))
		return -1;	/* part of a name, not a count */
	*fraction = 0;
	for (j = i; j < end && s[j] != '.'; j++) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, s[j] - '0', &v))
			return -ERANGE;
	}
	for (j++; j < end; j++)
		if (s[j] != '0')
			*fraction = 1;
	*start = i;
	*val = v;
	return 0;
}

/* Split line into stack text and counts. Returns the number of counts
 * (1 or 2) or 0 when unparsable, -ERANGE for an oversized count. want is
 * 0 (decide), 1 or 2. */
static int split_line(const char *s, size_t len, int want, size_t *stack_len,
		      int64_t v[2], int *fraction)
{
	size_t end = len, start, s2;
	int r, frac = 0, f2 = 0;
	int64_t a, b;

	/* Like flamegraph.pl: the count follows the last white space, and
	 * exactly one white-space character separates it from the stack, so
	 * a frame name may end in spaces. Trailing white space (a CR) after
	 * the count is tolerated. */
	while (end > 0 && is_space((unsigned char)s[end - 1]))
		end--;
	r = parse_count(s, end, &start, &a, &frac);
	if (r < 0)
		return r == -ERANGE ? r : 0;
	if (want != 1) {
		r = parse_count(s, start - 1, &s2, &b, &f2);
		if (r == -ERANGE)
			return r;
		if (r == 0 && s2 > 1) {
			*stack_len = s2 - 1;
			v[0] = b;
			v[1] = a;
			*fraction = frac | f2;
			return 2;
		}
		if (want == 2)
			return 0;
	}
	if (start <= 1)
		return 0;
	*stack_len = start - 1;
	v[0] = a;
	*fraction = frac;
	return 1;
}

static int reserve_frames(struct reader *rd, size_t n)
{
	size_t nc;
	uint32_t *a, *b;

	if (n <= rd->cap)
		return 0;
	nc = rd->cap ? rd->cap * 2 : 256;
	while (nc < n)
		nc *= 2;
	a = realloc(rd->fids, nc * sizeof(*a));
	if (!a)
		return -ENOMEM;
	rd->fids = a;
	b = realloc(rd->ends, nc * sizeof(*b));
	if (!b)
		return -ENOMEM;
	rd->ends = b;
	rd->cap = nc;
	return 0;
}

static int frame_for(struct reader *rd, const char *name, size_t len, int leaf,
		     uint32_t *fid)
{
	uint32_t sid;
	int r;

	if (!folded_name_is_safe(name, len, leaf)) {
		buf_reset(&rd->safe);
		if ((r = folded_safe_name(name, len, leaf, &rd->safe)) < 0)
			return r;
		name = rd->safe.data;
		len = rd->safe.len;
	}
	if ((r = profile_intern(rd->p, name, len, &sid)) < 0)
		return r;
	if (sid >= rd->fos_cap) {
		size_t nc = rd->fos_cap ? rd->fos_cap : 1024;
		uint32_t *na;

		while (nc <= sid)
			nc *= 2;
		na = realloc(rd->frame_of_str, nc * sizeof(*na));
		if (!na)
			return -ENOMEM;
		memset(na + rd->fos_cap, 0, (nc - rd->fos_cap) * sizeof(*na));
		rd->frame_of_str = na;
		rd->fos_cap = nc;
	}
	if (!rd->frame_of_str[sid]) {
		struct frame f;

		memset(&f, 0, sizeof(f));
		f.name = sid;
		f.kind = FRAME_USER;
		if ((r = profile_frame(rd->p, &f, fid)) < 0)
			return r;
		rd->frame_of_str[sid] = *fid + 1;
	}
	*fid = rd->frame_of_str[sid] - 1;
	return 0;
}

/* Split stack text s[0..len) into frame ids in rd->fids; returns count
 * in *n. Reuses frames shared with the previous line. */
static int split_frames(struct reader *rd, const char *s, size_t len, size_t *n)
{
	size_t common = 0, k = 0, pos = 0, m;
	int r;

	m = rd->prev.len < len ? rd->prev.len : len;
	while (common < m && rd->prev.data[common] == s[common])
		common++;
	/* Frame k of the previous line is reusable when its terminating ';'
	 * lies inside the common prefix. */
	while (k < rd->nprev && rd->ends[k] < common && rd->ends[k] < rd->prev.len) {
		pos = rd->ends[k] + 1;
		k++;
	}
	for (;;) {
		const char *semi = memchr(s + pos, ';', len - pos);
		size_t e = semi ? (size_t)(semi - s) : len;

		if ((r = reserve_frames(rd, k + 1)) < 0)
			return r;
		if (k + 1 > PROFILE_MAX_DEPTH)
			return -E2BIG;
		if ((r = frame_for(rd, s + pos, e - pos, !semi, &rd->fids[k])) < 0)
			return r;
		rd->ends[k] = (uint32_t)e;
		k++;
		if (!semi)
			break;
		pos = e + 1;
	}
	buf_reset(&rd->prev);
	if ((r = buf_append(&rd->prev, s, len)) < 0)
		return r;
	rd->nprev = k;
	*n = k;
	return 0;
}

int folded_each(struct linereader *lr, struct profile *p, folded_line_fn fn,
		void *ctx, struct folded_stats *st, struct tp_error *err)
{
	struct reader rd;
	const char *line;
	size_t len;
	int r, cols = 0;

	memset(&rd, 0, sizeof(rd));
	memset(st, 0, sizeof(*st));
	rd.p = p;
	buf_init(&rd.prev, 0);
	buf_init(&rd.safe, 0);
	while ((r = linereader_next(lr, &line, &len, err)) > 0) {
		size_t slen, n;
		int64_t v[2];
		int frac = 0, c;

		if (len == 0 || (len == 1 && line[0] == '\r'))
			continue;
		if (len > UINT32_MAX - 1) {
			r = tp_error_set(err, -E2BIG, linereader_name(lr),
					 linereader_lineno(lr), -1, "line too long");
			goto out;
		}
		c = split_line(line, len, cols, &slen, v, &frac);
		if (c == -ERANGE) {
			r = tp_error_set(err, -ERANGE, linereader_name(lr),
					 linereader_lineno(lr), -1,
					 "count does not fit in a signed 64-bit integer");
			goto out;
		}
		if (c <= 0) {
			if (!st->ignored++)
				st->first_ignored = linereader_lineno(lr);
			continue;
		}
		if (!cols)
			cols = st->columns = c;
		if (frac)
			st->fractional++;
		if ((r = split_frames(&rd, line, slen, &n)) < 0) {
			if (r == -E2BIG)
				tp_error_set(err, r, linereader_name(lr), linereader_lineno(lr),
					     -1, "stack deeper than %zu frames", PROFILE_MAX_DEPTH);
			else
				tp_error_set(err, r, linereader_name(lr), linereader_lineno(lr),
					     -1, "out of memory");
			goto out;
		}
		st->lines++;
		if ((r = fn(ctx, p, rd.fids, n, v, cols)) < 0) {
			if (err && !err->msg[0])
				tp_error_set(err, r, linereader_name(lr), linereader_lineno(lr), -1,
					     r == -EOVERFLOW ? "counts overflow a signed 64-bit sum" :
					     "cannot add the stack");
			else if (err && !err->file[0]) {
				err->line = linereader_lineno(lr);
				snprintf(err->file, sizeof(err->file), "%s", linereader_name(lr));
			}
			goto out;
		}
	}
	if (r < 0)
		goto out;
	if (st->lines == 0 && st->ignored > 0)
		r = tp_error_set(err, -EBADMSG, linereader_name(lr), st->first_ignored, -1,
				 "not folded stack text (expected \"frame;frame;... COUNT\")");
out:
	free(rd.fids);
	free(rd.ends);
	free(rd.frame_of_str);
	buf_free(&rd.prev);
	buf_free(&rd.safe);
	return r < 0 ? r : 0;
}

struct add_ctx {
	int typed;
};

static int add_line(void *ctx, struct profile *p, const uint32_t *frames, size_t n,
		    const int64_t *values, int ncolumns)
{
	struct add_ctx *ac = ctx;
	int r;

	if (!ac->typed) {
		if (profile_nvalues(p) == 0) {
			if (ncolumns == 1)
				r = profile_add_sample_type(p, "samples", "count");
			else if ((r = profile_add_sample_type(p, "base", "count")) == 0)
				r = profile_add_sample_type(p, "new", "count");
			if (r < 0)
				return r;
		} else if (profile_nvalues(p) != (size_t)ncolumns) {
			return -EINVAL;
		}
		ac->typed = 1;
	}
	return profile_add(p, frames, n, 0, values, NULL);
}

int folded_read(struct linereader *lr, struct profile *p, struct folded_stats *st,
		struct tp_error *err)
{
	struct add_ctx ac = { 0 };
	int r;

	tp_error_init(err);
	r = folded_each(lr, p, add_line, &ac, st, err);
	if (r == -EINVAL && err && !err->msg[0])
		tp_error_set(err, r, linereader_name(lr), 0, -1,
			     "has %d count column(s), other inputs have %zu",
			     st->columns, profile_nvalues(p));
	return r;
}

/* Append the stack text of sv (names made safe, joined with ';'). */
static int stack_text(const struct profile *p, const struct stack_view *sv, struct buf *line)
{
	uint32_t k;
	int r = 0;

	for (k = 0; k < sv->nframes && r == 0; k++) {
		size_t len;
		const char *name = profile_str(p, profile_frame_get(p, sv->frames[k])->name, &len);
		int leaf = k + 1 == sv->nframes;

		if (k && (r = buf_putc(line, ';')) < 0)
			break;
		if (folded_name_is_safe(name, len, leaf))
			r = buf_append(line, name, len);
		else
			r = folded_safe_name(name, len, leaf, line);
	}
	return r;
}

/* Write the pending line (text + sums) if it has a non-zero value. */
static int flush_line(struct buf *line, const int64_t *sum, size_t nv, FILE *out,
		      struct tp_error *err)
{
	size_t v, textlen = line->len;
	int any = 0, r;

	for (v = 0; v < nv; v++)
		any |= sum[v] != 0;
	if (!any || !line->data)
		return 0;
	for (v = 0; v < nv; v++)
		if ((r = buf_printf(line, " %lld", (long long)sum[v])) < 0)
			return tp_error_set(err, r, NULL, 0, -1, "out of memory");
	if ((r = buf_putc(line, '\n')) < 0)
		return tp_error_set(err, r, NULL, 0, -1, "out of memory");
	if (fwrite(line->data, 1, line->len, out) != line->len)
		return tp_error_set(err, -EIO, NULL, 0, -1, "write error: %s", strerror(errno));
	line->len = textlen;
	return 0;
}

int folded_write(const struct profile *p, int vi, FILE *out, struct tp_error *err)
{
	uint32_t *order = NULL;
	struct buf line, next;
	size_t i, v, nv = profile_nvalues(p);
	size_t from = vi < 0 ? 0 : (size_t)vi, to = vi < 0 ? nv : (size_t)vi + 1;
	int64_t sum[PROFILE_MAX_VALUES];
	int r, have = 0;

	buf_init(&line, 0);
	buf_init(&next, 0);
	if ((r = profile_sorted(p, &order)) < 0) {
		tp_error_set(err, r, NULL, 0, -1, "out of memory");
		goto out;
	}
	/* Stacks that differ only in what folded text does not show (labels,
	 * modules, addresses) sort next to each other and are written as one
	 * line with their values summed. */
	for (i = 0; i < profile_nstacks(p); i++) {
		struct stack_view sv;

		profile_stack(p, order[i], &sv);
		buf_reset(&next);
		if ((r = stack_text(p, &sv, &next)) < 0) {
			tp_error_set(err, r, NULL, 0, -1, "out of memory");
			goto out;
		}
		if (have && next.len == line.len && memcmp(next.data, line.data, line.len) == 0) {
			for (v = from; v < to; v++)
				if (__builtin_add_overflow(sum[v - from], sv.values[v], &sum[v - from])) {
					r = tp_error_set(err, -EOVERFLOW, NULL, 0, -1,
							 "counts overflow a signed 64-bit sum");
					goto out;
				}
			continue;
		}
		if (have && (r = flush_line(&line, sum, to - from, out, err)) < 0)
			goto out;
		{
			struct buf t = line;

			line = next;
			next = t;
		}
		for (v = from; v < to; v++)
			sum[v - from] = sv.values[v];
		have = 1;
	}
	r = have ? flush_line(&line, sum, to - from, out, err) : 0;
out:
	free(order);
	buf_free(&line);
	buf_free(&next);
	return r;
}

/* Judge the first complete lines: folded text when most of them are
 * "stack COUNT" lines (a stray unparsable line is tolerated, as the reader
 * tolerates it). */
int folded_detect(const char *buf, size_t n)
{
	size_t pos = 0, good = 0, bad = 0;

	if (memchr(buf, '\0', n))
		return 0;
	while (pos < n && good + bad < 16) {
		const char *nl = memchr(buf + pos, '\n', n - pos);
		size_t len, slen;
		int64_t v[2];
		int frac;

		if (!nl) {
			/* a last line without a newline counts when it is the
			 * only text there is */
			if (good + bad > 0 || n - pos > 4096)
				break;
			len = n - pos;
		} else {
			len = (size_t)(nl - (buf + pos));
		}
		if (len == 0 || (len == 1 && buf[pos] == '\r')) {
			pos += len + 1;
			continue;
		}
		if (is_space((unsigned char)buf[pos]) || buf[pos] == '#' ||
		    split_line(buf + pos, len, 0, &slen, v, &frac) <= 0)
			bad++;
		else
			good++;
		pos += len + 1;
	}
	return good > 0 && good > bad;
}

int folded_columns(const char *buf, size_t n)
{
	size_t pos = 0;

	while (pos < n) {
		const char *nl = memchr(buf + pos, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - (buf + pos)) : n - pos, slen;
		int64_t v[2];
		int frac, c;

		c = split_line(buf + pos, len, 0, &slen, v, &frac);
		if (c > 0)
			return c;
		if (!nl)
			break;
		pos += len + 1;
	}
	return 1;
}
