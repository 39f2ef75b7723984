/* text.h - small byte-string helpers the decoders and collectors share.
 *
 * ASCII only and independent of the locale: <ctype.h>'s isdigit() depends
 * on it and is undefined for negative char values, and names from the
 * input (devices, threads, hosts) are bytes, not characters.
 */
#ifndef TIPROF_TEXT_H
#define TIPROF_TEXT_H

#include <stddef.h>
#include <string.h>

static inline int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* s (NULL: "") into dst[n], cut to fit and always terminated; dst and s
 * may overlap. n must be at least 1. */
static inline void str_copy(char *dst, size_t n, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (len >= n)
		len = n - 1;
	if (len)
		memmove(dst, s, len);
	dst[len] = '\0';
}

#endif
