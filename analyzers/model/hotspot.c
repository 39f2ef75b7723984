/* hotspot.c - see hotspot.h */
#include "analyzers/model/hotspot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int64_t mag(int64_t v)
{
	return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

int64_t hotspot_total(const struct profile *p, size_t vi)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < profile_nstacks(p); i++) {
		struct stack_view sv;

		profile_stack(p, i, &sv);
		t = sat_add(t, mag(sv.values[vi]));
	}
	return t;
}

static int cmp_fn(const void *a, const void *b, void *ctx)
{
	const struct hotspot_fn *x = a, *y = b;
	const struct profile *p = ctx;

	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return strcmp(profile_str(p, x->name, NULL), profile_str(p, y->name, NULL));
}

/* Sort out[0..n) by value, then name; keep the first max. */
static size_t sort_keep(const struct profile *p, struct hotspot_fn *all, size_t n)
{
	qsort_r(all, n, sizeof(*all), cmp_fn, (void *)p);
	return n;
}

int hotspot_path(const struct profile *p, size_t vi, const struct hotspot_path_opts *o,
		 struct hotspot_fn *out, size_t max)
{
	size_t ns = profile_nstacks(p), i, depth, nout = 0;
	uint32_t nstr = strtab_count(profile_strings_const(p));
	unsigned char *alive = malloc(ns ? ns : 1);
	int64_t *acc = calloc(nstr ? nstr : 1, sizeof(*acc));
	int64_t total = 0;
	int rc = 0;

	if (!alive || !acc) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < ns; i++) {
		struct stack_view sv;

		profile_stack(p, i, &sv);
		alive[i] = !o->has_root || (sv.nframes && profile_frame_get(p, sv.frames[0])->name == o->root);
		if (alive[i])
			total = sat_add(total, mag(sv.values[vi]));
	}
	for (depth = 0; nout < max && total > 0; depth++) {
		uint32_t best = 0, bestfid = 0;
		int64_t bestv = 0;
		int any = 0;

		for (i = 0; i < ns; i++) {
			struct stack_view sv;
			uint32_t nm;

			if (!alive[i])
				continue;
			profile_stack(p, i, &sv);
			if (sv.nframes <= depth) {
				alive[i] = 0;
				continue;
			}
			nm = profile_frame_get(p, sv.frames[depth])->name;
			acc[nm] = sat_add(acc[nm], mag(sv.values[vi]));
			any = 1;
		}
		if (!any)
			break;
		/* the heaviest name; ties to the bytewise smaller */
		for (i = 0; i < ns; i++) {
			struct stack_view sv;
			uint32_t nm;

			if (!alive[i])
				continue;
			profile_stack(p, i, &sv);
			nm = profile_frame_get(p, sv.frames[depth])->name;
			if (acc[nm] > bestv ||
			    (acc[nm] == bestv && acc[nm] &&
			     strcmp(profile_str(p, nm, NULL), profile_str(p, best, NULL)) < 0)) {
				bestv = acc[nm];
				best = nm;
				bestfid = sv.frames[depth];
			}
		}
		/* reset, and keep only the stacks through the chosen frame */
		for (i = 0; i < ns; i++) {
			struct stack_view sv;
			uint32_t nm;

			if (!alive[i])
				continue;
			profile_stack(p, i, &sv);
			nm = profile_frame_get(p, sv.frames[depth])->name;
			acc[nm] = 0;
			if (nm != best)
				alive[i] = 0;
		}
		if (bestv * o->part < total)
			break;
		if (!o->skip || !o->skip(p, bestfid, o->skip_ctx)) {
			out[nout].name = best;
			out[nout++].value = bestv;
		}
	}
	rc = (int)nout;
out:
	free(alive);
	free(acc);
	return rc;
}

int64_t hotspot_share(const struct profile *p, size_t vi, hotspot_match_fn match, void *ctx)
{
	size_t nf = profile_nframes(p), i, j;
	signed char *memo = calloc(nf ? nf : 1, 1);	/* 0 unknown, 1 match, -1 not */
	int64_t sum = 0;

	if (!memo)
		return 0;
	for (i = 0; i < profile_nstacks(p); i++) {
		struct stack_view sv;

		profile_stack(p, i, &sv);
		for (j = 0; j < sv.nframes; j++) {
			uint32_t f = sv.frames[j];

			if (f < nf && !memo[f]) {
				size_t len;
				const char *name = profile_str(p, profile_frame_get(p, f)->name, &len);

				memo[f] = match(name, len, ctx) ? 1 : -1;
			}
			if (f < nf && memo[f] > 0) {
				sum = sat_add(sum, mag(sv.values[vi]));
				break;
			}
		}
	}
	free(memo);
	return sum;
}

int hotspot_roots(const struct profile *p, size_t vi, struct hotspot_fn *out, size_t max)
{
	uint32_t nstr = strtab_count(profile_strings_const(p));
	int64_t *acc = calloc(nstr ? nstr : 1, sizeof(*acc));
	struct hotspot_fn *all = NULL;
	size_t i, n = 0;
	int rc;

	if (!acc)
		return -ENOMEM;
	for (i = 0; i < profile_nstacks(p); i++) {
		struct stack_view sv;

		profile_stack(p, i, &sv);
		if (sv.nframes)
			acc[profile_frame_get(p, sv.frames[0])->name] =
				sat_add(acc[profile_frame_get(p, sv.frames[0])->name], mag(sv.values[vi]));
	}
	for (i = 0; i < nstr; i++)
		n += acc[i] != 0;
	all = malloc((n ? n : 1) * sizeof(*all));
	if (!all) {
		free(acc);
		return -ENOMEM;
	}
	for (i = 0, n = 0; i < nstr; i++)
		if (acc[i]) {
			all[n].name = (uint32_t)i;
			all[n++].value = acc[i];
		}
	n = sort_keep(p, all, n);
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof(*out));
	rc = (int)n;
	free(acc);
	free(all);
	return rc;
}
