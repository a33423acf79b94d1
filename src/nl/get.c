/* One-shot RTM_GETLINK by ifindex: naming one veth peer (and its bridge)
 * costs two small answers instead of a dump of every link of a node that
 * may have hundreds. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include "netjoin/nl.h"

struct get_answer {
	struct nj_link *out;
	int found;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_answer *ans = data;

	if (nlh->nlmsg_type != RTM_NEWLINK || ans->found)
		return MNL_CB_OK;
	if (nl_decode_link(nlh, ans->out) == 0)
		ans->found = 1;
	return MNL_CB_OK;
}

int nl_get_link(struct mnl_socket *nl, int32_t ifindex, struct nj_link *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nj_link l;
	struct get_answer ans = { .out = &l };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	unsigned int seq = (unsigned int)time(NULL);
	ssize_t n;

	if (ifindex <= 0)
		return -ENODEV;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	/* an NLMSG_ERROR answer (no such link) makes mnl_cb_run fail */
	if (mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), get_cb,
		       &ans) < 0)
		return errno ? -errno : -EIO;
	if (!ans.found || l.ifindex != ifindex)
		return -ENODEV;
	*out = l;
	return 0;
}
