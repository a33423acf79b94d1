/* Entering a network namespace: setns(fd, CLONE_NEWNET) and nothing else.
 * Paths are checked to be network namespaces before they are joined; PIDs
 * go through a pidfd so a process that exits and whose PID is reused in
 * between is never joined by mistake. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
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

const char *nsjoin_type_name(int nstype)
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
			       path, nsjoin_type_name(type));
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

unsigned long long nsjoin_current_inode(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) < 0 &&
	    stat("/proc/self/ns/net", &st) < 0)
		return 0;
	return (unsigned long long)st.st_ino;
}

/* A file of another mount namespace (/proc/PID/root/...) cannot be the
 * source of a bind mount (EINVAL): copy it into a tmpfs stacked on /tmp
 * for the moment, bind the copy, and take the tmpfs away again (the bind
 * keeps its file; /tmp shows the host's again). */
static int bind_copy(const char *src, const char *dst, struct nj_err *e)
{
	char buf[65536], tmp[64];
	ssize_t n, w;
	int in, out, err = 0;

	in = open(src, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (in < 0)
		return nj_fail(e, NJ_FAIL, errno, "cannot read %s: %s", src,
			       strerror(errno));
	if (mount("netjoin", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
		  "size=1m,mode=0755") < 0) {
		err = errno;
		close(in);
		return nj_fail(e, NJ_FAIL, err, "cannot mount a tmpfs for %s: %s",
			       src, strerror(err));
	}
	snprintf(tmp, sizeof(tmp), "/tmp/copy");
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		err = errno;
	while (!err && (n = read(in, buf, sizeof(buf))) > 0)
		for (w = 0; !err && w < n;) {
			ssize_t k = write(out, buf + w, (size_t)(n - w));

			if (k < 0)
				err = errno;
			else
				w += k;
		}
	if (out >= 0)
		close(out);
	close(in);
	if (!err && mount(tmp, dst, NULL, MS_BIND, NULL) < 0)
		err = errno;
	umount2("/tmp", MNT_DETACH);
	if (err)
		return nj_fail(e, nj_class_of_errno(err), err,
			       "cannot put %s over %s: %s", src, dst,
			       strerror(err));
	return 0;
}

static int bind_file(const char *src, const char *dst, struct nj_err *e)
{
	if (mount(src, dst, NULL, MS_BIND, NULL) == 0)
		return 0;
	if (errno == EINVAL)
		return bind_copy(src, dst, e);
	return nj_fail(e, nj_class_of_errno(errno), errno,
		       "cannot bind %s over %s: %s", src, dst, strerror(errno));
}

/* ip netns exec's convention: every file of /etc/netns/NAME over /etc. */
static int bind_etc_dir(const char *dir, struct nj_err *e)
{
	char src[PATH_MAX], dst[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d)
		return nj_fail(e, NJ_FAIL, errno, "cannot read %s: %s", dir,
			       strerror(errno));
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		snprintf(dst, sizeof(dst), "/etc/%s", de->d_name);
		rc = bind_file(src, dst, e);
	}
	closedir(d);
	return rc;
}

static int mount_sysfs(char *warn, size_t sz, struct nj_err *e)
{
	int err;

	/* a sysfs shows the network namespace of whoever mounts it */
	if (umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL)
		return nj_fail(e, nj_class_of_errno(errno), errno,
			       "cannot unmount the host's /sys: %s",
			       strerror(errno));
	if (mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) == 0)
		return 0;
	err = errno;
	if (mount("sysfs", "/sys", "sysfs",
		  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0) {
		snprintf(warn, sz,
			 "/sys is read-only: a read-write sysfs could not be mounted (%s)",
			 strerror(err));
		return 0;
	}
	return nj_fail(e, nj_class_of_errno(errno), errno,
		       "cannot mount a sysfs of the target's namespace on /sys: %s",
		       strerror(errno));
}

int nsjoin_private_mounts(const struct nsjoin_mounts *m, char *warn,
			  size_t sz, struct nj_err *e)
{
	int rc = 0;

	warn[0] = '\0';
	if (!m->sysfs && !m->resolv && !m->hosts && !m->etc_dir)
		return 0;
	if (unshare(CLONE_NEWNS) < 0)
		return nj_fail(e, nj_class_of_errno(errno), errno,
			       "cannot make a private mount namespace: %s",
			       strerror(errno));
	/* the host's mounts still show here; ours never reach the host */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return nj_fail(e, NJ_FAIL, errno,
			       "cannot make / a slave mount: %s", strerror(errno));
	if (m->sysfs)
		rc = mount_sysfs(warn, sz, e);
	if (rc == 0 && m->etc_dir)
		rc = bind_etc_dir(m->etc_dir, e);
	if (rc == 0 && m->resolv)
		rc = bind_file(m->resolv, "/etc/resolv.conf", e);
	if (rc == 0 && m->hosts)
		rc = bind_file(m->hosts, "/etc/hosts", e);
	return rc;
}
