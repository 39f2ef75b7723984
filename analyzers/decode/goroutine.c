/* goroutine.c - see goroutine.h */
#include "analyzers/decode/goroutine.h"
#include "analyzers/base/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ELIDED "...additional frames elided..."
#define UNAVAILABLE "<stack unavailable>"
#define MAX_STATE 256

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

struct header {
	const char *state;	/* inside the brackets, up to the first ", " */
	size_t state_len;
	char extra[MAX_STATE];	/* unknown tokens joined to the state */
	size_t extra_len;
	int64_t wait;		/* -1: none */
	int locked;
};

/* "goroutine N [tok, tok, ...]:" (tokens between N and '[', such as Go
 * 1.23's "gp=0x... m=nil", are skipped). 1 parsed, 0 not a header. */
static int parse_header(const char *s, size_t n, struct header *h)
{
	size_t i = 10, open, close;

	memset(h, 0, sizeof(*h));
	h->wait = -1;
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (!starts(s, n, "goroutine ") || n < 14 || !is_digit(s[i]))
		return 0;
	while (i < n && is_digit(s[i]))
		i++;
	if (i >= n || s[i] != ' ')
		return 0;
	if (s[n - 1] != ':' || s[n - 2] != ']')
		return 0;
	close = n - 2;
	open = i;
	while (open < close && s[open] != '[')
		open++;
	if (open >= close)
		return 0;
	i = open + 1;
	while (i <= close) {
		const char *tok = s + i;
		size_t k = i, tl;

		while (k < close && !(s[k] == ',' && k + 1 < close && s[k + 1] == ' '))
			k++;
		tl = k - i;
		if (!h->state) {
			h->state = tok;
			h->state_len = tl;
		} else if (tl == 16 && memcmp(tok, "locked to thread", 16) == 0) {
			h->locked = 1;
		} else if (tl > 7 && is_digit(tok[0]) &&
			   (memcmp(tok + tl - 8, " minutes", 8) == 0 ||
			    memcmp(tok + tl - 7, " minute", 7) == 0)) {
			int64_t w = 0;
			size_t d = 0;

			while (d < tl && is_digit(tok[d]) && w < INT64_MAX / 10 - 10)
				w = w * 10 + (tok[d++] - '0');
			h->wait = w;
		} else if (h->extra_len + tl + 2 < sizeof(h->extra)) {
			memcpy(h->extra + h->extra_len, ", ", 2);
			memcpy(h->extra + h->extra_len + 2, tok, tl);
			h->extra_len += tl + 2;
		}
		i = k + 2;
	}
	if (!h->state)
		h->state = "";
	return 1;
}

int goroutine_detect(const char *buf, size_t n)
{
	size_t i = 0;
	int lines = 0, preamble = 0;
	struct header h;

	while (i < n && lines < 16) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - buf) : n;
		const char *s = buf + i;
		size_t len = end - i;

		if (len && s[len - 1] == '\r')
			len--;
		if (len == 0) {
			i = end + 1;
			continue;
		}
		if (parse_header(s, len, &h))
			return nl != NULL || end == n;
		if (lines == 0 && (starts(s, len, "panic: ") || starts(s, len, "fatal error: ") ||
				   starts(s, len, "SIGQUIT: ") || starts(s, len, "unexpected fault")))
			preamble = 1;
		if (!preamble)
			return 0;
		lines++;
		i = end + 1;
	}
	return 0;
}

/* ---- reading ---- */

struct reader {
	struct profile *p;
	struct linereader *lr;
	struct tp_error *err;
	struct goroutine_stats *st;
	uint32_t *frames;	/* leaf first */
	size_t n, cap;
	uint32_t k_state, k_wait, k_locked, k_created, u_minutes, v_thread;
	int in;			/* inside a goroutine */
	struct header h;
	char state[MAX_STATE * 2];
	uint32_t state_id;
	uint32_t created_by;
	int elided;
	int seen;		/* a header was read */
	int64_t one;
};

static int bad(struct reader *r, const char *what)
{
	return tp_error_set(r->err, -EBADMSG, linereader_name(r->lr),
			    linereader_lineno(r->lr), -1, "%s", what);
}

static int push(struct reader *r, uint32_t fid)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 64;
		uint32_t *nf;

		if (r->n >= PROFILE_MAX_DEPTH)
			return tp_error_set(r->err, -E2BIG, linereader_name(r->lr),
					    linereader_lineno(r->lr), -1,
					    "goroutine stack deeper than %zu frames", PROFILE_MAX_DEPTH);
		nf = realloc(r->frames, nc * sizeof(*nf));
		if (!nf)
			return -ENOMEM;
		r->frames = nf;
		r->cap = nc;
	}
	r->frames[r->n++] = fid;
	return 0;
}

/* The goroutine read so far goes into the profile. */
static int finish(struct reader *r)
{
	struct label l[4];
	size_t nl = 0;
	uint32_t lid, fid;
	int rc;

	if (!r->in)
		return 0;
	r->in = 0;
	if (r->elided) {
		if ((rc = profile_frame_named(r->p, ELIDED, strlen(ELIDED), FRAME_USER, &fid)) < 0 ||
		    (rc = push(r, fid)) < 0)
			return rc;
		if (r->st)
			r->st->elided++;
	}
	if (r->n == 0) {
		if ((rc = profile_frame_named(r->p, UNAVAILABLE, strlen(UNAVAILABLE),
					      FRAME_USER, &fid)) < 0 ||
		    (rc = push(r, fid)) < 0)
			return rc;
		if (r->st)
			r->st->unavailable++;
	}
	memset(l, 0, sizeof(l));
	l[nl].key = r->k_state;
	l[nl++].str = r->state_id;
	if (r->h.wait >= 0) {
		l[nl].key = r->k_wait;
		l[nl].num = r->h.wait;
		l[nl++].unit = r->u_minutes;
	}
	if (r->h.locked) {
		l[nl].key = r->k_locked;
		l[nl++].str = r->v_thread;
		if (r->st)
			r->st->locked++;
	}
	if (r->created_by) {
		l[nl].key = r->k_created;
		l[nl++].str = r->created_by;
	}
	if ((rc = profile_labelset(r->p, l, nl, &lid)) < 0)
		return rc;
	rc = profile_add_leaf_first(r->p, r->frames, r->n, lid, &r->one, NULL);
	if (rc == -E2BIG)
		return tp_error_set(r->err, rc, linereader_name(r->lr), linereader_lineno(r->lr), -1,
				    "goroutine stack deeper than %zu frames", PROFILE_MAX_DEPTH);
	if (rc == -EOVERFLOW)
		return tp_error_set(r->err, rc, linereader_name(r->lr), linereader_lineno(r->lr), -1,
				    "goroutine count overflows");
	return rc;
}

static int start(struct reader *r)
{
	size_t sl = r->h.state_len < MAX_STATE ? r->h.state_len : MAX_STATE;
	int rc;

	memcpy(r->state, r->h.state, sl);
	memcpy(r->state + sl, r->h.extra, r->h.extra_len);
	sl += r->h.extra_len;
	r->state[sl] = '\0';
	if ((rc = profile_intern(r->p, r->state, sl, &r->state_id)) < 0)
		return rc;
	r->in = 1;
	r->seen = 1;
	r->n = 0;
	r->created_by = 0;
	r->elided = 0;
	if (r->st)
		r->st->goroutines++;
	return 0;
}

/* "\tFILE:LINE[ +0xOFF]" -> file and line. 0 or -1. */
static int parse_file_line(const char *s, size_t n, const char **file, size_t *flen,
			   uint32_t *line)
{
	size_t end, colon;
	uint64_t v = 0;

	if (n < 2 || s[0] != '\t')
		return -1;
	s++;
	n--;
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	end = n;
	/* a " +0x..." or " fp=... sp=..." tail */
	{
		const char *sp = memchr(s, ' ', n);

		if (sp)
			end = (size_t)(sp - s);
	}
	colon = end;
	while (colon > 0 && s[colon - 1] != ':')
		colon--;
	if (colon == 0 || colon == end)
		return -1;
	for (size_t k = colon; k < end; k++) {
		if (!is_digit(s[k]))
			return -1;
		if (v < 0xffffffffu)
			v = v * 10 + (uint64_t)(s[k] - '0');
	}
	*file = s;
	*flen = colon - 1;
	*line = v > 0xffffffffu ? 0 : (uint32_t)v;
	if (*flen == 1 && s[0] == '?')
		*flen = 0;
	return 0;
}

/* Where the argument list of a call line starts: the '(' matching the
 * final ')'. 0 when the line is not "name(args)". */
static size_t args_start(const char *s, size_t n)
{
	long depth = 0;
	size_t i;

	if (n < 3 || s[n - 1] != ')')
		return 0;
	for (i = n; i-- > 0;) {
		if (s[i] == ')')
			depth++;
		else if (s[i] == '(' && --depth == 0)
			return i;
	}
	return 0;
}

/* A call line (or "created by") and the file line after it. */
static int call(struct reader *r, const char *s, size_t n)
{
	const char *fl, *file;
	size_t fn, flen, a;
	uint32_t line, fid;
	struct frame f;
	int created = starts(s, n, "created by "), rc;

	if (created) {
		const char *in;

		s += 11;
		n -= 11;
		/* Go 1.21+: "created by F in goroutine N" */
		for (in = s; (in = memmem(in, n - (size_t)(in - s), " in goroutine ", 14)); in++) {
			size_t k = (size_t)(in - s) + 14;

			while (k < n && is_digit(s[k]))
				k++;
			if (k == n) {
				n = (size_t)(in - s);
				break;
			}
		}
		a = n;
	} else {
		a = args_start(s, n);
		if (a == 0)
			return bad(r, "expected a call \"function(args)\", \"created by ...\" or a blank line");
	}
	if (a == 0)
		return bad(r, "empty function name");
	if ((rc = linereader_next(r->lr, &fl, &fn, r->err)) < 0)
		return rc;
	if (rc == 0)
		return bad(r, "the dump ends after a call line; expected its tab-indented \"file:line\"");
	if (parse_file_line(fl, fn, &file, &flen, &line) < 0)
		return bad(r, "expected a tab-indented \"file:line\" after the call on the line before");
	if (created)
		return profile_intern(r->p, s, a, &r->created_by);
	memset(&f, 0, sizeof(f));
	if ((rc = profile_intern(r->p, s, a, &f.name)) < 0 ||
	    (rc = profile_intern(r->p, file, flen, &f.file)) < 0)
		return rc;
	f.line = line;
	/* Inlined calls are printed with "(...)" and without a +0x offset. */
	if (n - a == 5 && memcmp(s + a, "(...)", 5) == 0 && !memmem(fl, fn, " +0x", 4))
		f.kind = FRAME_INLINED;
	if ((rc = profile_frame(r->p, &f, &fid)) < 0)
		return rc;
	return push(r, fid);
}

int goroutine_read(struct linereader *lr, struct profile *p,
		   struct goroutine_stats *st, struct tp_error *err)
{
	struct reader r;
	const char *s;
	size_t n;
	int rc;

	memset(&r, 0, sizeof(r));
	r.p = p;
	r.lr = lr;
	r.err = err;
	r.st = st;
	r.one = 1;
	if (st)
		memset(st, 0, sizeof(*st));
	if ((rc = profile_add_sample_type(p, "goroutine", "count")) < 0)
		goto out;
	{
		struct profile_meta *m = profile_meta(p);

		if ((rc = profile_intern(p, "goroutine", 9, &m->period_type)) < 0 ||
		    (rc = profile_intern(p, "count", 5, &m->period_unit)) < 0)
			goto out;
		m->period = 1;
	}
	if ((rc = profile_intern(p, "state", 5, &r.k_state)) < 0 ||
	    (rc = profile_intern(p, "wait", 4, &r.k_wait)) < 0 ||
	    (rc = profile_intern(p, "locked", 6, &r.k_locked)) < 0 ||
	    (rc = profile_intern(p, "created_by", 10, &r.k_created)) < 0 ||
	    (rc = profile_intern(p, "minutes", 7, &r.u_minutes)) < 0 ||
	    (rc = profile_intern(p, "thread", 6, &r.v_thread)) < 0)
		goto out;
	while ((rc = linereader_next(lr, &s, &n, err)) > 0) {
		struct header h;
		size_t t = n;

		while (t && (s[t - 1] == '\r' || s[t - 1] == ' '))
			t--;
		if (parse_header(s, n, &h)) {
			if ((rc = finish(&r)) < 0)
				goto out;
			r.h = h;
			if ((rc = start(&r)) < 0)
				goto out;
			continue;
		}
		if (!r.in)
			continue;	/* text between dumps (panic message, registers) */
		if (t == 0) {
			if ((rc = finish(&r)) < 0)
				goto out;
			continue;
		}
		if (starts(s, t, ELIDED)) {
			r.elided = 1;
			continue;
		}
		if (s[0] == '[' && starts(s, t, "[originating from goroutine "))
			continue;
		if (s[0] == '\t') {
			if (starts(s, t, "\tgoroutine running on other thread"))
				continue;
			rc = bad(&r, "a tab-indented \"file:line\" line without a call before it");
			goto out;
		}
		if ((rc = call(&r, s, t)) < 0)
			goto out;
	}
	if (rc == 0)
		rc = finish(&r);
	if (rc == 0 && !r.seen)
		rc = tp_error_set(err, -EBADMSG, linereader_name(lr), 0, -1,
				  "no goroutine header (\"goroutine N [state]:\") found");
out:
	if (rc == -ENOMEM && err && !err->msg[0])
		tp_error_set(err, rc, linereader_name(lr), linereader_lineno(lr), -1, "out of memory");
	free(r.frames);
	return rc < 0 ? rc : 0;
}

/* ---- groups ---- */

struct keyed {
	size_t stack, pos;	/* index in the profile, position in sorted order */
	uint32_t state, created_by;
	int locked;
	int64_t wait;		/* -1: none */
	int64_t count;
};

struct keys {
	uint32_t state, wait, locked, created_by;
};

static void find_keys(const struct profile *p, struct keys *k)
{
	const struct strtab *t = profile_strings_const(p);

	memset(k, 0xff, sizeof(*k));
	strtab_find(t, "state", 5, &k->state);
	strtab_find(t, "wait", 4, &k->wait);
	strtab_find(t, "locked", 6, &k->locked);
	strtab_find(t, "created_by", 10, &k->created_by);
}

static void describe(const struct profile *p, const struct keys *k, size_t si, size_t pos,
		     struct keyed *out)
{
	struct stack_view sv;
	const struct label *l;
	size_t nl, i;

	profile_stack(p, si, &sv);
	memset(out, 0, sizeof(*out));
	out->stack = si;
	out->pos = pos;
	out->wait = -1;
	out->count = sv.values[0];
	l = profile_labelset_get(p, sv.labels, &nl);
	for (i = 0; i < nl; i++) {
		if (l[i].key == k->state)
			out->state = l[i].str;
		else if (l[i].key == k->wait && !l[i].str)
			out->wait = l[i].num;
		else if (l[i].key == k->locked)
			out->locked = 1;
		else if (l[i].key == k->created_by)
			out->created_by = l[i].str;
	}
}

static int cmp_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->state != y->state)
		return x->state < y->state ? -1 : 1;
	if (x->created_by != y->created_by)
		return x->created_by < y->created_by ? -1 : 1;
	if (x->locked != y->locked)
		return x->locked < y->locked ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sorting groups needs the profile for state names: qsort has no context,
 * so the names are compared through this table of pointers. */
struct ranked {
	struct goroutine_group g;
	const char *state;
	size_t pos;
};

static int cmp_group(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c;

	if (x->g.count != y->g.count)
		return x->g.count > y->g.count ? -1 : 1;
	if ((c = strcmp(x->state, y->state)) != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int same_frames(const struct profile *p, size_t a, size_t b)
{
	struct stack_view x, y;

	profile_stack(p, a, &x);
	profile_stack(p, b, &y);
	return x.nframes == y.nframes &&
	       memcmp(x.frames, y.frames, x.nframes * sizeof(*x.frames)) == 0;
}

int goroutine_groups(const struct profile *p, struct goroutine_group **gp, size_t *np)
{
	size_t ns = profile_nstacks(p), i = 0, ng = 0;
	uint32_t *order = NULL;
	struct keyed *run = NULL;
	struct ranked *g = NULL;
	struct keys k;
	int rc;

	*gp = NULL;
	*np = 0;
	if (ns == 0 || profile_nvalues(p) == 0)
		return 0;
	find_keys(p, &k);
	if ((rc = profile_sorted(p, &order)) < 0)
		return rc;
	run = malloc(ns * sizeof(*run));
	g = malloc(ns * sizeof(*g));
	if (!run || !g) {
		rc = -ENOMEM;
		goto out;
	}
	while (i < ns) {
		size_t j = i + 1, m, a;

		while (j < ns && same_frames(p, order[i], order[j]))
			j++;
		for (m = i; m < j; m++)
			describe(p, &k, order[m], m, &run[m - i]);
		qsort(run, j - i, sizeof(*run), cmp_key);
		for (a = 0; a < j - i;) {
			size_t b = a + 1;
			struct ranked *r = &g[ng++];

			while (b < j - i && run[b].state == run[a].state &&
			       run[b].created_by == run[a].created_by && run[b].locked == run[a].locked)
				b++;
			memset(r, 0, sizeof(*r));
			r->g.stack = run[a].stack;
			r->g.state = run[a].state;
			r->g.created_by = run[a].created_by;
			r->g.locked = run[a].locked;
			r->g.wait_min = r->g.wait_max = -1;
			r->pos = run[a].pos;
			r->state = profile_str(p, run[a].state, NULL);
			for (m = a; m < b; m++) {
				if (run[m].count > 0 && r->g.count > INT64_MAX - run[m].count)
					r->g.count = INT64_MAX;
				else
					r->g.count += run[m].count;
				if (run[m].wait >= 0) {
					if (r->g.wait_min < 0 || run[m].wait < r->g.wait_min)
						r->g.wait_min = run[m].wait;
					if (run[m].wait > r->g.wait_max)
						r->g.wait_max = run[m].wait;
				}
				r->g.nstacks++;
			}
			a = b;
		}
		i = j;
	}
	qsort(g, ng, sizeof(*g), cmp_group);
	*gp = malloc(ng * sizeof(**gp));
	if (!*gp) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < ng; i++)
		(*gp)[i] = g[i].g;
	*np = ng;
	rc = 0;
out:
	free(order);
	free(run);
	free(g);
	return rc;
}

struct named_count {
	struct goroutine_state s;
	const char *name;
};

static int cmp_state_id(const void *a, const void *b)
{
	const struct named_count *x = a, *y = b;

	return x->s.state < y->s.state ? -1 : x->s.state > y->s.state;
}

static int cmp_state_rank(const void *a, const void *b)
{
	const struct named_count *x = a, *y = b;

	if (x->s.count != y->s.count)
		return x->s.count > y->s.count ? -1 : 1;
	return strcmp(x->name, y->name);
}

int goroutine_states(const struct profile *p, struct goroutine_state **sp, size_t *np)
{
	size_t ns = profile_nstacks(p), i, n = 0;
	struct named_count *c;
	struct keys k;

	*sp = NULL;
	*np = 0;
	if (ns == 0 || profile_nvalues(p) == 0)
		return 0;
	find_keys(p, &k);
	c = malloc(ns * sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (i = 0; i < ns; i++) {
		struct keyed d;

		describe(p, &k, i, i, &d);
		c[i].s.state = d.state;
		c[i].s.count = d.count;
	}
	qsort(c, ns, sizeof(*c), cmp_state_id);
	for (i = 0; i < ns; i++) {
		if (n && c[n - 1].s.state == c[i].s.state) {
			int64_t v = c[i].s.count;

			c[n - 1].s.count = (v > 0 && c[n - 1].s.count > INT64_MAX - v) ?
					   INT64_MAX : c[n - 1].s.count + v;
			continue;
		}
		c[n] = c[i];
		c[n].name = profile_str(p, c[n].s.state, NULL);
		n++;
	}
	qsort(c, n, sizeof(*c), cmp_state_rank);
	*sp = malloc(n * sizeof(**sp));
	if (!*sp) {
		free(c);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		(*sp)[i] = c[i].s;
	*np = n;
	free(c);
	return 0;
}
