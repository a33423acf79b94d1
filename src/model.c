/* The dump of one namespace: growable arrays of links and addresses, and
 * the grouping of addresses under links. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "netjoin/model.h"
#include "netjoin/vec.h"

void nj_dump_free(struct nj_dump *d)
{
	if (!d)
		return;
	free(d->links);
	free(d->addrs);
	free(d->index);
	free(d->peers);
	memset(d, 0, sizeof(*d));
}

void nj_dump_reset(struct nj_dump *d)
{
	d->nlinks = 0;
	d->naddrs = 0;
	free(d->index);
	d->index = NULL;
	free(d->peers);
	d->peers = NULL;
	d->nindexed = d->ngrouped = 0;
	d->last_link = NULL;
}

/* Small first blocks: a node inventory holds hundreds of dumps of a few
 * links each. */
struct nj_link *nj_dump_new_link(struct nj_dump *d)
{
	return VEC_PUSH(d->links, d->nlinks, d->links_cap, 8);
}

struct nj_addr *nj_dump_new_addr(struct nj_dump *d)
{
	return VEC_PUSH(d->addrs, d->naddrs, d->addrs_cap, 8);
}

static int cmp_ix(const void *a, const void *b)
{
	const struct nj_link_ix *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

static struct nj_link *find(const struct nj_dump *d, int32_t ifindex)
{
	struct nj_link_ix key = { .ifindex = ifindex }, *hit;

	if (!d->index)
		return NULL;
	hit = bsearch(&key, d->index, d->nlinks, sizeof(key), cmp_ix);
	return hit ? &d->links[hit->pos] : NULL;
}

const struct nj_link *nj_dump_link(const struct nj_dump *d, int32_t ifindex)
{
	return find(d, ifindex);
}

void nj_dump_ungroup(struct nj_dump *d)
{
	size_t i;

	for (i = 0; i < d->nlinks; i++)
		d->links[i].first_addr = d->links[i].last_addr = -1;
	d->ngrouped = 0;
	d->last_link = NULL;
}

int nj_dump_index(struct nj_dump *d)
{
	size_t i;

	free(d->index);
	d->index = malloc((d->nlinks ? d->nlinks : 1) * sizeof(*d->index));
	if (!d->index)
		return -ENOMEM;
	for (i = 0; i < d->nlinks; i++) {
		d->index[i].ifindex = d->links[i].ifindex;
		d->index[i].pos = (uint32_t)i;
	}
	qsort(d->index, d->nlinks, sizeof(*d->index), cmp_ix);
	d->nindexed = d->nlinks;
	nj_dump_ungroup(d);
	return 0;
}

void nj_dump_group(struct nj_dump *d)
{
	struct nj_addr *a;
	struct nj_link *l;
	int32_t i;

	for (; d->ngrouped < d->naddrs; d->ngrouped++) {
		i = (int32_t)d->ngrouped;
		a = &d->addrs[i];
		a->next = -1;
		l = d->last_link;
		if (!l || l->ifindex != a->ifindex)
			l = d->last_link = find(d, a->ifindex);
		if (!l)
			continue;
		if (l->last_addr < 0)
			l->first_addr = i;
		else
			d->addrs[l->last_addr].next = i;
		l->last_addr = i;
	}
}

int nj_dump_finish(struct nj_dump *d)
{
	if (!d->index || d->nindexed != d->nlinks) {
		if (nj_dump_index(d) < 0)
			return -ENOMEM;
	}
	nj_dump_group(d);
	return 0;
}
