/* --find: what to look for, parsed from the command line. */
#ifndef NETJOIN_QUERY_H
#define NETJOIN_QUERY_H

#include <stdbool.h>
#include <stdint.h>

/* --find: what to look for. */
struct nj_query {
	enum { NJ_Q_IP, NJ_Q_PREFIX, NJ_Q_MAC } kind;
	uint8_t family;      /* AF_INET, AF_INET6 */
	uint8_t addr[16];
	uint8_t prefixlen;
	uint8_t mac[6];
};

/* Parse "10.0.0.5", "fd00::/64", "02:42:ac:11:00:02" (or with '-'). Pure.
 * 0 or -EINVAL. */
int query_parse(const char *s, struct nj_query *q);
/* Does the address (family, bytes) match? Pure. */
bool query_match_ip(const struct nj_query *q, uint8_t family,
		    const uint8_t *addr);

#endif
