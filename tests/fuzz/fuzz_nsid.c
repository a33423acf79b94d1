/* netlink_nsid_parse: one received answer to RTM_GETNSID, from an exact-size
 * heap copy of the input, against the seq and portid of its first
 * message and against any (0, 0).
 *
 * Checked: the result is an id (>= 0), -ENOENT, or another negative
 * errno; an id is only ever read from an RTM_NEWNSID message of the
 * answer that holds a NETNSA_NSID of four bytes with that value; and
 * matching any request refuses no more than matching the first one
 * does. */
#include <errno.h>
#include <stdbool.h>
#include <libmnl/libmnl.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include "fuzz.h"
#include "netjoin/nl.h"

/* Whether the bytes hold an RTM_NEWNSID message with a 4-byte
 * NETNSA_NSID of value id, found by a walk of their own. */
static bool holds_id(const uint8_t *p, size_t size, int32_t id)
{
	const struct nlattr *a;
	struct nlmsghdr h;
	struct nlattr ah;
	size_t off = 0, aoff, end;
	int32_t v;

	while (size - off >= sizeof(h)) {
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > size - off)
			return false;
		end = off + h.nlmsg_len;
		aoff = off + MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtgenmsg));
		while (h.nlmsg_type == RTM_NEWNSID && aoff + sizeof(ah) <= end) {
			a = (const struct nlattr *)(p + aoff);
			memcpy(&ah, a, sizeof(ah));
			if (ah.nla_len < sizeof(ah) || ah.nla_len > end - aoff)
				break;
			if ((ah.nla_type & NLA_TYPE_MASK) == NETNSA_NSID &&
			    ah.nla_len == sizeof(ah) + sizeof(v)) {
				memcpy(&v, p + aoff + sizeof(ah), sizeof(v));
				if (v == id)
					return true;
			}
			aoff += MNL_ALIGN(ah.nla_len);
		}
		if (MNL_ALIGN(h.nlmsg_len) >= size - off)
			break;
		off += MNL_ALIGN(h.nlmsg_len);
	}
	return false;
}

static int parse_copy(const uint8_t *data, size_t size, unsigned int seq,
		      unsigned int portid)
{
	char *buf = fuzz_dup(data, size);
	int r = netlink_nsid_parse(buf, size, seq, portid);

	free(buf);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int seq = 0, portid = 0;
	struct nlmsghdr h;
	int r, any;

	if (size >= sizeof(h)) {
		memcpy(&h, data, sizeof(h));
		seq = h.nlmsg_seq;
		portid = h.nlmsg_pid;
	}
	r = parse_copy(data, size, seq, portid);
	FUZZ_CHECK(r >= 0 || (r < 0 && r >= -4095));
	if (r >= 0)
		FUZZ_CHECK(holds_id(data, size, r));
	any = parse_copy(data, size, 0, 0);
	FUZZ_CHECK(any >= 0 || (any < 0 && any >= -4095));
	if (any >= 0)
		FUZZ_CHECK(holds_id(data, size, any));
	if (r != -EPROTO && r != -ESRCH)
		FUZZ_CHECK(any == r);
	return 0;
}
