/* podman (rootful), daemonless like us: names from containers/storage's
 * containers.json, config.json from the container's graph-root userdata
 * (the bundle podman hands to conmon), the process from the run-root
 * userdata's pidfile, and the namespace file the config names
 * (/run/netns/netns-<uuid> on a podman network). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "netjoin/storage.h"
#include "runtime.h"

#define LIST_MAX (64u << 20)

struct podman_scan {
	const struct nj_ctx *ctx;
	const char *ref;
	struct nj_cands *out;
	const char *driver_dir;
};

static int visit(const char *id, const char *name, void *arg)
{
	struct podman_scan *s = arg;
	enum nj_match m = cand_match(s->ref, id, name);
	char graph[PATH_MAX], run[PATH_MAX];
	struct oci_config oc;
	struct nj_cand *c;
	bool have;

	if (!m || strlen(id) >= sizeof(c->id) ||
	    storage_userdata(s->ctx, STORAGE_GRAPH, s->driver_dir, id, graph,
			     sizeof(graph)) < 0 ||
	    storage_userdata(s->ctx, STORAGE_RUN, s->driver_dir, id, run,
			     sizeof(run)) < 0)
		return 0;
	/* no config: never started */
	have = oci_load_config(graph, NULL, &oc) == 0;
	if (have && oc.crio)
		return 0; /* CRI-O's, in the same store */
	c = runtime_cand(s->out, "podman", "disk", m, id);
	if (!c)
		return -ENOMEM;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->status, sizeof(c->status), have ? "exited" : "created");
	snprintf(c->state_file, sizeof(c->state_file), "%s", graph);
	storage_process(s->ctx, run, c);
	if (have)
		runtime_netns(s->ctx, &oc, c);
	/* podman writes the container's own resolv.conf and hosts here */
	snprintf(c->resolv, sizeof(c->resolv), "%s/resolv.conf", run);
	snprintf(c->hosts, sizeof(c->hosts), "%s/hosts", run);
	if (access(c->resolv, R_OK) < 0)
		c->resolv[0] = '\0';
	if (access(c->hosts, R_OK) < 0)
		c->hosts[0] = '\0';
	return 0;
}

static int scan_driver(const char *driver_dir, void *arg)
{
	struct podman_scan *s = arg;
	char path[PATH_MAX], *buf;
	size_t len;
	int rc;

	if (ctx_path(s->ctx, path, sizeof(path), "%s/%s/containers.json",
		     STORAGE_GRAPH, driver_dir) < 0)
		return 0;
	rc = read_file(path, LIST_MAX, &buf, &len);
	if (rc == -EACCES || rc == -EPERM)
		return rc;
	if (rc < 0)
		return 0;
	s->driver_dir = driver_dir;
	rc = oci_parse_containers_json(buf, len, visit, s);
	free(buf);
	return rc == -ENOMEM ? rc : 0; /* a malformed list is as good as none */
}

int podman_find(const struct nj_ctx *ctx, const char *ref,
		struct nj_cands *out, struct nj_err *e)
{
	struct podman_scan s = { .ctx = ctx, .ref = ref, .out = out };

	return storage_drivers(ctx, STORAGE_GRAPH, scan_driver, &s, e);
}
