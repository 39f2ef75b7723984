/* fuzz_perfscript.c - libFuzzer target for the perf script decoder.
 *
 * The whole input is perf script text; its first byte (which is part of
 * the text too) picks one of four option sets, so every seed is run with
 * the options its first letter selects and mutations reach the others.
 * The collapsed profile is then written as folded text to /dev/null.
 * Option set 3 goes through perfscript_each() and checks what the
 * callback gets: at least the root frame, of kind FRAME_ROOT, and frame
 * ids that exist.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/error.h"
#include "analyzers/model/folded.h"
#include "analyzers/base/linereader.h"
#include "analyzers/decode/perfscript.h"
#include "analyzers/model/profile.h"

static FILE *devnull;

static void pick_options(uint8_t first, struct perfscript_opts *o)
{
	perfscript_opts_init(o);
	switch (first & 3) {
	case 0:		/* defaults, as stackcollapse-perf.pl */
		break;
	case 1:		/* --tid --all --addrs, keep a truncated last record */
		o->include_tid = 1;
		o->annotate_kernel = 1;
		o->annotate_jit = 1;
		o->include_addrs = 1;
		o->keep_truncated = 1;
		break;
	case 2:		/* --pid --group-threads tikv --repair-rust */
		o->include_pid = 1;
		o->group_tikv = 1;
		o->repair_rust = 1;
		o->event_filter = "cycles";
		break;
	default:	/* --kernel, event filter, via perfscript_each() */
		o->annotate_kernel = 1;
		o->keep_truncated = 1;
		o->event_filter = "cpu-clock";
		break;
	}
}

static int check_sample(void *ctx, struct profile *p, const uint32_t *frames,
			size_t n, int64_t period)
{
	uint64_t *count = ctx;
	const struct frame *root;

	if (n == 0 || n > PROFILE_MAX_DEPTH) {
		fprintf(stderr, "fuzz_perfscript: sample with %zu frames\n", n);
		abort();
	}
	for (size_t i = 0; i < n; i++) {
		if (frames[i] >= profile_nframes(p)) {
			fprintf(stderr, "fuzz_perfscript: frame id %u of %zu\n",
				frames[i], profile_nframes(p));
			abort();
		}
	}
	root = profile_frame_get(p, frames[0]);
	if (root->kind != FRAME_ROOT) {
		fprintf(stderr, "fuzz_perfscript: root frame of kind %u\n", root->kind);
		abort();
	}
	(void)period;
	(*count)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linereader *lr = NULL;
	struct perfscript_opts opts;
	struct perfscript_stats st;
	struct profile *p = NULL;
	struct tp_error err;
	uint64_t count = 0;
	char msg[1024];
	int rc;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	(void)perfscript_detect((const char *)data, size);
	(void)folded_detect((const char *)data, size);

	pick_options(size ? data[0] : 0, &opts);
	tp_error_init(&err);
	memset(&st, 0, sizeof(st));
	p = profile_new();
	if (!p)
		goto out;
	rc = linereader_open_mem(&lr, "fuzz.perf", data, size, &err);
	if (rc < 0)
		goto fail;
	if (size && (data[0] & 3) == 3) {
		rc = perfscript_each(lr, &opts, p, check_sample, &count, &st, &err);
		if (rc == 0 && count != st.samples) {
			fprintf(stderr, "fuzz_perfscript: %llu callbacks, stats say %llu samples\n",
				(unsigned long long)count, (unsigned long long)st.samples);
			abort();
		}
	} else {
		rc = perfscript_collapse(lr, &opts, p, &st, &err);
	}
	if (rc < 0)
		goto fail;
	tp_error_init(&err);
	(void)folded_write(p, -1, devnull, &err);
	goto out;
fail:
	/* An error must come with a message that is one printable line. */
	tp_error_format(&err, msg, sizeof(msg));
	if (msg[0] == 0 || strchr(msg, '\n')) {
		fprintf(stderr, "fuzz_perfscript: bad error message for %d: '%s'\n", rc, msg);
		abort();
	}
out:
	linereader_close(lr);
	profile_free(p);
	return 0;
}
