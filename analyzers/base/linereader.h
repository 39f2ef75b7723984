/* linereader.h - stream a text input line by line, gzip or plain.
 *
 * Reads a file, standard input ("-") or a memory block in chunks, so memory
 * stays bounded by the longest line, not the input size. gzip input (one or
 * more concatenated members) is recognised by its magic bytes and inflated
 * with zlib on the fly. A last line without a newline is still returned.
 * Lines longer than the cap (LINEREADER_MAX_LINE unless changed) are an
 * error, never a truncation.
 */
#ifndef TIPROF_LINEREADER_H
#define TIPROF_LINEREADER_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"

#define LINEREADER_MAX_LINE ((size_t)32 << 20)

struct linereader;

/* path "-" or NULL reads standard input. 0 or negative errno (err set). */
int linereader_open(struct linereader **lr, const char *path, struct tp_error *err);

/* Read from an open descriptor (closed by linereader_close() when own),
 * as if prefix[0..plen) had been read from it first (bytes the caller
 * already consumed to sniff the format). prefix is copied. */
int linereader_open_fd(struct linereader **lr, const char *name, int fd, int own,
		       const void *prefix, size_t plen, struct tp_error *err);

/* Read from memory; data is borrowed and must outlive the reader. name is
 * used in error messages. */
int linereader_open_mem(struct linereader **lr, const char *name,
			const void *data, size_t len, struct tp_error *err);

void linereader_set_max_line(struct linereader *lr, size_t max);

/* Next line, without its '\n'. *line is borrowed until the next call.
 * Returns 1 for a line, 0 at the end, or a negative errno (err set with the
 * input name and line number): -E2BIG for an over-long line, -EBADMSG for
 * corrupt or truncated gzip data, -EIO for read errors. */
int linereader_next(struct linereader *lr, const char **line, size_t *len,
		    struct tp_error *err);

/* Look at up to want bytes of the (decompressed) input from the current
 * position without consuming them; fewer at the end of input. */
int linereader_peek(struct linereader *lr, size_t want, const char **p,
		    size_t *n, struct tp_error *err);

/* Line number of the line last returned (1-based). */
int64_t linereader_lineno(const struct linereader *lr);

/* The name used in errors: the path, or "<stdin>". Borrowed. */
const char *linereader_name(const struct linereader *lr);

/* True when the input was gzip-compressed. */
int linereader_is_gzip(const struct linereader *lr);

/* Accepts NULL. */
void linereader_close(struct linereader *lr);

#endif
