/* procfs.h - read small files of /proc (or of a recorded /proc tree).
 *
 * Every reader of /proc takes a root directory, so tests can point it at a
 * fake tree: root "" or "/" is the running system, "tests/fixtures/proc/x"
 * reads tests/fixtures/proc/x/proc/diskstats and so on. Files are read
 * whole, with one read() loop and a size cap.
 */
#ifndef TIPROF_PROCFS_H
#define TIPROF_PROCFS_H

#include <stddef.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"

/* Open root/proc as a directory; the fd or a negative errno (err set). */
int procfs_open_dir(const char *root, struct tp_error *err);

/* Read the file rel (relative to dirfd) into out[0..cap-1) and NUL-terminate
 * it; *len gets its length. Returns 0, -E2BIG when the file does not fit, or
 * the negative errno of open/read: -ENOENT and -ESRCH mean a process or
 * thread that has exited, -EACCES one we may not read. err is not set, so
 * the common failures of a /proc walk cost nothing. */
int procfs_read_small(int dirfd, const char *rel, char *out, size_t cap, size_t *len);

/* Read the file rel (relative to dirfd) whole into b (whose max caps it).
 * 0 or a negative errno, with err set to name the file (shown as
 * root/proc/rel). */
int procfs_read_buf(int dirfd, const char *root, const char *rel, struct buf *b,
		    struct tp_error *err);

#endif
