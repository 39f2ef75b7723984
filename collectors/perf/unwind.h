/* unwind.h - DWARF unwinding of a sampled user stack with libunwind.
 *
 * A sample carries the user registers and a copy of the top of the user
 * stack (PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER). libunwind's
 * remote interface walks it: unw_create_addr_space() with our accessors,
 *  - registers: the sampled ones;
 *  - memory: the stack copy, else the bytes of the mapped ELF file that
 *    holds the address (read from the file, through the caller's module
 *    lookup), else nothing (the walk ends there);
 *  - procedure info: the module's .eh_frame_hdr binary search table,
 *    handed to libunwind's dwarf_search_unwind_table() as an
 *    UNW_INFO_FORMAT_REMOTE_TABLE. The table is found through the
 *    PT_GNU_EH_FRAME program header with libelf (elffile.h), so nothing of
 *    the profiled process is ever read or stopped.
 *
 * One struct unwind holds one libunwind address space, whose caches
 * (UNW_CACHE_GLOBAL) are keyed by address: use one per profiled process
 * and call unwind_flush() when its mappings change.
 */
#ifndef TIPROF_UNWIND_H
#define TIPROF_UNWIND_H

#include <stddef.h>
#include <stdint.h>
#include "collectors/perf/elffile.h"

#define UNWIND_MAX_DEPTH 512

/* perf's x86-64 user register numbers (PERF_REG_X86_*). */
enum {
	UNWIND_REG_AX = 0, UNWIND_REG_BX = 1, UNWIND_REG_CX = 2, UNWIND_REG_DX = 3,
	UNWIND_REG_SI = 4, UNWIND_REG_DI = 5, UNWIND_REG_BP = 6, UNWIND_REG_SP = 7,
	UNWIND_REG_IP = 8, UNWIND_REG_R8 = 16, UNWIND_REG_R15 = 23,
	UNWIND_NREGS = 24,
};

/* The registers perf should copy for unwinding (as perf record does):
 * AX..GS and R8..R15. */
#define UNWIND_REGS_MASK 0xff0fffULL

/* A module: an ELF file mapped at bias, spanning [lo, hi) in memory. */
struct unwind_module {
	const struct elffile *ef;
	uint64_t bias;
	uint64_t lo, hi;
};

/* Find the module mapped at addr: 0, or -ENOENT. */
typedef int (*unwind_find_fn)(void *ctx, uint64_t addr, struct unwind_module *out);

/* One sample's user state. regs[] is indexed by UNWIND_REG_*. */
struct unwind_state {
	uint64_t regs[UNWIND_NREGS];
	const unsigned char *stack;	/* copy of memory from regs[SP] up */
	size_t stack_len;
};

struct unwind;

/* NULL when out of memory. */
struct unwind *unwind_new(void);

/* Accepts NULL. */
void unwind_free(struct unwind *u);

/* Forget cached unwind rules (the mappings changed). */
void unwind_flush(struct unwind *u);

/* Walk the stack of s: ips[0] is the sampled IP, then return addresses,
 * at most max of them. Returns the number of frames (>= 1 when the IP is
 * not 0); the walk stops quietly where information runs out. */
size_t unwind_stack(struct unwind *u, const struct unwind_state *s,
		    unwind_find_fn find, void *ctx, uint64_t *ips, size_t max);

#endif
