/* Entering a network namespace: setns(fd, CLONE_NEWNET) and nothing else;
 * for a user's own rootless container, its user namespace first.
 * Paths are checked to be network namespaces before they are joined; PIDs
 * go through a pidfd so a process that exits and whose PID is reused in
 * between is never joined by mistake. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/nsfs.h>
#include "netjoin/nsjoin.h"
#include "netjoin/procfs.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

static const struct {
	int type;
	const char *name;
} ns_types[] = {
	{ CLONE_NEWNET, "network" },   { CLONE_NEWNS, "mount" },
	{ CLONE_NEWPID, "pid" },       { CLONE_NEWUTS, "uts" },
	{ CLONE_NEWIPC, "ipc" },       { CLONE_NEWUSER, "user" },
	{ CLONE_NEWCGROUP, "cgroup" },
#ifdef CLONE_NEWTIME
	{ CLONE_NEWTIME, "time" },
#endif
};

static const char *type_name(int nstype)
{
	size_t i;

	for (i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++)
		if (ns_types[i].type == nstype)
			return ns_types[i].name;
	return "unknown";
}

/* what: "open /proc/1/ns/net", "join the network namespace of ..." */
static int perm_hint(struct nj_err *e, int err, const char *what)
{
	return nj_fail(e, NJ_PERM, err,
		       "cannot %s: %s (needs root: CAP_SYS_ADMIN, and CAP_SYS_PTRACE for a process of another user or with capabilities this one lacks)",
		       what, strerror(err));
}

static int perm_hint_obj(struct nj_err *e, int err, const char *verb,
			 const char *obj)
{
	char what[PATH_MAX + 64];

	snprintf(what, sizeof(what), "%s %s", verb, obj);
	return perm_hint(e, err, what);
}

int nsjoin_open_path(const char *path, struct nj_err *e)
{
	struct stat st;
	int fd, type, err;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		err = errno;
		if (err == EACCES || err == EPERM)
			return perm_hint_obj(e, err, "open", path);
		return nj_fail(e, err == ENOENT ? NJ_NOTFOUND : NJ_FAIL, err,
			       "cannot open %s: %s", path, strerror(err));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		/* nsfs files are regular; FIFOs, devices, dirs are not */
		close(fd);
		return nj_fail(e, NJ_FAIL, ENOTTY,
			       "%s is not a namespace file", path);
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0) {
		close(fd);
		return nj_fail(e, NJ_FAIL, ENOTTY,
			       "%s is not a namespace file", path);
	}
	if (type != CLONE_NEWNET) {
		close(fd);
		return nj_fail(e, NJ_FAIL, EINVAL,
			       "%s is a %s namespace, not a network namespace",
			       path, type_name(type));
	}
	return fd;
}

static int start_time_matches(pid_t pid, unsigned long long want,
			      struct nj_err *e)
{
	struct proc_stat st;
	int r = procfs_read_stat(pid, &st);

	if (r < 0)
		return nj_fail(e, NJ_GONE, -r, "process %d is gone", (int)pid);
	if (want && st.start_time != want)
		return nj_fail(e, NJ_GONE, ESRCH,
			       "process %d exited and its PID was reused (start time %llu, expected %llu)",
			       (int)pid, st.start_time, want);
	if (st.state == 'Z' || st.state == 'X')
		return nj_fail(e, NJ_GONE, ESRCH, "process %d has exited",
			       (int)pid);
	return 0;
}

int nsjoin_open_pid(pid_t pid, unsigned long long start_time,
		    struct nj_err *e)
{
	int fd, r;

	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0) {
		if (errno == ESRCH)
			return nj_fail(e, NJ_GONE, ESRCH,
				       "process %d is gone", (int)pid);
		if (errno != ENOSYS)
			return nj_fail(e, NJ_FAIL, errno,
				       "pidfd_open(%d): %s", (int)pid,
				       strerror(errno));
		return nj_fail(e, NJ_FAIL, ENOSYS,
			       "pidfd_open is not supported by this kernel (needs Linux 5.3)");
	}
	/* The pidfd now pins this process: if it is still the one resolved
	 * (same start time), it is the one joined. */
	r = start_time_matches(pid, start_time, e);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

static int enter_via_proc(int pidfd, pid_t pid, struct nj_err *e)
{
	char path[64];
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == EACCES || err == EPERM)
			return perm_hint_obj(e, err, "open", path);
		return nj_fail(e, NJ_GONE, err, "process %d is gone", (int)pid);
	}
	/* still alive after the open: the file was this process's */
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0) {
		close(fd);
		return nj_fail(e, NJ_GONE, ESRCH, "process %d is gone",
			       (int)pid);
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		err = errno;
		close(fd);
		if (err == EPERM || err == EACCES)
			return perm_hint_obj(e, err,
					     "join the network namespace of", path);
		return nj_fail(e, NJ_FAIL, err, "setns %s: %s", path,
			       strerror(err));
	}
	close(fd);
	return 0;
}

int nsjoin_enter(int fd, int is_pidfd, pid_t pid, struct nj_err *e)
{
	char obj[64];
	int err;

	if (setns(fd, CLONE_NEWNET) == 0)
		return 0;
	err = errno;
	if (is_pidfd && err == EINVAL)
		return enter_via_proc(fd, pid, e); /* kernel < 5.8 */
	if (is_pidfd)
		snprintf(obj, sizeof(obj), "process %d", (int)pid);
	else
		snprintf(obj, sizeof(obj), "that namespace");
	if (err == EPERM || err == EACCES) {
		return perm_hint_obj(e, err, "join the network namespace of",
				     obj);
	}
	if (err == ESRCH)
		return nj_fail(e, NJ_GONE, err, "%s is gone", obj);
	return nj_fail(e, NJ_FAIL, err, "setns into %s: %s", obj,
		       strerror(err));
}

/* /proc/<pid>/ns/<name> of the process pidfd pins, opened. */
static int open_proc_ns(int pidfd, pid_t pid, const char *name,
			struct nj_err *e)
{
	char path[64];
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		return nj_fail(e, err == ENOENT || err == ESRCH ? NJ_GONE
							       : NJ_PERM,
			       err, "cannot open %s: %s", path, strerror(err));
	}
	/* still alive after the open: the file was this process's */
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0) {
		close(fd);
		return nj_fail(e, NJ_GONE, ESRCH, "process %d is gone",
			       (int)pid);
	}
	return fd;
}

static int ns_inode(int fd, unsigned long long *ino)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	*ino = st.st_ino;
	return 0;
}

int nsjoin_open_userns(int fd, int is_pidfd, pid_t pid, uid_t *owner,
		       struct nj_err *e)
{
	unsigned long long want, got;
	int netfd = fd, userfd = -1, ownerfd = -1, rc;
	uid_t uid;

	if (is_pidfd) {
		netfd = open_proc_ns(fd, pid, "net", e);
		if (netfd < 0)
			return netfd;
		userfd = open_proc_ns(fd, pid, "user", e);
		if (userfd < 0) {
			rc = userfd;
			goto out;
		}
	}
	/* the user namespace that owns the network namespace: the one whose
	 * powers a join of that network namespace takes */
	ownerfd = ioctl(netfd, NS_GET_USERNS);
	if (ownerfd < 0) {
		rc = nj_fail(e, NJ_PERM, errno,
			     "cannot find the user namespace that owns that network namespace: %s",
			     strerror(errno));
		goto out;
	}
	if (userfd >= 0 &&
	    (ns_inode(userfd, &want) < 0 || ns_inode(ownerfd, &got) < 0 ||
	     want != got)) {
		rc = nj_fail(e, NJ_PERM, EPERM,
			     "the network namespace of process %d is not owned by its user namespace; not joining",
			     (int)pid);
		goto out;
	}
	if (ioctl(ownerfd, NS_GET_OWNER_UID, &uid) < 0) {
		rc = nj_fail(e, NJ_PERM, errno,
			     "cannot find the owner of that user namespace: %s",
			     strerror(errno));
		goto out;
	}
	*owner = uid;
	rc = ownerfd;
	ownerfd = -1;
out:
	if (ownerfd >= 0)
		close(ownerfd);
	if (userfd >= 0)
		close(userfd);
	if (is_pidfd && netfd >= 0)
		close(netfd);
	return rc;
}

int nsjoin_enter_user(int userns_fd, struct nj_err *e)
{
	int err;

	if (setns(userns_fd, CLONE_NEWUSER) == 0)
		return 0;
	err = errno;
	return nj_fail(e, err == EPERM ? NJ_PERM : NJ_FAIL, err,
		       "cannot join the container's user namespace: %s",
		       strerror(err));
}

int nsjoin_current_ns(unsigned long long *dev, unsigned long long *ino)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) < 0 &&
	    stat("/proc/self/ns/net", &st) < 0)
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

int nsjoin_host_ns(int home_fd, struct stat *out)
{
	if (stat("/proc/1/ns/net", out) == 0)
		return 0;
	if (home_fd >= 0 ? fstat(home_fd, out) : stat("/proc/self/ns/net", out))
		return -errno;
	return 0;
}

bool nsjoin_pin_holds(const char *pin, unsigned long long dev,
		      unsigned long long ino)
{
	struct stat st;

	return stat(pin, &st) == 0 && st.st_ino == ino && st.st_dev == dev;
}
