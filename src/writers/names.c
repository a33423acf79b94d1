/* Human names of link and address properties. libnl-route-3 has the
 * tables; iproute2's spelling wins where the two differ, because our JSON
 * must read like `ip -j` so existing jq filters keep working. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <net/if_arp.h>
#include <net/if.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/rtnl.h>
#include <netlink/utils.h>
#include "netjoin/out.h"
#include "spellings.h"

/* not in glibc's <net/if_arp.h>; <linux/if_arp.h> clashes with <net/if.h> */
#ifndef ARPHRD_IP6GRE
#define ARPHRD_IP6GRE 823
#endif

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#define IFF_DORMANT 0x20000
#define IFF_ECHO 0x40000
#endif

static void upcase(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

/* libnl prints unknown values as "0x..". */
static int unknown(const char *s)
{
	return !*s || !strncmp(s, "0x", 2);
}

const char *out_operstate(uint8_t state, char *buf, size_t sz)
{
	rtnl_link_operstate2str(state, buf, sz);
	if (unknown(buf))
		return NULL; /* caller prints the number */
	upcase(buf);
	return buf;
}

const char *out_ip(int family, const void *addr, char *buf, size_t sz)
{
	const uint8_t *a = addr;
	char *p = buf;
	int i;

	if (family != AF_INET || sz < INET_ADDRSTRLEN)
		return inet_ntop(family, addr, buf, (socklen_t)sz);
	/* inet_ntop formats IPv4 with sprintf: this is most of a dump */
	for (i = 0; i < 4; i++) {
		unsigned int v = a[i];

		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
	return buf;
}


const char *out_link_type(uint16_t type, char *buf, size_t sz)
{
	const char *ip;

	if ((ip = ip_spelling(IP_LINK_TYPE, type))) {
		snprintf(buf, sz, "%s", ip);
		return buf;
	}
	if (type >= ARPHRD_FCFABRIC && type <= ARPHRD_FCFABRIC + 12) {
		snprintf(buf, sz, "fcfb%d", type - ARPHRD_FCFABRIC);
		return buf;
	}
	nl_llproto2str(type, buf, sz);
	if (unknown(buf) || type == ARPHRD_EUI64)
		snprintf(buf, sz, "[%u]", type);
	return buf;
}

const char *out_family(uint8_t family)
{
	return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "?";
}

/* ip's order of link flags; names come from libnl. */
static const uint32_t link_flag_order[] = {
	IFF_LOOPBACK, IFF_BROADCAST, IFF_POINTOPOINT, IFF_MULTICAST,
	IFF_NOARP, IFF_ALLMULTI, IFF_PROMISC, IFF_MASTER, IFF_SLAVE,
	IFF_DEBUG, IFF_DYNAMIC, IFF_AUTOMEDIA, IFF_PORTSEL, IFF_NOTRAILERS,
	IFF_UP, IFF_LOWER_UP, IFF_DORMANT, IFF_ECHO,
};

void out_link_flags(uint32_t flags, int mdown,
		    void (*emit)(const char *name, void *arg), void *arg)
{
	const char *ip;
	char buf[32];
	size_t i;

	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		emit("NO-CARRIER", arg);
	flags &= ~(uint32_t)IFF_RUNNING;
	for (i = 0; i < sizeof(link_flag_order) / sizeof(link_flag_order[0]);
	     i++) {
		if (!(flags & link_flag_order[i]))
			continue;
		flags &= ~link_flag_order[i];
		if ((ip = ip_spelling(IP_LINK_FLAG, link_flag_order[i]))) {
			emit(ip, arg);
			continue;
		}
		rtnl_link_flags2str((int)link_flag_order[i], buf, sizeof(buf));
		upcase(buf);
		emit(buf, arg);
	}
	if (flags) {
		snprintf(buf, sizeof(buf), "%x", flags);
		emit(buf, arg);
	}
	if (mdown)
		emit("M-DOWN", arg);
}

/* ip's order of address flags; names from libnl but where
 * ip_spelling() has ip's. */
static const uint32_t addr_flag_order[] = {
	IFA_F_SECONDARY,
	IFA_F_NODAD,
	IFA_F_OPTIMISTIC,
	IFA_F_DADFAILED,
	IFA_F_HOMEADDRESS,
	IFA_F_DEPRECATED,
	IFA_F_TENTATIVE,
	IFA_F_PERMANENT,
	IFA_F_MANAGETEMPADDR,
	IFA_F_NOPREFIXROUTE,
	IFA_F_MCAUTOJOIN,
	IFA_F_STABLE_PRIVACY,
};

void out_addr_flags(uint8_t family, uint32_t flags,
		    void (*emit)(const char *name, void *arg), void *arg)
{
	const char *ip;
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(addr_flag_order) / sizeof(addr_flag_order[0]);
	     i++) {
		uint32_t m = addr_flag_order[i];

		if (m == IFA_F_PERMANENT) {
			if (!(flags & m))
				emit("dynamic", arg);
		} else if (flags & m) {
			if (m == IFA_F_SECONDARY && family == AF_INET6)
				emit("temporary", arg);
			else if ((ip = ip_spelling(IP_ADDR_FLAG, m)))
				emit(ip, arg);
			else
				emit(rtnl_addr_flags2str((int)m, buf,
							 sizeof(buf)),
				     arg);
		}
		flags &= ~m;
	}
	if (flags) {
		/* ip: "flags 80" in text, "ifa_flags": "80" in JSON */
		snprintf(buf, sizeof(buf), "flags %02x", flags);
		emit(buf, arg);
	}
}

const char *out_hwaddr(uint16_t type, const uint8_t *a, size_t len,
		       char *buf, size_t sz)
{
	size_t i, o = 0;

	/* tunnels carry IP addresses as their link-layer addresses */
	if (len == 4 && (type == ARPHRD_TUNNEL || type == ARPHRD_SIT ||
			 type == ARPHRD_IPGRE))
		return inet_ntop(AF_INET, a, buf, (socklen_t)sz);
	if (len == 16 && (type == ARPHRD_TUNNEL6 || type == ARPHRD_IP6GRE))
		return inet_ntop(AF_INET6, a, buf, (socklen_t)sz);

	if (sz)
		buf[0] = '\0';
	for (i = 0; i < len && o + 3 < sz; i++)
		o += (size_t)snprintf(buf + o, sz - o, i ? ":%02x" : "%02x",
				      a[i]);
	return buf;
}

const char *out_master(const struct nj_dump *d, const struct nj_link *l,
		       char *buf, size_t sz)
{
	const struct nj_link *m = nj_dump_link(d, (int32_t)l->master);

	if (m)
		return m->ifname;
	snprintf(buf, sz, "if%u", l->master);
	return buf;
}
