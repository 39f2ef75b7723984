/* chart.c - see chart.h */
#include "flamegraph/report/chart.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "flamegraph/flame/svgtext.h"

#define FONT "Verdana, sans-serif"
#define LEGEND_COLS 3
#define LEGEND_ROW 16

/* Distinguishable colours, in order. */
static const char *const colors[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
	"#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
};

double chart_nice_step(double range, int want)
{
	double raw, mag, f;

	if (!(range > 0) || want < 1)
		return 1;
	raw = range / want;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	if (f <= 1)
		return mag;
	if (f <= 2)
		return 2 * mag;
	if (f <= 5)
		return 5 * mag;
	return 10 * mag;
}

/* Decimals needed to print multiples of step exactly (0..6). */
static int step_decimals(double step)
{
	int d = 0;

	while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-6 * step * pow(10, d))
		d++;
	return d;
}

/* A tick value: with a k/M/G suffix when the axis goes past 10,000. */
static void tick_label(struct svgtext *w, double v, double step, double maxabs)
{
	static const char *const suffix[] = { "", "k", "M", "G", "T" };
	int k = 0;

	if (maxabs >= 1e4)
		while (k < 4 && maxabs >= 1000) {
			v /= 1000;
			step /= 1000;
			maxabs /= 1000;
			k++;
		}
	if (fabs(v) < step * 1e-9) {
		svgtext_putc(w, '0');
		return;
	}
	svgtext_num(w, v, step_decimals(step));
	svgtext_puts(w, suffix[k]);
}

static void attr_num(struct svgtext *w, const char *name, double v)
{
	svgtext_putc(w, ' ');
	svgtext_puts(w, name);
	svgtext_puts(w, "=\"");
	svgtext_num(w, v, 1);
	svgtext_putc(w, '"');
}

static void text_el(struct svgtext *w, double x, double y, const char *anchor, const char *extra,
		    const char *s, size_t chars)
{
	svgtext_puts(w, "<text");
	attr_num(w, "x", x);
	attr_num(w, "y", y);
	if (anchor) {
		svgtext_puts(w, " text-anchor=\"");
		svgtext_puts(w, anchor);
		svgtext_putc(w, '"');
	}
	if (extra)
		svgtext_puts(w, extra);
	svgtext_putc(w, '>');
	if (chars)
		svgtext_label(w, s, strlen(s), chars);
	else
		svgtext_escape(w, s, strlen(s), SVGTEXT_XML);
	svgtext_puts(w, "</text>\n");
}

struct range {
	double xmin, xmax, ymin, ymax;
	size_t finite;
};

static void find_range(const struct chart *c, struct range *r)
{
	size_t s, i;

	r->xmin = r->ymin = INFINITY;
	r->xmax = r->ymax = -INFINITY;
	r->finite = 0;
	for (s = 0; s < c->nseries; s++)
		for (i = 0; i < c->series[s].n; i++) {
			double x = c->series[s].x[i], y = c->series[s].y[i];

			if (!isfinite(x) || !isfinite(y))
				continue;
			r->finite++;
			if (x < r->xmin)
				r->xmin = x;
			if (x > r->xmax)
				r->xmax = x;
			if (y < r->ymin)
				r->ymin = y;
			if (y > r->ymax)
				r->ymax = y;
		}
	if (!r->finite) {
		r->xmin = 0;
		r->xmax = 1;
		r->ymin = 0;
		r->ymax = 1;
		return;
	}
	if (r->ymin > 0)
		r->ymin = 0;
	if (r->xmax <= r->xmin)
		r->xmax = r->xmin + 1;
	if (r->ymax <= r->ymin)
		r->ymax = r->ymin + 1;
}

int chart_render(const struct chart *c, FILE *out, struct tp_error *err)
{
	struct svgtext w;
	struct range r;
	double W = c->width ? c->width : 760, H = c->height ? c->height : 280;
	double left = 70, right = 20, top = 36, bottom, px, py, pw, ph;
	double xstep, ystep, v, maxabs;
	size_t s, i, legend_rows;
	int rc;

	if (c->nseries > CHART_MAX_SERIES)
		return tp_error_set(err, -EINVAL, "", 0, -1, "more than %d series in one chart",
				    CHART_MAX_SERIES);
	for (s = 0; s < c->nseries; s++)
		if (c->series[s].n > CHART_MAX_POINTS)
			return tp_error_set(err, -EINVAL, "", 0, -1, "more than %zu points in a series",
					    CHART_MAX_POINTS);
	if (W < 200 || H < 120 || W > 20000 || H > 20000)
		return tp_error_set(err, -EINVAL, "", 0, -1, "chart size %gx%g out of range", W, H);
	if ((rc = svgtext_init(&w, out)) < 0)
		return tp_error_set(err, rc, "", 0, -1, "out of memory");
	legend_rows = (c->nseries + LEGEND_COLS - 1) / LEGEND_COLS;
	H += (double)legend_rows * LEGEND_ROW;
	bottom = 44 + (double)legend_rows * LEGEND_ROW;
	px = left;
	py = top;
	pw = W - left - right;
	ph = H - top - bottom;
	find_range(c, &r);
	xstep = chart_nice_step(r.xmax - r.xmin, 8);
	ystep = chart_nice_step(r.ymax - r.ymin, 5);
	/* extend the y range to whole ticks */
	r.ymax = ceil(r.ymax / ystep - 1e-9) * ystep;
	r.ymin = floor(r.ymin / ystep + 1e-9) * ystep;
	if (r.ymax <= r.ymin)
		r.ymax = r.ymin + ystep;
	maxabs = fmax(fabs(r.ymax), fabs(r.ymin));

	svgtext_puts(&w, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		     "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\"");
	attr_num(&w, "width", W);
	attr_num(&w, "height", H);
	svgtext_puts(&w, " viewBox=\"0 0 ");
	svgtext_num(&w, W, 1);
	svgtext_putc(&w, ' ');
	svgtext_num(&w, H, 1);
	svgtext_puts(&w, "\" font-family=\"" FONT "\" font-size=\"11\">\n");
	svgtext_puts(&w, "<style>.grid{stroke:#e4e4e4;stroke-width:1}.axis{stroke:#555;stroke-width:1}"
		     ".line{fill:none;stroke-width:1.5}.lbl{fill:#333}</style>\n");
	svgtext_puts(&w, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
	text_el(&w, W / 2, 20, "middle", " font-size=\"14\" class=\"lbl\"", c->title ? c->title : "",
		0);

	/* grid and y ticks */
	for (v = r.ymin, i = 0; v <= r.ymax + ystep * 1e-6 && i < 100; v = r.ymin + ystep * (double)++i) {
		double y = py + ph - (v - r.ymin) / (r.ymax - r.ymin) * ph;

		svgtext_puts(&w, "<line class=\"grid\"");
		attr_num(&w, "x1", px);
		attr_num(&w, "x2", px + pw);
		attr_num(&w, "y1", y);
		attr_num(&w, "y2", y);
		svgtext_puts(&w, "/>\n<text");
		attr_num(&w, "x", px - 6);
		attr_num(&w, "y", y + 4);
		svgtext_puts(&w, " text-anchor=\"end\" class=\"lbl\">");
		tick_label(&w, v, ystep, maxabs);
		svgtext_puts(&w, "</text>\n");
	}
	/* x ticks */
	for (i = 0, v = ceil(r.xmin / xstep - 1e-9) * xstep; v <= r.xmax + xstep * 1e-6 && i < 100;
	     i++, v = (ceil(r.xmin / xstep - 1e-9) + (double)i) * xstep) {
		double x = px + (v - r.xmin) / (r.xmax - r.xmin) * pw;

		svgtext_puts(&w, "<line class=\"grid\"");
		attr_num(&w, "x1", x);
		attr_num(&w, "x2", x);
		attr_num(&w, "y1", py);
		attr_num(&w, "y2", py + ph);
		svgtext_puts(&w, "/>\n<text");
		attr_num(&w, "x", x);
		attr_num(&w, "y", py + ph + 15);
		svgtext_puts(&w, " text-anchor=\"middle\" class=\"lbl\">");
		tick_label(&w, v, xstep, fmax(fabs(r.xmax), fabs(r.xmin)));
		svgtext_puts(&w, "</text>\n");
	}
	/* axes */
	svgtext_puts(&w, "<path class=\"axis\" fill=\"none\" d=\"M");
	svgtext_num(&w, px, 1);
	svgtext_putc(&w, ' ');
	svgtext_num(&w, py, 1);
	svgtext_puts(&w, "V");
	svgtext_num(&w, py + ph, 1);
	svgtext_puts(&w, "H");
	svgtext_num(&w, px + pw, 1);
	svgtext_puts(&w, "\"/>\n");
	if (c->xlabel)
		text_el(&w, px + pw / 2, py + ph + 32, "middle", " class=\"lbl\"", c->xlabel, 0);
	if (c->ylabel) {
		char tr[96];

		snprintf(tr, sizeof(tr), " class=\"lbl\" transform=\"rotate(-90 %.1f %.1f)\"", 14.0,
			 py + ph / 2);
		text_el(&w, 14, py + ph / 2, "middle", tr, c->ylabel, 0);
	}
	if (!r.finite)
		text_el(&w, px + pw / 2, py + ph / 2, "middle", " font-size=\"14\" fill=\"#999\"",
			"no data", 0);

	/* series */
	for (s = 0; s < c->nseries; s++) {
		const struct chart_series *se = &c->series[s];
		const char *color = colors[s % (sizeof(colors) / sizeof(colors[0]))];
		int open = 0;

		svgtext_puts(&w, "<g><title>");
		svgtext_escape(&w, se->name ? se->name : "", se->name ? strlen(se->name) : 0, SVGTEXT_XML);
		svgtext_puts(&w, "</title>\n");
		for (i = 0; i < se->n; i++) {
			double x = se->x[i], y = se->y[i];

			if (!isfinite(x) || !isfinite(y)) {
				if (open)
					svgtext_puts(&w, "\"/>\n");
				open = 0;
				continue;
			}
			if (!open) {
				svgtext_puts(&w, "<polyline class=\"line\" stroke=\"");
				svgtext_puts(&w, color);
				svgtext_puts(&w, "\" points=\"");
				open = 1;
			} else {
				svgtext_putc(&w, ' ');
			}
			svgtext_num(&w, px + (x - r.xmin) / (r.xmax - r.xmin) * pw, 1);
			svgtext_putc(&w, ',');
			svgtext_num(&w, py + ph - (y - r.ymin) / (r.ymax - r.ymin) * ph, 1);
		}
		if (open)
			svgtext_puts(&w, "\"/>\n");
		svgtext_puts(&w, "</g>\n");
	}

	/* legend */
	for (s = 0; s < c->nseries; s++) {
		double colw = pw / LEGEND_COLS;
		double lx = px + (double)(s % LEGEND_COLS) * colw;
		double ly = H - bottom + 44 + (double)(s / LEGEND_COLS) * LEGEND_ROW;
		const char *name = c->series[s].name ? c->series[s].name : "";

		svgtext_puts(&w, "<rect width=\"12\" height=\"3\"");
		attr_num(&w, "x", lx);
		attr_num(&w, "y", ly - 4);
		svgtext_puts(&w, " fill=\"");
		svgtext_puts(&w, colors[s % (sizeof(colors) / sizeof(colors[0]))]);
		svgtext_puts(&w, "\"/>\n");
		text_el(&w, lx + 16, ly, NULL, " class=\"lbl\"", name,
			(size_t)((colw - 20) / 6.5) > 3 ? (size_t)((colw - 20) / 6.5) : 3);
	}
	svgtext_puts(&w, "</svg>\n");
	rc = svgtext_flush(&w);
	svgtext_free(&w);
	if (rc < 0)
		return tp_error_set(err, rc, "", 0, -1, "write error");
	return 0;
}
