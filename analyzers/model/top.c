/* top.c - see top.h.
 *
 * Frames map to function nodes through an array indexed by frame id (built
 * from a name -> node array), so the pass over the stacks does two array
 * lookups per frame. "Counted for this stack already" is a stamp per node
 * holding the last stack index that touched it, which makes recursion
 * handling free of any per-stack clearing.
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

int top_compute(const struct profile *p, size_t vi, int sort_cum,
		struct top_row **rows, size_t *n, struct tp_error *err)
{
	size_t nstr = strtab_count(profile_strings_const(p));
	size_t nframes = profile_nframes(p), nstacks = profile_nstacks(p);
	uint32_t *node_of_name = NULL, *node_of_frame = NULL, *stamp = NULL;
	struct top_row *r = NULL;
	size_t nnodes = 0, i, k;
	const void *ctx[2];
	int rc = 0;

	*rows = NULL;
	*n = 0;
	if (vi >= profile_nvalues(p))
		return tp_error_set(err, -EINVAL, NULL, 0, -1, "no sample type %zu", vi);
	node_of_name = calloc(nstr + 1, sizeof(*node_of_name));
	node_of_frame = malloc((nframes + 1) * sizeof(*node_of_frame));
	if (!node_of_name || !node_of_frame) {
		rc = tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
		goto out;
	}
	for (i = 0; i < nframes; i++) {
		uint32_t name = profile_frame_get(p, (uint32_t)i)->name;

		if (!node_of_name[name])
			node_of_name[name] = (uint32_t)++nnodes;
		node_of_frame[i] = node_of_name[name] - 1;
	}
	r = calloc(nnodes + 1, sizeof(*r));
	stamp = calloc(nnodes + 1, sizeof(*stamp));
	if (!r || !stamp) {
		rc = tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
		goto out;
	}
	for (i = 0; i < nstr; i++)
		if (node_of_name[i])
			r[node_of_name[i] - 1].name = (uint32_t)i;
	for (i = 0; i < nstacks; i++) {
		struct stack_view sv;
		uint32_t nd;
		int64_t v;

		profile_stack(p, i, &sv);
		v = sv.values[vi];
		if (v == 0 || sv.nframes == 0)
			continue;
		for (k = 0; k < sv.nframes; k++) {
			nd = node_of_frame[sv.frames[k]];
			if (stamp[nd] == i + 1)
				continue;
			stamp[nd] = (uint32_t)(i + 1);
			if (__builtin_add_overflow(r[nd].cum, v, &r[nd].cum)) {
				rc = overflow(p, r[nd].name, err);
				goto out;
			}
		}
		nd = node_of_frame[sv.frames[sv.nframes - 1]];
		if (__builtin_add_overflow(r[nd].flat, v, &r[nd].flat)) {
			rc = overflow(p, r[nd].name, err);
			goto out;
		}
	}
	/* Keep the nodes some non-zero stack touched. */
	for (i = 0, k = 0; i < nnodes; i++)
		if (stamp[i])
			r[k++] = r[i];
	ctx[0] = p;
	ctx[1] = &sort_cum;
	qsort_r(r, k, sizeof(*r), cmp_rows, (void *)ctx);
	*rows = k ? r : NULL;
	*n = k;
	if (k)
		r = NULL;
out:
	free(node_of_name);
	free(node_of_frame);
	free(stamp);
	free(r);
	return rc;
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
