/* nlrecord: record an rtnetlink dump of the current network namespace as
 * raw bytes, for the decoder unit tests to replay. Not part of the build:
 *
 *   cc -o /tmp/nlrecord tests/tools/nlrecord.c \
 *      $(pkg-config --cflags --libs libmnl)
 *   ip netns exec NS /tmp/nlrecord link|addr FILE
 *
 * FILE gets every recv() buffer of the dump, concatenated, up to and
 * including the one holding NLMSG_DONE. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

/* 32 KiB, like libmnl >= 1.0.5's DUMP_BUFSZ: a dump buffer the
 * kernel fills with as many messages as fit */
#define DUMP_BUFSZ 32768

#ifndef RTEXT_FILTER_SKIP_STATS
#define RTEXT_FILTER_SKIP_STATS (1 << 3)
#endif

static int usage(void)
{
	fputs("usage: nlrecord link|addr FILE\n", stderr);
	return 2;
}

static struct nlmsghdr *build_request(char *buf, int is_link, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (is_link) {
		struct ifinfomsg *ifi;

		nlh->nlmsg_type = RTM_GETLINK;
		ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
		ifi->ifi_family = AF_UNSPEC;
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	} else {
		struct ifaddrmsg *ifa;

		nlh->nlmsg_type = RTM_GETADDR;
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = AF_UNSPEC;
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

int main(int argc, char **argv)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	char *buf = malloc(DUMP_BUFSZ);
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	uint32_t seq = (uint32_t)time(NULL);
	FILE *out;
	ssize_t n;
	int is_link, done = 0, rc = 1;

	if (argc != 3)
		return usage();
	if (!strcmp(argv[1], "link"))
		is_link = 1;
	else if (!strcmp(argv[1], "addr"))
		is_link = 0;
	else
		return usage();
	if (!buf)
		return 1;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlrecord: netlink socket");
		return 1;
	}
	out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		goto out_close;
	}
	nlh = build_request(req, is_link, seq);
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
