/* bundle.h - the capture bundle directory (docs/capture-bundle.md).
 *
 * A bundle is a new directory: bundle_create() never reuses or overwrites
 * an existing one. Every file in it is written to a temporary file first
 * and linked or renamed into place when complete. Temporary files are
 * unnamed (O_TMPFILE) where the file system allows, so a crash or kill
 * leaves nothing behind; elsewhere they are hidden ".tiprof-XXXXXX" names,
 * removed by bundle_file_abort() and by bundle_free() for any still open.
 * Nothing here prints.
 */
#ifndef TIPROF_BUNDLE_H
#define TIPROF_BUNDLE_H

#include <stddef.h>
#include <stdio.h>
#include "analyzers/base/error.h"

struct bundle;
struct bundle_file;

/* Create the bundle directory dir, or, when dir is NULL, a new
 * "capture-<UTC yyyymmdd-hhmmss>[-N]" in the current directory. 0, -EEXIST
 * (dir exists), or another negative errno; err names the path. */
int bundle_create(struct bundle **b, const char *dir, struct tp_error *err);

/* The bundle's path, as given or made. Borrowed. */
const char *bundle_path(const struct bundle *b);

/* Create the subdirectory rel (one level). 0 or negative errno. */
int bundle_mkdir(struct bundle *b, const char *rel, struct tp_error *err);

/* A new temporary file in the directory reldir ("" for the top), opened
 * for reading and writing. 0 or negative errno. */
int bundle_file_open(struct bundle *b, const char *reldir, struct bundle_file **bf,
		     struct tp_error *err);
int bundle_file_fd(const struct bundle_file *bf);

/* Give the file the name relname (relative to the bundle; in the directory
 * it was opened in). Without replace an existing file is an error
 * (-EEXIST); with replace it is replaced atomically. Frees bf either way;
 * on failure the temporary file is removed. */
int bundle_file_commit(struct bundle_file *bf, const char *relname, int replace,
		       struct tp_error *err);

/* Remove the temporary file; frees bf. Accepts NULL. */
void bundle_file_abort(struct bundle_file *bf);

/* Write data to relname through a temporary file. */
int bundle_write(struct bundle *b, const char *relname, const void *data, size_t n,
		 int replace, struct tp_error *err);

/* Write what fn writes to its stream into relname, through a temporary
 * file; replaces an existing file. fn returns 0 or a negative errno. */
typedef int (*bundle_writer_fn)(void *ctx, FILE *fp);
int bundle_write_with(struct bundle *b, const char *relname, bundle_writer_fn fn,
		      void *ctx, struct tp_error *err);

/* Remove every temporary file still open. */
void bundle_abort_files(struct bundle *b);

/* Aborts open temporary files; the directory and committed files stay.
 * Accepts NULL. */
void bundle_free(struct bundle *b);

/* A name safe as one path component: bytes other than [A-Za-z0-9._-]
 * become '_', a leading '.' too. Writes into out; returns out. */
char *bundle_safe_name(const char *s, char *out, size_t n);

#endif
