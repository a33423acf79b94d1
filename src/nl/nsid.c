/* RTM_GETNSID: the id a namespace gives another one (IFLA_LINK_NETNSID
 * values are such ids). */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include "netjoin/nl.h"

struct nsid_answer {
	int32_t nsid;
	int found;
};

static int nsid_attr(const struct nlattr *a, void *data)
{
	struct nsid_answer *ans = data;

	if (mnl_attr_get_type(a) == NETNSA_NSID &&
	    mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
		ans->nsid = (int32_t)mnl_attr_get_u32(a);
		ans->found = 1;
	}
	return MNL_CB_OK;
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(struct rtgenmsg), nsid_attr, data);
	return MNL_CB_OK;
}

int nl_get_nsid(struct mnl_socket *nl, int fd, int32_t *nsid)
{
	char req[64];
	struct nsid_answer ans = { .nsid = -1 };
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	int r;

	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	r = nl_request(nl, nlh, nsid_cb, &ans);
	if (r < 0)
		return r;
	if (!ans.found || ans.nsid < 0)
		return -ENOENT; /* no id assigned: not linked from here */
	*nsid = ans.nsid;
	return 0;
}
