/* LXC (lxc-start), from LXC's own state, as lxc-ls and lxc-info read it:
 * a container is a directory of the lxcpath (lxc.lxcpath of
 * /etc/lxc/lxc.conf, else /var/lib/lxc) with a config file; a running one
 * has a monitor, lxc-start, which answers on its command socket and hands
 * over a pidfd of the container's init (LXC 4.0 and later). A container
 * has no ID: its name is both. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include "netjoin/lxcmsg.h"
#include "netjoin/procfs.h"
#include "runtime.h"

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

#define LXC_DEFAULT_PATH "/var/lib/lxc"
#define LXC_GLOBAL_CONF "/etc/lxc/lxc.conf"
/* root's lxc-* tools lock a container in <this><lxcpath>/.<name> */
#define LXC_LOCK_DIR "/run/lxc/lock"
/* a monitor that does not answer within this is taken as not running */
#define LXC_TIMEOUT_MS 2000

/* The lxcpath, as lxc-ls and lxc-info take it: lxc.lxcpath of lxc.conf,
 * else the default. It is the path as the host sees it, which also
 * names the command sockets. */
static void lxcpath(const struct nj_ctx *ctx, char *out, size_t sz)
{
	char path[PATH_MAX], *buf;
	size_t len;
	int found = 0;

	if (ctx_path(ctx, path, sizeof(path), LXC_GLOBAL_CONF) == 0 &&
	    read_file(path, 1u << 16, &buf, &len) == 0) {
		found = lxcmsg_conf_lxcpath(buf, len, out, sz) == 1;
		free(buf);
	}
	if (!found)
		snprintf(out, sz, "%s", LXC_DEFAULT_PATH);
}

int lxcmon_lockdir(const struct nj_ctx *ctx, char *out, size_t sz)
{
	char path[PATH_MAX];

	lxcpath(ctx, path, sizeof(path));
	if (path[0] != '/')
		return -EINVAL;
	if (snprintf(out, sz, "%s%s", LXC_LOCK_DIR, path) >= (int)sz)
		return -ENAMETOOLONG;
	return 0;
}

/* Connected to the command socket of container name, or -errno
 * (-ECONNREFUSED: nobody listens, the container is not running). */
static int monitor_connect(const char *lxcpath, const char *name)
{
	struct timeval tv = { LXC_TIMEOUT_MS / 1000,
			      (LXC_TIMEOUT_MS % 1000) * 1000 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char sock[LXCMSG_SOCKNAME_MAX + 1];
	size_t len;
	int fd, err;

	if (lxcmsg_sockname(lxcpath, name, sock, sizeof(sock), &len) < 0)
		return -EINVAL;
	/* abstract: a NUL, then the name, no NUL after it */
	memcpy(sa.sun_path + 1, sock, len);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				len)) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	return fd;
}

/* The monitor of root's containers is root's lxc-start: anyone may bind
 * an abstract name, and a socket of another user's could hand over any
 * of their processes. 0, or -EKEYREJECTED (a code nothing else on this
 * path returns) with its uid in *uid. */
static int monitor_trusted(int fd, uid_t *uid)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		return -errno;
	*uid = cr.uid;
	return cr.uid == 0 ? 0 : -EKEYREJECTED;
}

/* Send cmd as LXC's clients do, with our credentials (the monitor
 * answers root and its own user only). */
static int monitor_send(int fd, enum lxcmsg_cmd cmd)
{
	unsigned char req[LXCMSG_WIRE_LEN];
	struct ucred cr = { .pid = getpid(), .uid = getuid(),
			    .gid = getgid() };
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { req, lxcmsg_request(cmd, req) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.buf,
			      .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm;
	ssize_t n;

	memset(&ctl, 0, sizeof(ctl));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(cm), &cr, sizeof(cr));
	n = sendmsg(fd, &msg, MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	return (size_t)n == iov.iov_len ? 0 : -EPROTO;
}

/* The response, and the one fd that may come with it (-1 for none);
 * any other fd is closed. */
static int monitor_recv(int fd, struct lxcmsg_rsp *rsp, int *passed)
{
	unsigned char buf[LXCMSG_WIRE_LEN];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.buf,
			      .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm;
	ssize_t n;
	int got;

	*passed = -1;
	do
		n = recvmsg(fd, &msg, MSG_WAITALL | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int))) {
			memcpy(&got, CMSG_DATA(cm), sizeof(got));
			if (*passed >= 0)
				close(got);
			else
				*passed = got;
		}
	if (lxcmsg_response(buf, (size_t)n, rsp) < 0 ||
	    (msg.msg_flags & MSG_CTRUNC)) {
		if (*passed >= 0)
			close(*passed);
		*passed = -1;
		return -EPROTO;
	}
	return 0;
}

/* The PID a pidfd pins, from its fdinfo. */
static int pidfd_pid(int pidfd, pid_t *pid)
{
	char path[64], buf[512];
	size_t len = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < sizeof(buf) &&
	       ((n = read(fd, buf + len, sizeof(buf) - len)) > 0 ||
		(n < 0 && errno == EINTR)))
		if (n > 0)
			len += (size_t)n;
	close(fd);
	return lxcmsg_fdinfo_pid(buf, len, pid);
}

/* The init of the container, from the pidfd its monitor handed over:
 * its PID and start time, read while the pidfd pins it, so the PID is
 * joined only while it is still that process (cand_open checks the start
 * time again through a pidfd of its own). */
static void from_pidfd(int pidfd, struct nj_cand *c)
{
	struct proc_stat st;
	pid_t pid;
	int r = pidfd_pid(pidfd, &pid);

	if (r == 0)
		r = procfs_read_stat(pid, &st);
	/* alive after the read: the stat was this process's */
	if (r == 0 && syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
		r = -errno;
	if (r == -ESRCH) {
		snprintf(c->status, sizeof(c->status), "stopped");
		return;
	}
	c->running = true;
	snprintf(c->status, sizeof(c->status), "running");
	if (r < 0 || st.state == 'Z' || st.state == 'X') {
		c->start_err = r < 0 ? -r : ESRCH;
		return;
	}
	c->pid = pid;
	c->start_time = st.start_time;
}

/* One command to the monitor of container name (a connection each: the
 * monitor hangs up after one answer). 0 with the response and the fd
 * it passed (-1 for none); -ECONNREFUSED when nobody listens (not
 * running), -EKEYREJECTED with *uid when a stranger does, or another
 * -errno. */
static int monitor_ask(const char *lxcpath, const char *name,
		       enum lxcmsg_cmd cmd, struct lxcmsg_rsp *rsp,
		       int *pidfd, uid_t *uid)
{
	int fd = monitor_connect(lxcpath, name), r;

	*pidfd = -1;
	if (fd < 0)
		return fd;
	r = monitor_trusted(fd, uid);
	if (r == 0)
		r = monitor_send(fd, cmd);
	if (r == 0)
		r = monitor_recv(fd, rsp, pidfd);
	close(fd);
	return r;
}

/* Running, but without a pidfd of its init (LXC before 4.0): its PID,
 * for -L, but never joined, since its start time cannot be checked. */
static void without_pidfd(const char *lxcpath, int why, struct nj_cand *c)
{
	struct lxcmsg_rsp rsp;
	int pidfd;
	uid_t uid;

	c->running = true;
	c->start_err = why;
	snprintf(c->status, sizeof(c->status), "running");
	if (monitor_ask(lxcpath, c->name, LXCMSG_GET_INIT_PID, &rsp, &pidfd,
			&uid) < 0)
		return;
	if (pidfd >= 0)
		close(pidfd);
	lxcmsg_init_pid(&rsp, &c->pid);
}

/* Ask the monitor of c (under lxcpath) for its init; c stays not
 * running when no monitor answers. -EACCES when the monitor refuses us
 * (it answers root and its own user only), else 0. */
static int ask_monitor(const char *lxcpath, struct nj_cand *c)
{
	struct lxcmsg_rsp rsp;
	int pidfd, r;
	uid_t uid;

	snprintf(c->status, sizeof(c->status), "stopped");
	r = monitor_ask(lxcpath, c->name, LXCMSG_GET_INIT_PIDFD, &rsp, &pidfd,
			&uid);
	if (r == -ECONNREFUSED || r == -ENOENT)
		return 0;
	if (r == -EKEYREJECTED) {
		snprintf(c->status, sizeof(c->status),
			 "its command socket is held by uid %u, not by root's lxc-start; not trusted",
			 (unsigned)uid);
		return 0;
	}
	if (r < 0 || (rsp.ret == 0 && pidfd < 0)) {
		/* something listens that does not speak LXC's protocol, or
		 * a monitor that hung: not a container to join */
		snprintf(c->status, sizeof(c->status),
			 "its monitor did not answer (%s)",
			 strerror(r < 0 ? -r : EPROTO));
		return 0;
	}
	if (pidfd >= 0) {
		from_pidfd(pidfd, c);
		close(pidfd);
		return 0;
	}
	if (rsp.ret == -EPERM || rsp.ret == -EACCES)
		return -EACCES;
	without_pidfd(lxcpath, -rsp.ret, c);
	return 0;
}

/* The containers of lxcpath matching ref into out; -EACCES with its name
 * in refused when we may not read one, or its monitor refused us (it is
 * left out). */
static int scan_path(const struct nj_ctx *ctx, const char *lxcpath,
		     const char *ref, struct nj_cands *out, char *refused,
		     size_t sz)
{
	char dir[PATH_MAX], conf[PATH_MAX];
	struct nj_cand *c;
	enum nj_match m;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0;

	if (ctx_path(ctx, dir, sizeof(dir), "%s", lxcpath) < 0)
		return 0;
	d = opendir(dir);
	if (!d)
		return errno == EACCES || errno == EPERM ? -errno : 0;
	while (rc == 0 && (de = readdir(d))) {
		/* names only: a container has no ID to take a prefix of */
		m = de->d_name[0] == '.' ? 0 : cand_match(ref, "", de->d_name);
		if (!m || strlen(de->d_name) >= sizeof(c->id) ||
		    snprintf(conf, sizeof(conf), "%s/%s/config", dir,
			     de->d_name) >= (int)sizeof(conf))
			continue;
		if (stat(conf, &st) < 0) {
			/* root's container, which a user may not even see */
			if (errno == EACCES)
				snprintf(refused, sz, "%s", de->d_name);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		c = runtime_cand(out, "lxc", "disk", m, de->d_name);
		if (!c) {
			rc = -ENOMEM;
			break;
		}
		snprintf(c->name, sizeof(c->name), "%s", de->d_name);
		snprintf(c->state_file, sizeof(c->state_file),
			 "%s/%s, its monitor's command socket", dir,
			 de->d_name);
		if (ask_monitor(lxcpath, c) == -EACCES) {
			snprintf(refused, sz, "%s", c->name);
			cands_truncate(out, out->n - 1);
		}
	}
	closedir(d);
	return rc < 0 ? rc : refused[0] ? -EACCES : 0;
}

int lxcmon_find(const struct nj_ctx *ctx, const char *ref,
		struct nj_cands *out, struct nj_err *e)
{
	char path[PATH_MAX], refused[256] = "";
	int rc;

	lxcpath(ctx, path, sizeof(path));
	rc = scan_path(ctx, path, ref, out, refused, sizeof(refused));
	if (rc == -ENOMEM)
		return nj_fail(e, NJ_FAIL, ENOMEM, "out of memory");
	if (refused[0])
		return nj_fail(e, NJ_PERM, EACCES,
			       "LXC container %s is root's: finding its process needs root",
			       refused);
	if (rc < 0)
		return nj_fail(e, NJ_PERM, -rc, "cannot read LXC's %s: %s", path,
			       strerror(-rc));
	return 0;
}
