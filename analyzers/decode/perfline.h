/* perfline.h - the three line shapes of `perf script` text, matched
 * exactly as stackcollapse-perf.pl's regular expressions match them.
 *
 * Spans point into the line given; lines may hold any bytes (NUL too).
 * "Whitespace" is Perl's \s: space, \t, \n, \v, \f, \r.
 */
#ifndef TIPROF_PERFLINE_H
#define TIPROF_PERFLINE_H

#include <stddef.h>

struct perfline_span {
	const char *s;
	size_t n;
};

struct perfline_header {
	size_t comm;			/* the comm is line[0..comm) */
	struct perfline_span pid, tid;	/* tid.n == 0: no TID */
};

struct perfline_frame {
	struct perfline_span pc, func, mod;
};

/* An event line: ^(\S.+?)\s+(\d+)[/]*(\d+)*\s+ */
int perfline_header(const char *s, size_t n, struct perfline_header *h);

/* The event and period of an event line: :\s*(\d+)*\s+(\S+):\s*$
 * period->n is 0 when the line has no period. */
int perfline_event(const char *s, size_t n, struct perfline_span *ev,
		   struct perfline_span *period);

/* A stack line: ^\s*(\w+)\s*(.+) \((\S*)\) giving pc, function and
 * module. */
int perfline_frame(const char *s, size_t n, struct perfline_frame *f);

/* An event line that fails perfline_event() because its one frame follows
 * the event on the same line (perf script without call chains):
 * "comm 1 2.0: 1 cycles:  ffff sym (dso)". Tries the first few ": "
 * split points; the frame's pc must be hexadecimal. */
int perfline_single(const char *s, size_t n, struct perfline_span *ev,
		    struct perfline_span *period, struct perfline_frame *f);

/* Number of leading whitespace bytes. */
size_t perfline_skip_ws(const char *s, size_t n);

/* Whether c is whitespace (\s). */
static inline int perfline_is_ws(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

#endif
