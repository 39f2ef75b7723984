/* palette.h - frame colours for flame graphs.
 *
 * Every colour is a pure function of the frame name and the options, so the
 * same input always gives the same picture. Colours are 0xRRGGBB.
 *
 * Palettes: the flamegraph.pl set (hot mem io wakeup chain java js perl red
 * green blue aqua yellow purple orange) and two that colour by code unit:
 *  - go:   hue by package path (the part of "pkg/path.(*T).M" before the
 *          first '.' after the last '/'). The runtime (runtime,
 *          runtime/internal/..., internal/runtime/...) is a blue family, its
 *          garbage collector purple, the rest of the standard library green,
 *          and every other package (main, modules) a warm hue of its own.
 *  - rust: hue by crate (the first "::" segment). std, core and alloc are
 *          a blue family, other crates warm hues.
 * In both, names that are neither (C, [unknown]) are grey and kernel frames
 * ("_[k]") orange.
 *
 * Annotations: a name ending in "_[k]" (kernel), "_[j]" (JIT), "_[i]"
 * (inlined) or "_[w]" (waker) steers the java, js, chain and the go/rust
 * palettes; palette_strip() gives the name to display without it.
 */
#ifndef TIPROF_PALETTE_H
#define TIPROF_PALETTE_H

#include <stddef.h>
#include <stdint.h>

enum palette_kind {
	PALETTE_HOT = 0,
	PALETTE_MEM,
	PALETTE_IO,
	PALETTE_WAKEUP,
	PALETTE_CHAIN,
	PALETTE_JAVA,
	PALETTE_JS,
	PALETTE_PERL,
	PALETTE_RED,
	PALETTE_GREEN,
	PALETTE_BLUE,
	PALETTE_AQUA,
	PALETTE_YELLOW,
	PALETTE_PURPLE,
	PALETTE_ORANGE,
	PALETTE_GO,
	PALETTE_RUST,
	PALETTE_COUNT
};

#define PALETTE_SEARCH 0xe600e6u	/* search matches */

/* 0, or -EINVAL for an unknown palette name. */
int palette_parse(const char *name, enum palette_kind *out);

/* The name of a palette ("hot"). */
const char *palette_name(enum palette_kind k);

/* Colour of a frame named name[0..len). hash != 0 selects colours from the
 * name's leading characters, so similar names get similar colours;
 * otherwise the whole name is hashed. */
uint32_t palette_color(enum palette_kind k, const char *name, size_t len, int hash);

/* Colour of a differential frame whose value changed by delta, when the
 * largest change in the graph is maxdelta (> 0): red for growth, blue for
 * a decrease, white for none; negate swaps red and blue. */
uint32_t palette_diff(double delta, double maxdelta, int negate);

/* Background gradient (top, bottom) for bgcolors, one of yellow, blue,
 * green, grey or "#rrggbb" (flat), or NULL for the palette's default.
 * 0, or -EINVAL for anything else. */
int palette_background(const char *bgcolors, enum palette_kind k,
		       uint32_t *top, uint32_t *bottom);

/* Length of name without a trailing "_[k]", "_[j]", "_[i]" or "_[w]". */
size_t palette_strip(const char *name, size_t len);

#endif
