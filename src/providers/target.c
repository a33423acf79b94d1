/* Target resolution: host, PIDs and namespace files directly; containers
 * and pods through the provider table, whose candidates are settled into
 * one answer. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "netjoin/target.h"

const struct nj_provider nj_providers[] = {
	{ "docker", docker_find, NULL },
	{ "podman", podman_find, NULL },
	{ "crio", crio_find, crio_find_pods },
	{ "containerd", containerd_find, containerd_find_pods },
	{ "lxc", lxcmon_find, NULL },
	{ NULL, NULL, NULL },
};

void target_init(struct nj_target *t, const char *spec)
{
	memset(t, 0, sizeof(*t));
	t->spec = spec;
	t->fd = -1;
	t->userns_fd = -1;
}

void target_close(struct nj_target *t)
{
	if (t && t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	if (t && t->userns_fd >= 0) {
		close(t->userns_fd);
		t->userns_fd = -1;
	}
}

/* Provider failures while looking: a runtime that is simply not on this
 * machine is no failure; anything else is reported if nothing is found.
 * For a user without root, root's runtimes they may not read (Docker's
 * socket, containerd's state) are not the problem when no runtime was
 * named: what they have is their own rootless containers. */
struct trouble {
	struct nj_err hard;
	char soft[1024];
	bool mine; /* a user's lookup: "no such container of yours" */
	bool any;  /* no runtime named: root's unreadable ones are moot */
	unsigned failed; /* bit i: nj_providers[i] failed to answer */
};

static bool denied(const struct nj_err *e)
{
	return e->cls == NJ_PERM &&
	       (e->errnum == EACCES || e->errnum == EPERM);
}

/* e from provider p's lookup. A daemon the user named (DOCKER_HOST) is
 * what they asked for, even with no runtime in the target. */
static void note(struct trouble *tr, const struct nj_ctx *ctx,
		 const struct nj_provider *p, const struct nj_err *e)
{
	size_t n = strlen(tr->soft);
	bool named = !strcmp(p->name, "docker") && ctx->docker_host &&
		     *ctx->docker_host;

	tr->failed |= 1u << (p - nj_providers);
	if (tr->mine && tr->any && !named &&
	    (denied(e) || e->errnum == ENOENT || e->errnum == ECONNREFUSED))
		return; /* root's runtimes, not what a user has */
	if (e->errnum == ENOENT || e->errnum == ECONNREFUSED) {
		snprintf(tr->soft + n, sizeof(tr->soft) - n, "%s%s",
			 n ? "; " : "", e->msg);
		return;
	}
	if (!tr->hard.cls)
		tr->hard = *e;
}

/* A guest's namespace belongs to the container its network mode names:
 * the note says which, as a target string that selects it. */
static void name_owner(const struct nj_ctx *ctx, const struct nj_cand *c,
		       struct nj_target *t)
{
	const struct nj_provider *p;
	struct nj_cands o = { 0 };
	struct nj_err e;
	char d[400];

	if (strncmp(c->network_mode, "container:", 10) || !c->network_mode[10])
		return;
	for (p = nj_providers; p->name && strcmp(p->name, c->runtime); p++)
		;
	if (p->name && p->find(ctx, c->network_mode + 10, &o, &e) == 0 &&
	    cands_settle(&o) == 1) {
		cand_describe(o.v[0], d, sizeof(d));
		snprintf(t->note, sizeof(t->note),
			 "a guest in the network namespace of %s", d);
	}
	cands_free(&o);
}

static int settle(const struct nj_ctx *ctx, struct nj_cands *c,
		  const char *what, const char *ref, struct trouble *tr,
		  struct nj_target *t, struct nj_err *e)
{
	int rc;

	size_t n = cands_settle(c), i, o = 0;

	if (n == 0) {
		if (tr->hard.cls) {
			*e = tr->hard;
			return e->errnum ? -e->errnum : -EINVAL;
		}
		return nj_fail(e, NJ_NOTFOUND, ENOENT, "no such %s%s: %s%s%s%s",
			       what, tr->mine ? " of yours" : "", ref,
			       tr->soft[0] ? " (" : "", tr->soft,
			       tr->soft[0] ? ")" : "");
	}
	if (n == 1) {
		rc = cand_open(c->v[0], t, e);
		if (rc == 0 && c->v[0]->guest)
			name_owner(ctx, c->v[0], t);
		return rc;
	}
	e->extra[0] = '\0';
	for (i = 0; i < n && o < sizeof(e->extra) - 1; i++) {
		char d[600];

		cand_describe(c->v[i], d, sizeof(d));
		o += (size_t)snprintf(e->extra + o, sizeof(e->extra) - o,
				      "%s  %s", i ? "\n" : "", d);
	}
	return nj_fail(e, NJ_AMBIGUOUS, EEXIST,
		       "'%s' matches %zu %ss; say which:", ref, n, what);
}

/* Nothing matched ref (a pod's name when pod_ns is set): name what comes
 * close, each as a target string, in further lines of e. Every record of
 * the runtimes asked is read for it, but only on this way out, and never
 * again from one that failed to answer (a hung daemon costs its timeout
 * once). */
static void add_hints(const struct nj_ctx *ctx, const char *provider,
		      unsigned failed, const char *ref, const char *pod_ns,
		      struct nj_err *e)
{
	const struct nj_provider *p;
	struct nj_cands all = { 0 };
	struct nj_err pe;
	size_t n;

	for (p = nj_providers; p->name; p++) {
		if ((*provider && strcmp(p->name, provider)) ||
		    failed & (1u << (p - nj_providers)))
			continue;
		memset(&pe, 0, sizeof(pe));
		if (!pod_ns)
			p->find(ctx, NULL, &all, &pe);
		else if (p->find_pods)
			p->find_pods(ctx, NULL, "", &all, &pe);
	}
	hint_lines(&all, ref, pod_ns, e->extra, sizeof(e->extra));
	n = strlen(e->msg);
	if (e->extra[0])
		snprintf(e->msg + n, sizeof(e->msg) - n, "; close to it:");
	cands_free(&all);
}

/* Which runtime's container of another user ref names, if a running one
 * does (podman's by name or ID, Docker's by ID): NULL when none. */
static const char *other_user(const char *provider, const char *ref,
			      uid_t *owner, char *name, size_t sz)
{
	if ((!*provider || !strcmp(provider, "podman")) &&
	    podman_other_user(ref, owner, name, sz))
		return "podman";
	if ((!*provider || !strcmp(provider, "docker")) &&
	    docker_other_user(ref, owner, name, sz))
		return "docker";
	return NULL;
}

static int find_named(const struct nj_ctx *ctx, const char *provider,
		      const char *ref, struct nj_target *t, struct nj_err *e)
{
	const struct nj_provider *p;
	struct trouble tr = { .mine = geteuid() != 0 && !*provider,
			      .any = !*provider };
	struct nj_cands c = { 0 };
	const char *other;
	struct passwd *pw;
	char name[256];
	struct nj_err pe;
	int rc = 0, found = 0;
	uid_t owner;

	if (geteuid() != 0 && !strcmp(provider, "podman"))
		tr.mine = true; /* a user's podman is their own */
	for (p = nj_providers; p->name; p++) {
		if (*provider && strcmp(p->name, provider))
			continue;
		found = 1;
		memset(&pe, 0, sizeof(pe));
		rc = p->find(ctx, ref, &c, &pe);
		if (rc < 0 && pe.cls == NJ_USAGE) {
			*e = pe;
			goto out;
		}
		if (rc < 0)
			note(&tr, ctx, p, &pe);
	}
	if (!found) {
		rc = nj_fail(e, NJ_USAGE, EINVAL, "unknown runtime '%s'",
			     provider);
		goto out;
	}
	rc = settle(ctx, &c, *provider ? "container" : "target", ref, &tr, t, e);
	/* nothing of theirs: another user's, running, is worth naming */
	if (rc < 0 && c.n == 0 && geteuid() != 0 && !strchr(ref, '/') &&
	    (other = other_user(provider, ref, &owner, name, sizeof(name)))) {
		pw = getpwuid(owner);
		rc = nj_fail(e, NJ_PERM, EPERM,
			     "%s container %.64s belongs to another user, %s (uid %u): joining it needs root",
			     other, name, pw ? pw->pw_name : "without a name",
			     (unsigned)owner);
	}
	if (rc < 0 && e->cls == NJ_NOTFOUND)
		add_hints(ctx, provider, tr.failed, ref, NULL, e);
out:
	cands_free(&c);
	return rc;
}

static int find_pod(const struct nj_ctx *ctx, const char *spec,
		    struct nj_target *t, struct nj_err *e)
{
	const struct nj_provider *p;
	const char *slash = strchr(spec, '/');
	struct trouble tr = { 0 };
	struct nj_cands c = { 0 };
	char ns[256] = "default", full[600];
	const char *name = spec;
	struct nj_err pe;
	int rc;

	if (slash) {
		snprintf(ns, sizeof(ns), "%.*s", (int)(slash - spec), spec);
		name = slash + 1;
	}
	for (p = nj_providers; p->name; p++) {
		if (!p->find_pods)
			continue;
		memset(&pe, 0, sizeof(pe));
		if (p->find_pods(ctx, ns, name, &c, &pe) < 0)
			note(&tr, ctx, p, &pe);
	}
	snprintf(full, sizeof(full), "%s/%s", ns, name);
	rc = settle(ctx, &c, "pod", full, &tr, t, e);
	if (rc < 0 && e->cls == NJ_NOTFOUND)
		add_hints(ctx, "", tr.failed, name, ns, e);
	cands_free(&c);
	return rc;
}

int target_resolve(const struct nj_ctx *ctx, const struct nj_spec *s,
		   struct nj_target *t, struct nj_err *e)
{
	char path[PATH_MAX];
	int rc;

	switch (s->kind) {
	case NJ_SPEC_HOST:
		t->kind = "host";
		snprintf(t->how, sizeof(t->how),
			 "netjoin's own network namespace");
		return 0;
	case NJ_SPEC_PID:
		return proc_open_pid(s->pid, t, e);
	case NJ_SPEC_NETNS:
		if (ctx_path(ctx, path, sizeof(path), "/run/netns/%s",
			     s->value) < 0)
			return nj_fail(e, NJ_USAGE, ENAMETOOLONG,
				       "namespace name too long");
		rc = netns_open_path(path, t, e);
		if (rc == -ENOENT)
			return nj_fail(e, NJ_NOTFOUND, ENOENT,
				       "no such network namespace: %s (no %s)",
				       s->value, path);
		if (rc == 0) {
			snprintf(t->name, sizeof(t->name), "%s", s->value);
			/* ip netns exec's per-namespace /etc */
			ctx_path(ctx, path, sizeof(path), "/etc/netns/%s",
				 s->value);
			if (access(path, X_OK) == 0)
				snprintf(t->etc_dir, sizeof(t->etc_dir), "%s",
					 path);
		}
		return rc;
	case NJ_SPEC_PATH:
		rc = netns_open_path(s->value, t, e);
		if (rc == -ENOENT && s->maybe_name)
			return find_named(ctx, "", s->value + 1, t, e);
		return rc;
	case NJ_SPEC_NAMED:
		return find_named(ctx, s->provider, s->value, t, e);
	case NJ_SPEC_POD:
		return find_pod(ctx, s->value, t, e);
	}
	return nj_fail(e, NJ_USAGE, EINVAL, "bad target");
}
