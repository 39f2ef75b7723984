/* doc.h - a small document model written as Markdown or as HTML.
 *
 * The report's issue draft is built once as blocks (headings, paragraphs,
 * bullets, code blocks, tables, figures) and written twice: issue.md
 * (GitHub-flavoured Markdown) and index.html (one self-contained page).
 * Text may mark code spans between the bytes 0x01 and 0x02 and bold text
 * between 0x03 and 0x04; every other control byte is shown as '?'. Text is escaped for its output: Markdown
 * punctuation is backslash-escaped outside code spans, code spans get
 * enough backticks, '|' is escaped in table cells; HTML gets entities.
 *
 * A figure names an SVG file of the report directory. Markdown links it
 * (an image for a chart, a link for a flame graph); HTML embeds its content
 * in an <iframe srcdoc="..."> (escaped as an attribute, so the flame
 * graph's own script works offline) with a link to the file, up to a total
 * embedded size; past it, only the link.
 */
#ifndef TIPROF_DOC_H
#define TIPROF_DOC_H

#include <stddef.h>
#include <stdio.h>
#include "analyzers/base/error.h"

#define DOC_MAX_COLS 12

struct doc;

struct doc *doc_new(void);
void doc_free(struct doc *d);

/* Each returns 0 or -ENOMEM (after which the document keeps what it had). */
int doc_heading(struct doc *d, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int doc_para(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int doc_item(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A preformatted block (no code-span markers). */
int doc_code(struct doc *d, const char *text);
/* Start a table of ncols columns (1..DOC_MAX_COLS); then doc_row()s. */
int doc_table(struct doc *d, int ncols, const char *const *head);
int doc_row(struct doc *d, const char *const *cells);
/* An SVG file of the report directory. chart: an image; else a flame graph. */
int doc_figure(struct doc *d, const char *title, const char *file, int chart);

int doc_write_md(const struct doc *d, FILE *out, struct tp_error *err);

/* dir: where the figures' files are (read to embed them); embed_max: the
 * most bytes of SVG to embed in all. */
int doc_write_html(const struct doc *d, FILE *out, const char *title, const char *dir,
		   size_t embed_max, struct tp_error *err);

#endif
