/* error.h - error values with a human-readable detail.
 *
 * Library code never prints: a function that fails returns a negative errno
 * (-EBADMSG for malformed input) and fills a caller-supplied struct tp_error
 * with the input's name, where in it the problem is, and what is wrong.
 * Only the command layer (tiprof.c) formats and prints it.
 */
#ifndef TIPROF_ERROR_H
#define TIPROF_ERROR_H

#include <stdint.h>
#include <stddef.h>

struct tp_error {
	int code;		/* negative errno, 0 when unset */
	char file[256];		/* input name, "" when not about a file */
	int64_t line;		/* 1-based line number, 0 when unknown */
	int64_t offset;		/* byte offset, -1 when unknown */
	char msg[512];		/* what is wrong, no trailing newline */
};

/* Clear e. e may be NULL. */
void tp_error_init(struct tp_error *e);

/* Fill e (which may be NULL) and return code, so callers can write
 * "return tp_error_set(err, -EBADMSG, ...);". line 0 and offset -1 mean
 * unknown. The message is formatted with printf rules and truncated. */
int tp_error_set(struct tp_error *e, int code, const char *file, int64_t line,
		 int64_t offset, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Set only the message, keeping any file/position already recorded. */
int tp_error_msg(struct tp_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write "file:line: msg", "file: byte N: msg", "file: msg" or "msg" into
 * out (always NUL-terminated, never more than n bytes). Control characters
 * in the file name and message are replaced by '?', so the result is one
 * printable line. Returns out. */
char *tp_error_format(const struct tp_error *e, char *out, size_t n);

#endif
