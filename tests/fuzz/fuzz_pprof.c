/* fuzz_pprof.c - libFuzzer target for the pprof decoder and encoder.
 *
 * Every input is sniffed with pprof_detect() and decoded with
 * pprof_decode() (gzip or raw, with an 8 MiB decompression cap so the
 * fuzzer's memory limit is never the thing that stops a bomb). A failure
 * must come with one printable line and one of the documented codes. A
 * success must survive the round trip: the profile is summed with
 * top_compute(), encoded, decoded again and encoded again, and the two
 * encodings must be byte-identical (and the gzip'd encoding must decode
 * to the same number of stacks), or the target aborts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"
#include "analyzers/model/top.h"

static const struct pprof_opts opts = { 8 << 20, 0 };

/* Decode data into a new profile; *out is NULL when decoding failed. */
static int decode(const void *data, size_t len, struct profile **out)
{
	struct tp_error err;
	struct profile *p;
	char msg[1024];
	int rc;

	*out = NULL;
	tp_error_init(&err);
	p = profile_new();
	if (!p)
		return -ENOMEM;
	rc = pprof_decode(data, len, &opts, p, &err);
	if (rc < 0) {
		tp_error_format(&err, msg, sizeof(msg));
		if (strchr(msg, '\n') || !err.msg[0] || err.code != rc) {
			fprintf(stderr, "fuzz_pprof: bad error report: %s\n", msg);
			abort();
		}
		if (rc != -EBADMSG && rc != -E2BIG && rc != -EFBIG && rc != -EOVERFLOW &&
		    rc != -ENOMEM) {
			fprintf(stderr, "fuzz_pprof: unexpected code %d: %s\n", rc, msg);
			abort();
		}
		profile_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void summarize(const struct profile *p)
{
	struct tp_error err;
	struct top_row *rows;
	int64_t total;
	size_t vi, n;

	(void)top_default_index(p);
	for (vi = 0; vi < profile_nvalues(p); vi++) {
		tp_error_init(&err);
		if (top_compute(p, vi, (int)(vi & 1), &rows, &n, &err) == 0)
			free(rows);
		(void)top_total(p, vi, &total, &err);
	}
}

static void encode(const struct profile *p, struct buf *b, int gz)
{
	struct tp_error err;

	buf_init(b, 0);
	tp_error_init(&err);
	if (pprof_encode(p, b, gz, &err) < 0) {
		fprintf(stderr, "fuzz_pprof: encoding failed: %s\n", err.msg);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p1 = NULL, *p2 = NULL, *p3 = NULL;
	struct buf e1, e2, gz;

	buf_init(&e1, 0);
	buf_init(&e2, 0);
	buf_init(&gz, 0);
	(void)pprof_detect(data, size);
	if (decode(data, size, &p1) < 0)
		goto out;
	summarize(p1);

	encode(p1, &e1, 0);
	if (decode(e1.data, e1.len, &p2) < 0) {
		fprintf(stderr, "fuzz_pprof: the encoding does not decode\n");
		abort();
	}
	encode(p2, &e2, 0);
	if (e1.len != e2.len || memcmp(e1.data, e2.data, e1.len) != 0) {
		fprintf(stderr, "fuzz_pprof: re-encoding differs (%zu vs %zu bytes)\n",
			e1.len, e2.len);
		abort();
	}
	encode(p1, &gz, 1);
	if (decode(gz.data, gz.len, &p3) < 0 ||
	    profile_nstacks(p3) != profile_nstacks(p1)) {
		fprintf(stderr, "fuzz_pprof: the gzip'd encoding does not decode\n");
		abort();
	}
out:
	buf_free(&e1);
	buf_free(&e2);
	buf_free(&gz);
	profile_free(p1);
	profile_free(p2);
	profile_free(p3);
	return 0;
}
