/* Routes and neighbours of one namespace: plain data decoded from
 * rtnetlink, the dumps that fill it, and writers with the field names and
 * values of `ip -j route show table all` and `ip -j neigh` (JSON) and the
 * lines of `ip route show table all` and `ip neigh` (text). */
#ifndef NETJOIN_ROUTE_H
#define NETJOIN_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>
#include "netjoin/model.h"
#include "netjoin/out.h"

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

/* Pure decoders: one RTM_NEWROUTE / RTM_NEWNEIGH message into a model
 * struct, validated like netlink_decode_link. Return 0, -EINVAL for a malformed
 * message, -EAFNOSUPPORT for a family other than inet and inet6 (MPLS,
 * multicast routing, bridge FDB). netlink_decode_neigh also returns -ENOENT for
 * an entry `ip neigh` does not list by default (NUD_NONE or only NOARP,
 * unless proxy or externally learned). out is written only on 0; a route
 * then owns its nexthops (nj_route_free). netlink_decode_route may also return
 * -ENOMEM. */
int netlink_decode_route(const struct nlmsghdr *nlh, struct nj_route *out);
int netlink_decode_neigh(const struct nlmsghdr *nlh, struct nj_neigh *out);

void nj_route_free(struct nj_route *r);
/* Free the routes and clear *rs; NULL is fine. */
void nj_routes_free(struct nj_routes *rs);
void nj_neighs_free(struct nj_neighs *ns);


struct mnl_socket;

/* Every inet and inet6 route of nl's namespace, of table (0: every
 * table, like `ip route show table all`), in dump order. On success out's
 * previous contents are freed and replaced; on failure out is untouched.
 * Cached routes (RTM_F_CLONED) are left out, as ip leaves them out.
 * Unlike `ip route show table N`, which shows IPv4 only, a table N keeps
 * its IPv6 routes. 0 or -errno. */
int netlink_dump_routes(struct mnl_socket *nl, uint32_t table,
		   struct nj_routes *out);
/* The neighbours `ip neigh` lists, then the proxy entries `ip neigh show
 * proxy` lists; out as with netlink_dump_routes. 0 or -errno. */
int netlink_dump_neighs(struct mnl_socket *nl, struct nj_neighs *out);

/* Writers for struct out_section: data is a struct nj_routes / nj_neighs,
 * d the namespace's links (interface names and link types). JSON: the
 * array's elements only. Text: a "routes:" / "neighbors:" line, then one
 * entry as ip prints it (multipath hops on their own "\tnexthop" lines). */
void out_routes_json(struct jw *w, const void *routes,
		     const struct nj_dump *d);
void out_routes_text(FILE *f, const void *routes, const struct nj_dump *d,
		     const struct out_opts *o);
void out_neighs_json(struct jw *w, const void *neighs,
		     const struct nj_dump *d);
void out_neighs_text(FILE *f, const void *neighs, const struct nj_dump *d,
		     const struct out_opts *o);

/* For the writers in src/writers/route.c and neigh.c: one call per field
 * writes either the JSON member key (with w; an array element when key is
 * NULL) or the text fmt (with f; nothing when fmt is NULL), as ip's
 * print_* calls do. */
struct out_pr {
	struct jw *w;
	FILE *f;
};

void out_pr_str(const struct out_pr *p, const char *key, const char *fmt,
		const char *v);
/* key: null in JSON; in text, fmt with key ("%s ") */
void out_pr_null(const struct out_pr *p, const char *key, const char *fmt);
/* JSON only: '{' or '[' named key (NULL: an element), and its end */
void out_pr_open(const struct out_pr *p, const char *key, char c);
void out_pr_close(const struct out_pr *p, char c);

/* ip's names for route properties: its built-in ones (from libnl where it
 * has them), and those of /etc/iproute2 (rt_tables and the .conf files of
 * rt_tables.d, rt_protos and rt_protos.d, rt_scopes, rt_realms,
 * rt_dsfield), read once, when first needed, as ip reads them. A number
 * when nothing names it. buf holds the result when it is not a static
 * name. */
const char *route_table_name(uint32_t id, char *buf, size_t sz);
/* libnl's name, or NULL where libnl wrote a number ("0x..") */
const char *route_libnl_name(const char *s);
/* fmt (one %u) of v into buf */
const char *route_number(char *buf, size_t sz, const char *fmt,
			 unsigned int v);
const char *route_proto_name(uint8_t id, char *buf, size_t sz);
const char *route_scope_name(uint8_t id, char *buf, size_t sz);
const char *route_realm_name(uint16_t id, char *buf, size_t sz);
const char *route_dsfield_name(uint8_t id, char *buf, size_t sz);
const char *route_type_name(uint8_t type, char *buf, size_t sz);
/* Read the name files from dir instead of /etc/iproute2 (tests); forgets
 * what was read before. NULL: back to /etc/iproute2. */
void route_names_dir(const char *dir);
/* One line of an iproute2 name file: 1 and *id, name for "ID NAME"
 * (decimal or 0x hex, an optional "# comment" after), 0 for a blank or
 * comment line, -EINVAL otherwise (ip stops reading such a file there).
 * Pure: for tests and the loader. */
int route_names_parse_line(const char *line, uint32_t *id, char *name,
			   size_t sz);

#endif
