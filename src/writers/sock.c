/* The sockets section: JSON elements and ss -tuanp's text lines, from one
 * set of names and endpoint spellings (ss -n's). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "netjoin/esc.h"
#include "netjoin/jw.h"
#include "netjoin/model.h"
#include "netjoin/out.h"
#include "netjoin/out_sock.h"
#include "netjoin/sock.h"

const char *out_sock_netid(uint8_t protocol)
{
	switch (protocol) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	}
	return "???"; /* ss's word for a protocol it has no name for */
}

const char *out_sock_state(uint8_t state)
{
	/* ss's sstate_name, indexed by the kernel's TCP_* states */
	static const char *const names[] = {
		[1] = "ESTAB",       [2] = "SYN-SENT",  [3] = "SYN-RECV",
		[4] = "FIN-WAIT-1",  [5] = "FIN-WAIT-2", [6] = "TIME-WAIT",
		[7] = "UNCONN",      [8] = "CLOSE-WAIT", [9] = "LAST-ACK",
		[10] = "LISTEN",     [11] = "CLOSING",
	};

	if (state < sizeof(names) / sizeof(names[0]) && names[state])
		return names[state];
	return "UNKNOWN";
}

/* An endpoint's address as ss -n writes it, with "%ifname" for a local
 * one bound to an interface, and its port ("*" for 0), separately: the
 * text columns align them apart. */
static void endpoint_parts(const struct nj_sock *sk, int local,
			   const struct nj_dump *d, char *abuf, size_t asz,
			   char *pbuf, size_t psz)
{
	const uint8_t *a = local ? sk->local : sk->peer;
	uint16_t port = local ? sk->lport : sk->pport;
	char ip[INET6_ADDRSTRLEN] = "?";
	const struct nj_link *l;
	size_t n;

	inet_ntop(sk->family, a, ip, sizeof(ip));
	if (sk->family == AF_INET)
		n = (size_t)snprintf(abuf, asz, "%s", ip);
	else if (!sk->v6only && !memcmp(a, &in6addr_any, 16))
		n = (size_t)snprintf(abuf, asz, "*");
	else
		n = (size_t)snprintf(abuf, asz, "[%s]", ip);
	if (local && sk->ifindex && n < asz) {
		l = d ? nj_dump_link(d, (int32_t)sk->ifindex) : NULL;
		if (l)
			snprintf(abuf + n, asz - n, "%%%s", l->ifname);
		else
			snprintf(abuf + n, asz - n, "%%if%u", sk->ifindex);
	}
	if (port)
		snprintf(pbuf, psz, "%u", port);
	else
		snprintf(pbuf, psz, "*");
}

#define ADDR_MAX (INET6_ADDRSTRLEN + IF_NAMESIZE + 8)

const char *out_sock_endpoint(const struct nj_sock *sk, bool local,
			      const struct nj_dump *d, char *buf, size_t sz)
{
	char a[ADDR_MAX], p[8];

	endpoint_parts(sk, local, d, a, sizeof(a), p, sizeof(p));
	snprintf(buf, sz, "%s:%s", a, p);
	return buf;
}

static void json_endpoint(struct jw *w, const char *key,
			  const struct nj_sock *sk, int local,
			  const struct nj_dump *d)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	const struct nj_link *l;

	inet_ntop(sk->family, local ? sk->local : sk->peer, ip, sizeof(ip));
	jw_open(w, key, '{');
	jw_str(w, "address", ip);
	jw_uint(w, "port", local ? sk->lport : sk->pport);
	if (local && sk->ifindex) {
		l = d ? nj_dump_link(d, (int32_t)sk->ifindex) : NULL;
		if (l) {
			jw_str(w, "interface", l->ifname);
		} else {
			snprintf(ip, sizeof(ip), "if%u", sk->ifindex);
			jw_str(w, "interface", ip);
		}
	}
	jw_close(w, '}');
}

void out_sockets_json(struct jw *w, const void *socks,
		      const struct nj_dump *d)
{
	const struct nj_socks *s = socks;
	const struct nj_sock *sk;
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		sk = &s->v[i];
		jw_open(w, NULL, '{');
		jw_str(w, "netid", out_sock_netid(sk->protocol));
		jw_str(w, "state", out_sock_state(sk->state));
		jw_uint(w, "recv_q", sk->rqueue);
		jw_uint(w, "send_q", sk->wqueue);
		json_endpoint(w, "local", sk, 1, d);
		json_endpoint(w, "peer", sk, 0, d);
		if (sk->has_v6only)
			jw_lit(w, "v6only", sk->v6only ? "true" : "false");
		jw_uint(w, "inode", sk->inode);
		jw_uint(w, "uid", sk->uid);
		jw_open(w, "users", '[');
		for (j = 0; j < sk->nowners; j++) {
			jw_open(w, NULL, '{');
			jw_int(w, "pid", sk->owners[j].pid);
			jw_str(w, "comm", sk->owners[j].comm);
			jw_int(w, "fd", sk->owners[j].fd);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
}

/* Column widths: ss's (Recv-Q and Send-Q at least 6), widened to the
 * longest value; addresses right-aligned against their ports. */
struct widths {
	int netid, state, rq, sq, laddr, lport, paddr, pport;
};

static void widen(int *w, size_t n)
{
	if ((int)n > *w)
		*w = (int)n;
}

static void measure(const struct nj_socks *s, const struct nj_dump *d,
		    struct widths *w)
{
	char a[ADDR_MAX], p[8], num[16];
	const struct nj_sock *sk;
	size_t i;

	*w = (struct widths){ 5, 5, 6, 6, 1, 1, 1, 1 };
	for (i = 0; i < s->n; i++) {
		sk = &s->v[i];
		widen(&w->netid, strlen(out_sock_netid(sk->protocol)));
		widen(&w->state, strlen(out_sock_state(sk->state)));
		widen(&w->rq, (size_t)snprintf(num, sizeof(num), "%u",
					       sk->rqueue));
		widen(&w->sq, (size_t)snprintf(num, sizeof(num), "%u",
					       sk->wqueue));
		endpoint_parts(sk, 1, d, a, sizeof(a), p, sizeof(p));
		widen(&w->laddr, strlen(a));
		widen(&w->lport, strlen(p));
		endpoint_parts(sk, 0, d, a, sizeof(a), p, sizeof(p));
		widen(&w->paddr, strlen(a));
		widen(&w->pport, strlen(p));
	}
}

static void text_users(FILE *f, const struct nj_sock *sk)
{
	size_t j;

	fputs(" users:(", f);
	for (j = 0; j < sk->nowners; j++) {
		fputs(j ? ",(\"" : "(\"", f);
		/* one line per socket, whatever a process calls itself */
		esc_fputs(f, sk->owners[j].comm);
		fprintf(f, "\",pid=%d,fd=%d)", sk->owners[j].pid,
			sk->owners[j].fd);
	}
	putc(')', f);
}

void out_sockets_text(FILE *f, const void *socks, const struct nj_dump *d,
		      const struct out_opts *o)
{
	const struct nj_socks *s = socks;
	char la[ADDR_MAX], lp[8], pa[ADDR_MAX], pp[8];
	const struct nj_sock *sk;
	struct widths w;
	int more;
	size_t i;

	fputs("sockets:\n", f);
	measure(s, d, &w);
	for (i = 0; i < s->n; i++) {
		sk = &s->v[i];
		endpoint_parts(sk, 1, d, la, sizeof(la), lp, sizeof(lp));
		endpoint_parts(sk, 0, d, pa, sizeof(pa), pp, sizeof(pp));
		more = sk->nowners || (o && o->details);
		fprintf(f, "%-*s %-*s %-*u %-*u %*s:%-*s %*s:%-*s", w.netid,
			out_sock_netid(sk->protocol), w.state,
			out_sock_state(sk->state), w.rq, sk->rqueue, w.sq,
			sk->wqueue, w.laddr, la, w.lport, lp, w.paddr, pa,
			more ? w.pport : 0, pp);
		if (sk->nowners)
			text_users(f, sk);
		if (o && o->details) {
			if (sk->uid)
				fprintf(f, " uid:%u", sk->uid);
			fprintf(f, " ino:%u", sk->inode);
		}
		putc('\n', f);
	}
}
