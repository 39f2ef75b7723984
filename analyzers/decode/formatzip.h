/* formatzip.h - one entry of a zip archive as a profile (format.c's
 * helper for zip inputs).
 *
 * An entry is read (capped as zip.h says), recognised by content
 * (zip_sniff()) and decoded: profile.proto with pprof_decode(), goroutine
 * dumps and debug=1 texts with their readers, perf script text and folded
 * stacks with format_load(). Entries that are not profiles (config,
 * version, other) are read but not decoded. Errors name the entry as
 * "ARCHIVE(ENTRY)".
 */
#ifndef TIPROF_FORMATZIP_H
#define TIPROF_FORMATZIP_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/decode/format.h"
#include "analyzers/decode/zip.h"

struct formatzip_entry {
	uint8_t *data;			/* the content (malloc'd) */
	size_t len;
	enum zip_content content;
	enum format format;		/* FORMAT_AUTO: not a profile */
	struct profile *q;		/* the profile, or NULL */
	struct legacy_info li;		/* FORMAT_LEGACY */
	struct goroutine_stats gs;	/* FORMAT_GOROUTINE */
	const char *entry;		/* the entry's name (borrowed from the archive) */
	char name[256];			/* "archive(entry)" for messages */
};

/* Read and decode entry i of za (zname names the archive). u is filled
 * (and must be freed) even on failure; an entry that is not a profile is
 * no error (u->q NULL). 0 or negative errno with err. */
int formatzip_unpack(struct zip_archive *za, size_t i, const char *zname,
		     const struct format_opts *o, struct formatzip_entry *u,
		     struct tp_error *err);

/* Accepts a zeroed or freed entry. */
void formatzip_entry_free(struct formatzip_entry *u);

/* format_profile_kind() of the entry's profile ("goroutine",
 * "threadcreate" for debug=1 count texts), or NULL. */
const char *formatzip_kind(const struct formatzip_entry *u);

/* The entry o->entry selects: the entry of that name, else the first of
 * that kind (cpu or profile, heap (or allocs), allocs, mutex, block,
 * goroutine, ...; mutex and block profile.proto entries must have the word
 * in their name, as the content does not tell them apart); by default the
 * first CPU profile. An entry that fails to decode while searching by kind
 * is skipped, and its error is returned if nothing matched. -ENOENT (with
 * the list of entries) when nothing matched, -EINVAL when the named entry
 * is not a profile. */
int formatzip_select(struct zip_archive *za, const char *zname, const struct format_opts *o,
		     struct formatzip_entry *u, struct tp_error *err);

#endif
