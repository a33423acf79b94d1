/* The debug command's own mount namespace: a sysfs of the joined network
 * namespace (--sysfs) and the target's resolv.conf and hosts (--dns). The
 * host's mounts are never changed: all of it happens in a private mount
 * namespace whose changes do not propagate back. */
#ifndef NETJOIN_MOUNTS_H
#define NETJOIN_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include "netjoin/err.h"
#include "netjoin/target.h"

struct mounts {
	bool sysfs;          /* a fresh sysfs of the current netns on /sys */
	/* open regular files bound over /etc/resolv.conf and /etc/hosts,
	 * or -1; their names, for messages */
	int resolv_fd, hosts_fd;
	const char *resolv, *hosts;
	const char *etc_dir; /* each file bound over /etc/<name> (ip netns
			      * exec's /etc/netns/NAME), or NULL */
};
#define MOUNTS_INIT { .resolv_fd = -1, .hosts_fd = -1 }

/* --dns: open the target's resolv.conf and hosts into m: the files its
 * runtime recorded, else its process's own, resolved inside that
 * process's root so that a symlink in a container can never name a host
 * file. Only regular files are taken. netns:NAME uses /etc/netns/NAME, or
 * keeps the host's files and warn (sz bytes) says so; otherwise warn is "".
 * 0 or -errno with e set. */
int mounts_dns_files(struct nj_target *t, struct mounts *m, char *warn,
		     size_t sz, struct nj_err *e);

/* Make them. A sysfs that cannot be mounted read-write is mounted
 * read-only, and warn (sz bytes) says so; otherwise warn is "". */
int mounts_apply(const struct mounts *m, char *warn, size_t sz,
		 struct nj_err *e);

/* Close m's files. */
void mounts_close(struct mounts *m);

/* path inside the directory root, every symlink on the way resolved as
 * if root were "/", so it never leaves root (openat2 RESOLVE_IN_ROOT).
 * A regular file only, opened for reading. The fd, -ENOENT when there is
 * none, or -errno (-ENOSYS: the kernel lacks openat2, Linux 5.6). */
int mounts_open_in_root(const char *root, const char *path);

#endif
