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

int nj_dump_finish(struct nj_dump *d)
{
	struct nj_link *l;
	size_t i;

	free(d->index);
	d->index = malloc((d->nlinks ? d->nlinks : 1) * sizeof(*d->index));
	if (!d->index)
		return -ENOMEM;
	for (i = 0; i < d->nlinks; i++) {
		d->index[i].ifindex = d->links[i].ifindex;
		d->index[i].pos = (uint32_t)i;
		d->links[i].first_addr = d->links[i].last_addr = -1;
	}
	qsort(d->index, d->nlinks, sizeof(*d->index), cmp_ix);
	for (i = 0; i < d->naddrs; i++) {
		d->addrs[i].next = -1;
		l = find(d, d->addrs[i].ifindex);
		if (!l)
			continue;
		if (l->last_addr < 0)
			l->first_addr = (int32_t)i;
		else
			d->addrs[l->last_addr].next = (int32_t)i;
		l->last_addr = (int32_t)i;
	}
	return 0;
}
