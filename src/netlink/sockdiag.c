/* TCP and UDP sockets over NETLINK_SOCK_DIAG: the socket list, the pure
 * inet_diag_msg decoder, and the four dumps ss makes (UDP then TCP, IPv4
 * then IPv6). The socket and the dump loop are netlink_open/netlink_dump_run's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include "netjoin/nl.h"
#include "nlattr.h"
#include "netjoin/sock.h"
#include "netjoin/vec.h"

/* ss's state masks: -a is every state it names (SS_ALL, 12 bits: not the
 * kernel's NEW_SYN_RECV or BOUND_INACTIVE pseudo-states), -l is LISTEN
 * and CLOSE (TCP_LISTEN 10, TCP_CLOSE 7). */
#define STATES_ALL 0xfffu
#define STATES_LISTENING ((1u << 10) | (1u << 7))

void nj_socks_truncate(struct nj_socks *s, size_t n)
{
	size_t i;

	if (!s || n >= s->n)
		return;
	for (i = n; i < s->n; i++)
		free(s->v[i].owners);
	s->n = n;
}

void nj_socks_free(struct nj_socks *s)
{
	if (!s)
		return;
	nj_socks_truncate(s, 0);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

int nj_socks_push(struct nj_socks *s, const struct nj_sock *sk)
{
	struct nj_sock *p = VEC_PUSH(s->v, s->n, s->cap, 32);

	if (!p)
		return -ENOMEM;
	*p = *sk;
	p->owners = NULL;
	p->nowners = p->owners_cap = 0;
	return 0;
}

int nj_sock_add_owner(struct nj_sock *sk, int32_t pid, int32_t fd,
		      const char *comm)
{
	struct nj_sock_owner *o = VEC_PUSH(sk->owners, sk->nowners,
					    sk->owners_cap, 2);
	size_t n;

	if (!o)
		return -ENOMEM;
	o->pid = pid;
	o->fd = fd;
	n = strnlen(comm, sizeof(o->comm) - 1);
	memcpy(o->comm, comm, n);
	o->comm[n] = '\0';
	return 0;
}

int netlink_decode_sock(const struct nlmsghdr *nlh, uint8_t protocol,
		   struct nj_sock *out)
{
	const struct nlattr *tb[INET_DIAG_MAX + 1];
	const struct inet_diag_msg *m;
	struct nj_sock sk;
	size_t alen;
	uint8_t u = 0;
	int r;

	if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)
		return -EINVAL;
	m = netlink_msg_parse_inet(nlh, SOCK_DIAG_BY_FAMILY, sizeof(*m), tb,
				   INET_DIAG_MAX, &r);
	if (!m)
		return -EINVAL; /* another family too */
	alen = m->idiag_family == AF_INET ? 4 : 16;
	memset(&sk, 0, sizeof(sk));
	sk.protocol = protocol;
	sk.family = m->idiag_family;
	sk.state = m->idiag_state;
	memcpy(sk.local, m->id.idiag_src, alen);
	memcpy(sk.peer, m->id.idiag_dst, alen);
	sk.lport = ntohs(m->id.idiag_sport);
	sk.pport = ntohs(m->id.idiag_dport);
	sk.ifindex = m->id.idiag_if;
	sk.inode = m->idiag_inode;
	sk.uid = m->idiag_uid;
	sk.rqueue = m->idiag_rqueue;
	sk.wqueue = m->idiag_wqueue;
	/* Sent by kernels that serve several protocols from one table; it
	 * must be the one asked for. */
	r = netlink_attr_u8(tb[INET_DIAG_PROTOCOL], &u);
	if (r < 0 || (r > 0 && u != protocol))
		return -EINVAL;
	if (sk.family == AF_INET6) {
		r = netlink_attr_u8(tb[INET_DIAG_SKV6ONLY], &u);
		if (r < 0)
			return -EINVAL;
		sk.has_v6only = r > 0;
		sk.v6only = r > 0 && u;
	}
	*out = sk;
	return 0;
}

struct sock_dump {
	struct nj_socks *out;
	size_t start; /* sockets before this dump: kept on a retry */
	uint8_t protocol;
	int err;
};

static int sock_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sock_dump *st = data;
	struct nj_sock sk;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return MNL_CB_OK;
	if (netlink_decode_sock(nlh, st->protocol, &sk) < 0)
		return MNL_CB_OK; /* malformed: leave it out */
	if (nj_socks_push(st->out, &sk) < 0) {
		st->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static void reset_socks(void *data)
{
	struct sock_dump *st = data;

	nj_socks_truncate(st->out, st->start);
}

static int dump_one(struct mnl_socket *nl, uint8_t protocol, uint8_t family,
		    uint32_t states, struct nj_socks *out)
{
	union {
		struct nlmsghdr nlh;
		char buf[MNL_NLMSG_HDRLEN +
			 MNL_ALIGN(sizeof(struct inet_diag_req_v2))];
	} req;
	struct sock_dump st = { out, out->n, protocol, 0 };
	struct inet_diag_req_v2 *r;
	struct nlmsghdr *nlh;
	int err;

	r = netlink_req_init(req.buf, sizeof(req), SOCK_DIAG_BY_FAMILY,
			     sizeof(*r), &nlh);
	r->sdiag_family = family;
	r->sdiag_protocol = protocol;
	r->idiag_states = states;
	err = netlink_dump_run(nl, nlh, sock_cb, reset_socks, &st);
	if (st.err)
		return st.err;
	/* sock_diag's answer when no module serves the protocol */
	return err == -ENOENT ? -EPROTONOSUPPORT : err;
}

int netlink_dump_sockets(struct mnl_socket *nl, bool listening_only,
		    struct nj_socks *out)
{
	static const struct {
		uint8_t protocol, family;
	} dumps[] = {
		{ IPPROTO_UDP, AF_INET },
		{ IPPROTO_UDP, AF_INET6 },
		{ IPPROTO_TCP, AF_INET },
		{ IPPROTO_TCP, AF_INET6 },
	};
	uint32_t states = listening_only ? STATES_LISTENING : STATES_ALL;
	size_t i;
	int r;

	nj_socks_truncate(out, 0);
	for (i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		r = dump_one(nl, dumps[i].protocol, dumps[i].family, states,
			     out);
		if (r < 0)
			return r;
	}
	return 0;
}
