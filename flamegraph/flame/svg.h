/* svg.h - interactive SVG flame graphs.
 *
 * Renders a struct flametree as one self-contained SVG file: frames as
 * <g><title/><rect/><text/></g> in depth-first order, plus inline CSS and
 * JavaScript (flamegraph/flame.js, flame.css) for hover details, click to
 * zoom, regex search with "Matched: X%", and the view state (zoom target,
 * search term, case) in the URL: ?z=FRAME&s=REGEX&i=1.
 *
 * Output is a pure function of the tree and the options: identical input
 * gives byte-identical SVG. Every string from the input or the options is
 * escaped (see svgtext.h), so the result is always well-formed XML and no
 * name or title can inject markup or script.
 *
 * A differential tree (two values) is drawn with widths from the new value
 * and coloured by each frame's self change (new - base): red where it
 * grew, blue where it shrank, saturation relative to the largest change
 * shown; tooltips add the change as a percentage of the new total.
 */
#ifndef TIPROF_SVG_H
#define TIPROF_SVG_H

#include <stdio.h>
#include "analyzers/base/error.h"
#include "flamegraph/flame/flametree.h"

struct svg_opts {
	const char *title;	/* NULL: "Flame Graph", "Icicle Graph" or "Flame Chart" */
	const char *subtitle;	/* NULL: none */
	const char *countname;	/* "samples" */
	const char *nametype;	/* "Function:" */
	const char *notes;	/* NULL: none; kept in a <desc> element */
	int width;		/* 1200 px */
	int frameheight;	/* 16 px */
	double minwidth;	/* 0.1: frames narrower than this are left out */
	int minwidth_pct;	/* minwidth is a percentage of the total */
	const char *fonttype;	/* "Verdana" */
	double fontsize;	/* 12 */
	double fontwidth;	/* 0.59: average character width / font size */
	const char *colors;	/* "hot"; see palette.h */
	const char *bgcolors;	/* NULL: the palette's default */
	int hash;		/* colours from the leading characters of names */
	int reverse_unused;	/* --reverse is applied while building the tree */
	int inverted;		/* icicle graph: root at the top */
	int negate;		/* differential: swap red and blue */
};

void svg_opts_init(struct svg_opts *o);

/* Write the SVG for t to out. 0, -EINVAL with err for a bad option value
 * (unknown palette or bgcolors, width too small for the margins, ...),
 * -ENOMEM, or -EIO on a write failure. */
int svg_render(const struct flametree *t, const struct svg_opts *o, FILE *out,
	       struct tp_error *err);

#endif
