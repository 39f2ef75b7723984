/* units.c - see units.h */
#include "analyzers/base/units.h"

#include <stdio.h>
#include <string.h>

struct unit {
	const char *name;	/* as printed */
	double factor;		/* in the family's base unit */
};

static const struct unit time_units[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	{ "mins", 60e9 }, { "hrs", 3600e9 }, { "days", 86400e9 },
	{ "wks", 604800e9 }, { "yrs", 31536000e9 },
};

static const struct unit byte_units[] = {
	{ "B", 1 }, { "kB", 1024.0 }, { "MB", 1048576.0 },
	{ "GB", 1073741824.0 }, { "TB", 1099511627776.0 },
	{ "PB", 1125899906842624.0 },
};

/* The family of unit and the value of one unit in the family's base. */
static const struct unit *family(const char *unit, size_t *n, double *from)
{
	static const struct { const char *name; int fam; double f; } alias[] = {
		{ "nanoseconds", 0, 1 }, { "nanosecond", 0, 1 }, { "ns", 0, 1 },
		{ "microseconds", 0, 1e3 }, { "microsecond", 0, 1e3 }, { "us", 0, 1e3 },
		{ "milliseconds", 0, 1e6 }, { "millisecond", 0, 1e6 }, { "ms", 0, 1e6 },
		{ "seconds", 0, 1e9 }, { "second", 0, 1e9 }, { "s", 0, 1e9 },
		{ "bytes", 1, 1 }, { "byte", 1, 1 }, { "b", 1, 1 },
		{ "kilobytes", 1, 1024.0 }, { "kb", 1, 1024.0 },
		{ "megabytes", 1, 1048576.0 }, { "mb", 1, 1048576.0 },
	};
	size_t i;

	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++) {
		if (strcmp(unit, alias[i].name) != 0)
			continue;
		*from = alias[i].f;
		if (alias[i].fam == 0) {
			*n = sizeof(time_units) / sizeof(time_units[0]);
			return time_units;
		}
		*n = sizeof(byte_units) / sizeof(byte_units[0]);
		return byte_units;
	}
	return NULL;
}

int units_scalable(const char *unit)
{
	size_t n;
	double f;

	return unit && family(unit, &n, &f) != NULL;
}

const char *units_pick(int64_t v, const char *unit)
{
	const struct unit *fam;
	size_t nunits, i, pick = 0;
	double from, av;

	fam = unit ? family(unit, &nunits, &from) : NULL;
	if (!fam)
		return unit ? unit : "";
	av = (double)v * from;
	if (av < 0)
		av = -av;
	for (i = 0; i < nunits; i++)
		if (av >= fam[i].factor)
			pick = i;
	return fam[pick].name;
}

char *units_format_in(int64_t v, const char *unit, const char *target,
		      char *out, size_t n)
{
	const struct unit *fam;
	size_t nunits, i, len;
	double from;
	char num[64];

	fam = unit ? family(unit, &nunits, &from) : NULL;
	if (!fam) {
		snprintf(out, n, "%lld", (long long)v);
		return out;
	}
	for (i = 0; i < nunits; i++)
		if (strcmp(fam[i].name, target) == 0)
			break;
	if (i == nunits)
		i = 0;
	snprintf(num, sizeof(num), "%.2f", (double)v * from / fam[i].factor);
	len = strlen(num);
	if (len > 3 && strcmp(num + len - 3, ".00") == 0)
		num[len - 3] = '\0';
	if (strcmp(num, "0") == 0 || strcmp(num, "-0") == 0)
		snprintf(out, n, "0");
	else
		snprintf(out, n, "%s%s", num, fam[i].name);
	return out;
}

char *units_format(int64_t v, const char *unit, char *out, size_t n)
{
	return units_format_in(v, unit, units_pick(v, unit), out, n);
}
