/* fetch.c - see fetch.h */
#include "collectors/net/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct transfer {
	CURL *easy;
	struct curl_slist *hdrs;
	char *url;
	int overflow;		/* the body passed max_bytes */
	int write_failed;	/* errno of a failed write */
	char errbuf[CURL_ERROR_SIZE];
};

struct fetch {
	CURLM *multi;
	struct fetch_opts o;
	struct fetch_req **reqs;
	size_t n, cap;
};

int fetch_global_init(struct tp_error *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return tp_error_set(err, -EIO, "", 0, -1, "cannot initialise libcurl");
	return 0;
}

void fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

double fetch_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int fetch_new(struct fetch **fp, const struct fetch_opts *o, struct tp_error *err)
{
	struct fetch *f = calloc(1, sizeof(*f));

	*fp = NULL;
	if (!f)
		return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	if (o)
		f->o = *o;
	else
		f->o.max_retries = -1;
	if (!f->o.connect_timeout_ms)
		f->o.connect_timeout_ms = FETCH_CONNECT_TIMEOUT_MS;
	if (f->o.max_retries < 0)
		f->o.max_retries = FETCH_MAX_RETRIES;
	if (!f->o.backoff_ms)
		f->o.backoff_ms = FETCH_BACKOFF_MS;
	if (!f->o.busy_retry_ms)
		f->o.busy_retry_ms = FETCH_BUSY_RETRY_MS;
	f->multi = curl_multi_init();
	if (!f->multi) {
		free(f);
		return tp_error_set(err, -EIO, "", 0, -1, "cannot create a libcurl multi handle");
	}
	*fp = f;
	return 0;
}

int fetch_add(struct fetch *f, struct fetch_req *r)
{
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 64;
		struct fetch_req **nr = realloc(f->reqs, ncap * sizeof(*nr));

		if (!nr)
			return -ENOMEM;
		f->reqs = nr;
		f->cap = ncap;
	}
	r->state = FETCH_WAITING;
	r->err = 0;
	r->http_code = 0;
	r->attempts = r->busy = 0;
	r->bytes = 0;
	r->seconds_sent = 0;
	r->t_start = r->t_end = 0;
	r->content_type[0] = r->reason[0] = '\0';
	r->head_len = 0;
	r->priv_ = NULL;
	f->reqs[f->n++] = r;
	return 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct fetch_req *r = ctx;
	struct transfer *t = r->priv_;
	size_t n = size * nmemb, off = 0;
	ssize_t w;

	if (r->max_bytes && r->bytes + n > r->max_bytes) {
		t->overflow = 1;
		return 0;	/* makes libcurl fail the transfer */
	}
	if (r->head_len < sizeof(r->head) - 1) {
		size_t m = sizeof(r->head) - 1 - r->head_len;

		if (m > n)
			m = n;
		memcpy(r->head + r->head_len, data, m);
		r->head_len += m;
		r->head[r->head_len] = '\0';
	}
	if (r->fd >= 0) {
		while (off < n) {
			w = pwrite(r->fd, data + off, n - off, (off_t)(r->bytes + off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				t->write_failed = w < 0 ? errno : EIO;
				return 0;
			}
			off += (size_t)w;
		}
	} else if (r->mem && buf_append(r->mem, data, n) < 0) {
		t->overflow = 1;
		return 0;
	}
	r->bytes += n;
	return n;
}

static void transfer_free(struct fetch *f, struct fetch_req *r)
{
	struct transfer *t = r->priv_;

	if (!t)
		return;
	if (t->easy) {
		curl_multi_remove_handle(f->multi, t->easy);
		curl_easy_cleanup(t->easy);
	}
	curl_slist_free_all(t->hdrs);
	free(t->url);
	free(t);
	r->priv_ = NULL;
}

/* Replace control characters so a reason stays one printable line. */
static void clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			*s = ' ';
}

static void end(struct fetch *f, struct fetch_req *r, enum fetch_state st, int err,
		double now)
{
	transfer_free(f, r);
	r->state = st;
	r->err = err;
	r->t_end = now;
	clean(r->reason);
	if (r->done)
		r->done(r->ctx, r);
}

static int key_running(struct fetch *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->reqs[i]->state == FETCH_RUNNING && f->reqs[i]->exclusive &&
		    strcmp(f->reqs[i]->exclusive, key) == 0)
			return 1;
	return 0;
}

static int start(struct fetch *f, struct fetch_req *r, double now)
{
	struct transfer *t = calloc(1, sizeof(*t));
	long total_ms, conn_ms;
	CURL *e;

	if (!t)
		return -ENOMEM;
	r->priv_ = t;
	if (r->seconds > 0) {
		double left = (r->window_end > 0 ? r->window_end : now + (double)r->seconds) - now;
		long s = (long)floor(left + 0.5);

		if (s > r->seconds)
			s = r->seconds;
		if (s < 1)
			s = 1;
		r->seconds_sent = s;
		if (asprintf(&t->url, "%s%cseconds=%ld", r->url, strchr(r->url, '?') ? '&' : '?',
			     s) < 0)
			t->url = NULL;
	} else {
		t->url = strdup(r->url);
	}
	e = t->easy = curl_easy_init();
	if (!t->url || !e)
		goto nomem;
	if (r->protobuf) {
		t->hdrs = curl_slist_append(NULL, "Content-Type: application/protobuf");
		if (!t->hdrs)
			goto nomem;
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->hdrs);
	}
	conn_ms = f->o.connect_timeout_ms;
	total_ms = 0;
	if (r->deadline > 0) {
		total_ms = (long)((r->deadline - now) * 1000.0);
		if (total_ms < 1)
			total_ms = 1;
		if (conn_ms > total_ms)
			conn_ms = total_ms;
	}
	curl_easy_setopt(e, CURLOPT_URL, t->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, conn_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, total_ms);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "tiprof/" TIPROF_VERSION);
	curl_easy_setopt(e, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
	if (f->o.cacert)
		curl_easy_setopt(e, CURLOPT_CAINFO, f->o.cacert);
	if (f->o.cert)
		curl_easy_setopt(e, CURLOPT_SSLCERT, f->o.cert);
	if (f->o.key)
		curl_easy_setopt(e, CURLOPT_SSLKEY, f->o.key);
	if (r->mem && r->fd < 0)
		buf_reset(r->mem);
	if (r->fd >= 0 && ftruncate(r->fd, 0) < 0) {
		snprintf(r->reason, sizeof(r->reason), "cannot reset the body file: %s",
			 strerror(errno));
		end(f, r, FETCH_FAILED, -EIO, now);
		return 0;
	}
	r->bytes = 0;
	r->head_len = 0;
	r->head[0] = '\0';
	r->http_code = 0;
	r->content_type[0] = '\0';
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK)
		goto nomem;
	if (!r->attempts)
		r->t_start = now;
	r->attempts++;
	r->state = FETCH_RUNNING;
	return 0;
nomem:
	transfer_free(f, r);
	return -ENOMEM;
}

static int is_busy(const struct fetch_req *r)
{
	return r->busy_check && r->http_code == 500 && strstr(r->head, "Already in");
}

/* Schedule another attempt at retry_at if the window allows; 1 if so. */
static int retry(struct fetch_req *r, double now, double retry_at)
{
	double limit = r->window_end > 0 ? r->window_end : r->deadline;

	if (limit > 0 && (r->seconds > 0 ? retry_at + 1.0 > limit : retry_at >= limit))
		return 0;
	r->not_before = retry_at;
	r->state = FETCH_WAITING;
	(void)now;
	return 1;
}

static int connection_error(CURLcode c, const struct fetch_req *r)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
		return 1;
	case CURLE_RECV_ERROR:
		return r->http_code == 0;
	default:
		return 0;
	}
}

/* The first line of the body, for an error message. */
static void head_line(const struct fetch_req *r, char *out, size_t n)
{
	size_t l = strcspn(r->head, "\r\n");

	if (l > 160)
		l = 160;
	if (l >= n)
		l = n - 1;
	memcpy(out, r->head, l);
	out[l] = '\0';
}

static void finish(struct fetch *f, struct fetch_req *r, CURLcode c, double now)
{
	struct transfer *t = r->priv_;
	char line[200], *ct = NULL;
	const char *msg;
	long code = 0;
	double backoff;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct);
	r->http_code = code;
	snprintf(r->content_type, sizeof(r->content_type), "%s", ct ? ct : "");
	if (c == CURLE_OK && code >= 200 && code < 300) {
		end(f, r, FETCH_OK, 0, now);
		return;
	}
	if (c == CURLE_OK && is_busy(r)) {
		r->busy++;
		transfer_free(f, r);
		if (retry(r, now, now + (double)f->o.busy_retry_ms / 1000.0))
			return;
		head_line(r, line, sizeof(line));
		snprintf(r->reason, sizeof(r->reason),
			 "busy: \"%s\" %d time%s, no time left in the window", line, r->busy,
			 r->busy == 1 ? "" : "s");
		end(f, r, FETCH_FAILED, -EBUSY, now);
		return;
	}
	if (c == CURLE_OK) {
		head_line(r, line, sizeof(line));
		snprintf(r->reason, sizeof(r->reason), "HTTP %ld%s%s", code, line[0] ? ": " : "",
			 line);
		end(f, r, FETCH_FAILED, -EPROTO, now);
		return;
	}
	if (t->overflow) {
		snprintf(r->reason, sizeof(r->reason), "body larger than %zu bytes", r->max_bytes);
		end(f, r, FETCH_FAILED, -EFBIG, now);
		return;
	}
	if (t->write_failed) {
		snprintf(r->reason, sizeof(r->reason), "cannot write the body: %s",
			 strerror(t->write_failed));
		end(f, r, FETCH_FAILED, -EIO, now);
		return;
	}
	msg = t->errbuf[0] ? t->errbuf : curl_easy_strerror(c);
	if (c == CURLE_OPERATION_TIMEDOUT) {
		snprintf(r->reason, sizeof(r->reason), "timed out (%.200s)", msg);
		end(f, r, FETCH_FAILED, -ETIMEDOUT, now);
		return;
	}
	if (connection_error(c, r)) {
		backoff = (double)f->o.backoff_ms / 1000.0 *
			  (double)(1 << (r->attempts - 1 < 10 ? r->attempts - 1 : 10));
		snprintf(r->reason, sizeof(r->reason), "%.200s (%d attempt%s)", msg, r->attempts,
			 r->attempts == 1 ? "" : "s");
		transfer_free(f, r);
		if (r->attempts <= f->o.max_retries && retry(r, now, now + backoff))
			return;
		end(f, r, FETCH_FAILED, -ECONNREFUSED, now);
		return;
	}
	snprintf(r->reason, sizeof(r->reason), "%.250s", msg);
	end(f, r, FETCH_FAILED, -EIO, now);
}

static void drain(struct fetch *f)
{
	struct fetch_req *r;
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		r = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r)
			finish(f, r, m->data.result, fetch_now());
	}
}

int fetch_step(struct fetch *f, int timeout_ms, struct tp_error *err)
{
	double now = fetch_now(), wake = now + timeout_ms / 1000.0;
	struct fetch_req *r;
	size_t i, pending = 0;
	int running, wait_ms;
	CURLMcode mc;

	for (i = 0; i < f->n; i++) {
		r = f->reqs[i];
		if (r->state != FETCH_WAITING)
			continue;
		if (r->deadline > 0 && now >= r->deadline) {
			snprintf(r->reason, sizeof(r->reason), "%s",
				 r->busy ? "busy until the deadline" : "deadline passed before it could start");
			end(f, r, FETCH_FAILED, r->busy ? -EBUSY : -ETIMEDOUT, now);
			continue;
		}
		if (r->not_before > now) {
			if (r->not_before < wake)
				wake = r->not_before;
			continue;
		}
		if (r->exclusive && key_running(f, r->exclusive))
			continue;
		if (start(f, r, now) < 0)
			return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
	}
	mc = curl_multi_perform(f->multi, &running);
	if (mc != CURLM_OK)
		return tp_error_set(err, -EIO, "", 0, -1, "libcurl: %s", curl_multi_strerror(mc));
	drain(f);
	for (i = 0; i < f->n; i++)
		if (f->reqs[i]->state == FETCH_WAITING)
			break;
	wait_ms = (int)ceil((wake - fetch_now()) * 1000.0);
	if (i < f->n && wait_ms > 50)
		wait_ms = 50;	/* an exclusive key may free up */
	if (wait_ms > 0) {
		mc = curl_multi_poll(f->multi, NULL, 0, wait_ms, NULL);
		if (mc != CURLM_OK && mc != CURLM_UNRECOVERABLE_POLL)
			return tp_error_set(err, -EIO, "", 0, -1, "libcurl: %s",
					    curl_multi_strerror(mc));
		mc = curl_multi_perform(f->multi, &running);
		if (mc != CURLM_OK)
			return tp_error_set(err, -EIO, "", 0, -1, "libcurl: %s",
					    curl_multi_strerror(mc));
		drain(f);
	}
	for (i = 0; i < f->n; i++)
		pending += f->reqs[i]->state == FETCH_WAITING || f->reqs[i]->state == FETCH_RUNNING;
	return (int)pending;
}

void fetch_cancel(struct fetch *f, const char *reason)
{
	double now = fetch_now();
	struct fetch_req *r;
	size_t i;

	for (i = 0; i < f->n; i++) {
		r = f->reqs[i];
		if (r->state != FETCH_WAITING && r->state != FETCH_RUNNING)
			continue;
		snprintf(r->reason, sizeof(r->reason), "%s", reason);
		end(f, r, FETCH_CANCELLED, -ECANCELED, now);
	}
}

void fetch_free(struct fetch *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		transfer_free(f, f->reqs[i]);
	curl_multi_cleanup(f->multi);
	free(f->reqs);
	free(f);
}

int fetch_run(const struct fetch_opts *o, struct fetch_req **r, size_t n,
	      struct tp_error *err)
{
	struct fetch *f;
	size_t i;
	int rc;

	if ((rc = fetch_new(&f, o, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (fetch_add(f, r[i]) < 0) {
			fetch_free(f);
			return tp_error_set(err, -ENOMEM, "", 0, -1, "out of memory");
		}
	while ((rc = fetch_step(f, 200, err)) > 0)
		;
	fetch_free(f);
	return rc < 0 ? rc : 0;
}
