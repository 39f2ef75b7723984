/* unwind.c - see unwind.h */
#define UNW_REMOTE_ONLY
#include <libunwind.h>

#include "collectors/perf/unwind.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Exported by libunwind-x86_64 (not in its header): search an
 * .eh_frame_hdr table described by di for ip. */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip,
					      unw_dyn_info_t *di, unw_proc_info_t *pi,
					      int need_unwind_info, void *arg);
#define dwarf_search_unwind_table UNW_OBJ(dwarf_search_unwind_table)

/* DWARF pointer encodings used by .eh_frame_hdr. */
#define PE_OMIT 0xff
#define PE_UDATA4 0x03
#define PE_SDATA4 0x0b
#define PE_PCREL 0x10
#define PE_DATAREL 0x30

struct unwind {
	unw_addr_space_t as;
};

/* What the accessors see during one unwind_stack() call. */
struct walk {
	const struct unwind_state *s;
	unwind_find_fn find;
	void *ctx;
};

/* libunwind's x86-64 register numbers -> perf's. */
static int perf_reg(int r)
{
	static const signed char map[] = {
		[UNW_X86_64_RAX] = UNWIND_REG_AX, [UNW_X86_64_RDX] = UNWIND_REG_DX,
		[UNW_X86_64_RCX] = UNWIND_REG_CX, [UNW_X86_64_RBX] = UNWIND_REG_BX,
		[UNW_X86_64_RSI] = UNWIND_REG_SI, [UNW_X86_64_RDI] = UNWIND_REG_DI,
		[UNW_X86_64_RBP] = UNWIND_REG_BP, [UNW_X86_64_RSP] = UNWIND_REG_SP,
		[UNW_X86_64_R8] = 16, [UNW_X86_64_R9] = 17, [UNW_X86_64_R10] = 18,
		[UNW_X86_64_R11] = 19, [UNW_X86_64_R12] = 20, [UNW_X86_64_R13] = 21,
		[UNW_X86_64_R14] = 22, [UNW_X86_64_R15] = 23,
		[UNW_X86_64_RIP] = UNWIND_REG_IP,
	};

	if (r < 0 || r >= (int)sizeof(map))
		return -1;
	return map[r];
}

/* The eh_frame_hdr search table of module m: its runtime address and the
 * number of entries. */
static int eh_table(const struct unwind_module *m, uint64_t *table, uint64_t *count,
		    uint64_t *hdr)
{
	uint64_t vaddr, size, p;
	const unsigned char *h;
	int32_t frame_ptr;
	uint32_t n;

	if (elffile_eh_frame_hdr(m->ef, &vaddr, &size) < 0 || size < 12)
		return -ENOENT;
	h = elffile_ptr(m->ef, vaddr, 12);
	if (!h || h[0] != 1)
		return -ENOENT;
	/* version 1, eh_frame_ptr as pcrel sdata4, count udata4, table
	 * datarel sdata4: what every linker writes. */
	if ((h[1] != (PE_PCREL | PE_SDATA4) && h[1] != PE_SDATA4 && h[1] != PE_UDATA4) ||
	    h[2] != PE_UDATA4 || h[3] != (PE_DATAREL | PE_SDATA4))
		return -ENOENT;
	memcpy(&frame_ptr, h + 4, 4);
	memcpy(&n, h + 8, 4);
	p = vaddr + 12;
	if (!n || (uint64_t)n * 8 > size - 12 || !elffile_ptr(m->ef, p, (size_t)n * 8))
		return -ENOENT;
	*table = p + m->bias;
	*count = n;
	*hdr = vaddr + m->bias;
	return 0;
}

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			  int need_unwind_info, void *arg)
{
	struct walk *w = arg;
	struct unwind_module m;
	unw_dyn_info_t di;
	uint64_t table, count, hdr;

	if (w->find(w->ctx, ip, &m) < 0 || eh_table(&m, &table, &count, &hdr) < 0)
		return -UNW_ENOINFO;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = m.lo;
	di.end_ip = m.hi;
	di.u.rti.segbase = hdr;
	di.u.rti.table_data = table;
	di.u.rti.table_len = count * 8 / sizeof(unw_word_t);
	return dwarf_search_unwind_table(as, ip, &di, pi, need_unwind_info, arg);
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	/* libunwind frees what dwarf_search_unwind_table() allocated. */
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil, void *arg)
{
	return -UNW_ENOINFO;
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *valp,
		      int write, void *arg)
{
	struct walk *w = arg;
	const struct unwind_state *s = w->s;
	uint64_t sp = s->regs[UNWIND_REG_SP];
	struct unwind_module m;

	if (write)
		return -UNW_EINVAL;
	if (addr >= sp && addr - sp <= s->stack_len && s->stack_len - (addr - sp) >= 8) {
		memcpy(valp, s->stack + (addr - sp), 8);
		return 0;
	}
	if (w->find(w->ctx, addr, &m) == 0 &&
	    elffile_read(m.ef, addr - m.bias, valp, sizeof(*valp)) == 0)
		return 0;
	return -UNW_EINVAL;
}

static int access_reg(unw_addr_space_t as, unw_regnum_t regnum, unw_word_t *valp,
		      int write, void *arg)
{
	struct walk *w = arg;
	int r = perf_reg(regnum);

	if (write || r < 0)
		return -UNW_EBADREG;
	*valp = w->s->regs[r];
	return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t regnum, unw_fpreg_t *val,
			int write, void *arg)
{
	return -UNW_EBADREG;
}

static int resume(unw_addr_space_t as, unw_cursor_t *cu, void *arg)
{
	return -UNW_EINVAL;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *bufp,
			 size_t buf_len, unw_word_t *offp, void *arg)
{
	return -UNW_EINVAL;
}

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

struct unwind *unwind_new(void)
{
	struct unwind *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->as = unw_create_addr_space(&accessors, 0);
	if (!u->as) {
		free(u);
		return NULL;
	}
	unw_set_caching_policy(u->as, UNW_CACHE_GLOBAL);
	return u;
}

void unwind_free(struct unwind *u)
{
	if (!u)
		return;
	unw_destroy_addr_space(u->as);
	free(u);
}

void unwind_flush(struct unwind *u)
{
	unw_flush_cache(u->as, 0, 0);
}

size_t unwind_stack(struct unwind *u, const struct unwind_state *s,
		    unwind_find_fn find, void *ctx, uint64_t *ips, size_t max)
{
	struct walk w = { s, find, ctx };
	unw_cursor_t c;
	unw_word_t ip, sp, prev_sp = 0;
	size_t n = 0;

	if (!max || !s->regs[UNWIND_REG_IP])
		return 0;
	ips[n++] = s->regs[UNWIND_REG_IP];
	if (unw_init_remote(&c, u->as, &w) < 0)
		return n;
	prev_sp = s->regs[UNWIND_REG_SP];
	while (n < max) {
		if (unw_step(&c) <= 0)
			break;
		if (unw_get_reg(&c, UNW_REG_IP, &ip) < 0 || ip == 0)
			break;
		if (unw_get_reg(&c, UNW_REG_SP, &sp) < 0)
			break;
		/* The stack grows down: a caller's frame is above. A walk
		 * that does not move up is looping on bad data. */
		if (sp < prev_sp || (sp == prev_sp && ip == ips[n - 1]))
			break;
		prev_sp = sp;
		ips[n++] = ip;
	}
	return n;
}
