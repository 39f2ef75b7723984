/* test_idmap.c - ids to indexes, dense and sparse. */
#include <errno.h>
#include <stdint.h>
#include "analyzers/base/idmap.h"
#include "check.h"

static void test_dense_and_sparse(void)
{
	struct idmap m;
	uint32_t i;

	CHECK_EQ_INT(idmap_init(&m, 100), 0);
	for (i = 0; i < 50; i++)		/* ids 1..50 dense */
		CHECK_EQ_INT(idmap_put(&m, i + 1, i), 0);
	for (i = 50; i < 100; i++)		/* huge ids sparse */
		CHECK_EQ_INT(idmap_put(&m, UINT64_MAX - i, i), 0);
	for (i = 0; i < 50; i++)
		CHECK_EQ_INT(idmap_get(&m, i + 1), i + 1);
	for (i = 50; i < 100; i++)
		CHECK_EQ_INT(idmap_get(&m, UINT64_MAX - i), i + 1);
	CHECK_EQ_INT(idmap_get(&m, 0), 0);
	CHECK_EQ_INT(idmap_get(&m, 51), 0);
	CHECK_EQ_INT(idmap_get(&m, 1000), 0);
	CHECK_EQ_INT(idmap_put(&m, 7, 1), -EEXIST);
	CHECK_EQ_INT(idmap_put(&m, UINT64_MAX - 60, 1), -EEXIST);
	idmap_free(&m);
	idmap_free(&m);
}

static void test_empty(void)
{
	struct idmap m;

	CHECK_EQ_INT(idmap_init(&m, 0), 0);
	CHECK_EQ_INT(idmap_get(&m, 1), 0);
	CHECK_EQ_INT(idmap_get(&m, 0), 0);
	idmap_free(&m);
}

int main(void)
{
	RUN(test_dense_and_sparse);
	RUN(test_empty);
	return CHECK_DONE();
}
