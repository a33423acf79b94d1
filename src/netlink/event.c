/* Events: the multicast groups of a namespace's rtnetlink, and the pure
 * decoder of one notification. A notification is a message like any
 * other: the decoders of the dumps read it, and only "new" or "del" is
 * added (ip monitor's way). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include "netjoin/event.h"
#include "netjoin/nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* What a watch listens to: ip monitor's link, address, route and neigh. */
static const unsigned int groups[] = {
	RTNLGRP_LINK,       RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
	RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,  RTNLGRP_NEIGH,
};

/* A burst of events (a container with many routes coming up) fits in
 * this much before the kernel drops some (ENOBUFS). */
#define EVENT_RCVBUF (1 << 20)

int netlink_subscribe(struct mnl_socket *nl)
{
	int fd = mnl_socket_get_fd(nl), sz = EVENT_RCVBUF;
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &groups[i], sizeof(groups[i])) < 0)
			return -errno;
	/* only a hint: the kernel caps it at rmem_max */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return 0;
}

int netlink_fd(struct mnl_socket *nl)
{
	return mnl_socket_get_fd(nl);
}

ssize_t netlink_event_recv(struct mnl_socket *nl, void *buf, size_t sz)
{
	ssize_t n = recv(mnl_socket_get_fd(nl), buf, sz, MSG_DONTWAIT);

	return n < 0 ? -errno : n;
}

const char *nj_event_kind_name(enum nj_event_kind k)
{
	switch (k) {
	case NJ_EVENT_LINK: return "link";
	case NJ_EVENT_ADDR: return "addr";
	case NJ_EVENT_ROUTE: return "route";
	case NJ_EVENT_NEIGH: return "neigh";
	}
	return "?";
}

void nj_event_free(struct nj_event *ev)
{
	if (ev && ev->kind == NJ_EVENT_ROUTE)
		nj_route_free(&ev->u.route);
}

/* The decoders take RTM_NEW* only: a deletion is the same message under
 * the type one above, read through a copy under the new type. */
static int decode_as_new(const struct nlmsghdr *nlh, struct nj_event *ev)
{
	const struct nlmsghdr *m = nlh;
	struct nlmsghdr *copy = NULL;
	int r;

	if (ev->del) {
		if (nlh->nlmsg_len < sizeof(*nlh))
			return -EINVAL;
		copy = malloc(nlh->nlmsg_len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, nlh, nlh->nlmsg_len);
		copy->nlmsg_type--;
		m = copy;
	}
	switch (ev->kind) {
	case NJ_EVENT_LINK:
		r = netlink_decode_link(m, &ev->u.link);
		break;
	case NJ_EVENT_ADDR:
		r = netlink_decode_addr(m, &ev->u.addr);
		break;
	case NJ_EVENT_ROUTE:
		r = netlink_decode_route(m, &ev->u.route);
		/* cached routes: ip route leaves them out, so do we */
		if (r == 0 && (ev->u.route.flags & RTM_F_CLONED)) {
			nj_route_free(&ev->u.route);
			r = -ENOENT;
		}
		break;
	default:
		r = netlink_decode_neigh(m, &ev->u.neigh);
		break;
	}
	free(copy);
	return r;
}

int netlink_decode_event(const struct nlmsghdr *nlh, struct nj_event *out)
{
	static const struct {
		uint16_t type;
		enum nj_event_kind kind;
		bool del;
	} types[] = {
		{ RTM_NEWLINK, NJ_EVENT_LINK, false },
		{ RTM_DELLINK, NJ_EVENT_LINK, true },
		{ RTM_NEWADDR, NJ_EVENT_ADDR, false },
		{ RTM_DELADDR, NJ_EVENT_ADDR, true },
		{ RTM_NEWROUTE, NJ_EVENT_ROUTE, false },
		{ RTM_DELROUTE, NJ_EVENT_ROUTE, true },
		{ RTM_NEWNEIGH, NJ_EVENT_NEIGH, false },
		{ RTM_DELNEIGH, NJ_EVENT_NEIGH, true },
	};
	struct nj_event ev;
	size_t i;
	int r;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == nlh->nlmsg_type)
			break;
	if (i == sizeof(types) / sizeof(types[0]))
		return -ENOENT; /* a kind we do not watch */
	memset(&ev, 0, sizeof(ev));
	ev.kind = types[i].kind;
	ev.del = types[i].del;
	r = decode_as_new(nlh, &ev);
	if (r < 0)
		return r;
	*out = ev;
	return 0;
}
