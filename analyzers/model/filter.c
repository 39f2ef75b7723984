/* filter.c - see filter.h */
#include "analyzers/model/filter.h"

#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

enum { RE_FOCUS, RE_IGNORE, RE_HIDE, RE_N };

struct filter {
	regex_t re[RE_N];
	int have[RE_N];
	uint8_t *cache;		/* per frame id: bit i+1 = matches re i, bit 0 = known */
	size_t ncache;
};

static const char *const re_names[RE_N] = { "focus", "ignore", "hide" };

int filter_new(struct filter **out, const char *focus, const char *ignore,
	       const char *hide, struct tp_error *err)
{
	const char *src[RE_N] = { focus, ignore, hide };
	struct filter *f = calloc(1, sizeof(*f));
	int i, rc;

	*out = NULL;
	if (!f)
		return tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
	for (i = 0; i < RE_N; i++) {
		char msg[256];

		if (!src[i])
			continue;
		rc = regcomp(&f->re[i], src[i], REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			regerror(rc, &f->re[i], msg, sizeof(msg));
			filter_free(f);
			return tp_error_set(err, -EINVAL, NULL, 0, -1,
					    "bad --%s expression \"%s\": %s",
					    re_names[i], src[i], msg);
		}
		f->have[i] = 1;
	}
	*out = f;
	return 0;
}

static int classify(struct filter *f, const struct profile *p, uint32_t fid, uint8_t *bits)
{
	if (fid >= f->ncache) {
		size_t nc = f->ncache ? f->ncache : 1024;
		uint8_t *na;

		while (nc <= fid)
			nc *= 2;
		na = realloc(f->cache, nc);
		if (!na)
			return -ENOMEM;
		memset(na + f->ncache, 0, nc - f->ncache);
		f->cache = na;
		f->ncache = nc;
	}
	if (!(f->cache[fid] & 1)) {
		const char *name = profile_str(p, profile_frame_get(p, fid)->name, NULL);
		uint8_t b = 1;
		int i;

		for (i = 0; i < RE_N; i++)
			if (f->have[i] && regexec(&f->re[i], name, 0, NULL, 0) == 0)
				b |= (uint8_t)(1 << (i + 1));
		f->cache[fid] = b;
	}
	*bits = f->cache[fid];
	return 0;
}

int filter_stack(struct filter *f, const struct profile *p, uint32_t *frames, size_t *n)
{
	size_t i, k = 0;
	int focused = !f->have[RE_FOCUS];
	uint8_t b;
	int r;

	for (i = 0; i < *n; i++) {
		if ((r = classify(f, p, frames[i], &b)) < 0)
			return r;
		if (b & (1 << (RE_IGNORE + 1)))
			return 0;
		if (b & (1 << (RE_FOCUS + 1)))
			focused = 1;
	}
	if (!focused)
		return 0;
	if (f->have[RE_HIDE]) {
		for (i = 0; i < *n; i++) {
			classify(f, p, frames[i], &b);
			if (!(b & (1 << (RE_HIDE + 1))))
				frames[k++] = frames[i];
		}
		*n = k;
	}
	return 1;
}

int filter_profile(struct filter *f, const struct profile *in, struct profile **outp,
		   struct tp_error *err)
{
	struct profile *out = profile_new();
	uint32_t *frames = NULL;
	size_t cap = 0, i;
	int r = -ENOMEM;

	*outp = NULL;
	if (!out)
		goto fail;
	if ((r = profile_copy_header(out, in)) < 0)
		goto fail;
	for (i = 0; i < profile_nstacks(in); i++) {
		struct stack_view sv;
		size_t n;
		uint32_t k, lid;

		profile_stack(in, i, &sv);
		if (sv.nframes > cap) {
			uint32_t *nf = realloc(frames, sv.nframes * sizeof(*nf));

			if (!nf) {
				r = -ENOMEM;
				goto fail;
			}
			frames = nf;
			cap = sv.nframes;
		}
		memcpy(frames, sv.frames, sv.nframes * sizeof(*frames));
		n = sv.nframes;
		if ((r = filter_stack(f, in, frames, &n)) < 0)
			goto fail;
		if (r == 0)
			continue;
		/* Re-intern the kept frames and labels into out. */
		for (k = 0; k < n; k++)
			if ((r = profile_import_frame(out, in, frames[k], &frames[k])) < 0)
				goto fail;
		if ((r = profile_import_labelset(out, in, sv.labels, &lid)) < 0)
			goto fail;
		r = profile_add(out, frames, n, lid, sv.values, NULL);
		if (r < 0)
			goto fail;
	}
	free(frames);
	*outp = out;
	return 0;
fail:
	free(frames);
	profile_free(out);
	return tp_error_set(err, r, NULL, 0, -1, r == -EOVERFLOW ?
			    "counts overflow a signed 64-bit sum" : "out of memory");
}

void filter_free(struct filter *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < RE_N; i++)
		if (f->have[i])
			regfree(&f->re[i]);
	free(f->cache);
	free(f);
}
