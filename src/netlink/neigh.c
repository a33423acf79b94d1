/* Neighbours: the pure decoder of one RTM_NEWNEIGH message and the dump
 * of a namespace's neighbour tables and proxy entries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include "netjoin/nl.h"
#include "nlattr.h"
#include "netjoin/route.h"
#include "netjoin/vec.h"

/* The states `ip neigh` lists without "nud": all but NOARP (and so not
 * NUD_NONE either). */
#define SHOWN_STATES (0xff & ~NUD_NOARP)

/* What `ip neigh` leaves out unless asked: entries in no state or only
 * NOARP (multicast, broadcast, loopback), unless proxy or externally
 * learned. */
static bool shown(uint16_t state, uint8_t flags)
{
	return (state & SHOWN_STATES) || (flags & (NTF_PROXY | NTF_EXT_LEARNED));
}

int netlink_decode_neigh(const struct nlmsghdr *nlh, struct nj_neigh *out)
{
	const struct nlattr *tb[NDA_MAX + 1];
	const struct ndmsg *ndm;
	struct nj_neigh n;
	int r;

	ndm = netlink_msg_parse_inet(nlh, RTM_NEWNEIGH, sizeof(*ndm), tb, NDA_MAX,
				     &r);
	if (!ndm)
		return r;
	memset(&n, 0, sizeof(n));
	n.family = ndm->ndm_family;
	n.ifindex = ndm->ndm_ifindex;
	n.state = ndm->ndm_state;
	n.flags = ndm->ndm_flags;
	n.type = ndm->ndm_type;
	r = netlink_attr_bytes(tb[NDA_DST], n.dst, n.family == AF_INET ? 4 : 16, true,
		      NULL);
	if (r < 0)
		return -EINVAL;
	n.has_dst = r > 0;
	r = netlink_attr_bytes(tb[NDA_LLADDR], n.lladdr, sizeof(n.lladdr), false,
		      &n.lladdr_len);
	if (r < 0)
		return -EINVAL;
	n.has_lladdr = r > 0;
	if (netlink_attr_u8(tb[NDA_PROTOCOL], &n.protocol) < 0 ||
	    netlink_attr_u32(tb[NDA_FLAGS_EXT], &n.ext_flags) < 0)
		return -EINVAL;
	if (!shown(n.state, n.flags))
		return -ENOENT;
	*out = n;
	return 0;
}

void nj_neighs_free(struct nj_neighs *ns)
{
	if (!ns)
		return;
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

struct neigh_dump {
	struct nj_neighs *ns;
	size_t base; /* entries of the dumps before this one: kept on retry */
	int err;
};

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	struct neigh_dump *st = data;
	struct nj_neighs *ns = st->ns;
	struct nj_neigh n, *slot;

	if (nlh->nlmsg_type != RTM_NEWNEIGH)
		return MNL_CB_OK;
	if (netlink_decode_neigh(nlh, &n) < 0)
		return MNL_CB_OK; /* not listed, another family or malformed */
	slot = VEC_PUSH(ns->v, ns->n, ns->cap, 64);
	if (!slot) {
		st->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	*slot = n;
	return MNL_CB_OK;
}

static void neigh_reset(void *data)
{
	struct neigh_dump *st = data;

	st->ns->n = st->base;
}

static int dump_table(struct mnl_socket *nl, uint8_t ndm_flags,
		      struct neigh_dump *st)
{
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ndmsg))];
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	int r;

	ndm = netlink_req_init(req, sizeof(req), RTM_GETNEIGH, sizeof(*ndm),
			       &nlh);
	ndm->ndm_family = AF_UNSPEC;
	/* exactly NTF_PROXY: the kernel dumps the proxy table instead */
	ndm->ndm_flags = ndm_flags;
	st->base = st->ns->n;
	r = netlink_dump_run(nl, nlh, neigh_cb, neigh_reset, st);
	return st->err ? st->err : r;
}

int netlink_dump_neighs(struct mnl_socket *nl, struct nj_neighs *out)
{
	struct nj_neighs ns = { 0 };
	struct neigh_dump st = { &ns, 0, 0 };
	int r;

	r = dump_table(nl, 0, &st);
	if (r == 0)
		r = dump_table(nl, NTF_PROXY, &st);
	if (r < 0) {
		nj_neighs_free(&ns);
		return r;
	}
	nj_neighs_free(out);
	*out = ns;
	return 0;
}
