/* --watch: one epoll loop over a socket per watched namespace, the
 * pidfds and pins that say when a namespace's owner is gone, signals,
 * and the reader of stdout. Events are decoded by the netlink layer and
 * written by the writers of the listings (out_event.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include "netjoin/nl.h"
#include "netjoin/nsjoin.h"
#include "netjoin/out_event.h"
#include "netjoin/watch.h"
#include "watch_int.h"

/* One datagram of notifications is at most a page or two; a dump's
 * buffer size leaves room for any. */
#define WATCH_BUFSZ 65536
/* Datagrams read from one socket before the others get their turn. */
#define WATCH_BURST 64

int watch_ep_add(struct watch *w, int fd, uint32_t events,
		 struct watch_src *s)
{
	struct epoll_event ev = { .events = events, .data.ptr = s };

	return epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int watch_init(struct watch *w, const struct watch_opts *o, struct nj_err *e)
{
	sigset_t set;

	memset(w, 0, sizeof(*w));
	w->o = o;
	w->sig = w->inotify = w->home = w->scan_done = -1;
	w->sig_src.type = WATCH_SRC_SIGNAL;
	w->scan_src.type = WATCH_SRC_SCAN;
	w->inotify_src.type = WATCH_SRC_INOTIFY;
	w->out_src.type = WATCH_SRC_STDOUT;
	w->buf = malloc(WATCH_BUFSZ);
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	if (!w->buf || w->ep < 0)
		return nj_fail(e, NJ_FAIL, w->buf ? errno : ENOMEM,
			       "cannot start watching: %s",
			       strerror(w->buf ? errno : ENOMEM));
	/* SIGINT and SIGTERM end the loop between two lines */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	w->sig = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	w->home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (w->sig < 0 || w->home < 0 ||
	    watch_ep_add(w, w->sig, EPOLLIN, &w->sig_src) < 0)
		return nj_fail(e, NJ_FAIL, errno, "cannot start watching: %s",
			       strerror(errno));
	/* a pipe whose reader went away says so (EPOLLERR) before our next
	 * line: `| head -n 1` ends us at once. A file cannot be polled. */
	watch_ep_add(w, STDOUT_FILENO, 0, &w->out_src);
	return 0;
}

void watch_ns_close(struct watch *w, struct watch_ns *ns)
{
	if (!ns)
		return;
	if (ns->nl) {
		if (w) /* NULL: never added to w's loop */
			epoll_ctl(w->ep, EPOLL_CTL_DEL, netlink_fd(ns->nl), NULL);
		netlink_close(ns->nl);
	}
	watch_ns_pidfd_close(w, ns);
	nj_dump_free(&ns->links);
	free(ns->pin);
	free(ns);
}

void watch_fini(struct watch *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		watch_ns_close(w, w->v[i]);
	free(w->v);
	if (w->ep >= 0)
		close(w->ep);
	if (w->sig >= 0)
		close(w->sig);
	if (w->inotify >= 0)
		close(w->inotify);
	if (w->home >= 0)
		close(w->home);
	if (w->scan_done >= 0)
		close(w->scan_done);
	free(w->buf);
	memset(w, 0, sizeof(*w));
	w->ep = w->sig = w->inotify = w->home = w->scan_done = -1;
}

/* A namespace's sockets: one for its events, joined to the groups
 * before its links are dumped through another (so nothing falls in
 * between), both made inside it (fd: an nsfs fd, or a pidfd of pid) by
 * the calling thread, which then goes back home. Read once added to a
 * loop (watch_ns_add). */
struct watch_ns *watch_ns_open(int home, int fd, bool is_pidfd,
			       pid_t pid, const char *target, int *err,
			       struct nj_err *e)
{
	struct mnl_socket *dump = NULL;
	struct watch_ns *ns = calloc(1, sizeof(*ns));
	int r;

	*err = -ENOMEM;
	if (!ns)
		return NULL;
	ns->pidfd = -1;
	ns->sock_src.type = WATCH_SRC_SOCKET;
	ns->sock_src.ns = ns;
	ns->pid_src.type = WATCH_SRC_PIDFD;
	ns->pid_src.ns = ns;
	snprintf(ns->target, sizeof(ns->target), "%s", target);
	r = nsjoin_enter(fd, is_pidfd, pid, e);
	if (r < 0)
		goto fail;
	r = netlink_open_events(&ns->nl);
	if (r == 0)
		r = netlink_open(NETLINK_ROUTE, -1, &dump);
	nsjoin_current_ns(&ns->dev, &ns->ino);
	if (setns(home, CLONE_NEWNET) < 0) {
		netlink_close(dump);
		r = nj_fail(e, NJ_FAIL, ENOTRECOVERABLE,
			    "cannot return to netjoin's own network namespace: %s",
			    strerror(errno));
		goto fail;
	}
	if (r == 0)
		r = netlink_dump_links(dump, &ns->links);
	netlink_close(dump);
	if (r < 0) {
		nj_fail(e, r == -EMFILE ? NJ_FAIL : nj_class_of_errno(-r), -r,
			"cannot watch %s: %s", target, strerror(-r));
		goto fail;
	}
	ns->es.target = ns->target;
	ns->es.netns_inode = ns->ino;
	*err = 0;
	return ns;
fail:
	*err = r;
	watch_ns_close(NULL, ns);
	return NULL;
}

/* ns into w's loop: its socket, and its pidfd when it has one. 0, or
 * -errno (ns is still the caller's). */
int watch_ns_add(struct watch *w, struct watch_ns *ns)
{
	int r;

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct watch_ns **v = realloc(w->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		w->v = v;
		w->cap = cap;
	}
	r = watch_ep_add(w, netlink_fd(ns->nl), EPOLLIN, &ns->sock_src);
	if (r < 0)
		return r;
	/* without it, the namespace is still found gone by a rescan */
	if (ns->pidfd >= 0 &&
	    watch_ep_add(w, ns->pidfd, EPOLLIN, &ns->pid_src) < 0) {
		close(ns->pidfd);
		ns->pidfd = -1;
	}
	w->v[w->n++] = ns;
	return 0;
}

/* The pidfd of the process a namespace was found through: readable when
 * it exits. */
int watch_ns_pidfd(struct watch *w, struct watch_ns *ns, int pidfd)
{
	ns->pidfd = pidfd;
	return watch_ep_add(w, pidfd, EPOLLIN, &ns->pid_src);
}

void watch_ns_pidfd_close(struct watch *w, struct watch_ns *ns)
{
	if (ns->pidfd >= 0) {
		if (w)
			epoll_ctl(w->ep, EPOLL_CTL_DEL, ns->pidfd, NULL);
		close(ns->pidfd);
		ns->pidfd = -1;
	}
}

/* After each line: a reader that went away, or a write error, ends the
 * watch (main reports all but EPIPE). */
static void flush_out(struct watch *w)
{
	if (fflush(w->o->out) || fflush(stdout) || ferror(stdout))
		w->stop = true;
}

struct event_ctx {
	struct watch *w;
	struct watch_ns *ns;
	struct timespec ts;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct event_ctx *c = data;
	struct nj_event ev;

	if (netlink_decode_event(nlh, &ev) < 0)
		return MNL_CB_OK; /* not ours, or malformed: skipped */
	out_event(c->w->o->out, c->w->o->json, &c->ts, &c->ns->es, &ev,
		  &c->ns->links);
	/* after the line: a link's own deletion names it still */
	if (ev.kind == NJ_EVENT_LINK &&
	    nj_dump_apply_link(&c->ns->links, &ev.u.link, ev.del) < 0) {
		nj_event_free(&ev);
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	nj_event_free(&ev);
	return MNL_CB_OK;
}

/* What a namespace's socket holds now. */
int watch_ns_read(struct watch *w, struct watch_ns *ns)
{
	struct event_ctx c = { w, ns, { 0, 0 } };
	bool intr = false;
	ssize_t n;
	int i, r;

	for (i = 0; i < WATCH_BURST && !w->stop; i++) {
		n = netlink_event_recv(ns->nl, w->buf, WATCH_BUFSZ);
		clock_gettime(CLOCK_REALTIME, &c.ts);
		if (n == -EAGAIN || n == -EINTR)
			return 0;
		if (n == -ENOBUFS) {
			/* ip monitor goes on too; the line says so */
			out_event_overrun(w->o->out, w->o->json, &c.ts, &ns->es);
			flush_out(w);
			continue;
		}
		if (n < 0)
			return (int)n;
		r = netlink_reply_run(w->buf, (size_t)n, 0, 0, event_cb, &c,
				      &intr);
		if (r < 0 && r != -EBADMSG)
			return r;
		flush_out(w);
	}
	return 0;
}

/* One wait of the loop: the sources that are ready, handled; timeout_ms
 * as epoll_wait takes it. Returns 0 with *ready set (signals and a gone
 * reader set w->stop), or -errno. */
int watch_wait(struct watch *w, int timeout_ms, struct watch_ready *ready)
{
	struct epoll_event evs[64];
	struct signalfd_siginfo si;
	uint64_t count;
	int n, i, r;

	memset(ready, 0, sizeof(*ready));
	n = epoll_wait(w->ep, evs, 64, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n && !w->stop; i++) {
		struct watch_src *s = evs[i].data.ptr;

		switch (s->type) {
		case WATCH_SRC_SIGNAL:
			while (read(w->sig, &si, sizeof(si)) == sizeof(si))
				;
			w->stop = true;
			break;
		case WATCH_SRC_STDOUT:
			w->stop = true;
			break;
		case WATCH_SRC_INOTIFY:
			while (read(w->inotify, w->buf, WATCH_BUFSZ) > 0)
				;
			ready->inotify = true;
			break;
		case WATCH_SRC_PIDFD:
			/* closed now: it would stay readable until the rescan
			 * that follows the next process is done */
			watch_ns_pidfd_close(w, s->ns);
			s->ns->exited = true;
			ready->exited = true;
			break;
		case WATCH_SRC_SCAN:
			if (read(w->scan_done, &count, sizeof(count)) < 0 &&
			    errno != EAGAIN)
				return -errno;
			ready->scanned = true;
			break;
		case WATCH_SRC_SOCKET:
			r = watch_ns_read(w, s->ns);
			if (r < 0)
				return r;
			break;
		}
	}
	return 0;
}

/* inotify on the directory of a pin (/run/netns for netns:NAME): its
 * removal is seen at once, not at the next check. Its entries made,
 * removed and renamed are watched, and the events in also (-L --watch:
 * IN_CLOSE_WRITE, LXC writing a container's lock). */
int watch_inotify_add(struct watch *w, const char *dir, uint32_t also)
{
	if (w->inotify < 0) {
		w->inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if (w->inotify < 0 ||
		    watch_ep_add(w, w->inotify, EPOLLIN, &w->inotify_src) < 0)
			return -errno;
	}
	if (inotify_add_watch(w->inotify, dir,
			      IN_CREATE | IN_DELETE | IN_MOVED_FROM |
				      IN_MOVED_TO | IN_DELETE_SELF | IN_ONLYDIR |
				      also) < 0)
		return -errno;
	return 0;
}

int watch_target(const struct watch_opts *o, struct nj_target *t,
		 struct nj_err *e)
{
	struct watch_ready ready;
	struct watch w;
	struct watch_ns *ns;
	char dir[PATH_MAX];
	int r, timeout = -1;

	r = watch_init(&w, o, e);
	if (r < 0)
		goto out;
	if (t->handle == NJ_HANDLE_NONE) {
		int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

		ns = self < 0 ? NULL
			      : watch_ns_open(w.home, self, false, 0, t->spec,
					      &r, e);
		if (self < 0)
			r = nj_fail(e, NJ_FAIL, errno, "cannot open %s: %s",
				    "/proc/thread-self/ns/net", strerror(errno));
		else
			close(self);
	} else {
		ns = watch_ns_open(w.home, t->fd, t->handle == NJ_HANDLE_PIDFD,
				   t->pid, t->spec, &r, e);
	}
	if (!ns)
		goto out;
	r = watch_ns_add(&w, ns);
	if (r < 0) {
		watch_ns_close(&w, ns);
		nj_fail(e, NJ_FAIL, -r, "cannot watch %s: %s", t->spec,
			strerror(-r));
		goto out;
	}
	if (t->handle == NJ_HANDLE_PIDFD) {
		r = watch_ns_pidfd(&w, ns, t->fd);
		t->fd = -1; /* ours now */
	} else if (t->handle == NJ_HANDLE_NSFS) {
		/* an nsfs fd would keep the namespace: its path is checked */
		close(t->fd);
		t->fd = -1;
		ns->pin = strdup(t->path);
		if (!ns->pin)
			r = -ENOMEM;
		snprintf(dir, sizeof(dir), "%s", t->path);
		watch_inotify_add(&w, dirname(dir), 0);
		timeout = WATCH_PIN_MS;
	}
	if (r < 0) {
		nj_fail(e, NJ_FAIL, -r, "cannot watch %s: %s", t->spec,
			strerror(-r));
		goto out;
	}
	while (!w.stop) {
		r = watch_wait(&w, timeout, &ready);
		if (r < 0) {
			nj_fail(e, NJ_FAIL, -r, "cannot read the events of %s: %s",
				t->spec, strerror(-r));
			break;
		}
		if (ready.exited) {
			r = nj_fail(e, NJ_GONE, ESRCH,
				    "%s: process %d exited: its namespace is no longer watched",
				    t->spec, (int)t->pid);
			break;
		}
		if (ns->pin && !nsjoin_pin_holds(ns->pin, ns->dev, ns->ino)) {
			r = nj_fail(e, NJ_GONE, ENOENT,
				    "%s: %s was removed or replaced: its namespace is no longer watched",
				    t->spec, ns->pin);
			break;
		}
	}
out:
	watch_fini(&w);
	return r < 0 ? r : 0;
}
