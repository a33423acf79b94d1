/* Writers of the node-wide inventory (-L) and of --find. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <net/if_arp.h>
#include "netjoin/inventory.h"
#include "netjoin/esc.h"
#include "netjoin/fit.h"
#include "netjoin/jw.h"
#include "netjoin/out.h"
#include "netjoin/out_event.h"

static const char *cidr(const struct nj_addr *a, char *buf, size_t sz)
{
	char ip[INET6_ADDRSTRLEN];

	out_ip(a->family, a->local, ip, sizeof(ip));
	snprintf(buf, sz, "%s/%u", ip, a->prefixlen);
	return buf;
}

static int is_loopback(const struct nj_link *l)
{
	return l->type == ARPHRD_LOOPBACK;
}

/* "docker web, docker sidecar", or the first process, made in raw (sz
 * bytes) and escaped into buf: names and process titles come from
 * outside. */
const char *out_list_owners_str(const struct nj_nsrec *r, char *raw,
				char *buf, size_t sz)
{
	return esc_str(buf, sz, nsrec_who(r, raw, sz));
}

/* Announce the row's addresses to ft: those of every link but loopback,
 * each as " ADDR/LEN". */
static void row_measure(const struct nj_dump *d, struct fit *ft)
{
	char buf[64];
	struct nj_addr a;
	size_t j;
	int32_t k;

	for (j = 0; j < d->nlinks; j++) {
		if (is_loopback(&d->links[j]))
			continue;
		for (k = d->links[j].first_addr; k >= 0;) {
			k = nj_dump_addr(d, k, &a);
			fit_add(ft, 1 + strlen(cidr(&a, buf, sizeof(buf))));
		}
	}
}

/* One address of the row, " ADDR/LEN", if it fits. */
static void addr_text(FILE *f, struct fit *ft, const struct nj_addr *a)
{
	char buf[64];

	if (ft->cut)
		return; /* the rest of 20,000 need not be formatted */
	cidr(a, buf, sizeof(buf));
	if (fit_item(ft, 1 + strlen(buf)))
		fprintf(f, " %s", buf);
}

void out_list_text(FILE *f, const struct nj_inventory *inv,
		   const struct out_opts *o)
{
	char t[700], te[700], buf[64], raw[600], own[600], more[64];
	struct fit ft;
	size_t i, j;
	struct nj_addr a;
	int32_t k;
	int used;

	fprintf(f, "%-18s %-30s %-4s %-40s %s\n", "NETNS", "TARGET", "IFS",
		"OWNERS", "ADDRESSES");
	for (i = 0; i < inv->n; i++) {
		const struct nj_nsrec *r = &inv->v[i];
		const struct nj_dump *d = &r->dump;

		/* every field is escaped already: what fprintf counts is
		 * what the terminal shows, as fit_cols counts it */
		snprintf(buf, sizeof(buf), "net:[%llu]", r->ino);
		used = fprintf(f, "%-18s %-30s ", buf,
			       esc_str(te, sizeof(te),
				       nsrec_target(r, t, sizeof(t))));
		if (r->dump_err)
			used += fprintf(f, "%-4s ", "?");
		else
			used += fprintf(f, "%-4zu ", d->nlinks);
		used += fprintf(f, "%-40s",
				out_list_owners_str(r, raw, own, sizeof(own)));
		fit_start(&ft, o->width, used > 0 ? (size_t)used : 0, o->utf8);
		if (o->width)
			row_measure(d, &ft);
		for (j = 0; j < d->nlinks; j++) {
			if (is_loopback(&d->links[j]))
				continue;
			for (k = d->links[j].first_addr; k >= 0;) {
				k = nj_dump_addr(d, k, &a);
				addr_text(f, &ft, &a);
			}
		}
		fputs(fit_more(&ft, more, sizeof(more)), f);
		putc('\n', f);
	}
}

void out_list_owners_json(struct jw *w, const struct nj_nsrec *r)
{
	size_t i;

	jw_open(w, "owners", '[');
	for (i = 0; i < r->nowners; i++) {
		const struct nj_owner *o = &r->owners[i];

		jw_open(w, NULL, '{');
		jw_str(w, "runtime", o->runtime);
		jw_str(w, "id", o->id);
		jw_str(w, "name", o->name);
		jw_str_set(w, "user", o->user);
		if (o->pod_name[0]) {
			jw_open(w, "pod", '{');
			jw_str(w, "name", o->pod_name);
			jw_str(w, "namespace", o->pod_ns);
			jw_close(w, '}');
		}
		jw_str(w, "target", o->target);
		if (o->guest)
			jw_lit(w, "guest", "true");
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void nsrec_json_head(struct jw *w, const struct nj_nsrec *r)
{
	char t[700], buf[64];

	snprintf(buf, sizeof(buf), "net:[%llu]", r->ino);
	jw_str(w, "netns", buf);
	jw_uint(w, "netns_inode", r->ino);
	jw_str(w, "target", nsrec_target(r, t, sizeof(t)));
	if (r->is_host)
		jw_lit(w, "host", "true");
	out_list_owners_json(w, r);
}

void out_list_json(FILE *f, const struct nj_inventory *inv)
{
	struct jw w = JW_INIT(f);
	char buf[64], hw[64];
	size_t i, j;
	struct nj_addr a;
	int32_t k;

	jw_open(&w, NULL, '{');
	jw_open(&w, "namespaces", '[');
	for (i = 0; i < inv->n; i++) {
		const struct nj_nsrec *r = &inv->v[i];
		const struct nj_dump *d = &r->dump;

		jw_open(&w, NULL, '{');
		nsrec_json_head(&w, r);
		if (r->mount)
			jw_str(&w, "mount", r->mount);
		jw_open(&w, "processes", '{');
		jw_uint(&w, "count", r->nprocs);
		if (r->pid) {
			jw_int(&w, "pid", r->pid);
			jw_str(&w, "comm", r->comm);
		}
		jw_close(&w, '}');
		if (r->dump_err) {
			jw_str(&w, "error", strerror(-r->dump_err));
			jw_close(&w, '}');
			continue;
		}
		jw_open(&w, "interfaces", '[');
		for (j = 0; j < d->nlinks; j++) {
			const struct nj_link *l = &d->links[j];

			jw_open(&w, NULL, '{');
			jw_int(&w, "ifindex", l->ifindex);
			jw_str(&w, "ifname", l->ifname);
			if (l->addr_len)
				jw_str(&w, "address",
				       out_hwaddr(l->type, l->addr, l->addr_len,
						  hw, sizeof(hw)));
			jw_open(&w, "addresses", '[');
			for (k = l->first_addr; k >= 0;) {
				k = nj_dump_addr(d, k, &a);
				jw_str(&w, NULL, cidr(&a, buf, sizeof(buf)));
			}
			jw_close(&w, ']');
			jw_close(&w, '}');
		}
		jw_close(&w, ']');
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	putc('\n', f);
}

struct hit {
	const struct nj_nsrec *r;
	const struct nj_link *l;
	const struct nj_addr *a; /* NULL: the link's MAC matched */
};

static void hit_text(FILE *f, const struct hit *h)
{
	char t[700], te[700], ns[64], buf[64], hw[64], raw[600], own[600];

	snprintf(ns, sizeof(ns), "net:[%llu]", h->r->ino);
	fprintf(f, "%-18s %-30s %-16s %s  ", ns,
		esc_str(te, sizeof(te), nsrec_target(h->r, t, sizeof(t))),
		h->l->ifname,
		h->a ? cidr(h->a, buf, sizeof(buf))
		     : out_hwaddr(h->l->type, h->l->addr, h->l->addr_len, hw,
				  sizeof(hw)));
	fputs(out_list_owners_str(h->r, raw, own, sizeof(own)), f);
	putc('\n', f);
}

static void hit_json(struct jw *w, const struct hit *h)
{
	char buf[64], hw[64];

	jw_open(w, NULL, '{');
	nsrec_json_head(w, h->r);
	jw_int(w, "ifindex", h->l->ifindex);
	jw_str(w, "ifname", h->l->ifname);
	if (h->a)
		jw_str(w, "match", cidr(h->a, buf, sizeof(buf)));
	else
		jw_str(w, "match", out_hwaddr(h->l->type, h->l->addr,
					      h->l->addr_len, hw, sizeof(hw)));
	jw_close(w, '}');
}

size_t out_find(FILE *f, const struct nj_inventory *inv,
		const struct nj_query *q, int json)
{
	struct jw w = JW_INIT(f);
	size_t i, j, n = 0;
	struct nj_addr a;
	int32_t k;

	if (json) {
		jw_open(&w, NULL, '{');
		jw_open(&w, "matches", '[');
	}
	for (i = 0; i < inv->n; i++) {
		const struct nj_dump *d = &inv->v[i].dump;

		for (j = 0; j < d->nlinks; j++) {
			const struct nj_link *l = &d->links[j];
			struct hit h = { &inv->v[i], l, NULL };

			if (q->kind == NJ_Q_MAC) {
				if (l->addr_len != 6 || memcmp(l->addr, q->mac, 6))
					continue;
				n++;
				json ? hit_json(&w, &h) : hit_text(f, &h);
				continue;
			}
			for (k = l->first_addr; k >= 0;) {
				k = nj_dump_addr(d, k, &a);
				if (!query_match_ip(q, a.family, a.local))
					continue;
				h.a = &a;
				n++;
				json ? hit_json(&w, &h) : hit_text(f, &h);
			}
		}
	}
	if (json) {
		jw_close(&w, ']');
		jw_close(&w, '}');
		putc('\n', f);
	}
	return n;
}

void out_event_netns(FILE *f, bool json, const struct timespec *ts,
		     const struct out_event_src *s, const struct nj_nsrec *r)
{
	struct jw w = JW_INIT(f);
	char t[64], raw[1024], own[1024];

	out_event_time(t, sizeof(t), ts, json);
	flockfile(f);
	if (json) {
		jw_open(&w, NULL, '{');
		jw_str(&w, "time", t);
		jw_str(&w, "target", s->target);
		snprintf(t, sizeof(t), "net:[%llu]", s->netns_inode);
		jw_str(&w, "netns", t);
		jw_str(&w, "event", r ? "new" : "del");
		jw_str(&w, "kind", "netns");
		jw_uint(&w, "netns_inode", s->netns_inode);
		if (r) {
			if (r->is_host)
				jw_lit(&w, "host", "true");
			out_list_owners_json(&w, r);
		}
		jw_close(&w, '}');
	} else {
		fprintf(f, "[%s] [%s] %snetns net:[%llu]", t, s->target,
			r ? "" : "Deleted ", s->netns_inode);
		if (r)
			fprintf(f, " %s", out_list_owners_str(r, raw, own, sizeof(own)));
	}
	putc_unlocked('\n', f);
	funlockfile(f);
}
