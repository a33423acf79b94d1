/* containerd, every namespace (moby, k8s.io, default, ...), from the
 * shim v2 task directories: init.pid and the OCI config.json. Kubernetes
 * pods come from the CRI plugin's annotations in the same files, the
 * names nerdctl gives from its nerdctl/name annotation. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "runtime.h"

#define TASKS "/run/containerd/io.containerd.runtime.v2.task"

/* The start time of the init process, so a PID reused after the
 * container died is never joined: the OCI runtime's record (runc's
 * state.json, crun's status; the shim gives either the same root), else
 * the age of init.pid, which the shim writes after the process starts. */
static void start_time(const struct nj_ctx *ctx, long long pidfile_mtime,
		       struct nj_cand *c)
{
	static const struct runtime_state where[] = {
		{ "/run/containerd/runc", "state.json" },
		{ "/run/containerd/runc", "status" },
		{ "/run/docker/runtime-runc", "state.json" },
		{ "/run/docker/runtime-runc", "status" },
	};

	if (runtime_start_time(ctx, where, sizeof(where) / sizeof(where[0]),
			       c))
		return;
	cand_check_started(c, pidfile_mtime);
}

static void fill(const struct nj_ctx *ctx, const char *nsdir,
		 const char *dir, const struct oci_config *oc,
		 struct nj_cand *c)
{
	char path[PATH_MAX];
	long long mtime;

	snprintf(c->state_file, sizeof(c->state_file), "%s", dir);
	snprintf(path, sizeof(path), "%s/init.pid", dir);
	c->running = oci_read_pidfile(path, &c->pid, &mtime) == 0;
	snprintf(c->status, sizeof(c->status), "%s",
		 c->running ? "running" : "created");
	if (c->running)
		start_time(ctx, mtime, c);
	if (oc->k8s) {
		runtime_k8s_names(oc, c);
		runtime_k8s_dns(ctx, oc->sandbox ? c->id : oc->sandbox_id,
			     oc->pod_uid, c);
	} else {
		snprintf(c->name, sizeof(c->name), "%s", oc->container_name);
	}
	/* an app container of a pod: the pod's namespace, from its sandbox;
	 * anything else joined through its pid */
	if (oc->has_netns && !strncmp(oc->netns_path, "/proc/", 6) &&
	    oc->k8s && !oc->sandbox) {
		snprintf(path, sizeof(path), "%s/%s", nsdir, oc->sandbox_id);
		runtime_follow_sandbox(ctx, path, c);
	} else {
		runtime_netns(ctx, oc, c);
	}
}

struct scan {
	const struct nj_ctx *ctx;
	struct nj_cands *out;
	struct runtime_query q;
	const char *only_ns; /* containers: a containerd namespace, or NULL */
};

static int visit_container(struct scan *s, const char *nsdir,
			   const char *ns, const char *id)
{
	struct oci_config oc;
	struct nj_cand *c;
	char dir[PATH_MAX];
	enum nj_match m;

	snprintf(dir, sizeof(dir), "%s/%s", nsdir, id);
	m = runtime_config_match(&s->q, dir, id, &oc);
	if (!m)
		return 0;
	c = runtime_cand(s->out, "containerd", "disk", m, id);
	if (!c)
		return -ENOMEM;
	c->is_pod = s->q.pod_name != NULL;
	snprintf(c->ns, sizeof(c->ns), "%s", ns);
	fill(s->ctx, nsdir, dir, &oc, c);
	return 0;
}

static int scan_ns(struct scan *s, const char *tasks, const char *ns)
{
	char nsdir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(nsdir, sizeof(nsdir), "%s/%s", tasks, ns);
	d = opendir(nsdir);
	if (!d)
		return 0;
	while (rc == 0 && (de = readdir(d)))
		/* IDs that do not fit are no containerd IDs of ours */
		if (de->d_name[0] != '.' &&
		    strlen(de->d_name) < sizeof(((struct nj_cand *)0)->id))
			rc = visit_container(s, nsdir, ns, de->d_name);
	closedir(d);
	return rc;
}

static int scan(struct scan *s, struct nj_err *e)
{
	char tasks[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (ctx_path(s->ctx, tasks, sizeof(tasks), TASKS) < 0)
		return 0;
	d = opendir(tasks);
	if (!d) {
		if (errno == EACCES || errno == EPERM)
			return nj_fail(e, NJ_PERM, errno,
				       "cannot read containerd's state in %s: %s (needs root)",
				       tasks, strerror(errno));
		return 0;
	}
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) >= sizeof(((struct nj_cand *)0)->ns) ||
		    (s->only_ns && strcmp(de->d_name, s->only_ns)))
			continue;
		rc = scan_ns(s, tasks, de->d_name);
	}
	closedir(d);
	return rc < 0 ? nj_fail(e, NJ_FAIL, -rc, "out of memory") : 0;
}

int containerd_find(const struct nj_ctx *ctx, const char *ref,
		    struct nj_cands *out, struct nj_err *e)
{
	struct scan s = { .ctx = ctx, .out = out, .q.ref = ref };
	const char *slash = ref ? strchr(ref, '/') : NULL;
	char ns[64];

	if (slash) { /* containerd:NAMESPACE/ID */
		if ((size_t)(slash - ref) >= sizeof(ns))
			return nj_fail(e, NJ_USAGE, EINVAL,
				       "containerd namespace too long");
		memcpy(ns, ref, (size_t)(slash - ref));
		ns[slash - ref] = '\0';
		s.only_ns = ns;
		s.q.ref = slash + 1;
	}
	return scan(&s, e);
}

int containerd_find_pods(const struct nj_ctx *ctx, const char *ns,
			 const char *name, struct nj_cands *out,
			 struct nj_err *e)
{
	struct scan s = { .ctx = ctx, .out = out, .q.pod_ns = ns,
			  .q.pod_name = name };

	return scan(&s, e);
}
