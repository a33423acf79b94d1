/* podman (rootful), daemonless like us: names from containers/storage's
 * containers.json, the process from userdata/pidfile, the namespace from
 * userdata/config.json (/run/netns/netns-<uuid> on a podman network). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netjoin/storage.h"

#define LIST_MAX (64u << 20)

struct podman_scan {
	const struct nj_ctx *ctx;
	const char *ref;
	struct nj_cands *out;
};

static int visit(const char *id, const char *name, void *arg)
{
	struct podman_scan *s = arg;
	enum nj_match m = cand_match(s->ref, id, name);
	char ud[PATH_MAX];
	struct oci_config oc;
	struct nj_cand *c;
	bool have;

	if (!m || strlen(id) >= sizeof(c->id) ||
	    storage_userdata(s->ctx, id, ud, sizeof(ud)) < 0)
		return 0;
	have = storage_config(ud, NULL, &oc) == 0; /* none: never started */
	if (have && oc.k8s)
		return 0; /* CRI-O's, in the same store */
	c = cands_add(s->out);
	if (!c)
		return -ENOMEM;
	c->runtime = "podman";
	c->source = "disk";
	c->match = m;
	snprintf(c->id, sizeof(c->id), "%s", id);
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->status, sizeof(c->status), "created");
	snprintf(c->state_file, sizeof(c->state_file), "%s", ud);
	storage_process(s->ctx, ud, c);
	if (have)
		storage_netns(s->ctx, &oc, c);
	return 0;
}

int podman_find(const struct nj_ctx *ctx, const char *ref,
		struct nj_cands *out, struct nj_err *e)
{
	struct podman_scan s = { ctx, ref, out };
	char path[PATH_MAX], *buf;
	size_t len;
	int rc;

	if (ctx_path(ctx, path, sizeof(path),
		     "/var/lib/containers/storage/overlay-containers/containers.json") < 0)
		return 0;
	rc = read_file(path, LIST_MAX, &buf, &len);
	if (rc == -EACCES || rc == -EPERM)
		return nj_fail(e, NJ_PERM, -rc, "cannot read %s: %s (needs root)",
			       path, strerror(-rc));
	if (rc < 0)
		return 0;
	rc = oci_parse_containers_json(buf, len, visit, &s);
	free(buf);
	if (rc == -ENOMEM)
		return nj_fail(e, NJ_FAIL, ENOMEM, "out of memory");
	return 0; /* a malformed list is as good as none */
}
