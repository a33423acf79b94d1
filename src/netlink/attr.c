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

/* A fixed-size value of type t (n bytes). */
static int attr_fixed(const struct nlattr *a, enum mnl_attr_data_type t,
		      void *v, size_t n)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, t) < 0)
		return -EINVAL;
	memcpy(v, mnl_attr_get_payload(a), n);
	return 1;
}

int netlink_attr_u8(const struct nlattr *a, uint8_t *v)
{
	return attr_fixed(a, MNL_TYPE_U8, v, sizeof(*v));
}

int netlink_attr_u32(const struct nlattr *a, uint32_t *v)
{
	return attr_fixed(a, MNL_TYPE_U32, v, sizeof(*v));
}

int netlink_attr_str(const struct nlattr *a, char *out, size_t sz)
{
	const char *s;
	size_t n;

	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return -EINVAL;
	s = mnl_attr_get_str(a);
	n = strlen(s);
	if (n >= sz)
		return -EINVAL;
	memcpy(out, s, n + 1);
	return 1;
}

int netlink_attr_bytes(const struct nlattr *a, uint8_t *out, size_t n, int exact,
		  uint8_t *len)
{
	uint16_t got;

	if (!a)
		return 0;
	got = mnl_attr_get_payload_len(a);
	if (exact ? got != n : got > n)
		return -EINVAL;
	memcpy(out, mnl_attr_get_payload(a), got);
	if (len)
		*len = (uint8_t)got;
	return 1;
}
