#include "analyzers/base/buf.h"
#include "check.h"
#include <errno.h>

static void append_and_printf(void)
{
	struct buf b;

	buf_init(&b, 0);
	CHECK(buf_append(&b, "ab", 2) == 0);
	CHECK(buf_putc(&b, 'c') == 0);
	CHECK(buf_puts(&b, "de") == 0);
	CHECK(buf_printf(&b, "-%d-%s", 42, "x") == 0);
	CHECK_EQ_STR(b.data, "abcde-42-x");
	CHECK_EQ_INT(b.len, 10);
	buf_reset(&b);
	CHECK_EQ_INT(b.len, 0);
	CHECK_EQ_STR(b.data, "");
	buf_free(&b);
	buf_free(&b);
}

static void cap_is_enforced(void)
{
	struct buf b;
	size_t len;
	char *s;

	buf_init(&b, 5);
	CHECK(buf_append(&b, "12345", 5) == 0);
	CHECK(buf_putc(&b, '6') == -E2BIG);
	CHECK_EQ_STR(b.data, "12345");
	CHECK(buf_printf(&b, "%s", "x") == -E2BIG);
	s = buf_take(&b, &len);
	CHECK(len == 5 && strcmp(s, "12345") == 0);
	CHECK(b.data == NULL && b.len == 0);
	free(s);
}

static void grows_large(void)
{
	struct buf b;
	int i;

	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		CHECK(buf_append(&b, "0123456789", 10) == 0);
	CHECK_EQ_INT(b.len, 1000000);
	CHECK(b.data[999999] == '9' && b.data[1000000] == '\0');
	buf_free(&b);
}

int main(void)
{
	RUN(append_and_printf);
	RUN(cap_is_enforced);
	RUN(grows_large);
	return CHECK_DONE();
}
