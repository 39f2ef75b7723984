/* test_flametree.c - merging, ordering, chart mode, differential values,
 * deep stacks, pruning and limits of the flame graph layout model. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flamegraph/flame/flametree.h"

/* A frame id for name (kind lets two frames share a name). */
static uint32_t fr(struct profile *p, const char *name, int kind)
{
	uint32_t id = 0;

	CHECK(profile_frame_named(p, name, strlen(name), (enum frame_kind)kind, &id) == 0);
	return id;
}

/* Add "a;b;c" (root first) with values. */
static int add(struct flametree *t, struct profile *p, const char *stack, int64_t v0, int64_t v1)
{
	uint32_t frames[64];
	size_t n = 0;
	char buf[256], *s, *save = NULL;
	int64_t vals[2] = { v0, v1 };

	snprintf(buf, sizeof(buf), "%s", stack);
	for (s = strtok_r(buf, ";", &save); s; s = strtok_r(NULL, ";", &save))
		frames[n++] = fr(p, s, 0);
	return flametree_add(t, frames, n, vals);
}

struct seen {
	int count;
	uint32_t maxdepth;
};

static int record_count(void *ctx, const struct flametree_frame *f)
{
	struct seen *s = ctx;

	s->count++;
	if (f->depth > s->maxdepth)
		s->maxdepth = f->depth;
	return 0;
}

struct named {
	const struct profile *p;
	int diff;
	char text[8192];
	size_t len;
};

static int record_named(void *ctx, const struct flametree_frame *f)
{
	struct named *s = ctx;
	const char *name = f->name == FLAMETREE_ROOT ? "all" : profile_str(s->p, f->name, NULL);

	if (s->diff)
		s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
					   "%u:%s=%lld|%lld/%lld|%lld,", f->depth, name,
					   (long long)f->value[0], (long long)f->value[1],
					   (long long)f->self[0], (long long)f->self[1]);
	else
		s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
					   "%u:%s@%lld=%lld/%lld,", f->depth, name,
					   (long long)f->offset, (long long)f->value[0],
					   (long long)f->self[0]);
	return 0;
}

static const char *walk_text(struct flametree *t, struct profile *p, int64_t minvalue, int diff)
{
	static struct named s;

	memset(&s, 0, sizeof(s));
	s.p = p;
	s.diff = diff;
	CHECK(flametree_walk(t, minvalue, 0, record_named, &s) == 0);
	return s.text;
}

static void test_merge_and_order(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);

	CHECK(t != NULL);
	CHECK(add(t, p, "a;b;d", 2, 0) == 0);
	CHECK(add(t, p, "b", 5, 0) == 0);
	CHECK(add(t, p, "a;b;c", 1, 0) == 0);
	CHECK(add(t, p, "a;x", 4, 0) == 0);
	CHECK(add(t, p, "a;b", 3, 0) == 0);
	CHECK_EQ_INT(flametree_total(t, 0), 15);
	CHECK_EQ_INT(flametree_nnodes(t), 7);
	CHECK_EQ_STR(walk_text(t, p, 0, 0),
		     "0:all@0=15/0,1:a@0=10/0,2:b@0=6/3,3:c@0=1/1,3:d@1=2/2,2:x@6=4/4,"
		     "1:b@10=5/5,");
	flametree_free(t);
	profile_free(p);
}

/* Frames are keyed by name: different frame ids with one name merge. */
static void test_keyed_by_name(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	uint32_t s1[2], s2[2];
	int64_t v = 1;

	s1[0] = fr(p, "main", FRAME_USER);
	s1[1] = fr(p, "work", FRAME_USER);
	s2[0] = fr(p, "main", FRAME_ROOT);
	s2[1] = fr(p, "work", FRAME_INLINED);
	CHECK(s1[0] != s2[0] && s1[1] != s2[1]);
	CHECK(flametree_add(t, s1, 2, &v) == 0);
	CHECK(flametree_add(t, s2, 2, &v) == 0);
	CHECK_EQ_INT(flametree_nnodes(t), 3);
	CHECK_EQ_STR(walk_text(t, p, 0, 0), "0:all@0=2/0,1:main@0=2/0,2:work@0=2/2,");
	flametree_free(t);
	profile_free(p);
}

/* Children are ordered bytewise, a shorter prefix first. */
static void test_bytewise_order(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);

	add(t, p, "b", 1, 0);
	add(t, p, "\xc3\xa9", 1, 0);
	add(t, p, "ab", 1, 0);
	add(t, p, "a", 1, 0);
	add(t, p, "B", 1, 0);
	add(t, p, "a!", 1, 0);
	CHECK_EQ_STR(walk_text(t, p, 0, 0),
		     "0:all@0=6/0,1:B@0=1/1,1:a@1=1/1,1:a!@2=1/1,1:ab@3=1/1,1:b@4=1/1,"
		     "1:\xc3\xa9@5=1/1,");
	flametree_free(t);
	profile_free(p);
}

/* Chart mode merges only with the last child and keeps input order. */
static void test_chart_mode(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 1);

	CHECK(flametree_is_chart(t));
	add(t, p, "m;b", 1, 0);
	add(t, p, "m;b;z", 2, 0);
	add(t, p, "m;c", 1, 0);
	add(t, p, "m;b", 1, 0);
	add(t, p, "x", 1, 0);
	add(t, p, "m", 3, 0);
	CHECK_EQ_STR(walk_text(t, p, 0, 0),
		     "0:all@0=9/0,1:m@0=5/0,2:b@0=3/1,3:z@0=2/2,2:c@3=1/1,2:b@4=1/1,"
		     "1:x@5=1/1,1:m@6=3/3,");
	flametree_free(t);
	profile_free(p);
}

static void test_differential(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 2, 0);

	CHECK_EQ_INT(flametree_nvalues(t), 2);
	CHECK(add(t, p, "a;b", 1, 3) == 0);
	CHECK(add(t, p, "a;c", 4, 2) == 0);
	CHECK(add(t, p, "a", 0, 5) == 0);
	CHECK(add(t, p, "gone", 6, 0) == 0);
	CHECK_EQ_INT(flametree_total(t, 0), 11);
	CHECK_EQ_INT(flametree_total(t, 1), 10);
	/* widths use the new value: "gone" (new 0) is not visited */
	CHECK_EQ_STR(walk_text(t, p, 0, 1),
		     "0:all=11|10/0|0,1:a=5|10/0|5,2:b=1|3/1|3,2:c=4|2/4|2,");
	flametree_free(t);
	profile_free(p);
}

static void test_errors(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	uint32_t f = fr(p, "f", 0), bad = 12345;
	int64_t big = INT64_MAX, one = 1, neg = -1;

	CHECK(flametree_new(p, 0, 0) == NULL);
	CHECK(flametree_new(p, 3, 0) == NULL);
	CHECK_EQ_INT(flametree_add(t, &bad, 1, &one), -EINVAL);
	CHECK_EQ_INT(flametree_add(t, &f, 1, &neg), -ERANGE);
	CHECK_EQ_INT(flametree_add(t, &f, 1, &big), 0);
	CHECK_EQ_INT(flametree_add(t, &f, 1, &one), -EOVERFLOW);
	CHECK_EQ_INT(flametree_add(t, NULL, 0, &one), -EOVERFLOW);
	CHECK_EQ_INT(flametree_total(t, 0), INT64_MAX);
	CHECK_EQ_STR(walk_text(t, p, 0, 0),
		     "0:all@0=9223372036854775807/0,1:f@0=9223372036854775807/9223372036854775807,");
	flametree_free(t);
	flametree_free(NULL);
	profile_free(p);
}

/* Pruned frames are skipped with their subtree but still take room. */
static void test_minvalue(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);

	add(t, p, "r;a", 1, 0);
	add(t, p, "r;a;deep", 1, 0);
	add(t, p, "r;b", 5, 0);
	add(t, p, "r;c", 2, 0);
	add(t, p, "r;d", 6, 0);
	CHECK_EQ_STR(walk_text(t, p, 3, 0), "0:all@0=15/0,1:r@0=15/0,2:b@2=5/5,2:d@9=6/6,");
	CHECK_EQ_STR(walk_text(t, p, 16, 0), "");
	flametree_free(t);
	profile_free(p);
}

static int stop_at_third(void *ctx, const struct flametree_frame *f)
{
	int *n = ctx;

	(void)f;
	return ++*n == 3 ? -ECANCELED : 0;
}

static void test_callback_error(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	int n = 0;

	add(t, p, "a;b;c;d", 1, 0);
	CHECK_EQ_INT(flametree_walk(t, 0, 0, stop_at_third, &n), -ECANCELED);
	CHECK_EQ_INT(n, 3);
	flametree_free(t);
	profile_free(p);
}

/* 100,000-frame stacks: built and walked without recursion. */
static void test_deep(void)
{
	enum { DEPTH = 100000 };
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	uint32_t *frames = malloc(DEPTH * sizeof(*frames)), names[100];
	struct seen s;
	int64_t v = 2;
	char nm[16];
	size_t i;

	for (i = 0; i < 100; i++) {
		snprintf(nm, sizeof(nm), "f%zu", i);
		names[i] = fr(p, nm, 0);
	}
	for (i = 0; i < DEPTH; i++)
		frames[i] = names[i % 100];
	CHECK(flametree_add(t, frames, DEPTH, &v) == 0);
	CHECK(flametree_add(t, frames, DEPTH, &v) == 0);	/* all cached */
	frames[DEPTH / 2] = names[(DEPTH / 2 + 1) % 100];	/* diverge half way */
	v = 1;
	CHECK(flametree_add(t, frames, DEPTH, &v) == 0);
	CHECK_EQ_INT(flametree_nnodes(t), 1 + DEPTH + DEPTH / 2);
	memset(&s, 0, sizeof(s));
	CHECK(flametree_walk(t, 0, FLAMETREE_UNORDERED, record_count, &s) == 0);
	CHECK_EQ_INT(s.count, 1 + DEPTH + DEPTH / 2);
	CHECK_EQ_INT(s.maxdepth, DEPTH);
	memset(&s, 0, sizeof(s));
	CHECK(flametree_walk(t, 2, 0, record_count, &s) == 0);	/* the weight-1 branch goes */
	CHECK_EQ_INT(s.count, 1 + DEPTH);
	free(frames);
	flametree_free(t);
	profile_free(p);
}

/* Random stacks in random order against a brute-force oracle: every node's
 * total is the sum of the stacks through its path, children come in name
 * order, and offsets are the sums of the earlier siblings. */
#define NSTACKS 600
#define MAXD 7

struct oracle {
	const struct profile *p;
	int stacks[NSTACKS][MAXD];	/* letter indexes */
	int depth[NSTACKS];
	int64_t value[NSTACKS];
	int path[MAXD + 1];
	int64_t pathoff[MAXD + 2];
	int bad;
	int visited;
};

/* 20 names, so some nodes have more children than are scanned one by one */
static const char *const letters[] = {
	"a", "b", "ab", "c", "a;", "B", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
	"n", "o", "p", "\xff",
};
#define NLET ((int)(sizeof(letters) / sizeof(letters[0])))

static int oracle_check(void *ctx, const struct flametree_frame *f)
{
	struct oracle *o = ctx;
	int64_t total = 0, before = 0;
	uint32_t d = f->depth;
	int i, k;

	o->visited++;
	if (d) {
		const char *name = profile_str(o->p, f->name, NULL);

		for (k = 0; k < NLET; k++)
			if (strcmp(letters[k], name) == 0)
				o->path[d - 1] = k;
	}
	for (i = 0; i < NSTACKS; i++) {
		int match = o->depth[i] >= (int)d, less = 0;

		for (k = 0; match && k < (int)d - 1; k++)
			match = o->stacks[i][k] == o->path[k];
		if (!match)
			continue;
		/* same parent path: does this stack's frame d sort before ours? */
		if (d && strcmp(letters[o->stacks[i][d - 1]], letters[o->path[d - 1]]) < 0)
			less = 1;
		if (d == 0 || o->stacks[i][d - 1] == o->path[d - 1])
			total += o->value[i];
		else if (less)
			before += o->value[i];
	}
	if (total != f->value[0])
		o->bad++;
	if (d && f->offset != o->pathoff[d - 1] + before)
		o->bad++;
	o->pathoff[d] = f->offset;
	return 0;
}

static void test_against_oracle(void)
{
	static struct oracle o;
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	uint64_t seed = 88172645463325252ULL;
	uint32_t ids[NLET], frames[MAXD];
	int i, k;

	for (k = 0; k < NLET; k++)
		ids[k] = fr(p, letters[k], 0);
	memset(&o, 0, sizeof(o));
	o.p = p;
	for (i = 0; i < NSTACKS; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		o.depth[i] = (int)(seed % MAXD);
		o.value[i] = (int64_t)(seed >> 40) % 100;
		for (k = 0; k < o.depth[i]; k++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			/* few letters near the root, so prefixes are shared */
			o.stacks[i][k] = (int)(seed % (uint64_t)(k == 0 ? 3 : k == 1 ? 2 : NLET));
			frames[k] = ids[o.stacks[i][k]];
		}
		CHECK(flametree_add(t, frames, (size_t)o.depth[i], &o.value[i]) == 0);
	}
	CHECK(flametree_walk(t, 0, 0, oracle_check, &o) == 0);
	CHECK_EQ_INT(o.bad, 0);
	CHECK(o.visited > 50);
	flametree_free(t);
	profile_free(p);
}

static void test_bytes(void)
{
	struct profile *p = profile_new();
	struct flametree *t = flametree_new(p, 1, 0);
	char nm[32];
	int i;

	for (i = 0; i < 20000; i++) {
		snprintf(nm, sizeof(nm), "root;f%d", i);
		CHECK(add(t, p, nm, 1, 0) == 0);
	}
	CHECK_EQ_INT(flametree_nnodes(t), 20002);
	/* 24 bytes per node (16 + one value), doubling growth, and the table
	 * for the wide root: well under 64 bytes per node */
	CHECK(flametree_bytes(t) < 20002 * 64);
	flametree_free(t);
	profile_free(p);
}

int main(void)
{
	RUN(test_merge_and_order);
	RUN(test_keyed_by_name);
	RUN(test_bytewise_order);
	RUN(test_chart_mode);
	RUN(test_differential);
	RUN(test_errors);
	RUN(test_minvalue);
	RUN(test_callback_error);
	RUN(test_deep);
	RUN(test_against_oracle);
	RUN(test_bytes);
	return CHECK_DONE();
}
