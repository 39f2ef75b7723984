/* http.c - see http.h */
#include "collectors/net/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <string.h>

#define HTTP_DEFAULT_TIMEOUT_MS 30000L
#define HTTP_DEFAULT_MAX ((size_t)64 << 20)

struct sink {
	struct buf *body;
	int overflow;
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct sink *s = ctx;
	size_t n = size * nmemb;

	if (buf_append(s->body, p, n) < 0) {
		s->overflow = 1;
		return 0;	/* makes libcurl stop with CURLE_WRITE_ERROR */
	}
	return n;
}

int http_global_init(struct tp_error *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return tp_error_msg(err, -EIO, "cannot initialise libcurl");
	return 0;
}

void http_global_cleanup(void)
{
	curl_global_cleanup();
}

static int transport_errno(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT: return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT: return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST: return -EHOSTUNREACH;
	case CURLE_OUT_OF_MEMORY: return -ENOMEM;
	case CURLE_URL_MALFORMAT: return -EINVAL;
	default: return -EIO;
	}
}

/* The reason phrase of common statuses, for messages. */
static const char *status_text(long code)
{
	switch (code) {
	case 400: return " Bad Request";
	case 401: return " Unauthorized";
	case 403: return " Forbidden";
	case 404: return " Not Found";
	case 410: return " Gone";
	case 429: return " Too Many Requests";
	case 500: return " Internal Server Error";
	case 502: return " Bad Gateway";
	case 503: return " Service Unavailable";
	case 504: return " Gateway Timeout";
	default: return "";
	}
}

int http_get(const char *url, const struct http_opts *opts, struct buf *body,
	     struct tp_error *err)
{
	char errbuf[CURL_ERROR_SIZE];
	struct sink sink;
	long timeout = opts && opts->timeout_ms > 0 ? opts->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;
	size_t max = opts && opts->max_bytes ? opts->max_bytes : HTTP_DEFAULT_MAX;
	size_t saved_max = body->max;
	long code = 0;
	CURLcode c;
	CURL *h;
	int rc;

	buf_reset(body);
	if (max < body->max)
		body->max = max;
	h = curl_easy_init();
	if (!h) {
		rc = tp_error_set(err, -ENOMEM, url, 0, -1, "cannot start an HTTP request");
		goto out;
	}
	errbuf[0] = '\0';
	sink.body = body;
	sink.overflow = 0;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, HTTP_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "gzip");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "tiprof/" TIPROF_VERSION);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	c = curl_easy_perform(h);
	if (sink.overflow) {
		rc = tp_error_set(err, -E2BIG, url, 0, -1, "answer larger than %zu bytes", max);
		goto out;
	}
	if (c != CURLE_OK) {
		rc = tp_error_set(err, transport_errno(c), url, 0, -1, "%s",
				  errbuf[0] ? errbuf : curl_easy_strerror(c));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (code < 200 || code > 299) {
		rc = tp_error_set(err, -EPROTO, url, 0, -1, "HTTP %ld%s", code, status_text(code));
		goto out;
	}
	if (buf_reserve(body, 0) < 0) {	/* NUL-terminated even when empty */
		rc = tp_error_set(err, -ENOMEM, url, 0, -1, "out of memory");
		goto out;
	}
	body->data[body->len] = '\0';
	rc = 0;
out:
	curl_easy_cleanup(h);
	body->max = saved_max;
	return rc;
}
