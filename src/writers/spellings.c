/* iproute2's spellings, where they differ from libnl-route-3's names or
 * name what libnl does not: our output must read like ip's, so that
 * scripts written for ip keep working. The one place they are kept. */
#include <stddef.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <net/if_arp.h>
#include "spellings.h"

/* not in glibc's <net/if_arp.h>; <linux/if_arp.h> clashes with <net/if.h> */
#ifndef ARPHRD_IEEE802154_MONITOR
#define ARPHRD_IEEE802154_MONITOR 805
#endif
#ifndef ARPHRD_IP6GRE
#define ARPHRD_IP6GRE 823
#endif
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

static const struct {
	enum ip_kind kind;
	uint32_t value;
	const char *name;
} spellings[] = {
	/* link types */
	{ IP_LINK_TYPE, ARPHRD_NETROM, "netrom" },
	{ IP_LINK_TYPE, ARPHRD_HDLC, "hdlc" },
	{ IP_LINK_TYPE, ARPHRD_LOCALTLK, "ltalk" },
	{ IP_LINK_TYPE, ARPHRD_IEEE80211_PRISM, "ieee802.11/prism" },
	{ IP_LINK_TYPE, ARPHRD_IEEE80211_RADIOTAP, "ieee802.11/radiotap" },
	{ IP_LINK_TYPE, ARPHRD_IEEE802154_MONITOR, "ieee802.15.4/monitor" },
	{ IP_LINK_TYPE, ARPHRD_IP6GRE, "gre6" },
	{ IP_LINK_TYPE, ARPHRD_NONE, "none" },
	/* link flags (libnl: "lowerup") */
	{ IP_LINK_FLAG, IFF_LOWER_UP, "LOWER_UP" },
	/* address flags */
	{ IP_ADDR_FLAG, IFA_F_HOMEADDRESS, "home" },
	{ IP_ADDR_FLAG, IFA_F_MCAUTOJOIN, "autojoin" },
	{ IP_ADDR_FLAG, IFA_F_STABLE_PRIVACY, "stable-privacy" },
	/* neighbour flags (libnl: ext_learned, offloaded; none for managed) */
	{ IP_NEIGH_FLAG, NTF_EXT_LEARNED, "extern_learn" },
	{ IP_NEIGH_FLAG, NTF_OFFLOADED, "offload" },
	{ IP_NEIGH_FLAG_EXT, NTF_EXT_MANAGED, "managed" },
	/* route and nexthop flags beyond libnl's first three */
	{ IP_ROUTE_FLAG, RTNH_F_OFFLOAD, "offload" },
	{ IP_ROUTE_FLAG, RTNH_F_TRAP, "trap" },
	{ IP_ROUTE_FLAG, RTM_F_NOTIFY, "notify" },
	{ IP_ROUTE_FLAG, RTNH_F_LINKDOWN, "linkdown" },
	{ IP_ROUTE_FLAG, RTNH_F_UNRESOLVED, "unresolved" },
	{ IP_ROUTE_FLAG, RTM_F_OFFLOAD, "rt_offload" },
	{ IP_ROUTE_FLAG, RTM_F_TRAP, "rt_trap" },
	{ IP_ROUTE_FLAG, RTM_F_OFFLOAD_FAILED, "rt_offload_failed" },
	/* route protocols beyond libnl's (which stop at static) */
	{ IP_PROTO, RTPROT_GATED, "gated" },
	{ IP_PROTO, RTPROT_RA, "ra" },
	{ IP_PROTO, RTPROT_MRT, "mrt" },
	{ IP_PROTO, RTPROT_ZEBRA, "zebra" },
	{ IP_PROTO, RTPROT_BIRD, "bird" },
	{ IP_PROTO, RTPROT_DNROUTED, "dnrouted" },
	{ IP_PROTO, RTPROT_XORP, "xorp" },
	{ IP_PROTO, RTPROT_NTK, "ntk" },
	{ IP_PROTO, RTPROT_DHCP, "dhcp" },
	{ IP_PROTO, RTPROT_KEEPALIVED, "keepalived" },
	{ IP_PROTO, RTPROT_BABEL, "babel" },
	{ IP_PROTO, RTPROT_BGP, "bgp" },
	{ IP_PROTO, RTPROT_ISIS, "isis" },
	{ IP_PROTO, RTPROT_OSPF, "ospf" },
	{ IP_PROTO, RTPROT_RIP, "rip" },
	{ IP_PROTO, RTPROT_EIGRP, "eigrp" },
	/* route metrics beyond libnl's (which stop at features) */
	{ IP_METRIC, RTAX_RTO_MIN, "rto_min" },
	{ IP_METRIC, RTAX_INITRWND, "initrwnd" },
	{ IP_METRIC, RTAX_QUICKACK, "quickack" },
	{ IP_METRIC, RTAX_CC_ALGO, "congctl" },
	{ IP_METRIC, RTAX_FASTOPEN_NO_COOKIE, "fastopen_no_cookie" },
};

const char *ip_spelling(enum ip_kind kind, uint32_t value)
{
	size_t i;

	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++)
		if (spellings[i].kind == kind && spellings[i].value == value)
			return spellings[i].name;
	return NULL;
}
