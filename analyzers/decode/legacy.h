/* legacy.h - Go's debug=1 profile texts (and their C++ ancestors).
 *
 * What /debug/pprof/<name>?debug=1 returns, and what TiDB Dashboard, tiup
 * diag and ng-monitoring store (goroutine.txt, mutex.txt):
 *
 *   count profiles  "goroutine profile: total 37" (also threadcreate):
 *                   "20 @ 0x43b336 0x407e9b ..." records
 *   heap            "heap profile: 12: 328096 [128: 16106000] @ heap/1048576"
 *                   then "inuse_objs: inuse_bytes [alloc_objs: alloc_bytes] @ ..."
 *                   and a "# runtime.MemStats" trailer; also heapz_v2/N,
 *                   heap_v2/N, heapprofile and growthz headers
 *   contention      "--- mutex:" / "--- contention:" / "--- contentionz 1 ---",
 *                   "key=value" attributes (cycles/second, sampling period,
 *                   ms since reset), then "cycles count @ ..." records
 *
 * Each record is followed by "#" lines: "# labels: {"k":"v", ...}" and one
 * "#\t0xPC\tfunction+0xOFF\tfile:line" line per frame, leaf first.
 * `go tool pprof` ignores these and shows every frame as <unknown>; here
 * they ARE the stack: a frame per "#" line with its name, file, line and
 * address (the frames Go left out of the "#" lines, leading runtime frames
 * and runtime.goexit, are left out here too; a frame whose address equals
 * the next one's is an inlined frame, FRAME_INLINED). A record without any
 * "#" line (C++ profiles, stripped files) gets pprof's frames: "<unknown>"
 * at each address minus 1. "# labels:" become string labels.
 *
 * Values and sample types are pprof's, so the numbers equal
 * `go tool pprof -raw` of the same file:
 *   count       <type>/count
 *   heap        alloc_objects/count alloc_space/bytes inuse_objects/count
 *               inuse_space/bytes (objects/count space/bytes when the header
 *               shows no allocations), scaled as pprof does for sampled
 *               heaps (heap/N means a rate of N/2), with a numeric "bytes"
 *               label: the block size
 *   contention  contentions/count delay/nanoseconds: count * period and
 *               cycles * period / (cycles/second / 1e9)
 * Records whose values are all zero are dropped, as pprof drops them.
 * Memory-map sections at the end ("MAPPED_LIBRARIES:", "--- Memory map:")
 * are not kept.
 *
 * Errors (-EBADMSG with the line number): an unknown header, a record
 * that does not parse, a bad address, a "#" frame line that does not
 * parse, an unknown contention attribute; -EOVERFLOW for values that
 * leave int64 after scaling.
 */
#ifndef TIPROF_LEGACY_H
#define TIPROF_LEGACY_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/base/linereader.h"
#include "analyzers/model/profile.h"

enum legacy_kind {
	LEGACY_NONE = 0,
	LEGACY_COUNT,		/* goroutine, threadcreate, ... */
	LEGACY_HEAP,
	LEGACY_CONTENTION,	/* mutex, block */
};

#define LEGACY_MAX_MEMSTATS 48

struct legacy_memstat {
	char name[32];
	int64_t value;
};

struct legacy_info {
	enum legacy_kind kind;
	char type[32];		/* "goroutine", "threadcreate", "heap", "mutex",
				 * "block" ("--- contention:"), "contentionz" */
	int64_t total;		/* count profiles: the header's total */
	/* heap: the header's (unscaled) totals and sampling rate */
	int64_t inuse_objects, inuse_bytes, alloc_objects, alloc_bytes;
	int64_t rate;
	/* contention attributes */
	int64_t cycles_per_second, period;
	/* heap: the "# runtime.MemStats" trailer, integer fields in order */
	size_t nmemstats;
	struct legacy_memstat memstats[LEGACY_MAX_MEMSTATS];
	uint64_t records;	/* records read */
	uint64_t dropped;	/* all-zero records dropped */
	uint64_t symbolized;	/* records with "#" frame lines */
};

/* The kind of text buf[0..n) starts with (after blank lines). */
enum legacy_kind legacy_detect(const char *buf, size_t n);

/* Read a debug=1 text into p, which must be empty (new). info may be NULL.
 * 0 or negative errno, err filled in. */
int legacy_read(struct linereader *lr, struct profile *p, struct legacy_info *info,
		struct tp_error *err);

#endif
