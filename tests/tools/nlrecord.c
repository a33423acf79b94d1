/* nlrecord: record a netlink dump of the current network namespace as raw
 * bytes, for the decoder unit tests to replay. Not part of the build:
 *
 *   cc -o /tmp/nlrecord tests/tools/nlrecord.c \
 *      $(pkg-config --cflags --libs libmnl)
 *   ip netns exec NS /tmp/nlrecord link|addr|route|neigh|proxy FILE
 *   ip netns exec NS /tmp/nlrecord sock tcp|udp 4|6 [all|listen] FILE
 *   ip netns exec NS /tmp/nlrecord nsid NSFILE FILE
 *   ip netns exec NS /tmp/nlrecord events SECONDS FILE
 *
 * link: RTM_GETLINK with IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS; addr:
 * RTM_GETADDR; route: every route of every family, as `ip route show table
 * all` asks; neigh: the neighbour tables, as `ip neigh` asks; proxy: the
 * proxy entries, as `ip neigh show proxy` asks (ndm_flags NTF_PROXY);
 * sock: the NETLINK_SOCK_DIAG request netjoin (and ss) sends,
 * inet_diag_req_v2 for one protocol and family, no extensions, states all
 * (ss -a: 0xfff) or listening (ss -l: LISTEN and CLOSE). All AF_UNSPEC
 * but sock.
 *
 * nsid: not a dump but RTM_GETNSID for the namespace of NSFILE (any
 * file: what the kernel answers for one that is no namespace is recorded
 * too), as netlink_get_nsid asks.
 *
 * FILE gets every recv() buffer of the dump, concatenated, up to and
 * including the one holding NLMSG_DONE (tests/tools/mkfixtures*.sh); for
 * nsid, the one buffer of the answer, an NLMSG_ERROR included.
 *
 * events: no request, but the notifications --watch listens to (the
 * link, address, route and neighbour groups) for SECONDS, every recv()
 * buffer concatenated, with no NLMSG_DONE at the end. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/inet_diag.h>
#include <linux/neighbour.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>

/* 32 KiB, like libmnl >= 1.0.5's DUMP_BUFSZ: a dump buffer the
 * kernel fills with as many messages as fit */
#define DUMP_BUFSZ 32768

#ifndef RTEXT_FILTER_SKIP_STATS
#define RTEXT_FILTER_SKIP_STATS (1 << 3)
#endif

/* ss's SS_ALL and its -l states (TCP_LISTEN 10, TCP_CLOSE 7) */
#define STATES_ALL 0xfffu
#define STATES_LISTEN ((1u << 10) | (1u << 7))

static int usage(void)
{
	fputs("usage: nlrecord link|addr|route|neigh|proxy FILE\n"
	      "       nlrecord sock tcp|udp 4|6 [all|listen] FILE\n"
	      "       nlrecord nsid NSFILE FILE\n"
	      "       nlrecord events SECONDS FILE\n",
	      stderr);
	return 2;
}

/* An rtnetlink dump request of type with an AF_UNSPEC family header of
 * hdrlen bytes (every such header starts with its family byte). */
static void *put_rtnl(struct nlmsghdr *nlh, uint16_t type, size_t hdrlen)
{
	unsigned char *h;

	nlh->nlmsg_type = type;
	h = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	h[0] = AF_UNSPEC;
	return h;
}

/* argv (after the program name) into a dump request in buf and the bus to
 * send it on; NULL for bad arguments. */
static struct nlmsghdr *build_request(char *buf, int argc, char **argv,
				      int *bus)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	const char *w = argv[0];

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	*bus = NETLINK_ROUTE;
	if (argc == 2 && !strcmp(w, "link")) {
		put_rtnl(nlh, RTM_GETLINK, sizeof(struct ifinfomsg));
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	} else if (argc == 2 && !strcmp(w, "addr")) {
		put_rtnl(nlh, RTM_GETADDR, sizeof(struct ifaddrmsg));
	} else if (argc == 2 && !strcmp(w, "route")) {
		put_rtnl(nlh, RTM_GETROUTE, sizeof(struct rtmsg));
	} else if (argc == 2 && (!strcmp(w, "neigh") || !strcmp(w, "proxy"))) {
		struct ndmsg *ndm =
			put_rtnl(nlh, RTM_GETNEIGH, sizeof(struct ndmsg));

		if (!strcmp(w, "proxy"))
			ndm->ndm_flags = NTF_PROXY;
	} else if (argc == 3 && !strcmp(w, "nsid")) {
		int fd = open(argv[1], O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			perror(argv[1]);
			return NULL;
		}
		/* the kernel takes its reference while answering: the
		 * descriptor stays open until the program ends */
		nlh->nlmsg_flags = NLM_F_REQUEST;
		put_rtnl(nlh, RTM_GETNSID, sizeof(struct rtgenmsg));
		mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	} else if ((argc == 4 || argc == 5) && !strcmp(w, "sock")) {
		struct inet_diag_req_v2 *r;

		*bus = NETLINK_SOCK_DIAG;
		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
		if (!strcmp(argv[1], "tcp"))
			r->sdiag_protocol = IPPROTO_TCP;
		else if (!strcmp(argv[1], "udp"))
			r->sdiag_protocol = IPPROTO_UDP;
		else
			return NULL;
		if (!strcmp(argv[2], "4"))
			r->sdiag_family = AF_INET;
		else if (!strcmp(argv[2], "6"))
			r->sdiag_family = AF_INET6;
		else
			return NULL;
		r->idiag_states = STATES_ALL;
		if (argc == 5 && !strcmp(argv[3], "listen"))
			r->idiag_states = STATES_LISTEN;
		else if (argc == 5 && strcmp(argv[3], "all"))
			return NULL;
	} else {
		return NULL;
	}
	return nlh;
}

/* Does this buffer end the dump (NLMSG_DONE or NLMSG_ERROR)? 1 yes,
 * 0 no, -1 on a kernel error or an interrupted dump. */
static int buffer_ends_dump(const char *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int n = (int)len;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			fputs("nlrecord: dump interrupted, run again\n",
			      stderr);
			return -1;
		}
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

			fprintf(stderr, "nlrecord: netlink error: %s\n",
				strerror(-err->error));
			return -1;
		}
		if (nlh->nlmsg_type == NLMSG_DONE)
			return 1;
	}
	return 0;
}

/* events SECONDS FILE */
static int record_events(int seconds, const char *file)
{
	static const unsigned int groups[] = {
		RTNLGRP_LINK,       RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
		RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,  RTNLGRP_NEIGH,
	};
	struct timeval tv = { 0, 100000 };
	char *buf = malloc(DUMP_BUFSZ);
	time_t end = time(NULL) + seconds;
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	FILE *out;
	size_t i;
	ssize_t n;
	int fd;

	if (!buf || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlrecord: netlink socket");
		return 1;
	}
	fd = mnl_socket_get_fd(nl);
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &groups[i], sizeof(groups[i])) < 0) {
			perror("nlrecord: NETLINK_ADD_MEMBERSHIP");
			return 1;
		}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	out = fopen(file, "wb");
	if (!out) {
		perror(file);
		return 1;
	}
	while (time(NULL) < end) {
		n = recv(fd, buf, DUMP_BUFSZ, 0);
		if (n > 0 && fwrite(buf, 1, (size_t)n, out) != (size_t)n)
			return 1;
	}
	mnl_socket_close(nl);
	free(buf);
	return fclose(out) != 0;
}

int main(int argc, char **argv)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	char *buf = malloc(DUMP_BUFSZ);
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	const char *file;
	FILE *out;
	ssize_t n;
	int bus, done = 0, rc = 1;

	if (argc == 4 && !strcmp(argv[1], "events")) {
		free(buf);
		return record_events(atoi(argv[2]), argv[3]);
	}
	if (argc < 3 || !(nlh = build_request(req, argc - 1, argv + 1, &bus))) {
		free(buf);
		return usage();
	}
	file = argv[argc - 1];
	if (!buf)
		return 1;

	nl = mnl_socket_open(bus);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlrecord: netlink socket");
		return 1;
	}
	out = fopen(file, "wb");
	if (!out) {
		perror(file);
		goto out_close;
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("nlrecord: send");
		goto out_file;
	}
	while (!done) {
		n = mnl_socket_recvfrom(nl, buf, DUMP_BUFSZ);
		if (n < 0) {
			perror("nlrecord: recv");
			goto out_file;
		}
		/* one answer to a request that is not a dump, as it is */
		done = nlh->nlmsg_flags & NLM_F_DUMP ?
			       buffer_ends_dump(buf, (size_t)n) : 1;
		if (done < 0)
			goto out_file;
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
			perror(file);
			goto out_file;
		}
	}
	rc = 0;
out_file:
	if (fclose(out) != 0)
		rc = 1;
out_close:
	mnl_socket_close(nl);
	free(buf);
	return rc;
}
