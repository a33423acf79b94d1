/* Routes as `ip route show table all` prints them: one walk over a route
 * writes either the JSON object of `ip -j` or the text line, one call per
 * field naming both (struct out_pr). Names come from rtnames.c. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/route/rtnl.h>
#include "netjoin/jw.h"
#include "netjoin/out_route.h"
#include "pr.h"
#include "spellings.h"

#define ICMPV6_ROUTER_PREF_LOW 3
#define ICMPV6_ROUTER_PREF_MEDIUM 0
#define ICMPV6_ROUTER_PREF_HIGH 1
#define RTAX_FEATURE_ECN (1 << 0)
/* the last metric ip 6.1 knows; it ignores those after it */
#define IP_RTAX_LAST 17 /* RTAX_FASTOPEN_NO_COOKIE */

/* --- a route --- */

static const char *ifname(const struct nj_dump *d, uint32_t ifindex,
			  char *buf, size_t sz)
{
	const struct nj_link *l = nj_dump_link(d, (int32_t)ifindex);

	if (ifindex == 0)
		return "*";
	return l ? l->ifname : route_number(buf, sz, "if%u", ifindex);
}

static const char *prefix(int af, const uint8_t *a, unsigned int len,
			  char *buf, size_t sz)
{
	char ab[INET6_ADDRSTRLEN];

	inet_ntop(af, a, ab, sizeof(ab));
	if (len == (af == AF_INET ? 32u : 128u))
		snprintf(buf, sz, "%s", ab); /* a host: no length */
	else
		snprintf(buf, sz, "%s/%u", ab, len);
	return buf;
}

/* ip's order of route and nexthop flags; names from libnl but where
 * ip_spelling() has ip's */
static const uint32_t route_flags[] = {
	RTNH_F_DEAD,
	RTNH_F_ONLINK,
	RTNH_F_PERVASIVE,
	RTNH_F_OFFLOAD,
	RTNH_F_TRAP,
	RTM_F_NOTIFY,
	RTNH_F_LINKDOWN,
	RTNH_F_UNRESOLVED,
	RTM_F_OFFLOAD,
	RTM_F_TRAP,
	RTM_F_OFFLOAD_FAILED,
};

static void pr_flags(const struct out_pr *p, uint32_t flags)
{
	char buf[32];
	size_t i;

	out_pr_open(p, "flags", '[');
	for (i = 0; i < sizeof(route_flags) / sizeof(route_flags[0]); i++)
		if (flags & route_flags[i])
			out_pr_str(p, NULL, "%s ",
				   ip_spelling(IP_ROUTE_FLAG, route_flags[i])
					   ?: rtnl_route_nh_flags2str(
						      (int)route_flags[i], buf,
						      sizeof(buf)));
	out_pr_close(p, ']');
}

static void pr_jstr(const struct out_pr *p, const char *key, const char *v)
{
	if (p->w)
		jw_str(p->w, key, v);
}

static void pr_gateway(const struct out_pr *p, const struct nj_gateway *gw)
{
	char buf[INET6_ADDRSTRLEN];
	const char *fam = gw->family == AF_INET ? "inet" : "inet6";

	inet_ntop(gw->family, gw->addr, buf, sizeof(buf));
	if (!gw->via) {
		out_pr_str(p, "gateway", "via %s ", buf);
		return;
	}
	out_pr_open(p, "via", '{');
	pr_jstr(p, "family", fam);
	pr_jstr(p, "host", buf);
	out_pr_close(p, '}');
	if (!p->w)
		fprintf(p->f, "via %s %s ", fam, buf);
}

static void pr_flow(const struct out_pr *p, uint32_t flow)
{
	uint16_t from = (uint16_t)(flow >> 16), to = flow & 0xffff;
	char b1[32], b2[32];
	/* from first: ip looks it up first, which matters for realm 0 */
	const char *fn = from ? route_realm_name(from, b1, sizeof(b1)) : NULL;
	const char *tn = route_realm_name(to, b2, sizeof(b2));

	if (p->w) {
		jw_open(p->w, "flow", '{');
		if (fn)
			jw_str(p->w, "from", fn);
		jw_str(p->w, "to", tn);
		jw_close(p->w, '}');
		return;
	}
	fprintf(p->f, "realm%s ", fn ? "s" : "");
	if (fn)
		fprintf(p->f, "%s/", fn);
	fprintf(p->f, "%s ", tn);
}

/* libnl names metrics up to features; ip_spelling() has ip's others */
static const char *metric_name(unsigned int i, char *buf, size_t sz)
{
	if (i < RTAX_RTO_MIN)
		return route_libnl_name(rtnl_route_metric2str((int)i, buf, sz));
	return ip_spelling(IP_METRIC, i);
}

static void pr_metric(const struct out_pr *p, const struct nj_route *r,
		      unsigned int i, uint32_t v, const char *name)
{
	if (i == RTAX_FEATURES) {
		if (v & RTAX_FEATURE_ECN)
			out_pr_null(p, "ecn", "%s ");
		if (v & ~(uint32_t)RTAX_FEATURE_ECN)
			out_pr_hex(p, "features", "%#x ", v);
	} else if (i == RTAX_RTT || i == RTAX_RTTVAR || i == RTAX_RTO_MIN) {
		/* the kernel keeps rtt in 1/8 ms and rttvar in 1/4 ms */
		v = i == RTAX_RTT ? v / 8 : i == RTAX_RTTVAR ? v / 4 : v;
		if (p->w)
			jw_uint(p->w, name, v);
		else if (v >= 1000)
			fprintf(p->f, "%gs ", v / 1e3);
		else
			fprintf(p->f, "%ums ", v);
	} else if (i == RTAX_CC_ALGO) {
		out_pr_str(p, "congestion", "%s ", r->congctl);
	} else {
		out_pr_uint(p, name, "%u ", v);
	}
}

static void pr_metrics(const struct out_pr *p, const struct nj_route *r)
{
	char buf[32];
	const char *name;
	unsigned int i;
	uint32_t v, bit;

	out_pr_open(p, "metrics", '[');
	out_pr_open(p, NULL, '{');
	for (i = RTAX_LOCK + 1; i <= IP_RTAX_LAST; i++) {
		bit = 1u << i;
		if (!((r->metrics_set | r->metrics_lock) & bit))
			continue;
		v = (r->metrics_set & bit) ? r->metrics[i] : 0;
		if (i == RTAX_HOPLIMIT && v == UINT32_MAX)
			continue;
		name = metric_name(i, buf, sizeof(buf));
		if (!p->w) {
			if (name)
				fprintf(p->f, "%s ", name);
			else
				fprintf(p->f, "metric %u ", i);
			if (r->metrics_lock & bit)
				fputs("lock ", p->f);
		}
		pr_metric(p, r, i, v, name);
	}
	out_pr_close(p, '}');
	out_pr_close(p, ']');
}

static void pr_cacheinfo(const struct out_pr *p, const struct nj_route *r)
{
	static long hz;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	if (r->expires)
		out_pr_int(p, "expires", "expires %dsec ", (int)(r->expires / hz));
	if (r->error)
		out_pr_uint(p, "error", "error %u ", r->error);
	if (r->ipid)
		out_pr_hex(p, "ipid", "ipid 0x%04x ", r->ipid);
	if (r->ts || r->tsage) {
		out_pr_hex(p, "ts", "ts 0x%x", r->ts);
		out_pr_uint(p, "tsage", "tsage %usec ", r->tsage);
	}
}

static void pr_pref(const struct out_pr *p, uint8_t pref)
{
	if (pref == ICMPV6_ROUTER_PREF_LOW)
		out_pr_str(p, "pref", "pref %s", "low");
	else if (pref == ICMPV6_ROUTER_PREF_MEDIUM)
		out_pr_str(p, "pref", "pref %s", "medium");
	else if (pref == ICMPV6_ROUTER_PREF_HIGH)
		out_pr_str(p, "pref", "pref %s", "high");
	else
		out_pr_uint(p, "pref", "%u", pref);
}

static void pr_nexthops(const struct out_pr *p, const struct nj_route *r,
			const struct nj_dump *d)
{
	const struct nj_nexthop *nh;
	char buf[32];
	size_t i;

	out_pr_open(p, "nexthops", '[');
	for (i = 0; i < r->nnexthops; i++) {
		nh = &r->nexthops[i];
		out_pr_open(p, NULL, '{');
		if (!p->w)
			fputs("\n\tnexthop ", p->f);
		if (nh->gw.family)
			pr_gateway(p, &nh->gw);
		if (nh->has_flow)
			pr_flow(p, nh->flow);
		out_pr_str(p, "dev", "dev %s ",
			   ifname(d, (uint32_t)nh->ifindex, buf, sizeof(buf)));
		out_pr_int(p, "weight", "weight %d ", nh->hops + 1);
		pr_flags(p, nh->flags);
		out_pr_close(p, '}');
	}
	out_pr_close(p, ']');
}

/* type, destination, source, nexthop id, tos */
static void pr_head(const struct out_pr *p, const struct nj_route *r)
{
	char buf[64];

	if (r->type != RTN_UNICAST)
		out_pr_str(p, "type", "%s ",
			   route_type_name(r->type, buf, sizeof(buf)));
	if (r->has_dst)
		prefix(r->family, r->dst, r->dst_len, buf, sizeof(buf));
	else if (r->dst_len) /* never sent by a kernel; ip's spelling */
		snprintf(buf, sizeof(buf), "0/%u ", r->dst_len);
	else
		snprintf(buf, sizeof(buf), "default");
	out_pr_str(p, "dst", "%s ", buf);
	if (r->has_src)
		out_pr_str(p, "from", "from %s ",
			   prefix(r->family, r->src, r->src_len, buf,
				  sizeof(buf)));
	else if (r->src_len)
		out_pr_str(p, "src", "from %s ",
			   route_number(buf, sizeof(buf), "0/%u", r->src_len));
	if (r->has_nhid)
		out_pr_uint(p, "nhid", "nhid %u ", r->nhid);
	if (r->tos)
		out_pr_str(p, "tos", "tos %s ",
			   route_dsfield_name(r->tos, buf, sizeof(buf)));
}

/* A route's fields: JSON members of an object the caller opened, or the
 * text line with its newline. */
static void pr_route_fields(const struct out_pr *p, const struct nj_route *r,
			    const struct nj_dump *d, uint32_t table_filter)
{
	char buf[64];

	pr_head(p, r);
	if (r->gw.family)
		pr_gateway(p, &r->gw);
	if (r->has_oif)
		out_pr_str(p, "dev", "dev %s ",
			   ifname(d, r->oif, buf, sizeof(buf)));
	if (r->table && r->table != RT_TABLE_MAIN && !table_filter)
		out_pr_str(p, "table", "table %s ",
			   route_table_name(r->table, buf, sizeof(buf)));
	if (!(r->flags & RTM_F_CLONED) && r->protocol != RTPROT_BOOT)
		out_pr_str(p, "protocol", "proto %s ",
			   route_proto_name(r->protocol, buf, sizeof(buf)));
	if (!(r->flags & RTM_F_CLONED) && r->scope != RT_SCOPE_UNIVERSE)
		out_pr_str(p, "scope", "scope %s ",
			   out_scope(r->scope, buf, sizeof(buf)));
	if (r->has_prefsrc)
		out_pr_str(p, "prefsrc", "src %s ",
			   inet_ntop(r->family, r->prefsrc, buf, sizeof(buf)));
	if (r->has_priority)
		out_pr_uint(p, "metric", "metric %u ", r->priority);
	pr_flags(p, r->flags);
	if (r->has_mark && r->mark)
		out_pr_uint(p, "mark", r->mark >= 16 ? "mark %#x " : "mark %u ",
			r->mark);
	if (r->has_flow)
		pr_flow(p, r->flow);
	if (r->has_uid)
		out_pr_uint(p, "uid", "uid %u ", r->uid);
	if (r->has_cacheinfo)
		pr_cacheinfo(p, r);
	if (r->metrics_set | r->metrics_lock)
		pr_metrics(p, r);
	if (r->has_iif)
		out_pr_str(p, "iif", "iif %s ",
			   ifname(d, r->iif, buf, sizeof(buf)));
	if (r->has_pref)
		pr_pref(p, r->pref);
	if (r->has_ttl_propagate) {
		if (p->w)
			jw_lit(p->w, "ttl-propogate", /* sic, as ip */
			       r->ttl_propagate ? "true" : "false");
		else
			fprintf(p->f, "ttl-propogate %s",
				r->ttl_propagate ? "enabled" : "disabled");
	}
	if (r->has_multipath)
		pr_nexthops(p, r, d);
	if (!p->w)
		putc('\n', p->f);
}

static void pr_route(const struct out_pr *p, const struct nj_route *r,
		     const struct nj_dump *d, uint32_t table_filter)
{
	out_pr_open(p, NULL, '{');
	pr_route_fields(p, r, d, table_filter);
	out_pr_close(p, '}');
}

void out_route_one(struct jw *w, FILE *f, const struct nj_route *r,
		   const struct nj_dump *d)
{
	struct out_pr p = { w, w ? NULL : f };

	pr_route_fields(&p, r, d, 0);
}

void out_routes_json(struct jw *w, const void *routes,
		     const struct nj_dump *d)
{
	const struct nj_routes *rs = routes;
	struct out_pr p = { w, NULL };
	size_t i;

	for (i = 0; i < rs->n; i++)
		pr_route(&p, &rs->v[i], d, rs->table);
}

void out_routes_text(FILE *f, const void *routes, const struct nj_dump *d,
		     const struct out_opts *o)
{
	const struct nj_routes *rs = routes;
	struct out_pr p = { NULL, f };
	size_t i;

	(void)o; /* ip route's one listing */
	fputs("routes:\n", f);
	for (i = 0; i < rs->n; i++)
		pr_route(&p, &rs->v[i], d, rs->table);
}
