/* formatzip.c - see formatzip.h */
#include "analyzers/decode/formatzip.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void formatzip_entry_free(struct formatzip_entry *u)
{
	free(u->data);
	profile_free(u->q);
	u->data = NULL;
	u->q = NULL;
}

/* What a kind asked for with --entry matches. */
static int kind_matches(const char *want, const char *kind, const struct formatzip_entry *u)
{
	if (!kind)
		return 0;
	if (strcmp(want, "profile") == 0 || strcmp(want, "cpu") == 0)
		return strcmp(kind, "cpu") == 0;
	if (strcmp(want, "mutex") == 0 || strcmp(want, "block") == 0) {
		if (strcmp(kind, "contention") != 0)
			return 0;
		/* debug=1 texts say which one they are; profile.proto does
		 * not (both are contentions/delay), so its name must */
		if (u->format == FORMAT_LEGACY)
			return strcmp(u->li.type, want) == 0;
		return strstr(u->entry, want) != NULL;
	}
	if (strcmp(want, "heap") == 0)
		return strcmp(kind, "heap") == 0 || strcmp(kind, "allocs") == 0;
	return strcmp(want, kind) == 0;
}

const char *formatzip_kind(const struct formatzip_entry *u)
{
	if (!u->q)
		return NULL;
	if (u->format == FORMAT_LEGACY && u->li.kind == LEGACY_COUNT)
		return u->li.type[0] ? u->li.type : NULL;
	return format_profile_kind(u->q);
}

int formatzip_unpack(struct zip_archive *za, size_t i, const char *zname,
		     const struct format_opts *o, struct formatzip_entry *u,
		     struct tp_error *err)
{
	const struct zip_entry *e = zip_archive_entry(za, i);
	size_t max = o->pprof.max_size;
	struct linereader *lr;
	enum format f;
	int r;

	memset(u, 0, sizeof(*u));
	u->entry = e->name;
	snprintf(u->name, sizeof(u->name), "%.120s(%.120s)", zname, e->name);
	r = zip_archive_read(za, i, max, max != 0, &u->data, &u->len, err);
	if (r < 0)
		return r;
	u->content = zip_sniff(u->data, u->len);
	switch (u->content) {
	case ZIP_CONTENT_PPROF:
		u->q = profile_new();
		if (!u->q)
			return tp_error_set(err, -ENOMEM, u->name, 0, -1, "out of memory");
		tp_error_init(err);
		r = pprof_decode(u->data, u->len, &o->pprof, u->q, err);
		if (r < 0) {
			snprintf(err->file, sizeof(err->file), "%s", u->name);
			return r;
		}
		u->format = FORMAT_PPROF;
		return 0;
	case ZIP_CONTENT_GOROUTINE:
	case ZIP_CONTENT_LEGACY:
	case ZIP_CONTENT_TEXT:
		break;
	default:
		return 0;
	}
	if ((r = linereader_open_mem(&lr, u->name, u->data, u->len, err)) < 0)
		return r;
	f = FORMAT_AUTO;
	if (format_resolve(lr, &f, NULL) < 0 || f == FORMAT_AUTO) {
		linereader_close(lr);
		return 0;	/* text, but no profile */
	}
	if (f == FORMAT_GOROUTINE || f == FORMAT_LEGACY) {
		r = format_read_whole(lr, f, &u->q, &u->li, &u->gs, err);
	} else {
		u->q = profile_new();
		r = u->q ? format_load(lr, f, o, u->q, NULL, err) :
		    tp_error_set(err, -ENOMEM, u->name, 0, -1, "out of memory");
	}
	linereader_close(lr);
	if (r == 0)
		u->format = f;
	return r;
}

static int no_entry(struct zip_archive *za, const char *zname, const char *want,
		    struct tp_error *err)
{
	char list[200];
	size_t i, len = 0;

	list[0] = '\0';
	for (i = 0; i < zip_archive_count(za) && len + 1 < sizeof(list); i++) {
		int w = snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				 zip_archive_entry(za, i)->name);

		if (w < 0)
			break;
		len += (size_t)w;
	}
	if (len >= sizeof(list))
		memcpy(list + sizeof(list) - 4, "...", 4);
	return tp_error_set(err, -ENOENT, zname, 0, -1,
			    "no %s profile entry (entries: %s); choose one with --entry NAME",
			    want, zip_archive_count(za) ? list : "none");
}

int formatzip_select(struct zip_archive *za, const char *zname, const struct format_opts *o,
		     struct formatzip_entry *u, struct tp_error *err)
{
	const char *want = o->entry ? o->entry : "cpu";
	struct tp_error first;
	size_t i;
	long k;
	int r, failed = 0;

	if (o->entry && (k = zip_archive_find(za, o->entry)) >= 0) {
		if ((r = formatzip_unpack(za, (size_t)k, zname, o, u, err)) < 0)
			return r;
		if (!u->q)
			return tp_error_set(err, -EINVAL, u->name, 0, -1,
					    "holds %s, not a profile", zip_content_name(u->content));
		return 0;
	}
	tp_error_init(&first);
	for (i = 0; i < zip_archive_count(za); i++) {
		struct tp_error e;

		tp_error_init(&e);
		r = formatzip_unpack(za, i, zname, o, u, &e);
		if (r == 0 && kind_matches(want, formatzip_kind(u), u))
			return 0;
		if (r < 0 && !failed) {
			first = e;
			failed = 1;
		}
		formatzip_entry_free(u);
	}
	if (failed) {
		/* An entry that might have been it did not decode: say why. */
		if (err)
			*err = first;
		return first.code ? first.code : -EBADMSG;
	}
	return no_entry(za, zname, want, err);
}
