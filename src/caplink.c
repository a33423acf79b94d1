/* --capture's links (capture.h): each namespace's link events, read
 * through --watch's rtnetlink socket (src/netlink/event.c), so that a
 * capture follows a target whose interfaces change: one that comes up is
 * opened (its Interface Description Block before its first packet), one
 * that goes away is closed (its statistics still written at the end). */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "netjoin/capture.h"
#include "netjoin/nl.h"

/* One read of notifications: a whole RTM_NEWLINK, however many VFs. */
#define EVENT_BUFSZ (64 * 1024)
/* Datagrams read at one wake-up before the packets get their turn. */
#define EVENT_BURST 64

int caplink_watch(struct capture *c, size_t ns, struct nj_err *e)
{
	struct cap_ns *n = &c->ns[ns];
	struct mnl_socket *nl;
	int r;

	n->nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (n->nsfd < 0)
		return nj_fail(e, NJ_FAIL, errno,
			       "%s: cannot open its network namespace: %s",
			       n->name, strerror(errno));
	r = netlink_open_events(&nl);
	if (r < 0)
		return nj_fail(e, nj_class_of_errno(-r), -r,
			       "%s: cannot watch its links: %s", n->name,
			       strerror(-r));
	n->nl = nl;
	return 0;
}

void caplink_close(struct cap_ns *n)
{
	if (n->nl)
		netlink_close(n->nl);
	n->nl = NULL;
	if (n->nsfd >= 0)
		close(n->nsfd);
	n->nsfd = -1;
}

static struct cap_if *open_on(struct capture *c, size_t ns, int ifindex)
{
	size_t i;

	for (i = 0; i < c->nifs; i++)
		if (c->ifs[i].pcap && c->ifs[i].ns == ns &&
		    c->ifs[i].ifindex == ifindex)
			return &c->ifs[i];
	return NULL;
}

struct link_ctx {
	struct capture *c;
	size_t ns;
	bool scan; /* an interface to open came up */
};

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	struct link_ctx *x = data;
	struct nj_event ev;
	struct cap_if *f;

	if (netlink_decode_event(nlh, &ev) < 0)
		return MNL_CB_OK; /* not a link's, or malformed */
	if (ev.kind == NJ_EVENT_LINK) {
		f = open_on(x->c, x->ns, ev.u.link.ifindex);
		if (ev.del && f) {
			/* what the ring handed over already is kept */
			capture_drain(f);
			capture_close_if(f, "the interface was removed");
		} else if (!ev.del && !f && (ev.u.link.flags & IFF_UP) &&
			   capture_wants(x->c->o, ev.u.link.ifname))
			x->scan = true;
	}
	nj_event_free(&ev);
	return MNL_CB_OK;
}

/* Every wanted interface of namespace ns not read yet, opened there. One
 * that is down, or fails, is left: its next event tries again. */
static int scan(struct capture *c, size_t ns)
{
	struct if_nameindex *ifs, *i;
	struct nj_err e = { 0 };
	int rc = 0;

	if (setns(c->ns[ns].nsfd, CLONE_NEWNET) < 0)
		return 0; /* not joinable now: nothing can be opened there */
	ifs = if_nameindex();
	for (i = ifs; i && i->if_index; i++)
		if (capture_wants(c->o, i->if_name) &&
		    !open_on(c, ns, (int)i->if_index))
			capture_open_if(c, ns, i->if_name, (int)i->if_index, &e);
	if (ifs)
		if_freenameindex(ifs);
	if (setns(c->home_fd, CLONE_NEWNET) < 0)
		rc = -ENOTRECOVERABLE;
	return rc;
}

int caplink_read(struct capture *c, size_t ns)
{
	struct link_ctx x = { c, ns, false };
	unsigned char *buf = malloc(EVENT_BUFSZ);
	bool intr = false;
	ssize_t n;
	int k;

	if (!buf)
		return 0; /* the events wait for the next wake-up */
	for (k = 0; k < EVENT_BURST; k++) {
		n = netlink_event_recv(c->ns[ns].nl, buf, EVENT_BUFSZ);
		if (n == -EAGAIN || n == -EINTR)
			break;
		if (n == -ENOBUFS) { /* events were lost: look again */
			x.scan = true;
			continue;
		}
		if (n < 0) { /* the socket is broken: the handles go on */
			caplink_close(&c->ns[ns]);
			break;
		}
		netlink_reply_run(buf, (size_t)n, 0, 0, on_event, &x, &intr);
	}
	free(buf);
	return x.scan && c->ns[ns].nsfd >= 0 ? scan(c, ns) : 0;
}
