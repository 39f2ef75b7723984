/* fuzz_promtext.c - libFuzzer target for the Prometheus text parser and the
 * node_exporter and TiKV mappings built on it. Every sample handed out
 * must have a well-formed name and NUL-terminated label strings of the
 * lengths given. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/metrics/exporter.h"
#include "analyzers/metrics/promtext.h"

static int on_sample(void *ctx, const struct promtext_sample *s)
{
	size_t i;

	(void)ctx;
	if (s->name_len == 0 || strlen(s->name) != s->name_len ||
	    s->nlabels > PROMTEXT_MAX_LABELS)
		abort();
	for (i = 0; i < s->nlabels; i++)
		if (s->labels[i].name[s->labels[i].name_len] != '\0' ||
		    s->labels[i].value[s->labels[i].value_len] != '\0')
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iostat_snapshot snap;
	struct task_sample *ts = NULL;
	struct tp_error err;
	size_t n = 0;
	int has;

	tp_error_init(&err);
	if (promtext_parse("fuzz", data, size, on_sample, NULL, NULL, &err) < 0 &&
	    strchr(err.msg, '\n'))
		abort();
	iostat_snapshot_init(&snap);
	(void)exporter_node_disks("fuzz", data, size, &snap, &has, &err);
	iostat_snapshot_free(&snap);
	if (exporter_tikv_threads("fuzz", data, size, &ts, &n, &err) == 0) {
		size_t i;

		for (i = 1; i < n; i++)
			if (ts[i - 1].tid >= ts[i].tid)
				abort();
	}
	free(ts);
	return 0;
}
