/* RTM_GETNSID: the id a namespace gives another one (IFLA_LINK_NETNSID
 * values are such ids). */
#include <errno.h>
#include <string.h>
#include <time.h>
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
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nsid_answer ans = { .nsid = -1 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	unsigned int seq = (unsigned int)time(NULL);
	ssize_t n;
	int r;

	nlh->nlmsg_type = RTM_GETNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	r = mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), nsid_cb,
		       &ans);
	if (r < 0)
		return -errno;
	if (!ans.found || ans.nsid < 0)
		return -ENOENT; /* no id assigned: not linked from here */
	*nsid = ans.nsid;
	return 0;
}
