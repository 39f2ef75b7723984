/* fetch.h - many HTTP(S) GETs at once, in one libcurl multi loop.
 *
 * The capture starts every transfer of every instance together and drives
 * them from one thread: the caller adds requests (struct fetch_req, a
 * transparent record it owns), then calls fetch_step() until nothing is
 * pending, doing its own work (progress, signals, per-second hooks) between
 * steps. Each request:
 *
 *  - has a connect timeout (5 s) and a hard deadline (the capture window
 *    plus a grace period): an attempt still running then fails "timed out";
 *  - is retried, with doubling backoff, at most max_retries times after a
 *    connection error (refused, reset, no answer) while its window has room;
 *  - with busy_check, treats HTTP 500 "Already in ... Profiling" (TiKV runs
 *    one CPU profile at a time) as busy and tries again every second while
 *    at least one second of its window is left;
 *  - with seconds > 0 gets "seconds=N" appended to its URL, N shortened on a
 *    retry to what is left of the window, so a late start still ends with
 *    the window;
 *  - with an exclusive key never runs beside another request with the same
 *    key (one CPU profile per TiKV);
 *  - streams its body into a file descriptor (rewritten from the start on a
 *    retry) or a capped memory buffer, never past max_bytes;
 *  - gets the TLS files of fetch_opts (CA, client certificate and key) when
 *    its URL is https.
 *
 * Nothing here prints; the outcome is in the record (state, HTTP code,
 * reason) and the done callback is called once per request when it ends.
 */
#ifndef TIPROF_FETCH_H
#define TIPROF_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"

#define FETCH_CONNECT_TIMEOUT_MS 5000L
#define FETCH_MAX_RETRIES 3
#define FETCH_BACKOFF_MS 500L
#define FETCH_BUSY_RETRY_MS 1000L
#define FETCH_HEAD 512

struct fetch_opts {
	const char *cacert, *cert, *key;	/* PEM files, or NULL */
	long connect_timeout_ms;	/* 0: FETCH_CONNECT_TIMEOUT_MS */
	int max_retries;		/* < 0: FETCH_MAX_RETRIES */
	long backoff_ms;		/* first retry delay; 0: FETCH_BACKOFF_MS */
	long busy_retry_ms;		/* 0: FETCH_BUSY_RETRY_MS */
};

enum fetch_state {
	FETCH_WAITING = 0,	/* not started, or waiting to retry */
	FETCH_RUNNING,
	FETCH_OK,		/* a 2xx answer, complete */
	FETCH_FAILED,		/* reason says why; err is the category */
	FETCH_CANCELLED,	/* fetch_cancel(): what arrived is in the body */
};

struct fetch_req {
	/* set by the caller */
	const char *url;	/* borrowed until the request ends */
	long seconds;		/* > 0: append seconds=N */
	double not_before;	/* fetch_now() time to start at; 0: at once */
	double window_end;	/* retries need a second of this left; 0: deadline */
	double deadline;	/* every attempt ends by then; 0: none */
	int protobuf;		/* send "Content-Type: application/protobuf" */
	int busy_check;		/* 500 "Already in ... Profiling" means busy */
	const char *exclusive;	/* key: one running request per key, or NULL */
	int fd;			/* body sink (pwrite from 0), or -1: mem */
	struct buf *mem;	/* body sink when fd < 0 (reset on retry) */
	size_t max_bytes;	/* body cap; 0: none beyond mem's */
	void (*done)(void *ctx, struct fetch_req *r);	/* may be NULL */
	void *ctx;

	/* the outcome, kept up to date by fetch_step() */
	enum fetch_state state;
	int err;		/* 0, -ECONNREFUSED, -ETIMEDOUT, -EPROTO (HTTP
				 * status), -EBUSY, -EFBIG, -ECANCELED, -EIO */
	long http_code;
	int attempts;		/* started attempts */
	int busy;		/* busy answers seen */
	uint64_t bytes;		/* body bytes of the current attempt */
	long seconds_sent;	/* N of the last attempt */
	double t_start, t_end;	/* first start, end (fetch_now() times) */
	char content_type[64];
	char head[FETCH_HEAD];	/* first bytes of the body */
	size_t head_len;
	char reason[256];	/* why it failed, one printable line */

	void *priv_;		/* the running transfer */
};

struct fetch;

/* Once per program, before any fetch (libcurl's global init). 0 or -EIO. */
int fetch_global_init(struct tp_error *err);
void fetch_global_cleanup(void);

/* Monotonic seconds. */
double fetch_now(void);

/* o may be NULL. 0, -ENOMEM, -EIO. */
int fetch_new(struct fetch **f, const struct fetch_opts *o, struct tp_error *err);

/* Queue r (borrowed until fetch_free()). Resets r's outcome. 0, -ENOMEM. */
int fetch_add(struct fetch *f, struct fetch_req *r);

/* Start what may start, move the transfers on, and wait for activity at
 * most timeout_ms. Returns the number of requests not yet ended, or a
 * negative errno when libcurl itself failed (err set). */
int fetch_step(struct fetch *f, int timeout_ms, struct tp_error *err);

/* End every request not yet ended: FETCH_CANCELLED with reason; their done
 * callbacks run. */
void fetch_cancel(struct fetch *f, const char *reason);

/* Frees the loop (ending any request still running, without callbacks).
 * Accepts NULL. */
void fetch_free(struct fetch *f);

/* Run requests r[0..n) to the end (a small blocking helper for discovery
 * requests). 0, or a negative errno when the loop failed; the outcome of
 * each request is in its record. */
int fetch_run(const struct fetch_opts *o, struct fetch_req **r, size_t n,
	      struct tp_error *err);

#endif
