/* profile.h - the one in-memory profile model.
 *
 * Every decoder produces a struct profile and every renderer consumes one.
 *
 *  - Sample types: a list of (type, unit) string pairs, e.g. samples/count
 *    and cpu/nanoseconds. Every stack carries one int64 per sample type.
 *  - Strings: interned, 32-bit ids (profile_strings_const()). Id 0 is "".
 *  - Frames: interned records of (name, module, file, line, addr, kind,
 *    mapping).
 *  - Label sets: interned sorted lists of (key, string value | number+unit).
 *    Id 0 is the empty set.
 *  - Stacks: deduplicated by (frame id sequence, label set id). Frames are
 *    stored root first.
 *
 * Memory grows with unique strings, frames and stacks only: adding the same
 * stack again only adds to its values. Sums are checked: an addition that
 * would overflow int64 fails with -EOVERFLOW and changes nothing.
 *
 * Everything returned by the accessors is borrowed and valid until
 * profile_free() (stack views until the next profile_add()).
 */
#ifndef TIPROF_PROFILE_H
#define TIPROF_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/strtab.h"

#define PROFILE_MAX_VALUES 16
#define PROFILE_MAX_DEPTH ((size_t)1 << 20)	/* frames per stack */

enum frame_kind {
	FRAME_USER = 0,
	FRAME_KERNEL,
	FRAME_JIT,
	FRAME_INLINED,
	FRAME_ROOT,		/* process, thread or label root */
};

struct frame {
	uint32_t name;		/* string id */
	uint32_t module;	/* string id, 0 = unknown */
	uint32_t file;		/* string id, 0 = unknown */
	uint32_t line;		/* 0 = unknown */
	uint64_t addr;		/* 0 = unknown */
	uint32_t kind;		/* enum frame_kind */
	uint32_t mapping;	/* profile_mapping_get() id, 0 = none */
};

struct label {
	uint32_t key;		/* string id */
	uint32_t str;		/* string id; 0 for a numeric label */
	int64_t num;
	uint32_t unit;		/* string id, numeric labels only */
};

/* Profile-wide facts some formats carry (pprof); zero when unknown. */
struct profile_meta {
	uint32_t period_type, period_unit;	/* string ids */
	int64_t period;
	int64_t time_nanos, duration_nanos;
	uint32_t default_sample_type;		/* string id of a type name */
	uint32_t drop_frames, keep_frames;	/* string ids (regexes) */
};

struct stack_view {
	const uint32_t *frames;	/* root first */
	uint32_t nframes;
	uint32_t labels;	/* label set id */
	const int64_t *values;	/* profile_nvalues() of them */
};

struct profile;

/* A profile with no sample types yet. NULL when out of memory. */
struct profile *profile_new(void);

/* Accepts NULL. */
void profile_free(struct profile *p);

/* Append a sample type. Must be called before the first profile_add().
 * 0, -ENOMEM, -E2BIG (more than PROFILE_MAX_VALUES), or -EINVAL after
 * stacks were added. */
int profile_add_sample_type(struct profile *p, const char *type, const char *unit);
size_t profile_nvalues(const struct profile *p);
/* String ids of sample type i's type and unit. */
uint32_t profile_sample_type(const struct profile *p, size_t i, uint32_t *unit);
/* Index of the sample type named type, or -1. */
int profile_find_sample_type(const struct profile *p, const char *type);

struct profile_meta *profile_meta(struct profile *p);
const struct profile_meta *profile_meta_const(const struct profile *p);

/* Comments (pprof): string ids in order. */
int profile_add_comment(struct profile *p, uint32_t str);
size_t profile_ncomments(const struct profile *p);
uint32_t profile_comment(const struct profile *p, size_t i);

/* Strings. */
const struct strtab *profile_strings_const(const struct profile *p);
int profile_intern(struct profile *p, const char *s, size_t len, uint32_t *id);
/* The string (borrowed, NUL-terminated) and its length. */
const char *profile_str(const struct profile *p, uint32_t id, size_t *len);

/* Frames. */
int profile_frame(struct profile *p, const struct frame *f, uint32_t *id);
/* Shortcut: a frame with just a name and kind. */
int profile_frame_named(struct profile *p, const char *name, size_t len,
			enum frame_kind kind, uint32_t *id);
const struct frame *profile_frame_get(const struct profile *p, uint32_t id);
size_t profile_nframes(const struct profile *p);

/* Label sets. The labels are copied and sorted; duplicates are kept. */
int profile_labelset(struct profile *p, const struct label *l, size_t n, uint32_t *id);
const struct label *profile_labelset_get(const struct profile *p, uint32_t id, size_t *n);
size_t profile_nlabelsets(const struct profile *p);

/* Add values (profile_nvalues() of them) to the stack frames[0..n) (root
 * first) with label set labels. Creates the stack when new. n may be 0.
 * 0, -ENOMEM, -E2BIG (n > PROFILE_MAX_DEPTH), -EOVERFLOW. If idx is not
 * NULL it receives the stack's index. */
int profile_add(struct profile *p, const uint32_t *frames, size_t n,
		uint32_t labels, const int64_t *values, size_t *idx);

/* The same, for frames given leaf first (as unwinders produce them). */
int profile_add_leaf_first(struct profile *p, const uint32_t *frames, size_t n,
			   uint32_t labels, const int64_t *values, size_t *idx);

size_t profile_nstacks(const struct profile *p);
void profile_stack(const struct profile *p, size_t i, struct stack_view *out);

/* Index of an existing stack, or -1. */
long profile_find_stack(const struct profile *p, const uint32_t *frames,
			size_t n, uint32_t labels);

/* Sum of value vi over all stacks (saturating at INT64_MAX/INT64_MIN). */
int64_t profile_total(const struct profile *p, size_t vi);

/* Stack indices ordered as their folded lines sort bytewise (frame names
 * joined with ';'), ties broken by label set id. *order is malloc'd; the
 * caller frees it. 0 or -ENOMEM. */
int profile_sorted(const struct profile *p, uint32_t **order);

/* Compare stacks a and b in that order (<0, 0, >0). */
int profile_stack_cmp(const struct profile *p, size_t a, size_t b);

/* Add every stack of src into dst, re-interning strings, frames and labels.
 * Value src_vi of each src stack is added to value dst_vi of dst (other dst
 * values get 0). When src_vi is (size_t)-1, all values are copied one to
 * one, and both profiles must have the same number of sample types. */
int profile_merge(struct profile *dst, const struct profile *src,
		  size_t src_vi, size_t dst_vi);

/* Copy frame fid (or label set lid) of src into dst, re-interning its
 * strings; *out receives the id in dst. */
int profile_import_frame(struct profile *dst, const struct profile *src,
			 uint32_t fid, uint32_t *out);
int profile_import_labelset(struct profile *dst, const struct profile *src,
			    uint32_t lid, uint32_t *out);

/* Give dst src's sample types (when dst has none yet) and its
 * profile-wide facts (struct profile_meta, comments), re-interning their
 * strings. 0, or a negative errno (-EINVAL: dst already has stacks). */
int profile_copy_header(struct profile *dst, const struct profile *src);

/* Multiply value vi of every stack by num/den, rounding toward zero (exact
 * 128-bit intermediate). -EINVAL for den 0, -EOVERFLOW if a result does not
 * fit (values before the failing stack are already scaled). */
int profile_scale(struct profile *p, size_t vi, int64_t num, int64_t den);

/* Memory held, in bytes (arena, tables, strings). */
size_t profile_bytes(const struct profile *p);

/* ---- Mappings (pprof) ----
 *
 * A mapping is a binary or library mapped into the profiled process, as
 * pprof's Mapping message describes it. Frames point at one with their
 * mapping field (0 = none); frame.module then holds the same filename.
 * Ids start at 1. Adding a mapping equal in every field to an existing one
 * returns the existing id, so profile_import_frame() can copy mappings
 * without duplicating them.
 */
enum {
	MAPPING_HAS_FUNCTIONS = 1u << 0,
	MAPPING_HAS_FILENAMES = 1u << 1,
	MAPPING_HAS_LINE_NUMBERS = 1u << 2,
	MAPPING_HAS_INLINE_FRAMES = 1u << 3,
};

struct mapping {
	uint64_t start, limit, offset;	/* memory_start, memory_limit, file_offset */
	uint32_t filename, build_id;	/* string ids */
	uint32_t flags;			/* MAPPING_HAS_* */
};

/* 0, -ENOMEM or -E2BIG; *id receives the mapping's id (>= 1). */
int profile_mapping_add(struct profile *p, const struct mapping *m, uint32_t *id);
/* id must be in 1..profile_mapping_count(). Borrowed. */
const struct mapping *profile_mapping_get(const struct profile *p, uint32_t id);
size_t profile_mapping_count(const struct profile *p);

#endif
