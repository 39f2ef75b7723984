/* doc.c - see doc.h */
#include "flamegraph/report/doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CODE_ON '\x01'
#define CODE_OFF '\x02'
#define BOLD_ON '\x03'
#define BOLD_OFF '\x04'
#define SVG_MAX ((size_t)256 << 20)

enum block_type { B_HEADING, B_PARA, B_ITEM, B_CODE, B_TABLE, B_ROW, B_FIGURE };

struct block {
	enum block_type type;
	int level;		/* heading level; table column count; figure: chart */
	char *text;		/* heading, paragraph, item, code; figure title */
	char *file;		/* figure */
	char *cells[DOC_MAX_COLS];
};

struct doc {
	struct block *b;
	size_t n, cap;
	int cols;		/* of the open table */
};

struct doc *doc_new(void)
{
	return calloc(1, sizeof(struct doc));
}

void doc_free(struct doc *d)
{
	size_t i;
	int k;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->b[i].text);
		free(d->b[i].file);
		for (k = 0; k < DOC_MAX_COLS; k++)
			free(d->b[i].cells[k]);
	}
	free(d->b);
	free(d);
}

static struct block *push(struct doc *d, enum block_type t)
{
	struct block *b;

	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 64;
		struct block *nb = realloc(d->b, nc * sizeof(*nb));

		if (!nb)
			return NULL;
		d->b = nb;
		d->cap = nc;
	}
	b = &d->b[d->n++];
	memset(b, 0, sizeof(*b));
	b->type = t;
	return b;
}

static int vadd(struct doc *d, enum block_type t, int level, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static int vadd(struct doc *d, enum block_type t, int level, const char *fmt, va_list ap)
{
	struct block *b;
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return -ENOMEM;
	if (!(b = push(d, t))) {
		free(s);
		return -ENOMEM;
	}
	b->level = level;
	b->text = s;
	return 0;
}

int doc_heading(struct doc *d, int level, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vadd(d, B_HEADING, level < 1 ? 1 : level > 6 ? 6 : level, fmt, ap);
	va_end(ap);
	return rc;
}

int doc_para(struct doc *d, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vadd(d, B_PARA, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int doc_item(struct doc *d, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vadd(d, B_ITEM, 0, fmt, ap);
	va_end(ap);
	return rc;
}

int doc_code(struct doc *d, const char *text)
{
	struct block *b = push(d, B_CODE);

	if (!b)
		return -ENOMEM;
	if (!(b->text = strdup(text))) {
		d->n--;
		return -ENOMEM;
	}
	return 0;
}

static int cells(struct doc *d, enum block_type t, int n, const char *const *c)
{
	struct block *b = push(d, t);
	int k;

	if (!b)
		return -ENOMEM;
	b->level = n;
	for (k = 0; k < n; k++)
		if (!(b->cells[k] = strdup(c[k] ? c[k] : ""))) {
			while (k-- > 0)
				free(b->cells[k]);
			d->n--;
			return -ENOMEM;
		}
	return 0;
}

int doc_table(struct doc *d, int ncols, const char *const *head)
{
	if (ncols < 1 || ncols > DOC_MAX_COLS)
		return -EINVAL;
	d->cols = ncols;
	return cells(d, B_TABLE, ncols, head);
}

int doc_row(struct doc *d, const char *const *c)
{
	return cells(d, B_ROW, d->cols, c);
}

int doc_figure(struct doc *d, const char *title, const char *file, int chart)
{
	struct block *b = push(d, B_FIGURE);

	if (!b)
		return -ENOMEM;
	b->level = chart;
	b->text = strdup(title);
	b->file = strdup(file);
	if (!b->text || !b->file) {
		free(b->text);
		free(b->file);
		d->n--;
		return -ENOMEM;
	}
	return 0;
}

/* ---- Markdown ---- */

static void md_code(FILE *out, const char *s, size_t n, int cell)
{
	size_t i, run = 0, maxrun = 0, k;

	for (i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > maxrun)
			maxrun = run;
	}
	for (k = 0; k <= maxrun; k++)
		fputc('`', out);
	if (n && (s[0] == '`' || s[n - 1] == '`' || s[0] == ' '))
		fputc(' ', out);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			fputc('?', out);
		else if (c == '|' && cell)
			fputs("\\|", out);
		else
			fputc(c, out);
	}
	if (n && (s[0] == '`' || s[n - 1] == '`' || s[0] == ' '))
		fputc(' ', out);
	for (k = 0; k <= maxrun; k++)
		fputc('`', out);
}

/* Inline text: code spans between the markers, the rest escaped. */
static void md_text(FILE *out, const char *s, int cell)
{
	while (*s) {
		if (*s == CODE_ON) {
			const char *e = strchr(s + 1, CODE_OFF);
			size_t n = e ? (size_t)(e - s - 1) : strlen(s + 1);

			md_code(out, s + 1, n, cell);
			s += 1 + n + (e ? 1 : 0);
			continue;
		}
		if (*s == BOLD_ON || *s == BOLD_OFF)
			fputs("**", out);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fputc(*s == '\n' && !cell ? '\n' : *s == CODE_OFF ? ' ' : '?', out);
		else if (strchr("\\`*_[]<>|#~", *s))
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
		s++;
	}
}

int doc_write_md(const struct doc *d, FILE *out, struct tp_error *err)
{
	size_t i;
	int k;

	for (i = 0; i < d->n; i++) {
		const struct block *b = &d->b[i];
		const struct block *next = i + 1 < d->n ? &d->b[i + 1] : NULL;

		switch (b->type) {
		case B_HEADING:
			for (k = 0; k < b->level; k++)
				fputc('#', out);
			fputc(' ', out);
			md_text(out, b->text, 0);
			fputs("\n\n", out);
			break;
		case B_PARA:
			md_text(out, b->text, 0);
			fputs("\n\n", out);
			break;
		case B_ITEM:
			fputs("- ", out);
			md_text(out, b->text, 0);
			fputs(next && next->type == B_ITEM ? "\n" : "\n\n", out);
			break;
		case B_CODE: {
			const char *s = b->text;

			fputs("```\n", out);
			for (; *s; s++)
				fputc((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' ? '?' : *s, out);
			if (b->text[0] && s[-1] != '\n')
				fputc('\n', out);
			fputs("```\n\n", out);
			break;
		}
		case B_TABLE:
		case B_ROW:
			fputc('|', out);
			for (k = 0; k < b->level; k++) {
				fputc(' ', out);
				md_text(out, b->cells[k], 1);
				fputs(" |", out);
			}
			fputc('\n', out);
			if (b->type == B_TABLE) {
				fputc('|', out);
				for (k = 0; k < b->level; k++)
					fputs("---|", out);
				fputc('\n', out);
			}
			if (!next || next->type != B_ROW)
				fputc('\n', out);
			break;
		case B_FIGURE:
			fputs(b->level ? "![" : "- [", out);
			md_text(out, b->text, 0);
			fputs("](", out);
			for (const char *s = b->file; *s; s++) {
				if (*s == ' ')
					fputs("%20", out);
				else if (*s == '(' || *s == ')')
					fprintf(out, "%%%02X", (unsigned char)*s);
				else
					fputc(*s, out);
			}
			fputs(next && next->type == B_FIGURE && !b->level ? ")\n" : ")\n\n", out);
			break;
		}
	}
	if (fflush(out) != 0 || ferror(out))
		return tp_error_set(err, -EIO, "", 0, -1, "write error");
	return 0;
}

/* ---- HTML ---- */

static void html_esc(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				fputc('?', out);
			else
				fputc(c, out);
		}
	}
}

static void html_text(FILE *out, const char *s)
{
	while (*s) {
		const char *e;
		size_t n;

		if (*s == CODE_ON) {
			e = strchr(s + 1, CODE_OFF);
			n = e ? (size_t)(e - s - 1) : strlen(s + 1);
			fputs("<code>", out);
			html_esc(out, s + 1, n);
			fputs("</code>", out);
			s += 1 + n + (e ? 1 : 0);
			continue;
		}
		if (*s == BOLD_ON || *s == BOLD_OFF) {
			fputs(*s == BOLD_ON ? "<strong>" : "</strong>", out);
			s++;
			continue;
		}
		for (e = s; *e && *e != CODE_ON && *e != BOLD_ON && *e != BOLD_OFF; e++)
			;
		html_esc(out, s, (size_t)(e - s));
		s = e;
	}
}

/* The SVG's height attribute (the first one in its root element), or 0. */
static double svg_height(const char *svg, size_t n)
{
	const char *p = memmem(svg, n < 4096 ? n : 4096, "<svg", 4), *h;

	if (!p)
		return 0;
	h = memmem(p, (size_t)(svg + (n < 4096 ? n : 4096) - p), " height=\"", 9);
	return h ? strtod(h + 9, NULL) : 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long sz;

	*len = 0;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (sz = ftell(fp)) >= 0 && (size_t)sz <= SVG_MAX &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)sz + 1))) {
		*len = fread(buf, 1, (size_t)sz, fp);
		buf[*len] = '\0';
	}
	fclose(fp);
	return buf;
}

static void href(FILE *out, const char *file)
{
	for (; *file; file++) {
		unsigned char c = (unsigned char)*file;

		if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '%' || c == '#' || c == '?' ||
		    c == '&' || c == '\'' || c >= 0x7f)
			fprintf(out, "%%%02X", c);
		else
			fputc(c, out);
	}
}

static const char css[] =
	"body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:1280px;"
	"margin:0 auto;padding:16px 24px;color:#1f2328;line-height:1.5}"
	"h1{font-size:1.7em;border-bottom:1px solid #d0d7de;padding-bottom:.3em}"
	"h2{font-size:1.35em;border-bottom:1px solid #d0d7de;padding-bottom:.3em;margin-top:1.6em}"
	"h3{font-size:1.1em;margin-top:1.3em}"
	"code{background:#eff1f3;padding:.1em .3em;border-radius:4px;font-size:90%;"
	"word-break:break-all}"
	"pre{background:#f6f8fa;padding:12px;overflow:auto;border-radius:6px}"
	"table{border-collapse:collapse;margin:8px 0 16px;display:block;overflow:auto}"
	"th,td{border:1px solid #d0d7de;padding:4px 10px;text-align:left;vertical-align:top}"
	"th{background:#f6f8fa}"
	"figure{margin:12px 0 20px}figcaption{font-size:90%;color:#59636e}"
	"iframe{width:100%;border:1px solid #d0d7de;border-radius:6px;background:#fff}"
	".note{color:#59636e}";

int doc_write_html(const struct doc *d, FILE *out, const char *title, const char *dir,
		   size_t embed_max, struct tp_error *err)
{
	size_t i, embedded = 0;
	int k, in_list = 0;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", out);
	html_esc(out, title, strlen(title));
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	for (i = 0; i < d->n; i++) {
		const struct block *b = &d->b[i];
		const struct block *next = i + 1 < d->n ? &d->b[i + 1] : NULL;

		if (b->type == B_ITEM && !in_list) {
			fputs("<ul>\n", out);
			in_list = 1;
		}
		switch (b->type) {
		case B_HEADING:
			fprintf(out, "<h%d>", b->level);
			html_text(out, b->text);
			fprintf(out, "</h%d>\n", b->level);
			break;
		case B_PARA:
			fputs("<p>", out);
			html_text(out, b->text);
			fputs("</p>\n", out);
			break;
		case B_ITEM:
			fputs("<li>", out);
			html_text(out, b->text);
			fputs("</li>\n", out);
			break;
		case B_CODE:
			fputs("<pre>", out);
			html_esc(out, b->text, strlen(b->text));
			fputs("</pre>\n", out);
			break;
		case B_TABLE:
		case B_ROW:
			if (b->type == B_TABLE)
				fputs("<table>\n<thead>", out);
			fputs("<tr>", out);
			for (k = 0; k < b->level; k++) {
				fputs(b->type == B_TABLE ? "<th>" : "<td>", out);
				html_text(out, b->cells[k]);
				fputs(b->type == B_TABLE ? "</th>" : "</td>", out);
			}
			fputs("</tr>", out);
			if (b->type == B_TABLE)
				fputs("</thead>\n<tbody>", out);
			fputs("\n", out);
			if (!next || next->type != B_ROW)
				fputs("</tbody>\n</table>\n", out);
			break;
		case B_FIGURE: {
			char path[4400];
			size_t len = 0;
			char *svg;
			double h;
			int shown = 0;

			snprintf(path, sizeof(path), "%s/%s", dir, b->file);
			svg = read_file(path, &len);
			fputs("<figure>\n", out);
			if (svg && embedded + len <= embed_max) {
				embedded += len;
				shown = 1;
				h = svg_height(svg, len);
				fputs("<iframe loading=\"lazy\" title=\"", out);
				html_esc(out, b->text, strlen(b->text));
				fprintf(out, "\" style=\"height:%.0fpx\" srcdoc=\"", h > 0 ? h + 8 : 400);
				html_esc(out, svg, len);
				fputs("\"></iframe>\n", out);
			}
			fputs("<figcaption>", out);
			html_text(out, b->text);
			fputs(" &mdash; <a href=\"", out);
			href(out, b->file);
			fputs("\">", out);
			html_esc(out, b->file, strlen(b->file));
			fputs("</a>", out);
			if (!svg)
				fputs(" <span class=\"note\">(file missing)</span>", out);
			else if (!shown)
				fputs(" <span class=\"note\">(not embedded: the page's size limit)</span>", out);
			fputs("</figcaption>\n</figure>\n", out);
			free(svg);
			break;
		}
		}
		if (in_list && (!next || next->type != B_ITEM)) {
			fputs("</ul>\n", out);
			in_list = 0;
		}
	}
	fputs("</body>\n</html>\n", out);
	if (fflush(out) != 0 || ferror(out))
		return tp_error_set(err, -EIO, "", 0, -1, "write error");
	return 0;
}
