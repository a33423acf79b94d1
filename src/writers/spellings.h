/* iproute2's spellings (spellings.c), for the writers only. */
#ifndef NETJOIN_WRITERS_SPELLINGS_H
#define NETJOIN_WRITERS_SPELLINGS_H

#include <stdint.h>

enum ip_kind {
	IP_LINK_TYPE,      /* ARPHRD_* */
	IP_LINK_FLAG,      /* IFF_* */
	IP_ADDR_FLAG,      /* IFA_F_* */
	IP_NEIGH_FLAG,     /* NTF_* */
	IP_NEIGH_FLAG_EXT, /* NTF_EXT_* (NDA_FLAGS_EXT) */
	IP_ROUTE_FLAG,     /* RTNH_F_*, RTM_F_* */
	IP_PROTO,          /* RTPROT_* */
	IP_METRIC,         /* RTAX_* */
};

/* ip's name for value where it differs from libnl's or libnl has none;
 * NULL where libnl's name stands. Pure. */
const char *ip_spelling(enum ip_kind kind, uint32_t value);

#endif
