#include "analyzers/model/profile.h"
#include "check.h"
#include <errno.h>
#include <stdint.h>

static uint32_t fr(struct profile *p, const char *name)
{
	uint32_t id = 0;

	CHECK(profile_frame_named(p, name, strlen(name), FRAME_USER, &id) == 0);
	return id;
}

static void add_dedups_and_sums(void)
{
	struct profile *p = profile_new();
	uint32_t s1[3], s2[2];
	int64_t v[2] = { 1, 100 };
	size_t idx, idx2;
	struct stack_view sv;

	CHECK(profile_add_sample_type(p, "samples", "count") == 0);
	CHECK(profile_add_sample_type(p, "cpu", "nanoseconds") == 0);
	s1[0] = fr(p, "main");
	s1[1] = fr(p, "a");
	s1[2] = fr(p, "b");
	s2[0] = s1[0];
	s2[1] = s1[1];
	CHECK(profile_add(p, s1, 3, 0, v, &idx) == 0);
	CHECK(profile_add(p, s1, 3, 0, v, &idx2) == 0);
	CHECK_EQ_INT(idx, idx2);
	CHECK(profile_add(p, s2, 2, 0, v, NULL) == 0);
	CHECK_EQ_INT(profile_nstacks(p), 2);
	CHECK_EQ_INT(profile_nframes(p), 3);
	profile_stack(p, idx, &sv);
	CHECK_EQ_INT(sv.nframes, 3);
	CHECK_EQ_INT(sv.values[0], 2);
	CHECK_EQ_INT(sv.values[1], 200);
	CHECK_EQ_INT(profile_total(p, 1), 300);
	CHECK_EQ_INT(profile_find_sample_type(p, "cpu"), 1);
	CHECK_EQ_INT(profile_find_sample_type(p, "nope"), -1);
	CHECK(profile_find_stack(p, s2, 2, 0) >= 0);
	CHECK(profile_find_stack(p, s2, 1, 0) == -1);
	/* no sample types once stacks exist */
	CHECK(profile_add_sample_type(p, "x", "y") == -EINVAL);
	profile_free(p);
}

static void overflow_is_refused(void)
{
	struct profile *p = profile_new();
	uint32_t f;
	int64_t big = INT64_MAX, one = 1;
	struct stack_view sv;

	profile_add_sample_type(p, "samples", "count");
	f = fr(p, "x");
	CHECK(profile_add(p, &f, 1, 0, &big, NULL) == 0);
	CHECK(profile_add(p, &f, 1, 0, &one, NULL) == -EOVERFLOW);
	profile_stack(p, 0, &sv);
	CHECK(sv.values[0] == INT64_MAX);
	profile_free(p);
}

static void leaf_first_and_labels(void)
{
	struct profile *p = profile_new();
	uint32_t leaf_first[2], root_first[2], k, v, ls1, ls2, ls3;
	struct label l[2];
	int64_t one = 1;
	size_t a, b, n;

	profile_add_sample_type(p, "samples", "count");
	leaf_first[0] = fr(p, "leaf");
	leaf_first[1] = fr(p, "root");
	root_first[0] = leaf_first[1];
	root_first[1] = leaf_first[0];
	profile_intern(p, "thread", 6, &k);
	profile_intern(p, "apply-0", 7, &v);
	memset(l, 0, sizeof(l));
	l[0].key = k;
	l[0].str = v;
	l[1].key = k + 0;
	l[1].str = 0;
	l[1].num = 5;
	CHECK(profile_labelset(p, l, 2, &ls1) == 0);
	/* same labels, other order: same set */
	{
		struct label r[2] = { l[1], l[0] };

		CHECK(profile_labelset(p, r, 2, &ls2) == 0);
	}
	CHECK_EQ_INT(ls1, ls2);
	CHECK(profile_labelset(p, l, 1, &ls3) == 0);
	CHECK(ls3 != ls1 && ls1 != 0);
	CHECK(profile_labelset_get(p, ls1, &n) != NULL && n == 2);
	CHECK(profile_add_leaf_first(p, leaf_first, 2, ls1, &one, &a) == 0);
	CHECK(profile_add(p, root_first, 2, ls1, &one, &b) == 0);
	CHECK_EQ_INT(a, b);
	CHECK(profile_add(p, root_first, 2, 0, &one, &b) == 0);
	CHECK(a != b);
	profile_free(p);
}

/* Folded lines sort bytewise: "a b;x" < "a;x" because ' ' < ';', while
 * "a" < "a b" as a prefix. */
static void sorted_like_folded_lines(void)
{
	struct profile *p = profile_new();
	const char *stacks[][3] = {
		{ "a", "x", NULL }, { "a b", "x", NULL }, { "a", NULL, NULL },
		{ "a:", "z", NULL }, { "a", "x", "y" }, { "B", NULL, NULL },
		{ "a", "x-", NULL },
	};
	const char *expect[] = { "B", "a", "a b;x", "a:;z", "a;x", "a;x-", "a;x;y" };
	uint32_t *order, f[3];
	int64_t one = 1;
	size_t i, j;

	profile_add_sample_type(p, "samples", "count");
	for (i = 0; i < 7; i++) {
		for (j = 0; j < 3 && stacks[i][j]; j++)
			f[j] = fr(p, stacks[i][j]);
		CHECK(profile_add(p, f, j, 0, &one, NULL) == 0);
	}
	CHECK(profile_sorted(p, &order) == 0);
	for (i = 0; i < 7; i++) {
		struct stack_view sv;
		char line[64] = "";

		profile_stack(p, order[i], &sv);
		for (j = 0; j < sv.nframes; j++) {
			if (j)
				strcat(line, ";");
			strcat(line, profile_str(p, profile_frame_get(p, sv.frames[j])->name, NULL));
		}
		CHECK_EQ_STR(line, expect[i]);
	}
	free(order);
	profile_free(p);
}

static void merge_and_scale(void)
{
	struct profile *a = profile_new(), *b = profile_new(), *d = profile_new();
	uint32_t f[2];
	int64_t v = 10, two[2];
	struct stack_view sv;

	profile_add_sample_type(a, "samples", "count");
	profile_add_sample_type(b, "samples", "count");
	profile_add_sample_type(d, "base", "count");
	profile_add_sample_type(d, "new", "count");
	f[0] = fr(a, "main");
	f[1] = fr(a, "work");
	profile_add(a, f, 2, 0, &v, NULL);
	f[0] = fr(b, "other");
	f[1] = fr(b, "main");
	f[0] = fr(b, "main");
	f[1] = fr(b, "work");
	v = 30;
	profile_add(b, f, 2, 0, &v, NULL);
	CHECK(profile_merge(d, a, 0, 0) == 0);
	CHECK(profile_merge(d, b, 0, 1) == 0);
	CHECK_EQ_INT(profile_nstacks(d), 1);
	profile_stack(d, 0, &sv);
	CHECK(sv.values[0] == 10 && sv.values[1] == 30);
	CHECK(profile_scale(d, 0, 3, 2) == 0);
	profile_stack(d, 0, &sv);
	CHECK_EQ_INT(sv.values[0], 15);
	CHECK(profile_scale(d, 0, 1, 0) == -EINVAL);
	CHECK(profile_merge(d, a, (size_t)-1, 0) == -EINVAL);
	two[0] = INT64_MAX;
	two[1] = 0;
	CHECK(profile_add(d, f, 0, 0, two, NULL) == 0);
	CHECK(profile_scale(d, 0, 2, 1) == -EOVERFLOW);
	profile_free(a);
	profile_free(b);
	profile_free(d);
}

/* 100,000-frame stacks and 200,000 distinct stacks: memory follows unique
 * content, and adding the same stacks again allocates nothing new. */
static void deep_and_many(void)
{
	struct profile *p = profile_new();
	uint32_t *f = malloc(100000 * sizeof(*f));
	int64_t one = 1;
	size_t i, before;
	char name[32];

	profile_add_sample_type(p, "samples", "count");
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "f%zu", i % 1000);
		f[i] = fr(p, name);
	}
	CHECK(profile_add(p, f, 100000, 0, &one, NULL) == 0);
	for (i = 0; i < 200000; i++) {
		f[0] = (uint32_t)(i % 1000);
		f[1] = (uint32_t)(i / 1000);
		CHECK(profile_add(p, f, 2, 0, &one, NULL) == 0);
	}
	before = profile_bytes(p);
	for (i = 0; i < 200000; i++) {
		f[0] = (uint32_t)(i % 1000);
		f[1] = (uint32_t)(i / 1000);
		profile_add(p, f, 2, 0, &one, NULL);
	}
	CHECK_EQ_INT(profile_bytes(p), before);
	CHECK_EQ_INT(profile_nstacks(p), 200001);
	CHECK_EQ_INT(profile_total(p, 0), 400001);
	free(f);
	profile_free(p);
	profile_free(NULL);
}

int main(void)
{
	RUN(add_dedups_and_sums);
	RUN(overflow_is_refused);
	RUN(leaf_first_and_labels);
	RUN(sorted_like_folded_lines);
	RUN(merge_and_scale);
	RUN(deep_and_many);
	return CHECK_DONE();
}
