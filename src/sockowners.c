/* Which processes hold which sockets, like ss -p: one pass over
 * /proc/PID/fd, each link "socket:[INODE]" looked up in a sorted index of
 * the sockets' inodes. The /proc text is parsed by the pure functions at
 * the top. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "netjoin/num.h"
#include "netjoin/sockowners.h"

/* Decimal digits as the kernel writes them: no leading zero (but "0"),
 * at most max. */
static int parse_dec(const char *s, size_t len, unsigned long long max,
		     unsigned long long *out)
{
	if (len > 1 && s[0] == '0')
		return -EINVAL;
	return num_parse(s, len, max, out) < 0 ? -EINVAL : 0;
}

int sockowners_parse_socket_link(const char *s, size_t len, uint32_t *inode)
{
	static const char pre[] = "socket:[";
	const size_t plen = sizeof(pre) - 1;
	unsigned long long v;

	if (len < plen + 2 || memcmp(s, pre, plen) || s[len - 1] != ']')
		return -EINVAL;
	if (parse_dec(s + plen, len - plen - 1, UINT32_MAX, &v) < 0)
		return -EINVAL;
	*inode = (uint32_t)v;
	return 0;
}

int sockowners_parse_id(const char *s, int32_t *out)
{
	unsigned long long v;

	if (parse_dec(s, strlen(s), INT32_MAX, &v) < 0)
		return -EINVAL;
	*out = (int32_t)v;
	return 0;
}

void sockowners_parse_comm(const char *s, size_t len, char *comm, size_t sz)
{
	size_t n = strnlen(s, len);

	if (sz == 0)
		return;
	if (n > 0 && s[n - 1] == '\n')
		n--;
	if (n > sz - 1)
		n = sz - 1;
	memcpy(comm, s, n);
	comm[n] = '\0';
}

/* Sockets by inode: (inode, position) pairs sorted by inode. */
struct ino_ix {
	uint32_t inode;
	uint32_t pos;
};

static int cmp_ix(const void *a, const void *b)
{
	const struct ino_ix *x = a, *y = b;

	if (x->inode != y->inode)
		return (x->inode > y->inode) - (x->inode < y->inode);
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static int cmp_owner(const void *a, const void *b)
{
	const struct nj_sock_owner *x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->fd > y->fd) - (x->fd < y->fd);
}

struct scan {
	struct nj_socks *s;
	struct ino_ix *ix;
	size_t nix;
	int procfd;
};

/* Where inode's run of entries starts in the index, or -1. */
static long find_ino(const struct scan *sc, uint32_t inode)
{
	size_t lo = 0, hi = sc->nix, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sc->ix[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sc->nix && sc->ix[lo].inode == inode ? (long)lo : -1;
}

/* A process gone, or not ours to see (or, under another proc root, not
 * a process): not an error. */
static int skippable(int e)
{
	return e == ENOENT || e == ESRCH || e == EACCES || e == EPERM ||
	       e == ENOTDIR;
}

static int read_comm(int procfd, int32_t pid, char *comm, size_t sz)
{
	char path[32], buf[128];
	ssize_t n;
	int fd, r = 0;

	snprintf(path, sizeof(path), "%d/comm", (int)pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		r = -errno;
	else
		sockowners_parse_comm(buf, (size_t)n, comm, sz);
	close(fd);
	return r;
}

/* The process being scanned; its comm is read on its first hit. */
struct task {
	int32_t pid;
	bool have_comm;
	char comm[sizeof(((struct nj_sock_owner *)0)->comm)];
};

/* One fd of t: t becomes an owner of the socket it links to, if that is
 * one of ours. */
static int scan_fd(struct scan *sc, int dfd, const char *name,
		   struct task *t)
{
	char link[64];
	uint32_t inode;
	int32_t fd;
	ssize_t n;
	long i;
	int r;

	if (sockowners_parse_id(name, &fd) < 0)
		return 0;
	n = readlinkat(dfd, name, link, sizeof(link));
	if (n < 0 || (size_t)n >= sizeof(link))
		return 0; /* closed meanwhile, or too long for a socket */
	if (sockowners_parse_socket_link(link, (size_t)n, &inode) < 0)
		return 0;
	i = find_ino(sc, inode);
	if (i < 0)
		return 0;
	if (!t->have_comm) {
		r = read_comm(sc->procfd, t->pid, t->comm, sizeof(t->comm));
		if (r < 0)
			return r;
		t->have_comm = true;
	}
	for (; (size_t)i < sc->nix && sc->ix[i].inode == inode; i++) {
		r = nj_sock_add_owner(&sc->s->v[sc->ix[i].pos], t->pid, fd,
				      t->comm);
		if (r < 0)
			return r;
	}
	return 0;
}

static int scan_pid(struct scan *sc, int32_t pid)
{
	struct task t = { .pid = pid };
	char path[32];
	struct dirent *de;
	DIR *dir;
	int dfd, r = 0;

	snprintf(path, sizeof(path), "%d/fd", (int)pid);
	dfd = openat(sc->procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return skippable(errno) ? 0 : -errno;
	dir = fdopendir(dfd);
	if (!dir) {
		r = -errno;
		close(dfd);
		return r;
	}
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			r = errno && !skippable(errno) ? -errno : 0;
			break;
		}
		r = scan_fd(sc, dfd, de->d_name, &t);
		if (r < 0) {
			if (skippable(-r))
				r = 0; /* gone between its fds and its comm */
			break;
		}
	}
	closedir(dir);
	return r;
}

static int scan_proc(struct scan *sc, const char *proc)
{
	struct dirent *de;
	int32_t pid;
	DIR *dir;
	int r = 0;

	sc->procfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sc->procfd < 0)
		return -errno;
	dir = fdopendir(sc->procfd);
	if (!dir) {
		r = -errno;
		close(sc->procfd);
		return r;
	}
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de) {
			r = errno ? -errno : 0;
			break;
		}
		if (sockowners_parse_id(de->d_name, &pid) < 0)
			continue;
		r = scan_pid(sc, pid);
		if (r < 0)
			break;
	}
	closedir(dir);
	return r;
}

int sockowners_fill_at(struct nj_socks *s, const char *proc)
{
	struct scan sc = { .s = s };
	size_t i;
	int r;

	for (i = 0; i < s->n; i++)
		s->v[i].nowners = 0;
	sc.ix = malloc((s->n ? s->n : 1) * sizeof(*sc.ix));
	if (!sc.ix)
		return -ENOMEM;
	/* inode 0 (TIME-WAIT, not yet accepted) has no file to find */
	for (i = 0; i < s->n; i++)
		if (s->v[i].inode)
			sc.ix[sc.nix++] = (struct ino_ix){ s->v[i].inode,
							   (uint32_t)i };
	qsort(sc.ix, sc.nix, sizeof(*sc.ix), cmp_ix);
	r = sc.nix ? scan_proc(&sc, proc) : 0;
	free(sc.ix);
	for (i = 0; i < s->n; i++)
		if (s->v[i].nowners > 1)
			qsort(s->v[i].owners, s->v[i].nowners,
			      sizeof(*s->v[i].owners), cmp_owner);
	return r;
}

int sockowners_fill(struct nj_socks *s)
{
	return sockowners_fill_at(s, "/proc");
}
