/* diff.c - see diff.h */
#include "analyzers/model/diff.h"
#include "analyzers/base/buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Append name with every "0x" followed by hex digits replaced by "0x...". */
static int strip_hex(const char *s, size_t len, struct buf *out)
{
	size_t i = 0, start = 0;
	int r;

	while (i + 2 < len) {
		if (s[i] == '0' && s[i + 1] == 'x' && is_hex((unsigned char)s[i + 2])) {
			size_t j = i + 2;

			while (j < len && is_hex((unsigned char)s[j]))
				j++;
			if ((r = buf_append(out, s + start, i - start)) < 0 ||
			    (r = buf_append(out, "0x...", 5)) < 0)
				return r;
			i = start = j;
			continue;
		}
		i++;
	}
	return buf_append(out, s + start, len - start);
}

/* Add every stack of src to dst at column col, mapping frames by name. */
static int add_side(struct profile *dst, const struct profile *src, size_t vi,
		    size_t col, int strip)
{
	uint32_t *map, *frames = NULL;
	size_t i, cap = 0;
	struct buf name;
	int r = 0;

	buf_init(&name, 0);
	map = malloc((profile_nframes(src) + 1) * sizeof(*map));
	if (!map)
		return -ENOMEM;
	for (i = 0; i < profile_nframes(src); i++) {
		size_t len;
		const char *s = profile_str(src, profile_frame_get(src, (uint32_t)i)->name, &len);

		if (strip) {
			buf_reset(&name);
			if ((r = strip_hex(s, len, &name)) < 0)
				goto out;
			s = name.data;
			len = name.len;
		}
		if ((r = profile_frame_named(dst, s, len, FRAME_USER, &map[i])) < 0)
			goto out;
	}
	for (i = 0; i < profile_nstacks(src); i++) {
		struct stack_view sv;
		int64_t v[2] = { 0, 0 };
		uint32_t k;

		profile_stack(src, i, &sv);
		if (sv.nframes > cap) {
			uint32_t *nf = realloc(frames, sv.nframes * sizeof(*nf));

			if (!nf) {
				r = -ENOMEM;
				goto out;
			}
			frames = nf;
			cap = sv.nframes;
		}
		for (k = 0; k < sv.nframes; k++)
			frames[k] = map[sv.frames[k]];
		v[col] = sv.values[vi];
		if ((r = profile_add(dst, frames, sv.nframes, 0, v, NULL)) < 0)
			goto out;
	}
out:
	free(map);
	free(frames);
	buf_free(&name);
	return r;
}

int diff_profiles(const struct profile *base, size_t base_vi,
		  const struct profile *new, size_t new_vi,
		  const struct diff_opts *o, struct profile **outp,
		  struct tp_error *err)
{
	struct profile *out = profile_new();
	int r = -ENOMEM;

	*outp = NULL;
	if (!out)
		goto fail;
	if ((r = profile_add_sample_type(out, "base", "count")) < 0 ||
	    (r = profile_add_sample_type(out, "new", "count")) < 0)
		goto fail;
	if ((r = add_side(out, base, base_vi, 0, o->strip_hex)) < 0 ||
	    (r = add_side(out, new, new_vi, 1, o->strip_hex)) < 0)
		goto fail;
	if (o->normalize) {
		int64_t tb = profile_total(out, 0), tn = profile_total(out, 1);

		if (tb > 0 && (r = profile_scale(out, 0, tn, tb)) < 0)
			goto fail;
	}
	*outp = out;
	return 0;
fail:
	profile_free(out);
	return tp_error_set(err, r, NULL, 0, -1, "%s", r == -EOVERFLOW ?
			    "counts overflow a signed 64-bit sum" : "out of memory");
}
