/* Paths under the host root (see hostroot.h). The kernel resolves a path
 * that exists (openat2 RESOLVE_IN_ROOT: what it opens is what the host
 * would); our own walk resolves the rest, and everything where the
 * kernel has no openat2. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "netjoin/hostroot.h"

/* The path fd names in our own mount namespace: its length, or -1. */
static ssize_t fd_path(int fd, char *buf, size_t sz)
{
	static const char deleted[] = " (deleted)";
	char proc[32];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, sz - 1);
	if (n <= 0 || (size_t)n >= sz - 1 || buf[0] != '/')
		return -1;
	buf[n] = '\0';
	if ((size_t)n >= sizeof(deleted) - 1 &&
	    !strcmp(buf + n - (sizeof(deleted) - 1), deleted))
		return -1;
	return n;
}

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

int hostroot_openat(int dir, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (unsigned int)flags | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, dir, rel, &how, sizeof(how));

	return fd < 0 ? -errno : fd;
}

/* The root of the last resolution: an O_PATH fd and its path as we see
 * it. A run resolves every path under one root, and opening it for each
 * took two of the five system calls of a path. A root since moved or
 * removed makes the kernel's answer fail or fall outside top: then the
 * walk answers, as for any failure. */
static struct {
	char dir[PATH_MAX];
	int fd;
	char top[PATH_MAX];
	size_t tl;
} last = { .fd = -1 };
static bool no_openat2;

static int open_root(const char *root, size_t rl)
{
	ssize_t tl;
	int fd;

	if (last.fd >= 0 && strlen(last.dir) == rl &&
	    !memcmp(last.dir, root, rl))
		return 0;
	if (rl >= sizeof(last.dir))
		return -ENAMETOOLONG;
	if (last.fd >= 0)
		close(last.fd);
	last.fd = -1;
	memcpy(last.dir, root, rl);
	last.dir[rl] = '\0';
	fd = open(last.dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	tl = fd_path(fd, last.top, sizeof(last.top));
	if (tl < 0) {
		close(fd);
		return -ENOENT;
	}
	last.tl = tl == 1 ? 0 : (size_t)tl; /* the root is our "/" */
	last.fd = fd;
	return 0;
}

int hostroot_kernel(const char *root, size_t rl, const char *rel, char *out,
		    size_t sz)
{
	char found[PATH_MAX];
	const char *under;
	int fd, n, rc;

	rc = open_root(root, rl);
	if (rc < 0)
		return rc;
	if (no_openat2)
		return -ENOSYS;
	fd = hostroot_openat(last.fd, rel, O_PATH);
	if (fd == -ENOSYS)
		no_openat2 = true; /* an older kernel: ask it once */
	if (fd < 0)
		return fd;
	/* what the kernel found, as a path under the root as we see it */
	rc = fd_path(fd, found, sizeof(found)) < 0 ? -ENOENT : 0;
	close(fd);
	if (rc < 0)
		return rc;
	if (strncmp(found, last.top, last.tl) ||
	    (found[last.tl] != '/' && found[last.tl] != '\0'))
		return -EXDEV; /* moved out from under the root meanwhile */
	under = found + last.tl;
	n = snprintf(out, sz, "%.*s%s", (int)rl, root, *under ? under : "/");
	return n < 0 || (size_t)n >= sz ? -ENAMETOOLONG : 0;
}

/* Symlinks followed under a host root, at most (as the kernel's limit). */
#define ROOT_MAX_LINKS 40

/* Drop the last component of the resolved prefix (for ".."). */
static void pop_component(char *done, size_t *dl)
{
	while (*dl > 0 && done[*dl - 1] != '/')
		(*dl)--;
	if (*dl > 0)
		(*dl)--;
	done[*dl] = '\0';
}

/* rel (a path as the host sees it) resolved under root as if root were
 * "/": a symlink met on the way is followed inside root, never out of it
 * into our own filesystem. Nodes have such links where netjoin looks:
 * /var/run -> /run everywhere, /var/lib/docker -> /data/docker often. The
 * walk stops at the first component that cannot be read (missing, no
 * access) or after ROOT_MAX_LINKS links, and keeps the rest as written:
 * opening it then fails as it would have. */
int hostroot_walk(const char *root, size_t rl, const char *rel, char *out,
		  size_t sz)
{
	char todo[2 * PATH_MAX], next[2 * PATH_MAX], done[PATH_MAX];
	char probe[PATH_MAX], link[PATH_MAX];
	const char *p = todo, *end;
	size_t dl = 0, cl;
	int links = 0, n;
	ssize_t ll;

	if (snprintf(todo, sizeof(todo), "%s", rel) >= (int)sizeof(todo))
		return -ENAMETOOLONG;
	done[0] = '\0';
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchrnul(p, '/');
		cl = (size_t)(end - p);
		if (cl == 1 && p[0] == '.') {
			p = end;
			continue;
		}
		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			pop_component(done, &dl); /* never above root */
			p = end;
			continue;
		}
		if (dl + 1 + cl >= sizeof(done))
			return -ENAMETOOLONG;
		done[dl] = '/';
		memcpy(done + dl + 1, p, cl);
		done[dl + 1 + cl] = '\0';
		n = snprintf(probe, sizeof(probe), "%.*s%s", (int)rl, root, done);
		if (n < 0 || (size_t)n >= sizeof(probe))
			return -ENAMETOOLONG;
		ll = links < ROOT_MAX_LINKS
			     ? readlink(probe, link, sizeof(link) - 1)
			     : -1;
		if (ll < 0) {
			dl += 1 + cl;
			p = end;
			if (links < ROOT_MAX_LINKS && errno == EINVAL)
				continue; /* not a link: on to the next */
			if (dl + strlen(end) >= sizeof(done))
				return -ENAMETOOLONG;
			strcpy(done + dl, end); /* the rest as written */
			break;
		}
		links++;
		link[ll] = '\0';
		/* the link's target, then what followed the link */
		n = snprintf(next, sizeof(next), "%s%s", link, end);
		if (n < 0 || (size_t)n >= sizeof(next))
			return -ENAMETOOLONG;
		if (link[0] == '/')
			dl = 0; /* absolute: from root again */
		done[dl] = '\0';
		memcpy(todo, next, (size_t)n + 1);
		p = todo;
	}
	n = snprintf(out, sz, "%.*s%s", (int)rl, root, *done ? done : "/");
	return n < 0 || (size_t)n >= sz ? -ENAMETOOLONG : 0;
}

/* The kernel's answer where it has one (an existing path), else ours:
 * both say the same of a path that exists. */
static int resolve(const char *root, size_t rl, const char *rel, char *out,
		   size_t sz)
{
	if (hostroot_kernel(root, rl, rel, out, sz) == 0)
		return 0;
	return hostroot_walk(root, rl, rel, out, sz);
}

int ctx_path(const struct nj_ctx *ctx, char *out, size_t sz,
	     const char *fmt, ...)
{
	size_t rl = ctx->root ? strlen(ctx->root) : 0;
	char rel[PATH_MAX];
	va_list ap;
	int n, rc;

	while (rl > 0 && ctx->root[rl - 1] == '/')
		rl--;
	va_start(ap, fmt);
	n = vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(rel))
		rc = -ENAMETOOLONG;
	else if (rl > 0)
		rc = resolve(ctx->root, rl, rel, out, sz);
	else if ((size_t)n < sz) /* no root, or "/": the path itself */
		rc = snprintf(out, sz, "%s", rel) < 0 ? -ENAMETOOLONG : 0;
	else
		rc = -ENAMETOOLONG;
	if (rc < 0 && sz)
		out[0] = '\0'; /* never a truncated path */
	return rc;
}
