/* The netlink socket and the dump loop: one link dump and one address
 * dump of the current network namespace. Callbacks only decode. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "netjoin/nl.h"

#ifndef RTEXT_FILTER_SKIP_STATS
#define RTEXT_FILTER_SKIP_STATS (1 << 3)
#endif

/* The kernel fills a dump skb up to ~32 KiB; twice that never truncates. */
#define NL_BUFSZ 65536
/* A dump racing with changes is redone; this many times at most. */
#define NL_DUMP_TRIES 10

struct dump_state {
	struct nj_dump *d;
	int intr;
	int err;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_state *st = data;
	struct nj_link *l;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		st->intr = 1;
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	l = nj_dump_new_link(st->d);
	if (!l) {
		st->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	if (nl_decode_link(nlh, l) < 0)
		st->d->nlinks--; /* malformed: leave it out */
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_state *st = data;
	struct nj_addr *a;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		st->intr = 1;
	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	a = nj_dump_new_addr(st->d);
	if (!a) {
		st->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	if (nl_decode_addr(nlh, a) < 0)
		st->d->naddrs--; /* other family or malformed */
	return MNL_CB_OK;
}

static int dump_one(struct mnl_socket *nl, char *buf, uint16_t type,
		    mnl_cb_t cb, struct dump_state *st)
{
	unsigned int seq = (unsigned int)time(NULL) + type;
	unsigned int portid = mnl_socket_get_portid(nl);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	ssize_t n;
	int r;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (type == RTM_GETLINK) {
		struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh,
								   sizeof(*ifi));

		ifi->ifi_family = AF_UNSPEC;
		/* statistics are large and never shown */
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	} else {
		struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh,
								   sizeof(*ifa));

		ifa->ifa_family = AF_UNSPEC;
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, NL_BUFSZ);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, st);
		if (r == MNL_CB_STOP)
			return 0;
		if (r < 0)
			return st->err ? st->err : -errno;
	}
}

int nl_dump_netns(struct nj_dump *d)
{
	struct dump_state st = { .d = d };
	struct mnl_socket *nl;
	char *buf;
	int r = 0, try;

	buf = malloc(NL_BUFSZ);
	if (!buf)
		return -ENOMEM;
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl) {
		r = -errno;
		goto out_free;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto out_close;
	}
	for (try = 0; try < NL_DUMP_TRIES; try++) {
		nj_dump_reset(d);
		st.intr = 0;
		st.err = 0;
		r = dump_one(nl, buf, RTM_GETLINK, link_cb, &st);
		if (r == 0)
			r = dump_one(nl, buf, RTM_GETADDR, addr_cb, &st);
		if (r < 0 || !st.intr)
			break;
		r = -EAGAIN; /* interrupted every time */
	}
	if (r == 0)
		r = nj_dump_finish(d);
out_close:
	mnl_socket_close(nl);
out_free:
	free(buf);
	return r;
}
