/* zip.h - read zip archives (TiDB /debug/zip, PD's pprof zip) in memory.
 *
 * The archive is read through its central directory with libzip, never
 * through the local headers: Go's archive/zip sets the data-descriptor flag
 * on every entry, so the local headers carry zero sizes and CRCs. Nothing
 * is ever written to disk and entry names are never used as paths (an
 * entry named "../../etc/passwd" is only a label). Names are shown with
 * control and non-ASCII bytes replaced by '?'.
 *
 * Caps: at most ZIP_MAX_ENTRIES entries; each entry's decompressed size is
 * capped by the caller (size) and by a ratio to its compressed size, and
 * the data is counted as it is inflated, whatever the directory declares.
 * Every failure is -EBADMSG (corrupt, truncated, CRC mismatch, encrypted,
 * unsupported method), -EFBIG (over a cap) or -ENOMEM, with the entry named
 * in the message.
 *
 * Entries are recognised by content (zip_sniff()), not by name: profile.proto
 * (gzip'd or raw), goroutine dumps (debug=2), Go's legacy debug=1 texts,
 * JSON config, and version text ("Release Version: ..." lines, or PD's
 * {"version": ..., "build_time": ...} JSON).
 *
 * Also here, for what a debug zip holds: a walk over every scalar of a
 * JSON document with its dotted path (config), and a "Key: value" line
 * lookup (version text).
 */
#ifndef TIPROF_ZIP_H
#define TIPROF_ZIP_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"

#define ZIP_MAX_ENTRIES		10000
#define ZIP_DEFAULT_MAX_ENTRY	((size_t)512 << 20)	/* decompressed bytes */
#define ZIP_MAX_RATIO		1000u			/* decompressed / compressed */
#define ZIP_RATIO_FLOOR		((size_t)1 << 20)	/* ratio applies above 1 MiB */
#define ZIP_NAME_MAX		256

enum zip_content {
	ZIP_CONTENT_OTHER = 0,	/* binary, or nothing recognised */
	ZIP_CONTENT_PPROF,	/* profile.proto, gzip'd or raw */
	ZIP_CONTENT_GOROUTINE,	/* goroutine dump, debug=2 */
	ZIP_CONTENT_LEGACY,	/* debug=1 text: goroutine, heap, mutex, block, ... */
	ZIP_CONTENT_CONFIG,	/* a JSON object (configuration) */
	ZIP_CONTENT_VERSION,	/* version text or version JSON */
	ZIP_CONTENT_TEXT,	/* other text */
};

struct zip_entry {
	char name[ZIP_NAME_MAX];	/* display name, NUL-terminated */
	uint64_t size;			/* declared decompressed size */
	uint64_t comp_size;		/* compressed size */
	unsigned method;		/* 0 stored, 8 deflate, ... */
	int encrypted;
};

struct zip_archive;

/* 1 when buf starts like a zip archive ("PK\3\4", or "PK\5\6" for an
 * empty one), else 0. */
int zip_detect(const void *buf, size_t len);

/* Open the archive data[0..len) (borrowed; must outlive the handle). name
 * is used in error messages. 0, -EBADMSG (not a zip, corrupt directory,
 * too many entries), -ENOMEM. */
int zip_archive_open(struct zip_archive **za, const void *data, size_t len,
		     const char *name, struct tp_error *err);

/* Accepts NULL. */
void zip_archive_close(struct zip_archive *za);

size_t zip_archive_count(const struct zip_archive *za);
/* Entry i (< count), in central-directory order. Borrowed. */
const struct zip_entry *zip_archive_entry(const struct zip_archive *za, size_t i);
/* Index of the first entry whose display name is name, or -1. */
long zip_archive_find(const struct zip_archive *za, const char *name);

/* Inflate entry i into *out (malloc'd, NUL-terminated, *len bytes without
 * the NUL; the caller frees it). max caps the decompressed size (0 =
 * ZIP_DEFAULT_MAX_ENTRY); the ratio cap applies unless no_ratio. The CRC
 * is checked. On error *out is NULL. */
int zip_archive_read(struct zip_archive *za, size_t i, size_t max, int no_ratio,
		     uint8_t **out, size_t *len, struct tp_error *err);

/* What data[0..len) is, by content. */
enum zip_content zip_sniff(const void *data, size_t len);
/* "profile", "goroutine", "legacy", "config", "version", "text", "other". */
const char *zip_content_name(enum zip_content c);

/* Call fn for every scalar (string, number, true, false, null) of the JSON
 * text s[0..n) (parsed with jansson), with its path: object keys joined
 * with '.', array elements as "[i]" (e.g. "status.status-port",
 * "labels[0]"), in document order. value is NUL-terminated: a string's
 * bytes (is_string 1), or the number, "true", "false" or "null" as jansson
 * reads it (is_string 0). A non-zero return from fn stops the walk and is
 * returned. Paths longer than 1023 bytes are skipped; nesting deeper than
 * 64 levels is an error. -EBADMSG with the byte offset for malformed JSON
 * (including invalid UTF-8), -ENOMEM. */
typedef int (*zip_json_fn)(void *ctx, const char *path, const char *value,
			   size_t vlen, int is_string);
int zip_json_each(const char *s, size_t n, zip_json_fn fn, void *ctx,
		  struct tp_error *err);

/* The value of the first line "key: value" (key matched exactly at the
 * start of a line, value with surrounding blanks removed) of text[0..n),
 * copied into out (truncated to cap-1 bytes). 1 when found, else 0. */
int zip_text_field(const char *text, size_t n, const char *key, char *out, size_t cap);

#endif
