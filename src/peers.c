/* Peers across namespaces. A link's IFLA_LINK_NETNSID is an id that only
 * its own namespace gives: RTM_GETNSID, asked here about each candidate
 * namespace's fd, says which namespace holds the other end. */
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
#include "netjoin/peers.h"

static size_t wanted(const struct nj_dump *d, int32_t nsid)
{
	size_t i, n = 0;

	for (i = 0; i < d->nlinks; i++)
		if (d->links[i].has_link_netnsid && d->links[i].link &&
		    !d->peers[i].found &&
		    (nsid < 0 || d->links[i].link_netnsid == nsid))
			n++;
	return n;
}

/* Up to this many peers in one namespace are asked for one by one (two
 * small answers each: the peer and its bridge); more take one dump. */
#define FEW_PEERS 8

struct peer_ns {
	int32_t nsid;
	unsigned long long ino;
	const char *target, *owner;
};

static void name_peer(struct nj_peer *pe, const struct nj_link *p,
		      const char *master, const struct peer_ns *ns)
{
	pe->found = true;
	pe->ifindex = p->ifindex;
	snprintf(pe->ifname, sizeof(pe->ifname), "%s", p->ifname);
	snprintf(pe->master, sizeof(pe->master), "%s", master);
	pe->netns_inode = ns->ino;
	snprintf(pe->target, sizeof(pe->target), "%s", ns->target);
	snprintf(pe->owner, sizeof(pe->owner), "%s", ns->owner);
}

static bool peer_of(const struct nj_link *l, const struct peer_ns *ns)
{
	return l->has_link_netnsid && l->link_netnsid == ns->nsid && l->link;
}

/* Each peer by its ifindex. A peer that is gone is left unfound; any other
 * failure says "dump instead" (-errno). */
static int fill_each(struct nj_dump *d, struct mnl_socket *nl,
		     const struct peer_ns *ns)
{
	struct nj_link p, m;
	size_t i;
	int r;

	for (i = 0; i < d->nlinks; i++) {
		if (!peer_of(&d->links[i], ns) || d->peers[i].found)
			continue;
		r = netlink_get_link(nl, (int32_t)d->links[i].link, &p);
		if (r == -ENODEV)
			continue;
		if (r < 0)
			return r;
		r = p.has_master ? netlink_get_link(nl, (int32_t)p.master, &m)
				 : -ENODEV;
		if (r < 0 && r != -ENODEV)
			return r;
		name_peer(&d->peers[i], &p, r == 0 ? m.ifname : "", ns);
	}
	return 0;
}

static int fill_dump(struct nj_dump *d, struct mnl_socket *nl,
		     const struct peer_ns *ns)
{
	struct nj_dump other = { 0 };
	const struct nj_link *p, *m;
	size_t i;
	int r = netlink_dump_links(nl, &other);

	for (i = 0; r == 0 && i < d->nlinks; i++) {
		if (!peer_of(&d->links[i], ns) ||
		    !(p = nj_dump_link(&other, (int32_t)d->links[i].link)))
			continue;
		m = p->has_master ? nj_dump_link(&other, (int32_t)p->master)
				  : NULL;
		name_peer(&d->peers[i], p, m ? m->ifname : "", ns);
	}
	nj_dump_free(&other);
	return r;
}

/* The links whose peers are in the namespace of fd (id nsid, seen from
 * here): name them. */
static int fill(struct nj_dump *d, int32_t nsid, int fd,
		unsigned long long ino, const char *target, const char *owner)
{
	const struct peer_ns ns = { nsid, ino, target, owner };
	struct mnl_socket *nl;
	int r = netlink_open(NETLINK_ROUTE, fd, &nl);

	/* a namespace we cannot read names no peers; one we cannot come
	 * back from ends the run */
	if (r < 0)
		return r == -ENOTRECOVERABLE ? r : 0;
	if (wanted(d, nsid) > FEW_PEERS || fill_each(d, nl, &ns) < 0)
		fill_dump(d, nl, &ns);
	netlink_close(nl);
	return 0;
}


/* Every other namespace on the node, for the peers still unfound. */
static int from_inventory(const struct nj_ctx *ctx, struct mnl_socket *here,
			  struct nj_dump *d)
{
	struct nj_inventory inv = { 0 };
	char target[700], owner[300];
	struct nj_err e;
	int32_t nsid;
	size_t i;
	int fd, rc = 0;

	if (inventory_scan(ctx, &inv, &e) < 0)
		goto out;
	for (i = 0; rc == 0 && i < inv.n && wanted(d, -1); i++) {
		fd = open(inv.v[i].path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (netlink_get_nsid(here, fd, &nsid) == 0 && wanted(d, nsid)) {
			nsrec_owners(&inv.v[i], owner, sizeof(owner));
			rc = fill(d, nsid, fd, inv.v[i].ino,
				  nsrec_target(&inv.v[i], target, sizeof(target)),
				  owner);
		}
		close(fd);
	}
out:
	inventory_free(&inv);
	return rc;
}

int peers_resolve(const struct nj_ctx *ctx, int home_fd, struct nj_dump *d)
{
	struct mnl_socket *here;
	struct stat st, host;
	int32_t nsid;
	int rc = 0;

	if (!d->nlinks)
		return 0;
	d->peers = calloc(d->nlinks, sizeof(*d->peers));
	if (!d->peers)
		return -ENOMEM;
	if (!wanted(d, -1) || netlink_open(NETLINK_ROUTE, -1, &here) < 0)
		return 0;
	if (home_fd >= 0 && fstat(home_fd, &st) == 0 &&
	    netlink_get_nsid(here, home_fd, &nsid) == 0 && wanted(d, nsid))
		rc = fill(d, nsid, home_fd, (unsigned long long)st.st_ino,
			  nsjoin_host_ns(home_fd, &host) == 0 &&
					  host.st_dev == st.st_dev &&
					  host.st_ino == st.st_ino
				  ? "host"
				  : "netjoin's own namespace",
			  "");
	if (rc == 0 && wanted(d, -1))
		rc = from_inventory(ctx, here, d);
	netlink_close(here);
	return rc;
}
