/* Routes and neighbours of one namespace: plain data decoded from
 * rtnetlink (src/netlink/route.c, neigh.c; their prototypes are in nl.h).
 * The writers are in out_route.h. */
#ifndef NETJOIN_ROUTE_H
#define NETJOIN_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "netjoin/model.h"

/* RTAX_MTU .. RTAX_FASTOPEN_NO_COOKIE (17) and room for a few more */
#define NJ_RTAX_MAX 31
#define NJ_CONGCTL_MAX 16 /* TCP_CA_NAME_MAX */

/* A gateway: RTA_GATEWAY in the route's family, or RTA_VIA (an IPv6
 * gateway of an IPv4 route). */
struct nj_gateway {
	uint8_t family; /* AF_INET, AF_INET6; 0 = none */
	bool via;       /* from RTA_VIA: ip prints it as "via": {family, host} */
	uint8_t addr[16];
};

/* One hop of a multipath route (struct rtnexthop and its attributes). */
struct nj_nexthop {
	int32_t ifindex;
	uint8_t flags;  /* RTNH_F_* */
	uint8_t hops;   /* weight - 1 */
	bool has_flow;
	uint32_t flow;  /* RTA_FLOW: realms, from << 16 | to */
	struct nj_gateway gw;
};

struct nj_route {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t dst_len, src_len, tos, protocol, scope, type;
	uint32_t flags; /* rtm_flags: RTNH_F_* of the single nexthop, RTM_F_* */
	uint32_t table; /* RTA_TABLE, else rtm_table */
	bool has_dst, has_src, has_prefsrc, has_oif, has_iif, has_priority;
	bool has_mark, has_flow, has_uid, has_nhid, has_pref;
	bool has_ttl_propagate, has_cacheinfo, has_multipath;
	uint8_t dst[16], src[16], prefsrc[16];
	struct nj_gateway gw;
	uint32_t oif, iif, priority, mark, flow, uid, nhid;
	uint8_t pref;   /* RTA_PREF: ICMPV6_ROUTER_PREF_* */
	uint8_t ttl_propagate;
	/* RTA_CACHEINFO; expires in clock ticks (USER_HZ) */
	int32_t expires;
	uint32_t error, ipid, ts, tsage;
	/* RTA_METRICS: bit i of metrics_set when RTAX i came, values, and
	 * RTAX_LOCK's mask */
	uint32_t metrics_set, metrics_lock;
	uint32_t metrics[NJ_RTAX_MAX + 1];
	char congctl[NJ_CONGCTL_MAX]; /* RTAX_CC_ALGO */
	/* RTA_MULTIPATH, owned: nj_route_free */
	struct nj_nexthop *nexthops;
	size_t nnexthops;
};

/* The routes of a namespace in dump order, and the table they were
 * limited to (0: every table), which the writers need: like ip, they name
 * a route's table only when every table is listed. */
struct nj_routes {
	struct nj_route *v;
	size_t n, cap;
	uint32_t table;
};

struct nj_neigh {
	uint8_t family;  /* AF_INET or AF_INET6 */
	int32_t ifindex;
	uint16_t state;  /* NUD_* */
	uint8_t flags;   /* NTF_* */
	uint8_t type;    /* ndm_type */
	uint8_t protocol; /* NDA_PROTOCOL, 0 = none */
	uint32_t ext_flags; /* NDA_FLAGS_EXT: NTF_EXT_* */
	bool has_dst, has_lladdr;
	uint8_t dst[16];
	uint8_t lladdr_len;
	uint8_t lladdr[NJ_HWADDR_MAX];
};

struct nj_neighs {
	struct nj_neigh *v;
	size_t n, cap;
};

void nj_route_free(struct nj_route *r);
/* Free the routes and clear *rs; NULL is fine. */
void nj_routes_free(struct nj_routes *rs);
void nj_neighs_free(struct nj_neighs *ns);

#endif
