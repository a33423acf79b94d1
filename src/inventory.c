/* The node-wide inventory: namespaces (nsscan.c), their owners from every
 * runtime, and their links and addresses, each read through a netlink
 * socket made inside it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "netjoin/inventory.h"
#include "netjoin/nl.h"
#include "netjoin/nsjoin.h"
#include "netjoin/nsscan.h"
#include "netjoin/vec.h"

/* The index: namespace inode -> record, open addressing. */
static size_t slot_of(const struct nj_inventory *inv, unsigned long long ino)
{
	return (size_t)(ino * 0x9e3779b97f4a7c15ULL >> 17) & (inv->nslots - 1);
}

struct nj_nsrec *inventory_get(const struct nj_inventory *inv,
			       unsigned long long dev, unsigned long long ino)
{
	size_t i;

	if (!inv->nslots)
		return NULL;
	for (i = slot_of(inv, ino); inv->slots[i] >= 0;
	     i = (i + 1) & (inv->nslots - 1)) {
		struct nj_nsrec *r = &inv->v[inv->slots[i]];

		if (r->ino == ino && r->dev == dev)
			return r;
	}
	return NULL;
}

static int rehash(struct nj_inventory *inv, size_t nslots)
{
	int32_t *s = malloc(nslots * sizeof(*s));
	size_t i, j;

	if (!s)
		return -ENOMEM;
	for (i = 0; i < nslots; i++)
		s[i] = -1;
	free(inv->slots);
	inv->slots = s;
	inv->nslots = nslots;
	for (j = 0; j < inv->n; j++) {
		for (i = slot_of(inv, inv->v[j].ino); s[i] >= 0;
		     i = (i + 1) & (nslots - 1))
			;
		s[i] = (int32_t)j;
	}
	return 0;
}

struct nj_nsrec *inventory_add(struct nj_inventory *inv,
			       unsigned long long dev, unsigned long long ino)
{
	struct nj_nsrec *r;
	size_t i;

	if (vec_reserve((void **)&inv->v, &inv->cap, inv->n + 1,
			sizeof(*inv->v), 64) < 0)
		return NULL;
	if ((inv->n + 1) * 2 > inv->nslots &&
	    rehash(inv, inv->nslots ? inv->nslots * 2 : 128) < 0)
		return NULL;
	r = &inv->v[inv->n];
	memset(r, 0, sizeof(*r));
	r->dev = dev;
	r->ino = ino;
	for (i = slot_of(inv, ino); inv->slots[i] >= 0;
	     i = (i + 1) & (inv->nslots - 1))
		;
	inv->slots[i] = (int32_t)inv->n++;
	return r;
}

/* Owners in order: those that made the namespace (a pod's sandbox, a
 * container of its own network) before their guests (--network
 * container:X), so the first owner is the namespace's target. */
static int add_owner(struct nj_nsrec *r, const struct nj_cand *c)
{
	struct nj_owner *o, *v;
	size_t at = r->nowners;

	if (vec_reserve((void **)&r->owners, &r->owners_cap, r->nowners + 1,
			sizeof(*r->owners), 2) < 0)
		return -ENOMEM;
	v = r->owners;
	if (!c->guest)
		while (at > 0 && v[at - 1].guest)
			at--;
	memmove(&v[at + 1], &v[at], (r->nowners - at) * sizeof(*v));
	r->nowners++;
	o = &v[at];
	memset(o, 0, sizeof(*o));
	o->runtime = c->runtime;
	o->guest = c->guest;
	snprintf(o->id, sizeof(o->id), "%s", c->id);
	snprintf(o->name, sizeof(o->name), "%s", c->name);
	snprintf(o->pod_name, sizeof(o->pod_name), "%s", c->pod_name);
	snprintf(o->pod_ns, sizeof(o->pod_ns), "%s", c->pod_ns);
	snprintf(o->user, sizeof(o->user), "%s", c->user);
	if (c->pod_name[0])
		snprintf(o->target, sizeof(o->target), "pod:%s/%s",
			 c->pod_ns, c->pod_name);
	else if (!strcmp(c->runtime, "containerd"))
		snprintf(o->target, sizeof(o->target), "containerd:%s/%.12s",
			 c->ns, c->id);
	else if (c->user[0]) /* a user's rootless container */
		snprintf(o->target, sizeof(o->target), "%s:%s/%.12s",
			 c->runtime, c->user, c->id);
	else if (!strcmp(c->id, c->name)) /* no IDs (LXC): its name */
		snprintf(o->target, sizeof(o->target), "%s:%s", c->runtime,
			 c->name);
	else
		snprintf(o->target, sizeof(o->target), "%s:%.12s", c->runtime,
			 c->id);
	return 0;
}

/* A second view of one container (Docker's and containerd's "moby") or
 * another container of the same pod adds nothing to an owner list. */
static int known_owner(const struct nj_nsrec *r, const struct nj_cand *c)
{
	size_t i;

	for (i = 0; i < r->nowners; i++) {
		const struct nj_owner *o = &r->owners[i];

		if (!strcmp(o->id, c->id) ||
		    (c->pod_name[0] && !strcmp(o->pod_name, c->pod_name) &&
		     !strcmp(o->pod_ns, c->pod_ns)))
			return 1;
	}
	return 0;
}

/* A user's rootless container names a namespace by what that user's own
 * daemon or store says, which the user may write: the label is taken only
 * when a user namespace of that user owns the namespace, as a join
 * requires (privs.c). Fail closed: one that cannot be checked is not. */
static bool user_owns(const struct nj_nsrec *r, const struct nj_cand *c)
{
	struct nj_err e;
	uid_t owner;
	int fd, ufd;

	if (!c->user[0])
		return true;
	fd = r->path ? open(r->path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return false;
	ufd = nsjoin_open_userns(fd, 0, 0, &owner, &e);
	close(fd);
	if (ufd < 0)
		return false;
	close(ufd);
	return owner == c->user_uid;
}

static int owners(const struct nj_ctx *ctx, struct nj_inventory *inv)
{
	const struct nj_provider *p;
	struct nj_cands c = { 0 };
	struct nj_nsrec *r;
	struct nj_err e;
	size_t i;
	int rc = 0;

	/* Docker first: its containers are also containerd's "moby" ones,
	 * and the Docker name is the one people use */
	for (p = nj_providers; p->name; p++)
		p->find(ctx, NULL, &c, &e);
	for (i = 0; i < c.n && rc == 0; i++) {
		if (!c.v[i]->running)
			continue;
		cand_identify(c.v[i], i);
		r = inventory_get(inv, c.v[i]->ns_dev, c.v[i]->ns_ino);
		if (r && !known_owner(r, c.v[i]) && user_owns(r, c.v[i]))
			rc = add_owner(r, c.v[i]);
	}
	cands_free(&c);
	return rc;
}

static void mark_host(struct nj_inventory *inv)
{
	struct nj_nsrec *r;
	struct stat st;

	if (nsjoin_host_ns(-1, &st) < 0)
		return;
	r = inventory_get(inv, st.st_dev, st.st_ino);
	if (r)
		r->is_host = true;
}

/* Namespaces pinned by `ip netns add` (under the host root, as netns:NAME
 * resolves them) are named netns:NAME, not by their path. */
static void name_netns(const struct nj_ctx *ctx, struct nj_inventory *inv)
{
	char dir[PATH_MAX];
	size_t i, n;

	if (ctx_path(ctx, dir, sizeof(dir), "/run/netns") < 0)
		return;
	n = strlen(dir);
	for (i = 0; i < inv->n; i++) {
		const char *m = inv->v[i].mount;

		if (m && !strncmp(m, dir, n) && m[n] == '/' && m[n + 1] &&
		    !strchr(m + n + 1, '/'))
			inv->v[i].netns_name = m + n + 1;
	}
}

int inventory_scan(const struct nj_ctx *ctx, struct nj_inventory *inv,
		   struct nj_err *e)
{
	int rc = nsscan(inv);

	if (rc == 0)
		rc = owners(ctx, inv);
	if (rc < 0)
		return nj_fail(e, NJ_FAIL, -rc, "cannot list namespaces: %s",
			       strerror(-rc));
	mark_host(inv);
	name_netns(ctx, inv);
	return 0;
}

static int dump_each(struct nj_inventory *inv,
		     int (*dump)(struct mnl_socket *nl, struct nj_dump *d))
{
	struct mnl_socket *nl;
	size_t i;
	int fd, home, home_err;

	/* our own namespace, to come back to after each socket: once */
	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	home_err = home < 0 ? -errno : 0;
	for (i = 0; i < inv->n; i++) {
		struct nj_nsrec *r = &inv->v[i];

		fd = r->path ? open(r->path, O_RDONLY | O_CLOEXEC) : -1;
		if (fd < 0) {
			r->dump_err = r->path ? -errno : -ENOENT;
			continue;
		}
		r->dump_err = home_err ? home_err
				       : netlink_open_from(NETLINK_ROUTE, fd, home, &nl);
		close(fd);
		if (r->dump_err == -ENOTRECOVERABLE)
			break;
		if (r->dump_err < 0)
			continue;
		if (netlink_netns_cookie(nl, &r->cookie) < 0)
			r->cookie = 0;
		r->dump_err = dump(nl, &r->dump);
		netlink_close(nl);
	}
	if (home >= 0)
		close(home);
	return i < inv->n ? -ENOTRECOVERABLE : 0;
}

int inventory_dump(struct nj_inventory *inv)
{
	return dump_each(inv, netlink_dump_links_addrs);
}

int inventory_dump_links(struct nj_inventory *inv)
{
	return dump_each(inv, netlink_dump_links);
}

void inventory_free(struct nj_inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->n; i++) {
		free(inv->v[i].owners);
		free(inv->v[i].path);
		free(inv->v[i].mount);
		nj_dump_free(&inv->v[i].dump);
	}
	free(inv->v);
	free(inv->slots);
	memset(inv, 0, sizeof(*inv));
}

const char *nsrec_owners(const struct nj_nsrec *r, char *buf, size_t sz)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nowners && o < sz; i++) {
		const struct nj_owner *ow = &r->owners[i];

		if (ow->pod_name[0])
			o += (size_t)snprintf(buf + o, sz - o, "%s%s pod %s/%s",
					      i ? ", " : "", ow->runtime,
					      ow->pod_ns, ow->pod_name);
		else
			o += (size_t)snprintf(buf + o, sz - o, "%s%s %s",
					      i ? ", " : "", ow->runtime,
					      ow->name[0] ? ow->name : ow->id);
		if (ow->user[0] && o < sz)
			o += (size_t)snprintf(buf + o, sz - o, " (user %s)",
					      ow->user);
	}
	return buf;
}

const char *nsrec_who(const struct nj_nsrec *r, char *buf, size_t sz)
{
	size_t o;

	if (r->nowners)
		return nsrec_owners(r, buf, sz);
	if (!r->pid) {
		snprintf(buf, sz, "-");
		return buf;
	}
	o = (size_t)snprintf(buf, sz, "%s(%d)", r->comm, (int)r->pid);
	if (r->nprocs > 1 && o < sz)
		snprintf(buf + o, sz - o, " +%zu", r->nprocs - 1);
	return buf;
}

const char *nsrec_target(const struct nj_nsrec *r, char *buf, size_t sz)
{
	if (r->is_host)
		snprintf(buf, sz, "host");
	else if (r->nowners)
		snprintf(buf, sz, "%s", r->owners[0].target);
	else if (r->netns_name)
		snprintf(buf, sz, "netns:%s", r->netns_name);
	else if (r->mount)
		snprintf(buf, sz, "%s", r->mount);
	else if (r->pid && !r->thread)
		snprintf(buf, sz, "pid:%d", (int)r->pid);
	else
		snprintf(buf, sz, "%s", r->path);
	return buf;
}
