/* nlrecord_sock: record a NETLINK_SOCK_DIAG inet_diag dump of the current
 * network namespace as raw bytes, for the socket decoder tests to replay.
 * Not part of the build:
 *
 *   cc -o /tmp/nlrecord_sock tests/tools/nlrecord_sock.c \
 *      $(pkg-config --cflags --libs libmnl)
 *   ip netns exec NS /tmp/nlrecord_sock tcp|udp 4|6 [all|listen] FILE
 *
 * The request is the one netjoin (and ss) sends: inet_diag_req_v2 for one
 * protocol and family, no extensions, states all (ss -a: 0xfff) or
 * listening (ss -l: LISTEN and CLOSE). FILE gets every recv() buffer of
 * the dump, concatenated, up to and including the one holding NLMSG_DONE. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#define DUMP_BUFSZ 32768

/* ss's SS_ALL and its -l states (TCP_LISTEN 10, TCP_CLOSE 7) */
#define STATES_ALL 0xfffu
#define STATES_LISTEN ((1u << 10) | (1u << 7))

static int usage(void)
{
	fputs("usage: nlrecord_sock tcp|udp 4|6 [all|listen] FILE\n", stderr);
	return 2;
}

static struct nlmsghdr *build_request(char *buf, uint8_t proto, uint8_t af,
				      uint32_t states, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *r;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = af;
	r->sdiag_protocol = proto;
	r->idiag_states = states;
	return nlh;
}

/* Does this buffer end the dump? 1 yes, 0 no, -1 on a kernel error or an
 * interrupted dump. */
static int buffer_ends_dump(const char *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int n = (int)len;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			fputs("nlrecord_sock: dump interrupted, run again\n",
			      stderr);
			return -1;
		}
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

			fprintf(stderr, "nlrecord_sock: netlink error: %s\n",
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
	uint32_t seq = (uint32_t)time(NULL), states = STATES_ALL;
	const char *file;
	uint8_t proto, af;
	FILE *out;
	ssize_t n;
	int done = 0, rc = 1;

	if (argc != 4 && argc != 5)
		return usage();
	if (!strcmp(argv[1], "tcp"))
		proto = IPPROTO_TCP;
	else if (!strcmp(argv[1], "udp"))
		proto = IPPROTO_UDP;
	else
		return usage();
	if (!strcmp(argv[2], "4"))
		af = AF_INET;
	else if (!strcmp(argv[2], "6"))
		af = AF_INET6;
	else
		return usage();
	if (argc == 5) {
		if (!strcmp(argv[3], "listen"))
			states = STATES_LISTEN;
		else if (strcmp(argv[3], "all"))
			return usage();
	}
	file = argv[argc - 1];
	if (!buf)
		return 1;

	nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlrecord_sock: netlink socket");
		return 1;
	}
	out = fopen(file, "wb");
	if (!out) {
		perror(file);
		goto out_close;
	}
	nlh = build_request(req, proto, af, states, seq);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("nlrecord_sock: send");
		goto out_file;
	}
	while (!done) {
		n = mnl_socket_recvfrom(nl, buf, DUMP_BUFSZ);
		if (n < 0) {
			perror("nlrecord_sock: recv");
			goto out_file;
		}
		done = buffer_ends_dump(buf, (size_t)n);
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
