/* taskstats.c - see taskstats.h */
#include "collectors/proc/taskstats.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

struct taskstats_conn {
	int fd;
	uint16_t family;
	uint32_t seq;
};

#define NLA_DATA(na) ((void *)((char *)(na) + NLA_HDRLEN))
#define MSG_BUF 8192

struct request {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[256];
};

/* Append attribute type with len bytes of data to the request. */
static void put_attr(struct request *r, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *na = (struct nlattr *)((char *)&r->n + NLMSG_ALIGN(r->n.nlmsg_len));

	na->nla_type = type;
	na->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(NLA_DATA(na), data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + NLA_ALIGN(na->nla_len);
}

/* Send r and receive the answer into buf. Returns its length or a negative
 * errno (the kernel's, for an NLMSG_ERROR answer). */
static int transact(struct taskstats_conn *tc, struct request *r, char *buf, size_t cap)
{
	struct sockaddr_nl sa;
	struct nlmsghdr *h;
	ssize_t n;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	r->n.nlmsg_seq = ++tc->seq;
	r->n.nlmsg_pid = 0;
	if (sendto(tc->fd, r, r->n.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		n = recv(tc->fd, buf, cap, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		h = (struct nlmsghdr *)buf;
		if (n < (ssize_t)sizeof(*h) || !NLMSG_OK(h, (size_t)n))
			return -EBADMSG;
		if (h->nlmsg_seq != tc->seq)
			continue;	/* a late answer to an earlier request */
		if (h->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return -EBADMSG;
			return e->error ? e->error : -ENODATA;
		}
		return (int)n;
	}
}

/* The first attribute of the given type in [p, p+len), or NULL. */
static struct nlattr *find_attr(void *p, size_t len, uint16_t type)
{
	char *c = p;

	while (len >= NLA_HDRLEN) {
		struct nlattr *na = (struct nlattr *)c;
		size_t al = na->nla_len;

		if (al < NLA_HDRLEN || al > len)
			return NULL;
		if ((na->nla_type & NLA_TYPE_MASK) == type)
			return na;
		al = NLA_ALIGN(al);
		if (al >= len)
			break;
		c += al;
		len -= al;
	}
	return NULL;
}

static void init_request(struct request *r, uint16_t type, uint8_t cmd, uint8_t version)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = type;
	r->n.nlmsg_flags = NLM_F_REQUEST;
	r->g.cmd = cmd;
	r->g.version = version;
}

static int resolve_family(struct taskstats_conn *tc, struct tp_error *err)
{
	static const char name[] = TASKSTATS_GENL_NAME;
	struct request r;
	struct nlattr *na;
	struct nlmsghdr *h;
	char *buf;
	int n, rc;

	buf = malloc(MSG_BUF);
	if (!buf)
		return tp_error_msg(err, -ENOMEM, "out of memory");
	init_request(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, name, sizeof(name));
	n = transact(tc, &r, buf, MSG_BUF);
	if (n < 0) {
		rc = tp_error_msg(err, n, "taskstats is not available: the kernel has no %s "
				  "netlink family (%s)", name, strerror(-n));
		goto out;
	}
	h = (struct nlmsghdr *)buf;
	na = find_attr((char *)NLMSG_DATA(h) + GENL_HDRLEN,
		       h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), CTRL_ATTR_FAMILY_ID);
	if (!na || na->nla_len < NLA_HDRLEN + sizeof(uint16_t)) {
		rc = tp_error_msg(err, -EBADMSG, "taskstats: no family id in the answer");
		goto out;
	}
	memcpy(&tc->family, NLA_DATA(na), sizeof(uint16_t));
	rc = 0;
out:
	free(buf);
	return rc;
}

/* 1 on, 0 off, -1 unknown (no such file: kernels before 5.14 have it on). */
static int delayacct_on(void)
{
	char c = 0;
	int fd = open("/proc/sys/kernel/task_delayacct", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, &c, 1);
	close(fd);
	if (n != 1)
		return -1;
	return c != '0';
}

int taskstats_open(struct taskstats_conn **out, const char *root, struct tp_error *err)
{
	struct taskstats_conn *tc;
	struct sockaddr_nl sa;
	struct taskstats_delay d;
	struct timeval tv = { 1, 0 };
	int rc;

	*out = NULL;
	if (root && *root && strcmp(root, "/") != 0)
		return tp_error_msg(err, -ENOTSUP, "taskstats asks the running kernel, not a "
				    "recorded /proc tree");
	if (delayacct_on() == 0)
		return tp_error_msg(err, -ENOTSUP, "delay accounting is off "
				    "(/proc/sys/kernel/task_delayacct is 0; "
				    "echo 1 > /proc/sys/kernel/task_delayacct turns it on)");
	tc = calloc(1, sizeof(*tc));
	if (!tc)
		return tp_error_msg(err, -ENOMEM, "out of memory");
	tc->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (tc->fd < 0) {
		rc = tp_error_msg(err, -errno, "taskstats: cannot open a netlink socket: %s",
				  strerror(errno));
		goto fail;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (bind(tc->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = tp_error_msg(err, -errno, "taskstats: cannot bind a netlink socket: %s",
				  strerror(errno));
		goto fail;
	}
	setsockopt(tc->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	rc = resolve_family(tc, err);
	if (rc < 0)
		goto fail;
	/* Ask about ourselves: this is where a missing privilege shows. */
	rc = taskstats_get(tc, getpid(), 0, &d, err);
	if (rc == -EPERM || rc == -EACCES) {
		rc = tp_error_msg(err, -EPERM, "taskstats needs CAP_NET_ADMIN (run as root)");
		goto fail;
	}
	if (rc < 0)
		goto fail;
	*out = tc;
	return 0;
fail:
	taskstats_close(tc);
	return rc;
}

int taskstats_get(struct taskstats_conn *tc, int64_t pid, int64_t tid,
		  struct taskstats_delay *out, struct tp_error *err)
{
	char buf[MSG_BUF] __attribute__((aligned(8)));
	struct taskstats ts;
	struct request r;
	struct nlmsghdr *h;
	struct nlattr *agg, *st;
	uint32_t id = (uint32_t)(tid > 0 ? tid : pid);
	size_t len;
	int n;

	memset(out, 0, sizeof(*out));
	init_request(&r, tc->family, TASKSTATS_CMD_GET, TASKSTATS_VERSION);
	put_attr(&r, tid > 0 ? TASKSTATS_CMD_ATTR_PID : TASKSTATS_CMD_ATTR_TGID, &id, sizeof(id));
	n = transact(tc, &r, buf, sizeof(buf));
	if (n == -ESRCH || n == -ENOENT)
		return -ESRCH;
	if (n < 0)
		return tp_error_msg(err, n, "taskstats: %s", strerror(-n));
	h = (struct nlmsghdr *)buf;
	if (h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) || h->nlmsg_len > (unsigned)n)
		return tp_error_msg(err, -EBADMSG, "taskstats: short answer");
	len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	agg = find_attr((char *)NLMSG_DATA(h) + GENL_HDRLEN, len,
			tid > 0 ? TASKSTATS_TYPE_AGGR_PID : TASKSTATS_TYPE_AGGR_TGID);
	if (!agg)
		return tp_error_msg(err, -EBADMSG, "taskstats: no statistics in the answer");
	st = find_attr(NLA_DATA(agg), agg->nla_len - NLA_HDRLEN, TASKSTATS_TYPE_STATS);
	if (!st)
		return tp_error_msg(err, -EBADMSG, "taskstats: no statistics in the answer");
	/* Older kernels send a shorter struct: what is missing reads 0. */
	memset(&ts, 0, sizeof(ts));
	len = st->nla_len - NLA_HDRLEN;
	memcpy(&ts, NLA_DATA(st), len < sizeof(ts) ? len : sizeof(ts));
	out->blkio_delay_ns = ts.blkio_delay_total;
	out->blkio_count = ts.blkio_count;
	out->read_bytes = ts.read_bytes;
	out->write_bytes = ts.write_bytes;
	return 0;
}

void taskstats_close(struct taskstats_conn *tc)
{
	if (!tc)
		return;
	if (tc->fd >= 0)
		close(tc->fd);
	free(tc);
}
