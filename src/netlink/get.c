/* One request, one answer (not a dump): RTM_GETLINK by ifindex, since
 * naming one veth peer (and its bridge) costs two small answers instead of
 * a dump of every link of a node that may have hundreds; and RTM_GETNSID
 * (nsid.c). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include "netjoin/nl.h"
#include "nlattr.h"

struct get_answer {
	struct nj_link *out;
	int found;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_answer *ans = data;

	if (nlh->nlmsg_type != RTM_NEWLINK || ans->found)
		return MNL_CB_OK;
	if (netlink_decode_link(nlh, ans->out) == 0)
		ans->found = 1;
	return MNL_CB_OK;
}

int netlink_request(struct mnl_socket *nl, struct nlmsghdr *req, mnl_cb_t cb,
	       void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int seq = (unsigned int)time(NULL);
	bool intr = false;
	ssize_t n;
	int r;

	req->nlmsg_flags = NLM_F_REQUEST;
	req->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	r = netlink_reply_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), cb,
			 data, &intr);
	return r < 0 ? r : 0;
}

int netlink_get_link(struct mnl_socket *nl, int32_t ifindex, struct nj_link *out)
{
	char req[256];
	struct nj_link l;
	struct get_answer ans = { .out = &l };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int r;

	if (ifindex <= 0)
		return -ENODEV;
	ifi = netlink_req_init(req, sizeof(req), RTM_GETLINK, sizeof(*ifi), &nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	r = netlink_request(nl, nlh, get_cb, &ans);
	if (r < 0)
		return r;
	if (!ans.found || l.ifindex != ifindex)
		return -ENODEV;
	*out = l;
	return 0;
}
