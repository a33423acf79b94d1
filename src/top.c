/* --top: samples of the links' counters, and the rates between two
 * (see top.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if_arp.h>
#include "netjoin/nl.h"
#include "netjoin/nsjoin.h"
#include "netjoin/top.h"
#include "netjoin/vec.h"

static struct top_row *row_add(struct top_rows *rows, enum top_state state)
{
	struct top_row *r = VEC_PUSH(rows->v, rows->n, rows->cap, 16);

	if (r)
		r->state = state;
	return r;
}

/* What an interval added to the counters. */
struct delta {
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets, errors, drops;
};

/* l's counters since p, its reading one interval before, added to sum.
 * Nothing when they are not the same interface's (another ifindex or
 * name) or one went down: it was recreated, or moved here with its
 * counters, and what it counted is not this interval's traffic. */
static void link_delta(const struct nj_link *p, const struct nj_link *l,
		       struct delta *sum)
{
	const struct nj_link_stats *a, *b;

	if (!p || !l->has_stats64 || !p->has_stats64 ||
	    p->ifindex != l->ifindex || strcmp(p->ifname, l->ifname))
		return;
	a = &p->stats64;
	b = &l->stats64;
	if (b->rx_bytes < a->rx_bytes || b->tx_bytes < a->tx_bytes ||
	    b->rx_packets < a->rx_packets || b->tx_packets < a->tx_packets ||
	    b->rx_errors < a->rx_errors || b->tx_errors < a->tx_errors ||
	    b->rx_dropped < a->rx_dropped || b->tx_dropped < a->tx_dropped)
		return;
	sum->rx_bytes += b->rx_bytes - a->rx_bytes;
	sum->tx_bytes += b->tx_bytes - a->tx_bytes;
	sum->rx_packets += b->rx_packets - a->rx_packets;
	sum->tx_packets += b->tx_packets - a->tx_packets;
	sum->errors += (b->rx_errors - a->rx_errors) +
		       (b->tx_errors - a->tx_errors);
	sum->drops += (b->rx_dropped - a->rx_dropped) +
		      (b->tx_dropped - a->tx_dropped);
}

static void per_second(const struct delta *sum, double secs,
		       struct top_rates *r)
{
	memset(r, 0, sizeof(*r));
	if (!(secs > 0))
		return;
	r->rx_bytes = (double)sum->rx_bytes / secs;
	r->tx_bytes = (double)sum->tx_bytes / secs;
	r->rx_packets = (double)sum->rx_packets / secs;
	r->tx_packets = (double)sum->tx_packets / secs;
	r->errors = (double)sum->errors / secs;
	r->drops = (double)sum->drops / secs;
}

static double total(const struct top_row *r, int what)
{
	return what == 0   ? r->r.rx_bytes + r->r.tx_bytes
	       : what == 1 ? r->r.rx_packets + r->r.tx_packets
			   : r->r.errors + r->r.drops;
}

static int row_cmp(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;
	unsigned long long kx, ky;
	int what;

	for (what = 0; what < 3; what++)
		if (total(x, what) != total(y, what))
			return total(x, what) > total(y, what) ? -1 : 1;
	if (x->state != y->state)
		return x->state < y->state ? -1 : 1;
	kx = x->ns ? x->ns->ino : (unsigned long long)x->link->ifindex;
	ky = y->ns ? y->ns->ino : (unsigned long long)y->link->ifindex;
	return kx < ky ? -1 : kx > ky;
}

static void sort_rows(struct top_rows *rows)
{
	if (rows->n > 1)
		qsort(rows->v, rows->n, sizeof(*rows->v), row_cmp);
}

static void ns_rates(const struct nj_dump *pd, const struct nj_dump *cd,
		     double secs, struct top_rates *r)
{
	struct delta sum = { 0 };
	size_t i;

	for (i = 0; i < cd->nlinks; i++) {
		const struct nj_link *l = &cd->links[i];

		if (l->type == ARPHRD_LOOPBACK)
			continue;
		link_delta(nj_dump_link(pd, l->ifindex), l, &sum);
	}
	per_second(&sum, secs, r);
}

/* r's record in inv: the same (dev, ino), and the same cookie where
 * both are known (the inode may have been given to a new namespace). */
static const struct nj_nsrec *same_ns(const struct nj_inventory *inv,
				      const struct nj_nsrec *r)
{
	const struct nj_nsrec *o = inventory_get(inv, r->dev, r->ino);

	return o && (!o->cookie || !r->cookie || o->cookie == r->cookie) ? o
									  : NULL;
}

int top_node_rates(const struct nj_inventory *prev,
		   const struct nj_inventory *cur, double secs,
		   struct top_rows *rows)
{
	const struct nj_nsrec *c, *p;
	struct top_row *row;
	size_t i;

	rows->n = 0;
	for (i = 0; i < cur->n; i++) {
		c = &cur->v[i];
		p = same_ns(prev, c);
		row = row_add(rows, p ? TOP_LIVE : TOP_NEW);
		if (!row)
			return -ENOMEM;
		row->ns = c;
		row->err = c->dump_err;
		/* read both times, or there is no rate to give */
		if (p && !c->dump_err && !p->dump_err)
			ns_rates(&p->dump, &c->dump, secs, &row->r);
	}
	for (i = 0; i < prev->n; i++) {
		p = &prev->v[i];
		if (same_ns(cur, p))
			continue;
		row = row_add(rows, TOP_GONE);
		if (!row)
			return -ENOMEM;
		row->ns = p;
	}
	sort_rows(rows);
	return 0;
}

/* The link of d with l's ifindex and name, or NULL. */
static const struct nj_link *same_link(const struct nj_dump *d,
				       const struct nj_link *l)
{
	const struct nj_link *o = nj_dump_link(d, l->ifindex);

	return o && !strcmp(o->ifname, l->ifname) ? o : NULL;
}

int top_link_rates(const struct nj_dump *prev, const struct nj_dump *cur,
		   double secs, struct top_rows *rows)
{
	struct delta sum;
	const struct nj_link *p;
	struct top_row *row;
	size_t i;

	rows->n = 0;
	for (i = 0; i < cur->nlinks; i++) {
		p = same_link(prev, &cur->links[i]);
		row = row_add(rows, p ? TOP_LIVE : TOP_NEW);
		if (!row)
			return -ENOMEM;
		row->link = &cur->links[i];
		memset(&sum, 0, sizeof(sum));
		link_delta(p, row->link, &sum);
		per_second(&sum, secs, &row->r);
	}
	for (i = 0; i < prev->nlinks; i++) {
		if (same_link(cur, &prev->links[i]))
			continue;
		row = row_add(rows, TOP_GONE);
		if (!row)
			return -ENOMEM;
		row->link = &prev->links[i];
	}
	sort_rows(rows);
	return 0;
}

void top_rows_free(struct top_rows *rows)
{
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

int top_open(struct top *t, const struct nj_ctx *ctx, bool node,
	     struct nj_err *e)
{
	int rc;

	memset(t, 0, sizeof(*t));
	t->node = node;
	t->ctx = ctx;
	if (node)
		return 0;
	rc = netlink_open(NETLINK_ROUTE, -1, &t->nl);
	if (rc < 0)
		return nj_fail(e, NJ_FAIL, -rc, "netlink: %s", strerror(-rc));
	return 0;
}

static int sample_node(struct top *t, int i, struct nj_err *e)
{
	struct nj_inventory *inv = &t->inv[i];
	int rc;

	inventory_free(inv);
	rc = inventory_scan(t->ctx, inv, e);
	if (rc < 0)
		return rc;
	/* the counters are read from here on, each namespace's in turn,
	 * in the same order every time */
	clock_gettime(CLOCK_MONOTONIC, &t->mono[i]);
	clock_gettime(CLOCK_REALTIME, &t->wall[i]);
	rc = inventory_dump_links(inv);
	if (rc < 0)
		return nj_fail(e, NJ_FAIL, -rc,
			       "cannot return to netjoin's own network namespace after reading another's; stopped");
	return 0;
}

static int sample_here(struct top *t, int i, struct nj_err *e)
{
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t->mono[i]);
	clock_gettime(CLOCK_REALTIME, &t->wall[i]);
	rc = netlink_dump_links(t->nl, &t->dump[i]);
	if (rc < 0)
		return nj_fail(e, NJ_FAIL, -rc, "link dump failed: %s",
			       strerror(-rc));
	return 0;
}

int top_sample(struct top *t, struct nj_err *e)
{
	int i = t->taken ? !t->cur : 0, rc;

	rc = t->node ? sample_node(t, i, e) : sample_here(t, i, e);
	if (rc < 0)
		return rc;
	t->cur = i;
	if (t->taken < 2)
		t->taken++;
	return 0;
}

int top_rows(const struct top *t, struct top_rows *rows, double *secs)
{
	int c = t->cur, p = !t->cur;

	if (t->taken < 2)
		return -EAGAIN;
	*secs = (double)(t->mono[c].tv_sec - t->mono[p].tv_sec) +
		(double)(t->mono[c].tv_nsec - t->mono[p].tv_nsec) / 1e9;
	return t->node ? top_node_rates(&t->inv[p], &t->inv[c], *secs, rows)
		       : top_link_rates(&t->dump[p], &t->dump[c], *secs, rows);
}

int top_follow(struct top *t, struct nj_target *tg, int home,
	       struct nj_err *e)
{
	t->follow = true;
	t->spec = tg->spec;
	t->pid = tg->pid;
	t->home = home;
	t->pidfd = -1;
	if (tg->handle == NJ_HANDLE_PIDFD) {
		t->pidfd = tg->fd;
		tg->fd = -1;
	}
	target_close(tg);
	nsjoin_current_ns(&t->dev, &t->ino);
	if (tg->handle == NJ_HANDLE_NSFS && tg->path[0]) {
		t->pin = strdup(tg->path);
		if (!t->pin)
			return nj_fail(e, NJ_FAIL, ENOMEM, "out of memory");
	}
	return 0;
}

/* Nothing of t left in the followed namespace: its socket closed, the
 * thread back in netjoin's own. */
static void release(struct top *t)
{
	netlink_close(t->nl);
	t->nl = NULL;
	if (t->home >= 0 && setns(t->home, CLONE_NEWNET) == 0) {
		close(t->home);
		t->home = -1;
	}
}

int top_gone(struct top *t, struct nj_err *e)
{
	struct pollfd p = { .fd = t->pidfd, .events = POLLIN };
	int rc = 0;

	if (!t->follow)
		return 0;
	if (t->pidfd >= 0 && poll(&p, 1, 0) > 0)
		rc = nj_fail(e, NJ_GONE, ESRCH,
			     "%s: process %d exited: its namespace is no longer sampled",
			     t->spec, (int)t->pid);
	else if (t->pin && !nsjoin_pin_holds(t->pin, t->dev, t->ino))
		rc = nj_fail(e, NJ_GONE, ENOENT,
			     "%s: %s was removed or replaced: its namespace is no longer sampled",
			     t->spec, t->pin);
	if (rc < 0)
		release(t);
	return rc;
}

void top_close(struct top *t)
{
	inventory_free(&t->inv[0]);
	inventory_free(&t->inv[1]);
	nj_dump_free(&t->dump[0]);
	nj_dump_free(&t->dump[1]);
	netlink_close(t->nl);
	t->nl = NULL;
	if (t->follow) {
		if (t->pidfd >= 0)
			close(t->pidfd);
		if (t->home >= 0)
			close(t->home);
		free(t->pin);
		t->follow = false;
	}
}
