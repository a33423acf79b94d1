/* The netlink decoders (nl.h, route.h, sock.h) and the writers over what
 * they decode.
 *
 * The input is a run of netlink messages, walked as the dump loop walks a
 * recv() buffer (mnl_nlmsg_ok: a header, and an nlmsg_len that fits what
 * is left; mnl_nlmsg_next: on at the aligned length). Each message is copied into a block of
 * exactly nlmsg_len bytes, which is all a decoder may read, and offered to
 * every decoder: each checks the type itself (RTM_NEWADDR and
 * SOCK_DIAG_BY_FAMILY are both 20), and a recording's NLMSG_DONE does not
 * stop the walk, so recordings can be concatenated. Every decoder writes
 * into a heap block of exactly its output struct.
 *
 * What decodes becomes one namespace (links, addresses, routes,
 * neighbours, sockets with an owner each, peers for links in another
 * namespace), written as brief, text (plain and -d) and JSON with every
 * section; the JSON must parse. Beyond not crashing, the documented
 * promises are checked: the error codes each decoder may return, and that
 * netlink_decode_route/neigh/sock leave *out alone on failure. */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <jansson.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include "fuzz.h"
#include "netjoin/jw.h"
#include "netjoin/nl.h"
#include "netjoin/out.h"
#include "netjoin/out_route.h"
#include "netjoin/out_sock.h"
#include "netjoin/sockowners.h"
#include "netjoin/target.h"

/* more than a 4 KiB input can hold (16 bytes each at least) */
#define MAX_MSGS 512
#define POISON 0xa5

struct ns {
	struct nj_dump d;
	struct nj_routes routes;
	struct nj_neighs neighs;
	struct nj_socks socks;
};

/* A heap block of n bytes, each POISON. */
static void *poisoned(size_t n)
{
	void *p = malloc(n);

	if (!p)
		abort();
	memset(p, POISON, n);
	return p;
}

static bool untouched(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i] != POISON)
			return false;
	return true;
}

static void decode_link(struct ns *ns, const struct nlmsghdr *nlh)
{
	struct nj_link *l = poisoned(sizeof(*l)), *slot;
	int rc = netlink_decode_link(nlh, l);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0) {
		FUZZ_CHECK(memchr(l->ifname, '\0', sizeof(l->ifname)));
		FUZZ_CHECK(memchr(l->qdisc, '\0', sizeof(l->qdisc)));
		FUZZ_CHECK(memchr(l->kind, '\0', sizeof(l->kind)));
		FUZZ_CHECK(memchr(l->slave_kind, '\0', sizeof(l->slave_kind)));
		FUZZ_CHECK(l->addr_len <= NJ_HWADDR_MAX &&
			   l->brd_len <= NJ_HWADDR_MAX &&
			   l->perm_len <= NJ_HWADDR_MAX);
		if ((slot = nj_dump_new_link(&ns->d)))
			*slot = *l;
	}
	free(l);
}

/* out_ip, the writers' own formatter, says what inet_ntop says. */
static void same_ip(int family, const uint8_t *a)
{
	char mine[INET6_ADDRSTRLEN], libc[INET6_ADDRSTRLEN];

	FUZZ_CHECK(inet_ntop(family, a, libc, sizeof(libc)));
	FUZZ_CHECK(out_ip(family, a, mine, sizeof(mine)) == mine);
	if (strcmp(mine, libc)) {
		fprintf(stderr, "out_ip wrote %s, inet_ntop %s\n", mine, libc);
		abort();
	}
}

static void decode_addr(struct ns *ns, const struct nlmsghdr *nlh)
{
	struct nj_addr *a = poisoned(sizeof(*a)), *slot;
	int rc = netlink_decode_addr(nlh, a);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -EAFNOSUPPORT);
	if (rc == 0) {
		FUZZ_CHECK(a->family == AF_INET || a->family == AF_INET6);
		FUZZ_CHECK(a->prefixlen <= (a->family == AF_INET ? 32 : 128));
		FUZZ_CHECK(memchr(a->label, '\0', sizeof(a->label)));
		same_ip(a->family, a->local);
		same_ip(a->family, a->address);
		if ((slot = nj_dump_new_addr(&ns->d)))
			*slot = *a;
	}
	free(a);
}

static void decode_route(struct ns *ns, const struct nlmsghdr *nlh)
{
	struct nj_route *r = poisoned(sizeof(*r)), *v;
	struct nj_routes *rs = &ns->routes;
	int rc = netlink_decode_route(nlh, r);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -EAFNOSUPPORT ||
		   rc == -ENOMEM);
	if (rc < 0) {
		FUZZ_CHECK(untouched(r, sizeof(*r)));
		free(r);
		return;
	}
	FUZZ_CHECK(r->family == AF_INET || r->family == AF_INET6);
	FUZZ_CHECK(memchr(r->congctl, '\0', sizeof(r->congctl)));
	FUZZ_CHECK(!r->nnexthops || r->nexthops);
	if (rs->n == rs->cap) {
		v = realloc(rs->v, (rs->cap ? rs->cap * 2 : 16) * sizeof(*v));
		if (!v) {
			nj_route_free(r);
			free(r);
			return;
		}
		rs->v = v;
		rs->cap = rs->cap ? rs->cap * 2 : 16;
	}
	rs->v[rs->n++] = *r; /* its nexthops now the list's */
	free(r);
}

static void decode_neigh(struct ns *ns, const struct nlmsghdr *nlh)
{
	struct nj_neigh *n = poisoned(sizeof(*n)), *v;
	struct nj_neighs *nn = &ns->neighs;
	int rc = netlink_decode_neigh(nlh, n);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -EAFNOSUPPORT ||
		   rc == -ENOENT);
	if (rc < 0) {
		FUZZ_CHECK(untouched(n, sizeof(*n)));
		free(n);
		return;
	}
	FUZZ_CHECK(n->family == AF_INET || n->family == AF_INET6);
	FUZZ_CHECK(n->lladdr_len <= NJ_HWADDR_MAX);
	if (nn->n == nn->cap) {
		v = realloc(nn->v, (nn->cap ? nn->cap * 2 : 16) * sizeof(*v));
		if (!v) {
			free(n);
			return;
		}
		nn->v = v;
		nn->cap = nn->cap ? nn->cap * 2 : 16;
	}
	nn->v[nn->n++] = *n;
	free(n);
}

/* A socket as both protocols (the message does not say which), and as
 * one that is neither, which must be refused. Each that decodes gets an
 * owner whose comm is made of the message's own bytes, as
 * sockowners_parse_comm would read them from /proc/PID/comm. */
static void decode_sock(struct ns *ns, const struct nlmsghdr *nlh)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP,
					  IPPROTO_ICMP };
	const char *payload = (const char *)nlh + MNL_NLMSG_HDRLEN;
	size_t plen = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
	struct nj_sock *sk;
	char comm[64];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(protos); i++) {
		sk = poisoned(sizeof(*sk));
		rc = netlink_decode_sock(nlh, protos[i], sk);
		FUZZ_CHECK(rc == 0 || rc == -EINVAL);
		FUZZ_CHECK(rc < 0 || protos[i] != IPPROTO_ICMP);
		if (rc < 0) {
			FUZZ_CHECK(untouched(sk, sizeof(*sk)));
		} else {
			FUZZ_CHECK(sk->family == AF_INET ||
				   sk->family == AF_INET6);
			FUZZ_CHECK(!sk->owners && !sk->nowners);
			if (nj_socks_push(&ns->socks, sk) == 0) {
				sockowners_parse_comm(payload,
						  plen < 24 ? plen : 24, comm,
						  sizeof(comm));
				nj_sock_add_owner(&ns->socks.v[ns->socks.n - 1],
						  (int32_t)sk->inode,
						  (int32_t)sk->uid, comm);
			}
		}
		free(sk);
	}
}

/* What peers_resolve would find for a link in another namespace, made of
 * other decoded values: names, kinds and a qdisc as strings. */
static void fake_peers(struct nj_dump *d)
{
	const struct nj_link *l, *other;
	struct nj_peer *p;
	size_t i;

	if (!d->nlinks || !(d->peers = calloc(d->nlinks, sizeof(*d->peers))))
		return;
	for (i = 0; i < d->nlinks; i++) {
		l = &d->links[i];
		if (!l->has_link_netnsid)
			continue;
		other = &d->links[(i + 1) % d->nlinks];
		p = &d->peers[i];
		p->found = true;
		p->ifindex = (int32_t)l->link;
		snprintf(p->ifname, sizeof(p->ifname), "%s", other->ifname);
		snprintf(p->master, sizeof(p->master), "%.15s", l->kind);
		p->netns_inode = (unsigned long long)l->link_netnsid;
		snprintf(p->target, sizeof(p->target), "netns:%s", l->qdisc);
		snprintf(p->owner, sizeof(p->owner), "%s", l->slave_kind);
	}
}

/* The numbers the JSON writer formats itself read back as the values:
 * each interface's ifindex (signed) and mtu (unsigned). */
static void same_numbers(json_t *j, const struct nj_dump *d)
{
	json_t *ifs = json_object_get(j, "interfaces"), *i;
	size_t k;

	FUZZ_CHECK(json_is_array(ifs) && json_array_size(ifs) == d->nlinks);
	json_array_foreach(ifs, k, i) {
		FUZZ_CHECK(json_integer_value(json_object_get(i, "ifindex")) ==
			   d->links[k].ifindex);
		if (d->links[k].has_mtu)
			FUZZ_CHECK(json_integer_value(json_object_get(i, "mtu")) ==
				   (json_int_t)d->links[k].mtu);
	}
}

static void write_json(const struct out_target *ot, const struct nj_dump *d,
		       const struct out_opts *o,
		       const struct out_section *secs, size_t nsecs)
{
	json_error_t err;
	char *buf = NULL;
	size_t len = 0;
	json_t *j;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	out_json(f, ot, d, o, secs, nsecs);
	FUZZ_CHECK(fclose(f) == 0);
	j = json_loadb(buf, len, 0, &err);
	if (!j) {
		fprintf(stderr, "out_json wrote invalid JSON (%s at %d):\n%s\n",
			err.text, err.position, buf);
		abort();
	}
	same_numbers(j, d);
	json_decref(j);
	free(buf);
}

static void write_all(struct ns *ns)
{
	const struct out_section secs[] = {
		{ "routes", out_routes_json, out_routes_text, &ns->routes },
		{ "neighbors", out_neighs_json, out_neighs_text, &ns->neighs },
		{ "sockets", out_sockets_json, out_sockets_text, &ns->socks },
	};
	const size_t nsecs = sizeof(secs) / sizeof(secs[0]);
	struct out_opts plain = { 0 }, details = { .details = 1 };
	struct nj_target t;
	struct out_target ot = { &t, 4026531992ULL };
	FILE *null = fuzz_devnull();

	target_init(&t, "fuzz");
	t.kind = "container";
	t.runtime = "docker";
	t.source = "api";
	t.pid = 4242;
	snprintf(t.id, sizeof(t.id), "4ddf4638572d");
	snprintf(t.name, sizeof(t.name), "web");

	out_brief(null, &ns->d);
	out_text(null, &ot, &ns->d, &plain, secs, nsecs);
	/* one table asked for: the writers then name no route's table */
	ns->routes.table = RT_TABLE_MAIN;
	out_text(null, &ot, &ns->d, &details, secs, nsecs);
	write_json(&ot, &ns->d, &details, secs, nsecs);
	ns->routes.table = 0;
	write_json(&ot, &ns->d, &plain, secs, nsecs);
	/* the sockets writers also take no links at all */
	out_sockets_text(null, &ns->socks, NULL, &details);
}

/* The next message at off, or NULL: what mnl_nlmsg_ok lets through, but
 * unsigned. libmnl compares (int)nlmsg_len <= len, so it takes a length
 * of 2 GiB or more (negative as an int) for one that fits; netlink_dump_run's
 * mnl_cb_run would then hand the decoders a message longer than the
 * buffer. Only the kernel writes these, so the harness keeps to what the
 * kernel sends: a length that fits. */
static const struct nlmsghdr *next_msg(const uint8_t *data, size_t size,
				       size_t off)
{
	struct nlmsghdr h;

	if (off > size || size - off < sizeof(h))
		return NULL;
	memcpy(&h, data + off, sizeof(h));
	if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > size - off)
		return NULL;
	return (const struct nlmsghdr *)(data + off);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct nlmsghdr *nlh;
	struct nlmsghdr *msg;
	struct ns ns;
	size_t off = 0, n = 0;

	memset(&ns, 0, sizeof(ns));
	while (n++ < MAX_MSGS && (nlh = next_msg(data, size, off))) {
		msg = (struct nlmsghdr *)fuzz_dup(nlh, nlh->nlmsg_len);
		decode_link(&ns, msg);
		decode_addr(&ns, msg);
		decode_route(&ns, msg);
		decode_neigh(&ns, msg);
		decode_sock(&ns, msg);
		free(msg);
		off += MNL_ALIGN(nlh->nlmsg_len);
	}
	if (nj_dump_finish(&ns.d) == 0) {
		fake_peers(&ns.d);
		write_all(&ns);
	}
	nj_routes_free(&ns.routes);
	nj_neighs_free(&ns.neighs);
	nj_socks_free(&ns.socks);
	nj_dump_free(&ns.d);
	return 0;
}
