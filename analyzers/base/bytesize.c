/* bytesize.c - see bytesize.h */
#include "analyzers/base/bytesize.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit {
	const char *name;
	double mult;
};

static const struct unit units[] = {
	{ "B", 1.0 },
	{ "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 },
	{ "TiB", 1099511627776.0 }, { "PiB", 1125899906842624.0 },
	{ "EiB", 1152921504606846976.0 },
	{ "kB", 1e3 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 }, { "TB", 1e12 },
	{ "PB", 1e15 }, { "EB", 1e18 },
};

int bytesize_parse(const char *s, size_t n, uint64_t *out)
{
	char num[64];
	size_t i = 0, j, k;
	double v, mult = 1.0;
	int digits = 0;

	while (i < n && s[i] == ' ')
		i++;
	j = i;
	while (j < n && s[j] >= '0' && s[j] <= '9')
		j++, digits++;
	if (j < n && s[j] == '.') {
		j++;
		while (j < n && s[j] >= '0' && s[j] <= '9')
			j++, digits++;
	}
	if (!digits)
		return -EINVAL;
	if (j < n && (s[j] == 'e' || s[j] == 'E')) {
		k = j + 1;
		if (k < n && (s[k] == '+' || s[k] == '-'))
			k++;
		if (k < n && s[k] >= '0' && s[k] <= '9') {
			while (k < n && s[k] >= '0' && s[k] <= '9')
				k++;
			j = k;
		}
	}
	if (j - i >= sizeof(num))
		return -EINVAL;
	memcpy(num, s + i, j - i);
	num[j - i] = '\0';
	v = strtod(num, NULL);
	while (j < n && s[j] == ' ')
		j++;
	while (n > j && s[n - 1] == ' ')
		n--;
	if (j < n) {
		for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
			if (strlen(units[k].name) == n - j &&
			    memcmp(units[k].name, s + j, n - j) == 0)
				break;
		if (k == sizeof(units) / sizeof(units[0]))
			return -EINVAL;
		mult = units[k].mult;
	}
	v = round(v * mult);
	if (!(v >= 0) || v >= 18446744073709551616.0)
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

char *bytesize_format(uint64_t v, char *out, size_t n)
{
	static const char *const names[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	size_t i = 0;

	while (d >= 1024.0 && i + 1 < sizeof(names) / sizeof(names[0])) {
		d /= 1024.0;
		i++;
	}
	snprintf(out, n, "%.4g%s", d, names[i]);
	return out;
}
