/* LD_PRELOAD shim for t-faults.sh: the first netlink buffer the process
 * receives whose first message is of type NJ_DUMPINTR_TYPE (16
 * RTM_NEWLINK, 20 RTM_NEWADDR, ...) has NLM_F_DUMP_INTR set on its
 * messages, as the kernel sets it when a dump raced with a change. So a test sees, every time, what netjoin does with
 * an interrupted dump. With NJ_DUMPINTR_LOG=FILE, one line per netlink
 * request sent ("req TYPE") and per buffer marked ("marked"). Built by the
 * test itself:
 *   cc -shared -fPIC -o dumpintr.so tests/tools/dumpintr.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <linux/netlink.h>

static int is_netlink(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	return getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	       ss.ss_family == AF_NETLINK;
}

static void say(const char *what, int type)
{
	const char *path = getenv("NJ_DUMPINTR_LOG");
	FILE *f;

	if (!path || !(f = fopen(path, "a")))
		return;
	fprintf(f, "%s %d\n", what, type);
	fclose(f);
}

static void mark(void *buf, ssize_t n)
{
	static int done;
	const char *type = getenv("NJ_DUMPINTR_TYPE");
	struct nlmsghdr *h = buf;
	int len = (int)n;

	if (done || !type || !NLMSG_OK(h, len) ||
	    h->nlmsg_type != atoi(type))
		return;
	done = 1;
	for (h = buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
		h->nlmsg_flags |= NLM_F_DUMP_INTR;
	say("marked", 0);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	ssize_t n;

	if (!real)
		real = (ssize_t (*)(int, struct msghdr *, int))dlsym(RTLD_NEXT, "recvmsg");
	n = real(fd, msg, flags);
	if (n > 0 && !(flags & MSG_PEEK) && msg->msg_iovlen == 1 && is_netlink(fd))
		mark(msg->msg_iov[0].iov_base, n);
	return n;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	static ssize_t (*real)(int, const void *, size_t, int,
			       const struct sockaddr *, socklen_t);

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t, int,
				    const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "sendto");
	if (len >= sizeof(struct nlmsghdr) && is_netlink(fd))
		say("req", ((const struct nlmsghdr *)buf)->nlmsg_type);
	return real(fd, buf, len, flags, to, tolen);
}
