/* Target resolution: dispatch a parsed spec to the provider that knows it.
 * Providers are a table; a named target with no forced provider is looked
 * up in each in turn. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "netjoin/target.h"

const struct nj_provider nj_providers[] = {
	{ "docker", docker_lookup },
	{ NULL, NULL },
};

void target_init(struct nj_target *t, const char *spec)
{
	memset(t, 0, sizeof(*t));
	t->spec = spec;
	t->fd = -1;
}

void target_close(struct nj_target *t)
{
	if (t && t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
}

static const struct nj_provider *provider(const char *name)
{
	const struct nj_provider *p;

	for (p = nj_providers; p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static int lookup_any(const struct nj_ctx *ctx, const char *ref,
		      struct nj_target *t, struct nj_err *e)
{
	const struct nj_provider *p;
	char why[sizeof(e->msg)] = "";
	int rc;

	for (p = nj_providers; p->name; p++) {
		rc = p->lookup(ctx, ref, t, e);
		/* A daemon that is simply not there is "not found" for an
		 * unqualified name; any other failure is worth reporting. */
		if (rc != -ENOENT)
			return rc;
		snprintf(why, sizeof(why), "%s", e->msg);
	}
	return nj_fail(e, NJ_NOTFOUND, ENOENT,
		       "no such target: '%s' is not a running process, a namespace or a container (%s)",
		       ref, why);
}

static int resolve_named(const struct nj_ctx *ctx, const struct nj_spec *s,
			 struct nj_target *t, struct nj_err *e)
{
	const struct nj_provider *p;

	if (!s->provider[0])
		return lookup_any(ctx, s->value, t, e);
	p = provider(s->provider);
	if (!p)
		return nj_fail(e, NJ_USAGE, EINVAL, "unknown provider '%s'",
			       s->provider);
	return p->lookup(ctx, s->value, t, e);
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
		snprintf(path, sizeof(path), "/run/netns/%s", s->value);
		rc = netns_open_path(path, t, e);
		if (rc == -ENOENT)
			return nj_fail(e, NJ_NOTFOUND, ENOENT,
				       "no such network namespace: %s (no %s)",
				       s->value, path);
		if (rc == 0)
			snprintf(t->name, sizeof(t->name), "%s", s->value);
		return rc;
	case NJ_SPEC_PATH:
		rc = netns_open_path(s->value, t, e);
		if (rc == -ENOENT && s->maybe_name)
			return lookup_any(ctx, s->value + 1, t, e);
		return rc;
	case NJ_SPEC_NAMED:
		return resolve_named(ctx, s, t, e);
	}
	return nj_fail(e, NJ_USAGE, EINVAL, "bad target");
}
