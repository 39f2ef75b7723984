/* test_symtab.c - ELF symbols with load bias (incl. p_vaddr != p_offset),
 * .symtab / .dynsym / separate debug files (build-id, .gnu_debuglink),
 * JIT maps, kallsyms, demangling, the address cache, and the frame
 * pointer heuristic. The ELF files are written here with libelf. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collectors/perf/elffile.h"
#include "collectors/perf/symtab.h"
#include "check.h"

static char tmpdir[256];

/* ---- a small ELF writer ----
 * Layout (like rust-lld's): a read-only PT_LOAD at offset 0, vaddr 0, and
 * an executable PT_LOAD whose p_vaddr (0x2090) is a page above its
 * p_offset (0x1090). .text: 0x100 bytes there. */
#define TEXT_OFF 0x1090
#define TEXT_ADDR 0x2090
#define TEXT_SIZE 0x100

struct tsym {
	const char *name;
	uint64_t value, size;
	int bind;
};

struct telf {
	int dynsym;			/* symbols in .dynsym instead of .symtab */
	const struct tsym *syms;
	int nsyms;
	const unsigned char *build_id;	/* 20 bytes or NULL */
	const char *debuglink;
	unsigned char text[TEXT_SIZE];
};

static Elf_Scn *add_scn(Elf *e, const char *name_unused, uint32_t name, uint32_t type,
			uint64_t addr, uint64_t off, void *buf, size_t size, Elf_Type dt,
			uint32_t link, uint64_t entsize, uint64_t flags)
{
	Elf_Scn *s = elf_newscn(e);
	Elf_Data *d = elf_newdata(s);
	Elf64_Shdr *sh = elf64_getshdr(s);

	d->d_buf = buf;
	d->d_size = size;
	d->d_type = dt;
	d->d_align = 1;
	d->d_version = EV_CURRENT;
	sh->sh_name = name;
	sh->sh_type = type;
	sh->sh_addr = addr;
	sh->sh_offset = off;
	sh->sh_size = size;
	sh->sh_link = link;
	sh->sh_entsize = entsize;
	sh->sh_flags = flags;
	sh->sh_addralign = 1;
	return s;
}

static int write_elf(const char *path, const struct telf *t)
{
	char shstr[256], str[1024];
	size_t shlen = 1, slen = 1;
	Elf64_Sym syms[16];
	unsigned char note[64], link[64];
	size_t notelen = 0, linklen = 0;
	uint32_t n_text, n_sym, n_str, n_note = 0, n_link = 0, n_sh;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	Elf *e;
	int fd, i, symidx, rc = -1;

	memset(shstr, 0, sizeof(shstr));
	memset(str, 0, sizeof(str));
	memset(syms, 0, sizeof(syms));
#define SHSTR(s) (memcpy(shstr + shlen, s, strlen(s) + 1), shlen += strlen(s) + 1, \
		  (uint32_t)(shlen - strlen(s) - 1))
	n_text = SHSTR(".text");
	n_sym = SHSTR(t->dynsym ? ".dynsym" : ".symtab");
	n_str = SHSTR(t->dynsym ? ".dynstr" : ".strtab");
	if (t->build_id)
		n_note = SHSTR(".note.gnu.build-id");
	if (t->debuglink)
		n_link = SHSTR(".gnu_debuglink");
	n_sh = SHSTR(".shstrtab");
	for (i = 0; i < t->nsyms; i++) {
		Elf64_Sym *s = &syms[i + 1];

		s->st_name = (uint32_t)slen;
		memcpy(str + slen, t->syms[i].name, strlen(t->syms[i].name) + 1);
		slen += strlen(t->syms[i].name) + 1;
		s->st_info = ELF64_ST_INFO(t->syms[i].bind, STT_FUNC);
		s->st_shndx = 1;	/* .text */
		s->st_value = t->syms[i].value;
		s->st_size = t->syms[i].size;
	}
	if (t->build_id) {
		uint32_t hdr[3] = { 4, 20, NT_GNU_BUILD_ID };

		memcpy(note, hdr, 12);
		memcpy(note + 12, "GNU", 4);
		memcpy(note + 16, t->build_id, 20);
		notelen = 36;
	}
	if (t->debuglink) {
		size_t l = strlen(t->debuglink) + 1;

		memset(link, 0, sizeof(link));
		memcpy(link, t->debuglink, l);
		linklen = ((l + 3) & ~(size_t)3) + 4;	/* + CRC (not checked) */
	}

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e)
		goto out;
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	eh = elf64_newehdr(e);
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_DYN;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = 64;
	eh->e_shoff = 0x1800;
	ph = elf64_newphdr(e, 2);
	ph[0].p_type = PT_LOAD;
	ph[0].p_offset = 0;
	ph[0].p_vaddr = ph[0].p_paddr = 0;
	ph[0].p_filesz = ph[0].p_memsz = 0x1000;
	ph[0].p_flags = PF_R;
	ph[0].p_align = 0x1000;
	ph[1].p_type = PT_LOAD;
	ph[1].p_offset = TEXT_OFF;
	ph[1].p_vaddr = ph[1].p_paddr = TEXT_ADDR;
	ph[1].p_filesz = ph[1].p_memsz = TEXT_SIZE;
	ph[1].p_flags = PF_R | PF_X;
	ph[1].p_align = 0x1000;
	add_scn(e, NULL, n_text, SHT_PROGBITS, TEXT_ADDR, TEXT_OFF, (void *)t->text, TEXT_SIZE,
		ELF_T_BYTE, 0, 0, SHF_ALLOC | SHF_EXECINSTR);			/* 1 */
	symidx = 2;
	add_scn(e, NULL, n_sym, t->dynsym ? SHT_DYNSYM : SHT_SYMTAB, 0, 0x1200, syms,
		(size_t)(t->nsyms + 1) * sizeof(Elf64_Sym), ELF_T_SYM, symidx + 1,
		sizeof(Elf64_Sym), 0);						/* 2 */
	add_scn(e, NULL, n_str, SHT_STRTAB, 0, 0x1400, str, slen, ELF_T_BYTE, 0, 0, 0); /* 3 */
	if (t->build_id)
		add_scn(e, NULL, n_note, SHT_NOTE, 0x200, 0x200, note, notelen, ELF_T_BYTE, 0, 0,
			SHF_ALLOC);
	if (t->debuglink)
		add_scn(e, NULL, n_link, SHT_PROGBITS, 0, 0x300, link, linklen, ELF_T_BYTE, 0, 0, 0);
	add_scn(e, NULL, n_sh, SHT_STRTAB, 0, 0x1600, shstr, shlen, ELF_T_BYTE, 0, 0, 0);
	eh->e_shstrndx = (uint16_t)(3 + (t->build_id ? 1 : 0) + (t->debuglink ? 1 : 0) + 1);
	if (elf_update(e, ELF_C_WRITE) < 0) {
		fprintf(stderr, "  elf_update: %s\n", elf_errmsg(-1));
		goto out;
	}
	rc = 0;
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
#undef SHSTR
}

static void path_in(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", tmpdir, name);
}

/* ---- tests ---- */

static const struct tsym two_syms[] = {
	{ "_ZN7rtarget9leaf_hash17ha7ccfa46e9eb2285E", 0x20a0, 0x20, STB_GLOBAL },
	{ "other", 0x2100, 0x10, STB_LOCAL },
};

static void test_bias_pvaddr_ne_poffset(void)
{
	char p[512];
	struct telf t;
	struct elffile *ef;
	struct symtab *st;
	struct symtab_file *f;
	struct symtab_sym s;
	uint64_t bias, lo, hi, start = 0x7f0000001000ULL;
	unsigned char got[4];

	memset(&t, 0, sizeof(t));
	t.syms = two_syms;
	t.nsyms = 2;
	memcpy(t.text + 0x10, "\x55\x48\x89\xe5", 4);	/* at 0x20a0 */
	path_in(p, sizeof(p), "lld.so");
	CHECK_EQ_INT(write_elf(p, &t), 0);
	CHECK_EQ_INT(elffile_open(&ef, p, NULL), 0);
	if (!ef)
		return;
	/* The executable segment is mapped from its page, offset 0x1000. */
	CHECK_EQ_INT(elffile_bias(ef, start, 0x1000, &bias), 0);
	CHECK_EQ_INT(bias, start - 0x2000);
	/* Not start + (vaddr - p_vaddr) - (pgoff - p_offset)'s naive form: */
	CHECK(bias + 0x20a0 == 0x7f00000010a0ULL);
	CHECK_EQ_INT(elffile_bias(ef, 0x5000, 0, &bias), 0);
	CHECK_EQ_INT(bias, 0x5000);
	CHECK_EQ_INT(elffile_bias(ef, 0x5000, 0x9000, &bias), -ENOENT);
	elffile_span(ef, &lo, &hi);
	CHECK_EQ_INT(lo, 0);
	CHECK_EQ_INT(hi, TEXT_ADDR + TEXT_SIZE);
	CHECK_EQ_INT(elffile_read(ef, 0x20a0, got, 4), 0);
	CHECK(memcmp(got, "\x55\x48\x89\xe5", 4) == 0);
	CHECK_EQ_INT(elffile_read(ef, TEXT_ADDR + TEXT_SIZE - 2, got, 4), -EFAULT);
	CHECK_EQ_INT(elffile_read(ef, 0x1fff, got, 4), -EFAULT);
	CHECK_EQ_INT(elffile_has_frame_pointers(ef), 1);
	elffile_free(ef);

	st = symtab_new(NULL);
	CHECK(st != NULL);
	f = symtab_file(st, p, NULL);
	CHECK(f != NULL);
	if (!st || !f)
		goto out;
	CHECK_EQ_INT(symtab_lookup(st, f, 0x20a5, &s), 1);
	CHECK(s.len == 18 && memcmp(s.name, "rtarget::leaf_hash", 18) == 0);
	CHECK_EQ_INT(s.start, 0x20a0);
	CHECK_EQ_INT(symtab_lookup(st, f, 0x2105, &s), 1);
	CHECK(s.len == 5 && memcmp(s.name, "other", 5) == 0);
	/* Past a sized symbol's end, before the next: nothing. */
	CHECK_EQ_INT(symtab_lookup(st, f, 0x20c5, &s), 0);
	CHECK_EQ_INT(symtab_lookup(st, f, 0x2000, &s), 0);
	/* The same address again comes from the cache. */
	CHECK_EQ_INT(symtab_lookup(st, f, 0x20a5, &s), 1);
	{
		struct symtab_stats ss;

		symtab_get_stats(st, &ss);
		CHECK_EQ_INT(ss.lookups, 5);
		CHECK_EQ_INT(ss.cache_hits, 1);
		CHECK_EQ_INT(ss.files, 1);
	}
	/* Unknown files are remembered as such. */
	CHECK(symtab_file(st, "/nonexistent/file", NULL) == NULL);
	CHECK(symtab_file(st, "/nonexistent/file", NULL) == NULL);
out:
	symtab_free(st);
}

static void test_no_demangle_no_cache(void)
{
	char p[512];
	struct symtab_opts o;
	struct symtab *st;
	struct symtab_file *f;
	struct symtab_sym s;
	struct symtab_stats ss;

	path_in(p, sizeof(p), "lld.so");
	memset(&o, 0, sizeof(o));
	o.no_demangle = 1;
	o.no_cache = 1;
	st = symtab_new(&o);
	f = st ? symtab_file(st, p, NULL) : NULL;
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ_INT(symtab_lookup(st, f, 0x20a5, &s), 1);
		CHECK(s.len == strlen(two_syms[0].name) && memcmp(s.name, two_syms[0].name, s.len) == 0);
		CHECK_EQ_INT(symtab_lookup(st, f, 0x20a5, &s), 1);
		symtab_get_stats(st, &ss);
		CHECK_EQ_INT(ss.cache_hits, 0);
	}
	symtab_free(st);
}

static const unsigned char bid[20] = {
	0xab, 0xcd, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12,
};

static void test_debug_build_id(void)
{
	static const struct tsym dyn[] = { { "exported", 0x20a0, 0x80, STB_GLOBAL } };
	static const struct tsym full[] = {
		{ "exported", 0x20a0, 0x40, STB_GLOBAL },
		{ "__GI_exported", 0x20a0, 0x40, STB_LOCAL },
		{ "local_helper", 0x2100, 0x20, STB_LOCAL },
		{ "versioned@@LIB_1.0", 0x2140, 0x10, STB_GLOBAL },
	};
	char main_path[1024], dbg[4096], dir[1024];
	struct telf t;
	struct symtab_opts o;
	struct symtab *st;
	struct symtab_file *f;
	struct symtab_sym s;
	struct elffile *ef;
	char hex[64];

	memset(&t, 0, sizeof(t));
	t.dynsym = 1;
	t.syms = dyn;
	t.nsyms = 1;
	t.build_id = bid;
	path_in(main_path, sizeof(main_path), "libbid.so");
	CHECK_EQ_INT(write_elf(main_path, &t), 0);
	CHECK_EQ_INT(elffile_open(&ef, main_path, NULL), 0);
	if (ef) {
		elffile_build_id_hex(ef, hex, sizeof(hex));
		CHECK_EQ_STR(hex, "abcd0102030405060708090a0b0c0d0e0f101112");
		elffile_free(ef);
	}
	path_in(dir, sizeof(dir), "debug/.build-id/ab");
	snprintf(dbg, sizeof(dbg), "mkdir -p %s", dir);
	CHECK_EQ_INT(system(dbg), 0);
	snprintf(dbg, sizeof(dbg), "%s/cd0102030405060708090a0b0c0d0e0f101112.debug", dir);
	t.dynsym = 0;
	t.syms = full;
	t.nsyms = 4;
	CHECK_EQ_INT(write_elf(dbg, &t), 0);

	/* Without the debug directory: .dynsym only. */
	memset(&o, 0, sizeof(o));
	path_in(dir, sizeof(dir), "no-such-debug");
	o.debug_dir = dir;
	st = symtab_new(&o);
	f = st ? symtab_file(st, main_path, NULL) : NULL;
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ_INT(symtab_lookup(st, f, 0x2105, &s), 1);
		CHECK(s.len == 8 && memcmp(s.name, "exported", 8) == 0);
	}
	symtab_free(st);

	/* With it: the debug file's .symtab, local symbols included. */
	path_in(dir, sizeof(dir), "debug");
	o.debug_dir = dir;
	st = symtab_new(&o);
	f = st ? symtab_file(st, main_path, NULL) : NULL;
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ_INT(symtab_lookup(st, f, 0x2105, &s), 1);
		CHECK(s.len == 12 && memcmp(s.name, "local_helper", 12) == 0);
		/* Aliases: the global, plain name wins. */
		CHECK_EQ_INT(symtab_lookup(st, f, 0x20a1, &s), 1);
		CHECK(s.len == 8 && memcmp(s.name, "exported", 8) == 0);
		/* Symbol versions are dropped. */
		CHECK_EQ_INT(symtab_lookup(st, f, 0x2141, &s), 1);
		CHECK(s.len == 9 && memcmp(s.name, "versioned", 9) == 0);
	}
	symtab_free(st);

	/* A debug file with another build-id is not used. */
	{
		unsigned char other[20];

		memcpy(other, bid, 20);
		other[19] ^= 1;
		t.build_id = other;
		CHECK_EQ_INT(write_elf(dbg, &t), 0);
		st = symtab_new(&o);
		f = st ? symtab_file(st, main_path, NULL) : NULL;
		if (f) {
			CHECK_EQ_INT(symtab_lookup(st, f, 0x2105, &s), 1);
			CHECK(s.len == 8 && memcmp(s.name, "exported", 8) == 0);
		}
		symtab_free(st);
	}
}

static void test_debuglink(void)
{
	static const struct tsym dyn[] = { { "exported", 0x20a0, 0x40, STB_GLOBAL } };
	static const struct tsym full[] = { { "from_debuglink", 0x20a0, 0x40, STB_LOCAL } };
	char main_path[1024], dbg[4096], dir[1024], cmd[8192];
	struct telf t;
	struct symtab_opts o;
	struct symtab *st;
	struct symtab_file *f;
	struct symtab_sym s;

	memset(&t, 0, sizeof(t));
	t.dynsym = 1;
	t.syms = dyn;
	t.nsyms = 1;
	t.debuglink = "liblink.so.debug";
	path_in(main_path, sizeof(main_path), "lib/liblink.so");
	path_in(dir, sizeof(dir), "lib");
	snprintf(cmd, sizeof(cmd), "mkdir -p %s %s/dbg%s", dir, tmpdir, dir);
	CHECK_EQ_INT(system(cmd), 0);
	CHECK_EQ_INT(write_elf(main_path, &t), 0);
	/* DEBUG_DIR/<dir of the file>/NAME */
	snprintf(dbg, sizeof(dbg), "%s/dbg%s/liblink.so.debug", tmpdir, dir);
	t.dynsym = 0;
	t.syms = full;
	t.debuglink = NULL;
	CHECK_EQ_INT(write_elf(dbg, &t), 0);
	memset(&o, 0, sizeof(o));
	snprintf(dir, sizeof(dir), "%s/dbg", tmpdir);
	o.debug_dir = dir;
	st = symtab_new(&o);
	f = st ? symtab_file(st, main_path, NULL) : NULL;
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ_INT(symtab_lookup(st, f, 0x20b0, &s), 1);
		CHECK(s.len == 14 && memcmp(s.name, "from_debuglink", 14) == 0);
	}
	symtab_free(st);
}

static void test_jit_map(void)
{
	char p[512];
	struct symtab_opts o;
	struct symtab *st;
	struct symtab_sym s;
	FILE *fp;

	snprintf(p, sizeof(p), "%s/perf-4242.map", tmpdir);
	fp = fopen(p, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fprintf(fp, "7f0000001000 100 LazyCompile:~handler app.js:10\n"
		    "garbage line\n"
		    "7f0000002000 10 _ZN7rtarget9leaf_hash17ha7ccfa46e9eb2285E\n");
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.jit_dir = tmpdir;
	st = symtab_new(&o);
	CHECK(st != NULL);
	if (!st)
		return;
	CHECK_EQ_INT(symtab_lookup_jit(st, 4242, 0x7f0000001050ULL, &s), 1);
	CHECK(s.len == 30 && memcmp(s.name, "LazyCompile:~handler app.js:10", 30) == 0);
	CHECK_EQ_INT(symtab_lookup_jit(st, 4242, 0x7f0000002008ULL, &s), 1);
	CHECK(s.len == 18 && memcmp(s.name, "rtarget::leaf_hash", 18) == 0);
	CHECK_EQ_INT(symtab_lookup_jit(st, 4242, 0x7f0000003000ULL, &s), 0);
	CHECK_EQ_INT(symtab_lookup_jit(st, 4243, 0x7f0000001050ULL, &s), 0);
	/* The map grows while the process runs: reloaded on a miss. */
	fp = fopen(p, "a");
	if (fp) {
		fprintf(fp, "7f0000003000 20 later_fn\n");
		fclose(fp);
	}
	CHECK_EQ_INT(symtab_lookup_jit(st, 4242, 0x7f0000003004ULL, &s), 1);
	CHECK(s.len == 8 && memcmp(s.name, "later_fn", 8) == 0);
	symtab_free(st);
}

static void test_kallsyms(void)
{
	char p[512];
	struct symtab_opts o;
	struct symtab *st;
	struct symtab_sym s;
	FILE *fp;

	snprintf(p, sizeof(p), "%s/kallsyms", tmpdir);
	fp = fopen(p, "w");
	CHECK(fp != NULL);
	if (!fp)
		return;
	fprintf(fp, "ffffffff81000000 T _stext\n"
		    "ffffffff81000100 t read_zero\n"
		    "ffffffff81000200 D some_data\n"
		    "ffffffff81000300 T vfs_read\t[ext4]\n"
		    "0000000000000000 T hidden\n");
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.kallsyms = p;
	st = symtab_new(&o);
	CHECK(st != NULL);
	if (!st)
		return;
	CHECK_EQ_INT(symtab_lookup_kernel(st, 0xffffffff81000150ULL, &s), 1);
	CHECK(s.len == 9 && memcmp(s.name, "read_zero", 9) == 0);
	/* Data symbols are not functions: the text symbol below wins. */
	CHECK_EQ_INT(symtab_lookup_kernel(st, 0xffffffff81000250ULL, &s), 1);
	CHECK(s.len == 9 && memcmp(s.name, "read_zero", 9) == 0);
	CHECK_EQ_INT(symtab_lookup_kernel(st, 0xffffffff81000310ULL, &s), 1);
	CHECK(s.len == 8 && memcmp(s.name, "vfs_read", 8) == 0);
	CHECK_EQ_INT(symtab_lookup_kernel(st, 0x1000, &s), 0);
	symtab_free(st);
}

/* A function of this very program, found through /proc/self/maps. */
__attribute__((noinline)) int symtab_probe_function(int x);
__attribute__((noinline)) int symtab_probe_function(int x)
{
	return x * 3 + 1;
}

static void test_self(void)
{
	uint64_t addr = (uint64_t)(uintptr_t)&symtab_probe_function, bias = 0;
	unsigned long long start, end, off;
	char line[4096], perms[8], path[4096];
	struct symtab *st = symtab_new(NULL);
	struct symtab_file *f = NULL;
	struct symtab_sym s;
	FILE *fp = fopen("/proc/self/maps", "r");
	int found = 0;

	CHECK(fp && st);
	while (fp && fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %4095s", &start, &end, perms, &off,
			   path) == 5 && addr >= start && addr < end) {
			f = st ? symtab_file(st, path, NULL) : NULL;
			CHECK(f != NULL);
			if (f)
				CHECK_EQ_INT(elffile_bias(symtab_file_elf(f), start, off, &bias), 0);
			found = 1;
			break;
		}
	}
	if (fp)
		fclose(fp);
	CHECK(found);
	if (f) {
		CHECK_EQ_INT(symtab_lookup(st, f, addr - bias + 3, &s), 1);
		CHECK(s.len == strlen("symtab_probe_function") &&
		      memcmp(s.name, "symtab_probe_function", s.len) == 0);
		CHECK_EQ_INT(s.start, addr - bias);
	}
	symtab_free(st);
	CHECK_EQ_INT(symtab_probe_function(1), 4);
}

static void test_frame_pointer_heuristic(void)
{
	static const struct tsym fns[] = {
		{ "f1", 0x20a0, 0x20, STB_GLOBAL }, { "f2", 0x20c0, 0x20, STB_GLOBAL },
		{ "f3", 0x20e0, 0x20, STB_GLOBAL }, { "f4", 0x2100, 0x20, STB_GLOBAL },
		{ "f5", 0x2120, 0x20, STB_GLOBAL },
		/* Rust's prebuilt std is left out of the count. */
		{ "_ZN3std2rt10lang_start17h0123456789abcdefE", 0x2140, 0x20, STB_GLOBAL },
		{ "_RNvMNtCsgEmfK2I1SDS_4core3str4trim", 0x2160, 0x20, STB_GLOBAL },
	};
	char p[512];
	struct telf t;
	struct elffile *ef;

	memset(&t, 0, sizeof(t));
	t.syms = fns;
	t.nsyms = 7;
	memcpy(t.text + 0xb0, "\x55\x48\x89\xe5", 4);	/* std */
	memcpy(t.text + 0xd0, "\x55\x48\x89\xe5", 4);	/* core */
	path_in(p, sizeof(p), "nofp");
	CHECK_EQ_INT(write_elf(p, &t), 0);
	CHECK_EQ_INT(elffile_open(&ef, p, NULL), 0);
	if (ef)
		CHECK_EQ_INT(elffile_has_frame_pointers(ef), 0);
	elffile_free(ef);
	/* Two of five set up a frame (one after a shrink-wrapped exit). */
	memcpy(t.text + 0x10, "\x55\x48\x89\xe5", 4);
	memcpy(t.text + 0x30 + 9, "\x55\x41\x50\x48\x89\xe5", 6);
	path_in(p, sizeof(p), "fp");
	CHECK_EQ_INT(write_elf(p, &t), 0);
	CHECK_EQ_INT(elffile_open(&ef, p, NULL), 0);
	if (ef)
		CHECK_EQ_INT(elffile_has_frame_pointers(ef), 1);
	elffile_free(ef);
	CHECK(elffile_open(&ef, "/nonexistent", NULL) == -ENOENT);
	path_in(p, sizeof(p), "kallsyms");	/* not ELF */
	CHECK(elffile_open(&ef, p, NULL) == -ENOEXEC);
}

int main(void)
{
	char cmd[300];

	elf_version(EV_CURRENT);
	snprintf(tmpdir, sizeof(tmpdir), "%s/tiprof-symtab.XXXXXX",
		 getenv("TEST_TMP") ? getenv("TEST_TMP") : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_bias_pvaddr_ne_poffset);
	RUN(test_no_demangle_no_cache);
	RUN(test_debug_build_id);
	RUN(test_debuglink);
	RUN(test_jit_map);
	RUN(test_kallsyms);
	RUN(test_self);
	RUN(test_frame_pointer_heuristic);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return CHECK_DONE();
}
