/* What the runtime providers share: the start time an OCI runtime
 * recorded, the network namespace an OCI config names, an app container
 * followed to its pod's sandbox, and a record matched against a query.
 * A new runtime is a file in src/providers/ and a row in nj_providers. */
#ifndef NETJOIN_PROVIDERS_RUNTIME_H
#define NETJOIN_PROVIDERS_RUNTIME_H

#include <stddef.h>
#include "netjoin/oci.h"
#include "netjoin/target.h"

/* Where an OCI runtime keeps a container's state:
 * <dir>/[<containerd namespace>/]<id>/<file>. */
struct runtime_state {
	const char *dir;
	const char *file;
};

/* The start time of c's process from the first of n state records that
 * names c's pid with a start time: sets c->start_time and returns true;
 * false (c unchanged) when none does. */
bool runtime_start_time(const struct nj_ctx *ctx,
			const struct runtime_state *where, size_t n,
			struct nj_cand *c);

/* The network namespace an OCI config names, into c: none (the host's),
 * a pinned file (resolved under the host root), or another process's
 * (/proc/<pid>/ns/net: c is a guest, joined through its own pid). */
void runtime_netns(const struct nj_ctx *ctx, const struct oci_config *oc,
		   struct nj_cand *c);

/* An app container of a pod names /proc/<sandbox pid>/ns/net: the pod's
 * namespace is what the sandbox's config (in sandbox_dir) names, the
 * host's or its pinned file. Nothing when that config cannot be read. */
void runtime_follow_sandbox(const struct nj_ctx *ctx, const char *sandbox_dir,
			    struct nj_cand *c);

/* A query of a runtime's records: containers by ref (ID, name or ID
 * prefix; NULL: every one), or, when pod_name is set, pod sandboxes by
 * namespace and name (exact or prefix). */
struct runtime_query {
	const char *ref;
	const char *pod_ns, *pod_name;
};

/* Read the OCI config of record id (dir/config.json) into oc and match
 * it against q: the match kind, or 0 for none (also when the config
 * cannot be read, or is half-written: not ours to judge). */
enum nj_match runtime_config_match(const struct runtime_query *q,
				   const char *dir, const char *id,
				   struct oci_config *oc);

/* A Kubernetes container's pod (name, namespace, UID) and its name (the
 * pod's for a sandbox) into c. */
void runtime_k8s_names(const struct oci_config *oc, struct nj_cand *c);

/* A new candidate in out, of this runtime and source, with match m and
 * ID id; NULL when out of memory. */
struct nj_cand *runtime_cand(struct nj_cands *out, const char *runtime,
			     const char *source, enum nj_match m,
			     const char *id);

/* A Kubernetes pod's resolv.conf and hosts into c, where not yet set. */
void runtime_k8s_dns(const struct nj_ctx *ctx, const char *sandbox_id,
		  const char *pod_uid, struct nj_cand *c);

/* A rootless container's user: uid's name, or the number when it has
 * none. */
void runtime_user_name(uid_t uid, char *out, size_t sz);

/* Parses a /proc/N/cmdline (len bytes) of a runtime's per-container
 * process (podman's conmon, a containerd shim) into the container's ID and
 * name ("" when it carries none): 0, or -EINVAL when it is not one. */
typedef int (*runtime_argv_parse)(const char *buf, size_t len, char *id,
				  size_t idsz, char *name, size_t namesz);

/* A user cannot read another user's runtime state, but every user sees
 * the argv of the process that watches each of their running containers:
 * one of another user (not root, not the caller) matching ref, by parse,
 * sets its owner and its name (else its ID) and returns true. */
bool runtime_other_user(const char *ref, runtime_argv_parse parse,
			uid_t *owner, char *name, size_t sz);

#endif
