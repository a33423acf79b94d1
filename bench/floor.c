/* The floor for netjoin's listing: pidfd_open + setns + one link dump and
 * one address dump through libmnl, nothing decoded, nothing printed.
 * Usage: floor PID. Built by scripts/bench.sh only. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

static int count(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	++*(long *)data;
	return MNL_CB_OK;
}

static long dump(struct mnl_socket *nl, uint16_t type, char *buf, size_t sz)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	unsigned int seq = (unsigned int)time(NULL) + type;
	long n = 0;
	ssize_t len;
	int r;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
	g->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		len = mnl_socket_recvfrom(nl, buf, sz);
		if (len < 0)
			return -1;
		r = mnl_cb_run(buf, (size_t)len, seq, mnl_socket_get_portid(nl),
			       count, &n);
	} while (r > MNL_CB_STOP);
	return r < 0 ? -1 : n;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	struct mnl_socket *nl;
	int fd;

	if (argc != 2)
		return 2;
	fd = (int)syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		perror("join");
		return 1;
	}
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return 1;
	if (dump(nl, RTM_GETLINK, buf, sizeof(buf)) < 0 ||
	    dump(nl, RTM_GETADDR, buf, sizeof(buf)) < 0)
		return 1;
	mnl_socket_close(nl);
	return 0;
}
