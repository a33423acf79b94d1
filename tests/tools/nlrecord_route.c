/* nlrecord_route: record an RTM_GETROUTE or RTM_GETNEIGH dump of the
 * current network namespace as raw bytes, for the route and neighbour
 * decoder tests to replay. Not part of the build:
 *
 *   cc -o /tmp/nlrecord_route tests/tools/nlrecord_route.c \
 *      $(pkg-config --cflags --libs libmnl)
 *   ip netns exec NS /tmp/nlrecord_route route|neigh|proxy FILE
 *
 * route: every route of every family (AF_UNSPEC), as `ip route show table
 * all` asks; neigh: the neighbour tables, as `ip neigh` asks; proxy: the
 * proxy entries, as `ip neigh show proxy` asks (ndm_flags NTF_PROXY).
 * FILE gets every recv() buffer of the dump, concatenated, up to and
 * including the one holding NLMSG_DONE (tests/tools/mkfixtures_route.sh). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

/* as in nlrecord.c: the kernel fills a buffer this size */
#define DUMP_BUFSZ 32768

enum what { ROUTE, NEIGH, PROXY };

static int usage(void)
{
	fputs("usage: nlrecord_route route|neigh|proxy FILE\n", stderr);
	return 2;
}

static struct nlmsghdr *build_request(char *buf, enum what w, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (w == ROUTE) {
		struct rtmsg *rtm;

		nlh->nlmsg_type = RTM_GETROUTE;
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = AF_UNSPEC;
	} else {
		struct ndmsg *ndm;

		nlh->nlmsg_type = RTM_GETNEIGH;
		ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
		ndm->ndm_family = AF_UNSPEC;
		if (w == PROXY)
			ndm->ndm_flags = NTF_PROXY;
	}
	return nlh;
}

/* 1 when this buffer ends the dump, 0 when more follow, -1 on a kernel
 * error or an interrupted dump. */
static int buffer_ends_dump(const char *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int n = (int)len;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			fputs("nlrecord_route: dump interrupted, run again\n",
			      stderr);
			return -1;
		}
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

			fprintf(stderr, "nlrecord_route: netlink error: %s\n",
				strerror(-err->error));
			return -1;
		}
		if (nlh->nlmsg_type == NLMSG_DONE)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	char *buf = malloc(DUMP_BUFSZ);
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	uint32_t seq = (uint32_t)time(NULL);
	enum what w;
	FILE *out;
	ssize_t n;
	int done = 0, rc = 1;

	if (argc != 3)
		return usage();
	if (!strcmp(argv[1], "route"))
		w = ROUTE;
	else if (!strcmp(argv[1], "neigh"))
		w = NEIGH;
	else if (!strcmp(argv[1], "proxy"))
		w = PROXY;
	else
		return usage();
	if (!buf)
		return 1;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlrecord_route: netlink socket");
		return 1;
	}
	out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		goto out_close;
	}
	nlh = build_request(req, w, seq);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("nlrecord_route: send");
		goto out_file;
	}
	while (!done) {
		n = mnl_socket_recvfrom(nl, buf, DUMP_BUFSZ);
		if (n < 0) {
			perror("nlrecord_route: recv");
			goto out_file;
		}
		done = buffer_ends_dump(buf, (size_t)n);
		if (done < 0)
			goto out_file;
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
			perror(argv[2]);
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
