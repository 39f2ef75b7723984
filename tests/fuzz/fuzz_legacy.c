/* fuzz_legacy.c - libFuzzer target for Go's debug=1 texts (legacy.h).
 *
 * Every input is sniffed with legacy_detect() and read with
 * legacy_read(). A failure must come with one printable line naming the
 * input and one of the documented codes; a success must encode as
 * profile.proto and decode again with the same totals.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"
#include "analyzers/decode/legacy.h"
#include "analyzers/base/linereader.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"

static void die(const char *what)
{
	fprintf(stderr, "fuzz_legacy: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct legacy_info li;
	struct linereader *lr = NULL;
	struct profile *p = profile_new(), *q = NULL;
	struct tp_error err;
	struct buf enc;
	char msg[1024];
	size_t i;
	int rc;

	buf_init(&enc, 0);
	(void)legacy_detect((const char *)data, size);
	tp_error_init(&err);
	if (!p || linereader_open_mem(&lr, "fuzz", data, size, &err) < 0)
		die("setup failed");
	rc = legacy_read(lr, p, &li, &err);
	if (rc < 0) {
		tp_error_format(&err, msg, sizeof(msg));
		if (strchr(msg, '\n') || !err.msg[0] || strcmp(err.file, "fuzz") != 0)
			die("bad error report");
		if (rc != -EBADMSG && rc != -E2BIG && rc != -EOVERFLOW && rc != -ENOMEM)
			die("unexpected error code");
		goto out;
	}
	if (li.records < li.dropped || li.records < li.symbolized)
		die("inconsistent record counts");
	tp_error_init(&err);
	if (pprof_encode(p, &enc, 1, &err) < 0)
		die("encoding failed");
	q = profile_new();
	tp_error_init(&err);
	if (pprof_decode((const uint8_t *)enc.data, enc.len, NULL, q, &err) < 0)
		die("the encoding does not decode");
	for (i = 0; i < profile_nvalues(p); i++)
		if (profile_total(q, i) != profile_total(p, i))
			die("the encoding changes a total");
out:
	buf_free(&enc);
	linereader_close(lr);
	profile_free(p);
	profile_free(q);
	return 0;
}
