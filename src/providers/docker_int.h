/* What the Docker provider's files share: a daemon asked through its
 * API (docker_api.c) and its state on disk (docker_disk.c), for
 * docker.c, which picks the daemons. */
#ifndef NETJOIN_PROVIDERS_DOCKER_INT_H
#define NETJOIN_PROVIDERS_DOCKER_INT_H

#include <limits.h>
#include <sys/types.h>
#include "netjoin/target.h"

/* A daemon's socket, and whose it is. */
struct docker_api {
	const struct nj_ctx *ctx;
	char sock[PATH_MAX];
	/* a rootless daemon's user (its socket's owner), "" for root's,
	 * and its runtime dir, where its socket and exec root are */
	char user[64];
	uid_t uid;
	char rundir[PATH_MAX];
};

/* The containers matching ref from the daemon at a: the one it resolves
 * (none: 0 and nothing added), or every one an ambiguous prefix matches.
 * 0, or -errno with e saying why the API could not be used. */
int docker_api_find(struct docker_api *a, const char *ref,
		    struct nj_cands *out, struct nj_err *e);
/* Every container of the daemon at a, the running ones inspected. */
int docker_api_all(struct docker_api *a, struct nj_cands *out,
		   struct nj_err *e);
/* c, of a rootless daemon (a->user set): its user's, and joined through
 * its process. */
void docker_mark_rootless(const struct docker_api *a, struct nj_cand *c);

/* Where a daemon keeps its state, as the host sees it (under the host
 * root): root's /var/lib/docker and /run/docker, or a rootless daemon's
 * in its user's home and runtime dir. */
struct docker_roots {
	char data[PATH_MAX]; /* containers/<id>/config.v2.json */
	char exec[PATH_MAX]; /* runtime-runc/moby/<id>/state.json */
};

/* The containers in r matching ref (NULL: every one), into out. 0 when
 * Docker's state was read (whatever matched), -ENOENT when there is none
 * here, -EACCES, or -errno. */
int docker_disk_find(const struct nj_ctx *ctx, const struct docker_roots *r,
		     const char *ref, struct nj_cands *out);

/* The network mode (in c) and the files Docker recorded: its namespace
 * file (its sandbox key) and its resolv.conf and hosts. */
void docker_set_network(const struct nj_ctx *ctx, struct nj_cand *c,
			const char *sandbox_key, const char *resolv,
			const char *hosts);

#endif
