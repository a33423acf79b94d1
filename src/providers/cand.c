/* Candidates: what providers found, settled into one answer (or an
 * ambiguity), and the winner opened. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include "netjoin/esc.h"
#include "netjoin/nsjoin.h"
#include "netjoin/procfs.h"
#include "netjoin/target.h"
#include "netjoin/vec.h"

struct nj_cand *cands_add(struct nj_cands *c)
{
	struct nj_cand **slot = VEC_PUSH(c->v, c->n, c->cap, 8);

	if (!slot)
		return NULL;
	*slot = calloc(1, sizeof(**slot));
	if (!*slot)
		c->n--;
	return *slot;
}

void cands_truncate(struct nj_cands *c, size_t n)
{
	while (c->n > n)
		free(c->v[--c->n]);
}

void cands_free(struct nj_cands *c)
{
	cands_truncate(c, 0);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

enum nj_match cand_match(const char *ref, const char *id, const char *name)
{
	if (!ref) /* every container: the node-wide inventory */
		return NJ_MATCH_PREFIX;
	if (!strcmp(ref, id))
		return NJ_MATCH_ID;
	if (name && *name && !strcmp(ref, name))
		return NJ_MATCH_NAME;
	if (*ref && !strncmp(ref, id, strlen(ref)))
		return NJ_MATCH_PREFIX;
	return 0;
}

/* Which of two views of one namespace describes it best: the runtime the
 * user works with (Docker over its containerd "moby" shadow), and a pod's
 * sandbox over its app containers only when the pod was asked for. */
static int rank(const struct nj_cand *c)
{
	static const char *const order[] = { "docker", "podman", "crio",
					     "containerd" };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (!strcmp(c->runtime, order[i]))
			return (int)i;
	return 9;
}

/* A namespace file as this mount namespace sees it: a rootless
 * container's is mounted only in its user's podman mount namespace, and
 * here is the empty file under that mount. */
static bool is_nsfs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == NSFS_MAGIC;
}

void cand_identify(struct nj_cand *c, size_t uniq)
{
	char path[64];
	struct stat st;

	/* a stopped container's recorded namespace may be stale or reused */
	if (!c->running)
		goto unknown;
	if (c->host_network && stat("/proc/self/ns/net", &st) == 0)
		goto found;
	if (c->netns_path[0] && is_nsfs(c->netns_path) &&
	    stat(c->netns_path, &st) == 0)
		goto found;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)c->pid);
	if (c->pid > 0 && stat(path, &st) == 0)
		goto found;
unknown: /* distinct from every other */
	c->ns_dev = ~0ULL;
	c->ns_ino = uniq;
	return;
found:
	c->ns_dev = st.st_dev;
	c->ns_ino = st.st_ino;
}

size_t cands_settle(struct nj_cands *c)
{
	enum nj_match best = NJ_MATCH_PREFIX;
	struct nj_cand *k;
	size_t i, j, n = 0;

	for (i = 0; i < c->n; i++)
		if (c->v[i]->match < best)
			best = c->v[i]->match;
	/* the answers move to the front (n <= i); the rest are freed */
	for (i = 0; i < c->n; i++) {
		k = c->v[i];
		if (k->match != best) {
			free(k);
			continue;
		}
		cand_identify(k, i);
		for (j = 0; j < n; j++)
			if (c->v[j]->ns_dev == k->ns_dev &&
			    c->v[j]->ns_ino == k->ns_ino)
				break;
		if (j == n) {
			c->v[n++] = k;
		} else if (rank(k) < rank(c->v[j])) {
			/* the same namespace seen twice: the better view */
			free(c->v[j]);
			c->v[j] = k;
		} else {
			free(k);
		}
	}
	c->n = n;
	return n;
}

static void describe(const struct nj_cand *c, char *buf, size_t sz)
{
	if (c->is_pod) {
		snprintf(buf, sz, "pod:%s/%s (%s)", c->pod_ns, c->pod_name,
			 c->runtime);
	} else if (!strcmp(c->runtime, "containerd")) {
		snprintf(buf, sz, "containerd:%s/%.12s", c->ns, c->id);
		if (c->pod_name[0])
			snprintf(buf + strlen(buf), sz - strlen(buf),
				 " (pod %s/%s, container %s)", c->pod_ns,
				 c->pod_name, c->name);
	} else if (c->pod_name[0]) {
		snprintf(buf, sz, "%s:%.12s (pod %s/%s, container %s)",
			 c->runtime, c->id, c->pod_ns, c->pod_name, c->name);
	} else if (c->user[0]) {
		snprintf(buf, sz, "%s:%s/%.12s (%s, user %s)", c->runtime,
			 c->user, c->id, c->name, c->user);
	} else if (!strcmp(c->id, c->name)) {
		/* a runtime without IDs (LXC): the name, whole, selects it */
		snprintf(buf, sz, "%s:%s", c->runtime, c->name);
	} else {
		snprintf(buf, sz, "%s:%.12s (%s)", c->runtime, c->id, c->name);
	}
}

/* Names from runtime state may hold anything: one line each, always. */
void cand_describe(const struct nj_cand *c, char *buf, size_t sz)
{
	char raw[1024];

	describe(c, raw, sizeof(raw));
	esc_str(buf, sz, raw);
}

static void fill_target(const struct nj_cand *c, struct nj_target *t)
{
	t->kind = c->is_pod ? "pod" : "container";
	t->runtime = c->runtime;
	t->source = c->source;
	t->pid = c->pid;
	t->start_time = c->start_time;
	snprintf(t->ns, sizeof(t->ns), "%s", c->ns);
	snprintf(t->id, sizeof(t->id), "%s", c->id);
	snprintf(t->name, sizeof(t->name), "%s",
		 c->is_pod ? c->pod_name : c->name);
	snprintf(t->pod_name, sizeof(t->pod_name), "%s", c->pod_name);
	snprintf(t->pod_ns, sizeof(t->pod_ns), "%s", c->pod_ns);
	snprintf(t->pod_uid, sizeof(t->pod_uid), "%s", c->pod_uid);
	snprintf(t->user, sizeof(t->user), "%s", c->user);
	t->user_uid = c->user_uid;
	snprintf(t->network_mode, sizeof(t->network_mode), "%s",
		 c->network_mode);
	snprintf(t->resolv, sizeof(t->resolv), "%s", c->resolv);
	snprintf(t->hosts, sizeof(t->hosts), "%s", c->hosts);
	if (c->host_network)
		snprintf(t->note, sizeof(t->note),
			 "host network: it uses the host's network namespace");
	else if (!strncmp(c->network_mode, "container:", 10))
		snprintf(t->note, sizeof(t->note),
			 "shares the network namespace of container %.12s",
			 c->network_mode + 10);
	snprintf(t->how, sizeof(t->how), "%s %s%s%s", c->runtime,
		 !strcmp(c->source, "api") ? "Engine API" : "on-disk state",
		 c->state_file[0] ? " " : "", c->state_file);
}

void cand_check_started(struct nj_cand *c, long long t)
{
	unsigned long long start;
	int r;

	if (c->start_time || c->pid <= 0)
		return;
	r = t > 0 ? procfs_started_before(c->pid, t, &start) : -ENODATA;
	switch (r) {
	case 0:
		c->start_time = start;
		break;
	case -ESTALE:
		c->running = false;
		snprintf(c->status, sizeof(c->status),
			 "exited; PID %d now belongs to another process",
			 (int)c->pid);
		break;
	case -ESRCH:
		c->running = false;
		snprintf(c->status, sizeof(c->status), "exited");
		break;
	default:
		c->start_err = -r;
	}
}

static int open_pid(const struct nj_cand *c, const char *what,
		    struct nj_target *t, struct nj_err *e)
{
	int fd;

	if (c->pid <= 0)
		return nj_fail(e, NJ_GONE, ESRCH, "%s %s has no process",
			       c->runtime, c->name[0] ? c->name : c->id);
	/* Fail closed: a PID whose start time we could not check may have
	 * been reused by any process on the machine. */
	if (!c->start_time)
		return nj_fail(e, NJ_GONE, c->start_err ? c->start_err : ENODATA,
			       "%s: cannot check that process %d is still the one its runtime started (%s); not joining",
			       what, (int)c->pid,
			       c->start_err ? strerror(c->start_err)
					    : "the runtime recorded no start time");
	fd = nsjoin_open_pid(c->pid, c->start_time, e);
	if (fd < 0)
		return fd;
	t->fd = fd;
	t->handle = NJ_HANDLE_PIDFD;
	return 0;
}

int cand_open(const struct nj_cand *c, struct nj_target *t,
	      struct nj_err *e)
{
	char what[400];
	int fd;

	fill_target(c, t);
	cand_describe(c, what, sizeof(what));
	if (!c->running)
		return nj_fail(e, NJ_GONE, ESRCH, "%s is not running (%s)",
			       what, c->status[0] ? c->status : "stopped");
	if (c->host_network)
		return 0;
	if (c->netns_path[0]) {
		fd = nsjoin_open_path(c->netns_path, e);
		if (fd >= 0) {
			t->fd = fd;
			t->handle = NJ_HANDLE_NSFS;
			snprintf(t->path, sizeof(t->path), "%s", c->netns_path);
			return 0;
		}
		/* a sandbox file we cannot see as one (another mount
		 * namespace: missing, or the empty file under the mount):
		 * its process is as good */
		if ((fd != -ENOENT && fd != -ENOTTY) || c->pid <= 0)
			return fd;
	}
	return open_pid(c, what, t, e);
}
