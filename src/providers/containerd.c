/* containerd, every namespace (moby, k8s.io, default, ...), from the
 * shim v2 task directories: init.pid and the OCI config.json. Kubernetes
 * pods come from the CRI plugin's annotations in the same files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "netjoin/oci.h"
#include "netjoin/target.h"

#define TASKS "/run/containerd/io.containerd.runtime.v2.task"
#define STATE_MAX (4u << 20)

/* The start time of the init process, so a PID reused after the
 * container died is never joined: the OCI runtime's record (runc's
 * state.json, crun's status; the shim gives either the same root), else
 * the age of init.pid, which the shim writes after the process starts. */
static void start_time(const struct nj_ctx *ctx, const char *pidfile,
		       struct nj_cand *c)
{
	static const char *const roots[] = { "/run/containerd/runc/%s/%s",
					     "/run/docker/runtime-runc/%s/%s" };
	static const char *const files[] = { "state.json", "status" };
	char dir[PATH_MAX], path[PATH_MAX], *buf;
	unsigned long long st;
	struct stat sb;
	size_t i, j, len;
	pid_t pid;

	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(dir, sizeof(dir), roots[i], c->ns, c->id);
		for (j = 0; j < sizeof(files) / sizeof(files[0]); j++) {
			if (ctx_path(ctx, path, sizeof(path), "%s/%s", dir,
				     files[j]) < 0 ||
			    read_file(path, STATE_MAX, &buf, &len) < 0)
				continue;
			if (oci_parse_runc_state(buf, len, &pid, &st) == 0 &&
			    pid == c->pid)
				c->start_time = st;
			free(buf);
			if (c->start_time)
				return;
		}
	}
	if (stat(pidfile, &sb) < 0) {
		c->start_err = errno;
		return;
	}
	cand_check_started(c, (long long)sb.st_mtime);
}

/* An app container of a pod names /proc/<sandbox pid>/ns/net: the pod's
 * namespace is the sandbox's pinned file. */
static void follow_sandbox(const struct nj_ctx *ctx, const char *nsdir,
			   const struct oci_config *oc, struct nj_cand *c)
{
	struct oci_config sb;
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/%s", nsdir, oc->sandbox_id);
	if (oci_load_config(dir, NULL, &sb) < 0)
		return;
	if (!sb.has_netns)
		c->host_network = true;
	else if (sb.netns_path[0] && strncmp(sb.netns_path, "/proc/", 6))
		ctx_path(ctx, c->netns_path, sizeof(c->netns_path), "%s",
			 sb.netns_path);
}

static void fill(const struct nj_ctx *ctx, const char *nsdir,
		 const char *dir, const struct oci_config *oc,
		 struct nj_cand *c)
{
	char path[PATH_MAX];

	c->runtime = "containerd";
	c->source = "disk";
	snprintf(c->state_file, sizeof(c->state_file), "%s", dir);
	snprintf(path, sizeof(path), "%s/init.pid", dir);
	c->running = oci_read_pidfile(path, &c->pid) == 0;
	snprintf(c->status, sizeof(c->status), "%s",
		 c->running ? "running" : "created");
	if (c->running)
		start_time(ctx, path, c);
	if (oc->k8s) {
		snprintf(c->pod_name, sizeof(c->pod_name), "%s", oc->pod_name);
		snprintf(c->pod_ns, sizeof(c->pod_ns), "%s", oc->pod_ns);
		snprintf(c->pod_uid, sizeof(c->pod_uid), "%s", oc->pod_uid);
		snprintf(c->name, sizeof(c->name), "%s",
			 oc->sandbox ? oc->pod_name : oc->container_name);
	}
	if (oc->k8s)
		cand_k8s_dns(ctx, oc->sandbox ? c->id : oc->sandbox_id,
			     oc->pod_uid, c);
	if (!oc->has_netns)
		c->host_network = true;
	else if (!strncmp(oc->netns_path, "/proc/", 6) && oc->k8s &&
		 !oc->sandbox)
		follow_sandbox(ctx, nsdir, oc, c);
	else if (oc->netns_path[0] && strncmp(oc->netns_path, "/proc/", 6))
		ctx_path(ctx, c->netns_path, sizeof(c->netns_path), "%s",
			 oc->netns_path);
	else if (oc->netns_path[0])
		c->guest = true; /* another process's (nerdctl's container:X) */
	/* joined through its pid either way */
}

struct scan {
	const struct nj_ctx *ctx;
	struct nj_cands *out;
	/* containers: ref and an optional containerd namespace */
	const char *ref, *only_ns;
	/* pods: namespace and name */
	const char *pod_ns, *pod_name;
};

static int visit_container(struct scan *s, const char *nsdir,
			   const char *ns, const char *id)
{
	struct oci_config oc;
	struct nj_cand *c;
	char dir[PATH_MAX];
	enum nj_match m = 0;

	if (!s->pod_name)
		m = cand_match(s->ref, id, NULL);
	snprintf(dir, sizeof(dir), "%s/%s", nsdir, id);
	if (oci_load_config(dir, m ? NULL : s->ref ? s->ref : s->pod_name,
			&oc) < 0)
		return 0; /* no match, or half-written: not ours to judge */
	if (!s->pod_name && !m && oc.k8s)
		m = cand_match(s->ref, id,
			       oc.sandbox ? oc.pod_name : oc.container_name);
	if (s->pod_name) {
		if (!oc.k8s || !oc.sandbox || strcmp(oc.pod_ns, s->pod_ns))
			return 0;
		if (!strcmp(oc.pod_name, s->pod_name))
			m = NJ_MATCH_NAME;
		else if (!strncmp(oc.pod_name, s->pod_name,
				  strlen(s->pod_name)))
			m = NJ_MATCH_PREFIX;
	}
	if (!m)
		return 0;
	c = cands_add(s->out);
	if (!c)
		return -ENOMEM;
	c->match = m;
	c->is_pod = s->pod_name != NULL;
	snprintf(c->ns, sizeof(c->ns), "%s", ns);
	snprintf(c->id, sizeof(c->id), "%s", id);
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
	struct scan s = { .ctx = ctx, .out = out, .ref = ref };
	const char *slash = ref ? strchr(ref, '/') : NULL;
	char ns[64];

	if (slash) { /* containerd:NAMESPACE/ID */
		if ((size_t)(slash - ref) >= sizeof(ns))
			return nj_fail(e, NJ_USAGE, EINVAL,
				       "containerd namespace too long");
		memcpy(ns, ref, (size_t)(slash - ref));
		ns[slash - ref] = '\0';
		s.only_ns = ns;
		s.ref = slash + 1;
	}
	return scan(&s, e);
}

int containerd_find_pods(const struct nj_ctx *ctx, const char *ns,
			 const char *name, struct nj_cands *out,
			 struct nj_err *e)
{
	struct scan s = { .ctx = ctx, .out = out, .pod_ns = ns,
			  .pod_name = name };

	return scan(&s, e);
}
