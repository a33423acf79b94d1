/* containers/storage, shared by the CRI-O and podman providers. Each
 * storage driver has its own directory, "<driver>-containers" (overlay,
 * vfs, btrfs...), under the graph root /var/lib/containers/storage and
 * the run root /run/containers/storage; a container's userdata/ exists in
 * both: podman writes config.json only in the graph root's, CRI-O in
 * both, and the pidfile is in the run root's. */
#ifndef NETJOIN_STORAGE_H
#define NETJOIN_STORAGE_H

#include "netjoin/oci.h"
#include "netjoin/target.h"

#define STORAGE_GRAPH "/var/lib/containers/storage"
#define STORAGE_RUN "/run/containers/storage"

/* One store: root's (the defaults above, the OCI runtimes' state under
 * /run), or a user's rootless one ($XDG_DATA_HOME/containers/storage,
 * $XDG_RUNTIME_DIR/containers, runc's and crun's state under
 * $XDG_RUNTIME_DIR). */
struct storage_store {
	char graph[PATH_MAX], run[PATH_MAX];
	char oci_run[PATH_MAX];  /* holds runc/ and crun/ */
	char user[64];           /* a rootless store's user, "" for root's */
	uid_t uid;               /* and their uid (0 for root's) */
};

/* The store of root, with the default paths. */
void storage_rootful(struct storage_store *s);

/* Call fn with each "<driver>-containers" directory name under root (one
 * of STORAGE_GRAPH, STORAGE_RUN); stops at fn's first nonzero return. */
int storage_drivers(const struct nj_ctx *ctx, const char *root,
		    int (*fn)(const char *driver_dir, void *arg), void *arg,
		    struct nj_err *e);
/* <host root><root>/<driver_dir>/<id>/userdata */
int storage_userdata(const struct nj_ctx *ctx, const char *root,
		     const char *driver_dir, const char *id, char *out,
		     size_t sz);
/* PID from userdata/pidfile, checked to be the process the runtime
 * started (the OCI runtime's record in st, when there is one); sets
 * running, pid, start_time, status. */
void storage_process(const struct nj_ctx *ctx, const struct storage_store *st,
		     const char *userdata, struct nj_cand *c);

#endif
