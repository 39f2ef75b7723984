/* fuzz_workload.c - libFuzzer target for the sysbench, go-ycsb and go-tpc
 * log parsers. Whatever the input, the result stays within its caps, every
 * operation name is NUL-terminated within its field, and no value is
 * infinite (the parser only keeps finite numbers). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/bundle/workload.h"

static void finite_or_nan(double v)
{
	if (isinf(v))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct workload w;
	struct tp_error err;
	size_t i;

	workload_init(&w);
	tp_error_init(&err);
	if (workload_parse_mem("fuzz", data, size, &w, &err) == 0) {
		if (w.nrows > WORKLOAD_MAX_ROWS || w.npoints > WORKLOAD_MAX_POINTS)
			abort();
		for (i = 0; i < w.nrows; i++) {
			const struct workload_row *r = &w.rows[i];

			if (memchr(r->op, '\0', sizeof(r->op)) == NULL)
				abort();
			finite_or_nan(r->count);
			finite_or_nan(r->rate);
			finite_or_nan(r->avg_ms);
			finite_or_nan(r->max_ms);
			finite_or_nan(r->errors);
		}
		for (i = 0; i < w.npoints; i++)
			finite_or_nan(w.points[i].rate);
		(void)workload_row(&w, "TOTAL");
	}
	workload_free(&w);
	return 0;
}
