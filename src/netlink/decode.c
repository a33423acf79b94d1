/* Pure decoders: one rtnetlink message into a model struct. The caller
 * guarantees nlh->nlmsg_len bytes are readable (the dump loop checks it
 * with mnl_nlmsg_ok). Attributes are parsed into a table first, unknown
 * ones skipped (a newer kernel may send more), and each one used is
 * validated before it is read. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "netjoin/nl.h"
#include "nlattr.h"


static int decode_linkinfo(const struct nlattr *li, struct nj_link *l)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1];

	if (mnl_attr_validate(li, MNL_TYPE_NESTED) < 0 ||
	    netlink_attrs_parse_payload(mnl_attr_get_payload(li),
				   mnl_attr_get_payload_len(li), tb,
				   IFLA_INFO_MAX) < 0)
		return -EINVAL;
	/* presence shows in the values: "" when absent */
	if (netlink_attr_str(tb[IFLA_INFO_KIND], l->kind, sizeof(l->kind)) < 0 ||
	    netlink_attr_str(tb[IFLA_INFO_SLAVE_KIND], l->slave_kind,
			     sizeof(l->slave_kind)) < 0)
		return -EINVAL;
	return 0;
}

/* IFLA_STATS64 is struct rtnl_link_stats64 as the running kernel has it:
 * one older than a field sends less (rx_nohandler came in Linux 4.6,
 * rx_otherhost_dropped in 5.19), a newer one may send more. The fields
 * every kernel sends are required; the later ones read 0 when they did
 * not come, as they do for ip. */
#define STATS64_MIN offsetof(struct rtnl_link_stats64, rx_nohandler)

static int decode_stats64(const struct nlattr *a, struct nj_link_stats *st)
{
	struct rtnl_link_stats64 s;
	size_t len = mnl_attr_get_payload_len(a);

	if (len < STATS64_MIN)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	memcpy(&s, mnl_attr_get_payload(a), len < sizeof(s) ? len : sizeof(s));
	*st = (struct nj_link_stats){
		.rx_packets = s.rx_packets, .tx_packets = s.tx_packets,
		.rx_bytes = s.rx_bytes, .tx_bytes = s.tx_bytes,
		.rx_errors = s.rx_errors, .tx_errors = s.tx_errors,
		.rx_dropped = s.rx_dropped, .tx_dropped = s.tx_dropped,
		.multicast = s.multicast, .collisions = s.collisions,
		.rx_length_errors = s.rx_length_errors,
		.rx_over_errors = s.rx_over_errors,
		.rx_crc_errors = s.rx_crc_errors,
		.rx_frame_errors = s.rx_frame_errors,
		.rx_fifo_errors = s.rx_fifo_errors,
		.rx_missed_errors = s.rx_missed_errors,
		.tx_aborted_errors = s.tx_aborted_errors,
		.tx_carrier_errors = s.tx_carrier_errors,
		.tx_fifo_errors = s.tx_fifo_errors,
		.tx_heartbeat_errors = s.tx_heartbeat_errors,
		.tx_window_errors = s.tx_window_errors,
		.rx_compressed = s.rx_compressed,
		.tx_compressed = s.tx_compressed,
		.rx_nohandler = s.rx_nohandler,
		.rx_otherhost_dropped = s.rx_otherhost_dropped,
	};
	return 0;
}

int netlink_decode_link(const struct nlmsghdr *nlh, struct nj_link *l)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	uint32_t u = 0;

	ifi = netlink_msg_parse(nlh, RTM_NEWLINK, sizeof(*ifi), tb, IFLA_MAX);
	if (!ifi)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->type = ifi->ifi_type;
	if (netlink_attr_str(tb[IFLA_IFNAME], l->ifname, sizeof(l->ifname)) <= 0)
		return -EINVAL; /* every link has a name */
	NETLINK_GET(netlink_attr_u32(tb[IFLA_MTU], &l->mtu), l->has_mtu);
	NETLINK_GET(netlink_attr_u8(tb[IFLA_OPERSTATE], &l->operstate), l->has_operstate);
	NETLINK_GET(netlink_attr_u32(tb[IFLA_LINK], &l->link), l->has_link);
	NETLINK_GET(netlink_attr_u32(tb[IFLA_LINK_NETNSID], &u), l->has_link_netnsid);
	l->link_netnsid = (int32_t)u;
	NETLINK_GET(netlink_attr_u32(tb[IFLA_MASTER], &l->master), l->has_master);
	NETLINK_GET(netlink_attr_u32(tb[IFLA_GROUP], &l->group), l->has_group);
	NETLINK_GET(netlink_attr_u32(tb[IFLA_TXQLEN], &l->txqlen), l->has_txqlen);
	/* presence shows in the values: "", or a length of 0 */
	if (netlink_attr_str(tb[IFLA_QDISC], l->qdisc, sizeof(l->qdisc)) < 0 ||
	    netlink_attr_bytes(tb[IFLA_ADDRESS], l->addr, sizeof(l->addr), 0, &l->addr_len) < 0 ||
	    netlink_attr_bytes(tb[IFLA_BROADCAST], l->brd, sizeof(l->brd), 0, &l->brd_len) < 0 ||
	    netlink_attr_bytes(tb[IFLA_PERM_ADDRESS], l->perm, sizeof(l->perm), 0, &l->perm_len) < 0)
		return -EINVAL;
	if (tb[IFLA_LINKINFO] && decode_linkinfo(tb[IFLA_LINKINFO], l) < 0)
		return -EINVAL;
	NETLINK_GET(netlink_attr_u32(tb[IFLA_CARRIER_CHANGES], &l->carrier_changes),
		    l->has_carrier_changes);
	if (tb[IFLA_STATS64]) {
		if (decode_stats64(tb[IFLA_STATS64], &l->stats64) < 0)
			return -EINVAL;
		l->has_stats64 = true;
	}
	return 0;
}

int netlink_decode_addr(const struct nlmsghdr *nlh, struct nj_addr *a)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa;
	const struct ifa_cacheinfo *ci;
	size_t alen;
	uint32_t flags;
	int r;

	ifa = netlink_msg_parse_inet(nlh, RTM_NEWADDR, sizeof(*ifa), tb, IFA_MAX,
				     &r);
	if (!ifa)
		return r;
	alen = ifa->ifa_family == AF_INET ? 4 : 16;
	if (ifa->ifa_prefixlen > alen * 8)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	a->ifindex = (int32_t)ifa->ifa_index;
	a->family = ifa->ifa_family;
	a->prefixlen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->flags = ifa->ifa_flags;
	r = netlink_attr_u32(tb[IFA_FLAGS], &flags);
	if (r < 0)
		return r;
	if (r > 0)
		a->flags = flags;
	NETLINK_GET(netlink_attr_bytes(tb[IFA_LOCAL], a->local, alen, 1, NULL), a->has_local);
	NETLINK_GET(netlink_attr_bytes(tb[IFA_ADDRESS], a->address, alen, 1, NULL), a->has_address);
	NETLINK_GET(netlink_attr_bytes(tb[IFA_BROADCAST], a->broadcast, alen, 1, NULL), a->has_broadcast);
	NETLINK_GET(netlink_attr_bytes(tb[IFA_ANYCAST], a->anycast, alen, 1, NULL), a->has_anycast);
	NETLINK_GET(netlink_attr_str(tb[IFA_LABEL], a->label, sizeof(a->label)), a->has_label);
	NETLINK_GET(netlink_attr_u32(tb[IFA_RT_PRIORITY], &a->metric), a->has_metric);
	/* Like ip: an address has a local part and a peer part, either may
	 * stand in for the other. */
	if (!a->has_local && a->has_address) {
		memcpy(a->local, a->address, alen);
		a->has_local = true;
	} else if (a->has_local && !a->has_address) {
		memcpy(a->address, a->local, alen);
		a->has_address = true;
	}
	if (!a->has_local)
		return -EINVAL;
	if (tb[IFA_CACHEINFO]) {
		if (mnl_attr_validate2(tb[IFA_CACHEINFO], MNL_TYPE_UNSPEC,
				       sizeof(*ci)) < 0)
			return -EINVAL;
		ci = mnl_attr_get_payload(tb[IFA_CACHEINFO]);
		a->valid_lft = ci->ifa_valid;
		a->preferred_lft = ci->ifa_prefered;
		a->has_cacheinfo = true;
	}
	return 0;
}
