/* The layer the runtime providers share (see runtime.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include "netjoin/procfs.h"
#include "runtime.h"

bool runtime_start_time(const struct nj_ctx *ctx,
			const struct runtime_state *where, size_t n,
			struct nj_cand *c)
{
	char path[PATH_MAX], *buf;
	unsigned long long st;
	size_t i, len;
	pid_t pid;
	bool found;

	for (i = 0; i < n; i++) {
		if (ctx_path(ctx, path, sizeof(path), "%s/%s%s%s/%s",
			     where[i].dir, c->ns, c->ns[0] ? "/" : "", c->id,
			     where[i].file) < 0 ||
		    read_file(path, OCI_STATE_MAX, &buf, &len) < 0)
			continue;
		found = oci_parse_runc_state(buf, len, &pid, &st) == 0 &&
			pid == c->pid && st;
		free(buf);
		if (found) {
			c->start_time = st;
			return true;
		}
	}
	return false;
}

/* A namespace file of its own, not another process's /proc/<pid>/ns/net
 * (which only says "the same as that process"). */
static bool pinned(const char *netns_path)
{
	return netns_path[0] && strncmp(netns_path, "/proc/", 6);
}

void runtime_netns(const struct nj_ctx *ctx, const struct oci_config *oc,
		   struct nj_cand *c)
{
	if (!oc->has_netns)
		c->host_network = true;
	else if (pinned(oc->netns_path))
		ctx_path(ctx, c->netns_path, sizeof(c->netns_path), "%s",
			 oc->netns_path);
	else if (oc->netns_path[0])
		c->guest = true; /* podman's or nerdctl's container:X */
}

void runtime_follow_sandbox(const struct nj_ctx *ctx, const char *sandbox_dir,
			    struct nj_cand *c)
{
	struct oci_config sb;

	if (oci_load_config(sandbox_dir, NULL, &sb) < 0)
		return;
	if (!sb.has_netns)
		c->host_network = true;
	else if (pinned(sb.netns_path))
		ctx_path(ctx, c->netns_path, sizeof(c->netns_path), "%s",
			 sb.netns_path);
}

static enum nj_match pod_match(const struct runtime_query *q,
			       const struct oci_config *oc)
{
	/* no namespace: every namespace (the hints of a pod not found) */
	if (!oc->k8s || !oc->sandbox ||
	    (q->pod_ns && strcmp(oc->pod_ns, q->pod_ns)))
		return 0;
	if (!strcmp(oc->pod_name, q->pod_name))
		return NJ_MATCH_NAME;
	if (!strncmp(oc->pod_name, q->pod_name, strlen(q->pod_name)))
		return NJ_MATCH_PREFIX;
	return 0;
}

enum nj_match runtime_config_match(const struct runtime_query *q,
				   const char *dir, const char *id,
				   struct oci_config *oc)
{
	enum nj_match m = q->pod_name ? 0 : cand_match(q->ref, id, NULL);

	/* a config that cannot name what is looked for is not parsed */
	if (oci_load_config(dir, m ? NULL : q->ref ? q->ref : q->pod_name,
			    oc) < 0)
		return 0;
	if (q->pod_name)
		return pod_match(q, oc);
	if (!m)
		m = cand_match(q->ref, id,
			       oc->sandbox ? oc->pod_name : oc->container_name);
	return m;
}

void runtime_k8s_names(const struct oci_config *oc, struct nj_cand *c)
{
	snprintf(c->pod_name, sizeof(c->pod_name), "%s", oc->pod_name);
	snprintf(c->pod_ns, sizeof(c->pod_ns), "%s", oc->pod_ns);
	snprintf(c->pod_uid, sizeof(c->pod_uid), "%s", oc->pod_uid);
	snprintf(c->name, sizeof(c->name), "%s",
		 oc->sandbox ? oc->pod_name : oc->container_name);
}

struct nj_cand *runtime_cand(struct nj_cands *out, const char *runtime,
			     const char *source, enum nj_match m,
			     const char *id)
{
	struct nj_cand *c = cands_add(out);

	if (!c)
		return NULL;
	c->runtime = runtime;
	c->source = source;
	c->match = m;
	snprintf(c->id, sizeof(c->id), "%s", id);
	return c;
}

/* ctx_path of an existing regular file: 0, or -ENOENT with out "". */
static int ctx_file(const struct nj_ctx *ctx, char *out, size_t sz,
		    const char *fmt, ...)
{
	char rel[PATH_MAX];
	struct stat st;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(rel) ||
	    ctx_path(ctx, out, sz, "%s", rel) < 0)
		return -ENAMETOOLONG;
	if (stat(out, &st) < 0 || !S_ISREG(st.st_mode)) {
		out[0] = '\0';
		return -ENOENT;
	}
	return 0;
}

/* Kubernetes' files of a pod: the CRI plugin's resolv.conf and hosts of
 * its sandbox, and the kubelet's etc-hosts, which it mounts into every
 * container of the pod. */
void runtime_k8s_dns(const struct nj_ctx *ctx, const char *sandbox_id,
		  const char *pod_uid, struct nj_cand *c)
{
	static const char cri[] =
		"/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes";

	if (!c->resolv[0] && sandbox_id[0])
		ctx_file(ctx, c->resolv, sizeof(c->resolv), "%s/%s/resolv.conf",
			 cri, sandbox_id);
	if (!c->hosts[0] && pod_uid[0])
		ctx_file(ctx, c->hosts, sizeof(c->hosts),
			 "/var/lib/kubelet/pods/%s/etc-hosts", pod_uid);
	if (!c->hosts[0] && sandbox_id[0])
		ctx_file(ctx, c->hosts, sizeof(c->hosts), "%s/%s/hosts", cri,
			 sandbox_id);
}

/* A user's name, or the number when it has none. */
void runtime_user_name(uid_t uid, char *out, size_t sz)
{
	struct passwd *pw = getpwuid(uid);

	if (pw && pw->pw_name[0])
		snprintf(out, sz, "%s", pw->pw_name);
	else
		snprintf(out, sz, "%u", (unsigned)uid);
}

/* /proc/<pid>/cmdline, whose size stat does not tell: into buf, at most
 * sz bytes (a longer one is cut, and then no argv a parser takes). */
static ssize_t read_cmdline(const char *path, char *buf, size_t sz)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (len < sz && ((n = read(fd, buf + len, sz - len)) > 0 ||
			    (n < 0 && errno == EINTR)))
		if (n > 0)
			len += (size_t)n;
	close(fd);
	return (ssize_t)len;
}

bool runtime_other_user(const char *ref, runtime_argv_parse parse,
			uid_t *owner, char *name, size_t sz)
{
	enum { ARGV_MAX = 64 << 10 };
	char path[64], id[72], cname[256], *buf;
	struct dirent *de;
	struct stat st;
	bool found = false;
	ssize_t len;
	DIR *d;

	buf = malloc(ARGV_MAX);
	d = buf ? opendir("/proc") : NULL;
	if (!d) {
		free(buf);
		return false;
	}
	while (!found && (de = readdir(d))) {
		if (!procfs_is_pid_name(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		if (stat(path, &st) < 0 || st.st_uid == getuid() ||
		    st.st_uid == 0 ||
		    (len = read_cmdline(path, buf, ARGV_MAX)) <= 0)
			continue;
		if (parse(buf, (size_t)len, id, sizeof(id), cname,
			  sizeof(cname)) == 0 &&
		    cand_match(ref, id, cname)) {
			*owner = st.st_uid;
			snprintf(name, sz, "%s", cname[0] ? cname : id);
			found = true;
		}
	}
	closedir(d);
	free(buf);
	return found;
}
