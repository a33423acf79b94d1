/* --capture's targets (capture.h): each named one resolved as netjoin
 * resolves any target, each pattern matched against what names every
 * namespace of the node (the -L inventory), and the handles of each
 * namespace opened once. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "netjoin/capture.h"
#include "netjoin/inventory.h"
#include "netjoin/nsjoin.h"
#include "netjoin/privs.h"
#include "netjoin/spec.h"
#include "netjoin/target.h"

bool capsel_is_pattern(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static bool fits(const char *pat, const char *s)
{
	return fnmatch(pat, s, FNM_PATHNAME) == 0;
}

bool capsel_match(const char *pattern, const struct nj_nsrec *r)
{
	char pat[700], s[700];
	size_t i;

	/* pod:NAME is in the default namespace, as a named pod target */
	if (!strncmp(pattern, "pod:", 4) && !strchr(pattern + 4, '/'))
		snprintf(pat, sizeof(pat), "pod:default/%s", pattern + 4);
	else
		snprintf(pat, sizeof(pat), "%s", pattern);
	/* a bare word names containers, as a bare target does: "*" is
	 * every container, never the host or a pinned namespace */
	if (!strchr(pat, ':') && pat[0] != '/')
		goto owners;
	if (fits(pat, nsrec_target(r, s, sizeof(s))))
		return true;
	if (r->netns_name) {
		snprintf(s, sizeof(s), "netns:%s", r->netns_name);
		if (fits(pat, s))
			return true;
	}
	if (r->mount && fits(pat, r->mount))
		return true;
owners:
	for (i = 0; i < r->nowners; i++) {
		const struct nj_owner *o = &r->owners[i];

		if (fits(pat, o->target) || fits(pat, o->id) ||
		    (o->name[0] && fits(pat, o->name)))
			return true;
		snprintf(s, sizeof(s), "%s:%s", o->runtime, o->id);
		if (fits(pat, s))
			return true;
		snprintf(s, sizeof(s), "%s:%s", o->runtime, o->name);
		if (o->name[0] && fits(pat, s))
			return true;
		snprintf(s, sizeof(s), "pod:%s/%s", o->pod_ns, o->pod_name);
		if (o->pod_name[0] && fits(pat, s))
			return true;
	}
	return false;
}

static void describe_rec(const struct nj_nsrec *r, char *buf, size_t sz)
{
	nsrec_who(r, buf, sz);
	if (!strcmp(buf, "-")) /* -L's "nobody": nothing to say */
		buf[0] = '\0';
}

/* Who is in the namespace (dev, ino), as -L says; else what was typed. */
static void describe(struct nj_inventory *inv, unsigned long long dev,
		     unsigned long long ino, const char *fallback,
		     char *buf, size_t sz)
{
	struct nj_nsrec *r = inventory_get(inv, dev, ino);

	if (r)
		describe_rec(r, buf, sz);
	else
		snprintf(buf, sz, "%s", fallback);
}

/* A namespace from the inventory: through its pin, else a process in
 * it (a pidfd, watched), else the fd that holds it; the handle must
 * still be that namespace. */
static int add_record(struct capture *c, const struct privs *p,
		      const struct nj_nsrec *r, struct nj_err *e)
{
	char name[700], desc[1024];
	unsigned long long dev, ino;
	bool is_pidfd = false;
	int fd, rc;

	nsrec_target(r, name, sizeof(name));
	describe_rec(r, desc, sizeof(desc));
	if (r->is_host)
		return capture_add(c, -1, false, 0, name, desc, -1, "", e);
	if (privs_check_join(p, -1, name, e) < 0)
		return -EPERM;
	if (r->mount)
		fd = nsjoin_open_path(r->mount, e);
	else if (r->pid && !r->thread) {
		fd = nsjoin_open_pid(r->pid, 0, e);
		is_pidfd = true;
	} else
		fd = nsjoin_open_path(r->path, e);
	if (fd < 0)
		return fd;
	if (capture_ns_of(fd, is_pidfd, r->pid, &dev, &ino) < 0 ||
	    dev != r->dev || ino != r->ino) {
		close(fd);
		return nj_fail(e, NJ_GONE, ESRCH, "%s is gone", name);
	}
	rc = capture_add(c, fd, is_pidfd, r->pid, name, desc,
			 is_pidfd ? fd : -1, r->mount ? r->mount : "", e);
	close(fd);
	return rc;
}

static int add_pattern(struct capture *c, const struct privs *p,
		       struct nj_inventory *inv, const char *pat,
		       struct nj_err *e)
{
	size_t i, n = 0;
	int rc;

	for (i = 0; i < inv->n; i++) {
		if (!capsel_match(pat, &inv->v[i]))
			continue;
		n++;
		rc = add_record(c, p, &inv->v[i], e);
		/* one that went between the scan and now is no failure */
		if (rc < 0 && e->cls != NJ_GONE)
			return rc;
	}
	if (!n)
		return nj_fail(e, NJ_NOTFOUND, ENOENT,
			       "no network namespace matches '%s'", pat);
	return 0;
}

static int add_target(const struct nj_ctx *ctx, struct capture *c,
		      const struct privs *p, struct nj_inventory *inv,
		      const char *arg, struct nj_err *e)
{
	unsigned long long dev = 0, ino = 0;
	struct nj_target t;
	struct nj_spec spec;
	char desc[1024];
	bool is_pidfd;
	int rc;

	if (spec_parse(arg, &spec, e) < 0)
		return -EINVAL;
	target_init(&t, arg);
	rc = target_resolve(ctx, &spec, &t, e);
	if (rc == 0)
		rc = privs_check_target(p, &t, e);
	if (rc < 0) {
		target_close(&t);
		return rc;
	}
	is_pidfd = t.handle == NJ_HANDLE_PIDFD;
	capture_ns_of(t.handle == NJ_HANDLE_NONE ? -1 : t.fd, is_pidfd, t.pid,
		      &dev, &ino);
	describe(inv, dev, ino, t.name[0] ? t.name : arg, desc, sizeof(desc));
	rc = capture_add(c, t.handle == NJ_HANDLE_NONE ? -1 : t.fd, is_pidfd,
			 t.pid, arg, desc, is_pidfd ? t.fd : -1,
			 t.handle == NJ_HANDLE_NSFS ? t.path : "", e);
	target_close(&t);
	return rc;
}

int capsel_add_all(const struct nj_ctx *ctx, const struct privs *p,
		   struct capture *c, struct nj_err *e)
{
	struct nj_inventory inv = { 0 };
	struct nj_err ie = { 0 };
	size_t i;
	int rc = 0;

	/* owners for the descriptions, and what patterns match: a scan that
	 * fails leaves descriptions plain, and patterns without a match */
	if (inventory_scan(ctx, &inv, &ie) < 0)
		inventory_free(&inv);
	for (i = 0; i < c->o->ntargets && rc == 0; i++) {
		const char *arg = c->o->targets[i];

		if (capsel_is_pattern(arg))
			rc = add_pattern(c, p, &inv, arg, e);
		else
			rc = add_target(ctx, c, p, &inv, arg, e);
	}
	inventory_free(&inv);
	/* interfaces that are down are waited for */
	if (rc == 0 && !c->nifs && !c->down)
		rc = nj_fail(e, NJ_NOTFOUND, ENODEV,
			     "no interface to capture on (lo is left out unless named with -i)");
	return rc;
}
