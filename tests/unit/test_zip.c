/* test_zip.c - zip archives read through the central directory, entry
 * recognition, caps, errors, and the JSON and "Key: value" helpers. The
 * archives are built here byte by byte, the way Go's archive/zip writes
 * them (deflate, data descriptors, zero sizes in the local headers). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"
#include "analyzers/decode/zip.h"
#include "check.h"

struct zentry {
	const char *name;
	const void *data;
	size_t len;
	int deflate, descriptor;
	long declared;		/* >= 0: the size to declare instead */
	int bad_crc;
};

static void le16(struct buf *b, unsigned v)
{
	unsigned char c[2] = { (unsigned char)v, (unsigned char)(v >> 8) };

	buf_append(b, c, 2);
}

static void le32(struct buf *b, uint32_t v)
{
	le16(b, v & 0xffff);
	le16(b, v >> 16);
}

static size_t raw_deflate(const void *in, size_t len, unsigned char **out)
{
	z_stream z;
	size_t cap = compressBound((uLong)len) + 64;

	*out = malloc(cap);
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	deflate(&z, Z_FINISH);
	deflateEnd(&z);
	return cap - z.avail_out;
}

/* An archive of the entries into b. */
static void build(struct buf *b, const struct zentry *e, size_t n)
{
	struct buf cd;
	uint32_t off[16], crc[16], csz[16], usz[16];
	size_t i, cd_off;

	buf_init(b, 0);
	buf_init(&cd, 0);
	for (i = 0; i < n; i++) {
		unsigned char *d = NULL;
		size_t dl = e[i].len;
		unsigned flags = e[i].descriptor ? 8 : 0;

		crc[i] = (uint32_t)crc32(0, e[i].data, (uInt)e[i].len) ^ (e[i].bad_crc ? 1u : 0u);
		if (e[i].deflate)
			dl = raw_deflate(e[i].data, e[i].len, &d);
		csz[i] = (uint32_t)dl;
		usz[i] = (uint32_t)(e[i].declared >= 0 ? (size_t)e[i].declared : e[i].len);
		off[i] = (uint32_t)b->len;
		le32(b, 0x04034b50);
		le16(b, 20);
		le16(b, flags);
		le16(b, e[i].deflate ? 8 : 0);
		le16(b, 0);
		le16(b, 0);
		le32(b, e[i].descriptor ? 0 : crc[i]);
		le32(b, e[i].descriptor ? 0 : csz[i]);
		le32(b, e[i].descriptor ? 0 : usz[i]);
		le16(b, (unsigned)strlen(e[i].name));
		le16(b, 0);
		buf_append(b, e[i].name, strlen(e[i].name));
		buf_append(b, d ? (const void *)d : e[i].data, dl);
		if (e[i].descriptor) {
			le32(b, 0x08074b50);
			le32(b, crc[i]);
			le32(b, csz[i]);
			le32(b, usz[i]);
		}
		free(d);
		le32(&cd, 0x02014b50);
		le16(&cd, 20);
		le16(&cd, 20);
		le16(&cd, flags);
		le16(&cd, e[i].deflate ? 8 : 0);
		le16(&cd, 0);
		le16(&cd, 0);
		le32(&cd, crc[i]);
		le32(&cd, csz[i]);
		le32(&cd, usz[i]);
		le16(&cd, (unsigned)strlen(e[i].name));
		le16(&cd, 0);
		le16(&cd, 0);
		le16(&cd, 0);
		le16(&cd, 0);
		le32(&cd, 0);
		le32(&cd, off[i]);
		buf_append(&cd, e[i].name, strlen(e[i].name));
	}
	cd_off = b->len;
	buf_append(b, cd.data, cd.len);
	le32(b, 0x06054b50);
	le16(b, 0);
	le16(b, 0);
	le16(b, (unsigned)n);
	le16(b, (unsigned)n);
	le32(b, (uint32_t)cd.len);
	le32(b, (uint32_t)cd_off);
	le16(b, 0);
	buf_free(&cd);
}

/* A small gzip'd CPU profile. */
static void cpu_profile(struct buf *out)
{
	struct profile *p = profile_new();
	struct tp_error err;
	uint32_t f[2];
	int64_t v[2] = { 3, 30000000 };

	profile_add_sample_type(p, "samples", "count");
	profile_add_sample_type(p, "cpu", "nanoseconds");
	profile_frame_named(p, "main.main", 9, FRAME_USER, &f[0]);
	profile_frame_named(p, "main.work", 9, FRAME_USER, &f[1]);
	profile_add(p, f, 2, 0, v, NULL);
	buf_init(out, 0);
	tp_error_init(&err);
	CHECK_EQ_INT(pprof_encode(p, out, 1, &err), 0);
	profile_free(p);
}

static const char config[] = "{\n \"host\": \"0.0.0.0\",\n \"port\": 4000,\n"
			     " \"status\": {\n  \"status-port\": 10080\n }\n}";
static const char version[] = "Release Version: v7.5.0\nEdition: Community\n"
			      "Git Commit Hash: abc\nStore: tikv";
static const char dump[] = "goroutine 1 [running]:\nmain.main()\n\t/x.go:1 +0x1\n";

static void test_detect(void)
{
	CHECK(zip_detect("PK\3\4rest", 8));
	CHECK(zip_detect("PK\5\6", 4));
	CHECK(!zip_detect("PK\1\2", 4));
	CHECK(!zip_detect("PK", 2));
	CHECK(!zip_detect("\x1f\x8b", 2));
}

static void test_read(void)
{
	struct buf prof, z;
	struct zip_archive *za;
	struct tp_error err;
	uint8_t *data;
	size_t len, i;

	cpu_profile(&prof);
	{
		struct zentry e[] = {
			{ "goroutine", dump, sizeof(dump) - 1, 1, 1, -1, 0 },
			{ "profile", prof.data, prof.len, 1, 1, -1, 0 },
			{ "config", config, sizeof(config) - 1, 0, 0, -1, 0 },
			{ "../../etc/ver\x01sion", version, sizeof(version) - 1, 1, 1, -1, 0 },
		};

		build(&z, e, 4);
	}
	tp_error_init(&err);
	CHECK_EQ_INT(zip_archive_open(&za, z.data, z.len, "t.zip", &err), 0);
	if (!za)
		goto out;
	CHECK_EQ_INT(zip_archive_count(za), 4);
	CHECK_EQ_STR(zip_archive_entry(za, 0)->name, "goroutine");
	/* names are labels: control bytes shown as '?' */
	CHECK_EQ_STR(zip_archive_entry(za, 3)->name, "../../etc/ver?sion");
	CHECK_EQ_INT(zip_archive_entry(za, 1)->method, 8);
	CHECK_EQ_INT(zip_archive_entry(za, 1)->size, prof.len);
	CHECK_EQ_INT(zip_archive_find(za, "config"), 2);
	CHECK_EQ_INT(zip_archive_find(za, "nope"), -1);
	for (i = 0; i < 4; i++) {
		static const enum zip_content want[] = {
			ZIP_CONTENT_GOROUTINE, ZIP_CONTENT_PPROF, ZIP_CONTENT_CONFIG,
			ZIP_CONTENT_VERSION,
		};

		CHECK_EQ_INT(zip_archive_read(za, i, 0, 0, &data, &len, &err), 0);
		CHECK_EQ_INT(zip_sniff(data, len), want[i]);
		if (i == 1)
			CHECK(len == prof.len && memcmp(data, prof.data, len) == 0);
		if (i == 2)
			CHECK_EQ_STR((char *)data, config);
		free(data);
	}
	CHECK_EQ_STR(zip_content_name(ZIP_CONTENT_PPROF), "profile");
	/* the cap on one entry's size */
	CHECK_EQ_INT(zip_archive_read(za, 0, 10, 1, &data, &len, &err), -EFBIG);
	CHECK(data == NULL);
	CHECK(strstr(err.msg, "\"goroutine\"") && strstr(err.msg, "--max-size"));
	zip_archive_close(za);
out:
	buf_free(&z);
	buf_free(&prof);
}

static void test_errors(void)
{
	struct zip_archive *za;
	struct tp_error err;
	struct buf z;
	uint8_t *data;
	size_t len;
	char *big = calloc(1, 200000);

	/* a bad CRC: found when the entry is read */
	{
		struct zentry e[] = { { "heap", dump, sizeof(dump) - 1, 1, 1, -1, 1 } };

		build(&z, e, 1);
	}
	tp_error_init(&err);
	CHECK_EQ_INT(zip_archive_open(&za, z.data, z.len, "c.zip", &err), 0);
	if (za) {
		CHECK_EQ_INT(zip_archive_read(za, 0, 0, 0, &data, &len, &err), -EBADMSG);
		CHECK(strstr(err.msg, "\"heap\"") && strstr(err.msg, "CRC"));
		CHECK_EQ_STR(err.file, "c.zip");
		zip_archive_close(za);
	}
	/* cut short: no central directory */
	tp_error_init(&err);
	CHECK_EQ_INT(zip_archive_open(&za, z.data, z.len - 30, "cut.zip", &err), -EBADMSG);
	CHECK(za == NULL);
	CHECK(strstr(err.msg, "truncated") != NULL);
	buf_free(&z);
	/* not a zip at all */
	CHECK_EQ_INT(zip_archive_open(&za, "hello", 5, "x", &err), -EBADMSG);
	/* the directory understates the size: reading is still capped */
	{
		struct zentry e[] = { { "profile", big, 200000, 1, 1, 100, 0 } };

		build(&z, e, 1);
	}
	tp_error_init(&err);
	CHECK_EQ_INT(zip_archive_open(&za, z.data, z.len, "lie.zip", &err), 0);
	if (za) {
		int r = zip_archive_read(za, 0, 1000, 1, &data, &len, &err);

		CHECK(r == -EFBIG || r == -EBADMSG);
		CHECK(data == NULL);
		/* the ratio cap: 200 kB of zeros in a few hundred bytes is
		 * fine (under the 1 MiB floor) */
		zip_archive_close(za);
	}
	buf_free(&z);
	free(big);
}

struct collected {
	char text[2048];
};

static int collect(void *ctx, const char *path, const char *value, size_t vlen, int is_string)
{
	struct collected *c = ctx;
	size_t n = strlen(c->text);

	snprintf(c->text + n, sizeof(c->text) - n, "%s=%s%.*s;", path, is_string ? "\"" : "",
		 (int)vlen, value);
	return 0;
}

static int stop_at_port(void *ctx, const char *path, const char *value, size_t vlen,
			int is_string)
{
	(void)ctx;
	(void)value;
	(void)vlen;
	(void)is_string;
	return strcmp(path, "port") == 0 ? 7 : 0;
}

static void test_json(void)
{
	struct collected c;
	struct tp_error err;
	static const char j[] = "{\"a\": {\"b\": [1, {\"c\": \"x\\\"\\u00e9\\n\"}, []], \"d\": {}},"
				" \"e\": true, \"f\": null, \"g\": -1.5e3}";
	static const char *const bad[] = {
		"{", "{\"a\" 1}", "{\"a\": }", "[1, 2", "{\"a\": 1]", "{\"a\": 1} x",
		"{\"a\": \"\\q\"}", "{\"a\": \"\x01\"}", "{\"a\": \"unterminated}", "{1: 2}",
		"{\"a\": \"\xff\"}",
	};
	char deep[200];
	size_t i;

	memset(&c, 0, sizeof(c));
	tp_error_init(&err);
	CHECK_EQ_INT(zip_json_each(j, sizeof(j) - 1, collect, &c, &err), 0);
	CHECK_EQ_STR(c.text, "a.b[0]=1;a.b[1].c=\"x\"\xc3\xa9\n;e=true;f=null;g=-1500;");
	memset(&c, 0, sizeof(c));
	CHECK_EQ_INT(zip_json_each(config, sizeof(config) - 1, collect, &c, &err), 0);
	CHECK_EQ_STR(c.text, "host=\"0.0.0.0;port=4000;status.status-port=10080;");
	CHECK_EQ_INT(zip_json_each(config, sizeof(config) - 1, stop_at_port, NULL, &err), 7);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0, sizeof(c));
		tp_error_init(&err);
		if (zip_json_each(bad[i], strlen(bad[i]), collect, &c, &err) != -EBADMSG) {
			fprintf(stderr, "  accepted: %s\n", bad[i]);
			CHECK(0);
		}
		CHECK(err.offset >= 0 && strncmp(err.msg, "JSON: ", 6) == 0);
	}
	/* nesting is capped (no recursion either way) */
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	CHECK_EQ_INT(zip_json_each(deep, 200, collect, &c, &err), -EBADMSG);
	CHECK(strstr(err.msg, "deeper") != NULL);
	CHECK_EQ_INT(zip_json_each(deep + 40, 120, collect, &c, &err), 0);
}

static void test_text_field(void)
{
	char out[64];

	CHECK_EQ_INT(zip_text_field(version, sizeof(version) - 1, "Release Version", out, sizeof(out)), 1);
	CHECK_EQ_STR(out, "v7.5.0");
	CHECK_EQ_INT(zip_text_field(version, sizeof(version) - 1, "Store", out, sizeof(out)), 1);
	CHECK_EQ_STR(out, "tikv");
	CHECK_EQ_INT(zip_text_field(version, sizeof(version) - 1, "Release", out, sizeof(out)), 0);
	CHECK_EQ_INT(zip_text_field(version, sizeof(version) - 1, "Git Commit Hash", out, 3), 1);
	CHECK_EQ_STR(out, "ab");
}

/* The corpus's real TiDB-shaped debug zip, when the corpus is at hand. */
static void test_corpus(void)
{
	static const enum zip_content want[] = {
		ZIP_CONTENT_GOROUTINE, ZIP_CONTENT_PPROF, ZIP_CONTENT_PPROF, ZIP_CONTENT_PPROF,
		ZIP_CONTENT_CONFIG, ZIP_CONTENT_VERSION,
	};
	const char *corpus = getenv("CORPUS");
	char path[1024];
	struct zip_archive *za;
	struct tp_error err;
	struct buf all;
	FILE *fp;
	size_t i, n;

	snprintf(path, sizeof(path), "%s/pprof/go/debug.zip",
		 corpus && *corpus ? corpus : "../shared/corpus");
	fp = fopen(path, "rb");
	CHECK(fp != NULL);
	if (!fp)
		return;
	buf_init(&all, 0);
	buf_reserve(&all, 1 << 20);
	n = fread(all.data, 1, all.cap - 1, fp);
	fclose(fp);
	all.len = n;
	tp_error_init(&err);
	CHECK_EQ_INT(zip_archive_open(&za, all.data, all.len, "debug.zip", &err), 0);
	if (za) {
		CHECK_EQ_INT(zip_archive_count(za), 6);
		for (i = 0; i < zip_archive_count(za) && i < 6; i++) {
			uint8_t *data;
			size_t len;

			CHECK_EQ_INT(zip_archive_read(za, i, 0, 0, &data, &len, &err), 0);
			CHECK_EQ_INT(len, zip_archive_entry(za, i)->size);
			CHECK_EQ_INT(zip_sniff(data, len), want[i]);
			free(data);
		}
		zip_archive_close(za);
	}
	buf_free(&all);
}

int main(void)
{
	RUN(test_detect);
	RUN(test_read);
	RUN(test_errors);
	RUN(test_json);
	RUN(test_text_field);
	RUN(test_corpus);
	return CHECK_DONE();
}
