/* chart.h - SVG line charts of time series (IO, thread CPU, throughput).
 *
 * One chart is a plot area with a y axis starting at 0 (or at the lowest
 * value when that is negative), "nice" ticks (1, 2, 5 times a power of
 * ten) on both axes with grid lines, one polyline per series (broken where
 * a value is NAN), a title, axis labels and a legend. Series colours come
 * from a fixed list, in series order.
 *
 * Output is a pure function of the input: the same chart gives the same
 * bytes (numbers are printed with fixed rules, never with the locale).
 * Every string (title, labels, series names) is escaped, so any bytes give
 * well-formed XML; long names are cut in the legend (the full name stays
 * in the series' tooltip). A chart without a single finite point is drawn
 * as an empty frame that says "no data".
 */
#ifndef TIPROF_CHART_H
#define TIPROF_CHART_H

#include <stddef.h>
#include <stdio.h>
#include "analyzers/base/error.h"

#define CHART_MAX_SERIES 64
#define CHART_MAX_POINTS ((size_t)1 << 20)	/* per series */

struct chart_series {
	const char *name;
	const double *x, *y;	/* n points each; borrowed */
	size_t n;
};

struct chart {
	const char *title;
	const char *xlabel;	/* "seconds" */
	const char *ylabel;	/* "%util", "MB/s", ... */
	int width, height;	/* 0: 760 x 280 */
	const struct chart_series *series;
	size_t nseries;
};

/* Write c as a standalone SVG document to out. 0, -EINVAL with err (more
 * than CHART_MAX_SERIES series or CHART_MAX_POINTS points, a size below
 * 200 x 120 or above 20000), -ENOMEM, or -EIO. */
int chart_render(const struct chart *c, FILE *out, struct tp_error *err);

/* The tick step for a range: 1, 2 or 5 times a power of ten, giving about
 * `want` ticks. range must be > 0. */
double chart_nice_step(double range, int want);

#endif
