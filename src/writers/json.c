/* JSON writer: {"target": {...}, "interfaces": [...]}, each interface with
 * the field names and values of `ip -j addr`. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <net/if.h>
#include "netjoin/jw.h"
#include "netjoin/out.h"

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* Interface names are bytes: control characters and bytes that are not
 * UTF-8 are written as \u00XX so the output stays valid JSON. */
void out_json_str(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *run;
	size_t n;

	putc_unlocked('"', f);
	for (;;) {
		/* the common case: a run of plain ASCII, written at once */
		for (run = s; *s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\';
		     s++)
			;
		if (s > run)
			fwrite_unlocked(run, 1, (size_t)(s - run), f);
		if (!*s)
			break;
		switch (*s) {
		case '"': fputs_unlocked("\\\"", f); s++; continue;
		case '\\': fputs_unlocked("\\\\", f); s++; continue;
		case '\n': fputs_unlocked("\\n", f); s++; continue;
		case '\r': fputs_unlocked("\\r", f); s++; continue;
		case '\t': fputs_unlocked("\\t", f); s++; continue;
		case '\b': fputs_unlocked("\\b", f); s++; continue;
		case '\f': fputs_unlocked("\\f", f); s++; continue;
		}
		n = *s < 0x20 || *s == 0x7f ? 0 : utf8_len(s);
		if (n == 0) {
			fprintf(f, "\\u%04x", *s);
			s++;
			continue;
		}
		fwrite_unlocked(s, 1, n, f);
		s += n;
	}
	putc_unlocked('"', f);
}

static void emit_flag(const char *name, void *arg)
{
	jw_str(arg, NULL, name);
}

static void emit_addr_flag(const char *name, void *arg)
{
	if (!strncmp(name, "flags ", 6))
		jw_str(arg, "ifa_flags", name + 6);
	else
		jw_lit(arg, name, "true");
}

static void json_addr(struct jw *w, const struct nj_addr *a)
{
	char buf[INET6_ADDRSTRLEN];
	int af = a->family;
	size_t alen = af == AF_INET ? 4 : 16;

	jw_open(w, NULL, '{');
	jw_str(w, "family", out_family(a->family));
	jw_str(w, "local", out_ip(af, a->local, buf, sizeof(buf)));
	if (memcmp(a->address, a->local, alen))
		jw_str(w, "address",
		       out_ip(af, a->address, buf, sizeof(buf)));
	jw_uint(w, "prefixlen", a->prefixlen);
	if (a->has_metric)
		jw_uint(w, "metric", a->metric);
	if (a->has_broadcast)
		jw_str(w, "broadcast",
		       out_ip(af, a->broadcast, buf, sizeof(buf)));
	if (a->has_anycast)
		jw_str(w, "anycast",
		       out_ip(af, a->anycast, buf, sizeof(buf)));
	jw_str(w, "scope", out_scope(a->scope, buf, sizeof(buf)));
	out_addr_flags(a->family, a->flags, emit_addr_flag, w);
	if (a->has_label)
		jw_str(w, "label", a->label);
	if (a->has_cacheinfo) {
		jw_uint(w, "valid_life_time", a->valid_lft);
		/* ip prints a deprecated address's lifetime signed */
		if (a->preferred_lft != 0xffffffffu &&
		    (a->flags & IFA_F_DEPRECATED))
			jw_int(w, "preferred_life_time",
			       (int32_t)a->preferred_lft);
		else
			jw_uint(w, "preferred_life_time", a->preferred_lft);
	}
	jw_close(w, '}');
}

static int link_is_down(const struct nj_dump *d, uint32_t ifindex)
{
	const struct nj_link *peer = nj_dump_link(d, (int32_t)ifindex);

	return peer && !(peer->flags & IFF_UP);
}

/* Not an ip field: where the other end of a veth is. */
static void json_peer(struct jw *w, const struct nj_peer *p)
{
	char buf[64];

	jw_open(w, "peer", '{');
	jw_int(w, "ifindex", p->ifindex);
	jw_str(w, "ifname", p->ifname);
	if (p->master[0])
		jw_str(w, "master", p->master);
	snprintf(buf, sizeof(buf), "net:[%llu]", p->netns_inode);
	jw_str(w, "netns", buf);
	jw_str(w, "target", p->target);
	if (p->owner[0])
		jw_str(w, "owner", p->owner);
	jw_close(w, '}');
}

void out_link_json(struct jw *w, const struct nj_dump *d,
		   const struct nj_link *l, const struct out_opts *o,
		   bool addrs)
{
	const struct nj_link *m;
	char buf[128];
	int mdown = 0;
	struct nj_addr a;
	int32_t i;

	jw_int(w, "ifindex", l->ifindex);
	if (l->has_link && l->link == 0) {
		jw_lit(w, "link", "null");
	} else if (l->has_link && l->has_link_netnsid) {
		jw_int(w, "link_index", l->link);
	} else if (l->has_link) {
		m = nj_dump_link(d, (int32_t)l->link);
		if (m)
			jw_str(w, "link", m->ifname);
		else
			jw_str(w, "link", (snprintf(buf, sizeof(buf), "if%u",
						    l->link), buf));
		mdown = link_is_down(d, l->link);
	}
	jw_str(w, "ifname", l->ifname);
	jw_open(w, "flags", '[');
	out_link_flags(l->flags, mdown, emit_flag, w);
	jw_close(w, ']');
	if (l->has_mtu)
		jw_uint(w, "mtu", l->mtu);
	if (l->qdisc[0])
		jw_str(w, "qdisc", l->qdisc);
	if (l->has_master)
		jw_str(w, "master", out_master(d, l, buf, sizeof(buf)));
	if (l->has_operstate) {
		if (out_operstate(l->operstate, buf, sizeof(buf)))
			jw_str(w, "operstate", buf);
		else
			jw_uint(w, "operstate_index", l->operstate);
	}
	if (l->has_group) {
		if (l->group == 0)
			jw_str(w, "group", "default");
		else
			jw_str(w, "group", (snprintf(buf, sizeof(buf), "%u",
						     l->group), buf));
	}
	if (l->has_txqlen && l->txqlen) /* ip omits a zero qlen */
		jw_uint(w, "txqlen", l->txqlen);
	jw_str(w, "link_type", out_link_type(l->type, buf, sizeof(buf)));
	if (l->addr_len)
		jw_str(w, "address", out_hwaddr(l->type, l->addr, l->addr_len,
						buf, sizeof(buf)));
	if (l->brd_len) {
		if (l->flags & IFF_POINTOPOINT)
			jw_lit(w, "link_pointtopoint", "true");
		jw_str(w, "broadcast", out_hwaddr(l->type, l->brd, l->brd_len,
						  buf, sizeof(buf)));
	}
	if (l->perm_len && (l->perm_len != l->addr_len ||
			    memcmp(l->perm, l->addr, l->perm_len)))
		jw_str(w, "permaddr", out_hwaddr(l->type, l->perm, l->perm_len,
						 buf, sizeof(buf)));
	if (l->has_link_netnsid)
		jw_int(w, "link_netnsid", l->link_netnsid);
	if (l->kind[0] || l->slave_kind[0]) {
		jw_open(w, "linkinfo", '{');
		if (l->kind[0])
			jw_str(w, "info_kind", l->kind);
		if (l->slave_kind[0])
			jw_str(w, "info_slave_kind", l->slave_kind);
		jw_close(w, '}');
	}
	if (d->peers && d->peers[l - d->links].found)
		json_peer(w, &d->peers[l - d->links]);
	if (addrs) {
		jw_open(w, "addr_info", '[');
		for (i = l->first_addr; i >= 0;) {
			i = nj_dump_addr(d, i, &a);
			json_addr(w, &a);
		}
		jw_close(w, ']');
	}
	out_stats_json(w, l, o->stats);
}

static void json_link(struct jw *w, const struct nj_dump *d,
		      const struct nj_link *l, const struct out_opts *o)
{
	jw_open(w, NULL, '{');
	out_link_json(w, d, l, o, true);
	jw_close(w, '}');
}

void out_addr_json(struct jw *w, const struct nj_addr *a)
{
	json_addr(w, a);
}

static void json_target(struct jw *w, const struct out_target *ot)
{
	const struct nj_target *t = ot->t;
	char buf[64];

	jw_open(w, "target", '{');
	jw_str(w, "spec", t->spec);
	jw_str(w, "kind", t->kind);
	if (t->runtime)
		jw_str(w, "runtime", t->runtime);
	jw_str_set(w, "namespace", t->ns);
	jw_str_set(w, "id", t->id);
	jw_str_set(w, "name", t->name);
	jw_str_set(w, "user", t->user);
	if (t->pod_name[0]) {
		jw_open(w, "pod", '{');
		jw_str(w, "name", t->pod_name);
		jw_str(w, "namespace", t->pod_ns);
		jw_str_set(w, "uid", t->pod_uid);
		jw_close(w, '}');
	}
	if (t->pid)
		jw_int(w, "pid", t->pid);
	jw_str_set(w, "path", t->path);
	jw_str_set(w, "network_mode", t->network_mode);
	jw_str_set(w, "note", t->note);
	if (t->source)
		jw_str(w, "source", t->source);
	jw_str(w, "joined", t->handle == NJ_HANDLE_PIDFD ? "pidfd"
			    : t->handle == NJ_HANDLE_NSFS ? "nsfs" : "none");
	snprintf(buf, sizeof(buf), "net:[%llu]", ot->netns_inode);
	jw_str(w, "netns", buf);
	jw_uint(w, "netns_inode", ot->netns_inode);
	jw_close(w, '}');
}

void out_json(FILE *f, const struct out_target *ot, const struct nj_dump *d,
	      const struct out_opts *o, const struct out_section *secs,
	      size_t nsecs)
{
	struct jw w = JW_INIT(f);
	size_t i;

	/* JSON carries every field but the counters, which are asked for */
	flockfile(f); /* once, for the writers' unlocked calls */
	jw_open(&w, NULL, '{');
	json_target(&w, ot);
	jw_open(&w, "interfaces", '[');
	for (i = 0; i < d->nlinks; i++)
		json_link(&w, d, &d->links[i], o);
	jw_close(&w, ']');
	for (i = 0; i < nsecs; i++) {
		jw_open(&w, secs[i].key, '[');
		secs[i].json(&w, secs[i].data, d);
		jw_close(&w, ']');
	}
	jw_close(&w, '}');
	putc_unlocked('\n', f);
	funlockfile(f);
}
