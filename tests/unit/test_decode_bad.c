/* netlink_decode_link / netlink_decode_addr on messages built here: minimal,
 * malformed (wrong type, short header, bad attribute lengths, unknown
 * family) and with attributes the decoder does not know. */
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
#define IF_OPER_UP 6

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

union msgbuf {
	struct nlmsghdr h;
	uint32_t align;
	char buf[4096];
};

static struct nlmsghdr *new_link(union msgbuf *m, int ifindex,
				 const char *ifname)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(m, 0, sizeof(*m));
	nlh = mnl_nlmsg_put_header(m->buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_type = ARPHRD_ETHER;
	ifi->ifi_flags = IFF_UP;
	if (ifname)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nlh;
}

static struct nlmsghdr *new_addr(union msgbuf *m, uint8_t family,
				 uint8_t prefixlen, int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	memset(m, 0, sizeof(*m));
	nlh = mnl_nlmsg_put_header(m->buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	return nlh;
}

static void put_ip(struct nlmsghdr *nlh, uint16_t type, int af,
		   const char *s)
{
	uint8_t a[16];

	assert_int_equal(inet_pton(af, s, a), 1);
	mnl_attr_put(nlh, type, af == AF_INET ? 4 : 16, a);
}

static void test_link_minimal(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh = new_link(&m, 7, "eth0");
	struct nj_link l;

	(void)state;
	memset(&l, 0xa5, sizeof(l));
	assert_int_equal(decode_link(nlh, &l), 0);
	assert_int_equal(l.ifindex, 7);
	assert_string_equal(l.ifname, "eth0");
	assert_int_equal(l.flags, IFF_UP);
	assert_int_equal(l.type, ARPHRD_ETHER);
	/* everything absent is zero / false */
	assert_false(l.has_mtu || l.has_operstate || l.has_link ||
		     l.has_link_netnsid || l.has_group || l.has_txqlen ||
		     l.has_master);
	assert_int_equal(l.addr_len + l.brd_len + l.perm_len, 0);
	assert_string_equal(l.kind, "");
	assert_string_equal(l.qdisc, "");
}

static void test_link_wrong_type(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh = new_link(&m, 7, "eth0");
	struct nj_link l;

	(void)state;
	nlh->nlmsg_type = RTM_DELLINK;
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	nlh->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	nlh->nlmsg_type = NLMSG_ERROR;
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(decode_link(nlh, &l), 0);
}

static void test_link_short_header(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh = new_link(&m, 7, NULL);
	struct nj_link l;

	(void)state;
	/* the ifinfomsg itself is cut */
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct ifinfomsg) - 1;
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	nlh->nlmsg_len = NLMSG_HDRLEN + 8;
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	nlh->nlmsg_len = NLMSG_HDRLEN;
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	/* whole header, no attributes: no name */
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct ifinfomsg);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
}

static void test_link_ifname(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_link l;

	(void)state;
	/* missing */
	nlh = new_link(&m, 7, NULL);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	/* not NUL-terminated */
	nlh = new_link(&m, 7, NULL);
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0");
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	/* empty payload */
	nlh = new_link(&m, 7, NULL);
	mnl_attr_put(nlh, IFLA_IFNAME, 0, NULL);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	/* 20 characters: longer than IFNAMSIZ allows */
	nlh = new_link(&m, 7, "abcdefghijklmnopqrst");
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	/* 20 bytes with the NUL */
	nlh = new_link(&m, 7, "abcdefghijklmnopqrs");
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	/* 16 characters: one too many */
	nlh = new_link(&m, 7, "abcdefghijklmnop");
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	/* 15: the longest name Linux allows */
	nlh = new_link(&m, 7, "abcdefghijklmno");
	assert_int_equal(decode_link(nlh, &l), 0);
	assert_string_equal(l.ifname, "abcdefghijklmno");

	/* an attribute that says it is longer than the message */
	nlh = new_link(&m, 7, "eth0");
	nlh->nlmsg_len -= 4;
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
}

static void test_link_mtu_len(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_link l;
	uint64_t big = 1500;

	(void)state;
	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put_u16(nlh, IFLA_MTU, 1500);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put(nlh, IFLA_MTU, sizeof(big), &big);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put_u32(nlh, IFLA_MTU, 9000);
	assert_int_equal(decode_link(nlh, &l), 0);
	assert_true(l.has_mtu);
	assert_int_equal(l.mtu, 9000);
}

static void test_link_bad_attrs(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_link l;
	uint8_t hw[33] = { 0 };
	struct nlattr *nest;

	(void)state;
	/* operstate is a u8 */
	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put_u32(nlh, IFLA_OPERSTATE, IF_OPER_UP);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	/* link-layer address longer than the model holds */
	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(hw), hw);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put(nlh, IFLA_ADDRESS, NJ_HWADDR_MAX, hw);
	assert_int_equal(decode_link(nlh, &l), 0);
	assert_int_equal(l.addr_len, NJ_HWADDR_MAX);

	/* master and link are u32 */
	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put_u8(nlh, IFLA_MASTER, 3);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);
	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put_u16(nlh, IFLA_LINK_NETNSID, 0);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	/* kind not NUL-terminated */
	nlh = new_link(&m, 7, "eth0");
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put(nlh, IFLA_INFO_KIND, 4, "veth");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	/* kind longer than the model holds */
	nlh = new_link(&m, 7, "eth0");
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND,
			  "abcdefghijklmnopqrstuvwxyz0123456789");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	/* linkinfo too short to be nested */
	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put_u16(nlh, IFLA_LINKINFO, 1);
	assert_int_equal(decode_link(nlh, &l), -EINVAL);

	/* a good one, with a negative netnsid */
	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put_u32(nlh, IFLA_LINK, 9);
	mnl_attr_put_u32(nlh, IFLA_LINK_NETNSID, (uint32_t)-1);
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bond");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(decode_link(nlh, &l), 0);
	assert_int_equal(l.link, 9);
	assert_true(l.has_link_netnsid);
	assert_int_equal(l.link_netnsid, -1);
	assert_string_equal(l.kind, "veth");
	assert_string_equal(l.slave_kind, "bond");
}

static void test_link_unknown_attr(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_link l;
	struct nlattr *nest;
	uint32_t junk[5] = { 1, 2, 3, 4, 5 };

	(void)state;
	nlh = new_link(&m, 7, "eth0");
	mnl_attr_put(nlh, 999, sizeof(junk), junk);
	mnl_attr_put_u8(nlh, 998, 1); /* odd length, padded */
	mnl_attr_put(nlh, 997, 0, NULL);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1280);
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put(nlh, 500, 3, "xyz");
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "dummy");
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(decode_link(nlh, &l), 0);
	assert_string_equal(l.ifname, "eth0");
	assert_int_equal(l.mtu, 1280);
	assert_string_equal(l.kind, "dummy");
}

static void test_addr_wrong_type(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh = new_addr(&m, AF_INET, 24, 2);
	struct nj_addr a;

	(void)state;
	put_ip(nlh, IFA_LOCAL, AF_INET, "192.0.2.1");
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
	nlh->nlmsg_type = RTM_DELADDR;
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
	nlh->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(decode_addr(nlh, &a), 0);
}

static void test_addr_short_header(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh = new_addr(&m, AF_INET, 24, 2);
	struct nj_addr a;

	(void)state;
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct ifaddrmsg) - 1;
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
	/* whole header, no address at all */
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct ifaddrmsg);
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
}

static void test_addr_local_len(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_addr a;
	uint8_t six[16] = { 0 };

	(void)state;
	nlh = new_addr(&m, AF_INET, 24, 2);
	mnl_attr_put(nlh, IFA_LOCAL, 3, "\x0a\x00\x00");
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);

	/* an IPv6-sized local for an IPv4 address */
	nlh = new_addr(&m, AF_INET, 24, 2);
	mnl_attr_put(nlh, IFA_LOCAL, 16, six);
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);

	/* and the other way round */
	nlh = new_addr(&m, AF_INET6, 64, 2);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, six);
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);

	/* broadcast of the wrong length */
	nlh = new_addr(&m, AF_INET, 24, 2);
	put_ip(nlh, IFA_LOCAL, AF_INET, "192.0.2.1");
	mnl_attr_put(nlh, IFA_BROADCAST, 2, six);
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
}

static void test_addr_family(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_addr a;

	(void)state;
	nlh = new_addr(&m, AF_PACKET, 0, 2);
	mnl_attr_put(nlh, IFA_LOCAL, 6, "\x02\x00\x00\x00\x00\x01");
	assert_int_equal(decode_addr(nlh, &a), -EAFNOSUPPORT);
	nlh = new_addr(&m, AF_UNSPEC, 0, 2);
	assert_int_equal(decode_addr(nlh, &a), -EAFNOSUPPORT);
	nlh = new_addr(&m, AF_DECnet, 16, 2);
	mnl_attr_put(nlh, IFA_LOCAL, 2, "\x04\x01");
	assert_int_equal(decode_addr(nlh, &a), -EAFNOSUPPORT);
}

static void test_addr_prefixlen(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_addr a;

	(void)state;
	nlh = new_addr(&m, AF_INET, 33, 2);
	put_ip(nlh, IFA_LOCAL, AF_INET, "192.0.2.1");
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
	nlh = new_addr(&m, AF_INET, 255, 2);
	put_ip(nlh, IFA_LOCAL, AF_INET, "192.0.2.1");
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
	nlh = new_addr(&m, AF_INET, 32, 2);
	put_ip(nlh, IFA_LOCAL, AF_INET, "192.0.2.1");
	assert_int_equal(decode_addr(nlh, &a), 0);
	assert_int_equal(a.prefixlen, 32);

	nlh = new_addr(&m, AF_INET6, 129, 2);
	put_ip(nlh, IFA_ADDRESS, AF_INET6, "2001:db8::1");
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
	nlh = new_addr(&m, AF_INET6, 128, 2);
	put_ip(nlh, IFA_ADDRESS, AF_INET6, "2001:db8::1");
	assert_int_equal(decode_addr(nlh, &a), 0);
	assert_int_equal(a.prefixlen, 128);
	nlh = new_addr(&m, AF_INET6, 0, 2);
	put_ip(nlh, IFA_ADDRESS, AF_INET6, "::");
	assert_int_equal(decode_addr(nlh, &a), 0);
	assert_int_equal(a.prefixlen, 0);
}

static void test_addr_only_address(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_addr a;

	(void)state;
	nlh = new_addr(&m, AF_INET, 24, 2);
	put_ip(nlh, IFA_ADDRESS, AF_INET, "198.51.100.7");
	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(decode_addr(nlh, &a), 0);
	assert_true(a.has_local);
	assert_true(a.has_address);
	assert_ip(AF_INET, a.local, "198.51.100.7");
	assert_ip(AF_INET, a.address, "198.51.100.7");
	assert_int_equal(a.ifindex, 2);
	assert_false(a.has_label || a.has_broadcast || a.has_cacheinfo ||
		     a.has_metric || a.has_anycast);

	/* only IFA_LOCAL: address = local */
	nlh = new_addr(&m, AF_INET, 24, 2);
	put_ip(nlh, IFA_LOCAL, AF_INET, "198.51.100.8");
	assert_int_equal(decode_addr(nlh, &a), 0);
	assert_ip(AF_INET, a.address, "198.51.100.8");

	/* both and different: a point-to-point peer, both kept */
	nlh = new_addr(&m, AF_INET, 32, 2);
	put_ip(nlh, IFA_LOCAL, AF_INET, "10.0.0.1");
	put_ip(nlh, IFA_ADDRESS, AF_INET, "10.0.0.2");
	assert_int_equal(decode_addr(nlh, &a), 0);
	assert_ip(AF_INET, a.local, "10.0.0.1");
	assert_ip(AF_INET, a.address, "10.0.0.2");
}

static void test_addr_attrs(void **state)
{
	union msgbuf m;
	struct nlmsghdr *nlh;
	struct nj_addr a;
	struct ifa_cacheinfo ci = { .ifa_prefered = 30, .ifa_valid = 60 };

	(void)state;
	/* IFA_FLAGS wins over the 8-bit ifa_flags */
	nlh = new_addr(&m, AF_INET6, 64, 3);
	((struct ifaddrmsg *)mnl_nlmsg_get_payload(nlh))->ifa_flags =
		IFA_F_PERMANENT;
	put_ip(nlh, IFA_ADDRESS, AF_INET6, "2001:db8::5");
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE);
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	mnl_attr_put_u32(nlh, IFA_RT_PRIORITY, 256);
	mnl_attr_put(nlh, 999, 4, "abcd");
	assert_int_equal(decode_addr(nlh, &a), 0);
	assert_int_equal(a.flags, IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE);
	assert_true(a.has_cacheinfo);
	assert_int_equal(a.valid_lft, 60);
	assert_int_equal(a.preferred_lft, 30);
	assert_true(a.has_metric);
	assert_int_equal(a.metric, 256);

	/* cacheinfo of the wrong size */
	nlh = new_addr(&m, AF_INET6, 64, 3);
	put_ip(nlh, IFA_ADDRESS, AF_INET6, "2001:db8::5");
	mnl_attr_put(nlh, IFA_CACHEINFO, 8, &ci);
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);

	/* IFA_FLAGS of the wrong size */
	nlh = new_addr(&m, AF_INET6, 64, 3);
	put_ip(nlh, IFA_ADDRESS, AF_INET6, "2001:db8::5");
	mnl_attr_put_u8(nlh, IFA_FLAGS, 1);
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);

	/* label: 15 characters fit, 16 do not, and it must end in NUL */
	nlh = new_addr(&m, AF_INET, 8, 3);
	put_ip(nlh, IFA_LOCAL, AF_INET, "10.0.0.1");
	mnl_attr_put_strz(nlh, IFA_LABEL, "abcdefghijklmno");
	assert_int_equal(decode_addr(nlh, &a), 0);
	assert_string_equal(a.label, "abcdefghijklmno");
	nlh = new_addr(&m, AF_INET, 8, 3);
	put_ip(nlh, IFA_LOCAL, AF_INET, "10.0.0.1");
	mnl_attr_put_strz(nlh, IFA_LABEL, "abcdefghijklmnop");
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
	nlh = new_addr(&m, AF_INET, 8, 3);
	put_ip(nlh, IFA_LOCAL, AF_INET, "10.0.0.1");
	mnl_attr_put(nlh, IFA_LABEL, 3, "eth");
	assert_int_equal(decode_addr(nlh, &a), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_minimal),
		cmocka_unit_test(test_link_wrong_type),
		cmocka_unit_test(test_link_short_header),
		cmocka_unit_test(test_link_ifname),
		cmocka_unit_test(test_link_mtu_len),
		cmocka_unit_test(test_link_bad_attrs),
		cmocka_unit_test(test_link_unknown_attr),
		cmocka_unit_test(test_addr_wrong_type),
		cmocka_unit_test(test_addr_short_header),
		cmocka_unit_test(test_addr_local_len),
		cmocka_unit_test(test_addr_family),
		cmocka_unit_test(test_addr_prefixlen),
		cmocka_unit_test(test_addr_only_address),
		cmocka_unit_test(test_addr_attrs),
	};

	return cmocka_run_group_tests_name("decode_bad", tests, NULL, NULL);
}
