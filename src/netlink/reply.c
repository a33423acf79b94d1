/* One received buffer of a netlink answer, walked without a socket: what
 * the dump loop and the one-shot requests do with each recv(), and what
 * the unit tests and fuzzers feed recorded or random bytes to. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include "netjoin/nl.h"

/* The error an NLMSG_ERROR or NLMSG_DONE carries, as a negative errno
 * (subsystems send it with either sign). */
static int carried_error(const struct nlmsghdr *nlh, int *err)
{
	int32_t e;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(e)) {
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return -EBADMSG;
		*err = 0; /* a bare NLMSG_DONE */
		return 0;
	}
	if (nlh->nlmsg_type == NLMSG_ERROR &&
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct nlmsgerr)))
		return -EBADMSG;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	if (e < -4095 || e > 4095)
		return -EBADMSG; /* no errno: the caller could not tell it */
	*err = e < 0 ? e : -e;
	return 0;
}

int netlink_reply_run(const void *buf, size_t len, unsigned int seq,
		 unsigned int portid, mnl_cb_t cb, void *data, bool *intr)
{
	const char *p = buf;
	const struct nlmsghdr *nlh;
	struct nlmsghdr h;
	size_t off = 0;
	int r, err;

	while (off < len) {
		/* Unsigned, unlike mnl_nlmsg_ok (which takes a length of
		 * 2 GiB or more for one that fits). The kernel never sends
		 * part of a message (recv reports MSG_TRUNC instead), so
		 * bytes that are not a whole one are a broken answer, and
		 * waiting for more of it could wait forever. */
		if (len - off < sizeof(h))
			return -EBADMSG;
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off)
			return -EBADMSG;
		nlh = (const struct nlmsghdr *)(p + off);
		if (nlh->nlmsg_pid && portid && nlh->nlmsg_pid != portid)
			return -ESRCH; /* not from the kernel, or not to us */
		if (nlh->nlmsg_seq && seq && nlh->nlmsg_seq != seq)
			return -EPROTO; /* the answer to another request */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		if (nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_DONE) {
			r = carried_error(nlh, &err);
			/* an interrupted dump is redone whatever its end says */
			if (*intr)
				return 0;
			return r < 0 ? r : err;
		}
		/* the rest of an interrupted dump is read, not decoded */
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && !*intr) {
			errno = 0;
			r = cb(nlh, data);
			if (r == MNL_CB_STOP)
				return 0;
			if (r < MNL_CB_STOP)
				return errno ? -errno : -EIO;
		}
		/* on at the aligned length, which may be past len at the end */
		if (MNL_ALIGN(h.nlmsg_len) >= len - off)
			break;
		off += MNL_ALIGN(h.nlmsg_len);
	}
	return NL_REPLY_MORE;
}
