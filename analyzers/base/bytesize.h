/* bytesize.h - human-readable byte sizes, as PD prints them.
 *
 * PD's store status gives capacity, available and used_size as strings
 * made by go-units BytesSize: "%.4g" of the value in binary units,
 * e.g. "1.819TiB", "931.5GiB", "0B". bytesize_parse() reads those, and the
 * decimal units of go-units HumanSize ("kB", "MB", ... "PB") as well.
 */
#ifndef TIPROF_BYTESIZE_H
#define TIPROF_BYTESIZE_H

#include <stddef.h>
#include <stdint.h>

/* s[0..n): a non-negative decimal number (digits, optional fraction and
 * exponent), optional spaces, then a unit: B, KiB, MiB, GiB, TiB, PiB, EiB
 * (binary), kB/KB, MB, GB, TB, PB, EB (decimal), or none (bytes). Units are
 * case-sensitive except the decimal kB/KB. The result is rounded to the
 * nearest byte. 0, or -EINVAL (not a size) / -ERANGE (over UINT64_MAX). */
int bytesize_parse(const char *s, size_t n, uint64_t *out);

/* v in binary units with up to 4 significant digits ("1.819TiB"). */
char *bytesize_format(uint64_t v, char *out, size_t n);

#endif
