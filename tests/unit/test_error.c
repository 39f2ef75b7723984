#include "analyzers/base/error.h"
#include "check.h"
#include <errno.h>

static void formats(void)
{
	struct tp_error e;
	char out[256];

	tp_error_init(&e);
	CHECK_EQ_INT(tp_error_set(&e, -EBADMSG, "a.txt", 12, -1, "bad %s", "thing"), -EBADMSG);
	CHECK_EQ_STR(tp_error_format(&e, out, sizeof(out)), "a.txt:12: bad thing");
	tp_error_set(&e, -EBADMSG, "b.pb", 0, 77, "varint overflow");
	CHECK_EQ_STR(tp_error_format(&e, out, sizeof(out)), "b.pb: byte 77: varint overflow");
	tp_error_set(&e, -ENOENT, "c", 0, -1, "No such file");
	CHECK_EQ_STR(tp_error_format(&e, out, sizeof(out)), "c: No such file");
	tp_error_set(&e, -ENOMEM, NULL, 0, -1, "out of memory");
	CHECK_EQ_STR(tp_error_format(&e, out, sizeof(out)), "out of memory");
	tp_error_msg(&e, -EIO, "x");
	CHECK_EQ_INT(e.code, -EIO);
}

static void one_printable_line(void)
{
	struct tp_error e;
	char out[64];

	tp_error_set(&e, -EBADMSG, "evil\nname", 1, -1, "bad\x1b[31m");
	tp_error_format(&e, out, sizeof(out));
	CHECK(strchr(out, '\n') == NULL && strchr(out, '\x1b') == NULL);
	CHECK_EQ_STR(out, "evil?name:1: bad?[31m");
	/* truncation keeps a terminated string */
	tp_error_format(&e, out, 5);
	CHECK_EQ_INT(strlen(out), 4);
	CHECK_EQ_INT(tp_error_set(NULL, -EINVAL, "x", 0, -1, "y"), -EINVAL);
}

int main(void)
{
	RUN(formats);
	RUN(one_printable_line);
	return CHECK_DONE();
}
