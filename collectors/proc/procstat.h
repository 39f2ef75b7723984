/* procstat.h - processes and threads from /proc: listing, /proc/PID/io,
 * /proc/PID/stat, and the same per thread under /proc/PID/task/TID/.
 *
 * All paths are under a root directory (see procfs.h). Processes come and
 * go while we read: a task that exits between listing and reading gives
 * -ENOENT (or -ESRCH), one whose io file we may not read (another user's,
 * without privilege) gives -EACCES; the caller skips or notes them.
 */
#ifndef TIPROF_PROCSTAT_H
#define TIPROF_PROCSTAT_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"

/* /proc/PID/io. */
struct procstat_io {
	uint64_t rchar, wchar, syscr, syscw;
	uint64_t read_bytes, write_bytes, cancelled_write_bytes;
};

#define PROCSTAT_COMM_MAX 64	/* comm bytes kept, with the NUL */

/* The fields of /proc/PID/stat we use (proc(5) numbering). */
struct procstat_stat {
	int64_t pid;			/* 1 */
	char comm[PROCSTAT_COMM_MAX];	/* 2, without the parentheses; cut */
	char state;			/* 3 */
	int64_t ppid;			/* 4 */
	uint64_t utime, stime;		/* 14, 15: clock ticks */
	int64_t num_threads;		/* 20 */
	uint64_t starttime;		/* 22: clock ticks after boot */
	int64_t processor;		/* 39, -1 when absent */
};

/* Parse /proc/PID/io text. Unknown lines are ignored; all seven known
 * fields must be present. 0 or -EBADMSG (err set). */
int procstat_parse_io(const char *text, size_t len, struct procstat_io *io,
		      struct tp_error *err);

/* Parse one /proc/PID/stat line. The command is what lies between the
 * first '(' and the last ')', so it may hold spaces and parentheses.
 * 0 or -EBADMSG (err set). */
int procstat_parse_stat(const char *text, size_t len, struct procstat_stat *st,
			struct tp_error *err);

struct procstat;

/* Open root/proc. 0 or a negative errno (err set). */
int procstat_open(struct procstat **ps, const char *root, struct tp_error *err);
void procstat_close(struct procstat *ps);


/* Numeric entries of /proc (pid 0) or of /proc/PID/task, sorted. The
 * array belongs to ps and is valid until the next call. -ENOENT when the
 * process is gone; other errors set err. */
int procstat_list(struct procstat *ps, int64_t pid, const int64_t **ids, size_t *n,
		  struct tp_error *err);

/* /proc/PID/io (tid 0) or /proc/PID/task/TID/io. 0, -ENOENT (exited),
 * -EACCES (not allowed), -EBADMSG (err set), or another negative errno. */
int procstat_read_io(struct procstat *ps, int64_t pid, int64_t tid, struct procstat_io *io,
		     struct tp_error *err);

/* /proc/PID/stat (tid 0) or /proc/PID/task/TID/stat; same returns. */
int procstat_read_stat(struct procstat *ps, int64_t pid, int64_t tid,
		       struct procstat_stat *st, struct tp_error *err);

/* /proc/uptime in hundredths of a second. 0 or a negative errno. */
int procstat_uptime(struct procstat *ps, uint64_t *uptime_cs, struct tp_error *err);

/* Clock ticks per second of the stat times (sysconf(_SC_CLK_TCK)). */
long procstat_clk_tck(void);

#endif
