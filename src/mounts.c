/* The debug command's private mount namespace: --sysfs and --dns. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "netjoin/hostroot.h"
#include "netjoin/mounts.h"

#define OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)

/* fd if it is a regular file, else closed and -EINVAL (O_NONBLOCK kept a
 * FIFO from blocking the open). */
static int regular_only(int fd)
{
	struct stat st;
	int err;

	if (fd < 0)
		return fd;
	err = fstat(fd, &st) < 0 ? errno : S_ISREG(st.st_mode) ? 0 : EINVAL;
	if (!err)
		return fd;
	close(fd);
	return -err;
}

int mounts_open_in_root(const char *root, const char *path)
{
	int dir, fd;

	dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -errno;
	fd = hostroot_openat(dir, path, OPEN_FLAGS);
	close(dir);
	return regular_only(fd);
}

/* One of the target's files into *out: where its runtime recorded it (a
 * host path, path non-empty), else inside its process's own root, and
 * path then names it for messages. A file that is not there is no error. */
static int dns_file(const struct nj_target *t, char *path, size_t sz,
		    const char *name, int *out, struct nj_err *e)
{
	char root[64];
	int fd;

	if (path[0]) {
		fd = open(path, OPEN_FLAGS | O_NOFOLLOW);
		fd = regular_only(fd < 0 ? -errno : fd);
	} else if (t->pid > 0) {
		snprintf(root, sizeof(root), "/proc/%d/root", (int)t->pid);
		snprintf(path, sz, "%s/etc/%s", root, name);
		fd = mounts_open_in_root(root, path + strlen(root));
	} else {
		return 0;
	}
	if (fd == -ENOENT)
		return 0;
	if (fd == -ENOSYS)
		return nj_fail(e, NJ_FAIL, ENOSYS,
			       "--dns: cannot read %s safely: this kernel lacks openat2 (Linux 5.6), which keeps a container's symlinks inside its root",
			       path);
	if (fd == -EINVAL || fd == -ELOOP)
		return nj_fail(e, NJ_FAIL, -fd,
			       "--dns: %s is not a regular file: not used",
			       path);
	if (fd < 0)
		return nj_fail(e, nj_class_of_errno(-fd), -fd,
			       "--dns: cannot read %s: %s", path,
			       strerror(-fd));
	*out = fd;
	return 0;
}

int mounts_dns_files(struct nj_target *t, struct mounts *m, char *warn,
		     size_t sz, struct nj_err *e)
{
	int rc;

	warn[0] = '\0';
	if (t->etc_dir[0]) {
		m->etc_dir = t->etc_dir;
		return 0;
	}
	/* ip netns exec's convention: no /etc/netns/NAME, the host's files */
	if (!strcmp(t->kind, "netns") && t->name[0]) {
		snprintf(warn, sz,
			 "--dns: no /etc/netns/%s: the host's resolv.conf and hosts apply",
			 t->name);
		return 0;
	}
	rc = dns_file(t, t->resolv, sizeof(t->resolv), "resolv.conf",
		      &m->resolv_fd, e);
	if (rc == 0)
		rc = dns_file(t, t->hosts, sizeof(t->hosts), "hosts",
			      &m->hosts_fd, e);
	if (rc < 0)
		return rc;
	m->resolv = t->resolv;
	m->hosts = t->hosts;
	if (m->resolv_fd < 0 && m->hosts_fd < 0)
		return nj_fail(e, NJ_FAIL, ENOENT,
			       "--dns: no resolv.conf or hosts is known for %s",
			       t->spec);
	return 0;
}

void mounts_close(struct mounts *m)
{
	if (m->resolv_fd >= 0)
		close(m->resolv_fd);
	if (m->hosts_fd >= 0)
		close(m->hosts_fd);
	m->resolv_fd = m->hosts_fd = -1;
}

static int copy_fd(int in, int out)
{
	char buf[65536];
	ssize_t n, w, k;

	if (lseek(in, 0, SEEK_SET) < 0)
		return errno;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (w = 0; w < n; w += k) {
			k = write(out, buf + w, (size_t)(n - w));
			if (k < 0)
				return errno;
		}
	return n < 0 ? errno : 0;
}

/* A file of another mount namespace (/proc/PID/root/...) cannot be the
 * source of a bind mount (EINVAL): copy it, with its mode, into a tmpfs
 * stacked on /tmp for the moment, bind the copy, and take the tmpfs away
 * again (the bind keeps its file; /tmp shows the host's again). */
static int bind_copy(int in, const char *src, const char *dst,
		     struct nj_err *e)
{
	static const char tmp[] = "/tmp/copy";
	struct stat st;
	int out, err = 0;

	if (fstat(in, &st) < 0)
		return nj_fail(e, NJ_FAIL, errno, "cannot read %s: %s", src,
			       strerror(errno));
	if (mount("netjoin", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
		  "size=1m,mode=0755") < 0)
		return nj_fail(e, NJ_FAIL, errno,
			       "cannot mount a tmpfs for %s: %s", src,
			       strerror(errno));
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		err = errno;
	if (!err && fchmod(out, st.st_mode & 07777) < 0)
		err = errno;
	if (!err)
		err = copy_fd(in, out);
	if (out >= 0)
		close(out);
	if (!err && mount(tmp, dst, NULL, MS_BIND, NULL) < 0)
		err = errno;
	umount2("/tmp", MNT_DETACH);
	if (err)
		return nj_fail(e, nj_class_of_errno(err), err,
			       "cannot put %s over %s: %s", src, dst,
			       strerror(err));
	return 0;
}

/* The open file fd (named src) over dst: bound where it can be, else
 * copied. */
static int bind_fd(int fd, const char *src, const char *dst,
		   struct nj_err *e)
{
	char self[64];

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (mount(self, dst, NULL, MS_BIND, NULL) == 0)
		return 0;
	if (errno == EINVAL)
		return bind_copy(fd, src, dst, e);
	return nj_fail(e, nj_class_of_errno(errno), errno,
		       "cannot bind %s over %s: %s", src, dst, strerror(errno));
}

/* ip netns exec's convention: every file of /etc/netns/NAME over /etc. */
static int bind_etc_dir(const char *dir, struct nj_err *e)
{
	char src[PATH_MAX], dst[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0, fd;

	if (!d)
		return nj_fail(e, NJ_FAIL, errno, "cannot read %s: %s", dir,
			       strerror(errno));
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		snprintf(dst, sizeof(dst), "/etc/%s", de->d_name);
		fd = open(src, OPEN_FLAGS);
		if (fd < 0) {
			rc = nj_fail(e, NJ_FAIL, errno, "cannot read %s: %s",
				     src, strerror(errno));
			break;
		}
		rc = bind_fd(fd, src, dst, e);
		close(fd);
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

int mounts_apply(const struct mounts *m, char *warn, size_t sz,
		 struct nj_err *e)
{
	int rc = 0;

	warn[0] = '\0';
	if (!m->sysfs && m->resolv_fd < 0 && m->hosts_fd < 0 && !m->etc_dir)
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
	if (rc == 0 && m->resolv_fd >= 0)
		rc = bind_fd(m->resolv_fd, m->resolv, "/etc/resolv.conf", e);
	if (rc == 0 && m->hosts_fd >= 0)
		rc = bind_fd(m->hosts_fd, m->hosts, "/etc/hosts", e);
	return rc;
}
