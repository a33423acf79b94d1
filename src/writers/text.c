/* Text writers: a readable listing with a header naming the target, and
 * the brief form, which is `ip -br addr` byte for byte. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include "netjoin/esc.h"
#include "netjoin/out.h"

/* "eth0@if9", "veth0@br0", "x@NONE" as ip writes a name and its link. */
static const char *name_and_link(const struct nj_dump *d,
				 const struct nj_link *l, char *buf,
				 size_t sz)
{
	const struct nj_link *peer;

	if (!l->has_link)
		return l->ifname;
	if (l->link == 0)
		snprintf(buf, sz, "%s@NONE", l->ifname);
	else if (l->has_link_netnsid ||
		 !(peer = nj_dump_link(d, (int32_t)l->link)))
		snprintf(buf, sz, "%s@if%u", l->ifname, l->link);
	else
		snprintf(buf, sz, "%s@%s", l->ifname, peer->ifname);
	return buf;
}

/* "10.0.0.1/24", or "10.0.0.1 peer 10.0.0.2/32", into buf (CIDR_MAX
 * bytes); its length. One write per address: a listing can hold
 * 100,000 of them. */
#define CIDR_MAX (2 * INET6_ADDRSTRLEN + 16)

static size_t cidr_fmt(char *buf, const struct nj_addr *a)
{
	size_t alen = a->family == AF_INET ? 4 : 16, n;
	unsigned int len = a->prefixlen;

	if (!out_ip(a->family, a->local, buf, INET6_ADDRSTRLEN))
		return (size_t)sprintf(buf, "?/%u", len); /* not IP: never kept */
	n = strlen(buf);
	if (memcmp(a->address, a->local, alen)) {
		memcpy(buf + n, " peer ", 6);
		n += 6;
		n += strlen(out_ip(a->family, a->address, buf + n,
				   INET6_ADDRSTRLEN));
	}
	buf[n++] = '/';
	if (len >= 100)
		buf[n++] = (char)('0' + len / 100);
	if (len >= 10)
		buf[n++] = (char)('0' + len / 10 % 10);
	buf[n++] = (char)('0' + len % 10);
	buf[n] = '\0';
	return n;
}

static void addr_cidr(FILE *f, const struct nj_addr *a)
{
	char buf[CIDR_MAX];

	fwrite(buf, 1, cidr_fmt(buf, a), f);
}

void out_brief(FILE *f, const struct nj_dump *d)
{
	char nb[64], sb[32], cidr[CIDR_MAX + 1];
	const struct nj_link *l;
	struct nj_addr a;
	size_t i, n;
	int32_t j;

	for (i = 0; i < d->nlinks; i++) {
		l = &d->links[i];
		fprintf(f, "%-16s ", name_and_link(d, l, nb, sizeof(nb)));
		if (l->has_operstate) {
			if (out_operstate(l->operstate, sb, sizeof(sb)))
				fprintf(f, "%-14s ", sb);
			else
				fprintf(f, "state %#x ", l->operstate);
		}
		for (j = l->first_addr; j >= 0;) {
			j = nj_dump_addr(d, j, &a);
			n = cidr_fmt(cidr, &a);
			cidr[n++] = ' ';
			fwrite(cidr, 1, n, f);
			if (a.has_metric)
				fprintf(f, "metric %u ", a.metric);
		}
		putc('\n', f);
	}
}

static void header_raw(FILE *f, const void *arg)
{
	const struct out_target *ot = arg;
	const struct nj_target *t = ot->t;

	if (t->runtime && !strcmp(t->kind, "pod")) {
		fprintf(f, "pod %s/%s (%s sandbox %.12s)", t->pod_ns,
			t->pod_name, t->runtime, t->id);
	} else if (t->runtime) {
		fprintf(f, "%s %s%s%s", t->runtime, t->ns, t->ns[0] ? "/" : "",
			t->name[0] ? t->name : "-");
		/* a runtime without IDs (LXC) names it once */
		if (strcmp(t->id, t->name))
			fprintf(f, " %.12s", t->id);
		if (t->pod_name[0])
			fprintf(f, " pod %s/%s", t->pod_ns, t->pod_name);
		if (t->user[0])
			fprintf(f, " (user %s)", t->user);
	} else if (!strcmp(t->kind, "pid")) {
		fprintf(f, "pid %d (%s)", (int)t->pid, t->name);
	} else if (!strcmp(t->kind, "netns")) {
		if (t->name[0])
			fprintf(f, "netns %s", t->name);
		else
			fprintf(f, "netns %s", t->path);
	} else {
		fputs(t->kind, f);
	}
	if (t->runtime && t->pid)
		fprintf(f, " pid %d", (int)t->pid);
	fprintf(f, " net:[%llu]", ot->netns_inode);
	if (t->note[0])
		fprintf(f, " (%s)", t->note);
}

/* Names in a label come from runtime state and /run/netns, and may hold
 * any byte: the label is made whole, then escaped, newlines too. */
static void put_label(FILE *f, void (*make)(FILE *, const void *),
		      const void *arg)
{
	char raw[2048] = "";
	FILE *m = fmemopen(raw, sizeof(raw) - 1, "w");

	if (!m)
		return;
	make(m, arg);
	fclose(m);
	esc_fputs(f, raw);
}

static void header(FILE *f, const struct out_target *ot)
{
	put_label(f, header_raw, ot);
	putc('\n', f);
}

struct flag_out {
	FILE *f;
	int n;
};

static void emit_flag(const char *name, void *arg)
{
	struct flag_out *o = arg;

	fprintf(o->f, "%s%s", o->n++ ? "," : "", name);
}

static void emit_addr_flag(const char *name, void *arg)
{
	fprintf(arg, " %s", name);
}

static void lifetime(FILE *f, const char *what, uint32_t v)
{
	if (v == 0xffffffffu)
		fprintf(f, " %s forever", what);
	else
		fprintf(f, " %s %usec", what, v);
}

/* What follows an address's CIDR in ip's detailed forms: brd, scope,
 * flags, the label (after "label" in a listing, bare in ip monitor's
 * line) and the lifetimes. */
static void addr_details(FILE *f, const struct nj_addr *a,
			 const char *label_fmt)
{
	char buf[INET6_ADDRSTRLEN];

	if (a->has_broadcast)
		fprintf(f, " brd %s",
			out_ip(a->family, a->broadcast, buf, sizeof(buf)));
	fprintf(f, " scope %s", out_scope(a->scope, buf, sizeof(buf)));
	out_addr_flags(a->family, a->flags, emit_addr_flag, f);
	if (a->has_label)
		fprintf(f, label_fmt, a->label);
	if (a->has_cacheinfo) {
		lifetime(f, "valid_lft", a->valid_lft);
		lifetime(f, "preferred_lft", a->preferred_lft);
	}
}

static void text_addr(FILE *f, const struct nj_addr *a, int details)
{
	fprintf(f, "    %-5s ", out_family(a->family));
	addr_cidr(f, a);
	if (details)
		addr_details(f, a, " label %s");
	putc('\n', f);
}

static void text_link_details(FILE *f, const struct nj_dump *d,
			      const struct nj_link *l)
{
	struct flag_out fo = { f, 0 };
	const struct nj_link *m;
	char buf[IF_NAMESIZE + 16];
	int mdown = 0;

	if (l->has_link && l->link && !l->has_link_netnsid &&
	    (m = nj_dump_link(d, (int32_t)l->link)))
		mdown = !(m->flags & IFF_UP);
	fputs(" <", f);
	out_link_flags(l->flags, mdown, emit_flag, &fo);
	putc('>', f);
	if (l->kind[0])
		fprintf(f, " %s", l->kind);
	if (l->has_master)
		fprintf(f, " master %s", out_master(d, l, buf, sizeof(buf)));
	if (l->has_link_netnsid)
		fprintf(f, " link-netnsid %d", l->link_netnsid);
	if (l->qdisc[0])
		fprintf(f, " qdisc %s", l->qdisc);
}

/* "peer vethab12 (master docker0) in docker:4ddf4638572d (docker web)" */
static void peer_raw(FILE *f, const void *arg)
{
	const struct nj_peer *p = arg;

	fprintf(f, "  peer %s", p->ifname);
	if (p->master[0])
		fprintf(f, " (master %s)", p->master);
	fprintf(f, " in %s", p->target);
	if (p->owner[0])
		fprintf(f, " (%s)", p->owner);
}

static void text_peer(FILE *f, const struct nj_peer *p)
{
	put_label(f, peer_raw, p);
}

void out_text(FILE *f, const struct out_target *ot, const struct nj_dump *d,
	      const struct out_opts *o, const struct out_section *secs,
	      size_t nsecs)
{
	char nb[64], sb[32], hw[128];
	const struct nj_link *l;
	struct nj_addr a;
	size_t i;
	int32_t j;

	header(f, ot);
	for (i = 0; i < d->nlinks; i++) {
		l = &d->links[i];
		fprintf(f, "%d: %-16s %-9s %-17s", l->ifindex,
			name_and_link(d, l, nb, sizeof(nb)),
			l->has_operstate &&
					out_operstate(l->operstate, sb,
						      sizeof(sb))
				? sb
				: "?",
			l->addr_len ? out_hwaddr(l->type, l->addr, l->addr_len,
						 hw, sizeof(hw))
				    : "-");
		if (l->has_mtu)
			fprintf(f, " mtu %u", l->mtu);
		if (o->details)
			text_link_details(f, d, l);
		if (d->peers && d->peers[i].found)
			text_peer(f, &d->peers[i]);
		putc('\n', f);
		for (j = l->first_addr; j >= 0;) {
			j = nj_dump_addr(d, j, &a);
			text_addr(f, &a, o->details);
		}
		/* after the addresses, where ip -s addr puts them */
		out_stats_text(f, l, o->stats);
	}
	for (i = 0; i < nsecs; i++) {
		putc('\n', f);
		secs[i].text(f, secs[i].data, d, o);
	}
}

void out_link_line(FILE *f, const struct nj_dump *d, const struct nj_link *l)
{
	struct flag_out fo = { f, 0 };
	const struct nj_link *m;
	char nb[64], buf[128];
	int mdown = 0;

	if (l->has_link && l->link && !l->has_link_netnsid &&
	    (m = nj_dump_link(d, (int32_t)l->link)))
		mdown = !(m->flags & IFF_UP);
	fprintf(f, "%d: %s: <", l->ifindex, name_and_link(d, l, nb, sizeof(nb)));
	out_link_flags(l->flags, mdown, emit_flag, &fo);
	putc('>', f);
	if (l->has_mtu)
		fprintf(f, " mtu %u", l->mtu);
	if (l->qdisc[0])
		fprintf(f, " qdisc %s", l->qdisc);
	if (l->has_master)
		fprintf(f, " master %s", out_master(d, l, buf, sizeof(buf)));
	if (l->has_operstate && out_operstate(l->operstate, buf, sizeof(buf)))
		fprintf(f, " state %s", buf);
	if (l->has_group) {
		if (l->group)
			fprintf(f, " group %u", l->group);
		else
			fputs(" group default", f);
	}
	if (l->has_txqlen && l->txqlen)
		fprintf(f, " qlen %u", l->txqlen);
	/* ip monitor's second line, on this one */
	fprintf(f, " link/%s", out_link_type(l->type, buf, sizeof(buf)));
	if (l->addr_len)
		fprintf(f, " %s", out_hwaddr(l->type, l->addr, l->addr_len, buf,
					     sizeof(buf)));
	if (l->brd_len)
		fprintf(f, " %s %s", l->flags & IFF_POINTOPOINT ? "peer" : "brd",
			out_hwaddr(l->type, l->brd, l->brd_len, buf, sizeof(buf)));
	if (l->has_link_netnsid)
		fprintf(f, " link-netnsid %d", l->link_netnsid);
	putc('\n', f);
}

void out_addr_line(FILE *f, const struct nj_dump *d, const struct nj_addr *a)
{
	const struct nj_link *l = nj_dump_link(d, a->ifindex);

	if (l)
		fprintf(f, "%d: %-6s%s ", a->ifindex, l->ifname,
			out_family(a->family));
	else
		fprintf(f, "%d: if%-4d%s ", a->ifindex, a->ifindex,
			out_family(a->family));
	addr_cidr(f, a);
	/* the lifetimes are ip monitor's second line, on this one */
	addr_details(f, a, " %s");
	putc('\n', f);
}
