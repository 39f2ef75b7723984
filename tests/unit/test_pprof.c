/* test_pprof.c - profile.proto decoding and encoding. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"
#include "analyzers/base/gzip.h"
#include "analyzers/decode/pprof.h"
#include "analyzers/model/profile.h"
#include "analyzers/decode/protobuf.h"
#include "analyzers/model/top.h"
#include "check.h"

/* ---- building profile.proto by hand ---- */

static void strings(struct buf *b, const char *const *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		pb_put_bytes(b, 6, s[i], strlen(s[i]));
}

static void value_type(struct buf *b, uint32_t field, uint64_t type, uint64_t unit)
{
	size_t m;

	pb_begin(b, field, &m);
	pb_put_uint(b, 1, type);
	pb_put_uint(b, 2, unit);
	pb_end(b, m);
}

static void mapping(struct buf *b, uint64_t id, uint64_t file)
{
	size_t m;

	pb_begin(b, 3, &m);
	pb_put_uint(b, 1, id);
	pb_put_uint(b, 2, 0x400000);
	pb_put_uint(b, 3, 0x800000);
	pb_put_uint(b, 5, file);
	pb_put_uint(b, 7, 1);
	pb_end(b, m);
}

static void function(struct buf *b, uint64_t id, uint64_t name, uint64_t file)
{
	size_t m;

	pb_begin(b, 5, &m);
	pb_put_uint(b, 1, id);
	pb_put_uint(b, 2, name);
	pb_put_uint(b, 3, name);
	pb_put_uint(b, 4, file);
	pb_end(b, m);
}

/* lines innermost first: fids[i] at line lines[i] */
static void location(struct buf *b, uint64_t id, uint64_t map, uint64_t addr,
		     const uint64_t *fids, size_t n)
{
	size_t m, lm, i;

	pb_begin(b, 4, &m);
	pb_put_uint(b, 1, id);
	if (map)
		pb_put_uint(b, 2, map);
	pb_put_uint(b, 3, addr);
	for (i = 0; i < n; i++) {
		pb_begin(b, 4, &lm);
		pb_put_uint(b, 1, fids[i]);
		pb_put_uint(b, 2, 10 + i);
		pb_end(b, lm);
	}
	pb_end(b, m);
}

static void sample(struct buf *b, const uint64_t *locs, size_t nl, const int64_t *vals,
		   size_t nv)
{
	uint64_t v[16];
	size_t m, i;

	for (i = 0; i < nv; i++)
		v[i] = (uint64_t)vals[i];
	pb_begin(b, 2, &m);
	pb_put_packed(b, 1, locs, nl);
	pb_put_packed(b, 2, v, nv);
	pb_end(b, m);
}

/* A valid profile: strings, 2 sample types, 1 mapping, 3 functions,
 * 2 locations (the second with an inlined call), 2 samples. */
static const char *const base_strs[] = { "", "samples", "count", "cpu", "nanoseconds",
	"/bin/app", "main", "work", "inl", "app.go", "key", "val", "bytes" };

static void base_profile(struct buf *b)
{
	static const uint64_t f1[] = { 1 }, f2[] = { 3, 2 };
	static const uint64_t s1[] = { 2, 1 }, s2[] = { 1 };
	static const int64_t v1[] = { 1, 10 }, v2[] = { 2, 20 };

	buf_init(b, 0);
	value_type(b, 1, 1, 2);
	value_type(b, 1, 3, 4);
	sample(b, s1, 2, v1, 2);
	sample(b, s2, 1, v2, 2);
	mapping(b, 1, 5);
	location(b, 1, 1, 0x401000, f1, 1);
	location(b, 2, 1, 0x402000, f2, 2);
	function(b, 1, 6, 9);
	function(b, 2, 7, 9);
	function(b, 3, 8, 9);
	strings(b, base_strs, sizeof(base_strs) / sizeof(base_strs[0]));
	pb_put_uint(b, 9, 1700000000000000000LL);
	pb_put_uint(b, 10, 30000000000LL);
	value_type(b, 11, 3, 4);
	pb_put_uint(b, 12, 10000000);
	pb_put_uint(b, 14, 3);
}

static int decode(const void *data, size_t len, struct profile **p, struct tp_error *err)
{
	int rc;

	*p = profile_new();
	tp_error_init(err);
	rc = pprof_decode(data, len, NULL, *p, err);
	if (rc < 0) {
		profile_free(*p);
		*p = NULL;
	}
	return rc;
}

/* Decoding must fail with code and a message containing want. */
static void expect_error(const struct buf *b, int code, const char *want)
{
	struct tp_error err;
	struct profile *p;

	CHECK_EQ_INT(decode(b->data, b->len, &p, &err), code);
	if (!strstr(err.msg, want)) {
		fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.msg, want);
		check_failed_++;
	}
}

static const char *name_of(const struct profile *p, uint32_t fid)
{
	return profile_str(p, profile_frame_get(p, fid)->name, NULL);
}

static const char *str(const struct profile *p, uint32_t sid)
{
	return profile_str(p, sid, NULL);
}

/* ---- decoding ---- */

static void test_decode_basic(void)
{
	const struct profile_meta *m;
	const struct frame *f;
	struct stack_view sv;
	struct tp_error err;
	struct profile *p;
	struct buf b;
	uint32_t unit;

	base_profile(&b);
	CHECK_EQ_INT(decode(b.data, b.len, &p, &err), 0);
	if (!p)
		return;
	CHECK_EQ_INT(profile_nvalues(p), 2);
	CHECK_EQ_STR(str(p, profile_sample_type(p, 1, &unit)), "cpu");
	CHECK_EQ_STR(str(p, unit), "nanoseconds");
	CHECK_EQ_INT(profile_nstacks(p), 2);
	/* sample 1: locations 2 (leaf, inlined inl into work), 1 (main) */
	profile_stack(p, 0, &sv);
	CHECK_EQ_INT(sv.nframes, 3);
	CHECK_EQ_STR(name_of(p, sv.frames[0]), "main");
	CHECK_EQ_STR(name_of(p, sv.frames[1]), "work");
	CHECK_EQ_STR(name_of(p, sv.frames[2]), "inl");
	CHECK_EQ_INT(profile_frame_get(p, sv.frames[1])->kind, FRAME_USER);
	f = profile_frame_get(p, sv.frames[2]);
	CHECK_EQ_INT(f->kind, FRAME_INLINED);
	CHECK(f->addr == 0x402000);
	CHECK_EQ_INT(f->line, 10);
	CHECK_EQ_INT(profile_frame_get(p, sv.frames[1])->line, 11);
	CHECK_EQ_STR(str(p, f->file), "app.go");
	CHECK_EQ_STR(str(p, f->module), "/bin/app");
	CHECK_EQ_INT(f->mapping, 1);
	CHECK(sv.values[0] == 1 && sv.values[1] == 10);
	profile_stack(p, 1, &sv);
	CHECK(sv.nframes == 1 && sv.values[1] == 20);
	/* mapping */
	CHECK_EQ_INT(profile_mapping_count(p), 1);
	CHECK(profile_mapping_get(p, 1)->start == 0x400000);
	CHECK(profile_mapping_get(p, 1)->limit == 0x800000);
	CHECK_EQ_INT(profile_mapping_get(p, 1)->flags, MAPPING_HAS_FUNCTIONS);
	/* meta */
	m = profile_meta_const(p);
	CHECK(m->time_nanos == 1700000000000000000LL);
	CHECK(m->duration_nanos == 30000000000LL);
	CHECK(m->period == 10000000);
	CHECK_EQ_STR(str(p, m->period_type), "cpu");
	CHECK_EQ_STR(str(p, m->period_unit), "nanoseconds");
	CHECK_EQ_STR(str(p, m->default_sample_type), "cpu");
	CHECK_EQ_INT(top_default_index(p), 1);
	profile_free(p);
	buf_free(&b);
}

static void test_decode_gzip_members(void)
{
	struct tp_error err;
	struct profile *p, *q;
	struct buf raw, gz, out1, out2;
	size_t half;

	base_profile(&raw);
	/* one profile split across two members, mid-message */
	buf_init(&gz, 0);
	half = raw.len / 2 + 3;
	CHECK_EQ_INT(gzip_compress(raw.data, half, 1, &gz, &err), 0);
	CHECK_EQ_INT(gzip_compress(raw.data + half, raw.len - half, 9, &gz, &err), 0);
	CHECK_EQ_INT(pprof_detect((uint8_t *)gz.data, gz.len), PPROF_GZIP);
	CHECK_EQ_INT(decode(gz.data, gz.len, &p, &err), 0);
	CHECK_EQ_INT(decode(raw.data, raw.len, &q, &err), 0);
	if (p && q) {
		buf_init(&out1, 0);
		buf_init(&out2, 0);
		CHECK_EQ_INT(pprof_encode(p, &out1, 0, &err), 0);
		CHECK_EQ_INT(pprof_encode(q, &out2, 0, &err), 0);
		CHECK(out1.len == out2.len && memcmp(out1.data, out2.data, out1.len) == 0);
		buf_free(&out1);
		buf_free(&out2);
	}
	profile_free(p);
	profile_free(q);
	/* errors inside the gzip data name the decompressed offset */
	buf_reset(&gz);
	buf_append(&raw, "\x0b", 1);	/* a group: not allowed */
	CHECK_EQ_INT(gzip_compress(raw.data, raw.len, 1, &gz, &err), 0);
	expect_error(&gz, -EBADMSG, "decompressed profile: field 1: wire type 3 (group start)");
	buf_free(&raw);
	/* caps pass through */
	{
		struct pprof_opts o = { 10, 0 };

		p = profile_new();
		tp_error_init(&err);
		CHECK_EQ_INT(pprof_decode((uint8_t *)gz.data, gz.len, &o, p, &err), -EFBIG);
		CHECK_EQ_STR(err.msg, "decompressed size exceeds 10 bytes (use --max-size)");
		profile_free(p);
	}
	buf_free(&gz);
}

static void test_sparse_ids(void)
{
	static const uint64_t f[] = { (uint64_t)1 << 40 }, l[] = { 1000000, 5 };
	static const int64_t v[] = { 7 };
	static const char *const s[] = { "", "n", "u", "fn", "/lib/libc.so.6" };
	struct stack_view sv;
	struct tp_error err;
	struct profile *p;
	struct buf b;

	buf_init(&b, 0);
	strings(&b, s, 5);
	value_type(&b, 1, 1, 2);
	sample(&b, l, 2, v, 1);
	mapping(&b, 77, 4);
	location(&b, 1000000, 77, 0x10, f, 1);
	location(&b, 5, 77, 0x20, NULL, 0);	/* no lines: "[libc.so.6]" */
	function(&b, (uint64_t)1 << 40, 3, 0);
	CHECK_EQ_INT(decode(b.data, b.len, &p, &err), 0);
	if (p) {
		profile_stack(p, 0, &sv);
		CHECK_EQ_INT(sv.nframes, 2);
		CHECK_EQ_STR(name_of(p, sv.frames[0]), "[libc.so.6]");
		CHECK_EQ_STR(name_of(p, sv.frames[1]), "fn");
		CHECK(profile_frame_get(p, sv.frames[0])->addr == 0x20);
		profile_free(p);
	}
	buf_free(&b);
}

static void test_placeholders(void)
{
	static const uint64_t zero[] = { 0 }, named[] = { 1 }, unnamed[] = { 2 };
	static const uint64_t l[] = { 1, 2, 3, 4 };
	static const int64_t v[] = { 1 };
	static const char *const s[] = { "", "n", "u", "f", "/a/b/" };
	struct stack_view sv;
	struct tp_error err;
	struct profile *p;
	struct buf b, ph;

	buf_init(&b, 0);
	strings(&b, s, 5);
	value_type(&b, 1, 1, 2);
	sample(&b, l, 4, v, 1);
	mapping(&b, 1, 4);
	location(&b, 1, 0, 0x1, NULL, 0);	/* no mapping, no lines */
	location(&b, 2, 1, 0x2, zero, 1);	/* line without function */
	location(&b, 3, 1, 0x3, unnamed, 1);	/* function without name */
	location(&b, 4, 0, 0x4, named, 1);
	function(&b, 1, 3, 0);
	function(&b, 2, 0, 0);
	CHECK_EQ_INT(decode(b.data, b.len, &p, &err), 0);
	if (p) {
		profile_stack(p, 0, &sv);
		CHECK_EQ_INT(sv.nframes, 4);
		CHECK_EQ_STR(name_of(p, sv.frames[0]), "f");
		CHECK_EQ_STR(name_of(p, sv.frames[1]), "[b]");
		CHECK_EQ_STR(name_of(p, sv.frames[2]), "[b]");
		CHECK_EQ_STR(name_of(p, sv.frames[3]), "<unknown>");
		profile_free(p);
	}
	buf_free(&b);
	/* Go's filepath.Base rules */
	buf_init(&ph, 0);
	CHECK_EQ_INT(pprof_placeholder("", 0, &ph), 0);
	CHECK_EQ_STR(ph.data, "<unknown>");
	pprof_placeholder("/usr/lib/libc.so", 16, &ph);
	CHECK_EQ_STR(ph.data, "[libc.so]");
	pprof_placeholder("app", 3, &ph);
	CHECK_EQ_STR(ph.data, "[app]");
	pprof_placeholder("///", 3, &ph);
	CHECK_EQ_STR(ph.data, "[/]");
	pprof_placeholder("x//", 3, &ph);
	CHECK_EQ_STR(ph.data, "[x]");
	buf_free(&ph);
}

static void test_packed_unpacked_mixed(void)
{
	static const char *const s[] = { "", "n", "u", "a", "b", "c" };
	static const uint64_t fa[] = { 1 }, fb[] = { 2 }, fc[] = { 3 }, l12[] = { 1, 2 };
	struct stack_view sv;
	struct tp_error err;
	struct profile *p;
	struct buf b;
	size_t m;

	buf_init(&b, 0);
	strings(&b, s, 6);
	value_type(&b, 1, 1, 2);
	pb_begin(&b, 2, &m);
	pb_put_packed(&b, 1, l12, 2);		/* leaf c... */
	pb_put_uint(&b, 2, 4);			/* value, unpacked */
	pb_put_uint(&b, 1, 3);			/* ... then root, unpacked */
	pb_end(&b, m);
	location(&b, 1, 0, 1, fc, 1);
	location(&b, 2, 0, 2, fb, 1);
	location(&b, 3, 0, 3, fa, 1);
	function(&b, 1, 3, 0);
	function(&b, 2, 4, 0);
	function(&b, 3, 5, 0);
	CHECK_EQ_INT(decode(b.data, b.len, &p, &err), 0);
	if (p) {
		profile_stack(p, 0, &sv);
		CHECK_EQ_INT(sv.nframes, 3);
		CHECK_EQ_STR(name_of(p, sv.frames[0]), "a");	/* root: location 3 */
		CHECK_EQ_STR(name_of(p, sv.frames[1]), "b");
		CHECK_EQ_STR(name_of(p, sv.frames[2]), "c");
		CHECK(sv.values[0] == 4);
		profile_free(p);
	}
	buf_free(&b);
}

static void test_labels(void)
{
	static const char *const s[] = { "", "n", "u", "f", "thread", "grpc", "bytes",
		"B", "empty", "" };
	static const uint64_t f[] = { 1 }, l[] = { 1 };
	const struct label *lab;
	struct stack_view sv;
	struct tp_error err;
	struct profile *p;
	struct buf b;
	size_t m, lm, n, i;
	int seen = 0;

	buf_init(&b, 0);
	strings(&b, s, 10);
	value_type(&b, 1, 1, 2);
	pb_begin(&b, 2, &m);
	pb_put_packed(&b, 1, l, 1);
	pb_put_uint(&b, 2, 1);
	pb_begin(&b, 3, &lm);			/* thread=grpc */
	pb_put_uint(&b, 1, 4);
	pb_put_uint(&b, 2, 5);
	pb_put_uint(&b, 3, 99);			/* num ignored with a str */
	pb_end(&b, lm);
	pb_begin(&b, 3, &lm);			/* bytes=-4096 B */
	pb_put_uint(&b, 1, 6);
	pb_put_uint(&b, 3, (uint64_t)-4096);
	pb_put_uint(&b, 4, 7);
	pb_end(&b, lm);
	pb_begin(&b, 3, &lm);			/* all zero: dropped */
	pb_put_uint(&b, 1, 8);
	pb_end(&b, lm);
	pb_begin(&b, 3, &lm);			/* "" at index 9: dropped */
	pb_put_uint(&b, 1, 8);
	pb_put_uint(&b, 2, 9);
	pb_end(&b, lm);
	pb_end(&b, m);
	location(&b, 1, 0, 1, f, 1);
	function(&b, 1, 3, 0);
	CHECK_EQ_INT(decode(b.data, b.len, &p, &err), 0);
	if (p) {
		profile_stack(p, 0, &sv);
		lab = profile_labelset_get(p, sv.labels, &n);
		CHECK_EQ_INT(n, 2);
		for (i = 0; i < n; i++) {
			if (strcmp(str(p, lab[i].key), "thread") == 0) {
				CHECK_EQ_STR(str(p, lab[i].str), "grpc");
				seen |= 1;
			} else if (strcmp(str(p, lab[i].key), "bytes") == 0) {
				CHECK(lab[i].str == 0 && lab[i].num == -4096);
				CHECK_EQ_STR(str(p, lab[i].unit), "B");
				seen |= 2;
			}
		}
		CHECK_EQ_INT(seen, 3);
		profile_free(p);
	}
	buf_free(&b);
}

static void test_merge_and_overflow(void)
{
	static const char *const s[] = { "", "n", "u", "f" };
	static const uint64_t f[] = { 1 }, l[] = { 1 };
	static const int64_t big[] = { INT64_MAX }, neg[] = { -5 }, one[] = { 1 };
	struct stack_view sv;
	struct tp_error err;
	struct profile *p;
	struct buf b;

	buf_init(&b, 0);
	strings(&b, s, 4);
	value_type(&b, 1, 1, 2);
	location(&b, 1, 0, 1, f, 1);
	function(&b, 1, 3, 0);
	sample(&b, l, 1, big, 1);
	sample(&b, l, 1, neg, 1);
	CHECK_EQ_INT(decode(b.data, b.len, &p, &err), 0);
	if (p) {
		CHECK_EQ_INT(profile_nstacks(p), 1);
		profile_stack(p, 0, &sv);
		CHECK(sv.values[0] == INT64_MAX - 5);
		profile_free(p);
	}
	sample(&b, l, 1, one, 1);
	sample(&b, l, 1, big, 1);
	expect_error(&b, -EOVERFLOW, "sample 4: adding it to an identical earlier sample "
		     "overflows int64");
	buf_free(&b);
}

/* Each case: a valid profile with one thing broken. */
static void test_malformed(void)
{
	static const char *const s[] = { "", "n", "u", "f" };
	static const uint64_t f1[] = { 1 }, f9[] = { 9 }, l1[] = { 1 }, l7[] = { 7 };
	static const int64_t v1[] = { 1 }, v2[] = { 1, 2 };
	struct buf b;
	int i;

#define START() do { buf_init(&b, 0); strings(&b, s, 4); value_type(&b, 1, 1, 2); \
		function(&b, 1, 3, 0); } while (0)
	/* value count */
	START();
	location(&b, 1, 0, 1, f1, 1);
	sample(&b, l1, 1, v1, 1);
	sample(&b, l1, 1, v2, 2);
	expect_error(&b, -EBADMSG, "sample 2 has 2 values, expected 1 (sample_type count)");
	buf_free(&b);
	/* dangling ids */
	START();
	location(&b, 1, 0, 1, f1, 1);
	sample(&b, l7, 1, v1, 1);
	expect_error(&b, -EBADMSG, "sample 1 references location 7, which does not exist");
	buf_free(&b);
	START();
	location(&b, 1, 3, 1, f1, 1);
	expect_error(&b, -EBADMSG, "location 1 (id 1) references mapping 3, which does not exist");
	buf_free(&b);
	START();
	location(&b, 1, 0, 1, f9, 1);
	expect_error(&b, -EBADMSG, "location 1 line 1 references function 9");
	buf_free(&b);
	/* id 0 and duplicates, for each kind */
	START();
	function(&b, 1, 3, 0);
	expect_error(&b, -EBADMSG, "function 2: duplicate function id 1");
	buf_free(&b);
	START();
	function(&b, 0, 3, 0);
	expect_error(&b, -EBADMSG, "function 2 has id 0 (reserved)");
	buf_free(&b);
	START();
	mapping(&b, 4, 0);
	mapping(&b, 4, 0);
	expect_error(&b, -EBADMSG, "mapping 2: duplicate mapping id 4");
	buf_free(&b);
	START();
	mapping(&b, 0, 0);
	expect_error(&b, -EBADMSG, "mapping 1 has id 0");
	buf_free(&b);
	START();
	location(&b, 1 << 20, 0, 1, f1, 1);
	location(&b, 1 << 20, 0, 1, f1, 1);
	expect_error(&b, -EBADMSG, "location 2: duplicate location id 1048576");
	buf_free(&b);
	/* string indexes everywhere */
	for (i = 0; i < 9; i++) {
		size_t m;

		START();
		switch (i) {
		case 0: value_type(&b, 1, 4, 2); break;
		case 1: mapping(&b, 1, 4); break;
		case 2: function(&b, 2, 3, (uint64_t)-1); break;
		case 3: pb_put_uint(&b, 7, 4); break;
		case 4: pb_put_uint(&b, 8, (uint64_t)-2); break;
		case 5: pb_put_uint(&b, 13, 4); break;
		case 6: pb_put_uint(&b, 14, 400); break;
		case 7: value_type(&b, 11, 1, 4); break;
		case 8:
			location(&b, 1, 0, 1, f1, 1);
			pb_begin(&b, 2, &m);
			pb_put_uint(&b, 1, 1);
			pb_put_uint(&b, 2, 1);
			{
				size_t lm;

				pb_begin(&b, 3, &lm);
				pb_put_uint(&b, 1, 1);
				pb_put_uint(&b, 4, 4);
				pb_end(&b, lm);
			}
			pb_end(&b, m);
			break;
		}
		expect_error(&b, -EBADMSG, "string index");
		buf_free(&b);
	}
	/* string table */
	buf_init(&b, 0);
	pb_put_bytes(&b, 6, "x", 1);
	expect_error(&b, -EBADMSG, "string_table[0] must be \"\", is \"x\"");
	buf_reset(&b);
	value_type(&b, 1, 0, 0);
	expect_error(&b, -EBADMSG, "no string table");
	buf_free(&b);
	/* samples without sample types */
	buf_init(&b, 0);
	strings(&b, s, 4);
	sample(&b, NULL, 0, NULL, 0);
	expect_error(&b, -EBADMSG, "1 samples but no sample_type");
	buf_free(&b);
	/* concatenated profiles */
	START();
	pb_put_uint(&b, 9, 5);
	pb_put_uint(&b, 9, 6);
	expect_error(&b, -EBADMSG, "time_nanos appears twice");
	buf_free(&b);
	/* wrong wire types */
	START();
	pb_put_bytes(&b, 12, "x", 1);
	expect_error(&b, -EBADMSG, "period (field 12): wire type 2, expected 0");
	buf_free(&b);
	START();
	pb_put_uint(&b, 2, 1);
	expect_error(&b, -EBADMSG, "sample (field 2): wire type 0, expected 2");
	buf_free(&b);
	START();
	{
		size_t m;

		pb_begin(&b, 2, &m);
		pb_put_varint(&b, 2 << 3 | 1);		/* value as fixed64 */
		buf_append(&b, "\1\0\0\0\0\0\0\0", 8);
		pb_end(&b, m);
	}
	expect_error(&b, -EBADMSG, "sample 1: value (field 2) has wire type 1");
	buf_free(&b);
	/* more sample types than the model holds */
	START();
	for (i = 0; i < PROFILE_MAX_VALUES; i++)
		value_type(&b, 1, 1, 2);
	expect_error(&b, -E2BIG, "more sample types");
	buf_free(&b);
	/* empty input, text, gzip of nothing */
	buf_init(&b, 0);
	expect_error(&b, -EBADMSG, "empty input");
	buf_append(&b, "main;foo 12\n", 12);
	expect_error(&b, -EBADMSG, "not a pprof profile");
	buf_reset(&b);
	{
		struct tp_error err;

		gzip_compress("", 0, 1, &b, &err);
	}
	expect_error(&b, -EBADMSG, "decompresses to 0 bytes");
	buf_free(&b);
#undef START
}

static void test_unknown_fields(void)
{
	static const char *const s[] = { "", "n", "u", "f" };
	static const uint64_t f1[] = { 1 }, l1[] = { 1 };
	static const int64_t v1[] = { 3 };
	struct tp_error err;
	struct profile *p;
	struct buf b;
	size_t m;

	buf_init(&b, 0);
	pb_put_uint(&b, 100, 5);			/* varint */
	pb_put_varint(&b, 101 << 3 | 1);		/* fixed64 */
	buf_append(&b, "12345678", 8);
	pb_put_bytes(&b, 102, "abc", 3);		/* bytes */
	pb_put_varint(&b, 103 << 3 | 5);		/* fixed32 */
	buf_append(&b, "1234", 4);
	pb_put_uint(&b, 15, 1);				/* doc_url */
	strings(&b, s, 4);
	value_type(&b, 1, 1, 2);
	pb_begin(&b, 4, &m);				/* location with extras */
	pb_put_uint(&b, 1, 1);
	pb_put_uint(&b, 5, 1);				/* is_folded */
	pb_put_bytes(&b, 50, "zz", 2);
	{
		size_t lm;

		pb_begin(&b, 4, &lm);
		pb_put_uint(&b, 1, 1);
		pb_put_uint(&b, 3, 7);			/* column */
		pb_put_uint(&b, 9, 9);
		pb_end(&b, lm);
	}
	pb_end(&b, m);
	function(&b, 1, 3, 0);
	sample(&b, l1, 1, v1, 1);
	(void)f1;
	CHECK_EQ_INT(decode(b.data, b.len, &p, &err), 0);
	if (p) {
		CHECK_EQ_INT(profile_nstacks(p), 1);
		profile_free(p);
	}
	buf_free(&b);
}

/* Inlined frames repeated many times: refused before memory explodes. */
static void test_expansion_limits(void)
{
	static const char *const s[] = { "", "n", "u", "f" };
	static const int64_t v1[] = { 1 };
	uint64_t *fids = malloc(1000 * sizeof(*fids)), *locs = malloc(1100 * sizeof(*locs));
	struct buf b;
	size_t i;

	for (i = 0; i < 1000; i++)
		fids[i] = 1;
	for (i = 0; i < 1100; i++)
		locs[i] = 1;
	buf_init(&b, 0);
	strings(&b, s, 4);
	value_type(&b, 1, 1, 2);
	function(&b, 1, 3, 0);
	location(&b, 1, 0, 1, fids, 1000);
	sample(&b, locs, 1100, v1, 1);		/* 1.1 million frames deep */
	expect_error(&b, -E2BIG, "deeper than 1048576 frames");
	buf_reset(&b);
	strings(&b, s, 4);
	value_type(&b, 1, 1, 2);
	function(&b, 1, 3, 0);
	location(&b, 1, 0, 1, fids, 1000);
	for (i = 0; i < 3; i++)
		sample(&b, locs, 900 + i, v1, 1);	/* 2.7 million frames from ~7 KB */
	expect_error(&b, -E2BIG, "too many frames");
	buf_free(&b);
	free(fids);
	free(locs);
}

static void test_detect(void)
{
	struct buf b, gz;
	struct tp_error err;

	base_profile(&b);
	CHECK_EQ_INT(pprof_detect((uint8_t *)b.data, b.len), PPROF_RAW);
	buf_init(&gz, 0);
	gzip_compress(b.data, b.len, 6, &gz, &err);
	CHECK_EQ_INT(pprof_detect((uint8_t *)gz.data, gz.len), PPROF_GZIP);
	/* a short buffer is looked at whole, a long one by its start */
	CHECK_EQ_INT(pprof_detect((uint8_t *)b.data, 7), PPROF_NONE);
	{
		static char big[10000];

		memset(big, 'x', sizeof(big));
		buf_reset(&b);
		value_type(&b, 1, 1, 2);
		pb_put_bytes(&b, 6, "", 0);
		pb_put_bytes(&b, 6, big, sizeof(big));
		CHECK_EQ_INT(pprof_detect((uint8_t *)b.data, b.len), PPROF_RAW);
		buf_reset(&gz);
		gzip_compress(b.data, b.len, 6, &gz, &err);
		CHECK_EQ_INT(pprof_detect((uint8_t *)gz.data, gz.len), PPROF_GZIP);
	}
	CHECK_EQ_INT(pprof_detect((const uint8_t *)"", 0), PPROF_NONE);
	CHECK_EQ_INT(pprof_detect((const uint8_t *)"main;a;b 10\n", 12), PPROF_NONE);
	CHECK_EQ_INT(pprof_detect((const uint8_t *)"PK\3\4\24\0\10\0", 8), PPROF_NONE);
	CHECK_EQ_INT(pprof_detect((const uint8_t *)"goroutine 1 [running]:\n", 23),
		     PPROF_NONE);
	buf_reset(&gz);
	gzip_compress("perf script text\n", 17, 6, &gz, &err);
	CHECK_EQ_INT(pprof_detect((uint8_t *)gz.data, gz.len), PPROF_NONE);
	buf_free(&gz);
	buf_free(&b);
}

/* ---- encoding ---- */

static uint32_t S(struct profile *p, const char *s)
{
	uint32_t id = 0;

	profile_intern(p, s, strlen(s), &id);
	return id;
}

static uint32_t F(struct profile *p, const char *name, const char *mod, uint64_t addr,
		  uint32_t mapping, enum frame_kind kind)
{
	struct frame f;
	uint32_t id = 0;

	memset(&f, 0, sizeof(f));
	f.name = S(p, name);
	f.module = S(p, mod);
	f.file = name[0] == '[' ? 0 : S(p, "x.c");
	f.line = name[0] == '[' ? 0 : 42;
	f.addr = addr;
	f.mapping = mapping;
	f.kind = kind;
	profile_frame(p, &f, &id);
	return id;
}

static struct profile *model_profile(void)
{
	struct profile *p = profile_new();
	struct profile_meta *m = profile_meta(p);
	struct mapping mp;
	struct label l[2];
	uint32_t map, st[6], lid;
	int64_t v[2] = { 3, -30 };

	profile_add_sample_type(p, "samples", "count");
	profile_add_sample_type(p, "cpu", "nanoseconds");
	memset(&mp, 0, sizeof(mp));
	mp.start = 0x1000;
	mp.limit = 0x9000;
	mp.offset = 0x100;
	mp.filename = S(p, "/bin/tikv-server");
	mp.build_id = S(p, "abc123");
	mp.flags = MAPPING_HAS_FUNCTIONS | MAPPING_HAS_INLINE_FRAMES;
	profile_mapping_add(p, &mp, &map);
	st[0] = F(p, "root", "", 0, 0, FRAME_ROOT);
	st[1] = F(p, "caller", "/bin/tikv-server", 0x1234, map, FRAME_USER);
	st[2] = F(p, "inlined1", "/bin/tikv-server", 0x1234, map, FRAME_INLINED);
	st[3] = F(p, "inlined2", "/bin/tikv-server", 0x1234, map, FRAME_INLINED);
	st[4] = F(p, "[libc.so.6]", "/lib/libc.so.6", 0x77, 0, FRAME_USER);
	st[5] = F(p, "kfunc", "[kernel.kallsyms]", 0, 0, FRAME_KERNEL);
	memset(l, 0, sizeof(l));
	l[0].key = S(p, "thread");
	l[0].str = S(p, "raftstore");
	l[1].key = S(p, "bytes");
	l[1].num = 4096;
	l[1].unit = S(p, "bytes");
	profile_labelset(p, l, 2, &lid);
	profile_add(p, st, 6, lid, v, NULL);
	v[0] = 0;
	v[1] = INT64_MIN;
	profile_add(p, st, 2, 0, v, NULL);
	profile_add(p, st, 0, 0, v, NULL);	/* empty stack */
	m->period_type = S(p, "cpu");
	m->period_unit = S(p, "nanoseconds");
	m->period = 10101010;
	m->time_nanos = 123;
	m->duration_nanos = 456;
	m->default_sample_type = S(p, "samples");
	m->drop_frames = S(p, "runtime\\..*");
	m->keep_frames = S(p, "runtime\\.keep");
	profile_add_comment(p, S(p, "first comment"));
	profile_add_comment(p, S(p, "second"));
	return p;
}

static void test_encode_roundtrip(void)
{
	const struct profile_meta *m;
	const struct label *lab;
	const struct frame *f;
	struct stack_view sv;
	struct tp_error err;
	struct profile *p = model_profile(), *q;
	struct buf raw, gz, again;
	size_t n;
	uint32_t unit;

	buf_init(&raw, 0);
	buf_init(&gz, 0);
	buf_init(&again, 0);
	tp_error_init(&err);
	CHECK_EQ_INT(pprof_encode(p, &raw, 0, &err), 0);
	CHECK_EQ_INT(pprof_encode(p, &gz, 1, &err), 0);
	CHECK(gzip_detect(gz.data, gz.len));
	CHECK_EQ_INT(decode(gz.data, gz.len, &q, &err), 0);
	if (!q)
		goto out;
	CHECK_EQ_INT(profile_nvalues(q), 2);
	CHECK_EQ_STR(str(q, profile_sample_type(q, 0, &unit)), "samples");
	CHECK_EQ_STR(str(q, unit), "count");
	CHECK_EQ_INT(profile_nstacks(q), 3);
	profile_stack(q, 0, &sv);
	CHECK_EQ_INT(sv.nframes, 6);
	CHECK(sv.values[0] == 3 && sv.values[1] == -30);
	CHECK_EQ_STR(name_of(q, sv.frames[0]), "root");
	CHECK_EQ_STR(name_of(q, sv.frames[1]), "caller");
	CHECK_EQ_STR(name_of(q, sv.frames[2]), "inlined1");
	CHECK_EQ_STR(name_of(q, sv.frames[3]), "inlined2");
	CHECK_EQ_STR(name_of(q, sv.frames[4]), "[libc.so.6]");
	CHECK_EQ_STR(name_of(q, sv.frames[5]), "kfunc");
	CHECK_EQ_INT(profile_frame_get(q, sv.frames[1])->kind, FRAME_USER);
	CHECK_EQ_INT(profile_frame_get(q, sv.frames[2])->kind, FRAME_INLINED);
	CHECK_EQ_INT(profile_frame_get(q, sv.frames[3])->kind, FRAME_INLINED);
	/* kinds pprof has no word for come back as user frames */
	CHECK_EQ_INT(profile_frame_get(q, sv.frames[0])->kind, FRAME_USER);
	CHECK_EQ_INT(profile_frame_get(q, sv.frames[5])->kind, FRAME_USER);
	f = profile_frame_get(q, sv.frames[3]);
	CHECK(f->addr == 0x1234 && f->line == 42 && f->mapping != 0);
	CHECK_EQ_STR(str(q, f->file), "x.c");
	CHECK_EQ_STR(str(q, f->module), "/bin/tikv-server");
	CHECK(profile_mapping_get(q, f->mapping)->offset == 0x100);
	CHECK_EQ_STR(str(q, profile_mapping_get(q, f->mapping)->build_id), "abc123");
	CHECK_EQ_INT(profile_mapping_get(q, f->mapping)->flags,
		     MAPPING_HAS_FUNCTIONS | MAPPING_HAS_INLINE_FRAMES);
	/* the placeholder frame is a location without lines again */
	f = profile_frame_get(q, sv.frames[4]);
	CHECK(f->addr == 0x77 && f->file == 0 && f->line == 0);
	CHECK_EQ_STR(str(q, f->module), "/lib/libc.so.6");
	CHECK(f->mapping != 0);		/* a mapping made for the module */
	CHECK_EQ_STR(str(q, profile_frame_get(q, sv.frames[5])->module), "[kernel.kallsyms]");
	lab = profile_labelset_get(q, sv.labels, &n);
	CHECK_EQ_INT(n, 2);
	profile_stack(q, 1, &sv);
	CHECK(sv.nframes == 2 && sv.values[1] == INT64_MIN && sv.labels == 0);
	profile_stack(q, 2, &sv);
	CHECK_EQ_INT(sv.nframes, 0);
	m = profile_meta_const(q);
	CHECK(m->period == 10101010 && m->time_nanos == 123 && m->duration_nanos == 456);
	CHECK_EQ_STR(str(q, m->period_type), "cpu");
	CHECK_EQ_STR(str(q, m->period_unit), "nanoseconds");
	CHECK_EQ_STR(str(q, m->default_sample_type), "samples");
	CHECK_EQ_STR(str(q, m->drop_frames), "runtime\\..*");
	CHECK_EQ_STR(str(q, m->keep_frames), "runtime\\.keep");
	CHECK_EQ_INT(profile_ncomments(q), 2);
	CHECK_EQ_STR(str(q, profile_comment(q, 0)), "first comment");
	CHECK_EQ_STR(str(q, profile_comment(q, 1)), "second");
	CHECK_EQ_INT(top_default_index(q), 0);
	/* a fixed point from the first re-encoding on */
	{
		struct buf r2, r3;
		struct profile *q2;

		buf_init(&r2, 0);
		buf_init(&r3, 0);
		CHECK_EQ_INT(pprof_encode(q, &r2, 0, &err), 0);
		CHECK_EQ_INT(decode(r2.data, r2.len, &q2, &err), 0);
		if (q2) {
			CHECK_EQ_INT(pprof_encode(q2, &r3, 0, &err), 0);
			CHECK(r2.len == r3.len && memcmp(r2.data, r3.data, r2.len) == 0);
			profile_free(q2);
		}
		buf_free(&r2);
		buf_free(&r3);
	}
	/* deterministic */
	CHECK_EQ_INT(pprof_encode(p, &again, 0, &err), 0);
	CHECK(again.len == raw.len && memcmp(again.data, raw.data, raw.len) == 0);
	(void)lab;
	profile_free(q);
out:
	profile_free(p);
	buf_free(&raw);
	buf_free(&gz);
	buf_free(&again);
}

static void test_encode_string_table(void)
{
	struct profile *p = profile_new();
	struct tp_error err;
	struct pb_reader r;
	struct pb_field f;
	struct buf b;
	uint32_t fr[1], unused;
	int64_t v = 1;
	size_t nstr = 0;
	int first_empty = 0, has_unused = 0;

	profile_add_sample_type(p, "samples", "count");
	profile_intern(p, "never used", 10, &unused);
	profile_frame_named(p, "f", 1, FRAME_USER, &fr[0]);
	profile_add(p, fr, 1, 0, &v, NULL);
	buf_init(&b, 0);
	CHECK_EQ_INT(pprof_encode(p, &b, 0, &err), 0);
	tp_error_init(&err);
	pb_reader_init(&r, (uint8_t *)b.data, (uint8_t *)b.data, b.len);
	while (pb_next(&r, &f, &err) > 0) {
		if (f.num != 6)
			continue;
		if (nstr++ == 0)
			first_empty = f.len == 0;
		has_unused |= f.len == 10 && memcmp(f.data, "never used", 10) == 0;
	}
	CHECK(first_empty);
	CHECK(!has_unused);
	CHECK_EQ_INT(nstr, 4);		/* "", samples, count, f */
	/* the cap of the output buffer holds */
	buf_free(&b);
	buf_init(&b, 16);
	CHECK_EQ_INT(pprof_encode(p, &b, 0, &err), -E2BIG);
	buf_reset(&b);
	CHECK_EQ_INT(pprof_encode(p, &b, 1, &err), -E2BIG);
	CHECK(b.len <= 16);
	buf_free(&b);
	profile_free(p);
}

/* Frames copied to another profile bring their mapping along. */
static void test_import_mapping(void)
{
	struct profile *p = model_profile(), *q = profile_new();
	uint32_t fid = 0, out = 0;
	size_t i;

	profile_add_sample_type(q, "samples", "count");
	profile_add_sample_type(q, "cpu", "nanoseconds");
	for (i = 0; i < profile_nframes(p); i++)
		if (profile_frame_get(p, (uint32_t)i)->mapping)
			fid = (uint32_t)i;
	CHECK_EQ_INT(profile_import_frame(q, p, fid, &out), 0);
	CHECK_EQ_INT(profile_mapping_count(q), 1);
	CHECK_EQ_INT(profile_frame_get(q, out)->mapping, 1);
	CHECK_EQ_STR(str(q, profile_mapping_get(q, 1)->filename), "/bin/tikv-server");
	/* importing again reuses the mapping */
	CHECK_EQ_INT(profile_import_frame(q, p, fid, &out), 0);
	CHECK_EQ_INT(profile_mapping_count(q), 1);
	CHECK_EQ_INT(profile_merge(q, p, (size_t)-1, 0), 0);
	CHECK_EQ_INT(profile_mapping_count(q), 1);
	profile_free(p);
	profile_free(q);
}

int main(void)
{
	RUN(test_decode_basic);
	RUN(test_decode_gzip_members);
	RUN(test_sparse_ids);
	RUN(test_placeholders);
	RUN(test_packed_unpacked_mixed);
	RUN(test_labels);
	RUN(test_merge_and_overflow);
	RUN(test_malformed);
	RUN(test_unknown_fields);
	RUN(test_expansion_limits);
	RUN(test_detect);
	RUN(test_encode_roundtrip);
	RUN(test_encode_string_table);
	RUN(test_import_mapping);
	return CHECK_DONE();
}
