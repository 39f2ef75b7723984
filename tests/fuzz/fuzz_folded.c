/* fuzz_folded.c - libFuzzer target for the folded stack reader and writer.
 *
 * Every input is read with folded_read() and written back with
 * folded_write(). When the read succeeds, the written text must be a fixed
 * point: reading it again and writing that gives the same bytes, or the
 * target aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/error.h"
#include "analyzers/model/folded.h"
#include "analyzers/base/linereader.h"
#include "analyzers/model/profile.h"

static FILE *devnull;

/* Read data into a new profile; *out is NULL when reading failed, which
 * aborts when must_succeed is set. */
static int read_folded(const char *name, const void *data, size_t len,
		       int must_succeed, struct profile **out)
{
	struct linereader *lr = NULL;
	struct folded_stats st;
	struct tp_error err;
	struct profile *p;
	char msg[1024];
	int rc;

	*out = NULL;
	tp_error_init(&err);
	memset(&st, 0, sizeof(st));
	p = profile_new();
	if (!p)
		return -1;
	rc = linereader_open_mem(&lr, name, data, len, &err);
	if (rc == 0)
		rc = folded_read(lr, p, &st, &err);
	if (rc < 0) {
		/* The message must be one printable line. */
		tp_error_format(&err, msg, sizeof(msg));
		if (strchr(msg, '\n'))
			abort();
		if (must_succeed) {
			fprintf(stderr, "fuzz_folded: folded_write output does not read back: %s\n",
				msg);
			abort();
		}
		profile_free(p);
	} else {
		*out = p;
	}
	linereader_close(lr);
	return rc;
}

/* folded_write(p, -1) into a malloc'd buffer. */
static int write_folded(const struct profile *p, char **buf, size_t *len)
{
	struct tp_error err;
	FILE *f;
	int rc;

	*buf = NULL;
	*len = 0;
	tp_error_init(&err);
	f = open_memstream(buf, len);
	if (!f)
		return -1;
	rc = folded_write(p, -1, f, &err);
	if (fclose(f) != 0 && rc == 0)
		rc = -1;
	return rc;
}

/* Show where two outputs first differ, for the crash report. */
static void show_difference(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, from;

	while (i < alen && i < blen && a[i] == b[i])
		i++;
	from = i > 60 ? i - 60 : 0;
	fprintf(stderr, "first difference at byte %zu\npass 1: %.*s\npass 2: %.*s\n", i,
		(int)((alen - from) > 200 ? 200 : alen - from), a + from,
		(int)((blen - from) > 200 ? 200 : blen - from), b + from);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p1 = NULL, *p2 = NULL;
	char *out1 = NULL, *out2 = NULL;
	size_t len1 = 0, len2 = 0;
	struct tp_error err;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	(void)folded_detect((const char *)data, size);

	if (read_folded("fuzz.folded", data, size, 0, &p1) < 0)
		goto out;
	tp_error_init(&err);
	(void)folded_write(p1, 0, devnull, &err);
	if (profile_nvalues(p1) > 1)
		(void)folded_write(p1, 1, devnull, &err);

	/* Round trip: write, read back, write again: identical text. */
	if (write_folded(p1, &out1, &len1) < 0)
		goto out;
	read_folded("fuzz.pass1", out1, len1, 1, &p2);
	if (write_folded(p2, &out2, &len2) < 0)
		goto out;
	if (len1 != len2 || memcmp(out1, out2, len1) != 0) {
		fprintf(stderr, "fuzz_folded: round trip differs (%zu vs %zu bytes)\n",
			len1, len2);
		show_difference(out1, len1, out2, len2);
		abort();
	}
out:
	free(out1);
	free(out2);
	profile_free(p1);
	profile_free(p2);
	return 0;
}
