/* Docker's state on disk (docker_disk.c), read by docker.c. */
#ifndef NETJOIN_PROVIDERS_DOCKER_DISK_H
#define NETJOIN_PROVIDERS_DOCKER_DISK_H

#include "netjoin/target.h"

/* The containers of the default daemon's data root matching ref (NULL:
 * every one), into out. 0 when Docker's state was read (whatever
 * matched), -ENOENT when there is none here, -EACCES, or -errno. */
int docker_disk_find(const struct nj_ctx *ctx, const char *ref,
		     struct nj_cands *out);

/* The network mode (in c) and the files Docker recorded: its namespace
 * file (its sandbox key) and its resolv.conf and hosts. */
void docker_set_network(const struct nj_ctx *ctx, struct nj_cand *c,
			const char *sandbox_key, const char *resolv,
			const char *hosts);

#endif
