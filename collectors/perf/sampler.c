/* sampler.c - see sampler.h */
#include "collectors/perf/sampler.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_CPUS 4096
#define MIN_RING_PAGES 8

struct ring {
	int fd;			/* the event that owns the buffer */
	unsigned char *base;	/* control page, then data */
	size_t data_size;
	size_t map_len;
	int hup;		/* poll said POLLHUP: the owner's task is gone */
};

struct rec {
	uint64_t time, seq;
	size_t len;
	unsigned char data[];
};

struct sampler {
	struct sampler_opts o;
	pid_t pids[SAMPLER_MAX_PIDS];
	char proc[256];
	int cpus[MAX_CPUS];
	size_t ncpus;
	int *fds;
	size_t nfds, capfds;
	pid_t *tids;		/* threads attached */
	size_t ntids, captids;
	struct ring *rings;	/* one per CPU; fd -1 when none */
	struct pollfd *pfds;
	struct rec **pending;
	size_t npending, cappending;
	uint64_t seq, limit, round_max;
	uint64_t sample_type;
	unsigned char *scratch;	/* a record that wrapped around the ring */
	size_t scratch_len;
	struct sampler_stats st;
};

static int perf_event_open(struct perf_event_attr *a, pid_t pid, int cpu, int group,
			   unsigned long flags)
{
	return (int)syscall(SYS_perf_event_open, a, pid, cpu, group, flags);
}

static int paranoid_level(void)
{
	FILE *fp = fopen("/proc/sys/kernel/perf_event_paranoid", "re");
	int v = 2;

	if (fp) {
		if (fscanf(fp, "%d", &v) != 1)
			v = 2;
		fclose(fp);
	}
	return v;
}

/* The message for EACCES/EPERM from perf_event_open. */
static int privilege_error(struct tp_error *err, int code, const struct sampler_opts *o,
			   pid_t pid)
{
	int level = paranoid_level();

	if (o->kernel && level >= 2)
		return tp_error_set(err, code, NULL, 0, -1,
			"not allowed to sample kernel frames (%s): kernel.perf_event_paranoid is %d; "
			"run as root or with CAP_PERFMON, or allow it for all users with "
			"'sysctl kernel.perf_event_paranoid=1', or leave out --kernel",
			strerror(-code), level);
	if (level >= 3)
		return tp_error_set(err, code, NULL, 0, -1,
			"not allowed to sample process %d (%s): kernel.perf_event_paranoid is %d, "
			"which forbids perf events to unprivileged users; run as root or with "
			"CAP_PERFMON, or 'sysctl kernel.perf_event_paranoid=2' (own processes, "
			"user space only)", (int)pid, strerror(-code), level);
	return tp_error_set(err, code, NULL, 0, -1,
		"not allowed to sample process %d (%s): it belongs to another user or is "
		"not traceable; run as root, or with CAP_PERFMON and CAP_SYS_PTRACE "
		"(kernel.perf_event_paranoid is %d; 'sysctl kernel.perf_event_paranoid=-1' "
		"lifts its limits)", (int)pid, strerror(-code), level);
}

static int read_online_cpus(struct sampler *s)
{
	char buf[4096], *p;
	FILE *fp = fopen("/sys/devices/system/cpu/online", "re");
	long n;

	s->ncpus = 0;
	if (fp && fgets(buf, sizeof(buf), fp)) {
		p = buf;
		while (*p && *p != '\n') {
			char *e;
			long a = strtol(p, &e, 10), b = a;

			if (e == p)
				break;
			if (*e == '-')
				b = strtol(e + 1, &e, 10);
			for (; a <= b && s->ncpus < MAX_CPUS; a++)
				s->cpus[s->ncpus++] = (int)a;
			p = *e == ',' ? e + 1 : e;
		}
	}
	if (fp)
		fclose(fp);
	if (s->ncpus)
		return 0;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	for (; s->ncpus < (size_t)(n > 0 ? n : 1) && s->ncpus < MAX_CPUS; s->ncpus++)
		s->cpus[s->ncpus] = (int)s->ncpus;
	return 0;
}

static int push_fd(struct sampler *s, int fd)
{
	if (s->nfds == s->capfds) {
		size_t nc = s->capfds ? s->capfds * 2 : 64;
		int *nv = realloc(s->fds, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->fds = nv;
		s->capfds = nc;
	}
	s->fds[s->nfds++] = fd;
	return 0;
}

static int has_tid(const struct sampler *s, pid_t tid)
{
	size_t i;

	for (i = 0; i < s->ntids; i++)
		if (s->tids[i] == tid)
			return 1;
	return 0;
}

static int push_tid(struct sampler *s, pid_t tid)
{
	if (s->ntids == s->captids) {
		size_t nc = s->captids ? s->captids * 2 : 64;
		pid_t *nv = realloc(s->tids, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->tids = nv;
		s->captids = nc;
	}
	s->tids[s->ntids++] = tid;
	return 0;
}

static int map_ring(struct sampler *s, struct ring *r, int fd, struct tp_error *err)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = s->st.ring_pages;
	void *m;

	for (;;) {
		size_t len = (pages + 1) * page;

		m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (m != MAP_FAILED) {
			r->fd = fd;
			r->base = m;
			r->data_size = pages * page;
			r->map_len = len;
			s->st.ring_pages = pages;
			return 0;
		}
		/* Unprivileged users may lock only perf_event_mlock_kb. */
		if ((errno != EPERM && errno != ENOMEM) || pages <= MIN_RING_PAGES)
			break;
		pages /= 2;
	}
	return tp_error_set(err, -errno, NULL, 0, -1,
			    "cannot map a %zu-page perf ring buffer: %s (see "
			    "kernel.perf_event_mlock_kb and ulimit -l)", pages, strerror(errno));
}

/* Open one event per CPU for thread tid. 0, -ESRCH when the thread is gone,
 * or another error with err set. */
static int attach_thread(struct sampler *s, struct perf_event_attr *a, pid_t tid,
			 pid_t pid, struct tp_error *err)
{
	size_t c;
	int rc;

	for (c = 0; c < s->ncpus; c++) {
		int fd = perf_event_open(a, tid, s->cpus[c], -1, PERF_FLAG_FD_CLOEXEC);

		if (fd < 0) {
			rc = -errno;
			if (rc == -ESRCH)
				return rc;
			if (rc == -EACCES || rc == -EPERM)
				return privilege_error(err, rc, &s->o, pid);
			if (rc == -EMFILE || rc == -ENFILE)
				return tp_error_set(err, rc, NULL, 0, -1,
					"too many open files (%zu events so far: one per thread "
					"and CPU); raise 'ulimit -n'", s->nfds);
			return tp_error_set(err, rc, NULL, 0, -1,
				"perf_event_open (cpu-clock, thread %d, cpu %d): %s",
				(int)tid, s->cpus[c], strerror(-rc));
		}
		if ((rc = push_fd(s, fd)) < 0) {
			close(fd);
			return tp_error_set(err, rc, NULL, 0, -1, "out of memory");
		}
		if (s->rings[c].fd < 0) {
			if ((rc = map_ring(s, &s->rings[c], fd, err)) < 0)
				return rc;
		} else if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, s->rings[c].fd) < 0) {
			return tp_error_set(err, -errno, NULL, 0, -1,
					    "PERF_EVENT_IOC_SET_OUTPUT: %s", strerror(errno));
		}
	}
	return push_tid(s, tid) < 0 ? tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory") : 0;
}

/* Attach every thread of pid, rescanning until no new thread shows up. */
static int attach_process(struct sampler *s, struct perf_event_attr *a, pid_t pid,
			  struct tp_error *err)
{
	char path[512];
	int pass, rc, attached = 0;

	for (pass = 0; pass < 4; pass++) {
		DIR *d;
		struct dirent *de;
		int added = 0;

		snprintf(path, sizeof(path), "%s/%d/task", s->proc, (int)pid);
		d = opendir(path);
		if (!d)
			break;
		while ((de = readdir(d)) != NULL) {
			char *e;
			long tid = strtol(de->d_name, &e, 10);

			if (*e || tid <= 0 || has_tid(s, (pid_t)tid))
				continue;
			rc = attach_thread(s, a, (pid_t)tid, pid, err);
			if (rc == -ESRCH)
				continue;
			if (rc < 0) {
				closedir(d);
				return rc;
			}
			added = 1;
			attached = 1;
		}
		closedir(d);
		if (!added)
			break;
	}
	if (!attached)
		return tp_error_set(err, -ESRCH, NULL, 0, -1, "no process with PID %d", (int)pid);
	return 0;
}

static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int sampler_open(struct sampler **sp, const struct sampler_opts *o, struct tp_error *err)
{
	struct perf_event_attr a;
	struct sampler *s;
	size_t i, pages;
	int rc;

	*sp = NULL;
	if (!o->npids || o->npids > SAMPLER_MAX_PIDS)
		return tp_error_set(err, -EINVAL, NULL, 0, -1, "between 1 and %d processes",
				    SAMPLER_MAX_PIDS);
	if (!o->freq || o->freq > SAMPLER_MAX_FREQ)
		return tp_error_set(err, -EINVAL, NULL, 0, -1, "frequency out of range");
	if (o->stack_size % 8 || o->stack_size > SAMPLER_MAX_STACK)
		return tp_error_set(err, -EINVAL, NULL, 0, -1,
				    "stack size must be a multiple of 8 up to %d", SAMPLER_MAX_STACK);
	pages = o->ring_pages ? o->ring_pages : (o->stack_size ? 1024 : 128);
	if (pages & (pages - 1) || pages < MIN_RING_PAGES)
		return tp_error_set(err, -EINVAL, NULL, 0, -1,
				    "ring pages must be a power of two, at least %d", MIN_RING_PAGES);
	s = calloc(1, sizeof(*s));
	if (!s)
		return tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
	s->o = *o;
	memcpy(s->pids, o->pids, o->npids * sizeof(*o->pids));
	s->o.pids = s->pids;
	snprintf(s->proc, sizeof(s->proc), "%s", o->proc ? o->proc : "/proc");
	s->o.proc = s->proc;
	s->st.ring_pages = pages;
	read_online_cpus(s);
	s->st.ncpus = s->ncpus;
	s->rings = calloc(s->ncpus, sizeof(*s->rings));
	s->pfds = calloc(s->ncpus, sizeof(*s->pfds));
	if (!s->rings || !s->pfds) {
		rc = tp_error_set(err, -ENOMEM, NULL, 0, -1, "out of memory");
		goto fail;
	}
	for (i = 0; i < s->ncpus; i++)
		s->rings[i].fd = -1;
	for (i = 0; i < o->npids; i++) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%d", s->proc, (int)o->pids[i]);
		if (o->pids[i] <= 0 || access(path, F_OK) < 0) {
			rc = tp_error_set(err, -ESRCH, NULL, 0, -1, "no process with PID %d",
					  (int)o->pids[i]);
			goto fail;
		}
	}
	raise_nofile();

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.freq = 1;
	a.sample_freq = o->freq;
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_PERIOD;
	if (o->callchain)
		a.sample_type |= PERF_SAMPLE_CALLCHAIN;
	if (o->stack_size) {
		a.sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
		a.sample_regs_user = 0xff0fffULL;
		a.sample_stack_user = o->stack_size;
	}
	a.exclude_callchain_user = o->callchain && !o->user_callchain;
	a.exclude_kernel = !o->kernel;
	a.exclude_hv = 1;
	a.inherit = 1;
	a.mmap = 1;
	a.mmap2 = 1;
	a.comm = 1;
	a.comm_exec = 1;
	a.task = 1;
	a.sample_id_all = 1;
	a.watermark = 1;
	a.wakeup_watermark = (uint32_t)(pages * (size_t)sysconf(_SC_PAGESIZE) / 4);
	a.disabled = o->enable_on_exec;
	a.enable_on_exec = o->enable_on_exec;
	s->sample_type = a.sample_type;

	for (i = 0; i < o->npids; i++)
		if ((rc = attach_process(s, &a, o->pids[i], err)) < 0)
			goto fail;
	s->st.nevents = s->nfds;
	*sp = s;
	return 0;
fail:
	sampler_free(s);
	return rc;
}

void sampler_free(struct sampler *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->ncpus && s->rings; i++)
		if (s->rings[i].base)
			munmap(s->rings[i].base, s->rings[i].map_len);
	for (i = 0; i < s->nfds; i++)
		close(s->fds[i]);
	for (i = 0; i < s->npending; i++)
		free(s->pending[i]);
	free(s->pending);
	free(s->scratch);
	free(s->fds);
	free(s->tids);
	free(s->rings);
	free(s->pfds);
	free(s);
}

void sampler_disable(struct sampler *s)
{
	size_t i;

	for (i = 0; i < s->nfds; i++)
		ioctl(s->fds[i], PERF_EVENT_IOC_DISABLE, 0);
}

void sampler_get_stats(const struct sampler *s, struct sampler_stats *out)
{
	*out = s->st;
}

/* The state letter of /proc/PID[/task/TID]/stat, or 0 when it is gone. */
static char task_state(const char *path)
{
	char buf[512], *p;
	FILE *fp = fopen(path, "re");
	size_t n;

	if (!fp)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

int sampler_alive(const struct sampler *s)
{
	size_t i;

	for (i = 0; i < s->o.npids; i++) {
		char path[600];
		struct dirent *de;
		DIR *d;
		char st;

		snprintf(path, sizeof(path), "%s/%d/stat", s->proc, (int)s->pids[i]);
		st = task_state(path);
		if (!st || st == 'X')
			continue;
		if (st != 'Z')
			return 1;
		/* A leader that called pthread_exit() is a zombie while its
		 * other threads still run. */
		snprintf(path, sizeof(path), "%s/%d/task", s->proc, (int)s->pids[i]);
		d = opendir(path);
		if (!d)
			continue;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%d/task/%.20s/stat", s->proc,
				 (int)s->pids[i], de->d_name);
			st = task_state(path);
			if (st && st != 'Z' && st != 'X') {
				closedir(d);
				return 1;
			}
		}
		closedir(d);
	}
	return 0;
}

/* ---- synthesized records ---- */

static int synth_comm(struct sampler *s, pid_t pid, pid_t tid, sampler_fn fn, void *ctx)
{
	char path[512], name[64];
	struct sampler_record r;
	FILE *fp;
	size_t n;

	if (tid == pid)
		snprintf(path, sizeof(path), "%s/%d/comm", s->proc, (int)pid);
	else
		snprintf(path, sizeof(path), "%s/%d/task/%d/comm", s->proc, (int)pid, (int)tid);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	n = fread(name, 1, sizeof(name) - 1, fp);
	fclose(fp);
	while (n && name[n - 1] == '\n')
		n--;
	name[n] = '\0';
	memset(&r, 0, sizeof(r));
	r.kind = SAMPLER_COMM;
	r.pid = pid;
	r.tid = tid;
	r.u.comm.name = name;
	return fn(ctx, &r);
}

static int synth_maps(struct sampler *s, pid_t pid, sampler_fn fn, void *ctx)
{
	char path[512], line[8192];
	FILE *fp;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%d/maps", s->proc, (int)pid);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long start, end, off, ino;
		char perms[8];
		int pos = 0;
		struct sampler_record r;
		char *name;

		if (!strchr(line, '\n')) {	/* over-long line: skip its rest */
			int c;

			while ((c = fgetc(fp)) != EOF && c != '\n')
				;
			continue;
		}
		if (sscanf(line, "%llx-%llx %7s %llx %*x:%*x %llu %n", &start, &end, perms,
			   &off, &ino, &pos) < 5 || !pos)
			continue;
		if (perms[2] != 'x')
			continue;
		name = line + pos;
		name[strcspn(name, "\n")] = '\0';
		memset(&r, 0, sizeof(r));
		r.kind = SAMPLER_MMAP;
		r.pid = r.tid = pid;
		r.u.mmap.start = start;
		r.u.mmap.len = end - start;
		r.u.mmap.pgoff = off;
		r.u.mmap.prot = PROT_EXEC | (perms[0] == 'r' ? PROT_READ : 0);
		r.u.mmap.filename = name;
		if ((rc = fn(ctx, &r)) < 0)
			break;
	}
	fclose(fp);
	return rc;
}

int sampler_synthesize(struct sampler *s, sampler_fn fn, void *ctx)
{
	size_t i;
	int rc;

	if (s->o.enable_on_exec)
		return 0;
	for (i = 0; i < s->o.npids; i++) {
		char path[512];
		DIR *d;
		struct dirent *de;

		if ((rc = synth_comm(s, s->pids[i], s->pids[i], fn, ctx)) < 0 ||
		    (rc = synth_maps(s, s->pids[i], fn, ctx)) < 0)
			return rc;
		snprintf(path, sizeof(path), "%s/%d/task", s->proc, (int)s->pids[i]);
		d = opendir(path);
		if (!d)
			continue;
		while ((de = readdir(d)) != NULL) {
			char *e;
			long tid = strtol(de->d_name, &e, 10);

			if (*e || tid <= 0 || tid == s->pids[i])
				continue;
			if ((rc = synth_comm(s, s->pids[i], (pid_t)tid, fn, ctx)) < 0)
				break;
		}
		closedir(d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- reading the rings ---- */

static void ring_copy(const struct ring *r, uint64_t pos, void *out, size_t n)
{
	const unsigned char *data = r->base + (r->map_len - r->data_size);
	size_t off = (size_t)(pos & (r->data_size - 1)), first = r->data_size - off;

	if (first >= n) {
		memcpy(out, data + off, n);
	} else {
		memcpy(out, data + off, first);
		memcpy((unsigned char *)out + first, data, n - first);
	}
}

static uint64_t rec_time(const struct sampler *s, const unsigned char *d, size_t len)
{
	struct perf_event_header h;
	uint64_t t = 0;
	size_t off = sizeof(h);

	memcpy(&h, d, sizeof(h));
	if (h.type == PERF_RECORD_SAMPLE) {
		off += (s->sample_type & PERF_SAMPLE_IP) ? 8 : 0;
		off += 8;	/* pid, tid */
		if (off + 8 <= len)
			memcpy(&t, d + off, 8);
		return t;
	}
	if (len >= sizeof(h) + 16)	/* trailer: pid, tid, time */
		memcpy(&t, d + len - 8, 8);
	return t;
}

static int queue_rec(struct sampler *s, const struct ring *r, uint64_t pos, size_t len)
{
	struct rec *q;

	if (s->npending == s->cappending) {
		size_t nc = s->cappending ? s->cappending * 2 : 1024;
		struct rec **nv = realloc(s->pending, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->pending = nv;
		s->cappending = nc;
	}
	q = malloc(sizeof(*q) + len);
	if (!q)
		return -ENOMEM;
	ring_copy(r, pos, q->data, len);
	q->len = len;
	q->seq = s->seq++;
	q->time = rec_time(s, q->data, len);
	if (q->time > s->round_max)
		s->round_max = q->time;
	s->pending[s->npending++] = q;
	return 0;
}

static int read_ring(struct sampler *s, struct ring *r)
{
	struct perf_event_mmap_page *pg = (struct perf_event_mmap_page *)r->base;
	uint64_t head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = pg->data_tail;
	int rc = 0;

	while (tail < head) {
		struct perf_event_header h;

		if (head - tail < sizeof(h))
			break;
		ring_copy(r, tail, &h, sizeof(h));
		if (h.size < sizeof(h) || h.size > head - tail) {
			tail = head;	/* corrupt: drop what is left */
			break;
		}
		s->st.records++;
		s->st.bytes += h.size;
		if ((rc = queue_rec(s, r, tail, h.size)) < 0)
			break;
		tail += h.size;
	}
	__atomic_store_n(&pg->data_tail, tail, __ATOMIC_RELEASE);
	return rc;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct rec *x = *(const struct rec *const *)a, *y = *(const struct rec *const *)b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static int parse_sample(struct sampler *s, const unsigned char *d, size_t len,
			struct sampler_record *r)
{
	struct perf_event_header h;
	size_t off = sizeof(h);
	uint64_t t = s->sample_type;

	memcpy(&h, d, sizeof(h));
#define NEED(n) do { if ((n) > len - off) return -EBADMSG; } while (0)
	if (t & PERF_SAMPLE_IP) {
		NEED(8);
		r->u.sample.ip = get64(d + off);
		off += 8;
	}
	NEED(16);
	r->pid = (pid_t)get32(d + off);
	r->tid = (pid_t)get32(d + off + 4);
	r->time = get64(d + off + 8);
	off += 16;
	if (t & PERF_SAMPLE_PERIOD) {
		NEED(8);
		r->u.sample.period = get64(d + off);
		off += 8;
	}
	r->u.sample.user = (h.misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_USER;
	if (t & PERF_SAMPLE_CALLCHAIN) {
		uint64_t nr;

		NEED(8);
		nr = get64(d + off);
		off += 8;
		if (nr > (len - off) / 8)
			return -EBADMSG;
		/* Records are 8-byte aligned in the copy (malloc'd). */
		r->u.sample.callchain = (const uint64_t *)(const void *)(d + off);
		r->u.sample.nr = nr;
		off += nr * 8;
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		uint64_t abi, mask = 0xff0fffULL;
		int i;

		NEED(8);
		abi = get64(d + off);
		off += 8;
		if (abi != PERF_SAMPLE_REGS_ABI_NONE) {
			for (i = 0; i < 24; i++) {
				if (!(mask & (1ULL << i)))
					continue;
				NEED(8);
				r->u.sample.regs[i] = get64(d + off);
				off += 8;
			}
			r->u.sample.has_regs = abi == PERF_SAMPLE_REGS_ABI_64;
		}
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		uint64_t size, dyn;

		NEED(8);
		size = get64(d + off);
		off += 8;
		if (size) {
			NEED(size);
			r->u.sample.stack = d + off;
			off += size;
			NEED(8);
			dyn = get64(d + off);
			off += 8;
			r->u.sample.stack_len = dyn < size ? dyn : size;
			r->u.sample.stack_cap = size;
		}
	}
#undef NEED
	return 0;
}

/* Turn one raw record into a callback. */
static int deliver(struct sampler *s, const struct rec *q, sampler_fn fn, void *ctx)
{
	const unsigned char *d = q->data;
	size_t len = q->len;
	struct perf_event_header h;
	struct sampler_record r;

	memcpy(&h, d, sizeof(h));
	memset(&r, 0, sizeof(r));
	r.time = q->time;
	switch (h.type) {
	case PERF_RECORD_SAMPLE:
		if (parse_sample(s, d, len, &r) < 0)
			return 0;
		r.kind = SAMPLER_SAMPLE;
		s->st.samples++;
		return fn(ctx, &r);
	case PERF_RECORD_MMAP2:
	case PERF_RECORD_MMAP: {
		size_t fo = h.type == PERF_RECORD_MMAP2 ? 72 : 40;

		if (len < fo + 1)
			return 0;
		r.kind = SAMPLER_MMAP;
		r.pid = (pid_t)get32(d + 8);
		r.tid = (pid_t)get32(d + 12);
		r.u.mmap.start = get64(d + 16);
		r.u.mmap.len = get64(d + 24);
		r.u.mmap.pgoff = get64(d + 32);
		r.u.mmap.prot = h.type == PERF_RECORD_MMAP2 ? get32(d + 64) : PROT_EXEC | PROT_READ;
		if (!memchr(d + fo, '\0', len - fo))
			return 0;
		r.u.mmap.filename = (const char *)d + fo;
		if (!(r.u.mmap.prot & PROT_EXEC))
			return 0;
		return fn(ctx, &r);
	}
	case PERF_RECORD_COMM:
		if (len < 17 || !memchr(d + 16, '\0', len - 16))
			return 0;
		r.kind = SAMPLER_COMM;
		r.pid = (pid_t)get32(d + 8);
		r.tid = (pid_t)get32(d + 12);
		r.u.comm.name = (const char *)d + 16;
		r.u.comm.exec = !!(h.misc & PERF_RECORD_MISC_COMM_EXEC);
		return fn(ctx, &r);
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		if (len < 32)
			return 0;
		r.kind = h.type == PERF_RECORD_FORK ? SAMPLER_FORK : SAMPLER_EXIT;
		r.pid = (pid_t)get32(d + 8);
		r.u.fork.ppid = (pid_t)get32(d + 12);
		r.tid = (pid_t)get32(d + 16);
		r.u.fork.ptid = (pid_t)get32(d + 20);
		return fn(ctx, &r);
	case PERF_RECORD_LOST:
		if (len >= 24)
			s->st.lost += get64(d + 16);
		return 0;
	case PERF_RECORD_LOST_SAMPLES:
		if (len >= 16)
			s->st.lost += get64(d + 8);
		return 0;
	case PERF_RECORD_THROTTLE:
		s->st.throttled++;
		return 0;
	}
	return 0;
}

/* Deliver pending records with time <= limit (all when all != 0). */
static int drain(struct sampler *s, uint64_t limit, int all, sampler_fn fn, void *ctx)
{
	size_t i, k;
	int rc = 0;

	if (!s->npending)
		return 0;
	qsort(s->pending, s->npending, sizeof(*s->pending), rec_cmp);
	for (i = 0; i < s->npending; i++) {
		if (!all && s->pending[i]->time > limit)
			break;
		if (rc == 0)
			rc = deliver(s, s->pending[i], fn, ctx);
		free(s->pending[i]);
	}
	for (k = 0; i < s->npending; i++, k++)
		s->pending[k] = s->pending[i];
	s->npending = k;
	return rc;
}

static int read_all(struct sampler *s)
{
	size_t i;
	int rc;

	for (i = 0; i < s->ncpus; i++)
		if (s->rings[i].base && (rc = read_ring(s, &s->rings[i])) < 0)
			return rc;
	return 0;
}

int sampler_poll(struct sampler *s, int timeout_ms, sampler_fn fn, void *ctx)
{
	size_t i, n = 0;
	uint64_t limit;
	int rc;

	/* A ring whose owning event hung up (its thread exited) stays
	 * readable, as inherited events still write into it, but polling it
	 * would return at once forever: it is only read, not waited on. */
	for (i = 0; i < s->ncpus; i++) {
		if (!s->rings[i].base || s->rings[i].hup)
			continue;
		s->pfds[n].fd = s->rings[i].fd;
		s->pfds[n].events = POLLIN;
		s->pfds[n].revents = 0;
		n++;
	}
	if (timeout_ms > 0 && poll(n ? s->pfds : NULL, n, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	for (i = 0; i < n; i++) {
		size_t c;

		if (!(s->pfds[i].revents & (POLLHUP | POLLERR | POLLNVAL)))
			continue;
		for (c = 0; c < s->ncpus; c++)
			if (s->rings[c].fd == s->pfds[i].fd)
				s->rings[c].hup = 1;
	}
	limit = s->limit;
	if ((rc = read_all(s)) < 0)
		return rc;
	/* Everything written before the last round ended has been read now. */
	rc = drain(s, limit, 0, fn, ctx);
	s->limit = s->round_max;
	return rc;
}

int sampler_flush(struct sampler *s, sampler_fn fn, void *ctx)
{
	int rc = read_all(s);

	if (rc < 0)
		return rc;
	return drain(s, 0, 1, fn, ctx);
}
