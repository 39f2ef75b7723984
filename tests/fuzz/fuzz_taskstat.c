/* fuzz_taskstat.c - libFuzzer target for the /proc/PID/stat line parser
 * (the command may hold spaces, parentheses and any byte). A parse that
 * succeeds keeps a NUL-terminated command that fits its buffer, and the
 * line rebuilt from the parsed fields parses to the same fields. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collectors/proc/procstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procstat_stat st, again;
	struct tp_error err;
	char line[512];
	int n;

	if (procstat_parse_stat((const char *)data, size, &st, &err) < 0) {
		if (strchr(err.msg, '\n'))
			abort();
		return 0;
	}
	if (strnlen(st.comm, sizeof(st.comm)) >= sizeof(st.comm))
		abort();
	if (strchr(st.comm, ')') || st.state == ' ' || st.state == '\0')
		return 0;	/* ambiguous when rebuilt; the parse itself was fine */
	n = snprintf(line, sizeof(line),
		     "%lld (%s) %c %lld 0 0 0 -1 0 0 0 0 0 %llu %llu 0 0 20 0 %lld 0 %llu "
		     "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 %lld\n",
		     (long long)st.pid, st.comm, st.state, (long long)st.ppid,
		     (unsigned long long)st.utime, (unsigned long long)st.stime,
		     (long long)st.num_threads, (unsigned long long)st.starttime,
		     (long long)st.processor);
	if (n < 0 || (size_t)n >= sizeof(line))
		return 0;
	if (st.processor < 0)
		return 0;
	if (procstat_parse_stat(line, (size_t)n, &again, &err) < 0 ||
	    again.pid != st.pid || strcmp(again.comm, st.comm) != 0 ||
	    again.utime != st.utime || again.stime != st.stime ||
	    again.starttime != st.starttime || again.processor != st.processor) {
		fprintf(stderr, "fuzz_taskstat: round trip differs\n");
		abort();
	}
	return 0;
}
