/* Attribute tables and validated getters for every netlink decoder. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "nlattr.h"

int netlink_attrs_parse_payload(const void *p, size_t len,
			   const struct nlattr **tb, unsigned int max)
{
	const struct nlattr *a;
	size_t off = 0;
	uint16_t type;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (off < len) {
		a = (const struct nlattr *)((const char *)p + off);
		if (len - off < sizeof(*a) || a->nla_len < sizeof(*a) ||
		    a->nla_len > len - off)
			return -EINVAL;
		type = mnl_attr_get_type(a);
		if (type <= max)
			tb[type] = a;
		off += MNL_ALIGN(a->nla_len); /* past len only at the end */
	}
	return 0;
}

int netlink_attrs_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		   const struct nlattr **tb, unsigned int max)
{
	size_t off = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen);

	if (nlh->nlmsg_len < off) {
		memset(tb, 0, (max + 1) * sizeof(*tb));
		return -EINVAL;
	}
	return netlink_attrs_parse_payload((const char *)nlh + off,
				      nlh->nlmsg_len - off, tb, max);
}

const void *netlink_msg_parse(const struct nlmsghdr *nlh, uint16_t type,
			      size_t hdrlen, const struct nlattr **tb,
			      unsigned int max)
{
	if (nlh->nlmsg_type != type ||
	    netlink_attrs_parse(nlh, hdrlen, tb, max) < 0)
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

const void *netlink_msg_parse_inet(const struct nlmsghdr *nlh, uint16_t type,
				   size_t hdrlen, const struct nlattr **tb,
				   unsigned int max, int *err)
{
	const uint8_t *family = netlink_msg_parse(nlh, type, hdrlen, tb, max);

	*err = -EINVAL;
	if (!family)
		return NULL;
	*err = -EAFNOSUPPORT;
	if (*family != AF_INET && *family != AF_INET6)
		return NULL;
	return family;
}

void *netlink_req_init(void *buf, size_t sz, uint16_t type, size_t hdrlen,
		       struct nlmsghdr **nlh)
{
	memset(buf, 0, sz);
	*nlh = mnl_nlmsg_put_header(buf);
	(*nlh)->nlmsg_type = type;
	return mnl_nlmsg_put_extra_header(*nlh, hdrlen);
}

/* The payload of a, whose header netlink_attrs_parse checked, and its
 * length: inline, as libmnl's getters are calls into a shared library
 * and a dump makes millions of them. */
static const void *payload(const struct nlattr *a, size_t *len)
{
	*len = a->nla_len > MNL_ATTR_HDRLEN ? a->nla_len - MNL_ATTR_HDRLEN : 0;
	return (const char *)a + MNL_ATTR_HDRLEN;
}

/* A fixed-size value of exactly n bytes, as mnl_attr_validate checks the
 * fixed types. */
static int attr_fixed(const struct nlattr *a, void *v, size_t n)
{
	const void *p;
	size_t len;

	if (!a)
		return 0;
	p = payload(a, &len);
	if (len != n)
		return -EINVAL;
	memcpy(v, p, n);
	return 1;
}

int netlink_attr_u8(const struct nlattr *a, uint8_t *v)
{
	return attr_fixed(a, v, sizeof(*v));
}

int netlink_attr_u32(const struct nlattr *a, uint32_t *v)
{
	return attr_fixed(a, v, sizeof(*v));
}

int netlink_attr_str(const struct nlattr *a, char *out, size_t sz)
{
	const char *s;
	size_t len, n;

	if (!a)
		return 0;
	s = payload(a, &len);
	/* MNL_TYPE_NUL_STRING: not empty, and its last byte a NUL */
	if (!len || s[len - 1])
		return -EINVAL;
	n = strlen(s);
	if (n >= sz)
		return -EINVAL;
	memcpy(out, s, n + 1);
	return 1;
}

int netlink_attr_bytes(const struct nlattr *a, uint8_t *out, size_t n, int exact,
		  uint8_t *len)
{
	const void *p;
	size_t got;

	if (!a)
		return 0;
	p = payload(a, &got);
	if (exact ? got != n : got > n)
		return -EINVAL;
	memcpy(out, p, got);
	if (len)
		*len = (uint8_t)got;
	return 1;
}
