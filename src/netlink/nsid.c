/* RTM_GETNSID: the id a namespace gives another one (IFLA_LINK_NETNSID
 * values are such ids). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include "netjoin/nl.h"
#include "nlattr.h"

struct nsid_answer {
	int32_t nsid;
	int found;
};

/* The id of an RTM_NEWNSID message; one that is malformed says none. */
static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NETNSA_MAX + 1];
	struct nsid_answer *ans = data;
	uint32_t v;

	if (!netlink_msg_parse(nlh, RTM_NEWNSID, sizeof(struct rtgenmsg), tb,
			       NETNSA_MAX))
		return MNL_CB_OK;
	if (netlink_attr_u32(tb[NETNSA_NSID], &v) == 1) {
		ans->nsid = (int32_t)v;
		ans->found = 1;
	}
	return MNL_CB_OK;
}

/* What an answer said: the id, -ENOENT when there is none, or the
 * walk's error. */
static int nsid_result(int r, const struct nsid_answer *ans)
{
	if (r < 0)
		return r;
	if (!ans->found || ans->nsid < 0)
		return -ENOENT; /* no id assigned: not linked from here */
	return ans->nsid;
}

int netlink_nsid_parse(const void *buf, size_t len, unsigned int seq,
		  unsigned int portid)
{
	struct nsid_answer ans = { .nsid = -1 };
	bool intr = false;

	return nsid_result(netlink_reply_run(buf, len, seq, portid, nsid_cb, &ans,
					&intr), &ans);
}

int netlink_get_nsid(struct mnl_socket *nl, int fd, int32_t *nsid)
{
	char req[64];
	struct nsid_answer ans = { .nsid = -1 };
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	int r;

	g = netlink_req_init(req, sizeof(req), RTM_GETNSID, sizeof(*g), &nlh);
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	r = nsid_result(netlink_request(nl, nlh, nsid_cb, &ans), &ans);
	if (r < 0)
		return r;
	*nsid = r;
	return 0;
}
