#include "analyzers/base/strtab.h"
#include "check.h"
#include <errno.h>
#include <stdio.h>

static void empty_is_zero(void)
{
	struct strtab *t = strtab_new();
	uint32_t id = 99;
	size_t len = 9;

	CHECK(strtab_intern(t, "", 0, &id) == 0);
	CHECK_EQ_INT(id, 0);
	CHECK_EQ_STR(strtab_get(t, 0, &len), "");
	CHECK_EQ_INT(len, 0);
	CHECK_EQ_INT(strtab_count(t), 1);
	strtab_free(t);
}

static void intern_dedups_many(void)
{
	struct strtab *t = strtab_new();
	char s[32];
	uint32_t ids[50000], id;
	int i;

	for (i = 0; i < 50000; i++) {
		snprintf(s, sizeof(s), "func_%d", i);
		CHECK(strtab_intern(t, s, strlen(s), &ids[i]) == 0);
	}
	CHECK_EQ_INT(strtab_count(t), 50001);
	for (i = 0; i < 50000; i += 7) {
		snprintf(s, sizeof(s), "func_%d", i);
		CHECK(strtab_intern(t, s, strlen(s), &id) == 0);
		CHECK_EQ_INT(id, ids[i]);
		CHECK_EQ_STR(strtab_get(t, id, NULL), s);
		CHECK(strtab_find(t, s, strlen(s), &id) == 0 && id == ids[i]);
	}
	CHECK(strtab_find(t, "nope", 4, &id) == -ENOENT);
	CHECK_EQ_INT(strtab_count(t), 50001);
	strtab_free(t);
}

static void binary_strings(void)
{
	struct strtab *t = strtab_new();
	uint32_t a, b, c;
	size_t len;
	const char *s;

	CHECK(strtab_intern(t, "a\0b", 3, &a) == 0);
	CHECK(strtab_intern(t, "a\0c", 3, &b) == 0);
	CHECK(strtab_intern(t, "a", 1, &c) == 0);
	CHECK(a != b && a != c && b != c);
	s = strtab_get(t, a, &len);
	CHECK(len == 3 && memcmp(s, "a\0b", 3) == 0);
	strtab_free(t);
	strtab_free(NULL);
}

int main(void)
{
	RUN(empty_is_zero);
	RUN(intern_dedups_many);
	RUN(binary_strings);
	return CHECK_DONE();
}
