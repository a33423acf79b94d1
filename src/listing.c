/* Gathering what a listing shows, then writing it: the joined
 * namespace's interfaces and sections, or the node's inventory. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "netjoin/listing.h"
#include "netjoin/nl.h"
#include "netjoin/peers.h"
#include "netjoin/out_route.h"
#include "netjoin/out_sock.h"
#include "netjoin/sockowners.h"

struct sections {
	struct nj_routes routes;
	struct nj_neighs neighs;
	struct nj_socks socks;
	struct out_section v[3];
	size_t n;
};

static int dump_sections(const struct listing *l, struct mnl_socket *nl,
			 struct sections *s, struct nj_err *e)
{
	struct mnl_socket *diag;
	int rc;

	if (l->routes) {
		rc = netlink_dump_routes(nl, l->table, &s->routes);
		if (rc < 0)
			return nj_fail(e, NJ_FAIL, -rc, "route dump failed: %s",
				       strerror(-rc));
		s->v[s->n++] = (struct out_section){ "routes", out_routes_json,
						     out_routes_text, &s->routes };
	}
	if (l->neigh) {
		rc = netlink_dump_neighs(nl, &s->neighs);
		if (rc < 0)
			return nj_fail(e, NJ_FAIL, -rc,
				       "neighbour dump failed: %s", strerror(-rc));
		s->v[s->n++] = (struct out_section){ "neighbors", out_neighs_json,
						     out_neighs_text, &s->neighs };
	}
	if (l->sockets) {
		rc = netlink_open(NETLINK_SOCK_DIAG, -1, &diag);
		if (rc == 0) {
			rc = netlink_dump_sockets(diag, l->listening, &s->socks);
			netlink_close(diag);
		}
		if (rc == 0)
			rc = sockowners_fill(&s->socks);
		if (rc < 0)
			return nj_fail(e, NJ_FAIL, -rc, "socket dump failed: %s",
				       strerror(-rc));
		s->v[s->n++] = (struct out_section){ "sockets", out_sockets_json,
						     out_sockets_text, &s->socks };
	}
	return 0;
}

int listing_write(FILE *f, const struct listing *l, const struct nj_ctx *ctx,
		  int home_fd, const struct out_target *ot, struct nj_err *e)
{
	struct out_opts oo = { .details = l->details, .stats = l->stats };
	struct sections s = { 0 };
	struct nj_dump d = { 0 };
	struct mnl_socket *nl;
	int rc;

	rc = netlink_open(NETLINK_ROUTE, -1, &nl);
	if (rc < 0)
		return nj_fail(e, NJ_FAIL, -rc, "netlink: %s", strerror(-rc));
	rc = netlink_dump_links_addrs(nl, &d);
	if (rc < 0)
		nj_fail(e, NJ_FAIL, -rc, "link and address dump failed: %s",
			strerror(-rc));
	/* brief output is ip's, which names no peers */
	if (rc == 0 && l->format != OUT_BRIEF) {
		rc = peers_resolve(ctx, home_fd, &d);
		if (rc == -ENOTRECOVERABLE)
			nj_fail(e, NJ_FAIL, -rc,
				"cannot return to the joined network namespace after looking for veth peers in another; stopped");
		else if (rc < 0)
			nj_fail(e, NJ_FAIL, -rc, "peers: %s", strerror(-rc));
	}
	if (rc == 0)
		rc = dump_sections(l, nl, &s, e);
	netlink_close(nl);
	/* ip's names for tables, protocols, scopes and realms: read here,
	 * since writers read no file */
	if (rc == 0 && (l->routes || l->neigh))
		route_names_load();
	if (rc == 0) {
		if (l->format == OUT_JSON)
			out_json(f, ot, &d, &oo, s.v, s.n);
		else if (l->format == OUT_BRIEF)
			out_brief(f, &d);
		else
			out_text(f, ot, &d, &oo, s.v, s.n);
	}
	nj_routes_free(&s.routes);
	nj_neighs_free(&s.neighs);
	nj_socks_free(&s.socks);
	nj_dump_free(&d);
	return rc;
}

int listing_node(FILE *f, const struct listing *l, const struct nj_ctx *ctx,
		 const struct nj_query *q, size_t *matches, struct nj_err *e)
{
	struct out_opts oo = { .width = l->width, .utf8 = l->utf8 };
	struct nj_inventory inv = { 0 };
	int rc;

	rc = inventory_scan(ctx, &inv, e);
	if (rc == 0) {
		rc = inventory_dump(&inv);
		if (rc < 0)
			nj_fail(e, NJ_FAIL, -rc,
				"cannot return to netjoin's own network namespace after reading another's; stopped");
	}
	if (rc == 0) {
		if (q)
			*matches = out_find(f, &inv, q, l->format == OUT_JSON);
		else if (l->format == OUT_JSON)
			out_list_json(f, &inv);
		else
			out_list_text(f, &inv, &oo);
	}
	inventory_free(&inv);
	return rc;
}

/* --complete: target strings for shell completion, one a line: host,
 * every named namespace, every running container and pod. */
int listing_complete(FILE *f, const struct nj_ctx *ctx)
{
	const struct nj_provider *p;
	struct nj_cands c = { 0 };
	char dir[PATH_MAX];
	struct nj_err e;
	struct dirent *de;
	size_t i, j;
	DIR *d;

	fputs("host\n", f);
	if (ctx_path(ctx, dir, sizeof(dir), "/run/netns") == 0 &&
	    (d = opendir(dir))) {
		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				fprintf(f, "netns:%s\n", de->d_name);
		closedir(d);
	}
	for (p = nj_providers; p->name; p++)
		p->find(ctx, NULL, &c, &e);
	for (i = 0; i < c.n; i++) {
		const struct nj_cand *k = c.v[i];

		if (!k->running)
			continue;
		if (k->pod_name[0]) {
			/* a pod once, however many containers it has */
			for (j = 0; j < i; j++)
				if (c.v[j]->running &&
				    !strcmp(c.v[j]->pod_name, k->pod_name) &&
				    !strcmp(c.v[j]->pod_ns, k->pod_ns))
					break;
			if (j == i)
				fprintf(f, "pod:%s/%s\n", k->pod_ns, k->pod_name);
		} else if (!strcmp(k->runtime, "containerd")) {
			if (strcmp(k->ns, "moby")) /* Docker's, named below */
				fprintf(f, "containerd:%s/%.12s\n", k->ns, k->id);
		} else if (k->name[0]) {
			fprintf(f, "%s\n", k->name);
			if (k->user[0]) /* root's view: whose it is, too */
				fprintf(f, "%s:%s/%s\n", k->runtime, k->user,
					k->name);
		}
	}
	cands_free(&c);
	return 0;
}
