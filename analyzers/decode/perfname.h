/* perfname.h - frame names from `perf script` stack lines, tidied the way
 * stackcollapse-perf.pl tidies them.
 *
 * Used by perfscript.c; exposed so the rules can be tested one by one.
 * Every function works on byte strings with explicit lengths (NUL bytes
 * allowed) and never reads past them.
 */
#ifndef TIPROF_PERFNAME_H
#define TIPROF_PERFNAME_H

#include <stddef.h>
#include "analyzers/base/buf.h"

/* Flags for perfname_tidy(). */
#define PERFNAME_JAVA		0x01	/* process name starts with "java" */
#define PERFNAME_INLINED	0x02	/* not the first piece of an a->b line */
#define PERFNAME_KERNEL		0x04	/* append "_[k]" to kernel frames */
#define PERFNAME_JIT		0x08	/* append "_[j]" to JIT frames */
#define PERFNAME_ADDRS		0x10	/* "[unknown]" becomes "[mod <pc>]" */
#define PERFNAME_RUST		0x20	/* repair partly mangled Rust names */

/* One frame name: piece (one "->"-separated part of the symbol, offset
 * already stripped), mod (the module text inside the parentheses) and pc
 * (the address text). The result replaces the content of out:
 *  - "[unknown]" becomes "[basename of mod]", or "[unknown]" when mod is
 *    "[unknown]" ("[... <pc>]" with PERFNAME_ADDRS);
 *  - ';' becomes ':'; an argument list is cut (perfname_cut());
 *  - '"' and '\'' are removed;
 *  - with PERFNAME_RUST, perfname_rust_repair();
 *  - with PERFNAME_JAVA, a leading 'L' goes when the name has a '/';
 *  - "_[i]" for inlined pieces (unless present), else "_[k]" for kernel
 *    modules with PERFNAME_KERNEL, else "_[j]" for JIT modules with
 *    PERFNAME_JIT (unless present);
 *  - control characters become "\xNN" (folded_safe_name()).
 * 0, -ENOMEM or -E2BIG (out's cap). */
int perfname_tidy(struct buf *out, const char *piece, size_t n,
		  const char *mod, size_t modlen, const char *pc, size_t pclen,
		  unsigned flags);

/* Where to cut the argument list of name[0..n), or n for no cut. Names
 * like Go's "pkg.(*T).M" (a ".(" before a ")." anywhere) are never cut.
 * Otherwise the cut is at the first '(' outside template angle brackets,
 * where operator<, operator<<, operator<=, operator<=>, operator>,
 * operator>>, operator>=, operator-> and operator->* are names, not
 * brackets; "(anonymous namespace)" is never a cut point. If the angle
 * brackets do not balance, the cut is at the first '(' (as Perl does). */
size_t perfname_cut(const char *name, size_t n);

/* Repair a Rust symbol that perf left partly mangled, in place, as inferno
 * does: only names ending in a 17-byte "h<16 hex>" hash are touched; the
 * hash (and a "::" before it) goes, a leading "_$" loses its '_', ".."
 * becomes "::", and $SP$ $BP$ $RF$ $LT$ $GT$ $LP$ $RP$ $C$ and $u<hex>$
 * escapes become @ * & < > ( ) , and the character (';' becomes ':';
 * control characters and invalid code points stop the repair, and the
 * rest is kept as is). Returns the new length (never longer). */
size_t perfname_rust_repair(char *name, size_t n);

/* Make b safe for a folded line, in place: ';' becomes ':' and control
 * characters (0x00-0x1f, 0x7f) become "\xNN" (lower-case hex), as
 * folded_safe_name() does. Idempotent. 0, -ENOMEM or -E2BIG. */
int perfname_escape(struct buf *b);

/* Kernel module: starts with '[' or ends with "vmlinux" (Perl's rule),
 * or its base name starts with "vmlinux-" or ends with ".ko" (possibly
 * compressed: .ko.gz, .ko.xz, .ko.zst); never when it contains
 * "unknown". */
int perfname_is_kernel(const char *mod, size_t n);

/* JIT module: contains "/tmp/perf-<digits>.map" (perf map files), or its
 * base name is "jitted-<digits>-<digits>.so" (perf inject --jit). */
int perfname_is_jit(const char *mod, size_t n);

#endif
