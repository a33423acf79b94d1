/* Names the writers print (out.h, src/writers/names.c): link and address
 * flags, operstates, scopes, link types and link-layer addresses, in
 * iproute2's spelling and order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <net/if_arp.h>
#include <cmocka.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include "fixtures.h"
#include "netjoin/out.h"

/* from <linux/if.h>, which clashes with <net/if.h> */
#define LOWER_UP 0x10000

struct names {
	char buf[512];
};

static void collect(const char *name, void *arg)
{
	struct names *n = arg;
	size_t len = strlen(n->buf);

	snprintf(n->buf + len, sizeof(n->buf) - len, "%s%s", len ? "," : "",
		 name);
}

static const char *link_flags(uint32_t flags, int mdown, struct names *n)
{
	n->buf[0] = '\0';
	out_link_flags(flags, mdown, collect, n);
	return n->buf;
}

static const char *addr_flags(uint8_t family, uint32_t flags,
			      struct names *n)
{
	n->buf[0] = '\0';
	out_addr_flags(family, flags, collect, n);
	return n->buf;
}

static void test_link_flags(void **state)
{
	struct names n;

	(void)state;
	/* every flag, in ip's order and spelling */
	assert_string_equal(link_flags(IFF_LOOPBACK | IFF_BROADCAST |
					       IFF_POINTOPOINT | IFF_MULTICAST |
					       IFF_NOARP | IFF_ALLMULTI |
					       IFF_PROMISC | IFF_MASTER |
					       IFF_SLAVE | IFF_DEBUG |
					       IFF_DYNAMIC | IFF_AUTOMEDIA |
					       IFF_PORTSEL | IFF_NOTRAILERS |
					       IFF_UP | IFF_RUNNING | LOWER_UP |
					       0x20000 | 0x40000,
				       0, &n),
			    "LOOPBACK,BROADCAST,POINTOPOINT,MULTICAST,NOARP,"
			    "ALLMULTI,PROMISC,MASTER,SLAVE,DEBUG,DYNAMIC,"
			    "AUTOMEDIA,PORTSEL,NOTRAILERS,UP,LOWER_UP,DORMANT,"
			    "ECHO");
	assert_string_equal(link_flags(0, 0, &n), "");
	assert_string_equal(link_flags(IFF_UP, 0, &n), "NO-CARRIER,UP");
	assert_string_equal(link_flags(IFF_UP | IFF_RUNNING, 0, &n), "UP");
	/* RUNNING alone is not printed */
	assert_string_equal(link_flags(IFF_RUNNING, 0, &n), "");
	assert_string_equal(link_flags(IFF_UP | IFF_RUNNING, 1, &n),
			    "UP,M-DOWN");
	/* unknown bits in hex, as ip does */
	assert_string_equal(link_flags(IFF_UP | IFF_RUNNING | 0x100000, 0, &n),
			    "UP,100000");
}

static void test_addr_flags(void **state)
{
	struct names n;

	(void)state;
	assert_string_equal(addr_flags(AF_INET, IFA_F_PERMANENT, &n), "");
	assert_string_equal(addr_flags(AF_INET, 0, &n), "dynamic");
	assert_string_equal(addr_flags(AF_INET, IFA_F_PERMANENT | IFA_F_SECONDARY,
				       &n),
			    "secondary");
	assert_string_equal(addr_flags(AF_INET6, IFA_F_SECONDARY, &n),
			    "temporary,dynamic");
	assert_string_equal(addr_flags(AF_INET6,
				       IFA_F_SECONDARY | IFA_F_NODAD |
					       IFA_F_OPTIMISTIC |
					       IFA_F_DADFAILED |
					       IFA_F_HOMEADDRESS |
					       IFA_F_DEPRECATED |
					       IFA_F_TENTATIVE |
					       IFA_F_MANAGETEMPADDR |
					       IFA_F_NOPREFIXROUTE |
					       IFA_F_MCAUTOJOIN |
					       IFA_F_STABLE_PRIVACY,
				       &n),
			    "temporary,nodad,optimistic,dadfailed,home,"
			    "deprecated,tentative,dynamic,mngtmpaddr,"
			    "noprefixroute,autojoin,stable-privacy");
	/* an unknown flag: "flags XX" (JSON: "ifa_flags") */
	assert_string_equal(addr_flags(AF_INET, IFA_F_PERMANENT | 0x1000, &n),
			    "flags 1000");
}

static void test_names(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(out_operstate(0, buf, sizeof(buf)), "UNKNOWN");
	assert_string_equal(out_operstate(1, buf, sizeof(buf)), "NOTPRESENT");
	assert_string_equal(out_operstate(2, buf, sizeof(buf)), "DOWN");
	assert_string_equal(out_operstate(3, buf, sizeof(buf)),
			    "LOWERLAYERDOWN");
	assert_string_equal(out_operstate(4, buf, sizeof(buf)), "TESTING");
	assert_string_equal(out_operstate(5, buf, sizeof(buf)), "DORMANT");
	assert_string_equal(out_operstate(6, buf, sizeof(buf)), "UP");
	assert_null(out_operstate(7, buf, sizeof(buf)));
	assert_null(out_operstate(200, buf, sizeof(buf)));

	assert_string_equal(out_scope(RT_SCOPE_UNIVERSE, buf, sizeof(buf)),
			    "global");
	assert_string_equal(out_scope(RT_SCOPE_SITE, buf, sizeof(buf)), "site");
	assert_string_equal(out_scope(RT_SCOPE_LINK, buf, sizeof(buf)), "link");
	assert_string_equal(out_scope(RT_SCOPE_HOST, buf, sizeof(buf)), "host");
	assert_string_equal(out_scope(RT_SCOPE_NOWHERE, buf, sizeof(buf)),
			    "nowhere");
	assert_string_equal(out_scope(100, buf, sizeof(buf)), "100");

	assert_string_equal(out_link_type(ARPHRD_ETHER, buf, sizeof(buf)),
			    "ether");
	assert_string_equal(out_link_type(ARPHRD_LOOPBACK, buf, sizeof(buf)),
			    "loopback");
	assert_string_equal(out_link_type(ARPHRD_NONE, buf, sizeof(buf)), "none");
	assert_string_equal(out_link_type(ARPHRD_VOID, buf, sizeof(buf)), "void");
	assert_string_equal(out_link_type(ARPHRD_TUNNEL, buf, sizeof(buf)),
			    "ipip");
	assert_string_equal(out_link_type(ARPHRD_TUNNEL6, buf, sizeof(buf)),
			    "tunnel6");
	assert_string_equal(out_link_type(ARPHRD_SIT, buf, sizeof(buf)), "sit");
	assert_string_equal(out_link_type(ARPHRD_IPGRE, buf, sizeof(buf)), "gre");
	assert_string_equal(out_link_type(823, buf, sizeof(buf)), "gre6");
	assert_string_equal(out_link_type(ARPHRD_INFINIBAND, buf, sizeof(buf)),
			    "infiniband");
	assert_string_equal(out_link_type(ARPHRD_IEEE80211_RADIOTAP, buf,
					  sizeof(buf)),
			    "ieee802.11/radiotap");
	assert_string_equal(out_link_type(ARPHRD_FCFABRIC + 3, buf, sizeof(buf)),
			    "fcfb3");
	assert_string_equal(out_link_type(ARPHRD_EUI64, buf, sizeof(buf)), "[27]");
	assert_string_equal(out_link_type(0x1234, buf, sizeof(buf)), "[4660]");

	assert_string_equal(out_family(AF_INET), "inet");
	assert_string_equal(out_family(AF_INET6), "inet6");
	assert_string_equal(out_family(AF_PACKET), "?");
}

static void test_hwaddr(void **state)
{
	static const uint8_t eth[6] = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t ip4[4] = { 192, 0, 2, 1 };
	static const uint8_t ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t ib[20];
	char buf[128];

	(void)state;
	assert_string_equal(out_hwaddr(ARPHRD_ETHER, eth, 6, buf, sizeof(buf)),
			    "aa:bb:cc:dd:ee:ff");
	assert_string_equal(out_hwaddr(ARPHRD_ETHER, eth, 0, buf, sizeof(buf)),
			    "");
	assert_string_equal(out_hwaddr(ARPHRD_ETHER, eth, 1, buf, sizeof(buf)),
			    "aa");
	/* tunnels: their link-layer addresses are IP addresses */
	assert_string_equal(out_hwaddr(ARPHRD_TUNNEL, ip4, 4, buf, sizeof(buf)),
			    "192.0.2.1");
	assert_string_equal(out_hwaddr(ARPHRD_SIT, ip4, 4, buf, sizeof(buf)),
			    "192.0.2.1");
	assert_string_equal(out_hwaddr(ARPHRD_IPGRE, ip4, 4, buf, sizeof(buf)),
			    "192.0.2.1");
	assert_string_equal(out_hwaddr(ARPHRD_TUNNEL6, ip6, 16, buf, sizeof(buf)),
			    "2001:db8::1");
	assert_string_equal(out_hwaddr(823, ip6, 16, buf, sizeof(buf)),
			    "2001:db8::1");
	/* but not for other types of the same length */
	assert_string_equal(out_hwaddr(ARPHRD_ETHER, ip4, 4, buf, sizeof(buf)),
			    "c0:00:02:01");
	/* InfiniBand: 20 bytes */
	memset(ib, 0x80, sizeof(ib));
	assert_string_equal(out_hwaddr(ARPHRD_INFINIBAND, ib, 20, buf,
				       sizeof(buf)),
			    "80:80:80:80:80:80:80:80:80:80:80:80:80:80:80:80:"
			    "80:80:80:80");
	/* a buffer too small: whole bytes only, always terminated */
	memset(buf, 'x', sizeof(buf));
	assert_string_equal(out_hwaddr(ARPHRD_ETHER, eth, 6, buf, 9),
			    "aa:bb:cc");
	assert_string_equal(out_hwaddr(ARPHRD_ETHER, eth, 6, buf, 8),
			    "aa:bb");
	assert_string_equal(out_hwaddr(ARPHRD_ETHER, eth, 6, buf, 3), "");
	assert_string_equal(out_hwaddr(ARPHRD_ETHER, eth, 6, buf, 1), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_flags),
		cmocka_unit_test(test_addr_flags),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_hwaddr),
	};

	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
