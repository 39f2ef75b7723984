/* top.c - see top.h.
 *
 * Frames map to function nodes through an array indexed by frame id (built
 * from a name -> node array), so the pass over the stacks does two array
 * lookups per frame. "Counted for this stack already" is a stamp per node
 * holding the last stack index that touched it, which makes recursion
 * handling free of any per-stack clearing. A frame the query skips maps to
 * no node: cum passes over it, and flat goes to the nearest node above the
 * leaf.
 */
#include "analyzers/model/top.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int top_default_index(const struct profile *p)
{
	const struct profile_meta *m = profile_meta_const(p);
	size_t i, n = profile_nvalues(p);

	if (n == 0)
		return -1;
	if (m->default_sample_type)
		for (i = 0; i < n; i++)
			if (profile_sample_type(p, i, NULL) == m->default_sample_type)
				return (int)i;
	return (int)n - 1;
}

static int64_t abs64(int64_t v)
{
	return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
}

static int cmp_name(const struct profile *p, uint32_t a, uint32_t b)
{
	size_t la, lb;
	const char *sa = profile_str(p, a, &la), *sb = profile_str(p, b, &lb);
	int c = memcmp(sa, sb, la < lb ? la : lb);

	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

static int cmp_rows(const void *x, const void *y, void *ctx)
{
	const struct top_row *a = x, *b = y;
	const void *const *c = ctx;
	const struct profile *p = c[0];
	int by_cum = *(const int *)c[1];
	int64_t a1 = abs64(by_cum ? a->cum : a->flat), b1 = abs64(by_cum ? b->cum : b->flat);
	int64_t a2 = abs64(by_cum ? a->flat : a->cum), b2 = abs64(by_cum ? b->flat : b->cum);
	int r;

	if (a1 != b1)
		return a1 > b1 ? -1 : 1;
	if ((r = cmp_name(p, a->name, b->name)) != 0)
		return r;
	if (a2 != b2)
		return a2 > b2 ? -1 : 1;
	return 0;
}

static int overflow(const struct profile *p, uint32_t name, struct tp_error *err)
{
	return tp_error_set(err, -EOVERFLOW, NULL, 0, -1, "total of %s overflows int64",
			    profile_str(p, name, NULL));
}

void top_query_init(struct top_query *q, size_t vi)
{
	memset(q, 0, sizeof(*q));
	q->vi = vi;
}

void top_sort(const struct profile *p, struct top_row *rows, size_t n, int sort_cum)
{
	const void *ctx[2];

	ctx[0] = p;
	ctx[1] = &sort_cum;
	qsort_r(rows, n, sizeof(*rows), cmp_rows, (void *)ctx);
}

/* Frames to function nodes. A frame the query skips maps to no node; the
 * skip predicate is asked once per frame, and only for the frames of the
 * stacks counted (the report asks for one root at a time). */
#define NO_NODE UINT32_MAX

struct nodes {
	uint32_t *of_frame;	/* the node of each frame */
	unsigned char *skip;	/* per frame: 0 not asked yet, 1 kept, 2 skipped; NULL: none */
};

static uint32_t node_of(const struct profile *p, const struct top_query *q, struct nodes *m,
			uint32_t frame)
{
	if (m->skip) {
		if (!m->skip[frame])
			m->skip[frame] = q->skip(p, frame, q->skip_ctx) ? 2 : 1;
		if (m->skip[frame] == 2)
			return NO_NODE;
	}
	return m->of_frame[frame];
}

/* Number the functions (m->of_frame) and name the rows. Returns the node
 * count, or -ENOMEM. */
static long map_frames(const struct profile *p, struct nodes *m, struct top_row **rows)
{
	size_t nstr = strtab_count(profile_strings_const(p)), nframes = profile_nframes(p), i;
	uint32_t *node_of_name = calloc(nstr + 1, sizeof(*node_of_name));
	uint32_t nnodes = 0;

	if (!node_of_name)
		return -ENOMEM;
	for (i = 0; i < nframes; i++) {
		uint32_t name = profile_frame_get(p, (uint32_t)i)->name;

		if (!node_of_name[name])
			node_of_name[name] = ++nnodes;
		m->of_frame[i] = node_of_name[name] - 1;
	}
	*rows = calloc((size_t)nnodes + 1, sizeof(**rows));
	if (*rows)
		for (i = 0; i < nstr; i++)
			if (node_of_name[i])
				(*rows)[node_of_name[i] - 1].name = (uint32_t)i;
	free(node_of_name);
	return *rows ? (long)nnodes : -ENOMEM;
}

/* *sum += v: saturating for magnitudes, else 1 on overflow. */
static int add_to(int64_t *sum, int64_t v, int magnitude)
{
	if (!magnitude)
		return __builtin_add_overflow(*sum, v, sum);
	*sum = *sum > INT64_MAX - v ? INT64_MAX : *sum + v;
	return 0;
}

/* Add every stack of the query to r[]; stamp[node] is the last stack
 * (1-based) that counted it. 0 or -EOVERFLOW. */
static int count_stacks(const struct profile *p, const struct top_query *q, struct nodes *m,
			struct top_row *r, uint32_t *stamp, struct tp_error *err)
{
	size_t i, k, nstacks = profile_nstacks(p);

	for (i = 0; i < nstacks; i++) {
		struct stack_view sv;
		uint32_t nd = NO_NODE;
		int64_t v;

		profile_stack(p, i, &sv);
		v = q->magnitude ? abs64(sv.values[q->vi]) : sv.values[q->vi];
		if (v == 0 || sv.nframes == 0)
			continue;
		if (q->has_root && profile_frame_get(p, sv.frames[0])->name != q->root)
			continue;
		for (k = 0; k < sv.nframes; k++) {
			nd = node_of(p, q, m, sv.frames[k]);
			if (nd == NO_NODE || stamp[nd] == i + 1)
				continue;
			stamp[nd] = (uint32_t)(i + 1);
			if (add_to(&r[nd].cum, v, q->magnitude))
				return overflow(p, r[nd].name, err);
		}
		/* the leaf, or the nearest frame above it that is not skipped */
		for (k = sv.nframes; k-- > 0;)
			if ((nd = node_of(p, q, m, sv.frames[k])) != NO_NODE)
				break;
		if (nd != NO_NODE && add_to(&r[nd].flat, v, q->magnitude))
			return overflow(p, r[nd].name, err);
	}
	return 0;
}

int top_query_run(const struct profile *p, const struct top_query *q,
		  struct top_row **rows, size_t *n, struct tp_error *err)
{
	size_t nframes = profile_nframes(p), i, k;
	struct nodes m = { NULL, NULL };
	uint32_t *stamp = NULL;
	struct top_row *r = NULL;
	long nnodes = -ENOMEM;
	int rc = 0;

	*rows = NULL;
	*n = 0;
	if (q->vi >= profile_nvalues(p))
		return tp_error_set(err, -EINVAL, NULL, 0, -1, "no sample type %zu", q->vi);
	m.of_frame = malloc((nframes + 1) * sizeof(*m.of_frame));
	if (q->skip)
		m.skip = calloc(nframes + 1, 1);
	if (m.of_frame && (m.skip || !q->skip))
		nnodes = map_frames(p, &m, &r);
	stamp = nnodes >= 0 ? calloc((size_t)nnodes + 1, sizeof(*stamp)) : NULL;
	if (!stamp) {
		rc = tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
		goto out;
	}
	if ((rc = count_stacks(p, q, &m, r, stamp, err)) < 0)
		goto out;
	/* Keep the nodes some non-zero stack touched. */
	for (i = 0, k = 0; i < (size_t)nnodes; i++)
		if (stamp[i])
			r[k++] = r[i];
	top_sort(p, r, k, q->sort_cum);
	*rows = k ? r : NULL;
	*n = k;
	if (k)
		r = NULL;
out:
	free(m.of_frame);
	free(m.skip);
	free(stamp);
	free(r);
	return rc;
}

int top_compute(const struct profile *p, size_t vi, int sort_cum,
		struct top_row **rows, size_t *n, struct tp_error *err)
{
	struct top_query q;

	top_query_init(&q, vi);
	q.sort_cum = sort_cum;
	return top_query_run(p, &q, rows, n, err);
}

int top_total(const struct profile *p, size_t vi, int64_t *total, struct tp_error *err)
{
	size_t i;
	int64_t t = 0;

	*total = 0;
	if (vi >= profile_nvalues(p))
		return tp_error_set(err, -EINVAL, NULL, 0, -1, "no sample type %zu", vi);
	for (i = 0; i < profile_nstacks(p); i++) {
		struct stack_view sv;
		int64_t v;

		profile_stack(p, i, &sv);
		v = sv.values[vi];
		if (v == INT64_MIN || __builtin_add_overflow(t, v < 0 ? -v : v, &t))
			return tp_error_set(err, -EOVERFLOW, NULL, 0, -1,
					    "total of sample type %zu overflows int64", vi);
	}
	*total = t;
	return 0;
}
