/* Routes and neighbours (route.h): the decoders on recorded dumps
 * (routes.nl, neighs.nl, neighs-proxy.nl with route-links.nl for the
 * interface names; see tests/fixtures/routes.md) with exact values, cut
 * short at every length and malformed by hand; the writers against what
 * ip printed at recording time (JSON field by field through jansson, text
 * byte for byte); ip's name files; a live dump of this namespace. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <cmocka.h>
#include <jansson.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include "fixtures.h"
#include "netjoin/jw.h"
#include "netjoin/nl.h"
#include "netjoin/out_route.h"

#define NAMES FIXTURES "/route-iproute2"
#define NROUTES 64    /* RTM_NEWROUTE messages in routes.nl */
#define NNEIGH_MSGS 13 /* RTM_NEWNEIGH messages in neighs.nl */
#define NNEIGHS 9     /* of them, what ip neigh lists */
#define NPROXIES 2

/* --- fixtures --- */

static int decode_route(const struct nlmsghdr *nlh, struct nj_route *r)
{
	void *p = dup_exact(nlh, nlh->nlmsg_len);
	int err = netlink_decode_route(p, r);

	free(p);
	return err;
}

static int decode_neigh(const struct nlmsghdr *nlh, struct nj_neigh *n)
{
	void *p = dup_exact(nlh, nlh->nlmsg_len);
	int err = netlink_decode_neigh(p, n);

	free(p);
	return err;
}

static void load_links(struct nj_dump *d)
{
	struct fixture fx = fixture_read("route-links.nl");
	const struct nlmsghdr *nlh;
	int rem;

	memset(d, 0, sizeof(*d));
	nlmsg_foreach(nlh, fx.data, fx.len, rem) {
		if (nlh->nlmsg_type != RTM_NEWLINK)
			continue;
		assert_int_equal(netlink_decode_link(nlh, nj_dump_new_link(d)), 0);
	}
	assert_int_equal(nj_dump_finish(d), 0);
	fixture_free(&fx);
}

/* What netlink_dump_routes keeps of routes.nl for table (0: all). */
static void load_routes(struct nj_routes *rs, uint32_t table)
{
	struct fixture fx = fixture_read("routes.nl");
	const struct nlmsghdr *nlh;
	struct nj_route r;
	int rem;

	memset(rs, 0, sizeof(*rs));
	rs->table = table;
	rs->v = calloc(NROUTES, sizeof(*rs->v));
	assert_non_null(rs->v);
	rs->cap = NROUTES;
	nlmsg_foreach(nlh, fx.data, fx.len, rem) {
		if (nlh->nlmsg_type != RTM_NEWROUTE)
			continue;
		assert_int_equal(decode_route(nlh, &r), 0);
		if (table && r.table != table) {
			nj_route_free(&r);
			continue;
		}
		assert_true(rs->n < NROUTES);
		rs->v[rs->n++] = r;
	}
	fixture_free(&fx);
}

static void load_neigh_file(struct nj_neighs *ns, const char *name,
			    size_t *msgs, size_t *skipped)
{
	struct fixture fx = fixture_read(name);
	const struct nlmsghdr *nlh;
	struct nj_neigh n;
	int rem, err;

	nlmsg_foreach(nlh, fx.data, fx.len, rem) {
		if (nlh->nlmsg_type != RTM_NEWNEIGH)
			continue;
		(*msgs)++;
		err = decode_neigh(nlh, &n);
		if (err == -ENOENT) {
			(*skipped)++;
			continue;
		}
		assert_int_equal(err, 0);
		assert_true(ns->n < ns->cap);
		ns->v[ns->n++] = n;
	}
	fixture_free(&fx);
}

static void load_neighs(struct nj_neighs *ns)
{
	size_t msgs = 0, skipped = 0;

	memset(ns, 0, sizeof(*ns));
	ns->cap = 32;
	ns->v = calloc(ns->cap, sizeof(*ns->v));
	assert_non_null(ns->v);
	load_neigh_file(ns, "neighs.nl", &msgs, &skipped);
	assert_int_equal(msgs, NNEIGH_MSGS);
	assert_int_equal(skipped, NNEIGH_MSGS - NNEIGHS);
	load_neigh_file(ns, "neighs-proxy.nl", &msgs, &skipped);
	assert_int_equal(ns->n, NNEIGHS + NPROXIES);
}

static void assert_ip(int af, const uint8_t *got, const char *want)
{
	uint8_t w[16];
	char buf[INET6_ADDRSTRLEN];

	assert_int_equal(inet_pton(af, want, w), 1);
	if (memcmp(got, w, af == AF_INET ? 4 : 16))
		fail_msg("address %s, expected %s",
			 inet_ntop(af, got, buf, sizeof(buf)), want);
}

/* --- the recorded routes, decoded --- */

/* ifindexes of route-ip-d-link.txt */
enum { LO = 1, V0 = 2, D0 = 3, VD0 = 5, VX1 = 6, VX0 = 7 };
#define NONE UINT32_MAX

/* As route-ip-all.txt lists them, by their position in routes.nl. */
static const struct exp_route {
	size_t i;
	uint8_t family;
	const char *dst; /* NULL: default */
	uint8_t dst_len;
	uint32_t table;
	uint8_t protocol, scope, type;
	uint32_t flags, oif, priority; /* oif, priority NONE: absent */
	const char *gw, *prefsrc;
	bool via;
} exp_routes[] = {
	{ 0, AF_INET, NULL, 0, 100, RTPROT_BOOT, RT_SCOPE_UNIVERSE,
	  RTN_UNICAST, 0, V0, NONE, "10.0.0.253", NULL, false },
	{ 1, AF_INET, "10.50.0.0", 16, 100, RTPROT_RA, RT_SCOPE_LINK,
	  RTN_UNICAST, 0, D0, NONE, NULL, NULL, false },
	{ 2, AF_INET, "239.1.0.0", 16, 100, RTPROT_BOOT, RT_SCOPE_LINK,
	  RTN_MULTICAST, 0, D0, NONE, NULL, NULL, false },
	{ 3, AF_INET, "10.51.0.0", 16, 1000, RTPROT_BOOT, RT_SCOPE_LINK,
	  RTN_UNICAST, 0, D0, NONE, NULL, NULL, false },
	{ 4, AF_INET, NULL, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE,
	  RTN_UNICAST, 0, V0, NONE, "10.0.0.254", NULL, false },
	{ 5, AF_INET, "10.0.0.0", 24, RT_TABLE_MAIN, RTPROT_KERNEL,
	  RT_SCOPE_LINK, RTN_UNICAST, 0, V0, NONE, NULL, "10.0.0.1", false },
	{ 7, AF_INET, "10.2.2.2", 32, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_LINK, RTN_UNICAST, 0, D0, NONE, NULL, NULL, false },
	{ 8, AF_INET, "10.5.0.0", 24, RT_TABLE_MAIN, RTPROT_KERNEL,
	  RT_SCOPE_LINK, RTN_UNICAST, RTNH_F_LINKDOWN, VD0, NONE, NULL,
	  "10.5.0.1", false },
	{ 10, AF_INET, "10.60.0.0", 16, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, V0, NONE, "2001:db8::2", NULL,
	  true },
	{ 16, AF_INET, "10.92.0.0", 16, RT_TABLE_MAIN, 200, 17, RTN_UNICAST,
	  0, D0, NONE, NULL, NULL, false },
	{ 18, AF_INET, "10.96.0.0", 16, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_THROW, 0, NONE, NONE, NULL, NULL, false },
	{ 19, AF_INET, "10.97.0.0", 16, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_PROHIBIT, 0, NONE, NONE, NULL, NULL, false },
	{ 20, AF_INET, "10.98.0.0", 16, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_UNREACHABLE, 0, NONE, 7, NULL, NULL, false },
	{ 21, AF_INET, "10.99.0.0", 16, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_BLACKHOLE, 0, NONE, NONE, NULL, NULL, false },
	{ 25, AF_INET, "192.168.10.0", 24, RT_TABLE_MAIN, RTPROT_STATIC,
	  RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, V0, 50, "10.0.0.2", "10.0.0.1",
	  false },
	{ 26, AF_INET, "192.168.20.0", 24, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_UNICAST, RTNH_F_ONLINK, D0, NONE,
	  "172.16.0.1", NULL, false },
	{ 27, AF_INET, "10.0.0.1", 32, RT_TABLE_LOCAL, RTPROT_KERNEL,
	  RT_SCOPE_HOST, RTN_LOCAL, 0, V0, NONE, NULL, "10.0.0.1", false },
	{ 28, AF_INET, "10.0.0.255", 32, RT_TABLE_LOCAL, RTPROT_KERNEL,
	  RT_SCOPE_LINK, RTN_BROADCAST, 0, V0, NONE, NULL, "10.0.0.1",
	  false },
	{ 34, AF_INET, "127.0.0.0", 8, RT_TABLE_LOCAL, RTPROT_KERNEL,
	  RT_SCOPE_HOST, RTN_LOCAL, 0, LO, NONE, NULL, "127.0.0.1", false },
	{ 37, AF_INET6, "2001:db8:100::", 48, 100, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, D0, 1024, NULL, NULL, false },
	{ 38, AF_INET6, "2001:db8::", 64, RT_TABLE_MAIN, RTPROT_KERNEL,
	  RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, V0, 256, NULL, NULL, false },
	{ 43, AF_INET6, "2001:db8:500::1", 128, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, D0, 5, NULL, NULL, false },
	{ 44, AF_INET6, "2001:db8:600::", 48, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_BLACKHOLE, 0, LO, 1024, NULL, NULL, false },
	{ 46, AF_INET6, "fe80::", 64, RT_TABLE_MAIN, RTPROT_KERNEL,
	  RT_SCOPE_UNIVERSE, RTN_UNICAST, RTNH_F_LINKDOWN, VX1, 256, NULL,
	  NULL, false },
	{ 49, AF_INET6, NULL, 0, RT_TABLE_MAIN, RTPROT_BOOT,
	  RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, V0, 1024, "2001:db8::ff", NULL,
	  false },
	{ 50, AF_INET6, "::1", 128, RT_TABLE_LOCAL, RTPROT_KERNEL,
	  RT_SCOPE_UNIVERSE, RTN_LOCAL, 0, LO, 0, NULL, NULL, false },
	{ 51, AF_INET6, "2001:db8::", 128, RT_TABLE_LOCAL, RTPROT_KERNEL,
	  RT_SCOPE_UNIVERSE, RTN_ANYCAST, 0, V0, 0, NULL, NULL, false },
	{ 61, AF_INET6, "ff00::", 8, RT_TABLE_LOCAL, RTPROT_KERNEL,
	  RT_SCOPE_UNIVERSE, RTN_MULTICAST, RTNH_F_LINKDOWN, VX1, 256, NULL,
	  NULL, false },
};

static void check_route(const struct nj_route *r, const struct exp_route *e)
{
	assert_int_equal(r->family, e->family);
	assert_int_equal(r->has_dst, e->dst != NULL);
	if (e->dst)
		assert_ip(e->family, r->dst, e->dst);
	assert_int_equal(r->dst_len, e->dst_len);
	assert_int_equal(r->table, e->table);
	assert_int_equal(r->protocol, e->protocol);
	assert_int_equal(r->scope, e->scope);
	assert_int_equal(r->type, e->type);
	assert_int_equal(r->flags, e->flags);
	assert_int_equal(r->has_oif, e->oif != NONE);
	if (e->oif != NONE)
		assert_int_equal(r->oif, e->oif);
	assert_int_equal(r->has_priority, e->priority != NONE);
	if (e->priority != NONE)
		assert_int_equal(r->priority, e->priority);
	assert_int_equal(r->gw.family != 0, e->gw != NULL);
	if (e->gw) {
		assert_int_equal(r->gw.via, e->via);
		assert_ip(strchr(e->gw, ':') ? AF_INET6 : AF_INET, r->gw.addr,
			  e->gw);
	}
	assert_int_equal(r->has_prefsrc, e->prefsrc != NULL);
	if (e->prefsrc)
		assert_ip(e->family, r->prefsrc, e->prefsrc);
	assert_false(r->has_src || r->has_iif || r->has_mark || r->has_uid);
	assert_int_equal(r->has_multipath, false);
	/* IPv6 routes carry a preference and cache information */
	assert_int_equal(r->has_pref, e->family == AF_INET6);
	assert_int_equal(r->has_cacheinfo, e->family == AF_INET6);
}

static void test_routes_decoded(void **state)
{
	struct nj_routes rs;
	const struct nj_route *r;
	size_t i;

	(void)state;
	load_routes(&rs, 0);
	assert_int_equal(rs.n, NROUTES);
	for (i = 0; i < sizeof(exp_routes) / sizeof(exp_routes[0]); i++)
		check_route(&rs.v[exp_routes[i].i], &exp_routes[i]);

	/* 10.70.0.0/16: mtu lock 1400 window 65535 rtt 100ms rttvar 20ms
	 * advmss 1360 hoplimit 64 initcwnd 10 features ecn rto_min lock 2s
	 * congctl cubic */
	r = &rs.v[11];
	assert_int_equal(r->metrics_lock, 1u << RTAX_MTU | 1u << RTAX_RTO_MIN);
	assert_int_equal(r->metrics_set,
			 1u << RTAX_MTU | 1u << RTAX_WINDOW | 1u << RTAX_RTT |
				 1u << RTAX_RTTVAR | 1u << RTAX_ADVMSS |
				 1u << RTAX_HOPLIMIT | 1u << RTAX_INITCWND |
				 1u << RTAX_FEATURES | 1u << RTAX_RTO_MIN |
				 1u << RTAX_CC_ALGO);
	assert_int_equal(r->metrics[RTAX_MTU], 1400);
	assert_int_equal(r->metrics[RTAX_WINDOW], 65535);
	assert_int_equal(r->metrics[RTAX_RTT], 800);   /* 1/8 ms */
	assert_int_equal(r->metrics[RTAX_RTTVAR], 80); /* 1/4 ms */
	assert_int_equal(r->metrics[RTAX_ADVMSS], 1360);
	assert_int_equal(r->metrics[RTAX_HOPLIMIT], 64);
	assert_int_equal(r->metrics[RTAX_INITCWND], 10);
	assert_int_equal(r->metrics[RTAX_FEATURES], 1);
	assert_int_equal(r->metrics[RTAX_RTO_MIN], 2000);
	assert_string_equal(r->congctl, "cubic");
	/* tos 0x10, tos 0x28 */
	assert_int_equal(rs.v[12].tos, 0x10);
	assert_int_equal(rs.v[13].tos, 0x28);
	/* realm 5; realms 2/0; realm 3 */
	assert_true(rs.v[14].has_flow);
	assert_int_equal(rs.v[14].flow, 5);
	assert_int_equal(rs.v[14].protocol, RTPROT_DHCP);
	assert_int_equal(rs.v[15].flow, 2 << 16);
	assert_int_equal(rs.v[15].protocol, 99);
	assert_int_equal(rs.v[17].flow, 3);
	assert_int_equal(rs.v[17].protocol, 201);
	/* 10.110.0.0/16 nhid 10 via 10.0.0.2 dev v0 */
	assert_true(rs.v[22].has_nhid);
	assert_int_equal(rs.v[22].nhid, 10);
	assert_ip(AF_INET, rs.v[22].gw.addr, "10.0.0.2");
	assert_int_equal(rs.v[22].oif, V0);

	/* 10.200.0.0/16 nexthop via 10.0.0.2 dev v0 weight 1 nexthop via
	 * 10.1.0.2 dev d0 weight 3 */
	r = &rs.v[23];
	assert_true(r->has_multipath);
	assert_false(r->has_oif || r->gw.family);
	assert_int_equal(r->nnexthops, 2);
	assert_int_equal(r->nexthops[0].ifindex, V0);
	assert_int_equal(r->nexthops[0].hops, 0);
	assert_ip(AF_INET, r->nexthops[0].gw.addr, "10.0.0.2");
	assert_int_equal(r->nexthops[1].ifindex, D0);
	assert_int_equal(r->nexthops[1].hops, 2);
	assert_ip(AF_INET, r->nexthops[1].gw.addr, "10.1.0.2");
	/* 10.201.0.0/16: a dead nexthop (vx0 down), one without carrier */
	r = &rs.v[24];
	assert_int_equal(r->nnexthops, 3);
	assert_int_equal(r->nexthops[0].flags, 0);
	assert_int_equal(r->nexthops[1].ifindex, VX0);
	assert_int_equal(r->nexthops[1].flags, RTNH_F_DEAD | RTNH_F_LINKDOWN);
	assert_int_equal(r->nexthops[2].ifindex, VD0);
	assert_int_equal(r->nexthops[2].flags, RTNH_F_LINKDOWN);
	/* IPv6 ECMP */
	r = &rs.v[40];
	assert_int_equal(r->nnexthops, 2);
	assert_int_equal(r->nexthops[0].gw.family, AF_INET6);
	assert_ip(AF_INET6, r->nexthops[1].gw.addr, "2001:db8:1::2");
	assert_int_equal(r->nexthops[1].ifindex, D0);

	/* 2001:db8:300::/48 ... expires 598sec (in USER_HZ ticks) */
	assert_int_equal(rs.v[41].expires, 59896);
	/* 2001:db8:400::/48 from 2001:db8:1::/64 */
	assert_true(rs.v[42].has_src);
	assert_int_equal(rs.v[42].src_len, 64);
	assert_ip(AF_INET6, rs.v[42].src, "2001:db8:1::");
	/* pref medium, low (with mtu 1300), high */
	assert_int_equal(rs.v[38].pref, 0);
	assert_int_equal(rs.v[45].pref, 3);
	assert_int_equal(rs.v[45].metrics_set, 1u << RTAX_MTU);
	assert_int_equal(rs.v[45].metrics[RTAX_MTU], 1300);
	assert_int_equal(rs.v[49].pref, 1);
	nj_routes_free(&rs);
	assert_null(rs.v);
	assert_int_equal(rs.n, 0);
}

/* --- the recorded neighbours, decoded --- */

static const struct exp_neigh {
	uint8_t family;
	const char *dst;
	int32_t ifindex;
	uint16_t state;
	uint8_t flags, protocol;
	const char *lladdr; /* NULL: none */
} exp_neighs[] = {
	/* neigh-ip.txt, then neigh-ip-proxy.txt */
	{ AF_INET, "10.0.0.10", V0, NUD_PERMANENT, 0, RTPROT_STATIC,
	  "02:00:00:00:01:0a" },
	{ AF_INET, "10.0.0.3", V0, NUD_STALE, 0, 0, "02:00:00:00:01:03" },
	{ AF_INET, "10.1.0.2", D0, NUD_PERMANENT, 0, 0, "02:00:00:00:02:02" },
	{ AF_INET, "10.0.0.4", V0, NUD_REACHABLE, 0, 0, "02:00:00:00:01:04" },
	{ AF_INET, "10.0.0.8", V0, NUD_STALE, NTF_EXT_LEARNED, 0,
	  "02:00:00:00:01:08" },
	{ AF_INET, "10.0.0.2", V0, NUD_PERMANENT, 0, 0, "02:00:00:00:01:02" },
	{ AF_INET6, "2001:db8:1::2", D0, NUD_PERMANENT, 0, 0,
	  "02:00:00:00:02:02" },
	{ AF_INET6, "2001:db8::2", V0, NUD_PERMANENT, NTF_ROUTER, 0,
	  "02:00:00:00:01:02" },
	{ AF_INET6, "2001:db8::3", V0, NUD_STALE, 0, 0, "02:00:00:00:01:03" },
	{ AF_INET, "10.0.0.77", V0, NUD_NONE, NTF_PROXY, 0, NULL },
	{ AF_INET6, "2001:db8::77", V0, NUD_NONE, NTF_PROXY, 0, NULL },
};

static void test_neighs_decoded(void **state)
{
	const struct exp_neigh *e;
	const struct nj_neigh *n;
	struct nj_neighs ns;
	unsigned int mac[6];
	size_t i, j;

	(void)state;
	load_neighs(&ns);
	assert_int_equal(ns.n, sizeof(exp_neighs) / sizeof(exp_neighs[0]));
	for (i = 0; i < ns.n; i++) {
		n = &ns.v[i];
		e = &exp_neighs[i];
		assert_int_equal(n->family, e->family);
		assert_true(n->has_dst);
		assert_ip(e->family, n->dst, e->dst);
		assert_int_equal(n->ifindex, e->ifindex);
		assert_int_equal(n->state, e->state);
		assert_int_equal(n->flags, e->flags);
		assert_int_equal(n->protocol, e->protocol);
		assert_int_equal(n->ext_flags, 0);
		assert_int_equal(n->has_lladdr, e->lladdr != NULL);
		if (!e->lladdr)
			continue;
		assert_int_equal(sscanf(e->lladdr, "%x:%x:%x:%x:%x:%x", &mac[0],
					&mac[1], &mac[2], &mac[3], &mac[4],
					&mac[5]),
				 6);
		assert_int_equal(n->lladdr_len, 6);
		for (j = 0; j < 6; j++)
			assert_int_equal(n->lladdr[j], mac[j]);
	}
	nj_neighs_free(&ns);
	assert_null(ns.v);
}

/* --- the writers against ip --- */

static bool json_same(const json_t *a, const json_t *b, const char *key);

/* Equal in value and type; "expires" may tick by 2 s between ip's dump
 * and the recorded one. */
static bool json_same(const json_t *a, const json_t *b, const char *key)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_typeof(a) != json_typeof(b))
		return false;
	if (json_is_object(a)) {
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach((json_t *)a, k, v)
			if (!json_object_get(b, k) ||
			    !json_same(v, json_object_get(b, k), k))
				return false;
		return true;
	}
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!json_same(json_array_get(a, i),
				       json_array_get(b, i), NULL))
				return false;
		return true;
	}
	if (key && !strcmp(key, "expires") && json_is_integer(a))
		return llabs(json_integer_value(a) - json_integer_value(b)) <= 2;
	return json_equal((json_t *)a, (json_t *)b);
}

/* ip's JSON files, concatenated into one array */
static json_t *ip_json(const char *a, const char *b)
{
	char path[4096];
	json_error_t err;
	json_t *all = json_array(), *j;
	const char *names[] = { a, b };
	size_t i;

	for (i = 0; i < 2 && names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", FIXTURES, names[i]);
		j = json_load_file(path, 0, &err);
		if (!j)
			fail_msg("%s: %s", path, err.text);
		assert_int_equal(json_array_extend(all, j), 0);
		json_decref(j);
	}
	return all;
}

static void assert_json_like_ip(void (*write)(struct jw *, const void *,
					      const struct nj_dump *),
				const void *data, const struct nj_dump *d,
				json_t *want)
{
	json_error_t err;
	struct mem m;
	struct jw w;
	json_t *got;
	char *s, *gs, *ws;
	size_t i;

	w = (struct jw)JW_INIT(mem_open(&m));
	jw_open(&w, NULL, '[');
	write(&w, data, d);
	jw_close(&w, ']');
	s = mem_close(&m);
	got = json_loads(s, JSON_REJECT_DUPLICATES, &err);
	if (!got)
		fail_msg("bad JSON (%s at %d): %s", err.text, err.position, s);
	assert_int_equal(json_array_size(got), json_array_size(want));
	for (i = 0; i < json_array_size(got); i++) {
		if (json_same(json_array_get(got, i), json_array_get(want, i),
			      NULL))
			continue;
		gs = json_dumps(json_array_get(got, i), JSON_PRESERVE_ORDER);
		ws = json_dumps(json_array_get(want, i), JSON_PRESERVE_ORDER);
		fail_msg("entry %zu:\n  netjoin %s\n  ip      %s", i, gs, ws);
	}
	json_decref(got);
	json_decref(want);
	free(s);
}

static void test_routes_json_all(void **state)
{
	struct nj_routes rs;
	struct nj_dump d;

	(void)state;
	route_names_dir(NAMES);
	load_links(&d);
	load_routes(&rs, 0);
	assert_json_like_ip(out_routes_json, &rs, &d,
			    ip_json("route-ip-j-all.json", NULL));
	nj_routes_free(&rs);
	nj_dump_free(&d);
}

/* `ip route show table 100` is IPv4 only: netjoin's table 100 is what
 * ip -4 and ip -6 list, in the kernel's order (IPv4 first). */
static void test_routes_json_table(void **state)
{
	struct nj_routes rs;
	struct nj_dump d;

	(void)state;
	route_names_dir(NAMES);
	load_links(&d);
	load_routes(&rs, 100);
	assert_int_equal(rs.n, 4);
	assert_json_like_ip(out_routes_json, &rs, &d,
			    ip_json("route-ip-j-100.json",
				    "route-ip6-j-100.json"));
	nj_routes_free(&rs);
	nj_dump_free(&d);
}

static void test_neighs_json(void **state)
{
	struct nj_neighs ns;
	struct nj_dump d;

	(void)state;
	route_names_dir(NAMES);
	load_links(&d);
	load_neighs(&ns);
	assert_json_like_ip(out_neighs_json, &ns, &d,
			    ip_json("neigh-ip-j.json", "neigh-ip-j-proxy.json"));
	nj_neighs_free(&ns);
	nj_dump_free(&d);
}

/* "expires 598sec" may have ticked in ip's listing: the numbers go. */
static void blank_expires(char *s)
{
	char *p;

	for (p = s; (p = strstr(p, "expires ")); ) {
		p += strlen("expires ");
		while (*p >= '0' && *p <= '9')
			*p++ = '#';
	}
}

static void assert_text_like_ip(void (*write)(FILE *, const void *,
					      const struct nj_dump *,
					      const struct out_opts *),
				const void *data, const struct nj_dump *d,
				const char *heading, const char *f1,
				const char *f2)
{
	struct out_opts o = { 0 };
	struct fixture a = fixture_read(f1), b = { NULL, 0 };
	char *want, *got;
	struct mem m;

	if (f2)
		b = fixture_read(f2);
	want = malloc(strlen(heading) + a.len + b.len + 1);
	assert_non_null(want);
	sprintf(want, "%s%s%s", heading, a.data, b.data ? b.data : "");
	write(mem_open(&m), data, d, &o);
	got = mem_close(&m);
	blank_expires(want);
	blank_expires(got);
	assert_string_equal(got, want);
	free(got);
	free(want);
	fixture_free(&a);
	fixture_free(&b);
}

static void test_routes_text(void **state)
{
	struct nj_routes rs;
	struct nj_dump d;

	(void)state;
	route_names_dir(NAMES);
	load_links(&d);
	load_routes(&rs, 0);
	assert_text_like_ip(out_routes_text, &rs, &d, "routes:\n",
			    "route-ip-all.txt", NULL);
	nj_routes_free(&rs);
	load_routes(&rs, 100);
	assert_text_like_ip(out_routes_text, &rs, &d, "routes:\n",
			    "route-ip-100.txt", "route-ip6-100.txt");
	nj_routes_free(&rs);
	nj_dump_free(&d);
}

static void test_neighs_text(void **state)
{
	struct nj_neighs ns;
	struct nj_dump d;

	(void)state;
	route_names_dir(NAMES);
	load_links(&d);
	load_neighs(&ns);
	assert_text_like_ip(out_neighs_text, &ns, &d, "neighbors:\n",
			    "neigh-ip.txt", "neigh-ip-proxy.txt");
	nj_neighs_free(&ns);
	nj_dump_free(&d);
}

/* --- cut short at every length --- */

/* Every message of a recording cut to each length from a bare header to
 * one byte short, in an exact-size buffer: no crash, no read past the
 * end (ASan), only 0 (a cut between attributes), -EINVAL or skip codes. */
static void cut_every_length(const char *name, uint16_t type,
			     int (*try)(const struct nlmsghdr *))
{
	struct fixture fx = fixture_read(name);
	const struct nlmsghdr *nlh;
	struct nlmsghdr *cut;
	uint32_t len;
	int rem, r;
	size_t tried = 0;

	nlmsg_foreach(nlh, fx.data, fx.len, rem) {
		if (nlh->nlmsg_type != type)
			continue;
		for (len = sizeof(*nlh); len < nlh->nlmsg_len; len++) {
			cut = dup_exact(nlh, len);
			cut->nlmsg_len = len;
			r = try(cut);
			if (r != 0 && r != -EINVAL && r != -ENOENT)
				fail_msg("%s: cut to %u bytes: %d", name, len,
					 r);
			free(cut);
			tried++;
		}
	}
	assert_true(tried > 50);
	fixture_free(&fx);
}

static int try_route(const struct nlmsghdr *nlh)
{
	struct nj_route r;
	int err = netlink_decode_route(nlh, &r);

	if (err == 0)
		nj_route_free(&r);
	return err;
}

static int try_neigh(const struct nlmsghdr *nlh)
{
	struct nj_neigh n;

	return netlink_decode_neigh(nlh, &n);
}

static void test_cut_short(void **state)
{
	(void)state;
	cut_every_length("routes.nl", RTM_NEWROUTE, try_route);
	cut_every_length("neighs.nl", RTM_NEWNEIGH, try_neigh);
	cut_every_length("neighs-proxy.nl", RTM_NEWNEIGH, try_neigh);
}

/* --- malformed by hand --- */

union msgbuf {
	struct nlmsghdr h;
	uint32_t align;
	char buf[4096];
};

static struct nlmsghdr *new_route(union msgbuf *m, uint8_t family,
				  uint8_t dst_len)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	memset(m, 0, sizeof(*m));
	nlh = mnl_nlmsg_put_header(m->buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_dst_len = dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_type = RTN_UNICAST;
	return nlh;
}

static void put_ip(struct nlmsghdr *nlh, uint16_t type, int af,
		   const char *s)
{
	uint8_t a[16];

	assert_int_equal(inet_pton(af, s, a), 1);
	mnl_attr_put(nlh, type, af == AF_INET ? 4 : 16, a);
}

static void test_route_minimal(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh = new_route(&m, AF_INET, 0);
	struct nj_route r;

	(void)state;
	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(decode_route(nlh, &r), 0);
	assert_int_equal(r.family, AF_INET);
	assert_int_equal(r.table, RT_TABLE_MAIN);
	assert_false(r.has_dst || r.has_src || r.has_prefsrc || r.has_oif ||
		     r.has_priority || r.has_multipath || r.has_cacheinfo ||
		     r.gw.family || r.metrics_set || r.metrics_lock);
	assert_null(r.nexthops);
	/* RTA_TABLE wins over rtm_table */
	mnl_attr_put_u32(nlh, RTA_TABLE, 1000);
	assert_int_equal(decode_route(nlh, &r), 0);
	assert_int_equal(r.table, 1000);
	/* an attribute type from the future is skipped */
	mnl_attr_put_u32(nlh, RTA_MAX + 7, 1);
	assert_int_equal(decode_route(nlh, &r), 0);
}

static void test_route_bad_header(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_route r;

	(void)state;
	memset(&r, 0x5a, sizeof(r));
	nlh = new_route(&m, AF_INET, 0);
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh->nlmsg_type = RTM_DELROUTE;
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET, 0);
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct rtmsg) - 1;
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh->nlmsg_len = NLMSG_HDRLEN;
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	/* prefix longer than the address */
	nlh = new_route(&m, AF_INET, 33);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET6, 129);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET, 0);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_src_len = 40;
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	/* families we do not list */
	nlh = new_route(&m, AF_MPLS, 20);
	assert_int_equal(decode_route(nlh, &r), -EAFNOSUPPORT);
	nlh = new_route(&m, 128 /* RTNL_FAMILY_IPMR */, 32);
	assert_int_equal(decode_route(nlh, &r), -EAFNOSUPPORT);
	nlh = new_route(&m, AF_UNSPEC, 0);
	assert_int_equal(decode_route(nlh, &r), -EAFNOSUPPORT);
	/* out untouched by every failure */
	assert_int_equal(r.family, 0x5a);
}

/* One attribute of the wrong size, for each the decoder reads. */
static void test_route_bad_attrs(void **state)
{
	static const struct {
		uint16_t type, len;
	} bad[] = {
		{ RTA_DST, 3 }, { RTA_DST, 16 }, { RTA_SRC, 5 },
		{ RTA_PREFSRC, 0 }, { RTA_GATEWAY, 6 }, { RTA_OIF, 2 },
		{ RTA_OIF, 8 }, { RTA_IIF, 1 }, { RTA_PRIORITY, 0 },
		{ RTA_TABLE, 3 }, { RTA_MARK, 5 }, { RTA_FLOW, 2 },
		{ RTA_UID, 6 }, { RTA_NH_ID, 1 }, { RTA_PREF, 4 },
		{ RTA_PREF, 0 }, { RTA_TTL_PROPAGATE, 2 },
		{ RTA_CACHEINFO, 8 }, { RTA_VIA, 1 }, { RTA_VIA, 2 },
		{ RTA_VIA, 6 + 16 }, { RTA_MULTIPATH, 4 }, { RTA_METRICS, 2 },
	};
	uint8_t zeros[64] = { 0 };
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_route r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nlh = new_route(&m, AF_INET, 16);
		mnl_attr_put(nlh, bad[i].type, bad[i].len, zeros);
		if (decode_route(nlh, &r) != -EINVAL)
			fail_msg("attribute %u of %u bytes accepted",
				 bad[i].type, bad[i].len);
	}
	/* an attribute longer than the message, and one shorter than its
	 * own header */
	nlh = new_route(&m, AF_INET, 0);
	mnl_attr_put_u32(nlh, RTA_OIF, 2);
	nlh->nlmsg_len -= 2;
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET, 0);
	mnl_attr_put_u32(nlh, RTA_OIF, 2);
	((struct nlattr *)((char *)nlh + NLMSG_HDRLEN +
			   NLMSG_ALIGN(sizeof(struct rtmsg))))->nla_len = 2;
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
}

static void put_via(struct nlmsghdr *nlh, uint16_t type, uint16_t family,
		    const char *addr, size_t n)
{
	uint8_t buf[2 + 16];

	memcpy(buf, &family, 2);
	memset(buf + 2, 0, 16);
	if (addr)
		assert_int_equal(inet_pton(family, addr, buf + 2), 1);
	mnl_attr_put(nlh, type, (uint16_t)(2 + n), buf);
}

static void test_route_gateways(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_route r;

	(void)state;
	/* via inet6 for an IPv4 route */
	nlh = new_route(&m, AF_INET, 0);
	put_via(nlh, RTA_VIA, AF_INET6, "2001:db8::9", 16);
	assert_int_equal(decode_route(nlh, &r), 0);
	assert_int_equal(r.gw.family, AF_INET6);
	assert_true(r.gw.via);
	assert_ip(AF_INET6, r.gw.addr, "2001:db8::9");
	/* the family's length, nothing else */
	nlh = new_route(&m, AF_INET, 0);
	put_via(nlh, RTA_VIA, AF_INET6, NULL, 4);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET, 0);
	put_via(nlh, RTA_VIA, AF_PACKET, NULL, 6);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	/* both a gateway and a via */
	nlh = new_route(&m, AF_INET, 0);
	put_ip(nlh, RTA_GATEWAY, AF_INET, "10.0.0.1");
	put_via(nlh, RTA_VIA, AF_INET6, "2001:db8::9", 16);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	/* an IPv6 gateway of an IPv6 route */
	nlh = new_route(&m, AF_INET6, 0);
	put_ip(nlh, RTA_GATEWAY, AF_INET6, "fe80::1");
	assert_int_equal(decode_route(nlh, &r), 0);
	assert_int_equal(r.gw.family, AF_INET6);
	assert_false(r.gw.via);
	/* an IPv4-sized gateway on an IPv6 route */
	nlh = new_route(&m, AF_INET6, 0);
	put_ip(nlh, RTA_GATEWAY, AF_INET, "10.0.0.1");
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
}

/* RTA_MULTIPATH: rtnexthop headers with attributes, built into buf. */
static size_t put_hop(char *buf, uint16_t len, uint8_t flags, uint8_t hops,
		      int ifindex, const char *gw)
{
	struct rtnexthop rtnh = { len, flags, hops, ifindex };
	struct nlattr a = { 8, RTA_GATEWAY };

	memcpy(buf, &rtnh, sizeof(rtnh));
	if (gw) {
		memcpy(buf + sizeof(rtnh), &a, sizeof(a));
		assert_int_equal(inet_pton(AF_INET, gw,
					   buf + sizeof(rtnh) + sizeof(a)), 1);
	}
	return RTNH_ALIGN(len);
}

static void test_route_multipath(void **state)
{
	char hops[256];
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_route r;
	size_t n;

	(void)state;
	memset(hops, 0, sizeof(hops));
	n = put_hop(hops, 16, RTNH_F_ONLINK, 4, 3, "10.0.0.1");
	n += put_hop(hops + n, 8, 0, 0, 4, NULL);
	nlh = new_route(&m, AF_INET, 8);
	put_ip(nlh, RTA_DST, AF_INET, "10.0.0.0");
	mnl_attr_put(nlh, RTA_MULTIPATH, (uint16_t)n, hops);
	assert_int_equal(decode_route(nlh, &r), 0);
	assert_int_equal(r.nnexthops, 2);
	assert_int_equal(r.nexthops[0].flags, RTNH_F_ONLINK);
	assert_int_equal(r.nexthops[0].hops, 4);
	assert_int_equal(r.nexthops[0].ifindex, 3);
	assert_ip(AF_INET, r.nexthops[0].gw.addr, "10.0.0.1");
	assert_int_equal(r.nexthops[1].gw.family, 0);
	assert_int_equal(r.nexthops[1].ifindex, 4);
	nj_route_free(&r);
	assert_null(r.nexthops);
	nj_route_free(NULL);

	/* empty: a multipath route without hops */
	nlh = new_route(&m, AF_INET, 0);
	mnl_attr_put(nlh, RTA_MULTIPATH, 0, NULL);
	assert_int_equal(decode_route(nlh, &r), 0);
	assert_true(r.has_multipath);
	assert_int_equal(r.nnexthops, 0);

	/* a hop shorter than its header, longer than what is left, a tail
	 * too short for a header, a hop attribute past the hop */
	nlh = new_route(&m, AF_INET, 0);
	put_hop(hops, 4, 0, 0, 3, NULL);
	mnl_attr_put(nlh, RTA_MULTIPATH, 8, hops);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET, 0);
	put_hop(hops, 24, 0, 0, 3, "10.0.0.1");
	mnl_attr_put(nlh, RTA_MULTIPATH, 16, hops);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET, 0);
	n = put_hop(hops, 8, 0, 0, 3, NULL);
	mnl_attr_put(nlh, RTA_MULTIPATH, (uint16_t)(n + 4), hops);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET, 0);
	put_hop(hops, 12, 0, 0, 3, "10.0.0.1"); /* gateway cut in half */
	mnl_attr_put(nlh, RTA_MULTIPATH, 16, hops);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	/* an IPv6 hop on an IPv4 route: a gateway of the wrong size */
	nlh = new_route(&m, AF_INET6, 0);
	put_hop(hops, 16, 0, 0, 3, "10.0.0.1");
	mnl_attr_put(nlh, RTA_MULTIPATH, 16, hops);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
}

static void test_route_metrics(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct nj_route r;

	(void)state;
	nlh = new_route(&m, AF_INET, 0);
	nest = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put_u32(nlh, RTAX_LOCK, 1u << RTAX_MTU);
	mnl_attr_put_u32(nlh, RTAX_MTU, 1280);
	mnl_attr_put_strz(nlh, RTAX_CC_ALGO, "bbr");
	mnl_attr_put_u32(nlh, 30, 9);  /* known to neither ip nor us: kept */
	mnl_attr_put_u32(nlh, 200, 9); /* beyond NJ_RTAX_MAX: skipped */
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(decode_route(nlh, &r), 0);
	assert_int_equal(r.metrics_lock, 1u << RTAX_MTU);
	assert_int_equal(r.metrics_set,
			 1u << RTAX_MTU | 1u << RTAX_CC_ALGO | 1u << 30);
	assert_int_equal(r.metrics[RTAX_MTU], 1280);
	assert_string_equal(r.congctl, "bbr");

	/* congestion control name without its NUL, and too long */
	nlh = new_route(&m, AF_INET, 0);
	nest = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put(nlh, RTAX_CC_ALGO, 3, "bbr");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET, 0);
	nest = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put_strz(nlh, RTAX_CC_ALGO, "a-very-long-cc-name");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	/* a metric of the wrong size; a nested attribute overrunning */
	nlh = new_route(&m, AF_INET, 0);
	nest = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put_u16(nlh, RTAX_MTU, 1280);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
	nlh = new_route(&m, AF_INET, 0);
	nest = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put_u32(nlh, RTAX_MTU, 1280);
	mnl_attr_nest_end(nlh, nest);
	nest->nla_len = 10; /* the inner attribute no longer fits */
	assert_int_equal(decode_route(nlh, &r), -EINVAL);
}

static struct nlmsghdr *new_neigh(union msgbuf *m, uint8_t family,
				  uint16_t state, uint8_t flags)
{
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	memset(m, 0, sizeof(*m));
	nlh = mnl_nlmsg_put_header(m->buf);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = family;
	ndm->ndm_ifindex = 2;
	ndm->ndm_state = state;
	ndm->ndm_flags = flags;
	return nlh;
}

static void test_neigh_bad(void **state)
{
	static const uint8_t mac[NJ_HWADDR_MAX + 1] = { 2, 0, 0, 0, 0, 1 };
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_neigh n;

	(void)state;
	memset(&n, 0x5a, sizeof(n));
	nlh = new_neigh(&m, AF_INET, NUD_REACHABLE, 0);
	nlh->nlmsg_type = RTM_NEWROUTE;
	assert_int_equal(decode_neigh(nlh, &n), -EINVAL);
	nlh = new_neigh(&m, AF_INET, NUD_REACHABLE, 0);
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct ndmsg) - 1;
	assert_int_equal(decode_neigh(nlh, &n), -EINVAL);
	nlh = new_neigh(&m, AF_BRIDGE, NUD_REACHABLE, 0);
	assert_int_equal(decode_neigh(nlh, &n), -EAFNOSUPPORT);
	nlh = new_neigh(&m, AF_INET, NUD_REACHABLE, 0);
	put_ip(nlh, NDA_DST, AF_INET6, "2001:db8::1");
	assert_int_equal(decode_neigh(nlh, &n), -EINVAL);
	nlh = new_neigh(&m, AF_INET, NUD_REACHABLE, 0);
	mnl_attr_put(nlh, NDA_LLADDR, sizeof(mac), mac);
	assert_int_equal(decode_neigh(nlh, &n), -EINVAL);
	nlh = new_neigh(&m, AF_INET, NUD_REACHABLE, 0);
	mnl_attr_put_u32(nlh, NDA_PROTOCOL, 4);
	assert_int_equal(decode_neigh(nlh, &n), -EINVAL);
	nlh = new_neigh(&m, AF_INET, NUD_REACHABLE, 0);
	mnl_attr_put_u8(nlh, NDA_FLAGS_EXT, 1);
	assert_int_equal(decode_neigh(nlh, &n), -EINVAL);
	assert_int_equal(n.family, 0x5a); /* untouched */

	/* what ip neigh leaves out: no state, NOARP only */
	nlh = new_neigh(&m, AF_INET, NUD_NONE, 0);
	assert_int_equal(decode_neigh(nlh, &n), -ENOENT);
	nlh = new_neigh(&m, AF_INET6, NUD_NOARP, NTF_ROUTER);
	assert_int_equal(decode_neigh(nlh, &n), -ENOENT);
	/* ...unless proxy or externally learned, or in another state too */
	nlh = new_neigh(&m, AF_INET, NUD_NONE, NTF_PROXY);
	assert_int_equal(decode_neigh(nlh, &n), 0);
	nlh = new_neigh(&m, AF_INET, NUD_NOARP, NTF_EXT_LEARNED);
	assert_int_equal(decode_neigh(nlh, &n), 0);
	nlh = new_neigh(&m, AF_INET, NUD_NOARP | NUD_PERMANENT, 0);
	assert_int_equal(decode_neigh(nlh, &n), 0);
	/* every attribute, one unknown */
	nlh = new_neigh(&m, AF_INET6, NUD_DELAY, NTF_ROUTER);
	put_ip(nlh, NDA_DST, AF_INET6, "fe80::1");
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	mnl_attr_put_u8(nlh, NDA_PROTOCOL, RTPROT_ZEBRA);
	mnl_attr_put_u32(nlh, NDA_FLAGS_EXT, NTF_EXT_MANAGED);
	mnl_attr_put_u32(nlh, NDA_MAX + 3, 0);
	assert_int_equal(decode_neigh(nlh, &n), 0);
	assert_ip(AF_INET6, n.dst, "fe80::1");
	assert_int_equal(n.lladdr_len, 6);
	assert_int_equal(n.protocol, RTPROT_ZEBRA);
	assert_int_equal(n.ext_flags, NTF_EXT_MANAGED);
	assert_int_equal(n.state, NUD_DELAY);
}

/* --- names --- */

static void test_names_parse(void **state)
{
	char name[16];
	uint32_t id = 7;

	(void)state;
	assert_int_equal(route_names_parse_line("100\tblue\n", &id, name,
						sizeof(name)), 1);
	assert_int_equal(id, 100);
	assert_string_equal(name, "blue");
	assert_int_equal(route_names_parse_line("  0x28 AF11 # c\n", &id,
						name, sizeof(name)), 1);
	assert_int_equal(id, 0x28);
	assert_string_equal(name, "AF11");
	/* like sscanf's "%d %s": no space needed, one word taken */
	assert_int_equal(route_names_parse_line("5x y", &id, name,
						sizeof(name)), 1);
	assert_int_equal(id, 5);
	assert_string_equal(name, "x");
	assert_int_equal(route_names_parse_line("4294967295 max", &id, name,
						sizeof(name)), 1);
	assert_int_equal(id, UINT32_MAX);
	/* comments, blank lines, negative ids: nothing */
	assert_int_equal(route_names_parse_line("# 1 x\n", &id, name,
						sizeof(name)), 0);
	assert_int_equal(route_names_parse_line("\n", &id, name,
						sizeof(name)), 0);
	assert_int_equal(route_names_parse_line("   ", &id, name,
						sizeof(name)), 0);
	assert_int_equal(route_names_parse_line("-3 minus", &id, name,
						sizeof(name)), 0);
	/* what stops ip reading the file */
	assert_int_equal(route_names_parse_line("blue 100", &id, name,
						sizeof(name)), -EINVAL);
	assert_int_equal(route_names_parse_line("100\n", &id, name,
						sizeof(name)), -EINVAL);
	assert_int_equal(route_names_parse_line("4294967296 big", &id, name,
						sizeof(name)), -EINVAL);
	assert_int_equal(route_names_parse_line("1 a-name-too-long-for-16",
						&id, name, sizeof(name)),
			 -EINVAL);
	assert_int_equal(id, UINT32_MAX); /* untouched by the rest */
}

static void test_names(void **state)
{
	char b[64];

	(void)state;
	route_names_dir(NAMES);
	assert_string_equal(route_table_name(100, b, sizeof(b)), "blue");
	assert_string_equal(route_table_name(254, b, sizeof(b)), "main");
	assert_string_equal(route_table_name(255, b, sizeof(b)), "local");
	assert_string_equal(route_table_name(253, b, sizeof(b)), "default");
	assert_string_equal(route_table_name(252, b, sizeof(b)), "252");
	assert_string_equal(route_table_name(1000, b, sizeof(b)), "1000");
	assert_string_equal(route_proto_name(2, b, sizeof(b)), "kernel");
	assert_string_equal(route_proto_name(9, b, sizeof(b)), "ra");
	assert_string_equal(route_proto_name(186, b, sizeof(b)), "bgp");
	assert_string_equal(route_proto_name(99, b, sizeof(b)), "openr");
	assert_string_equal(route_proto_name(201, b, sizeof(b)), "njproto");
	assert_string_equal(route_proto_name(200, b, sizeof(b)), "200");
	assert_string_equal(out_scope(253, b, sizeof(b)), "link");
	assert_string_equal(out_scope(17, b, sizeof(b)), "17");
	assert_string_equal(route_realm_name(0, b, sizeof(b)), "cosmos");
	assert_string_equal(route_realm_name(3, b, sizeof(b)), "njrealm");
	assert_string_equal(route_realm_name(4, b, sizeof(b)), "4");
	assert_string_equal(route_dsfield_name(0x28, b, sizeof(b)), "AF11");
	assert_string_equal(route_dsfield_name(0x10, b, sizeof(b)), "0x10");
	assert_string_equal(route_type_name(RTN_UNSPEC, b, sizeof(b)), "none");
	assert_string_equal(route_type_name(RTN_THROW, b, sizeof(b)), "throw");
	assert_string_equal(route_type_name(13, b, sizeof(b)), "13");

	/* without name files: ip's built-in names only */
	route_names_dir(FIXTURES "/no-such-dir");
	assert_string_equal(route_table_name(100, b, sizeof(b)), "100");
	assert_string_equal(route_table_name(254, b, sizeof(b)), "main");
	assert_string_equal(route_proto_name(99, b, sizeof(b)), "99");
	assert_string_equal(route_proto_name(16, b, sizeof(b)), "dhcp");
	assert_string_equal(route_realm_name(0, b, sizeof(b)), "unknown");
	assert_string_equal(route_dsfield_name(0x28, b, sizeof(b)), "0x28");
	route_names_dir(NULL);
}

/* --- writers on what the recording lacks --- */

static char *route_out(const struct nj_route *r, const struct nj_dump *d,
		       bool json)
{
	struct nj_routes rs = { (struct nj_route *)r, 1, 1, 0 };
	struct out_opts o = { 0 };
	struct mem m;
	struct jw w;
	char *s;

	if (json) {
		w = (struct jw)JW_INIT(mem_open(&m));
		jw_open(&w, NULL, '[');
		out_routes_json(&w, &rs, d);
		jw_close(&w, ']');
	} else {
		out_routes_text(mem_open(&m), &rs, d, &o);
	}
	s = mem_close(&m);
	if (json) {
		json_t *j = json_loads(s, JSON_DECODE_ANY, NULL);

		if (!j)
			fail_msg("not JSON: %s", s);
		json_decref(j);
	}
	return s;
}

static void assert_route_out(const struct nj_route *r,
			     const struct nj_dump *d, const char *json,
			     const char *text)
{
	char *s = route_out(r, d, true);

	assert_string_equal(s, json);
	free(s);
	s = route_out(r, d, false);
	assert_string_equal(s, text);
	free(s);
}

static void test_route_writer_edges(void **state)
{
	struct nj_nexthop nh = { .ifindex = 42, .hops = 1, .flags = 0x40 };
	struct nj_dump d;
	struct nj_route r;

	(void)state;
	route_names_dir(NAMES);
	load_links(&d);
	/* unknown interfaces, nothing but what ip prints anyway */
	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.type = RTN_UNICAST;
	r.protocol = RTPROT_BOOT;
	r.table = RT_TABLE_MAIN;
	r.has_oif = true;
	r.oif = 99;
	r.has_iif = true;
	r.iif = 1;
	r.has_mark = true;
	r.mark = 0x20;
	r.has_uid = true;
	r.uid = 1000;
	r.flags = RTM_F_OFFLOAD | RTNH_F_PERVASIVE;
	assert_route_out(&r, &d,
			 "[{\"dst\":\"default\",\"dev\":\"if99\",\"flags\":"
			 "[\"pervasive\",\"rt_offload\"],\"mark\":32,\"uid\":"
			 "1000,\"iif\":\"lo\"}]",
			 "routes:\ndefault dev if99 pervasive rt_offload mark "
			 "0x20 uid 1000 iif lo \n");
	/* metrics: hoplimit -1 is left out, features beyond ecn are hex;
	 * a preference ip cannot name; cache information; an empty
	 * multipath; ttl propagation */
	memset(&r, 0, sizeof(r));
	r.family = AF_INET6;
	r.type = RTN_UNICAST;
	r.protocol = RTPROT_BOOT;
	r.table = RT_TABLE_MAIN;
	r.metrics_set = 1u << RTAX_HOPLIMIT | 1u << RTAX_FEATURES |
			1u << RTAX_RTTVAR;
	r.metrics_lock = 1u << RTAX_CWND;
	r.metrics[RTAX_HOPLIMIT] = UINT32_MAX;
	r.metrics[RTAX_FEATURES] = 0x9;
	r.metrics[RTAX_RTTVAR] = 4000 * 4;
	r.has_pref = true;
	r.pref = 2;
	r.has_cacheinfo = true;
	r.expires = -250;
	r.error = 113;
	r.ipid = 0x1234;
	r.has_ttl_propagate = true;
	r.has_multipath = true;
	assert_route_out(
		&r, &d,
		"[{\"dst\":\"default\",\"flags\":[],\"expires\":-2,\"error\":"
		"113,\"ipid\":\"0x1234\",\"metrics\":[{\"rttvar\":4000,\"cwnd\":"
		"0,\"ecn\":null,\"features\":\"0x9\"}],\"pref\":2,"
		"\"ttl-propogate\":false,\"nexthops\":[]}]",
		"routes:\ndefault expires -2sec error 113 ipid 0x1234 rttvar "
		"4s cwnd lock 0 features ecn 0x9 2ttl-propogate disabled\n");
	/* a hop through an IPv6 gateway with a realm pair, on an unknown
	 * link, trapping */
	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.type = RTN_UNICAST;
	r.protocol = RTPROT_KERNEL;
	r.table = 100;
	r.has_multipath = true;
	nh.has_flow = true;
	nh.flow = 3 << 16 | 5;
	nh.gw.family = AF_INET6;
	nh.gw.via = true;
	nh.gw.addr[15] = 1;
	r.nexthops = &nh;
	r.nnexthops = 1;
	assert_route_out(&r, &d,
			 "[{\"dst\":\"default\",\"table\":\"blue\",\"protocol\":"
			 "\"kernel\",\"flags\":[],\"nexthops\":[{\"via\":{"
			 "\"family\":\"inet6\",\"host\":\"::1\"},\"flow\":{"
			 "\"from\":\"njrealm\",\"to\":\"5\"},\"dev\":\"if42\","
			 "\"weight\":2,\"flags\":[\"trap\"]}]}]",
			 "routes:\ndefault table blue proto kernel \n\tnexthop "
			 "via inet6 ::1 realms njrealm/5 dev if42 weight 2 "
			 "trap \n");
	nj_dump_free(&d);
	route_names_dir(NULL);
}

static void test_neigh_writer_edges(void **state)
{
	struct nj_neigh n;
	struct nj_neighs ns = { &n, 1, 1 };
	struct out_opts o = { 0 };
	struct nj_dump d;
	struct mem m;
	struct jw w;
	char *s;

	(void)state;
	route_names_dir(NAMES);
	load_links(&d);
	memset(&n, 0, sizeof(n));
	n.family = AF_INET;
	n.ifindex = 77;
	n.state = NUD_PROBE | NUD_FAILED;
	n.flags = NTF_OFFLOADED;
	n.ext_flags = NTF_EXT_MANAGED;
	n.protocol = 201;
	n.has_lladdr = true;
	n.lladdr_len = 2;
	n.lladdr[0] = 0xab;
	n.lladdr[1] = 0x01;
	w = (struct jw)JW_INIT(mem_open(&m));
	out_neighs_json(&w, &ns, &d);
	s = mem_close(&m);
	assert_string_equal(s, "{\"dev\":\"if77\",\"lladdr\":\"ab:01\","
			       "\"managed\":null,\"offload\":null,\"state\":"
			       "[\"PROBE\",\"FAILED\"],\"protocol\":\"njproto\"}");
	free(s);
	out_neighs_text(mem_open(&m), &ns, &d, &o);
	s = mem_close(&m);
	assert_string_equal(s, "neighbors:\ndev if77 lladdr ab:01 managed "
			       "offload PROBE FAILED proto njproto \n");
	free(s);
	nj_dump_free(&d);
	route_names_dir(NULL);
}

/* --- a live dump of this namespace (no privilege needed) --- */

static void test_dump_live(void **state)
{
	struct mnl_socket *nl;
	struct nj_routes rs = { 0 };
	struct nj_neighs ns = { 0 };
	size_t i;
	int r;

	(void)state;
	r = netlink_open(NETLINK_ROUTE, -1, &nl);
	if (r < 0)
		skip();
	assert_int_equal(netlink_dump_routes(nl, 0, &rs), 0);
	for (i = 0; i < rs.n; i++) {
		assert_true(rs.v[i].family == AF_INET ||
			    rs.v[i].family == AF_INET6);
		assert_false(rs.v[i].flags & RTM_F_CLONED);
	}
	/* every namespace has its local table (lo), even down */
	assert_int_equal(netlink_dump_routes(nl, RT_TABLE_LOCAL, &rs), 0);
	assert_int_equal(rs.table, RT_TABLE_LOCAL);
	for (i = 0; i < rs.n; i++)
		assert_int_equal(rs.v[i].table, RT_TABLE_LOCAL);
	assert_int_equal(netlink_dump_neighs(nl, &ns), 0);
	for (i = 0; i < ns.n; i++)
		assert_true(ns.v[i].family == AF_INET ||
			    ns.v[i].family == AF_INET6);
	/* a second dump replaces the first */
	assert_int_equal(netlink_dump_neighs(nl, &ns), 0);
	nj_routes_free(&rs);
	nj_neighs_free(&ns);
	nj_routes_free(NULL);
	nj_neighs_free(NULL);
	netlink_close(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_decoded),
		cmocka_unit_test(test_neighs_decoded),
		cmocka_unit_test(test_routes_json_all),
		cmocka_unit_test(test_routes_json_table),
		cmocka_unit_test(test_neighs_json),
		cmocka_unit_test(test_routes_text),
		cmocka_unit_test(test_neighs_text),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_route_minimal),
		cmocka_unit_test(test_route_bad_header),
		cmocka_unit_test(test_route_bad_attrs),
		cmocka_unit_test(test_route_gateways),
		cmocka_unit_test(test_route_multipath),
		cmocka_unit_test(test_route_metrics),
		cmocka_unit_test(test_neigh_bad),
		cmocka_unit_test(test_names_parse),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_route_writer_edges),
		cmocka_unit_test(test_neigh_writer_edges),
		cmocka_unit_test(test_dump_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
