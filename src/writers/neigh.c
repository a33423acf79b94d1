/* Neighbours as `ip neigh` prints them (and `ip neigh show proxy` its
 * proxy entries): one walk writes the JSON object of `ip -j neigh` or the
 * text line. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <netlink/route/neighbour.h>
#include "netjoin/jw.h"
#include "netjoin/out_route.h"
#include "pr.h"
#include "spellings.h"

/* ip's order of neighbour flags (ext: in NDA_FLAGS_EXT); names from
 * libnl but where ip_spelling() has ip's */
static const struct {
	uint32_t mask;
	bool ext;
} neigh_flags[] = {
	{ NTF_ROUTER, false },
	{ NTF_PROXY, false },
	{ NTF_EXT_MANAGED, true },
	{ NTF_EXT_LEARNED, false },
	{ NTF_OFFLOADED, false },
};

/* ip's order of states: the bits from low to high */
static void pr_state(const struct out_pr *p, uint16_t state)
{
	char buf[32];
	char *c;
	unsigned int bit;

	out_pr_open(p, "state", '[');
	for (bit = NUD_INCOMPLETE; bit <= NUD_PERMANENT; bit <<= 1) {
		if (!(state & bit))
			continue;
		rtnl_neigh_state2str((int)bit, buf, sizeof(buf));
		for (c = buf; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		out_pr_str(p, NULL, "%s ", buf);
	}
	out_pr_close(p, ']');
}

/* A neighbour's fields: JSON members of an object the caller opened, or
 * the text line with its newline. */
static void pr_neigh_fields(const struct out_pr *p, const struct nj_neigh *n,
			    const struct nj_dump *d)
{
	const struct nj_link *l = nj_dump_link(d, n->ifindex);
	char buf[3 * NJ_HWADDR_MAX + INET6_ADDRSTRLEN];
	size_t i;
	uint32_t flags;

	if (n->has_dst)
		out_pr_str(p, "dst", "%s ",
			   inet_ntop(n->family, n->dst, buf, sizeof(buf)));
	if (n->ifindex) {
		if (l)
			snprintf(buf, sizeof(buf), "%s", l->ifname);
		else
			snprintf(buf, sizeof(buf), "if%d", n->ifindex);
		out_pr_str(p, "dev", "dev %s ", buf);
	}
	if (n->has_lladdr)
		/* an unknown link's type matches none of out_hwaddr's */
		out_pr_str(p, "lladdr", "lladdr %s ",
			   out_hwaddr(l ? l->type : 0xffff, n->lladdr,
				      n->lladdr_len, buf, sizeof(buf)));
	for (i = 0; i < sizeof(neigh_flags) / sizeof(neigh_flags[0]); i++) {
		flags = neigh_flags[i].ext ? n->ext_flags : n->flags;
		if (!(flags & neigh_flags[i].mask))
			continue;
		out_pr_null(p,
			    ip_spelling(neigh_flags[i].ext ? IP_NEIGH_FLAG_EXT
							   : IP_NEIGH_FLAG,
					neigh_flags[i].mask)
				    ?: rtnl_neigh_flags2str(
					       (int)neigh_flags[i].mask, buf,
					       sizeof(buf)),
			    "%s ");
	}
	if (n->state)
		pr_state(p, n->state);
	if (n->protocol)
		out_pr_str(p, "protocol", "proto %s ",
			   route_proto_name(n->protocol, buf, sizeof(buf)));
	if (!p->w)
		putc('\n', p->f);
}

static void pr_neigh(const struct out_pr *p, const struct nj_neigh *n,
		     const struct nj_dump *d)
{
	out_pr_open(p, NULL, '{');
	pr_neigh_fields(p, n, d);
	out_pr_close(p, '}');
}

void out_neigh_one(struct jw *w, FILE *f, const struct nj_neigh *n,
		   const struct nj_dump *d)
{
	struct out_pr p = { w, w ? NULL : f };

	pr_neigh_fields(&p, n, d);
}

void out_neighs_json(struct jw *w, const void *neighs,
		     const struct nj_dump *d)
{
	const struct nj_neighs *ns = neighs;
	struct out_pr p = { w, NULL };
	size_t i;

	for (i = 0; i < ns->n; i++)
		pr_neigh(&p, &ns->v[i], d);
}

void out_neighs_text(FILE *f, const void *neighs, const struct nj_dump *d,
		     const struct out_opts *o)
{
	const struct nj_neighs *ns = neighs;
	struct out_pr p = { NULL, f };
	size_t i;

	(void)o;
	fputs("neighbors:\n", f);
	for (i = 0; i < ns->n; i++)
		pr_neigh(&p, &ns->v[i], d);
}
