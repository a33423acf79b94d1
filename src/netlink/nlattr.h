/* Attribute parsing shared by the netlink decoders: a table first, then
 * validated getters. Pure. */
#ifndef NETJOIN_NLATTR_H
#define NETJOIN_NLATTR_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

/* The attributes after a fixed header of hdrlen bytes into tb[0..max],
 * up to the length the sender gave (not its aligned end, as
 * mnl_attr_parse reads). Unknown types are skipped. Stricter than libmnl,
 * which stops quietly at an attribute that does not fit: that, or bytes
 * left over, is -EINVAL. */
int netlink_attrs_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		   const struct nlattr **tb, unsigned int max);
/* The same for len bytes of attributes at p (a nested attribute's
 * payload). */
int netlink_attrs_parse_payload(const void *p, size_t len,
			   const struct nlattr **tb, unsigned int max);

/* A message of type (a fixed header of hdrlen bytes, then attributes):
 * its header, the attributes in tb[0..max]; NULL for another type or a
 * malformed message. */
const void *netlink_msg_parse(const struct nlmsghdr *nlh, uint16_t type,
			      size_t hdrlen, const struct nlattr **tb,
			      unsigned int max);
/* The same for a message whose header starts with an address family,
 * which must be AF_INET or AF_INET6: NULL and *err -EINVAL (as above) or
 * -EAFNOSUPPORT (another family). */
const void *netlink_msg_parse_inet(const struct nlmsghdr *nlh, uint16_t type,
				   size_t hdrlen, const struct nlattr **tb,
				   unsigned int max, int *err);
/* A request of type in buf (sz bytes, zeroed here) with a zeroed fixed
 * header of hdrlen bytes, which is returned; *nlh gets the message. */
void *netlink_req_init(void *buf, size_t sz, uint16_t type, size_t hdrlen,
		       struct nlmsghdr **nlh);

/* Getters: 1 and the value when present and well-formed, 0 when absent
 * (a NULL attribute), -EINVAL when malformed. */
int netlink_attr_u8(const struct nlattr *a, uint8_t *v);
int netlink_attr_u32(const struct nlattr *a, uint32_t *v);
/* A NUL-terminated string that fits in sz. */
int netlink_attr_str(const struct nlattr *a, char *out, size_t sz);
/* Exactly n bytes (exact), else at most n; *len gets the count. */
int netlink_attr_bytes(const struct nlattr *a, uint8_t *out, size_t n, int exact,
		  uint8_t *len);

/* In a decoder returning an errno: the getter call's error is returned,
 * and flag set when the attribute came. */
#define NETLINK_GET(call, flag)          \
	do {                             \
		int r_ = (call);         \
		if (r_ < 0)              \
			return r_;       \
		if (r_ > 0)              \
			flag = true;     \
	} while (0)

#endif
