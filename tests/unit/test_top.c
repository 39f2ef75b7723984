/* test_top.c - flat and cumulative totals per function, and the report's
 * variant of them (struct top_query). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/error.h"
#include "analyzers/model/profile.h"
#include "analyzers/model/top.h"
#include "check.h"

/* Add "a;b;c" (root first) with value v to p's first value. */
static void add(struct profile *p, const char *stack, int64_t v)
{
	uint32_t fr[16];
	int64_t vals[2] = { v, 1 };
	size_t n = 0;
	const char *s = stack;

	while (*s) {
		size_t len = strcspn(s, ";");

		profile_frame_named(p, s, len, FRAME_USER, &fr[n++]);
		s += len + (s[len] == ';');
	}
	CHECK_EQ_INT(profile_add(p, fr, n, 0, vals, NULL), 0);
}

static const struct top_row *row(const struct profile *p, const struct top_row *r,
				 size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(profile_str(p, r[i].name, NULL), name) == 0)
			return &r[i];
	return NULL;
}

static struct profile *new2(void)
{
	struct profile *p = profile_new();

	profile_add_sample_type(p, "cpu", "nanoseconds");
	profile_add_sample_type(p, "samples", "count");
	return p;
}

static void test_flat_cum(void)
{
	struct profile *p = new2();
	struct top_row *r;
	struct tp_error err;
	const struct top_row *x;
	size_t n;

	add(p, "main;work;leaf", 10);
	add(p, "main;work", 5);
	add(p, "main;other", 3);
	add(p, "main;rec;rec;rec", 7);		/* recursion counts once */
	add(p, "main;idle", 0);			/* zero: skipped, idle not listed */
	add(p, "", 100);			/* empty stack: nothing */
	tp_error_init(&err);
	CHECK_EQ_INT(top_compute(p, 0, 0, &r, &n, &err), 0);
	CHECK_EQ_INT(n, 5);
	x = row(p, r, n, "main");
	CHECK(x && x->flat == 0 && x->cum == 25);
	x = row(p, r, n, "work");
	CHECK(x && x->flat == 5 && x->cum == 15);
	x = row(p, r, n, "leaf");
	CHECK(x && x->flat == 10 && x->cum == 10);
	x = row(p, r, n, "rec");
	CHECK(x && x->flat == 7 && x->cum == 7);
	CHECK(row(p, r, n, "idle") == NULL);
	/* by flat, then name: leaf 10, rec 7, work 5, other 3, main 0 */
	CHECK_EQ_STR(profile_str(p, r[0].name, NULL), "leaf");
	CHECK_EQ_STR(profile_str(p, r[1].name, NULL), "rec");
	CHECK_EQ_STR(profile_str(p, r[2].name, NULL), "work");
	CHECK_EQ_STR(profile_str(p, r[3].name, NULL), "other");
	CHECK_EQ_STR(profile_str(p, r[4].name, NULL), "main");
	free(r);
	/* by cum: main 25, work 15, leaf 10, rec 7, other 3 */
	CHECK_EQ_INT(top_compute(p, 0, 1, &r, &n, &err), 0);
	CHECK_EQ_STR(profile_str(p, r[0].name, NULL), "main");
	CHECK_EQ_STR(profile_str(p, r[1].name, NULL), "work");
	CHECK_EQ_STR(profile_str(p, r[4].name, NULL), "other");
	free(r);
	/* the other value: every stack counts 1, idle too */
	CHECK_EQ_INT(top_compute(p, 1, 0, &r, &n, &err), 0);
	CHECK_EQ_INT(n, 6);
	x = row(p, r, n, "main");
	CHECK(x && x->cum == 5);
	free(r);
	profile_free(p);
}

/* Same name, different files or kinds: one function. Ties by name. */
static void test_same_name(void)
{
	struct profile *p = new2();
	struct frame f;
	uint32_t a, b, st[2];
	int64_t v[2] = { 4, 0 };
	struct top_row *r;
	size_t n;

	memset(&f, 0, sizeof(f));
	profile_intern(p, "dup", 3, &f.name);
	profile_intern(p, "a.c", 3, &f.file);
	profile_frame(p, &f, &a);
	profile_intern(p, "b.c", 3, &f.file);
	f.kind = FRAME_INLINED;
	profile_frame(p, &f, &b);
	st[0] = a;
	st[1] = b;
	profile_add(p, st, 2, 0, v, NULL);
	profile_add(p, st, 1, 0, v, NULL);
	add(p, "zz", 4);
	add(p, "aa", 4);
	CHECK_EQ_INT(top_compute(p, 0, 0, &r, &n, NULL), 0);
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_STR(profile_str(p, r[0].name, NULL), "dup");
	CHECK(r[0].flat == 8 && r[0].cum == 8);
	CHECK_EQ_STR(profile_str(p, r[1].name, NULL), "aa");
	CHECK_EQ_STR(profile_str(p, r[2].name, NULL), "zz");
	free(r);
	profile_free(p);
}

/* Diff profiles: negative values sort by magnitude. */
static void test_negative(void)
{
	struct profile *p = new2();
	struct top_row *r;
	int64_t total;
	size_t n;

	add(p, "m;up", 5);
	add(p, "m;down", -9);
	CHECK_EQ_INT(top_compute(p, 0, 0, &r, &n, NULL), 0);
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_STR(profile_str(p, r[0].name, NULL), "down");
	CHECK(r[0].flat == -9);
	CHECK_EQ_STR(profile_str(p, r[1].name, NULL), "up");
	CHECK_EQ_STR(profile_str(p, r[2].name, NULL), "m");
	CHECK(r[2].cum == -4);
	free(r);
	CHECK_EQ_INT(top_total(p, 0, &total, NULL), 0);
	CHECK(total == 14);
	profile_free(p);
}

static void test_overflow(void)
{
	struct profile *p = new2();
	struct tp_error err;
	struct top_row *r = (struct top_row *)1;
	int64_t total;
	size_t n = 5;

	add(p, "a;b", INT64_MAX);
	add(p, "c;b", 1);
	tp_error_init(&err);
	CHECK_EQ_INT(top_compute(p, 0, 0, &r, &n, &err), -EOVERFLOW);
	CHECK_EQ_STR(err.msg, "total of b overflows int64");
	CHECK(r == NULL && n == 0);
	CHECK_EQ_INT(top_total(p, 0, &total, &err), -EOVERFLOW);
	profile_free(p);
	p = new2();
	add(p, "a", INT64_MIN);
	CHECK_EQ_INT(top_total(p, 0, &total, &err), -EOVERFLOW);
	CHECK_EQ_INT(top_compute(p, 0, 0, &r, &n, &err), 0);
	CHECK(n == 1 && r[0].flat == INT64_MIN);
	free(r);
	profile_free(p);
}

static void test_edges(void)
{
	struct profile *p = profile_new();
	struct top_row *r = (struct top_row *)1;
	struct tp_error err;
	size_t n = 9;
	uint32_t id;

	tp_error_init(&err);
	CHECK_EQ_INT(top_default_index(p), -1);
	CHECK_EQ_INT(top_compute(p, 0, 0, &r, &n, &err), -EINVAL);
	profile_add_sample_type(p, "alloc_space", "bytes");
	profile_add_sample_type(p, "inuse_space", "bytes");
	CHECK_EQ_INT(top_default_index(p), 1);
	profile_intern(p, "alloc_space", 11, &id);
	profile_meta(p)->default_sample_type = id;
	CHECK_EQ_INT(top_default_index(p), 0);
	profile_intern(p, "nonesuch", 8, &id);
	profile_meta(p)->default_sample_type = id;
	CHECK_EQ_INT(top_default_index(p), 1);
	/* no stacks: no rows */
	CHECK_EQ_INT(top_compute(p, 1, 0, &r, &n, &err), 0);
	CHECK(r == NULL && n == 0);
	CHECK_EQ_INT(top_compute(p, 2, 0, &r, &n, &err), -EINVAL);
	profile_free(p);
}

/* A deep recursive stack: cum once, fast. */
static void test_deep(void)
{
	struct profile *p = new2();
	size_t depth = 100000, i, n;
	uint32_t *fr = malloc(depth * sizeof(*fr));
	int64_t v[2] = { 3, 0 };
	struct top_row *r;

	for (i = 0; i < depth; i++)
		profile_frame_named(p, i % 2 ? "odd" : "even", i % 2 ? 3 : 4, FRAME_USER, &fr[i]);
	CHECK_EQ_INT(profile_add(p, fr, depth, 0, v, NULL), 0);
	CHECK_EQ_INT(top_compute(p, 0, 0, &r, &n, NULL), 0);
	CHECK_EQ_INT(n, 2);
	CHECK(r[0].flat == 3 && r[0].cum == 3);
	CHECK_EQ_STR(profile_str(p, r[0].name, NULL), "odd");
	CHECK(r[1].flat == 0 && r[1].cum == 3);
	free(r);
	free(fr);
	profile_free(p);
}

/* The report's variant: frames named "skip..." left out, magnitudes,
 * one root. */
static int skip_named(const struct profile *p, uint32_t frame, void *ctx)
{
	size_t len;
	const char *name = profile_str(p, profile_frame_get(p, frame)->name, &len);

	(void)ctx;
	return len >= 4 && memcmp(name, "skip", 4) == 0;
}

static void test_query(void)
{
	struct profile *p = new2();
	struct top_query q;
	struct top_row *r;
	const struct top_row *x;
	size_t n;
	uint32_t root;

	add(p, "main;work;skipme", 6);		/* flat to work, the nearest frame kept */
	add(p, "main;skipme", 4);		/* flat to main */
	add(p, "skipme", 3);			/* nothing kept: not counted */
	add(p, "other;x", -5);
	top_query_init(&q, 0);
	q.skip = skip_named;
	q.magnitude = 1;
	CHECK_EQ_INT(top_query_run(p, &q, &r, &n, NULL), 0);
	CHECK_EQ_INT(n, 4);
	CHECK(row(p, r, n, "skipme") == NULL);
	x = row(p, r, n, "main");
	CHECK(x && x->flat == 4 && x->cum == 10);
	x = row(p, r, n, "x");
	CHECK(x && x->flat == 5 && x->cum == 5);
	/* by flat: work 6, x 5, main 4, other 0 */
	CHECK_EQ_STR(profile_str(p, r[0].name, NULL), "work");
	CHECK_EQ_STR(profile_str(p, r[1].name, NULL), "x");
	CHECK_EQ_STR(profile_str(p, r[3].name, NULL), "other");
	/* re-sorted by cum: main 10, work 6, then other and x (5) by name */
	top_sort(p, r, n, 1);
	CHECK_EQ_STR(profile_str(p, r[0].name, NULL), "main");
	CHECK_EQ_STR(profile_str(p, r[2].name, NULL), "other");
	CHECK_EQ_STR(profile_str(p, r[3].name, NULL), "x");
	free(r);
	/* signed sums, as pprof */
	q.magnitude = 0;
	CHECK_EQ_INT(top_query_run(p, &q, &r, &n, NULL), 0);
	x = row(p, r, n, "x");
	CHECK(x && x->flat == -5);
	free(r);
	/* the stacks under main only */
	CHECK_EQ_INT(profile_intern(p, "main", 4, &root), 0);
	q.has_root = 1;
	q.root = root;
	CHECK_EQ_INT(top_query_run(p, &q, &r, &n, NULL), 0);
	CHECK_EQ_INT(n, 2);
	CHECK(row(p, r, n, "x") == NULL);
	x = row(p, r, n, "work");
	CHECK(x && x->flat == 6);
	free(r);
	profile_free(p);
	/* magnitudes saturate where signed sums fail */
	p = new2();
	add(p, "a;b", INT64_MAX);
	add(p, "c;b", -1);
	top_query_init(&q, 0);
	q.magnitude = 1;
	CHECK_EQ_INT(top_query_run(p, &q, &r, &n, NULL), 0);
	x = row(p, r, n, "b");
	CHECK(x && x->flat == INT64_MAX && x->cum == INT64_MAX);
	free(r);
	profile_free(p);
}

int main(void)
{
	RUN(test_flat_cum);
	RUN(test_same_name);
	RUN(test_negative);
	RUN(test_overflow);
	RUN(test_edges);
	RUN(test_deep);
	RUN(test_query);
	return CHECK_DONE();
}
