/* units.h - values with units, printed the way `go tool pprof` prints them.
 *
 * A value in nanoseconds (or another time unit) or bytes is scaled to the
 * largest unit in which it is at least 1 ("17.61s", "10ms", "1.50MB"),
 * printed with two decimals and a ".00" dropped. Other units ("count",
 * "samples") are printed as plain integers.
 */
#ifndef TIPROF_UNITS_H
#define TIPROF_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Write v (in unit) into out; returns out. */
char *units_format(int64_t v, const char *unit, char *out, size_t n);

/* The unit pprof would print v (in unit) in: "s", "ms", "kB", ...; unit
 * itself when it is not scalable. Static storage. */
const char *units_pick(int64_t v, const char *unit);

/* Write v (in unit) expressed in target (a name units_pick() returned),
 * with two decimals, ".00" dropped, "0" for zero; returns out. */
char *units_format_in(int64_t v, const char *unit, const char *target,
		      char *out, size_t n);

/* 1 when unit is a time or memory unit that units_format() scales. */
int units_scalable(const char *unit);

#endif
