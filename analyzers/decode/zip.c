/* zip.c - see zip.h */
#include "analyzers/decode/zip.h"
#include "analyzers/base/buf.h"
#include "analyzers/decode/goroutine.h"
#include "analyzers/base/gzip.h"
#include "analyzers/decode/legacy.h"
#include "analyzers/decode/pprof.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <zip.h>

struct zip_archive {
	zip_t *z;
	char name[256];
	size_t n;
	struct zip_entry *e;
};

int zip_detect(const void *buf, size_t len)
{
	const unsigned char *b = buf;

	return len >= 4 && b[0] == 'P' && b[1] == 'K' &&
	       ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6));
}

/* libzip's error as our code and a short text. */
static int zerr(struct tp_error *err, const char *file, zip_error_t *ze,
		const char *what, const char *entry)
{
	int code, zc = zip_error_code_zip(ze);
	const char *text;

	switch (zc) {
	case ZIP_ER_MEMORY: code = -ENOMEM; text = "out of memory"; break;
	case ZIP_ER_CRC: code = -EBADMSG; text = "CRC-32 mismatch"; break;
	case ZIP_ER_NOZIP: code = -EBADMSG; text = "no end-of-central-directory record (truncated, or not a zip archive)"; break;
	case ZIP_ER_INCONS: code = -EBADMSG; text = "inconsistent archive (central directory does not match the data)"; break;
	case ZIP_ER_EOF: code = -EBADMSG; text = "truncated archive"; break;
	case ZIP_ER_COMPNOTSUPP: code = -EBADMSG; text = "compression method not supported"; break;
	case ZIP_ER_ENCRNOTSUPP: case ZIP_ER_NOPASSWD: code = -EBADMSG; text = "encrypted entry"; break;
	case ZIP_ER_ZLIB: case ZIP_ER_COMPRESSED_DATA: code = -EBADMSG; text = "corrupt deflate data"; break;
	case ZIP_ER_MULTIDISK: code = -EBADMSG; text = "multi-disk archives are not supported"; break;
	default: code = -EBADMSG; text = zip_error_strerror(ze); break;
	}
	if (entry)
		return tp_error_set(err, code, file, 0, -1, "%s entry \"%s\": %s", what, entry, text);
	return tp_error_set(err, code, file, 0, -1, "%s: %s", what, text);
}

static void display_name(const char *raw, char *out, size_t cap)
{
	size_t i, j = 0;

	for (i = 0; raw && raw[i] && j + 1 < cap; i++) {
		unsigned char c = (unsigned char)raw[i];

		out[j++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	out[j] = '\0';
}

int zip_archive_open(struct zip_archive **zap, const void *data, size_t len,
		     const char *name, struct tp_error *err)
{
	struct zip_archive *za;
	zip_error_t ze;
	zip_source_t *src;
	zip_int64_t n;
	size_t i;
	int rc;

	*zap = NULL;
	if (!zip_detect(data, len))
		return tp_error_set(err, -EBADMSG, name, 0, 0, "not a zip archive");
	za = calloc(1, sizeof(*za));
	if (!za)
		return tp_error_set(err, -ENOMEM, name, 0, -1, "out of memory");
	snprintf(za->name, sizeof(za->name), "%s", name ? name : "");
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		rc = zerr(err, name, &ze, "zip", NULL);
		goto fail;
	}
	za->z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!za->z) {
		zip_source_free(src);
		rc = zerr(err, name, &ze, "zip", NULL);
		goto fail;
	}
	n = zip_get_num_entries(za->z, 0);
	if (n < 0 || n > ZIP_MAX_ENTRIES) {
		rc = tp_error_set(err, -EBADMSG, name, 0, -1,
				  "zip: %lld entries (at most %d are read)", (long long)n, ZIP_MAX_ENTRIES);
		goto fail;
	}
	za->n = (size_t)n;
	za->e = calloc(za->n ? za->n : 1, sizeof(*za->e));
	if (!za->e) {
		rc = tp_error_set(err, -ENOMEM, name, 0, -1, "out of memory");
		goto fail;
	}
	for (i = 0; i < za->n; i++) {
		zip_stat_t st;

		zip_stat_init(&st);
		if (zip_stat_index(za->z, i, ZIP_FL_ENC_RAW, &st) < 0) {
			rc = zerr(err, name, zip_get_error(za->z), "zip: directory", NULL);
			goto fail;
		}
		display_name((st.valid & ZIP_STAT_NAME) ? st.name : "", za->e[i].name,
			     sizeof(za->e[i].name));
		za->e[i].size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
		za->e[i].comp_size = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
		za->e[i].method = (st.valid & ZIP_STAT_COMP_METHOD) ? st.comp_method : 0;
		za->e[i].encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
				     st.encryption_method != ZIP_EM_NONE;
	}
	*zap = za;
	return 0;
fail:
	zip_archive_close(za);
	return rc;
}

void zip_archive_close(struct zip_archive *za)
{
	if (!za)
		return;
	if (za->z)
		zip_discard(za->z);
	free(za->e);
	free(za);
}

size_t zip_archive_count(const struct zip_archive *za)
{
	return za->n;
}

const struct zip_entry *zip_archive_entry(const struct zip_archive *za, size_t i)
{
	return i < za->n ? &za->e[i] : NULL;
}

long zip_archive_find(const struct zip_archive *za, const char *name)
{
	size_t i;

	for (i = 0; i < za->n; i++)
		if (strcmp(za->e[i].name, name) == 0)
			return (long)i;
	return -1;
}

int zip_archive_read(struct zip_archive *za, size_t i, size_t max, int no_ratio,
		     uint8_t **out, size_t *len, struct tp_error *err)
{
	const struct zip_entry *e;
	zip_file_t *zf = NULL;
	struct buf b;
	size_t cap;
	int rc;

	*out = NULL;
	*len = 0;
	if (i >= za->n)
		return tp_error_set(err, -EINVAL, za->name, 0, -1, "zip: no entry %zu", i);
	e = &za->e[i];
	if (e->encrypted)
		return tp_error_set(err, -EBADMSG, za->name, 0, -1,
				    "zip entry \"%s\": encrypted entry", e->name);
	cap = max ? max : ZIP_DEFAULT_MAX_ENTRY;
	if (!no_ratio) {
		uint64_t r = e->comp_size * (uint64_t)ZIP_MAX_RATIO;

		if (e->comp_size > UINT64_MAX / ZIP_MAX_RATIO)
			r = UINT64_MAX;
		if (r < ZIP_RATIO_FLOOR)
			r = ZIP_RATIO_FLOOR;
		if (r < cap)
			cap = (size_t)r;
	}
	buf_init(&b, cap);
	if (e->size > cap) {	/* the directory says so already */
		rc = tp_error_set(err, -EFBIG, za->name, 0, -1,
				  "zip entry \"%s\": decompressed size exceeds %zu bytes (use --max-size)",
				  e->name, cap);
		goto out;
	}
	zf = zip_fopen_index(za->z, i, 0);
	if (!zf) {
		rc = zerr(err, za->name, zip_get_error(za->z), "zip", e->name);
		goto out;
	}
	for (;;) {
		zip_int64_t r;

		if ((rc = buf_reserve(&b, 65536)) < 0) {
			if (rc == -E2BIG)
				break;	/* the cap: see whether more follows */
			rc = tp_error_set(err, rc, za->name, 0, -1, "out of memory");
			goto out;
		}
		r = zip_fread(zf, b.data + b.len, b.cap - b.len - 1);
		if (r < 0) {
			rc = zerr(err, za->name, zip_file_get_error(zf), "zip", e->name);
			goto out;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
		b.data[b.len] = '\0';
	}
	if (rc == -E2BIG || b.len > cap) {
		rc = tp_error_set(err, -EFBIG, za->name, 0, -1,
				  "zip entry \"%s\": decompressed size exceeds %zu bytes (use --max-size)",
				  e->name, cap);
		goto out;
	}
	if (!b.data && (rc = buf_reserve(&b, 1)) < 0) {
		rc = tp_error_set(err, rc, za->name, 0, -1, "out of memory");
		goto out;
	}
	b.data[b.len] = '\0';
	*len = b.len;
	*out = (uint8_t *)buf_take(&b, NULL);
	rc = 0;
out:
	if (zf)
		zip_fclose(zf);
	buf_free(&b);
	return rc;
}

/* ---- content ---- */

static const char *const content_names[] = {
	"other", "profile", "goroutine", "legacy", "config", "version", "text",
};

const char *zip_content_name(enum zip_content c)
{
	return (size_t)c < sizeof(content_names) / sizeof(content_names[0]) ?
	       content_names[c] : "other";
}

static int is_text(const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] < 0x20 && b[i] != '\n' && b[i] != '\r' && b[i] != '\t')
			return 0;
	return 1;
}

static int has(const char *b, size_t n, const char *needle)
{
	return memmem(b, n, needle, strlen(needle)) != NULL;
}

static enum zip_content sniff_text(const char *b, size_t n)
{
	size_t i = 0;

	if (goroutine_detect(b, n))
		return ZIP_CONTENT_GOROUTINE;
	if (legacy_detect(b, n) != LEGACY_NONE)
		return ZIP_CONTENT_LEGACY;
	if (!is_text((const unsigned char *)b, n))
		return ZIP_CONTENT_OTHER;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i < n && b[i] == '{') {
		/* PD's version entry: {"version": ..., "build_time": ..., "hash": ...} */
		if (n < 4096 && has(b, n, "\"version\"") &&
		    (has(b, n, "\"build_time\"") || has(b, n, "\"hash\"")))
			return ZIP_CONTENT_VERSION;
		return ZIP_CONTENT_CONFIG;
	}
	if (has(b, n < 4096 ? n : 4096, "Release Version:"))
		return ZIP_CONTENT_VERSION;
	return n ? ZIP_CONTENT_TEXT : ZIP_CONTENT_OTHER;
}

enum zip_content zip_sniff(const void *data, size_t len)
{
	size_t n = len < 65536 ? len : 65536;

	if (pprof_detect(data, len) != PPROF_NONE)
		return ZIP_CONTENT_PPROF;
	if (gzip_detect(data, len)) {
		static const size_t cap = 16384;
		char *tmp = malloc(cap);
		size_t got = 0;
		enum zip_content c = ZIP_CONTENT_OTHER;

		if (tmp && gzip_peek(data, len, tmp, cap, &got) == 0 && got)
			c = sniff_text(tmp, got);
		free(tmp);
		return c == ZIP_CONTENT_TEXT ? ZIP_CONTENT_OTHER : c;
	}
	return sniff_text(data, n);
}

/* ---- JSON (parsed by jansson, walked without recursion) ---- */

#define JSON_DEPTH 64
#define JSON_PATH 1024	/* bytes, with the NUL */

/* The path at base extended by ".key" (no dot at the start) or "[idx]";
 * JSON_PATH marks a path too long to report. */
static size_t path_key(char *path, size_t base, const char *key)
{
	int w;

	if (base >= JSON_PATH)
		return JSON_PATH;
	w = snprintf(path + base, JSON_PATH - base, "%s%s", base ? "." : "", key);
	return w < 0 || (size_t)w >= JSON_PATH - base ? JSON_PATH : base + (size_t)w;
}

static size_t path_index(char *path, size_t base, size_t idx)
{
	int w;

	if (base >= JSON_PATH)
		return JSON_PATH;
	w = snprintf(path + base, JSON_PATH - base, "[%zu]", idx);
	return w < 0 || (size_t)w >= JSON_PATH - base ? JSON_PATH : base + (size_t)w;
}

static int scalar(json_t *v, const char *path, size_t pl, zip_json_fn fn, void *ctx)
{
	char num[64];

	if (pl >= JSON_PATH)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return fn(ctx, path, json_string_value(v), json_string_length(v), 1);
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		break;
	case JSON_TRUE:
		snprintf(num, sizeof(num), "true");
		break;
	case JSON_FALSE:
		snprintf(num, sizeof(num), "false");
		break;
	default:
		snprintf(num, sizeof(num), "null");
		break;
	}
	return fn(ctx, path, num, strlen(num), 0);
}

int zip_json_each(const char *s, size_t n, zip_json_fn fn, void *ctx, struct tp_error *err)
{
	struct level {
		json_t *c;		/* object or array */
		void *it;		/* object iterator */
		size_t i;		/* array index */
		size_t base;		/* path length of the container */
	} st[JSON_DEPTH];
	char path[JSON_PATH];
	json_error_t je;
	json_t *root;
	size_t depth = 0;
	int r = 0;

	root = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!root)
		return tp_error_set(err, json_error_code(&je) == json_error_out_of_memory ?
				    -ENOMEM : -EBADMSG, NULL, 0, je.position,
				    "JSON: %s", je.text);
	path[0] = '\0';
	if (!json_is_object(root) && !json_is_array(root)) {
		r = scalar(root, path, 0, fn, ctx);
		goto out;
	}
	st[0].c = root;
	st[0].it = json_is_object(root) ? json_object_iter(root) : NULL;
	st[0].i = 0;
	st[0].base = 0;
	depth = 1;
	while (depth) {
		struct level *l = &st[depth - 1];
		json_t *v;
		size_t pl;

		if (json_is_object(l->c)) {
			if (!l->it) {
				depth--;
				continue;
			}
			pl = path_key(path, l->base, json_object_iter_key(l->it));
			v = json_object_iter_value(l->it);
			l->it = json_object_iter_next(l->c, l->it);
		} else {
			if (l->i >= json_array_size(l->c)) {
				depth--;
				continue;
			}
			pl = path_index(path, l->base, l->i);
			v = json_array_get(l->c, l->i++);
		}
		if (json_is_object(v) || json_is_array(v)) {
			if (depth >= JSON_DEPTH) {
				r = tp_error_set(err, -EBADMSG, NULL, 0, -1,
						 "JSON: nested deeper than %d levels", JSON_DEPTH);
				goto out;
			}
			st[depth].c = v;
			st[depth].it = json_is_object(v) ? json_object_iter(v) : NULL;
			st[depth].i = 0;
			st[depth].base = pl;
			depth++;
			continue;
		}
		if ((r = scalar(v, path, pl, fn, ctx)) != 0)
			goto out;
	}
out:
	json_decref(root);
	return r;
}

int zip_text_field(const char *text, size_t n, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key), i = 0;

	while (i < n) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - text) : n;

		if (end - i > klen && memcmp(text + i, key, klen) == 0 && text[i + klen] == ':') {
			size_t a = i + klen + 1, b = end, k;

			while (a < b && (text[a] == ' ' || text[a] == '\t'))
				a++;
			while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r'))
				b--;
			if (cap) {
				k = b - a < cap - 1 ? b - a : cap - 1;
				memcpy(out, text + a, k);
				out[k] = '\0';
			}
			return 1;
		}
		i = end + 1;
	}
	return 0;
}
