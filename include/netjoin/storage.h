/* containers/storage's run root, shared by the CRI-O and podman
 * providers. */
#ifndef NETJOIN_STORAGE_H
#define NETJOIN_STORAGE_H

#include "netjoin/oci.h"
#include "netjoin/target.h"

/* <root>/run/containers/storage/overlay-containers/<id>/userdata */
int storage_userdata(const struct nj_ctx *ctx, const char *id, char *out,
		     size_t sz);
/* Parse userdata/config.json (skipped, -ENOENT, when needle is given and
 * absent from it). */
int storage_config(const char *userdata, const char *needle,
		   struct oci_config *oc);
/* PID from userdata/pidfile, checked to be the process the runtime
 * started; sets running, pid, start_time, status. */
void storage_process(const struct nj_ctx *ctx, const char *userdata,
		     struct nj_cand *c);
/* The network namespace a config names: a pinned file, the host's, or
 * (empty path) the process's own. */
void storage_netns(const struct nj_ctx *ctx, const struct oci_config *oc,
		   struct nj_cand *c);

#endif
