/* The dump of one namespace: growable arrays of links and addresses, and
 * the grouping of addresses under links. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include "netjoin/model.h"
#include "netjoin/vec.h"

void nj_dump_free(struct nj_dump *d)
{
	if (!d)
		return;
	free(d->links);
	while (d->naddr_blocks)
		free(d->addr_blocks[--d->naddr_blocks]);
	free(d->addr_blocks);
	free(d->more);
	free(d->local6);
	free(d->labels);
	free(d->index);
	free(d->peers);
	memset(d, 0, sizeof(*d));
}

void nj_dump_reset(struct nj_dump *d)
{
	d->nlinks = 0;
	nj_dump_reset_addrs(d);
	free(d->index);
	d->index = NULL;
	free(d->peers);
	d->peers = NULL;
	d->nindexed = 0;
}

void nj_dump_reset_addrs(struct nj_dump *d)
{
	d->naddrs = d->nmore = d->nlabels = d->nlocal6 = 0;
	nj_dump_ungroup(d);
}

/* Small first blocks: a node inventory holds hundreds of dumps of a few
 * links each. */
struct nj_link *nj_dump_new_link(struct nj_dump *d)
{
	return VEC_PUSH(d->links, d->nlinks, d->links_cap, 8);
}

/* The label's index + 1: a link's addresses come together and mostly
 * carry its name, so a label is kept once for each run of it. */
static int keep_label(struct nj_dump *d, const char *label, uint32_t *out)
{
	if (!d->nlabels || strcmp(d->labels[d->nlabels - 1], label)) {
		if (vec_reserve((void **)&d->labels, &d->labels_cap,
				d->nlabels + 1, sizeof(*d->labels), 8))
			return -ENOMEM;
		memcpy(d->labels[d->nlabels++], label, IF_NAMESIZE);
	}
	*out = (uint32_t)d->nlabels;
	return 0;
}

/* One more block of records; blocks are kept for a dump retried. */
static int add_block(struct nj_dump *d)
{
	struct nj_addr_rec **slot = VEC_PUSH(d->addr_blocks, d->naddr_blocks,
					     d->addr_blocks_cap, 16);

	if (!slot)
		return -ENOMEM;
	*slot = malloc(NJ_ADDR_BLOCK * sizeof(**slot));
	if (!*slot) {
		d->naddr_blocks--;
		return -ENOMEM;
	}
	return 0;
}

static bool forever(const struct nj_addr *a)
{
	return a->valid_lft == UINT32_MAX && a->preferred_lft == UINT32_MAX;
}

static uint8_t addr_bits(const struct nj_addr *a)
{
	size_t alen = a->family == AF_INET ? 4 : 16;
	uint8_t bits = 0;

	bits |= a->has_local ? NJ_ADDR_LOCAL : 0;
	bits |= a->has_address ? NJ_ADDR_ADDRESS : 0;
	bits |= a->has_address && memcmp(a->address, a->local, alen)
			? NJ_ADDR_PEER : 0;
	bits |= a->has_broadcast ? NJ_ADDR_BROADCAST : 0;
	bits |= a->has_anycast ? NJ_ADDR_ANYCAST : 0;
	bits |= a->has_label ? NJ_ADDR_LABEL : 0;
	bits |= a->has_cacheinfo ? NJ_ADDR_CACHEINFO : 0;
	bits |= a->has_metric ? NJ_ADDR_METRIC : 0;
	return bits;
}

int nj_dump_add_addr(struct nj_dump *d, const struct nj_addr *a)
{
	struct nj_addr_more *m = NULL;
	struct nj_addr_rec *r;
	size_t nlabels = d->nlabels, nmore = d->nmore;
	uint8_t bits = addr_bits(a);
	uint32_t label = 0;

	if (((d->naddrs >> NJ_ADDR_BLOCK_SHIFT) >= d->naddr_blocks &&
	     add_block(d)) ||
	    (a->has_label && keep_label(d, a->label, &label)))
		goto nomem;
	if (bits & (NJ_ADDR_PEER | NJ_ADDR_BROADCAST | NJ_ADDR_ANYCAST |
		    NJ_ADDR_METRIC) ||
	    (a->has_cacheinfo && !forever(a))) {
		m = VEC_PUSH(d->more, d->nmore, d->more_cap, 8);
		if (!m)
			goto nomem;
		memcpy(m->address, a->address, sizeof(m->address));
		memcpy(m->broadcast, a->broadcast, sizeof(m->broadcast));
		memcpy(m->anycast, a->anycast, sizeof(m->anycast));
		m->metric = a->metric;
		m->valid_lft = a->valid_lft;
		m->preferred_lft = a->preferred_lft;
	}
	if (a->family == AF_INET6) {
		uint8_t(*l6)[16] = VEC_PUSH(d->local6, d->nlocal6,
					    d->local6_cap, 8);

		if (!l6)
			goto nomem;
		memcpy(*l6, a->local, sizeof(*l6));
	}
	r = nj_dump_addr_rec(d, d->naddrs++);
	r->ifindex = a->ifindex;
	r->next = -1;
	r->flags = a->flags;
	r->label = label;
	r->more = m ? (uint32_t)d->nmore : 0;
	r->family = a->family;
	r->prefixlen = a->prefixlen;
	r->scope = a->scope;
	r->bits = bits;
	if (a->family == AF_INET6)
		r->local.v6 = (uint32_t)d->nlocal6 - 1;
	else
		memcpy(r->local.v4, a->local, sizeof(r->local.v4));
	return 0;
nomem:
	d->nlabels = nlabels;
	d->nmore = nmore;
	return -ENOMEM;
}

int32_t nj_dump_addr(const struct nj_dump *d, int32_t i, struct nj_addr *a)
{
	const struct nj_addr_rec *r = nj_dump_addr_rec(d, (size_t)i);
	const struct nj_addr_more *m = r->more ? &d->more[r->more - 1] : NULL;

	a->ifindex = r->ifindex;
	a->family = r->family;
	a->prefixlen = r->prefixlen;
	a->scope = r->scope;
	a->flags = r->flags;
	a->has_local = !!(r->bits & NJ_ADDR_LOCAL);
	a->has_address = !!(r->bits & NJ_ADDR_ADDRESS);
	a->has_broadcast = !!(r->bits & NJ_ADDR_BROADCAST);
	a->has_anycast = !!(r->bits & NJ_ADDR_ANYCAST);
	a->has_label = !!(r->bits & NJ_ADDR_LABEL);
	a->has_cacheinfo = !!(r->bits & NJ_ADDR_CACHEINFO);
	a->has_metric = !!(r->bits & NJ_ADDR_METRIC);
	if (r->family == AF_INET6) {
		memcpy(a->local, d->local6[r->local.v6], sizeof(a->local));
	} else {
		memcpy(a->local, r->local.v4, sizeof(r->local.v4));
		memset(a->local + sizeof(r->local.v4), 0,
		       sizeof(a->local) - sizeof(r->local.v4));
	}
	if (m) {
		memcpy(a->address, (r->bits & NJ_ADDR_PEER) ? m->address
							     : a->local,
		       sizeof(a->address));
		memcpy(a->broadcast, m->broadcast, sizeof(a->broadcast));
		memcpy(a->anycast, m->anycast, sizeof(a->anycast));
		a->metric = m->metric;
		a->valid_lft = m->valid_lft;
		a->preferred_lft = m->preferred_lft;
	} else {
		memcpy(a->address, a->local, sizeof(a->address));
		memset(a->broadcast, 0, sizeof(a->broadcast));
		memset(a->anycast, 0, sizeof(a->anycast));
		a->metric = 0;
		a->valid_lft = a->preferred_lft =
			(r->bits & NJ_ADDR_CACHEINFO) ? UINT32_MAX : 0;
	}
	if (r->label)
		memcpy(a->label, d->labels[r->label - 1], sizeof(a->label));
	else
		memset(a->label, 0, sizeof(a->label));
	return r->next;
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
	struct nj_addr_rec *a;
	struct nj_link *l;
	int32_t i;

	for (; d->ngrouped < d->naddrs; d->ngrouped++) {
		i = (int32_t)d->ngrouped;
		a = nj_dump_addr_rec(d, (size_t)i);
		a->next = -1;
		l = d->last_link;
		if (!l || l->ifindex != a->ifindex)
			l = d->last_link = find(d, a->ifindex);
		if (!l)
			continue;
		if (l->last_addr < 0)
			l->first_addr = i;
		else
			nj_dump_addr_rec(d, (size_t)l->last_addr)->next = i;
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

int nj_dump_apply_link(struct nj_dump *d, const struct nj_link *l, bool del)
{
	struct nj_link *slot = NULL;
	size_t i;

	for (i = 0; i < d->nlinks; i++)
		if (d->links[i].ifindex == l->ifindex) {
			slot = &d->links[i];
			break;
		}
	if (del) {
		if (!slot)
			return 0;
		memmove(slot, slot + 1, (d->nlinks - i - 1) * sizeof(*slot));
		d->nlinks--;
	} else {
		if (!slot && !(slot = nj_dump_new_link(d)))
			return -ENOMEM;
		*slot = *l;
	}
	return nj_dump_index(d);
}
