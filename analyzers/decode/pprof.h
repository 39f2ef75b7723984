/* pprof.h - profile.proto (pprof's format) to and from the profile model.
 *
 * Decoding (pprof.c). The input is gzip'd (possibly several members) or raw
 * protobuf. The whole Profile message is checked: every string index,
 * every mapping/location/function id, the value count of every sample.
 * Malformed input gives -EBADMSG with the byte offset (into the
 * decompressed data for gzip input) and what is wrong, e.g.
 * "sample 3 has 1 values, expected 2 (sample_type count)".
 *
 * How profile.proto maps onto the model:
 *  - sample_type -> sample types (at most PROFILE_MAX_VALUES, else -E2BIG);
 *    period_type, period, time_nanos, duration_nanos, drop_frames,
 *    keep_frames, default_sample_type -> profile_meta; comment -> comments.
 *  - mapping -> profile mappings (identical ones merge).
 *  - A Location with n Lines becomes n frames. Lines are stored innermost
 *    (inlined callee) first, so in the root-first stack the last Line comes
 *    first; every frame but that one is FRAME_INLINED. frame.addr is the
 *    location's address, frame.mapping its mapping and frame.module the
 *    mapping's filename; name and file come from the Line's Function and
 *    line from the Line.
 *  - A Location without Lines, or a Line without a Function or with an
 *    unnamed Function, gets the name `go tool pprof` shows for it:
 *    "[" basename(mapping file) "]", or "<unknown>" without a file.
 *  - Samples -> stacks (location ids are leaf first in the proto, frames
 *    root first in the model). Identical stacks with identical labels
 *    merge; their values are added (-EOVERFLOW if a sum leaves int64).
 *  - Labels -> label sets: a label with a string value (index != 0) is a
 *    string label, otherwise a numeric label with its num_unit; a label
 *    with neither (all zero) is dropped, as pprof does.
 *
 * Not kept (so not re-encoded): frame kinds other than FRAME_INLINED
 * (pprof has none; they come back as FRAME_USER, and an inlined frame with
 * no frame of its own address above it becomes a location of its own),
 * Function.system_name (written = name), Function.start_line (written 0),
 * Line.column, Location.is_folded,
 * Profile.doc_url, unknown fields, the order of several values of one label
 * key (label sets are sorted), string labels whose value is "", line numbers
 * outside 0..2^32-1 (stored as 0), and the distinction between a function
 * named "" and none. drop_frames/keep_frames are kept but not applied.
 *
 * Refused, each with a precise message: empty input, string_table[0] not
 * "", an index out of the string table or negative, id 0 or a duplicate id
 * for a mapping/location/function, dangling ids (sample -> location,
 * location -> mapping, line -> function), value count mismatch, samples
 * without sample types, time_nanos twice (concatenated profiles), and
 * anything protobuf.h refuses. Input that does not even start like a
 * Profile (text, other formats) is called "not a pprof profile". Stacks
 * deeper than PROFILE_MAX_DEPTH frames, and samples expanding to more than
 * 16 frames per input byte plus 2^20 in all (a bomb made of locations with
 * many inlined lines), give -E2BIG.
 *
 * Encoding (pprofenc.c) writes every field the model keeps, deterministically:
 * ids are assigned in order of first use (samples in stack order, location
 * ids leaf first), the string table starts with "" and holds each used
 * string once. Consecutive frames sharing address and mapping whose deeper
 * ones are FRAME_INLINED fold back into one Location. A frame whose name is
 * the placeholder above (and has no file or line) becomes a Location
 * without Lines. Frames with a module but no mapping get a mapping with
 * just that filename, one per module. Labels are written sorted by key,
 * then value.
 *
 * Recognition (pprofdetect.c): pprof_detect() and pprof_sniff().
 */
#ifndef TIPROF_PPROF_H
#define TIPROF_PPROF_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"
#include "analyzers/model/profile.h"

struct pprof_opts {
	size_t max_size;	/* decompressed size cap; 0 = GZIP_DEFAULT_MAX_SIZE */
	unsigned max_ratio;	/* decompressed/compressed cap; 0 = default
				 * (GZIP_DEFAULT_MAX_RATIO), GZIP_NO_RATIO = none */
};

enum pprof_kind {
	PPROF_NONE = 0,		/* not a profile.proto */
	PPROF_RAW = 1,		/* raw protobuf that looks like a Profile */
	PPROF_GZIP = 2,		/* gzip whose start inflates to that */
};

/* Sniff buf: its first fields must be Profile fields with the right wire
 * types. Cheap (inflates at most 4 KiB). Returns enum pprof_kind. */
int pprof_detect(const uint8_t *buf, size_t len);

/* The test pprof_detect() applies to raw bytes: 1 when b[0..n) starts
 * like a Profile message (its first four fields, or all it has, are
 * Profile fields of the right wire type and not text), else 0. cut: the
 * data goes on past n, so a field running past n is no reason to say 0. */
int pprof_sniff(const uint8_t *b, size_t n, int cut);

/* Decode buf (gzip'd or raw, decided by its magic bytes) into p, which
 * must be empty (new). buf is borrowed; o may be NULL. 0, -EBADMSG, -E2BIG,
 * -EFBIG (over the decompression caps), -EOVERFLOW, -ENOMEM, with err
 * filled in (message and offset; err->file is left empty for the caller).
 * On failure p holds part of the input: free it. */
int pprof_decode(const uint8_t *buf, size_t len, const struct pprof_opts *o,
		 struct profile *p, struct tp_error *err);

/* Append p as profile.proto to out, gzip'd (BestSpeed, as Go writes it)
 * when gzip is non-zero. 0, -ENOMEM, -E2BIG (out's cap); on failure out
 * may hold part of the encoding. */
int pprof_encode(const struct profile *p, struct buf *out, int gzip,
		 struct tp_error *err);

/* The name `go tool pprof` gives code it has no function for: "[" +
 * basename(file) + "]" (basename as Go's filepath.Base), or "<unknown>"
 * when file is empty. Replaces out's content. 0, -ENOMEM, -E2BIG. */
int pprof_placeholder(const char *file, size_t flen, struct buf *out);

#endif
