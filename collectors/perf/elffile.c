/* elffile.c - see elffile.h */
#include "collectors/perf/elffile.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE_MASK_4K (~(uint64_t)0xfff)

struct elffile {
	char *path;
	int fd;
	Elf *elf;
	const unsigned char *image;
	size_t size;
	struct elffile_load loads[ELFFILE_MAX_LOADS];
	size_t nloads;
	uint64_t eh_vaddr, eh_size;
	int has_eh;
	uint8_t build_id[ELFFILE_MAX_BUILD_ID];
	size_t build_id_len;
	char *debuglink;
};

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Find NT_GNU_BUILD_ID in the notes at image[off..off+len). */
static void scan_notes(struct elffile *ef, uint64_t off, uint64_t len)
{
	uint64_t end;

	if (off > ef->size || len > ef->size - off)
		return;
	end = off + len;
	while (end - off >= 12) {
		uint32_t namesz, descsz, type;
		uint64_t name, desc;

		memcpy(&namesz, ef->image + off, 4);
		memcpy(&descsz, ef->image + off + 4, 4);
		memcpy(&type, ef->image + off + 8, 4);
		name = off + 12;
		if (align4(namesz) > end - name)
			return;
		desc = name + align4(namesz);
		if (align4(descsz) > end - desc)
			return;
		if (type == NT_GNU_BUILD_ID && namesz == 4 &&
		    memcmp(ef->image + name, "GNU", 4) == 0 &&
		    descsz > 0 && descsz <= ELFFILE_MAX_BUILD_ID) {
			memcpy(ef->build_id, ef->image + desc, descsz);
			ef->build_id_len = descsz;
			return;
		}
		off = desc + align4(descsz);
	}
}

static int read_phdrs(struct elffile *ef)
{
	size_t n, i;
	GElf_Phdr ph;

	if (elf_getphdrnum(ef->elf, &n) < 0)
		return -ENOEXEC;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(ef->elf, (int)i, &ph))
			return -ENOEXEC;
		if (ph.p_type == PT_LOAD && ef->nloads < ELFFILE_MAX_LOADS) {
			struct elffile_load *l = &ef->loads[ef->nloads];

			if (ph.p_offset > ef->size || ph.p_filesz > ef->size - ph.p_offset)
				continue;	/* truncated: ignore the segment */
			l->vaddr = ph.p_vaddr;
			l->memsz = ph.p_memsz;
			l->offset = ph.p_offset;
			l->filesz = ph.p_filesz;
			l->flags = ph.p_flags;
			ef->nloads++;
		} else if (ph.p_type == PT_GNU_EH_FRAME) {
			ef->eh_vaddr = ph.p_vaddr;
			ef->eh_size = ph.p_memsz;
			ef->has_eh = 1;
		} else if (ph.p_type == PT_NOTE && !ef->build_id_len) {
			scan_notes(ef, ph.p_offset, ph.p_filesz);
		}
	}
	return 0;
}

static int read_sections(struct elffile *ef)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(ef->elf, &shstrndx) < 0)
		return 0;	/* no section headers: fine */
	while ((scn = elf_nextscn(ef->elf, scn)) != NULL) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_NOTE && !ef->build_id_len)
			scan_notes(ef, sh.sh_offset, sh.sh_size);
		if (sh.sh_type != SHT_PROGBITS || ef->debuglink)
			continue;
		name = elf_strptr(ef->elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".gnu_debuglink") != 0)
			continue;
		if (sh.sh_offset < ef->size && sh.sh_size <= ef->size - sh.sh_offset) {
			const char *p = (const char *)ef->image + sh.sh_offset;
			size_t len = strnlen(p, sh.sh_size);

			if (len > 0 && len < sh.sh_size && !memchr(p, '/', len)) {
				ef->debuglink = strndup(p, len);
				if (!ef->debuglink)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

int elffile_open(struct elffile **efp, const char *path, struct tp_error *err)
{
	struct elffile *ef;
	GElf_Ehdr eh;
	int rc;

	*efp = NULL;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return tp_error_set(err, -ENOSYS, path, 0, -1, "libelf: %s", elf_errmsg(-1));
	ef = calloc(1, sizeof(*ef));
	if (!ef || !(ef->path = strdup(path))) {
		free(ef);
		return tp_error_set(err, -ENOMEM, path, 0, -1, "out of memory");
	}
	ef->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ef->fd < 0) {
		rc = tp_error_set(err, -errno, path, 0, -1, "%s", strerror(errno));
		goto fail;
	}
	ef->elf = elf_begin(ef->fd, ELF_C_READ_MMAP, NULL);
	if (!ef->elf || elf_kind(ef->elf) != ELF_K_ELF) {
		rc = tp_error_set(err, -ENOEXEC, path, 0, -1, "not an ELF file");
		goto fail;
	}
	if (!gelf_getehdr(ef->elf, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64) {
		rc = tp_error_set(err, -ENOEXEC, path, 0, -1, "not a 64-bit x86-64 ELF file");
		goto fail;
	}
	ef->image = (const unsigned char *)elf_rawfile(ef->elf, &ef->size);
	if (!ef->image) {
		rc = tp_error_set(err, -ENOEXEC, path, 0, -1, "libelf: %s", elf_errmsg(-1));
		goto fail;
	}
	if ((rc = read_phdrs(ef)) < 0 || (rc = read_sections(ef)) < 0) {
		tp_error_set(err, rc, path, 0, -1, "%s", rc == -ENOMEM ? "out of memory" :
			     "bad ELF program headers");
		goto fail;
	}
	/* Everything is mapped now; the descriptor is not needed any more. */
	elf_cntl(ef->elf, ELF_C_FDDONE);
	close(ef->fd);
	ef->fd = -1;
	*efp = ef;
	return 0;
fail:
	elffile_free(ef);
	return rc;
}

void elffile_free(struct elffile *ef)
{
	if (!ef)
		return;
	if (ef->elf)
		elf_end(ef->elf);
	if (ef->fd >= 0)
		close(ef->fd);
	free(ef->debuglink);
	free(ef->path);
	free(ef);
}

Elf *elffile_elf(const struct elffile *ef)
{
	return ef->elf;
}

int elffile_bias(const struct elffile *ef, uint64_t start, uint64_t pgoff,
		 uint64_t *bias)
{
	const struct elffile_load *best = NULL;
	size_t i;

	for (i = 0; i < ef->nloads; i++) {
		const struct elffile_load *l = &ef->loads[i];

		if ((l->offset & PAGE_MASK_4K) == pgoff) {
			best = l;
			break;
		}
		if (!best && pgoff >= (l->offset & PAGE_MASK_4K) &&
		    pgoff < l->offset + l->filesz)
			best = l;
	}
	if (!best)
		return -ENOENT;
	*bias = start - (best->vaddr - (best->offset - pgoff));
	return 0;
}

void elffile_span(const struct elffile *ef, uint64_t *lo, uint64_t *hi)
{
	size_t i;

	*lo = UINT64_MAX;
	*hi = 0;
	for (i = 0; i < ef->nloads; i++) {
		const struct elffile_load *l = &ef->loads[i];

		if (l->vaddr < *lo)
			*lo = l->vaddr;
		if (l->vaddr + l->memsz > *hi)
			*hi = l->vaddr + l->memsz;
	}
	if (*lo > *hi)
		*lo = *hi = 0;
}

const void *elffile_ptr(const struct elffile *ef, uint64_t vaddr, size_t n)
{
	size_t i;

	for (i = 0; i < ef->nloads; i++) {
		const struct elffile_load *l = &ef->loads[i];

		if (vaddr >= l->vaddr && vaddr - l->vaddr <= l->filesz &&
		    n <= l->filesz - (vaddr - l->vaddr))
			return ef->image + l->offset + (vaddr - l->vaddr);
	}
	return NULL;
}

int elffile_read(const struct elffile *ef, uint64_t vaddr, void *out, size_t n)
{
	const void *p = elffile_ptr(ef, vaddr, n);

	if (!p)
		return -EFAULT;
	memcpy(out, p, n);
	return 0;
}

int elffile_eh_frame_hdr(const struct elffile *ef, uint64_t *vaddr, uint64_t *size)
{
	if (!ef->has_eh)
		return -ENOENT;
	*vaddr = ef->eh_vaddr;
	*size = ef->eh_size;
	return 0;
}

const uint8_t *elffile_build_id(const struct elffile *ef, size_t *len)
{
	*len = ef->build_id_len;
	return ef->build_id_len ? ef->build_id : NULL;
}

void elffile_build_id_hex(const struct elffile *ef, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, j = 0;

	if (!cap)
		return;
	for (i = 0; i < ef->build_id_len && j + 2 < cap; i++) {
		out[j++] = hex[ef->build_id[i] >> 4];
		out[j++] = hex[ef->build_id[i] & 15];
	}
	out[j] = '\0';
}

const char *elffile_debuglink(const struct elffile *ef)
{
	return ef->debuglink;
}

/* Crates of Rust's prebuilt standard library and its dependencies, as
 * they appear in legacy ("_ZN4core") and v0 ("..._4core") names. */
static const char *const rust_std_crates[] = {
	"3std", "4core", "5alloc", "9hashbrown", "14rustc_demangle", "9backtrace",
	"5gimli", "6object", "11miniz_oxide", "9addr2line", "10std_detect",
	"12panic_unwind", "11panic_abort", "6memchr", "5adler", "6adler2",
	"17compiler_builtins", "4libc", "6unwind", "7___rustc",
};

static int is_rust_std(const char *name)
{
	char key[40];
	size_t i;

	if (strncmp(name, "__rust", 6) == 0 || strncmp(name, "rust_", 5) == 0)
		return 1;
	for (i = 0; i < sizeof(rust_std_crates) / sizeof(rust_std_crates[0]); i++) {
		if (name[0] == '_' && name[1] == 'Z' && name[2] == 'N' &&
		    strncmp(name + 3, rust_std_crates[i], strlen(rust_std_crates[i])) == 0)
			return 1;
		if (name[0] == '_' && name[1] == 'R') {
			snprintf(key, sizeof(key), "_%s", rust_std_crates[i]);
			if (strstr(name, key))
				return 1;
		}
	}
	return 0;
}

/* "mov %rsp,%rbp" (either encoding): code that omits frame pointers has
 * no reason to copy the stack pointer into %rbp. */
static int sets_up_frame(const unsigned char *code, size_t n)
{
	size_t i;

	for (i = 0; i + 3 <= n; i++)
		if (code[i] == 0x48 && ((code[i + 1] == 0x89 && code[i + 2] == 0xe5) ||
					(code[i + 1] == 0x8b && code[i + 2] == 0xec)))
			return 1;
	return 0;
}

int elffile_has_frame_pointers(const struct elffile *ef)
{
	Elf_Scn *scn = NULL, *dyn = NULL, *use;
	GElf_Shdr sh;
	Elf_Data *data;
	size_t i, n, with = 0, judged = 0;

	while ((scn = elf_nextscn(ef->elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB)
			break;
		if (sh.sh_type == SHT_DYNSYM)
			dyn = scn;
	}
	use = scn ? scn : dyn;
	if (!use || !gelf_getshdr(use, &sh) || sh.sh_entsize == 0)
		return -ENOENT;
	data = elf_getdata(use, NULL);
	if (!data)
		return -ENOENT;
	n = sh.sh_size / sh.sh_entsize;
	for (i = 0; i < n && judged < 4000; i++) {
		GElf_Sym sym;
		const char *name;
		const unsigned char *code;
		size_t len;

		if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || sym.st_size < 16)
			continue;
		name = elf_strptr(ef->elf, sh.sh_link, sym.st_name);
		if (!name || is_rust_std(name))
			continue;
		len = sym.st_size < 64 ? sym.st_size : 64;
		code = elffile_ptr(ef, sym.st_value, len);
		if (!code)
			continue;
		judged++;
		with += sets_up_frame(code, len);
	}
	if (!judged)
		return -ENOENT;
	/* Leaf functions may skip the frame even in frame-pointer builds;
	 * code built without them sets up (almost) none. */
	return with * 4 >= judged;
}
