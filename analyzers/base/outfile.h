/* outfile.h - atomic output: write to a temporary file, then rename.
 *
 * A reader of the destination sees either the old file or the complete new
 * one, never a partial file. Where the file system supports it the
 * temporary file is unnamed (O_TMPFILE), so a crash or kill leaves nothing
 * behind; otherwise it is a hidden ".NAME.XXXXXX" beside the destination,
 * removed by outfile_abort(). The path "-" (or NULL) means standard output,
 * written directly.
 */
#ifndef TIPROF_OUTFILE_H
#define TIPROF_OUTFILE_H

#include <stdio.h>
#include "analyzers/base/error.h"

struct outfile;

/* 0, or a negative errno with err filled in (err names the path). */
int outfile_open(struct outfile **of, const char *path, struct tp_error *err);

/* The stream to write to; borrowed, valid until commit or abort. */
FILE *outfile_stream(struct outfile *of);

/* Flush, check for write errors, and move the file into place. Frees of
 * either way. 0, or a negative errno with err filled in; on failure the
 * destination is untouched and no temporary file remains. */
int outfile_commit(struct outfile *of, struct tp_error *err);

/* Discard everything written; frees of. Accepts NULL. */
void outfile_abort(struct outfile *of);

#endif
