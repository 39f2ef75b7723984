/* pprof_driver.c - a small front end to the pprof library for
 * tests/e2e/pprof_corpus.sh (compiled by that script against libtiprof.a).
 *
 *   pprof_driver detect IN          "none", "raw" or "gzip" (pprof_detect)
 *   pprof_driver decode IN          "ok STACKS FRAMES" or the error (exit 1),
 *                                   then "maxrss KB"
 *   pprof_driver roundtrip IN OUT   decode IN, write it gzip'd to OUT
 *   pprof_driver reencode IN        decode, encode, decode, encode: the two
 *                                   encodings must be byte-identical
 *   pprof_driver top IN             "type T", "unit U", then "flat<TAB>cum<TAB>name" rows
 *                                   for the default sample type
 *   pprof_driver traces IN          one line per stack of the default sample
 *                                   type: "value<TAB>labels<TAB>frames", frames
 *                                   leaf first joined by "|", inlined ones
 *                                   suffixed " (inline)"; labels "k=v" sorted,
 *                                   string labels only; "numkeys K..." first
 *   pprof_driver bench IN N         decode N times, print MB/s of protobuf
 *   pprof_driver topbench IN N      decode once, top_compute N times
 */
#include <errno.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"
#include "analyzers/base/gzip.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"
#include "analyzers/model/top.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *d = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		perror(path);
		exit(2);
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			d = realloc(d, cap);
			if (!d)
				exit(2);
		}
		got = fread(d + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*len = n;
	return d;
}

static int print_rss;	/* decode: report the peak RSS */

static void rss(void)
{
	struct rusage ru;

	if (print_rss && getrusage(RUSAGE_SELF, &ru) == 0)
		printf("maxrss %ld\n", ru.ru_maxrss);
}

static struct profile *load(const char *path)
{
	struct tp_error err;
	struct profile *p = profile_new();
	size_t len;
	uint8_t *d = slurp(path, &len);
	char msg[1024];

	tp_error_init(&err);
	if (pprof_decode(d, len, NULL, p, &err) < 0) {
		snprintf(err.file, sizeof(err.file), "%s", path);
		printf("error %s\n", tp_error_format(&err, msg, sizeof(msg)));
		rss();
		exit(1);
	}
	free(d);
	return p;
}

static void encode(const struct profile *p, struct buf *b, int gz)
{
	struct tp_error err;
	char msg[1024];

	tp_error_init(&err);
	buf_init(b, 0);
	if (pprof_encode(p, b, gz, &err) < 0) {
		printf("encode error %s\n", tp_error_format(&err, msg, sizeof(msg)));
		exit(1);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void traces(const struct profile *p)
{
	int vi = top_default_index(p);
	size_t i, k, nl;
	struct buf keys;

	buf_init(&keys, 0);
	/* numeric label keys, so the script can skip their lines */
	for (i = 0; i < profile_nlabelsets(p); i++) {
		const struct label *l = profile_labelset_get(p, (uint32_t)i, &nl);

		for (k = 0; k < nl; k++) {
			const char *key = profile_str(p, l[k].key, NULL);

			if (!l[k].str && !strstr(keys.data ? keys.data : "", key)) {
				buf_putc(&keys, ' ');
				buf_puts(&keys, key);
				buf_putc(&keys, ' ');
			}
		}
	}
	printf("numkeys%s\n", keys.data ? keys.data : "");
	for (i = 0; i < profile_nstacks(p); i++) {
		struct stack_view sv;
		const struct label *l;
		char **ls;
		size_t nls = 0;

		profile_stack(p, i, &sv);
		for (k = 0; k < profile_nvalues(p) && sv.values[k] == 0; k++)
			;
		if (sv.nframes == 0 || k == profile_nvalues(p))
			continue;	/* pprof drops empty stacks and all-zero samples */
		printf("%lld\t", (long long)sv.values[vi]);
		/* "key=v1 v2" per key, as pprof prints them, keys sorted */
		l = profile_labelset_get(p, sv.labels, &nl);
		ls = calloc(nl + 1, sizeof(*ls));
		for (k = 0; k < nl; k++) {
			const char *key = profile_str(p, l[k].key, NULL);
			const char *val = profile_str(p, l[k].str, NULL);
			size_t j;
			char *s;

			if (!l[k].str)
				continue;
			for (j = 0; j < nls; j++)
				if (strncmp(ls[j], key, strlen(key)) == 0 &&
				    ls[j][strlen(key)] == '=')
					break;
			if (j < nls) {
				if (asprintf(&s, "%s %s", ls[j], val) < 0)
					exit(2);
				free(ls[j]);
				ls[j] = s;
			} else if (asprintf(&ls[nls++], "%s=%s", key, val) < 0) {
				exit(2);
			}
		}
		qsort(ls, nls, sizeof(*ls), cmp_str);
		for (k = 0; k < nls; k++) {
			printf("%s%s", k ? "," : "", ls[k]);
			free(ls[k]);
		}
		free(ls);
		putchar('\t');
		for (k = sv.nframes; k-- > 0;) {
			const struct frame *f = profile_frame_get(p, sv.frames[k]);

			printf("%s%s%s", k + 1 < sv.nframes ? "|" : "",
			       profile_str(p, f->name, NULL),
			       f->kind == FRAME_INLINED ? " (inline)" : "");
		}
		putchar('\n');
	}
	buf_free(&keys);
}

static void top(const struct profile *p)
{
	int vi = top_default_index(p);
	struct top_row *rows;
	struct tp_error err;
	size_t n, i;
	uint32_t unit;

	tp_error_init(&err);
	if (vi < 0 || top_compute(p, (size_t)vi, 0, &rows, &n, &err) < 0) {
		printf("top error %s\n", err.msg);
		exit(1);
	}
	printf("type %s\n", profile_str(p, profile_sample_type(p, (size_t)vi, &unit), NULL));
	printf("unit %s\n", profile_str(p, unit, NULL));
	for (i = 0; i < n; i++)
		printf("%lld\t%lld\t%s\n", (long long)rows[i].flat, (long long)rows[i].cum,
		       profile_str(p, rows[i].name, NULL));
	free(rows);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct profile *p;
	struct buf b1, b2;

	if (argc < 3) {
		fprintf(stderr, "usage: pprof_driver decode|roundtrip|reencode|top|traces|bench IN [OUT|N]\n");
		return 2;
	}
	if (strcmp(argv[1], "bench") == 0 || strcmp(argv[1], "topbench") == 0) {
		int n = argc > 3 ? atoi(argv[3]) : 5, i;
		size_t len, rawlen = 0;
		uint8_t *d = slurp(argv[2], &len), *raw;
		struct tp_error err;
		double t0, best = 1e9;

		if (gzip_detect(d, len) && gzip_decompress(d, len, NULL, &raw, &rawlen, &err) == 0)
			free(raw);
		else
			rawlen = len;
		p = load(argv[2]);
		for (i = 0; i < n; i++) {
			struct profile *q = profile_new();
			struct top_row *rows;
			size_t nr;

			t0 = now();
			if (argv[1][0] == 'b') {
				pprof_decode(d, len, NULL, q, &err);
			} else {
				top_compute(p, (size_t)top_default_index(p), 0, &rows, &nr, &err);
				free(rows);
			}
			if (now() - t0 < best)
				best = now() - t0;
			profile_free(q);
		}
		printf("%s: best of %d: %.1f ms, %.1f MB/s of protobuf (%zu bytes), %zu stacks\n",
		       argv[1], n, best * 1e3, rawlen / best / 1e6, rawlen, profile_nstacks(p));
		profile_free(p);
		free(d);
		return 0;
	}
	if (strcmp(argv[1], "detect") == 0) {
		size_t len;
		uint8_t *d = slurp(argv[2], &len);
		static const char *const kinds[] = { "none", "raw", "gzip" };

		printf("%s\n", kinds[pprof_detect(d, len)]);
		free(d);
		return 0;
	}
	print_rss = strcmp(argv[1], "decode") == 0;
	p = load(argv[2]);
	if (strcmp(argv[1], "decode") == 0) {
		size_t i, frames = 0;

		for (i = 0; i < profile_nstacks(p); i++) {
			struct stack_view sv;

			profile_stack(p, i, &sv);
			frames += sv.nframes;
		}
		printf("ok %zu %zu\n", profile_nstacks(p), frames);
		rss();
	} else if (strcmp(argv[1], "roundtrip") == 0 && argc > 3) {
		FILE *f = fopen(argv[3], "wb");

		encode(p, &b1, 1);
		if (!f || fwrite(b1.data, 1, b1.len, f) != b1.len || fclose(f) != 0) {
			perror(argv[3]);
			return 2;
		}
		buf_free(&b1);
	} else if (strcmp(argv[1], "reencode") == 0) {
		struct profile *q = profile_new();
		struct tp_error err;
		char msg[1024];

		encode(p, &b1, 0);
		tp_error_init(&err);
		if (pprof_decode((const uint8_t *)b1.data, b1.len, NULL, q, &err) < 0) {
			printf("re-decode error %s\n", tp_error_format(&err, msg, sizeof(msg)));
			return 1;
		}
		encode(q, &b2, 0);
		if (b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0) {
			printf("differs %zu %zu\n", b1.len, b2.len);
			return 1;
		}
		printf("same %zu\n", b1.len);
		profile_free(q);
		buf_free(&b1);
		buf_free(&b2);
	} else if (strcmp(argv[1], "top") == 0) {
		top(p);
	} else if (strcmp(argv[1], "traces") == 0) {
		traces(p);
	} else {
		fprintf(stderr, "pprof_driver: unknown command %s\n", argv[1]);
		return 2;
	}
	profile_free(p);
	return 0;
}
