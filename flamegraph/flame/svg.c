/* svg.c - see svg.h.
 *
 * Two walks over the tree: the first (unordered, cheap) finds the deepest
 * frame shown and the largest differential change, which fix the image
 * height and the colour scale; the second writes the frames in order.
 *
 * Frame markup, the contract with flame.js:
 *   <g [o="GAP"]><title>NAME (COUNT COUNTNAME, PCT%[; ±DELTA%])</title>
 *   <rect x= y= width= height= fill=/>[<text x= y=>LABEL</text>]</g>
 * Frames come in depth-first order, so the script rebuilds the tree from
 * the depth (rect y) alone. A frame's exact position in counts is its
 * parent's left edge plus the counts of the siblings before it; siblings
 * too narrow to be drawn are not in the file, so a frame that follows
 * some carries their total as o="GAP". Zoom and "Matched" then work in
 * exact counts, never in rounded pixels.
 */
#include "flamegraph/flame/svg.h"
#include "flamegraph/flame/palette.h"
#include "flamegraph/flame/svgtext.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char flame_js[];
extern const size_t flame_js_len;
extern const unsigned char flame_css[];
extern const size_t flame_css_len;

#define XPAD 10

struct render {
	const struct flametree *t;
	const struct profile *p;
	const struct svg_opts *o;
	struct svgtext *w;
	enum palette_kind pal;
	int nv, diff;
	int64_t total;
	double scale;		/* px per count */
	int64_t fh, rh;		/* frame pitch and rect height */
	int64_t y0, dy;		/* y of a depth-0 rect, step per level */
	int64_t ty;		/* text baseline below a rect's top */
	double charw;		/* px per character */
	const char *countname;

	/* first walk */
	uint32_t maxdepth;
	double maxdelta;
	size_t nframes;

	/* second walk: per depth, where the next frame starts if no
	 * frame was left out before it */
	int64_t *cursor;
};

void svg_opts_init(struct svg_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->countname = "samples";
	o->nametype = "Function:";
	o->width = 1200;
	o->frameheight = 16;
	o->minwidth = 0.1;
	o->fonttype = "Verdana";
	o->fontsize = 12;
	o->fontwidth = 0.59;
	o->colors = "hot";
}

static int measure(void *ctx, const struct flametree_frame *f)
{
	struct render *r = ctx;

	if (f->depth > r->maxdepth)
		r->maxdepth = f->depth;
	if (r->diff) {
		double d = fabs((double)f->self[1] - (double)f->self[0]);

		if (d > r->maxdelta)
			r->maxdelta = d;
	}
	r->nframes++;
	return 0;
}

static const char *frame_name(const struct render *r, uint32_t id, size_t *len)
{
	if (id == FLAMETREE_ROOT) {
		*len = 3;
		return "all";
	}
	return profile_str(r->p, id, len);
}

static int emit(void *ctx, const struct flametree_frame *f)
{
	struct render *r = ctx;
	struct svgtext *w = r->w;
	int64_t width = f->value[r->nv - 1], expected, y;
	double x = XPAD + (double)f->offset * r->scale, wpx = (double)width * r->scale;
	size_t len, shown;
	const char *name = frame_name(r, f->name, &len);
	uint32_t color;

	expected = f->depth ? r->cursor[f->depth] : 0;
	r->cursor[f->depth] = f->offset + width;
	r->cursor[f->depth + 1] = f->offset;
	shown = palette_strip(name, len);
	if (r->diff)
		color = palette_diff((double)f->self[1] - (double)f->self[0], r->maxdelta,
				     r->o->negate);
	else
		color = palette_color(r->pal, name, len, r->o->hash);
	y = r->y0 + (int64_t)f->depth * r->dy;

	if (f->offset != expected) {
		svgtext_put(w, "<g o=\"", 6);
		svgtext_int(w, f->offset - expected);
		svgtext_put(w, "\"><title>", 9);
	} else {
		svgtext_put(w, "<g><title>", 10);
	}
	svgtext_escape(w, name, shown, SVGTEXT_XML);
	svgtext_put(w, " (", 2);
	svgtext_count(w, width);
	svgtext_putc(w, ' ');
	svgtext_escape(w, r->countname, strlen(r->countname), SVGTEXT_XML);
	svgtext_put(w, ", ", 2);
	svgtext_pct(w, width, r->total);
	if (r->diff) {
		int64_t d = f->self[1] - f->self[0];

		svgtext_put(w, "%; ", 3);
		if (d > 0)
			svgtext_putc(w, '+');
		svgtext_pct(w, d, r->total);
	}
	svgtext_put(w, "%)</title><rect x=\"", 19);
	svgtext_num(w, x, 1);
	svgtext_put(w, "\" y=\"", 5);
	svgtext_int(w, y);
	svgtext_put(w, "\" width=\"", 9);
	svgtext_num(w, wpx, 1);
	svgtext_put(w, "\" height=\"", 10);
	svgtext_int(w, r->rh);
	svgtext_put(w, "\" fill=\"", 8);
	svgtext_color(w, color);
	svgtext_put(w, "\"/>", 3);
	if (wpx / r->charw >= 3) {
		svgtext_put(w, "<text x=\"", 9);
		svgtext_num(w, x + 3, 1);
		svgtext_put(w, "\" y=\"", 5);
		svgtext_int(w, y + r->ty);
		svgtext_put(w, "\">", 2);
		svgtext_label(w, name, shown, (size_t)floor(wpx / r->charw));
		svgtext_put(w, "</text>", 7);
	}
	svgtext_put(w, "</g>\n", 5);
	return w->err;
}

static int check_opts(const struct svg_opts *o, enum palette_kind *pal,
		      uint32_t bg[2], struct tp_error *err)
{
	const char *colors = o->colors ? o->colors : "hot";

	if (palette_parse(colors, pal) < 0)
		return tp_error_set(err, -EINVAL, NULL, 0, -1,
				    "unknown palette \"%s\" (hot, mem, io, wakeup, chain, java, js, "
				    "perl, red, green, blue, aqua, yellow, purple, orange, go, rust)",
				    colors);
	if (palette_background(o->bgcolors, *pal, &bg[0], &bg[1]) < 0)
		return tp_error_set(err, -EINVAL, NULL, 0, -1,
				    "bad background \"%s\" (yellow, blue, green, grey or #rrggbb)",
				    o->bgcolors);
	if (o->width <= 2 * XPAD + 10 || o->width > 10000000)
		return tp_error_set(err, -EINVAL, NULL, 0, -1, "width %d out of range (31-10000000)",
				    o->width);
	if (o->frameheight < 1 || o->frameheight > 10000)
		return tp_error_set(err, -EINVAL, NULL, 0, -1,
				    "frame height %d out of range (1-10000)", o->frameheight);
	if (!(o->fontsize > 0 && o->fontsize <= 10000) || !(o->fontwidth > 0 && o->fontwidth <= 100))
		return tp_error_set(err, -EINVAL, NULL, 0, -1, "bad font size or width");
	if (!(o->minwidth >= 0 && o->minwidth <= 1e12) || (o->minwidth_pct && o->minwidth > 100))
		return tp_error_set(err, -EINVAL, NULL, 0, -1, "bad minimum width");
	return 0;
}

/* A JavaScript string literal (in a CDATA section). */
static void js_string(struct svgtext *w, const char *s)
{
	svgtext_putc(w, '"');
	svgtext_escape(w, s, strlen(s), SVGTEXT_JS);
	svgtext_putc(w, '"');
}

/* <text id="ID" [class="CLS"] x="X" y="Y"[ font-size="FS"]>S</text> */
static void text_element(struct svgtext *w, const char *id, const char *cls, int64_t x,
			 int64_t y, double fontsize, const char *s)
{
	svgtext_puts(w, "<text id=\"");
	svgtext_puts(w, id);
	if (cls) {
		svgtext_puts(w, "\" class=\"");
		svgtext_puts(w, cls);
	}
	svgtext_puts(w, "\" x=\"");
	svgtext_int(w, x);
	svgtext_puts(w, "\" y=\"");
	svgtext_int(w, y);
	if (fontsize > 0) {
		svgtext_puts(w, "\" font-size=\"");
		svgtext_num(w, fontsize, 2);
	}
	svgtext_puts(w, "\">");
	svgtext_escape(w, s, strlen(s), SVGTEXT_XML);
	svgtext_put(w, "</text>\n", 8);
}

static void header(struct render *r, int64_t height, int64_t ypad2, const uint32_t bg[2])
{
	const struct svg_opts *o = r->o;
	struct svgtext *w = r->w;
	int64_t tity = (int64_t)ceil(o->fontsize * 2), boty = height - ypad2 / 2;
	const char *title = o->title;

	if (!title)
		title = flametree_is_chart(r->t) ? "Flame Chart" :
			o->inverted ? "Icicle Graph" : "Flame Graph";
	svgtext_puts(w, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		     "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"");
	svgtext_int(w, o->width);
	svgtext_put(w, "\" height=\"", 10);
	svgtext_int(w, height);
	svgtext_puts(w, "\" viewBox=\"0 0 ");
	svgtext_int(w, o->width);
	svgtext_putc(w, ' ');
	svgtext_int(w, height);
	svgtext_puts(w, "\" font-family=\"");
	svgtext_escape(w, o->fonttype ? o->fonttype : "Verdana",
		       strlen(o->fonttype ? o->fonttype : "Verdana"), SVGTEXT_XML);
	svgtext_puts(w, "\" font-size=\"");
	svgtext_num(w, o->fontsize, 2);
	svgtext_puts(w, "\">\n");
	if (o->notes) {
		svgtext_puts(w, "<desc>");
		svgtext_escape(w, o->notes, strlen(o->notes), SVGTEXT_XML);
		svgtext_puts(w, "</desc>\n");
	}
	svgtext_puts(w, "<defs><linearGradient id=\"bg\" x2=\"0\" y2=\"1\"><stop offset=\"5%\" "
		     "stop-color=\"");
	svgtext_color(w, bg[0]);
	svgtext_puts(w, "\"/><stop offset=\"95%\" stop-color=\"");
	svgtext_color(w, bg[1]);
	svgtext_puts(w, "\"/></linearGradient></defs>\n<style><![CDATA[\n");
	svgtext_put(w, flame_css, flame_css_len);
	svgtext_puts(w, "]]></style>\n<rect width=\"100%\" height=\"100%\" fill=\"url(#bg)\"/>\n");

	text_element(w, "title", NULL, o->width / 2, tity, o->fontsize + 5, title);
	if (o->subtitle)
		text_element(w, "subtitle", NULL, o->width / 2, (int64_t)ceil(o->fontsize * 4), 0,
			     o->subtitle);
	text_element(w, "details", NULL, XPAD, boty, 0, " ");
	text_element(w, "unzoom", "ui h", XPAD, tity, 0, "Reset Zoom");
	text_element(w, "search", "ui", o->width - XPAD - 100, tity, 0, "Search");
	text_element(w, "ic", "ui", o->width - XPAD - 16, tity, 0, "ic");
	text_element(w, "matched", NULL, o->width - XPAD - 100, boty, 0, " ");
	svgtext_puts(w, "<g id=\"frames\">\n");
}

static void trailer(struct render *r)
{
	const struct svg_opts *o = r->o;
	struct svgtext *w = r->w;

	svgtext_puts(w, "</g>\n<script><![CDATA[\nvar fgcfg={xpad:");
	svgtext_int(w, XPAD);
	svgtext_puts(w, ",W:");
	svgtext_int(w, o->width - 2 * XPAD);
	svgtext_puts(w, ",y0:");
	svgtext_int(w, r->y0);
	svgtext_puts(w, ",dy:");
	svgtext_int(w, r->dy);
	svgtext_puts(w, ",ty:");
	svgtext_int(w, r->ty);
	svgtext_puts(w, ",cw:");
	svgtext_num(w, r->charw, 6);
	svgtext_puts(w, ",diff:");
	svgtext_int(w, r->diff);
	svgtext_puts(w, ",cn:");
	js_string(w, r->countname);
	svgtext_puts(w, ",nt:");
	js_string(w, o->nametype ? o->nametype : "Function:");
	svgtext_puts(w, "};\n");
	svgtext_put(w, flame_js, flame_js_len);
	svgtext_puts(w, "]]></script>\n</svg>\n");
}

int svg_render(const struct flametree *t, const struct svg_opts *o, FILE *out,
	       struct tp_error *err)
{
	struct svgtext w;
	struct render r;
	uint32_t bg[2];
	int64_t minvalue = 1, ypad1, ypad2, height;
	double mv;
	int rc;

	memset(&w, 0, sizeof(w));
	memset(&r, 0, sizeof(r));
	r.t = t;
	r.p = flametree_profile(t);
	r.o = o;
	r.w = &w;
	if ((rc = check_opts(o, &r.pal, bg, err)) < 0)
		goto out;
	r.countname = o->countname ? o->countname : "samples";
	r.nv = flametree_nvalues(t);
	r.diff = r.nv == 2;
	r.total = flametree_total(t, r.nv - 1);
	r.scale = r.total > 0 ? (double)(o->width - 2 * XPAD) / (double)r.total : 0;
	r.charw = o->fontsize * o->fontwidth;
	if (r.total > 0 && o->minwidth > 0) {
		mv = o->minwidth_pct ? o->minwidth / 100 * (double)r.total : o->minwidth / r.scale;
		mv = ceil(mv);
		minvalue = mv >= 9.2e18 ? INT64_MAX : (mv < 1 ? 1 : (int64_t)mv);
	}

	if (flametree_walk(t, minvalue, FLAMETREE_UNORDERED, measure, &r) < 0 ||
	    svgtext_init(&w, out) < 0 ||
	    !(r.cursor = calloc((size_t)r.maxdepth + 2, sizeof(*r.cursor)))) {
		rc = tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
		goto out;
	}

	r.fh = o->frameheight;
	r.rh = r.fh > 1 ? r.fh - 1 : 1;
	ypad1 = (int64_t)ceil(o->fontsize * 3) + (o->subtitle ? (int64_t)ceil(o->fontsize * 2) : 0);
	ypad2 = (int64_t)ceil(o->fontsize * 2) + 10;
	height = ((int64_t)r.maxdepth + 1) * r.fh + ypad1 + ypad2;
	if (o->inverted) {
		r.y0 = ypad1;
		r.dy = r.fh;
	} else {
		r.y0 = height - ypad2 - r.fh + (r.fh - r.rh);
		r.dy = -r.fh;
	}
	r.ty = (int64_t)floor((double)r.rh / 2 + o->fontsize * 0.35 + 0.5);

	header(&r, height, ypad2, bg);
	if (flametree_walk(t, minvalue, 0, emit, &r) == -ENOMEM) {
		rc = tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
		goto out;
	}
	trailer(&r);
	if ((rc = svgtext_flush(&w)) < 0)
		tp_error_set(err, rc, NULL, 0, -1, "write error");
out:
	svgtext_free(&w);
	free(r.cursor);
	return rc;
}
