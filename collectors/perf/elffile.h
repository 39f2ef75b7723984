/* elffile.h - one ELF file opened for unwinding and symbols.
 *
 * The file is mapped read-only through libelf (ELF_C_READ_MMAP); its
 * PT_LOAD segments, .eh_frame_hdr, build-id and .gnu_debuglink are read
 * once at open. Reads by ELF virtual address (elffile_read) come from the
 * file's bytes, so code and unwind tables can be read without touching the
 * profiled process.
 *
 * Load bias: a mapping of the file at start with file offset pgoff puts
 * ELF address v at v + bias. The bias comes from the PT_LOAD segment that
 * mapping covers: bias = start - (p_vaddr - (p_offset - pgoff)). This is
 * right also for binaries whose p_vaddr and p_offset differ by more than
 * the page offset (rust-lld lays out R E at p_offset 0x16090, p_vaddr
 * 0x17090); "start + off - pgoff" is not.
 *
 * Files are untrusted: every offset and size is checked against the file.
 */
#ifndef TIPROF_ELFFILE_H
#define TIPROF_ELFFILE_H

#include <stddef.h>
#include <stdint.h>
#include <libelf.h>
#include "analyzers/base/error.h"

#define ELFFILE_MAX_LOADS 64
#define ELFFILE_MAX_BUILD_ID 64

struct elffile_load {
	uint64_t vaddr, memsz;
	uint64_t offset, filesz;
	uint32_t flags;		/* PF_R | PF_W | PF_X */
};

struct elffile;

/* Open path (an ELF file of this machine's class). 0, -ENOENT/-EACCES...
 * (cannot open), -ENOEXEC (not a 64-bit ELF file), -ENOMEM; err says
 * which. */
int elffile_open(struct elffile **ef, const char *path, struct tp_error *err);

/* Accepts NULL. */
void elffile_free(struct elffile *ef);

/* Borrowed, valid until elffile_free(). */
Elf *elffile_elf(const struct elffile *ef);

/* The bias of a mapping of this file at start, file offset pgoff.
 * 0, or -ENOENT when no PT_LOAD covers pgoff. */
int elffile_bias(const struct elffile *ef, uint64_t start, uint64_t pgoff,
		 uint64_t *bias);

/* Lowest and highest+1 ELF virtual address of the PT_LOAD segments. */
void elffile_span(const struct elffile *ef, uint64_t *lo, uint64_t *hi);

/* Copy n bytes at ELF virtual address vaddr from the file image.
 * 0, or -EFAULT when they are not all file-backed bytes of one PT_LOAD. */
int elffile_read(const struct elffile *ef, uint64_t vaddr, void *out, size_t n);

/* Address of n bytes at vaddr inside the mapped image, or NULL. */
const void *elffile_ptr(const struct elffile *ef, uint64_t vaddr, size_t n);

/* The .eh_frame_hdr (PT_GNU_EH_FRAME) segment: 0, or -ENOENT. */
int elffile_eh_frame_hdr(const struct elffile *ef, uint64_t *vaddr, uint64_t *size);

/* The GNU build-id note (NULL and *len 0 when absent), borrowed. */
const uint8_t *elffile_build_id(const struct elffile *ef, size_t *len);
/* Build-id as lower-case hex into out (2 * len + 1 bytes); "" when absent. */
void elffile_build_id_hex(const struct elffile *ef, char *out, size_t cap);

/* The .gnu_debuglink file name, or NULL. Borrowed. */
const char *elffile_debuglink(const struct elffile *ef);

/* Whether the file's own code keeps frame pointers: among its function
 * symbols (Rust's prebuilt standard library and its dependencies left out,
 * since those are built apart from the program, with frame pointers), the
 * share whose first 64 bytes set one up ("mov %rsp,%rbp", also after a
 * shrink-wrapped early exit). Leaf functions may go without a frame even
 * in a frame-pointer build, so 1 when at least a quarter do, 0 when fewer
 * do, -ENOENT without function symbols to judge from. */
int elffile_has_frame_pointers(const struct elffile *ef);

#endif
