/* http.h - fetch one URL over HTTP(S) with libcurl's easy interface.
 *
 * For small control-plane requests (a /metrics page). Every request has a
 * connect timeout, a total timeout and a size cap on the body. The capture
 * runs its many concurrent transfers with libcurl's multi interface beside
 * this.
 */
#ifndef TIPROF_HTTP_H
#define TIPROF_HTTP_H

#include <stddef.h>
#include "analyzers/base/buf.h"
#include "analyzers/base/error.h"

#define HTTP_CONNECT_TIMEOUT_MS 5000L

struct http_opts {
	long timeout_ms;	/* total; 0 means 30 s */
	size_t max_bytes;	/* body cap (after content decoding); 0 means 64 MiB */
};

/* Once per program, before any request (not thread-safe, as libcurl's
 * global init is not). 0 or -EIO. */
int http_global_init(struct tp_error *err);
void http_global_cleanup(void);

/* GET url into body (reset first; NUL-terminated). Accepts gzip content
 * encoding. Returns 0 for a 2xx answer; -EPROTO for any other status (err
 * says "HTTP 404 Not Found from URL"), -E2BIG past the cap, -ETIMEDOUT,
 * -ECONNREFUSED, -EHOSTUNREACH or -EIO for transport failures, with err set.
 * opts may be NULL. */
int http_get(const char *url, const struct http_opts *opts, struct buf *body,
	     struct tp_error *err);

#endif
