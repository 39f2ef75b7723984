/* error.c - see error.h */
#include "analyzers/base/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tp_error_init(struct tp_error *e)
{
	if (!e)
		return;
	memset(e, 0, sizeof(*e));
	e->offset = -1;
}

static void copy_name(char *dst, size_t n, const char *src)
{
	if (!src) {
		dst[0] = '\0';
		return;
	}
	snprintf(dst, n, "%s", src);
}

int tp_error_set(struct tp_error *e, int code, const char *file, int64_t line,
		 int64_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	copy_name(e->file, sizeof(e->file), file);
	e->line = line;
	e->offset = offset;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

int tp_error_msg(struct tp_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

char *tp_error_format(const struct tp_error *e, char *out, size_t n)
{
	const char *msg;

	if (!n)
		return out;
	msg = e->msg[0] ? e->msg : (e->code ? strerror(-e->code) : "unknown error");
	if (e->file[0] && e->line > 0)
		snprintf(out, n, "%s:%lld: %s", e->file, (long long)e->line, msg);
	else if (e->file[0] && e->offset >= 0)
		snprintf(out, n, "%s: byte %lld: %s", e->file, (long long)e->offset, msg);
	else if (e->file[0])
		snprintf(out, n, "%s: %s", e->file, msg);
	else
		snprintf(out, n, "%s", msg);
	printable(out);
	return out;
}
