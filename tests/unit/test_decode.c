/* netlink_decode_link / netlink_decode_addr on recorded dumps (links.nl and
 * addrs.nl in tests/fixtures, see its README.md), whole and cut short.
 * Malformed messages built by hand are in test_decode_bad.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <cmocka.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "fixtures.h"
#include "netjoin/nl.h"

/* from <linux/if.h>, which clashes with <net/if.h> */
#define LOWER_UP 0x10000 /* IFF_LOWER_UP */
#define IF_OPER_UNKNOWN 0
#define IF_OPER_UP 6
#define FOREVER 0xffffffffu

/* What `ip -n njrec -d link` showed when links.nl was recorded
 * (tests/fixtures/ip-d-link.txt). */
static const struct exp_link {
	int32_t ifindex;
	const char *ifname;
	uint16_t type;
	uint32_t flags;
	uint32_t mtu;
	uint8_t operstate;
	bool has_link;
	uint32_t link;
	bool has_link_netnsid;
	int32_t link_netnsid;
	bool has_master;
	uint32_t master;
	const char *kind, *slave_kind;
	uint8_t mac_last; /* 02:00:00:00:00:XX (lo: all zero) */
} exp_links[] = {
	{ 1, "lo", ARPHRD_LOOPBACK, IFF_LOOPBACK | IFF_UP | IFF_RUNNING | LOWER_UP,
	  65536, IF_OPER_UNKNOWN, false, 0, false, 0, false, 0, "", "", 0 },
	{ 2, "v0", ARPHRD_ETHER,
	  IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | LOWER_UP,
	  1400, IF_OPER_UP, true, 2, true, 0, false, 0, "veth", "", 0x01 },
	{ 3, "br0", ARPHRD_ETHER,
	  IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | LOWER_UP,
	  1500, IF_OPER_UP, false, 0, false, 0, false, 0, "bridge", "", 0x10 },
	{ 4, "vb1", ARPHRD_ETHER,
	  IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | LOWER_UP,
	  1500, IF_OPER_UP, true, 5, false, 0, false, 0, "veth", "", 0x12 },
	{ 5, "vb0", ARPHRD_ETHER,
	  IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | LOWER_UP,
	  1500, IF_OPER_UP, true, 4, false, 0, true, 3, "veth", "bridge", 0x11 },
	{ 6, "vx0", ARPHRD_ETHER,
	  IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | LOWER_UP,
	  1500, IF_OPER_UNKNOWN, false, 0, false, 0, false, 0, "vxlan", "", 0x20 },
};
#define NLINKS (sizeof(exp_links) / sizeof(exp_links[0]))

/* What `ip -n njrec -d addr` showed when addrs.nl was recorded
 * (tests/fixtures/ip-d-addr.txt), in the kernel's dump order: IPv4 of
 * every link, then IPv6. */
static const struct exp_addr {
	int32_t ifindex;
	uint8_t family, prefixlen, scope;
	uint32_t flags;
	const char *local, *address, *broadcast, *label;
	uint32_t valid, preferred;
} exp_addrs[] = {
	{ 1, AF_INET, 8, RT_SCOPE_HOST, IFA_F_PERMANENT,
	  "127.0.0.1", "127.0.0.1", NULL, "lo", FOREVER, FOREVER },
	{ 2, AF_INET, 24, RT_SCOPE_UNIVERSE, IFA_F_PERMANENT,
	  "10.1.0.1", "10.1.0.1", "10.1.0.255", "v0:main", FOREVER, FOREVER },
	{ 2, AF_INET, 24, RT_SCOPE_UNIVERSE, IFA_F_PERMANENT | IFA_F_SECONDARY,
	  "10.1.0.2", "10.1.0.2", NULL, "v0", FOREVER, FOREVER },
	{ 3, AF_INET, 16, RT_SCOPE_UNIVERSE, 0,
	  "10.2.0.1", "10.2.0.1", NULL, "br0", 3599, 1799 },
	{ 6, AF_INET, 32, RT_SCOPE_UNIVERSE, IFA_F_PERMANENT,
	  "10.3.0.1", "10.3.0.2", NULL, "vx0", FOREVER, FOREVER },
	{ 1, AF_INET6, 128, RT_SCOPE_HOST, IFA_F_PERMANENT,
	  "::1", "::1", NULL, NULL, FOREVER, FOREVER },
	{ 2, AF_INET6, 64, RT_SCOPE_UNIVERSE, IFA_F_PERMANENT | IFA_F_NODAD,
	  "2001:db8:1::1", "2001:db8:1::1", NULL, NULL, FOREVER, FOREVER },
	{ 2, AF_INET6, 64, RT_SCOPE_LINK, IFA_F_PERMANENT,
	  "fe80::ff:fe00:1", "fe80::ff:fe00:1", NULL, NULL, FOREVER, FOREVER },
	{ 3, AF_INET6, 64, RT_SCOPE_UNIVERSE, IFA_F_NODAD,
	  "2001:db8:2::1", "2001:db8:2::1", NULL, NULL, 7199, 3599 },
	{ 3, AF_INET6, 64, RT_SCOPE_LINK, IFA_F_PERMANENT,
	  "fe80::ff:fe00:10", "fe80::ff:fe00:10", NULL, NULL, FOREVER, FOREVER },
	{ 4, AF_INET6, 64, RT_SCOPE_LINK, IFA_F_PERMANENT,
	  "fe80::ff:fe00:12", "fe80::ff:fe00:12", NULL, NULL, FOREVER, FOREVER },
	{ 5, AF_INET6, 64, RT_SCOPE_LINK, IFA_F_PERMANENT,
	  "fe80::ff:fe00:11", "fe80::ff:fe00:11", NULL, NULL, FOREVER, FOREVER },
	{ 6, AF_INET6, 64, RT_SCOPE_LINK, IFA_F_PERMANENT,
	  "fe80::ff:fe00:20", "fe80::ff:fe00:20", NULL, NULL, FOREVER, FOREVER },
};
#define NADDRS (sizeof(exp_addrs) / sizeof(exp_addrs[0]))

/* Decode from an exact-size copy, so ASan sees any read past the end. */
static int decode_link(const struct nlmsghdr *nlh, struct nj_link *l)
{
	void *p = dup_exact(nlh, nlh->nlmsg_len);
	int r = netlink_decode_link(p, l);

	free(p);
	return r;
}

static int decode_addr(const struct nlmsghdr *nlh, struct nj_addr *a)
{
	void *p = dup_exact(nlh, nlh->nlmsg_len);
	int r = netlink_decode_addr(p, a);

	free(p);
	return r;
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

static void test_recorded_links(void **state)
{
	struct fixture fx = fixture_read("links.nl");
	const struct nlmsghdr *msgs[64];
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t n, i;

	(void)state;
	n = nlmsg_collect(&fx, msgs, 64);
	assert_int_equal(n, NLINKS + 1); /* and NLMSG_DONE */
	for (i = 0; i < NLINKS; i++) {
		const struct exp_link *x = &exp_links[i];
		uint8_t mac[6] = { 0 };
		struct nj_link l;

		if (x->mac_last)
			mac[0] = 0x02, mac[5] = x->mac_last;
		memset(&l, 0xa5, sizeof(l));
		assert_int_equal(decode_link(msgs[i], &l), 0);
		assert_string_equal(l.ifname, x->ifname);
		assert_int_equal(l.ifindex, x->ifindex);
		assert_int_equal(l.type, x->type);
		assert_int_equal(l.flags, x->flags);
		assert_true(l.has_mtu);
		assert_int_equal(l.mtu, x->mtu);
		assert_true(l.has_operstate);
		assert_int_equal(l.operstate, x->operstate);
		assert_int_equal(l.has_link, x->has_link);
		assert_int_equal(l.link, x->link);
		assert_int_equal(l.has_link_netnsid, x->has_link_netnsid);
		assert_int_equal(l.link_netnsid, x->link_netnsid);
		assert_int_equal(l.has_master, x->has_master);
		assert_int_equal(l.master, x->master);
		assert_string_equal(l.kind, x->kind);
		assert_string_equal(l.slave_kind, x->slave_kind);
		assert_int_equal(l.addr_len, 6);
		assert_memory_equal(l.addr, mac, 6);
		assert_int_equal(l.brd_len, 6);
		assert_memory_equal(l.brd, x->mac_last ? ones : mac, 6);
		assert_int_equal(l.perm_len, 0);
		assert_true(l.has_group);
		assert_int_equal(l.group, 0);
		assert_true(l.has_txqlen);
		assert_int_equal(l.txqlen, 1000);
		assert_string_equal(l.qdisc, "noqueue");
	}
	/* NLMSG_DONE is not a link */
	assert_int_equal(msgs[NLINKS]->nlmsg_type, NLMSG_DONE);
	{
		struct nj_link l;

		assert_int_equal(decode_link(msgs[NLINKS], &l), -EINVAL);
	}
	fixture_free(&fx);
}

static void test_recorded_addrs(void **state)
{
	struct fixture fx = fixture_read("addrs.nl");
	const struct nlmsghdr *msgs[64];
	size_t n, i;

	(void)state;
	n = nlmsg_collect(&fx, msgs, 64);
	assert_int_equal(n, NADDRS + 1);
	for (i = 0; i < NADDRS; i++) {
		const struct exp_addr *x = &exp_addrs[i];
		struct nj_addr a;

		memset(&a, 0xa5, sizeof(a));
		assert_int_equal(decode_addr(msgs[i], &a), 0);
		assert_int_equal(a.ifindex, x->ifindex);
		assert_int_equal(a.family, x->family);
		assert_int_equal(a.prefixlen, x->prefixlen);
		assert_int_equal(a.scope, x->scope);
		assert_int_equal(a.flags, x->flags);
		assert_true(a.has_local);
		assert_true(a.has_address);
		assert_ip(x->family, a.local, x->local);
		assert_ip(x->family, a.address, x->address);
		assert_int_equal(a.has_broadcast, x->broadcast != NULL);
		if (x->broadcast)
			assert_ip(x->family, a.broadcast, x->broadcast);
		assert_false(a.has_anycast);
		assert_int_equal(a.has_label, x->label != NULL);
		if (x->label)
			assert_string_equal(a.label, x->label);
		assert_true(a.has_cacheinfo);
		assert_int_equal(a.valid_lft, x->valid);
		assert_int_equal(a.preferred_lft, x->preferred);
		assert_false(a.has_metric);
		/* secondary flag: only 10.1.0.2 */
		assert_int_equal(!!(a.flags & IFA_F_SECONDARY), i == 2);
	}
	{
		struct nj_addr a;

		assert_int_equal(decode_addr(msgs[NADDRS], &a), -EINVAL);
	}
	fixture_free(&fx);
}

/* A decoder handed the other kind of message refuses it. */
static void test_recorded_crossed(void **state)
{
	struct fixture lf = fixture_read("links.nl");
	struct fixture af = fixture_read("addrs.nl");
	const struct nlmsghdr *nlh;
	struct nj_link l;
	struct nj_addr a;
	int rem;

	(void)state;
	nlmsg_foreach(nlh, lf.data, lf.len, rem)
		assert_int_equal(decode_addr(nlh, &a), -EINVAL);
	nlmsg_foreach(nlh, af.data, af.len, rem)
		assert_int_equal(decode_link(nlh, &l), -EINVAL);
	fixture_free(&lf);
	fixture_free(&af);
}

#ifdef __SANITIZE_ADDRESS__
#define CUT_SLACK 0 /* ASan reports a read past the cut */
#else
#define CUT_SLACK 4 /* bytes after the cut, filled with a poison byte */
#endif

/* Decode the first cut bytes of nlh as a message of that length, from a
 * buffer that is exactly that long (never shorter than the netlink header,
 * which mnl_nlmsg_ok guarantees to a decoder) plus CUT_SLACK bytes of
 * poison. out is filled with 0x5a first. */
static int decode_cut(const struct nlmsghdr *nlh, size_t cut, int is_link,
		      uint8_t poison, void *out)
{
	size_t sz = cut < NLMSG_HDRLEN ? NLMSG_HDRLEN : cut;
	uint8_t *buf = malloc(sz + CUT_SLACK);
	int r;

	assert_non_null(buf);
	memcpy(buf, nlh, sz);
#if CUT_SLACK
	memset(buf + sz, poison, CUT_SLACK);
#else
	(void)poison;
#endif
	((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)cut;
	memset(out, 0x5a, is_link ? sizeof(struct nj_link)
				  : sizeof(struct nj_addr));
	r = is_link ? netlink_decode_link((struct nlmsghdr *)buf, out)
		    : netlink_decode_addr((struct nlmsghdr *)buf, out);
	free(buf);
	return r;
}

/* Cuts of every recorded message: nlmsg_len set to the cut. No crash, 0
 * or a negative code, and no byte past the cut read: under SANITIZE=1
 * ASan sees it; otherwise the cut is decoded twice, with 0x00 and with
 * 0xff after it, and both must give the same code and the same struct. A
 * success names the same link or address as the whole message. aligned:
 * the cuts that are a multiple of 4 (as every message the kernel sends
 * is), or the others. */
static void cut_all(const char *name, int is_link, int aligned)
{
	struct fixture fx = fixture_read(name);
	const struct nlmsghdr *nlh;
	size_t cut, full, hdrlen, nok = 0, nfail = 0;
	int rem, r, r2;

	hdrlen = NLMSG_HDRLEN + (is_link ? sizeof(struct ifinfomsg)
				       : sizeof(struct ifaddrmsg));
	nlmsg_foreach(nlh, fx.data, fx.len, rem) {
		struct nj_link wl, l, l2;
		struct nj_addr wa, a, a2;

		if (nlh->nlmsg_type == NLMSG_DONE)
			continue;
		full = nlh->nlmsg_len;
		assert_int_equal(is_link ? netlink_decode_link(nlh, &wl)
					 : netlink_decode_addr(nlh, &wa), 0);
		for (cut = 0; cut <= full; cut++) {
			if ((cut % 4 == 0) != aligned)
				continue;
			r = decode_cut(nlh, cut, is_link, 0x00,
				       is_link ? (void *)&l : (void *)&a);
			if (CUT_SLACK) {
				r2 = decode_cut(nlh, cut, is_link, 0xff,
						is_link ? (void *)&l2 : (void *)&a2);
				if (r != r2 ||
				    (r == 0 && (is_link ? memcmp(&l, &l2, sizeof(l))
							: memcmp(&a, &a2, sizeof(a)))))
					fail_msg("%s: cut %zu of %zu: the bytes "
						 "after the cut changed the "
						 "result (%d, %d): read past "
						 "nlmsg_len", name, cut, full,
						 r, r2);
			}
			if (r > 0)
				fail_msg("%s: cut %zu of %zu returned %d", name,
					 cut, full, r);
			if (cut < hdrlen && r != -EINVAL)
				fail_msg("%s: cut %zu of %zu returned %d, "
					 "expected -EINVAL", name, cut, full, r);
			if (cut == full)
				assert_int_equal(r, 0);
			if (r < 0) {
				nfail++;
				continue;
			}
			nok++;
			if (is_link &&
			    (l.ifindex != wl.ifindex || strcmp(l.ifname, wl.ifname)))
				fail_msg("%s: cut %zu of %zu decoded link %d '%s', "
					 "the whole message is %d '%s'", name, cut,
					 full, l.ifindex, l.ifname, wl.ifindex,
					 wl.ifname);
			/* a cut before IFA_LOCAL leaves IFA_ADDRESS to stand
			 * in for it (10.3.0.2 of "10.3.0.1 peer 10.3.0.2") */
			if (!is_link &&
			    (a.ifindex != wa.ifindex || a.family != wa.family ||
			     (memcmp(a.local, wa.local, 16) &&
			      memcmp(a.local, wa.address, 16))))
				fail_msg("%s: cut %zu of %zu decoded another "
					 "address than the whole message", name,
					 cut, full);
		}
	}
	/* both outcomes were exercised */
	assert_true(nok > 0);
	assert_true(nfail > 0);
	fixture_free(&fx);
}

static void test_truncated_links(void **state)
{
	(void)state;
	cut_all("links.nl", 1, 1);
}

static void test_truncated_addrs(void **state)
{
	(void)state;
	cut_all("addrs.nl", 0, 1);
}

/* Cuts that leave nlmsg_len not a multiple of 4. Outside data may say
 * anything; the decoder must still read no byte past nlmsg_len. Last in
 * the run: under SANITIZE=1 an overread aborts the binary. */
static void test_truncated_unaligned_links(void **state)
{
	(void)state;
	cut_all("links.nl", 1, 0);
}

static void test_truncated_unaligned_addrs(void **state)
{
	(void)state;
	cut_all("addrs.nl", 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_links),
		cmocka_unit_test(test_recorded_addrs),
		cmocka_unit_test(test_recorded_crossed),
		cmocka_unit_test(test_truncated_links),
		cmocka_unit_test(test_truncated_addrs),
		cmocka_unit_test(test_truncated_unaligned_links),
		cmocka_unit_test(test_truncated_unaligned_addrs),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
