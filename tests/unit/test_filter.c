#include "analyzers/model/filter.h"
#include "check.h"
#include <errno.h>

static struct profile *sample(void)
{
	struct profile *p = profile_new();
	const char *stacks[][4] = {
		{ "main", "runtime.mallocgc", "memclr", NULL },
		{ "main", "handler", "json.Marshal", NULL },
		{ "main", "handler", "runtime.mallocgc", NULL },
		{ "gc", "runtime.gcBgMarkWorker", NULL, NULL },
	};
	int64_t v[] = { 5, 7, 11, 13 };
	size_t i, j;

	profile_add_sample_type(p, "samples", "count");
	for (i = 0; i < 4; i++) {
		uint32_t f[4];

		for (j = 0; stacks[i][j]; j++)
			profile_frame_named(p, stacks[i][j], strlen(stacks[i][j]), FRAME_USER, &f[j]);
		profile_add(p, f, j, 0, &v[i], NULL);
	}
	return p;
}

static int64_t total_after(const char *focus, const char *ignore, const char *hide,
			   size_t *nstacks)
{
	struct profile *p = sample(), *out = NULL;
	struct filter *f;
	int64_t t = -1;

	if (filter_new(&f, focus, ignore, hide, NULL) == 0 &&
	    filter_profile(f, p, &out, NULL) == 0) {
		t = profile_total(out, 0);
		*nstacks = profile_nstacks(out);
	}
	filter_free(f);
	profile_free(out);
	profile_free(p);
	return t;
}

static void focus_ignore_hide(void)
{
	size_t n;

	CHECK_EQ_INT(total_after("mallocgc", NULL, NULL, &n), 16);
	CHECK_EQ_INT(total_after(NULL, "^runtime\\.", NULL, &n), 7);
	CHECK_EQ_INT(total_after("handler", "json", NULL, &n), 11);
	/* hiding frames keeps every sample; stacks that become equal merge */
	CHECK_EQ_INT(total_after(NULL, NULL, "json", &n), 36);
	CHECK_EQ_INT(n, 4);
	CHECK_EQ_INT(total_after(NULL, NULL, "handler|memclr", &n), 36);
	CHECK_EQ_INT(n, 3);
}

static void bad_regex(void)
{
	struct filter *f = NULL;
	struct tp_error err;

	tp_error_init(&err);
	CHECK(filter_new(&f, "(", NULL, NULL, &err) == -EINVAL);
	CHECK(f == NULL);
	CHECK(strstr(err.msg, "--focus") != NULL);
	filter_free(NULL);
}

int main(void)
{
	RUN(focus_ignore_hide);
	RUN(bad_regex);
	return CHECK_DONE();
}
