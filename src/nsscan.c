/* Finding network namespaces: through processes, nsfs bind mounts and
 * open fds. Each is recorded once, by the identity of its nsfs inode. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/nsfs.h>
#include "netjoin/inventory.h"
#include "netjoin/nsscan.h"
#include "netjoin/vec.h"
#include "netjoin/procfs.h"

/* Replace *dst with a copy of s. 0 or -ENOMEM. */
static int set_str(char **dst, const char *s)
{
	char *c = strdup(s);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

/* The record for (dev, ino), added if new; *isnew says which. */
static struct nj_nsrec *get_or_add(struct nj_inventory *inv,
				   const struct stat *st, int *isnew)
{
	struct nj_nsrec *r = inventory_get(inv, st->st_dev, st->st_ino);

	*isnew = !r;
	return r ? r : inventory_add(inv, st->st_dev, st->st_ino);
}

static void read_comm(pid_t pid, char *out, size_t sz)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	out[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, out, sz - 1);
	close(fd);
	if (n <= 0)
		n = 0;
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

/* Namespaces held open by a process's fds: /proc/PID/fd/N -> "net:[I]". */
static int scan_fds(struct nj_inventory *inv, const char *pid,
		    bool fd_counts)
{
	char dir[64], path[96], link[64];
	struct dirent *de;
	struct stat st;
	ssize_t n;
	DIR *d;
	int isnew;

	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	/* most processes of a node are kernel threads, with no fds: where the
	 * kernel counts them, one stat spares reading an empty directory */
	if (fd_counts && stat(dir, &st) == 0 && st.st_size == 0)
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 5 || strncmp(link, "net:[", 5))
			continue;
		if (stat(path, &st) < 0)
			continue;
		if (inventory_get(inv, st.st_dev, st.st_ino))
			continue;
		struct nj_nsrec *r = get_or_add(inv, &st, &isnew);

		if (!r || set_str(&r->path, path) < 0) {
			closedir(d);
			return -ENOMEM;
		}
	}
	closedir(d);
	return 0;
}

/* Threads can sit in another namespace than their process (Go programs
 * lock an OS thread into one): /proc/PID/task/TID/ns/net. */
static int scan_tasks(struct nj_inventory *inv, const char *pid)
{
	char dir[64], path[128];
	struct dirent *de;
	struct nj_nsrec *r;
	struct stat st;
	DIR *d;
	int isnew, rc = 0;

	snprintf(dir, sizeof(dir), "/proc/%s/task", pid);
	/* the directory's link count is 2 + its threads: a process of one
	 * thread has no other to look at */
	if (stat(dir, &st) == 0 && st.st_nlink <= 3)
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;
	while (rc == 0 && (de = readdir(d))) {
		if (!procfs_is_pid_name(de->d_name) || !strcmp(de->d_name, pid))
			continue;
		snprintf(path, sizeof(path), "%s/%s/ns/net", dir, de->d_name);
		if (stat(path, &st) < 0 ||
		    inventory_get(inv, st.st_dev, st.st_ino))
			continue;
		r = get_or_add(inv, &st, &isnew);
		if (!r || set_str(&r->path, path) < 0) {
			rc = -ENOMEM;
			break;
		}
		r->nprocs++;
		r->pid = (pid_t)atoi(de->d_name);
		r->thread = true;
		read_comm(r->pid, r->comm, sizeof(r->comm));
	}
	closedir(d);
	return rc;
}

int mountinfo_nsfs(const char *line, char *out, size_t sz)
{
	const char *p = line, *mp = NULL, *sep;
	size_t o = 0;
	int field;

	/* id parent maj:min root MOUNTPOINT opts [optional...] - FSTYPE ... */
	for (field = 0; field < 4; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
	}
	mp = p;
	sep = strstr(p, " - ");
	if (!sep)
		return -EINVAL;
	if (strncmp(sep + 3, "nsfs ", 5))
		return 0;
	for (; *mp && *mp != ' '; mp++) {
		char c = *mp;

		if (c == '\\' && mp[1] >= '0' && mp[1] <= '3' &&
		    mp[2] >= '0' && mp[2] <= '7' && mp[3] >= '0' &&
		    mp[3] <= '7') {
			c = (char)((mp[1] - '0') << 6 | (mp[2] - '0') << 3 |
				   (mp[3] - '0'));
			mp += 3;
			if (!c) /* no path holds a NUL (found by fuzzing) */
				return -EINVAL;
		}
		if (o + 1 >= sz)
			return -EINVAL;
		out[o++] = c;
	}
	if (o == 0)
		return -EINVAL;
	out[o] = '\0';
	return 1;
}

static int is_netns_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), t;

	if (fd < 0)
		return 0;
	t = ioctl(fd, NS_GET_NSTYPE);
	close(fd);
	return t == CLONE_NEWNET;
}

/* The nsfs mounts of one mount namespace, seen through a process in it:
 * its mountinfo names them, /proc/PID/root reaches them. pid NULL: ours. */
static int scan_mountinfo(struct nj_inventory *inv, const char *pid)
{
	char path[64], *line = NULL, mp[PATH_MAX], full[PATH_MAX + 64];
	struct nj_nsrec *r;
	struct stat st;
	size_t cap = 0;
	FILE *f;
	int isnew, rc = 0;

	snprintf(path, sizeof(path), "/proc/%s/mountinfo", pid ? pid : "self");
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (getline(&line, &cap, f) > 0) {
		if (mountinfo_nsfs(line, mp, sizeof(mp)) != 1)
			continue;
		if (pid)
			snprintf(full, sizeof(full), "/proc/%s/root%s", pid, mp);
		else
			snprintf(full, sizeof(full), "%s", mp);
		if (stat(full, &st) < 0)
			continue;
		/* a known inode is a network namespace already */
		r = inventory_get(inv, st.st_dev, st.st_ino);
		if (!r && !is_netns_file(full))
			continue;
		if (r && r->mount && (pid || strncmp(mp, "/run/netns/", 11)))
			continue; /* already named by a mount */
		r = get_or_add(inv, &st, &isnew);
		/* a pinned file names it better than a process does */
		if (!r || set_str(&r->mount, full) < 0 ||
		    set_str(&r->path, full) < 0) {
			rc = -ENOMEM;
			break;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

/* Mount namespaces already read, as a sorted array of inodes. */
struct seen {
	unsigned long long *v;
	size_t n, cap;
};

/* 1 if ino was new (and is now recorded), 0 if seen, -ENOMEM. */
static int seen_add(struct seen *s, unsigned long long ino)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (s->v[mid] == ino)
			return 0;
		if (s->v[mid] < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (vec_reserve((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v),
			32) < 0)
		return -ENOMEM;
	memmove(&s->v[lo + 1], &s->v[lo], (s->n - lo) * sizeof(*s->v));
	s->v[lo] = ino;
	s->n++;
	return 1;
}

/* A process: its network namespace (its own; found first through a
 * mount or an fd, it now gets a process to name it), its fds, its
 * threads, and its mount namespace's nsfs mounts, each mount namespace
 * once (a runtime with private mounts pins namespaces we do not see). */
static int scan_process(struct nj_inventory *inv, struct seen *mnts,
			const char *pid, bool fd_counts)
{
	char path[64];
	struct nj_nsrec *r;
	struct stat st;
	int isnew, rc;

	snprintf(path, sizeof(path), "/proc/%s/ns/net", pid);
	if (stat(path, &st) == 0) {
		r = get_or_add(inv, &st, &isnew);
		if (!r)
			return -ENOMEM;
		r->nprocs++;
		if (!r->pid || r->thread) {
			r->pid = (pid_t)atoi(pid);
			r->thread = false;
			read_comm(r->pid, r->comm, sizeof(r->comm));
		}
		if (!r->path && set_str(&r->path, path) < 0)
			return -ENOMEM;
	}
	rc = scan_fds(inv, pid, fd_counts);
	if (rc == 0)
		rc = scan_tasks(inv, pid);
	snprintf(path, sizeof(path), "/proc/%s/ns/mnt", pid);
	if (rc == 0 && stat(path, &st) == 0) {
		rc = seen_add(mnts, st.st_ino);
		if (rc == 1)
			rc = scan_mountinfo(inv, pid);
	}
	return rc;
}

int nsscan(struct nj_inventory *inv)
{
	struct seen mnts = { 0 };
	struct dirent *de;
	struct stat st;
	bool fd_counts;
	DIR *d;
	int rc;

	/* our own mounts first: their paths name namespaces best */
	rc = scan_mountinfo(inv, NULL);
	if (rc == 0 && stat("/proc/self/ns/mnt", &st) == 0)
		rc = seen_add(&mnts, st.st_ino) < 0 ? -ENOMEM : 0;
	d = rc == 0 ? opendir("/proc") : NULL;
	if (rc == 0 && !d)
		rc = -errno;
	/* Linux 6.2+ gives /proc/PID/fd the number of open fds as its size
	 * (older kernels: 0). We hold fds (that of /proc at least): a size
	 * here says the kernel counts. */
	fd_counts = d && stat("/proc/self/fd", &st) == 0 && st.st_size > 0;
	/* then one pass over the processes */
	while (d && rc == 0 && (de = readdir(d)))
		if (procfs_is_pid_name(de->d_name))
			rc = scan_process(inv, &mnts, de->d_name, fd_counts);
	if (d)
		closedir(d);
	free(mnts.v);
	return rc;
}
