/* threadname.c - see threadname.h */
#include "analyzers/model/threadname.h"
#include "analyzers/base/text.h"

#include <string.h>

/* Thread-name prefixes of TiKV (and the RocksDB threads it runs). */
static const char *const tikv_pools[] = {
	"advanced-ts", "apply", "async-read", "backup-io", "backup-worker",
	"cdc", "cdcwkr", "check-leader", "cleanup-worker", "cop-high",
	"cop-low", "cop-normal", "deadlock-det", "debugger", "future-poller",
	"gc-manager", "gc-worker", "grpc-server", "impwkr", "pd-worker",
	"purge-worker", "raftlog-fetch-worker", "raftstore", "region-worker",
	"resolved-ts", "rocksdb:bg", "rocksdb:high", "rocksdb:low", "rs",
	"rts-scan", "sched-high", "sched-pool", "sched-pri", "sched-worker-high",
	"sched-worker-pool", "sched-worker-priority", "slogger", "snap-generator",
	"snap-sender", "sst-import-misc", "sst-importer", "stats-monitor",
	"status-server", "steady-timer", "store-bg", "store-read-high",
	"store-read-low", "store-read-normal", "store-writer", "time-monitor",
	"timer", "unified-read-pool", "waiter-manager",
};

#define COMM_LEN 15	/* Linux keeps this many bytes of a thread name */

static int is_sep(unsigned char c)
{
	return c == '-' || c == '_' || c == ' ' || c == ':';
}

/* The known prefix name belongs to, or NULL. */
static const char *known_pool(const char *name, size_t len)
{
	const char *best = NULL;
	size_t i, bestlen = 0;

	for (i = 0; i < sizeof(tikv_pools) / sizeof(tikv_pools[0]); i++) {
		const char *p = tikv_pools[i];
		size_t k = strlen(p), j;

		if (len >= k && memcmp(name, p, k) == 0) {
			for (j = k; j < len; j++)
				if (!is_digit((unsigned char)name[j]) && !is_sep((unsigned char)name[j]))
					break;
			if (j < len)
				continue;
		} else if (!(len == COMM_LEN && k > len && memcmp(name, p, len) == 0)) {
			continue;
		}
		if (k > bestlen) {
			best = p;
			bestlen = k;
		}
	}
	return best;
}

/* s[0..n) matches (-?\d)* */
static int digit_groups(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == '-')
			i++;
		if (i >= n || !is_digit((unsigned char)s[i]))
			return 0;
		i++;
	}
	return 1;
}

static int in_name_class(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == ' ' || c == ':';
}

/* Length of the thread_name group of ^([a-z-_ :]+?)(-?\d)*$, or 0 when the
 * name does not match. */
static size_t generic_prefix(const char *s, size_t n)
{
	size_t m = 0;

	while (m < n && in_name_class((unsigned char)s[m]))
		m++;
	if (m == 0)
		return 0;
	if (m == n)
		return n;
	/* s[m] is not in the class; the digit groups must start here (or
	 * one byte earlier, at a '-' the lazy group leaves to them). */
	if (!digit_groups(s + m, n - m))
		return 0;
	if (m >= 2 && s[m - 1] == '-')
		return m - 1;
	return m;
}

static size_t put(char *out, size_t cap, const char *s, size_t n, int dashes)
{
	size_t i, k = n < cap ? n : (cap ? cap - 1 : 0);

	for (i = 0; i < k; i++) {
		char c = s[i];

		out[i] = dashes && (c == '_' || c == ' ') ? '-' : c;
	}
	if (cap)
		out[k] = '\0';
	return n;
}

size_t threadname_tikv_pool(const char *name, size_t len, char *out, size_t cap)
{
	const char *pool = known_pool(name, len);
	size_t k;

	if (pool)
		return put(out, cap, pool, strlen(pool), 0);
	k = generic_prefix(name, len);
	if (k == 0)
		return put(out, cap, name, len, 0);
	return put(out, cap, name, k, 1);
}
