/* promtext.h - a streaming parser for the Prometheus text exposition
 * format (version 0.0.4), as node_exporter and TiKV serve on /metrics.
 *
 * Each sample line (name, optional {labels}, value, optional timestamp in
 * milliseconds) is handed to a callback as it is read; "# HELP" and
 * "# TYPE" lines go to an optional second callback, other comments are
 * skipped. Label values are unescaped (\\, \", \n). Values may be NaN,
 * +Inf or -Inf. Lines longer than PROMTEXT_MAX_LINE, or with more than
 * PROMTEXT_MAX_LABELS labels, are errors (the input is not trusted).
 * gzip-compressed input is inflated on the fly.
 */
#ifndef TIPROF_PROMTEXT_H
#define TIPROF_PROMTEXT_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"

#define PROMTEXT_MAX_LINE ((size_t)1 << 20)
#define PROMTEXT_MAX_LABELS 64

/* Strings are NUL-terminated copies valid during the callback only. */
struct promtext_label {
	const char *name, *value;
	size_t name_len, value_len;
};

struct promtext_sample {
	const char *name;
	size_t name_len;
	const struct promtext_label *labels;
	size_t nlabels;
	double value;
	int has_timestamp;
	int64_t timestamp_ms;
	int64_t line;		/* 1-based line number */
};

/* Return 0 to go on; a negative value stops the parse and is returned. */
typedef int (*promtext_sample_fn)(void *ctx, const struct promtext_sample *s);
/* kind is "HELP" or "TYPE"; text is the rest of the line (HELP text
 * unescaped). */
typedef int (*promtext_meta_fn)(void *ctx, const char *kind, const char *metric,
				size_t metric_len, const char *text, size_t text_len);

/* Parse data[0..len) (name is used in errors). meta may be NULL. Returns
 * 0, -EBADMSG for malformed input (err has the line), -E2BIG past a cap,
 * or what a callback returned. */
int promtext_parse(const char *name, const void *data, size_t len, promtext_sample_fn fn,
		   promtext_meta_fn meta, void *ctx, struct tp_error *err);

/* The value of label name in s, or NULL (with *len untouched). */
const char *promtext_label(const struct promtext_sample *s, const char *name, size_t *len);

#endif
