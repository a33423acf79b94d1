/* The netlink socket and the dump loop. Callbacks only decode. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <libmnl/libmnl.h>
#include <linux/nsfs.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "netjoin/nl.h"
#include "netjoin/vec.h"
#include "nlattr.h"

#ifndef RTEXT_FILTER_SKIP_STATS
#define RTEXT_FILTER_SKIP_STATS (1 << 3)
#endif

/* The kernel fills a dump skb up to ~32 KiB; twice that never truncates. */
#define NL_BUFSZ 65536
/* A dump racing with changes is redone; this many times at most. On a
 * loaded node whose links churn without pause, t-faults saw 10 tries all
 * interrupted (about 1 run in 150): each try of a large address dump is
 * interrupted with a probability near 0.6 there, so 64 tries leave about
 * one failure in 10^14. A try costs a few ms at most. */
#define NL_DUMP_TRIES 64

static int open_here(int bus, struct mnl_socket **out)
{
	struct mnl_socket *nl = mnl_socket_open2(bus, SOCK_CLOEXEC);
	int r;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		mnl_socket_close(nl);
		return r;
	}
	*out = nl;
	return 0;
}

/* The network namespace of nsfd belongs to a user namespace that the
 * caller owns (a user's rootless container), or -EPERM: it may not be
 * told, or is root's or another user's. The owning namespace's fd into
 * userns. */
static int own_userns(int nsfd, int *userns)
{
	int fd = ioctl(nsfd, NS_GET_USERNS);
	uid_t uid;

	if (fd < 0)
		return -EPERM;
	if (ioctl(fd, NS_GET_OWNER_UID, &uid) < 0 || uid == 0 ||
	    uid != getuid() || uid != geteuid()) {
		close(fd);
		return -EPERM;
	}
	*userns = fd;
	return 0;
}

/* In the child: join userns, then the network namespace, make the socket
 * and send it over sp. Never returns. */
static void make_in_child(int bus, int userns, int nsfd, int sp)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int s;

	if (setns(userns, CLONE_NEWUSER) < 0 || setns(nsfd, CLONE_NEWNET) < 0)
		_exit(1);
	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, bus);
	if (s < 0)
		_exit(1);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &s, sizeof(int));
	_exit(sendmsg(sp, &m, 0) == 1 ? 0 : 1);
}

static int recv_fd(int sp)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sp, &m, MSG_CMSG_CLOEXEC) != 1)
		return -EPERM;
	c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EPERM;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* A user's own rootless namespace, which this process may not join
 * without giving up its place for good (a user namespace, once joined,
 * is not left): a child joins both and hands the socket back. */
static int open_via_child(int bus, int nsfd, struct mnl_socket **out)
{
	int userns, sp[2], fd, st, r;
	struct mnl_socket *nl;
	pid_t pid;

	r = own_userns(nsfd, &userns);
	if (r < 0)
		return r;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
		r = -errno;
		close(userns);
		return r;
	}
	pid = fork();
	if (pid == 0) {
		close(sp[0]);
		make_in_child(bus, userns, nsfd, sp[1]);
	}
	close(sp[1]);
	close(userns);
	fd = pid < 0 ? -errno : recv_fd(sp[0]);
	close(sp[0]);
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	if (fd < 0)
		return fd;
	nl = mnl_socket_fdopen(fd);
	if (!nl) {
		r = -errno;
		close(fd);
		return r;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		mnl_socket_close(nl);
		return r;
	}
	*out = nl;
	return 0;
}

int netlink_open_from(int bus, int nsfd, int homefd, struct mnl_socket **out)
{
	int r;

	/* A socket belongs to the namespace it was made in: step in for the
	 * socket() call and straight back out. */
	if (setns(nsfd, CLONE_NEWNET) < 0)
		return errno == EPERM ? open_via_child(bus, nsfd, out) : -errno;
	r = open_here(bus, out);
	if (setns(homefd, CLONE_NEWNET) < 0) {
		if (r == 0)
			mnl_socket_close(*out);
		return -ENOTRECOVERABLE;
	}
	return r;
}

int netlink_open(int bus, int nsfd, struct mnl_socket **out)
{
	int self, r;

	if (nsfd < 0)
		return open_here(bus, out);
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	r = netlink_open_from(bus, nsfd, self, out);
	close(self);
	return r;
}

int netlink_open_events(struct mnl_socket **out)
{
	struct mnl_socket *nl;
	int r = open_here(NETLINK_ROUTE, &nl);

	if (r < 0)
		return r;
	r = netlink_subscribe(nl);
	if (r < 0) {
		mnl_socket_close(nl);
		return r;
	}
	*out = nl;
	return 0;
}

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

int netlink_netns_cookie(struct mnl_socket *nl, uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	uint64_t c;

	if (getsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_NETNS_COOKIE, &c,
		       &len) < 0)
		return -errno;
	*cookie = c;
	return 0;
}

void netlink_close(struct mnl_socket *nl)
{
	if (nl)
		mnl_socket_close(nl);
}

static int dump_once(struct mnl_socket *nl, char *buf, struct nlmsghdr *req,
		     mnl_cb_t cb, void *data, bool *intr)
{
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int r;

	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
	req->nlmsg_seq = (unsigned int)time(NULL) ^ (unsigned int)rand();
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -errno;
	/* An interrupted dump is read on to its end all the same, so that
	 * the next request starts clean. */
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, NL_BUFSZ);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		r = netlink_reply_run(buf, (size_t)n, req->nlmsg_seq, portid, cb,
				 data, intr);
		if (r != NL_REPLY_MORE)
			return r;
	}
}

int netlink_dump_run(struct mnl_socket *nl, struct nlmsghdr *req, mnl_cb_t cb,
	    void (*reset)(void *data), void *data)
{
	bool intr = false;
	char *buf = malloc(NL_BUFSZ);
	int r = -EAGAIN, try;

	if (!buf)
		return -ENOMEM;
	for (try = 0; try < NL_DUMP_TRIES; try++) {
		if (try && reset)
			reset(data);
		intr = false;
		r = dump_once(nl, buf, req, cb, data, &intr);
		if (r < 0 || !intr)
			break;
		r = -EAGAIN; /* interrupted every time */
	}
	free(buf);
	return r;
}

/* Links are decoded straight into the next slot of their array, which
 * the decoder fills whole: no zeroed copy first. A slot the decoder
 * refuses (malformed) is not counted, and the next message reuses it.
 * Addresses are decoded on the stack and kept compact (see
 * nj_dump_add_addr), grouped while they are in cache. */
static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nj_dump *d = data;
	struct nj_addr a;

	if (nlh->nlmsg_type == RTM_NEWLINK) {
		if (vec_reserve((void **)&d->links, &d->links_cap,
				d->nlinks + 1, sizeof(*d->links), 8))
			goto nomem;
		if (netlink_decode_link(nlh, &d->links[d->nlinks]) == 0)
			d->nlinks++;
	} else if (nlh->nlmsg_type == RTM_NEWADDR) {
		if (netlink_decode_addr(nlh, &a) == 0) {
			if (nj_dump_add_addr(d, &a) < 0)
				goto nomem;
			if (d->index)
				nj_dump_group(d);
		}
	}
	return MNL_CB_OK;
nomem:
	errno = ENOMEM; /* netlink_reply_run returns it */
	return MNL_CB_ERROR;
}

static void reset_links(void *data)
{
	((struct nj_dump *)data)->nlinks = 0;
}

static void reset_addrs(void *data)
{
	nj_dump_reset_addrs(data);
}

static int dump_links(struct mnl_socket *nl, struct nj_dump *d,
		      bool addrs);

int netlink_dump_links_addrs(struct mnl_socket *nl, struct nj_dump *d)
{
	return dump_links(nl, d, true);
}

int netlink_dump_links(struct mnl_socket *nl, struct nj_dump *d)
{
	return dump_links(nl, d, false);
}

static int dump_links(struct mnl_socket *nl, struct nj_dump *d, bool addrs)
{
	char req[256];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct ifaddrmsg *ifa;
	int r;

	nj_dump_reset(d);
	ifi = netlink_req_init(req, sizeof(req), RTM_GETLINK, sizeof(*ifi), &nlh);
	ifi->ifi_family = AF_UNSPEC;
	/* VF statistics, large on SR-IOV NICs, are never shown (this mask
	 * does not drop IFLA_STATS64/IFLA_STATS: the kernel always sends those) */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	r = netlink_dump_run(nl, nlh, dump_cb, reset_links, d);
	/* indexed before the addresses come, to group each as it comes */
	if (r == 0)
		r = nj_dump_index(d);
	if (r == 0 && addrs) {
		ifa = netlink_req_init(req, sizeof(req), RTM_GETADDR,
				       sizeof(*ifa), &nlh);
		ifa->ifa_family = AF_UNSPEC;
		r = netlink_dump_run(nl, nlh, dump_cb, reset_addrs, d);
	}
	return r < 0 ? r : nj_dump_finish(d);
}
