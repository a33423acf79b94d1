/* The host whose state netjoin reads, and paths under its root
 * (--host-root): a runtime's state, /run/netns, a container's
 * resolv.conf, as the host sees them, wherever the host's / is mounted. */
#ifndef NETJOIN_HOSTROOT_H
#define NETJOIN_HOSTROOT_H

#include <stddef.h>

struct nj_ctx {
	const char *root;         /* --host-root, "" for / */
	const char *docker_host;  /* $DOCKER_HOST or NULL */
	int docker_timeout_ms;
};

/* Path under the host root: root + path, "" root meaning "/"; symlinks
 * on the way are followed inside the root, never out of it. 0, or
 * -ENAMETOOLONG with out "". */
int ctx_path(const struct nj_ctx *ctx, char *out, size_t sz,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The two resolvers behind ctx_path, for root's first rl bytes (no
 * trailing '/') and a path rel as the host sees it; both write
 * root + the resolved path into out.
 *
 * hostroot_kernel: the kernel's walk (openat2 with RESOLVE_IN_ROOT) of a
 * path that exists: 0, or -errno (-ENOSYS where the kernel has no
 * openat2, -ENOENT for a missing component, -ELOOP...).
 * hostroot_walk: our own walk, one component at a time, which also
 * resolves a path that does not exist: at the first component that
 * cannot be read, or after 40 links, it keeps the rest as written.
 * 0 or -ENAMETOOLONG. */
/* openat2 of rel under the directory dir as if dir were "/": symlinks,
 * "..", absolute paths never leave it, magic links are refused. The fd
 * (O_CLOEXEC added to flags), or -errno (-ENOSYS: no openat2, Linux
 * 5.6). The one place that resolves inside a root. */
int hostroot_openat(int dir, const char *rel, int flags);
int hostroot_kernel(const char *root, size_t rl, const char *rel, char *out,
		    size_t sz);
int hostroot_walk(const char *root, size_t rl, const char *rel, char *out,
		  size_t sz);

#endif
