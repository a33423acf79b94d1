/* Routes: the pure decoder of one RTM_NEWROUTE message and the dump of a
 * namespace's routes. Validation as in decode.c: the attributes go into a
 * table first, unknown ones are skipped, each one used is checked before
 * it is read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include "netjoin/nl.h"
#include "nlattr.h"
#include "netjoin/route.h"
#include "netjoin/vec.h"

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* RTA_VIA: struct rtvia, a 16-bit family and an address of it. */
static int get_via(const struct nlattr *a, struct nj_gateway *gw)
{
	const uint8_t *p;
	uint16_t family, n;

	if (!a)
		return 0;
	n = mnl_attr_get_payload_len(a);
	p = mnl_attr_get_payload(a);
	if (n < sizeof(family))
		return -EINVAL;
	memcpy(&family, p, sizeof(family));
	if ((family != AF_INET && family != AF_INET6) ||
	    n - sizeof(family) != addr_len(family))
		return -EINVAL;
	gw->family = (uint8_t)family;
	gw->via = true;
	memcpy(gw->addr, p + sizeof(family), addr_len(family));
	return 1;
}

/* RTA_GATEWAY or RTA_VIA, never both (the kernel sends one). */
static int get_gateway(const struct nlattr *gwa, const struct nlattr *via,
		       uint8_t family, struct nj_gateway *gw)
{
	int r;

	if (gwa && via)
		return -EINVAL;
	if (via)
		return get_via(via, gw);
	r = netlink_attr_bytes(gwa, gw->addr, addr_len(family), 1, NULL);
	if (r > 0)
		gw->family = family;
	return r;
}

static int decode_hop(const struct rtnexthop *rtnh, const char *attrs,
		      uint8_t family, struct nj_nexthop *nh)
{
	const struct nlattr *tb[RTA_MAX + 1];

	if (netlink_attrs_parse_payload(attrs, rtnh->rtnh_len - sizeof(*rtnh), tb,
			  RTA_MAX) < 0)
		return -EINVAL;
	memset(nh, 0, sizeof(*nh));
	nh->ifindex = rtnh->rtnh_ifindex;
	nh->flags = rtnh->rtnh_flags;
	nh->hops = rtnh->rtnh_hops;
	if (get_gateway(tb[RTA_GATEWAY], tb[RTA_VIA], family, &nh->gw) < 0)
		return -EINVAL;
	NETLINK_GET(netlink_attr_u32(tb[RTA_FLOW], &nh->flow), nh->has_flow);
	return 0;
}

/* Walk RTA_MULTIPATH: struct rtnexthop, its attributes, padding to 4
 * bytes, and so on to the end. With out NULL, only count and check. */
static int walk_hops(const struct nlattr *a, uint8_t family,
		     struct nj_nexthop *out, size_t *count)
{
	const char *p = mnl_attr_get_payload(a);
	size_t left = mnl_attr_get_payload_len(a), n = 0, step;
	struct rtnexthop rtnh;
	struct nj_nexthop scratch;

	while (left > 0) {
		if (left < sizeof(rtnh))
			return -EINVAL;
		memcpy(&rtnh, p, sizeof(rtnh));
		if (rtnh.rtnh_len < sizeof(rtnh) || rtnh.rtnh_len > left)
			return -EINVAL;
		if (decode_hop(&rtnh, p + sizeof(rtnh), family,
			       out ? &out[n] : &scratch) < 0)
			return -EINVAL;
		n++;
		step = RTNH_ALIGN(rtnh.rtnh_len);
		if (step > left)
			step = left;
		p += step;
		left -= step;
	}
	*count = n;
	return 0;
}

static int get_multipath(const struct nlattr *a, uint8_t family,
			 struct nj_route *r)
{
	size_t n;

	if (!a)
		return 0;
	if (walk_hops(a, family, NULL, &n) < 0)
		return -EINVAL;
	r->has_multipath = true;
	if (n == 0)
		return 1;
	r->nexthops = calloc(n, sizeof(*r->nexthops));
	if (!r->nexthops)
		return -ENOMEM;
	walk_hops(a, family, r->nexthops, &r->nnexthops);
	return 1;
}

static int get_metrics(const struct nlattr *a, struct nj_route *r)
{
	const struct nlattr *tb[NJ_RTAX_MAX + 1];
	const char *s;
	unsigned int i;

	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 ||
	    netlink_attrs_parse_payload(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a),
			  tb, NJ_RTAX_MAX) < 0)
		return -EINVAL;
	if (netlink_attr_u32(tb[RTAX_LOCK], &r->metrics_lock) < 0)
		return -EINVAL;
	for (i = RTAX_LOCK + 1; i <= NJ_RTAX_MAX; i++) {
		if (!tb[i])
			continue;
		if (i == RTAX_CC_ALGO) {
			if (mnl_attr_validate(tb[i], MNL_TYPE_NUL_STRING) < 0)
				return -EINVAL;
			s = mnl_attr_get_str(tb[i]);
			if (strlen(s) >= sizeof(r->congctl))
				return -EINVAL;
			strcpy(r->congctl, s);
		} else if (netlink_attr_u32(tb[i], &r->metrics[i]) < 0) {
			return -EINVAL;
		}
		r->metrics_set |= 1u << i;
	}
	return 1;
}

static int get_cacheinfo(const struct nlattr *a, struct nj_route *r)
{
	struct rta_cacheinfo ci;

	if (!a)
		return 0;
	if (mnl_attr_validate2(a, MNL_TYPE_UNSPEC, sizeof(ci)) < 0)
		return -EINVAL;
	memcpy(&ci, mnl_attr_get_payload(a), sizeof(ci));
	r->expires = ci.rta_expires;
	r->error = ci.rta_error;
	r->ipid = ci.rta_id;
	r->ts = ci.rta_ts;
	r->tsage = ci.rta_tsage;
	return 1;
}

static int decode_attrs(const struct nlattr **tb, struct nj_route *r)
{
	size_t alen = addr_len(r->family);
	int err;

	if (netlink_attr_u32(tb[RTA_TABLE], &r->table) < 0)
		return -EINVAL;
	NETLINK_GET(netlink_attr_bytes(tb[RTA_DST], r->dst, alen, 1, NULL), r->has_dst);
	NETLINK_GET(netlink_attr_bytes(tb[RTA_SRC], r->src, alen, 1, NULL), r->has_src);
	NETLINK_GET(netlink_attr_bytes(tb[RTA_PREFSRC], r->prefsrc, alen, 1, NULL), r->has_prefsrc);
	if (get_gateway(tb[RTA_GATEWAY], tb[RTA_VIA], r->family, &r->gw) < 0)
		return -EINVAL;
	NETLINK_GET(netlink_attr_u32(tb[RTA_OIF], &r->oif), r->has_oif);
	NETLINK_GET(netlink_attr_u32(tb[RTA_IIF], &r->iif), r->has_iif);
	NETLINK_GET(netlink_attr_u32(tb[RTA_PRIORITY], &r->priority), r->has_priority);
	NETLINK_GET(netlink_attr_u32(tb[RTA_MARK], &r->mark), r->has_mark);
	NETLINK_GET(netlink_attr_u32(tb[RTA_FLOW], &r->flow), r->has_flow);
	NETLINK_GET(netlink_attr_u32(tb[RTA_UID], &r->uid), r->has_uid);
	NETLINK_GET(netlink_attr_u32(tb[RTA_NH_ID], &r->nhid), r->has_nhid);
	NETLINK_GET(netlink_attr_u8(tb[RTA_PREF], &r->pref), r->has_pref);
	NETLINK_GET(netlink_attr_u8(tb[RTA_TTL_PROPAGATE], &r->ttl_propagate),
	    r->has_ttl_propagate);
	NETLINK_GET(get_cacheinfo(tb[RTA_CACHEINFO], r), r->has_cacheinfo);
	if (get_metrics(tb[RTA_METRICS], r) < 0)
		return -EINVAL;
	/* last: the only one that allocates */
	err = get_multipath(tb[RTA_MULTIPATH], r->family, r);
	return err < 0 ? err : 0;
}

int netlink_decode_route(const struct nlmsghdr *nlh, struct nj_route *out)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm;
	struct nj_route r;
	int err;

	rtm = netlink_msg_parse_inet(nlh, RTM_NEWROUTE, sizeof(*rtm), tb, RTA_MAX,
				     &err);
	if (!rtm)
		return err;
	if (rtm->rtm_dst_len > addr_len(rtm->rtm_family) * 8 ||
	    rtm->rtm_src_len > addr_len(rtm->rtm_family) * 8)
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	r.family = rtm->rtm_family;
	r.dst_len = rtm->rtm_dst_len;
	r.src_len = rtm->rtm_src_len;
	r.tos = rtm->rtm_tos;
	r.protocol = rtm->rtm_protocol;
	r.scope = rtm->rtm_scope;
	r.type = rtm->rtm_type;
	r.flags = rtm->rtm_flags;
	r.table = rtm->rtm_table;
	err = decode_attrs(tb, &r);
	if (err < 0) {
		nj_route_free(&r);
		return err == -ENOMEM ? -ENOMEM : -EINVAL;
	}
	*out = r;
	return 0;
}

void nj_route_free(struct nj_route *r)
{
	if (!r)
		return;
	free(r->nexthops);
	r->nexthops = NULL;
	r->nnexthops = 0;
}

void nj_routes_free(struct nj_routes *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->n; i++)
		nj_route_free(&rs->v[i]);
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

struct route_dump {
	struct nj_routes *rs;
	int err;
};

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_dump *st = data;
	struct nj_routes *rs = st->rs;
	struct nj_route r, *slot;
	int err;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	err = netlink_decode_route(nlh, &r);
	if (err == -ENOMEM) {
		st->err = err;
		return MNL_CB_ERROR;
	}
	if (err < 0) /* another family, or malformed: left out */
		return MNL_CB_OK;
	if ((r.flags & RTM_F_CLONED) || (rs->table && r.table != rs->table)) {
		nj_route_free(&r);
		return MNL_CB_OK;
	}
	slot = VEC_PUSH(rs->v, rs->n, rs->cap, 64);
	if (!slot) {
		nj_route_free(&r);
		st->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	*slot = r;
	return MNL_CB_OK;
}

static void route_reset(void *data)
{
	struct nj_routes *rs = ((struct route_dump *)data)->rs;
	size_t i;

	for (i = 0; i < rs->n; i++)
		nj_route_free(&rs->v[i]);
	rs->n = 0;
}

int netlink_dump_routes(struct mnl_socket *nl, uint32_t table,
		   struct nj_routes *out)
{
	char req[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg))];
	struct nj_routes rs = { .table = table };
	struct route_dump st = { &rs, 0 };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int r;

	rtm = netlink_req_init(req, sizeof(req), RTM_GETROUTE, sizeof(*rtm),
			       &nlh);
	/* every family, as `ip route show table all`; tables are filtered
	 * here (without strict checking the kernel ignores RTA_TABLE) */
	rtm->rtm_family = AF_UNSPEC;
	r = netlink_dump_run(nl, nlh, route_cb, route_reset, &st);
	if (st.err)
		r = st.err;
	if (r < 0) {
		nj_routes_free(&rs);
		return r;
	}
	nj_routes_free(out);
	*out = rs;
	return 0;
}
