/* fuzz_goroutine.c - libFuzzer target for goroutine dumps (debug=2).
 *
 * Every input is sniffed with goroutine_detect() and read with
 * goroutine_read(). A failure must come with one printable line, the
 * input's name and a line number (except "no goroutine header" for an
 * input without any), and one of the documented codes. A
 * success must be consistent: the goroutine count equals the profile
 * total, the sum over goroutine_groups() and over goroutine_states(), and
 * the profile must encode as profile.proto and decode again.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"
#include "analyzers/decode/goroutine.h"
#include "analyzers/base/linereader.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"

static void die(const char *what)
{
	fprintf(stderr, "fuzz_goroutine: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct goroutine_stats st;
	struct goroutine_group *g = NULL;
	struct goroutine_state *s = NULL;
	struct linereader *lr = NULL;
	struct profile *p = profile_new(), *q = NULL;
	struct tp_error err;
	struct buf enc;
	char msg[1024];
	size_t ng = 0, ns = 0, i;
	int64_t sum;
	int rc;

	buf_init(&enc, 0);
	(void)goroutine_detect((const char *)data, size);
	tp_error_init(&err);
	if (!p || linereader_open_mem(&lr, "fuzz", data, size, &err) < 0)
		die("setup failed");
	rc = goroutine_read(lr, p, &st, &err);
	if (rc < 0) {
		tp_error_format(&err, msg, sizeof(msg));
		if (strchr(msg, '\n') || !err.msg[0] || strcmp(err.file, "fuzz") != 0)
			die("bad error report");
		if (rc != -EBADMSG && rc != -E2BIG && rc != -EOVERFLOW && rc != -ENOMEM)
			die("unexpected error code");
		if (rc == -EBADMSG && err.line <= 0 && !strstr(err.msg, "no goroutine header"))
			die("no line number");
		goto out;
	}
	if ((uint64_t)profile_total(p, 0) != st.goroutines)
		die("total differs from the goroutine count");
	if (goroutine_groups(p, &g, &ng) < 0 || goroutine_states(p, &s, &ns) < 0)
		die("grouping failed");
	for (sum = 0, i = 0; i < ng; i++) {
		if (i && g[i].count > g[i - 1].count)
			die("groups out of order");
		sum += g[i].count;
	}
	if ((uint64_t)sum != st.goroutines)
		die("groups do not add up");
	for (sum = 0, i = 0; i < ns; i++)
		sum += s[i].count;
	if ((uint64_t)sum != st.goroutines)
		die("states do not add up");
	tp_error_init(&err);
	if (pprof_encode(p, &enc, 0, &err) < 0)
		die("encoding failed");
	q = profile_new();
	tp_error_init(&err);
	if (enc.len && pprof_decode((const uint8_t *)enc.data, enc.len, NULL, q, &err) < 0)
		die("the encoding does not decode");
	if (enc.len && profile_total(q, 0) != profile_total(p, 0))
		die("the encoding changes the total");
out:
	free(g);
	free(s);
	buf_free(&enc);
	linereader_close(lr);
	profile_free(p);
	profile_free(q);
	return 0;
}
