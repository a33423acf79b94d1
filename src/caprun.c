/* --capture's loop (capture.h): one poll over every handle, the owners'
 * pidfds and the mount table; whole pcapng blocks out; the statistics
 * blocks at the end, however it ends. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "netjoin/capture.h"
#include "netjoin/nsjoin.h"
#include "netjoin/esc.h"
#include "netjoin/nl.h"
#include "netjoin/vec.h"
#include "pcapdl.h"

/* Written out once this much is buffered, or at each wake-up. */
#define FLUSH_AT (1u << 20)
/* How often pinned namespaces are looked at when the mount table does not
 * wake the loop sooner. */
#define WATCH_MS 1000

static volatile sig_atomic_t stop_signal;
/* the mask ppoll waits with: SIGINT and SIGTERM let through */
static sigset_t wait_mask;

/* The first signal ends the capture whole; a second, while a write
 * waits for a reader that does not read, ends the process. */
static void on_signal(int sig)
{
	if (stop_signal) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	stop_signal = sig;
}

/* All of buf, however the kernel splits it; -EPIPE when the reader went
 * away. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	sigset_t blocked;
	ssize_t w;
	int err;

	while (n) {
		/* a signal may come in while a slow reader keeps us here: it
		 * cuts the write short, and the rest of the block follows */
		sigprocmask(SIG_SETMASK, &wait_mask, &blocked);
		w = write(fd, p, n);
		err = errno;
		sigprocmask(SIG_SETMASK, &blocked, NULL);
		if (w < 0 && err == EINTR)
			continue;
		if (w < 0 && err == EAGAIN) {
			poll(&pfd, 1, -1);
			continue;
		}
		if (w < 0)
			return -err;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int flush(struct capture *c)
{
	int rc;

	if (c->werr)
		return c->werr;
	rc = write_all(c->out_fd, c->buf.p, c->buf.n);
	c->buf.n = 0;
	if (rc < 0)
		c->werr = rc;
	return rc;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h,
		      const u_char *bytes)
{
	struct cap_if *f = (struct cap_if *)(void *)user;
	struct capture *c = f->c;
	/* nanosecond precision: tv_usec holds nanoseconds */
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u +
		      (uint64_t)h->ts.tv_usec;

	if (c->werr || (c->o->count && c->total >= c->o->count))
		return;
	if (pcapng_epb(&c->buf, f->id, ts, bytes, h->caplen, h->len) < 0) {
		c->werr = -ENOMEM;
		return;
	}
	f->captured++;
	c->total++;
	if (c->buf.n >= FLUSH_AT)
		flush(c);
}

void capture_drain(struct cap_if *f)
{
	struct capture *c = f->c;

	if (f->pcap && !c->werr && !(c->o->count && c->total >= c->o->count))
		pcapdl.dispatch(f->pcap,
				c->o->count ? (int)(c->o->count - c->total) : -1,
				on_packet, (u_char *)(void *)f);
}

static void close_ns(struct capture *c, size_t ns, const char *why)
{
	size_t i;

	for (i = 0; i < c->nifs; i++)
		if (c->ifs[i].ns == ns)
			capture_close_if(&c->ifs[i], why);
	if (c->ns[ns].pidfd >= 0)
		close(c->ns[ns].pidfd);
	c->ns[ns].pidfd = -1;
	c->ns[ns].open = false;
	caplink_close(&c->ns[ns]);
}

/* A pinned namespace whose pin is gone (ip netns del, a pod's sandbox
 * removed) has no owner left: let it go. */
static void check_pins(struct capture *c)
{
	size_t i;

	for (i = 0; i < c->nns; i++) {
		struct cap_ns *n = &c->ns[i];

		if (!n->open || !n->pin[0])
			continue;
		if (!nsjoin_pin_holds(n->pin, n->dev, n->ino))
			close_ns(c, i, "its namespace file was removed");
	}
}

/* Is there anything left to read, or to wait for: an open interface, or
 * a namespace whose links are watched? */
static bool live(const struct capture *c)
{
	size_t i;

	for (i = 0; i < c->nifs; i++)
		if (c->ifs[i].pcap)
			return true;
	for (i = 0; i < c->nns; i++)
		if (c->ns[i].open && c->ns[i].nl)
			return true;
	return false;
}

int capture_idb(struct capture *c, const struct cap_if *f)
{
	char name[sizeof(c->ns[0].name) + 80];

	snprintf(name, sizeof(name), "%s:%s", c->ns[f->ns].name, f->ifname);
	return pcapng_idb(&c->buf, (uint16_t)f->linktype,
			  (uint32_t)c->o->snaplen, name, c->ns[f->ns].desc);
}

static int head(struct capture *c)
{
	size_t i;

	if (pcapng_shb(&c->buf, "netjoin " NETJOIN_VERSION) < 0)
		return -ENOMEM;
	for (i = 0; i < c->nifs; i++)
		if (capture_idb(c, &c->ifs[i]) < 0)
			return -ENOMEM;
	c->started = true;
	return flush(c);
}

static int tail(struct capture *c)
{
	uint64_t t = capture_now_ns(CLOCK_REALTIME);
	size_t i;

	for (i = 0; i < c->nifs; i++) {
		struct cap_if *f = &c->ifs[i];
		struct pcapng_stats st;

		capture_close_if(f, NULL);
		st.start_ns = f->start_ns;
		st.end_ns = f->end_ns;
		st.ifrecv = f->recv;
		st.ifdrop = f->drop;
		st.usrdeliv = f->captured;
		if (pcapng_isb(&c->buf, f->id, t, &st) < 0)
			return -ENOMEM;
	}
	return flush(c);
}

/* One wake-up's work: read what is ready, notice owners that went. */
static void serve(struct capture *c, struct pollfd *p, size_t *map,
		  size_t np)
{
	struct cap_if *f;
	size_t i;
	int n;

	for (i = 0; i < np && !c->werr; i++) {
		if (!p[i].revents)
			continue;
		if (map[i] >= c->nifs + c->nns) { /* link events */
			c->ns[map[i] - c->nifs - c->nns].events = true;
			continue;
		}
		if (map[i] >= c->nifs) { /* a pidfd: its process ended */
			close_ns(c, map[i] - c->nifs, "its process exited");
			continue;
		}
		f = &c->ifs[map[i]];
		if (!f->pcap)
			continue;
		n = pcapdl.dispatch(f->pcap,
				  c->o->count ? (int)(c->o->count - c->total) : -1,
				  on_packet, (u_char *)(void *)f);
		/* the interface went away, or down, or its namespace */
		if (n < 0)
			capture_close_if(f, pcapdl.geterr(f->pcap));
	}
}

static int loop(struct capture *c, sigset_t *waitmask)
{
	uint64_t end = c->o->duration_ns ? capture_now_ns(CLOCK_MONOTONIC) + c->o->duration_ns
					 : 0;
	uint64_t next_watch = 0, t;
	struct pollfd *p = NULL;
	size_t *map = NULL, np, i, cap = 0, mcap = 0;
	int mfd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	struct timespec ts;
	int rc = 0;

	while (!stop_signal && !c->werr && live(c) &&
	       !(c->o->count && c->total >= c->o->count)) {
		t = capture_now_ns(CLOCK_MONOTONIC);
		if (end && t >= end)
			break;
		if (t >= next_watch) {
			check_pins(c);
			next_watch = t + WATCH_MS * 1000000ull;
		}
		if (vec_reserve((void **)&p, &cap, c->nifs + 2 * c->nns + 1,
				sizeof(*p), 16) < 0 ||
		    vec_reserve((void **)&map, &mcap, c->nifs + 2 * c->nns + 1,
				sizeof(*map), 16) < 0) {
			rc = -ENOMEM;
			break;
		}
		np = 0;
		for (i = 0; i < c->nifs; i++)
			if (c->ifs[i].pcap) {
				p[np] = (struct pollfd){
					pcapdl.get_selectable_fd(c->ifs[i].pcap),
					POLLIN, 0 };
				map[np++] = i;
			}
		for (i = 0; i < c->nns; i++)
			if (c->ns[i].pidfd >= 0) {
				p[np] = (struct pollfd){ c->ns[i].pidfd, POLLIN, 0 };
				map[np++] = c->nifs + i;
			}
		for (i = 0; i < c->nns; i++)
			if (c->ns[i].nl) {
				p[np] = (struct pollfd){ netlink_fd(c->ns[i].nl),
							 POLLIN, 0 };
				map[np++] = c->nifs + c->nns + i;
			}
		if (mfd >= 0) {
			p[np] = (struct pollfd){ mfd, POLLPRI, 0 };
			map[np++] = (size_t)-1;
		}
		t = next_watch - capture_now_ns(CLOCK_MONOTONIC);
		if (end && end - capture_now_ns(CLOCK_MONOTONIC) < t)
			t = end - capture_now_ns(CLOCK_MONOTONIC);
		ts.tv_sec = (time_t)(t / 1000000000u);
		ts.tv_nsec = (long)(t % 1000000000u);
		if (ppoll(p, np, &ts, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (mfd >= 0 && p[np - 1].revents) {
			p[np - 1].revents = 0;
			next_watch = 0; /* the mount table changed */
		}
		serve(c, p, map, mfd >= 0 ? np - 1 : np);
		/* after serve: opening handles grows c->ifs, which map indexes */
		for (i = 0; i < c->nns && rc == 0; i++)
			if (c->ns[i].events) {
				c->ns[i].events = false;
				if (c->ns[i].nl)
					rc = caplink_read(c, i);
			}
		if (rc < 0)
			break;
		if (c->buf.n)
			flush(c);
	}
	if (mfd >= 0)
		close(mfd);
	free(p);
	free(map);
	return rc;
}

int capture_run(struct capture *c, int out_fd, struct nj_err *e)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, old;
	int rc;

	c->out_fd = out_fd;
	/* SIGINT and SIGTERM are taken only while ppoll waits: a signal
	 * never cuts a block in two */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	wait_mask = old;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	rc = head(c);
	if (rc == 0)
		rc = loop(c, &old);
	if (rc == 0 || rc == -EPIPE)
		rc = tail(c);
	else
		tail(c);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc == -ENOTRECOVERABLE)
		return nj_fail(e, NJ_FAIL, ENOTRECOVERABLE,
			       "cannot return to netjoin's own network namespace");
	if (rc == -EPIPE || c->werr == -EPIPE)
		return 0;
	if (rc == 0 && c->werr)
		rc = c->werr;
	if (rc < 0)
		return nj_fail(e, nj_class_of_errno(-rc), -rc,
			       "cannot write the capture: %s", strerror(-rc));
	return 0;
}

void capture_report_listening(FILE *f, const struct capture *c, size_t i)
{
	const struct cap_if *k = &c->ifs[i];
	const char *lt = pcapdl.datalink_val_to_name(k->linktype);
	char name[700];

	snprintf(name, sizeof(name), "%s:%s", c->ns[k->ns].name, k->ifname);
	fprintf(f, "netjoin: listening on %s, link-type %s, snapshot length %llu bytes\n",
		esc_str(name, sizeof(name), name), lt ? lt : "?",
		c->o->snaplen);
}

void capture_report_start(FILE *f, struct capture *c)
{
	size_t i;

	for (i = 0; i < c->nifs; i++)
		capture_report_listening(f, c, i);
	c->notes = f;
}

void capture_report(FILE *f, const struct capture *c)
{
	uint64_t cap = 0, recv = 0, drop = 0;
	char name[700], why[400];
	size_t i;

	for (i = 0; i < c->nifs; i++) {
		const struct cap_if *k = &c->ifs[i];

		snprintf(name, sizeof(name), "%s:%s", c->ns[k->ns].name,
			 k->ifname);
		fprintf(f, "%s: %llu packets captured, %llu received by filter, %llu dropped by kernel%s%s%s\n",
			esc_str(name, sizeof(name), name),
			(unsigned long long)k->captured,
			(unsigned long long)k->recv,
			(unsigned long long)k->drop, k->why[0] ? " (closed: " : "",
			esc_str(why, sizeof(why), k->why), k->why[0] ? ")" : "");
		cap += k->captured;
		recv += k->recv;
		drop += k->drop;
	}
	fprintf(f, "%llu packets captured\n%llu packets received by filter\n%llu packets dropped by kernel\n",
		(unsigned long long)cap, (unsigned long long)recv,
		(unsigned long long)drop);
}
