/* fuzz_zip.c - libFuzzer target for zip archives and their entries.
 *
 * Every input is opened with zip_archive_open(); every entry is read with
 * a 1 MiB cap (and the ratio cap), recognised with zip_sniff(), and
 * decoded the way `tiprof` decodes it: profile.proto with pprof_decode(),
 * goroutine dumps and debug=1 texts with their readers, config and
 * version JSON with zip_json_each(). Every failure must come with one
 * printable line and one of the documented codes; nothing may crash,
 * leak, or use more memory than the caps allow.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/error.h"
#include "analyzers/decode/goroutine.h"
#include "analyzers/decode/legacy.h"
#include "analyzers/base/linereader.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"
#include "analyzers/decode/zip.h"

static const struct pprof_opts opts = { 8 << 20, 0 };

static void check_error(int rc, const struct tp_error *err)
{
	char msg[1024];

	tp_error_format(err, msg, sizeof(msg));
	if (strchr(msg, '\n') || !err->msg[0]) {
		fprintf(stderr, "fuzz_zip: bad error report: %s\n", msg);
		abort();
	}
	if (rc != -EBADMSG && rc != -E2BIG && rc != -EFBIG && rc != -EOVERFLOW &&
	    rc != -ENOMEM && rc != -EINVAL) {
		fprintf(stderr, "fuzz_zip: unexpected code %d: %s\n", rc, msg);
		abort();
	}
}

static int scalar(void *ctx, const char *path, const char *value, size_t vlen, int is_string)
{
	(void)ctx;
	(void)is_string;
	if (strlen(value) != vlen && !memchr(value, 0, vlen)) {
		fprintf(stderr, "fuzz_zip: value length mismatch at %s\n", path);
		abort();
	}
	return 0;
}

static void entry(const uint8_t *d, size_t len)
{
	struct profile *p = profile_new();
	struct linereader *lr = NULL;
	struct tp_error err;
	int rc = 0;

	tp_error_init(&err);
	switch (zip_sniff(d, len)) {
	case ZIP_CONTENT_PPROF:
		rc = pprof_decode(d, len, &opts, p, &err);
		break;
	case ZIP_CONTENT_GOROUTINE:
		if (linereader_open_mem(&lr, "entry", d, len, &err) == 0)
			rc = goroutine_read(lr, p, NULL, &err);
		break;
	case ZIP_CONTENT_LEGACY:
		if (linereader_open_mem(&lr, "entry", d, len, &err) == 0)
			rc = legacy_read(lr, p, NULL, &err);
		break;
	case ZIP_CONTENT_CONFIG:
	case ZIP_CONTENT_VERSION:
		rc = zip_json_each((const char *)d, len, scalar, NULL, &err);
		if (rc == -EBADMSG && d[0] != '{')
			rc = 0;	/* version text, not JSON */
		break;
	default:
		break;
	}
	if (rc < 0)
		check_error(rc, &err);
	linereader_close(lr);
	profile_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zip_archive *za;
	struct tp_error err;
	size_t i;
	int rc;

	(void)zip_detect(data, size);
	tp_error_init(&err);
	rc = zip_archive_open(&za, data, size, "fuzz.zip", &err);
	if (rc < 0) {
		check_error(rc, &err);
		return 0;
	}
	for (i = 0; i < zip_archive_count(za); i++) {
		const struct zip_entry *e = zip_archive_entry(za, i);
		uint8_t *d;
		size_t len;

		if (strlen(e->name) >= ZIP_NAME_MAX) {
			fprintf(stderr, "fuzz_zip: entry name too long\n");
			abort();
		}
		(void)zip_archive_find(za, e->name);
		tp_error_init(&err);
		rc = zip_archive_read(za, i, 1 << 20, 0, &d, &len, &err);
		if (rc < 0) {
			check_error(rc, &err);
			continue;
		}
		if (len > (1 << 20)) {
			fprintf(stderr, "fuzz_zip: entry over the cap\n");
			abort();
		}
		entry(d, len);
		free(d);
	}
	zip_archive_close(za);
	return 0;
}
