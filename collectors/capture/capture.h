/* capture.h - profile every instance of a cluster in one time window.
 *
 * For each instance of a struct cluster the capture plans its transfers:
 *  - TiDB: /debug/zip?seconds=N (debug.zip), /status, /config;
 *  - TiKV and TiFlash: /debug/pprof/profile?seconds=N&frequency=F with
 *    "Content-Type: application/protobuf" (profile.pb, one at a time per
 *    instance, retried while busy), /metrics at the start and at the end of
 *    the window, /config;
 *  - PD: /pd/api/v1/debug/pprof/zip?seconds=N (debug.zip), /status, /config;
 * and runs them all at once in one fetch loop. Every body is validated when
 * it arrives (zips entry by entry with their profiles decoded, profiles
 * decoded, JSON parsed) and moved into the bundle under its final name;
 * a body that fails validation is kept as NAME.invalid, and what arrived of
 * an unfinished transfer as NAME.partial. manifest.json is written when the
 * capture starts (state "running") and again, last, when it ends.
 *
 * The caller owns the loop: capture_step() until it returns 0, with
 * capture_interrupt() on Ctrl-C, then capture_finish(). Nothing prints.
 *
 * Hooks let other collectors run inside the same window (local sampling,
 * IO time series): each gets start() when the window opens, tick() about
 * once a second, stop() when it closes, and writes its own section of the
 * manifest ("hooks": {NAME: ...}).
 */
#ifndef TIPROF_CAPTURE_H
#define TIPROF_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/cluster/cluster.h"
#include "analyzers/base/error.h"
#include "collectors/capture/bundle.h"
#include "collectors/net/fetch.h"

#define CAPTURE_MAX_ART 6
#define CAPTURE_MAX_HOOKS 8
#define CAPTURE_DEFAULT_GRACE 10.0
#define CAPTURE_MAX_BODY ((size_t)1 << 30)	/* zips and profiles */
#define CAPTURE_MAX_SMALL ((size_t)16 << 20)	/* JSON documents */

enum capture_status {
	CAPTURE_PENDING = 0,
	CAPTURE_OK,
	CAPTURE_FAILED,
	CAPTURE_TRUNCATED,
};

struct capture_target;

struct capture_artifact {
	const char *file;		/* final name in the target's directory */
	const char *what;		/* "debug zip", "cpu profile", "metrics", ... */
	char url_path[160];		/* path and query, without the seconds */
	enum capture_status status;
	char kept[80];			/* the name it was kept under, "" if none */
	char reason[300];
	char detail[160];		/* what validation found */
	int kind;			/* private: how to validate */
	struct fetch_req req;
	struct bundle_file *bf;
	struct buf mem;
	char url[600];
	struct capture_target *target;
	struct capture *cap;
};

struct capture_target {
	char role[16];
	char host[256];
	int port;			/* the HTTP status port */
	char address[300];		/* host:port */
	char dir[320];			/* directory in the bundle */
	enum capture_status status;
	char reason[340];		/* the first failure, "file: reason" */
	struct capture_artifact art[CAPTURE_MAX_ART];
	int nart;
};

struct capture;

struct jsonw;
struct capture_hook {
	const char *name;		/* manifest section name */
	void *ctx;
	/* the window opened; b is the bundle (write under its own directory) */
	int (*start)(void *ctx, struct bundle *b, struct tp_error *err);
	/* about once a second; elapsed since the window opened */
	void (*tick)(void *ctx, double elapsed);
	/* the window closed, or was interrupted */
	int (*stop)(void *ctx, int interrupted, struct tp_error *err);
	/* write one JSON value (this hook's manifest section) */
	void (*manifest)(void *ctx, struct jsonw *w);
};

struct capture_opts {
	long seconds;			/* the window */
	long frequency;			/* TiKV sampling rate; 0: TiKV's default */
	double grace;			/* extra time for the transfers to end */
	struct fetch_opts fetch;	/* TLS files, retries */
	int argc;			/* the command line, for the manifest */
	char **argv;
	int local_only_ok;		/* no instance is fine: hooks (local
					 * sampling, IO) do the work */
};

/* A capture of the instances of cl (copied) into b (borrowed until
 * capture_free()). Roles other than tidb, tikv, tiflash and pd are listed
 * in topology.json only. 0, -ENOMEM, -EINVAL (no instance to capture,
 * unless o->local_only_ok). */
int capture_new(struct capture **c, const struct capture_opts *o, const struct cluster *cl,
		struct bundle *b, struct tp_error *err);

/* Add a hook (before capture_start()). 0 or -E2BIG. */
int capture_add_hook(struct capture *c, const struct capture_hook *h);

/* Write topology.json and the first manifest, make the target directories,
 * start the hooks and queue every transfer. */
int capture_start(struct capture *c, struct tp_error *err);

/* Move everything on for at most timeout_ms. Returns the number of
 * transfers still pending (0: done; with hooks, at least 1 until the window
 * closes), or a negative errno. */
int capture_step(struct capture *c, int timeout_ms, struct tp_error *err);

/* Stop waiting: every unfinished transfer ends, what it received is kept
 * as NAME.partial, and its target is marked truncated. */
void capture_interrupt(struct capture *c);

/* Stop the hooks and write the final manifest (state "complete",
 * "partial" or "interrupted"; with abort, "aborted"). Returns 0 when every
 * target succeeded, 1 when some did not, or a negative errno. */
int capture_finish(struct capture *c, int abort, struct tp_error *err);

size_t capture_ntargets(const struct capture *c);
const struct capture_target *capture_target(const struct capture *c, size_t i);
/* Seconds until the window closes (0 when past). */
double capture_remaining(const struct capture *c);

void capture_free(struct capture *c);

/* Validation of fetched bodies. A Go debug zip: every entry readable (CRC
 * checked), every profile entry (profile, heap, mutex, allocs, block)
 * decodes, and a "profile" entry exists. A profile.proto (gzip'd or raw)
 * decodes. detail receives a short summary. 0 or negative errno. */
int capture_check_zip(const uint8_t *p, size_t n, char *detail, size_t dn,
		      struct tp_error *err);
int capture_check_pprof(const uint8_t *p, size_t n, char *detail, size_t dn,
			struct tp_error *err);

#endif
