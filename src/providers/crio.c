/* CRI-O, from containers/storage's run root: userdata/config.json with
 * the io.kubernetes.* annotations, and userdata/pidfile. A pod without an
 * infra process (CRI-O's drop_infra_ctr) has only its pinned netns. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "netjoin/storage.h"
#include "runtime.h"

struct crio_scan {
	const struct nj_ctx *ctx;
	struct nj_cands *out;
	struct runtime_query q;
	const char *driver_dir;
};

static int visit(struct crio_scan *s, const char *id)
{
	char ud[PATH_MAX], dns[PATH_MAX];
	struct storage_store store;
	struct oci_config oc;
	struct nj_cand *c;
	enum nj_match m;
	struct stat st;

	if (storage_userdata(s->ctx, STORAGE_RUN, s->driver_dir, id, ud,
			     sizeof(ud)) < 0)
		return 0;
	m = runtime_config_match(&s->q, ud, id, &oc);
	if (!m || !oc.crio)
		return 0;
	c = runtime_cand(s->out, "crio", "disk", m, id);
	if (!c)
		return -ENOMEM;
	c->is_pod = s->q.pod_name != NULL;
	runtime_k8s_names(&oc, c);
	snprintf(c->state_file, sizeof(c->state_file), "%s", ud);
	snprintf(c->status, sizeof(c->status), "stopped");
	storage_rootful(&store);
	storage_process(s->ctx, &store, ud, c);
	runtime_netns(s->ctx, &oc, c);
	/* CRI-O keeps a pod's resolv.conf in its sandbox's userdata */
	if (storage_userdata(s->ctx, STORAGE_RUN, s->driver_dir,
			     oc.sandbox ? id : oc.sandbox_id, dns,
			     sizeof(dns)) == 0) {
		snprintf(c->resolv, sizeof(c->resolv), "%s/resolv.conf", dns);
		if (stat(c->resolv, &st) < 0)
			c->resolv[0] = '\0';
	}
	runtime_k8s_dns(s->ctx, "", oc.pod_uid, c);
	/* an app container whose config names a process's namespace: the
	 * pod's pinned file, from its sandbox, is the stable answer */
	if (!strncmp(oc.netns_path, "/proc/", 6) && oc.sandbox_id[0] &&
	    storage_userdata(s->ctx, STORAGE_RUN, s->driver_dir,
			     oc.sandbox_id, ud, sizeof(ud)) == 0)
		runtime_follow_sandbox(s->ctx, ud, c);
	/* no infra process: the pinned namespace is the pod */
	if (!c->running && !c->pid && oc.sandbox && c->netns_path[0] &&
	    stat(c->netns_path, &st) == 0) {
		c->running = true;
		snprintf(c->status, sizeof(c->status), "running");
	}
	return 0;
}

static int scan_driver(const char *driver_dir, void *arg)
{
	struct crio_scan *s = arg;
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (ctx_path(s->ctx, dir, sizeof(dir), "%s/%s", STORAGE_RUN,
		     driver_dir) < 0)
		return 0;
	d = opendir(dir);
	if (!d)
		return errno == EACCES || errno == EPERM ? -errno : 0;
	s->driver_dir = driver_dir;
	while (rc == 0 && (de = readdir(d)))
		if (de->d_name[0] != '.' &&
		    strlen(de->d_name) < sizeof(((struct nj_cand *)0)->id))
			rc = visit(s, de->d_name);
	closedir(d);
	return rc;
}

int crio_find(const struct nj_ctx *ctx, const char *ref,
	      struct nj_cands *out, struct nj_err *e)
{
	struct crio_scan s = { .ctx = ctx, .out = out, .q.ref = ref };

	return storage_drivers(ctx, STORAGE_RUN, scan_driver, &s, e);
}

int crio_find_pods(const struct nj_ctx *ctx, const char *ns,
		   const char *name, struct nj_cands *out, struct nj_err *e)
{
	struct crio_scan s = { .ctx = ctx, .out = out, .q.pod_ns = ns,
			       .q.pod_name = name };

	return storage_drivers(ctx, STORAGE_RUN, scan_driver, &s, e);
}
