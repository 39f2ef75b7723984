/* fuzz_procio.c - libFuzzer target for the /proc/PID/io parser. A parse
 * that succeeds is written back in the kernel's layout and must parse to
 * the same values. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collectors/proc/procstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procstat_io io, again;
	struct tp_error err;
	char text[512];
	int n;

	if (procstat_parse_io((const char *)data, size, &io, &err) < 0) {
		if (strchr(err.msg, '\n'))
			abort();
		return 0;
	}
	n = snprintf(text, sizeof(text),
		     "rchar: %llu\nwchar: %llu\nsyscr: %llu\nsyscw: %llu\nread_bytes: %llu\n"
		     "write_bytes: %llu\ncancelled_write_bytes: %llu\n",
		     (unsigned long long)io.rchar, (unsigned long long)io.wchar,
		     (unsigned long long)io.syscr, (unsigned long long)io.syscw,
		     (unsigned long long)io.read_bytes, (unsigned long long)io.write_bytes,
		     (unsigned long long)io.cancelled_write_bytes);
	if (procstat_parse_io(text, (size_t)n, &again, &err) < 0 ||
	    memcmp(&io, &again, sizeof(io)) != 0) {
		fprintf(stderr, "fuzz_procio: round trip differs\n");
		abort();
	}
	return 0;
}
