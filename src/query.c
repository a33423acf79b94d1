/* --find: the address, prefix or MAC asked for, and what matches it. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "netjoin/num.h"
#include "netjoin/query.h"

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char sep, tail;
	int i, n;

	if (strlen(s) != 17)
		return -EINVAL;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		n = sscanf(s + 3 * i, "%2x%c", &b[i], &tail);
		if (n < 1 || (i < 5 && (n != 2 || tail != sep)) ||
		    !isxdigit((unsigned char)s[3 * i]) ||
		    !isxdigit((unsigned char)s[3 * i + 1]))
			return -EINVAL;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

int query_parse(const char *s, struct nj_query *q)
{
	char ip[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long long len;

	memset(q, 0, sizeof(*q));
	if (parse_mac(s, q->mac) == 0) {
		q->kind = NJ_Q_MAC;
		return 0;
	}
	if (n == 0 || n >= sizeof(ip))
		return -EINVAL;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (inet_pton(AF_INET, ip, q->addr) == 1)
		q->family = AF_INET;
	else if (inet_pton(AF_INET6, ip, q->addr) == 1)
		q->family = AF_INET6;
	else
		return -EINVAL;
	q->kind = NJ_Q_IP;
	if (!slash)
		return 0;
	if (num_parse_str(slash + 1, q->family == AF_INET ? 32 : 128, &len) < 0)
		return -EINVAL;
	q->kind = NJ_Q_PREFIX;
	q->prefixlen = (uint8_t)len;
	return 0;
}

bool query_match_ip(const struct nj_query *q, uint8_t family,
		    const uint8_t *addr)
{
	size_t alen = family == AF_INET ? 4 : 16, full, bits;

	if (q->kind == NJ_Q_MAC || q->family != family)
		return false;
	if (q->kind == NJ_Q_IP)
		return !memcmp(q->addr, addr, alen);
	full = q->prefixlen / 8;
	bits = q->prefixlen % 8;
	if (memcmp(q->addr, addr, full))
		return false;
	return !bits || !((q->addr[full] ^ addr[full]) &
			  (uint8_t)(0xff << (8 - bits)));
}
