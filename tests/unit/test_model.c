/* nj_dump_*: growth, grouping of addresses under links, lookups. */
#include <errno.h>
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "fixtures.h"
#include "netjoin/model.h"

static struct nj_link *add_link(struct nj_dump *d, int32_t ifindex)
{
	struct nj_link *l = nj_dump_new_link(d);

	assert_non_null(l);
	l->ifindex = ifindex;
	snprintf(l->ifname, sizeof(l->ifname), "if%d", (int)ifindex);
	return l;
}

static void add_addr(struct nj_dump *d, int32_t ifindex, uint8_t tag)
{
	struct nj_addr a = { 0 };

	a.ifindex = ifindex;
	a.family = AF_INET;
	a.prefixlen = tag; /* identifies the address in the tests */
	assert_int_equal(nj_dump_add_addr(d, &a), 0);
}

/* The tags of link ifindex's addresses, in grouping order. */
static size_t tags_of(const struct nj_dump *d, int32_t ifindex,
		      uint8_t *tags, size_t max)
{
	const struct nj_link *l = nj_dump_link(d, ifindex);
	struct nj_addr a;
	size_t n = 0;
	int32_t i;

	assert_non_null(l);
	for (i = l->first_addr; i >= 0;) {
		assert_true((size_t)i < d->naddrs);
		i = nj_dump_addr(d, i, &a);
		assert_int_equal(a.ifindex, ifindex);
		if (n < max)
			tags[n] = a.prefixlen;
		n++;
	}
	if (n == 0)
		assert_int_equal(l->last_addr, -1);
	return n;
}

static void test_new_zeroed(void **state)
{
	struct nj_dump d = { 0 };
	struct nj_link *l;
	static const struct nj_link zl;

	(void)state;
	l = nj_dump_new_link(&d);
	assert_non_null(l);
	assert_memory_equal(l, &zl, sizeof(zl));
	add_addr(&d, 1, 24);
	assert_int_equal(d.nlinks, 1);
	assert_int_equal(d.naddrs, 1);
	/* slots are zeroed even when reused after a reset */
	l->mtu = 1500;
	nj_dump_reset(&d);
	assert_int_equal(d.nlinks, 0);
	assert_int_equal(d.naddrs + d.nmore + d.nlabels, 0);
	assert_null(d.index);
	l = nj_dump_new_link(&d);
	assert_memory_equal(l, &zl, sizeof(zl));
	nj_dump_free(&d);
	assert_null(d.links);
	assert_null(d.addr_blocks);
	assert_int_equal(d.nlinks + d.naddrs + d.links_cap + d.naddr_blocks +
				 d.addr_blocks_cap,
			 0);
	nj_dump_free(&d); /* twice is fine */
	nj_dump_free(NULL);
}

static void ip_(struct nj_addr *a, const char *s)
{
	a->family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a->family, s, a->local), 1);
	memcpy(a->address, a->local, sizeof(a->address));
	a->has_local = a->has_address = true;
}

/* Fields printed whole, as the dump gives them back: the common
 * parts kept in the record, the others aside, each only when there. */
static void assert_same_addr(const struct nj_addr *a, const struct nj_addr *b)
{
	assert_int_equal(a->ifindex, b->ifindex);
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->prefixlen, b->prefixlen);
	assert_int_equal(a->scope, b->scope);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->has_local, b->has_local);
	assert_int_equal(a->has_address, b->has_address);
	assert_int_equal(a->has_broadcast, b->has_broadcast);
	assert_int_equal(a->has_anycast, b->has_anycast);
	assert_int_equal(a->has_label, b->has_label);
	assert_int_equal(a->has_cacheinfo, b->has_cacheinfo);
	assert_int_equal(a->has_metric, b->has_metric);
	assert_memory_equal(a->local, b->local, 16);
	assert_memory_equal(a->address, b->address, 16);
	assert_memory_equal(a->broadcast, b->broadcast, 16);
	assert_memory_equal(a->anycast, b->anycast, 16);
	assert_string_equal(a->label, b->label);
	assert_int_equal(a->valid_lft, b->valid_lft);
	assert_int_equal(a->preferred_lft, b->preferred_lft);
	assert_int_equal(a->metric, b->metric);
}

static void test_addr_kept_whole(void **state)
{
	struct nj_addr in[7], back;
	struct nj_dump d = { 0 };
	size_t i;

	(void)state;
	memset(in, 0, sizeof(in));
	/* plain, permanent: nothing aside */
	in[0].ifindex = 2;
	ip_(&in[0], "10.0.0.5");
	in[0].prefixlen = 24;
	in[0].has_label = in[0].has_cacheinfo = true;
	strcpy(in[0].label, "eth0");
	in[0].valid_lft = in[0].preferred_lft = UINT32_MAX;
	/* the same label, a broadcast address, lifetimes */
	in[1] = in[0];
	ip_(&in[1], "10.0.0.6");
	in[1].has_broadcast = true;
	inet_pton(AF_INET, "10.0.0.255", in[1].broadcast);
	in[1].valid_lft = 3600;
	in[1].preferred_lft = 1800;
	/* another label; a peer; a metric */
	in[2] = in[0];
	strcpy(in[2].label, "eth0:1");
	inet_pton(AF_INET, "10.9.0.2", in[2].address);
	in[2].has_metric = true;
	in[2].metric = 100;
	in[2].flags = 0x80000001u;
	/* back to the first label: kept again, each run once */
	in[3] = in[0];
	/* IPv6, no label, anycast, deprecated lifetimes */
	memset(&in[4], 0, sizeof(in[4]));
	in[4].ifindex = 3;
	ip_(&in[4], "2001:db8::5");
	in[4].prefixlen = 64;
	in[4].scope = 200;
	in[4].has_anycast = true;
	inet_pton(AF_INET6, "2001:db8::1", in[4].anycast);
	in[4].has_cacheinfo = true;
	in[4].valid_lft = 86400;
	in[4].preferred_lft = 0;
	/* no cacheinfo at all, no local part flagged */
	memset(&in[5], 0, sizeof(in[5]));
	in[5].ifindex = 3;
	in[5].family = AF_INET6;
	/* forever, but aside for its peer: the lifetimes come from there */
	in[6] = in[4];
	in[6].has_anycast = false;
	memset(in[6].anycast, 0, 16);
	inet_pton(AF_INET6, "2001:db8::9", in[6].address);
	in[6].valid_lft = in[6].preferred_lft = UINT32_MAX;
	for (i = 0; i < 7; i++)
		assert_int_equal(nj_dump_add_addr(&d, &in[i]), 0);
	assert_int_equal(d.naddrs, 7);
	assert_int_equal(d.nmore, 4); /* [1], [2], [4], [6] */
	assert_int_equal(d.nlabels, 3); /* eth0, eth0:1, eth0 */
	for (i = 0; i < 7; i++) {
		assert_int_equal(nj_dump_addr(&d, (int32_t)i, &back), -1);
		assert_same_addr(&back, &in[i]);
	}
	nj_dump_free(&d);
}

static void test_empty(void **state)
{
	struct nj_dump d = { 0 };

	(void)state;
	assert_null(nj_dump_link(&d, 1)); /* before finish: no index */
	assert_int_equal(nj_dump_finish(&d), 0);
	assert_null(nj_dump_link(&d, 1));
	assert_null(nj_dump_link(&d, 0));
	nj_dump_free(&d);
}

static void test_grouping_order(void **state)
{
	struct nj_dump d = { 0 };
	uint8_t t[16];
	size_t n;

	(void)state;
	/* links out of ifindex order, addresses interleaved as the kernel
	 * sends them (IPv4 of all links, then IPv6) */
	add_link(&d, 3);
	add_link(&d, 1);
	add_link(&d, 2);
	add_link(&d, 9);
	add_addr(&d, 1, 10);
	add_addr(&d, 3, 30);
	add_addr(&d, 1, 11);
	add_addr(&d, 2, 20);
	add_addr(&d, 3, 31);
	add_addr(&d, 1, 12);
	add_addr(&d, 3, 32);
	assert_int_equal(nj_dump_finish(&d), 0);

	n = tags_of(&d, 1, t, 16);
	assert_int_equal(n, 3);
	assert_int_equal(t[0], 10);
	assert_int_equal(t[1], 11);
	assert_int_equal(t[2], 12);
	n = tags_of(&d, 3, t, 16);
	assert_int_equal(n, 3);
	assert_int_equal(t[0], 30);
	assert_int_equal(t[1], 31);
	assert_int_equal(t[2], 32);
	n = tags_of(&d, 2, t, 16);
	assert_int_equal(n, 1);
	assert_int_equal(t[0], 20);
	assert_int_equal(tags_of(&d, 9, t, 16), 0);
	assert_int_equal(nj_dump_link(&d, 9)->first_addr, -1);

	/* first/last point at the right slots */
	assert_int_equal(nj_dump_link(&d, 1)->first_addr, 0);
	assert_int_equal(nj_dump_link(&d, 1)->last_addr, 5);
	assert_int_equal(nj_dump_link(&d, 3)->first_addr, 1);
	assert_int_equal(nj_dump_link(&d, 3)->last_addr, 6);
	assert_int_equal(nj_dump_addr_rec(&d, 6)->next, -1);

	/* the links array itself keeps dump order */
	assert_int_equal(d.links[0].ifindex, 3);
	assert_int_equal(d.links[1].ifindex, 1);
	assert_int_equal(d.links[2].ifindex, 2);
	assert_int_equal(d.links[3].ifindex, 9);
	nj_dump_free(&d);
}

static void test_unknown_ifindex(void **state)
{
	struct nj_dump d = { 0 };
	uint8_t t[8];
	size_t i, total = 0;

	(void)state;
	add_link(&d, 2);
	add_link(&d, 5);
	add_addr(&d, 7, 70);  /* no such link */
	add_addr(&d, 2, 20);
	add_addr(&d, 0, 0);   /* nor ifindex 0 */
	add_addr(&d, 5, 50);
	add_addr(&d, -1, 99); /* nor a negative one */
	add_addr(&d, 2, 21);
	assert_int_equal(nj_dump_finish(&d), 0);

	assert_int_equal(tags_of(&d, 2, t, 8), 2);
	assert_int_equal(t[0], 20);
	assert_int_equal(t[1], 21);
	assert_int_equal(tags_of(&d, 5, t, 8), 1);
	assert_int_equal(t[0], 50);
	assert_null(nj_dump_link(&d, 7));
	assert_null(nj_dump_link(&d, 0));
	assert_null(nj_dump_link(&d, -1));
	/* dropped from the grouping: reachable from no link, next is -1 */
	for (i = 0; i < d.nlinks; i++) {
		int32_t j;

		for (j = d.links[i].first_addr; j >= 0; j = nj_dump_addr_rec(&d, (size_t)j)->next) {
			assert_int_not_equal(j, 0);
			assert_int_not_equal(j, 2);
			assert_int_not_equal(j, 4);
			total++;
		}
	}
	assert_int_equal(total, 3);
	assert_int_equal(nj_dump_addr_rec(&d, 0)->next, -1);
	assert_int_equal(nj_dump_addr_rec(&d, 2)->next, -1);
	assert_int_equal(nj_dump_addr_rec(&d, 4)->next, -1);
	/* still in the array */
	assert_int_equal(d.naddrs, 6);
	nj_dump_free(&d);
}

static void test_lookup_unsorted(void **state)
{
	static const int32_t ix[] = { 42, 7, 1000000, 3, 65536, 1, 500, 2,
				      0x7fffffff, 8 };
	struct nj_dump d = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ix) / sizeof(ix[0]); i++)
		add_link(&d, ix[i])->mtu = (uint32_t)i;
	assert_int_equal(nj_dump_finish(&d), 0);
	for (i = 0; i < sizeof(ix) / sizeof(ix[0]); i++) {
		const struct nj_link *l = nj_dump_link(&d, ix[i]);

		assert_non_null(l);
		assert_ptr_equal(l, &d.links[i]);
		assert_int_equal(l->ifindex, ix[i]);
		assert_int_equal(l->mtu, i);
	}
	assert_null(nj_dump_link(&d, 4));
	assert_null(nj_dump_link(&d, 0));
	assert_null(nj_dump_link(&d, 43));
	assert_null(nj_dump_link(&d, -42));
	assert_null(nj_dump_link(&d, (int32_t)0x80000000));
	nj_dump_free(&d);
}

/* finish twice, and after a reset: the index and grouping are rebuilt */
static void test_refinish(void **state)
{
	struct nj_dump d = { 0 };
	struct nj_addr a = { 0 };
	uint8_t t[8];

	(void)state;
	add_link(&d, 1);
	add_addr(&d, 1, 10);
	assert_int_equal(nj_dump_finish(&d), 0);
	assert_int_equal(nj_dump_finish(&d), 0);
	assert_int_equal(tags_of(&d, 1, t, 8), 1);

	nj_dump_reset(&d);
	assert_null(nj_dump_link(&d, 1));
	add_link(&d, 2);
	add_addr(&d, 2, 20);
	add_addr(&d, 1, 10);
	assert_int_equal(nj_dump_finish(&d), 0);
	assert_null(nj_dump_link(&d, 1));
	assert_int_equal(tags_of(&d, 2, t, 8), 1);
	assert_int_equal(t[0], 20);

	/* an address dump retried: the links and their index stay, and
	 * only the addresses of the new try are held */
	a.ifindex = 2;
	a.family = AF_INET6;
	a.prefixlen = 64;
	a.has_label = a.has_metric = true;
	strcpy(a.label, "if2");
	assert_int_equal(nj_dump_add_addr(&d, &a), 0);
	nj_dump_group(&d);
	assert_int_equal(tags_of(&d, 2, t, 8), 2);
	assert_true(d.nmore && d.nlabels && d.nlocal6);
	nj_dump_reset_addrs(&d);
	assert_int_equal(d.naddrs + d.nmore + d.nlabels + d.nlocal6, 0);
	assert_int_equal(tags_of(&d, 2, t, 8), 0);
	add_addr(&d, 2, 21);
	add_addr(&d, 2, 22);
	assert_int_equal(nj_dump_finish(&d), 0);
	assert_int_equal(d.nlinks, 1);
	assert_int_equal(d.naddrs, 2);
	assert_int_equal(tags_of(&d, 2, t, 8), 2);
	assert_int_equal(t[0], 21);
	assert_int_equal(t[1], 22);
	nj_dump_free(&d);
}

static void test_large(void **state)
{
	enum { NL = 1000, NA = 10 };
	struct nj_dump d = { 0 };
	size_t i, k;

	(void)state;
	/* ifindexes scattered: i * 7919 mod 100003 (distinct, unsorted) */
	for (i = 0; i < NL; i++)
		add_link(&d, (int32_t)(i * 7919 % 100003) + 1);
	/* addresses round-robin over the links, as a dump interleaves
	 * families: address k of link i is tag k */
	for (k = 0; k < NA; k++)
		for (i = 0; i < NL; i++)
			add_addr(&d, d.links[i].ifindex, (uint8_t)k);
	assert_int_equal(d.nlinks, NL);
	assert_int_equal(d.naddrs, NL * NA);
	assert_true(d.links_cap >= NL);
	/* records span blocks, each allocated once */
	assert_int_equal(d.naddr_blocks,
			 (NL * NA + NJ_ADDR_BLOCK - 1) / NJ_ADDR_BLOCK);
	assert_int_equal(nj_dump_finish(&d), 0);

	for (i = 0; i < NL; i++) {
		int32_t ifindex = (int32_t)(i * 7919 % 100003) + 1;
		const struct nj_link *l = nj_dump_link(&d, ifindex);
		uint8_t t[NA + 1];

		assert_ptr_equal(l, &d.links[i]);
		assert_int_equal(tags_of(&d, ifindex, t, NA + 1), NA);
		for (k = 0; k < NA; k++)
			assert_int_equal(t[k], k);
		assert_int_equal(l->first_addr, (int32_t)i);
		assert_int_equal(l->last_addr, (int32_t)((NA - 1) * NL + i));
	}
	assert_null(nj_dump_link(&d, 100004));

	/* a dump retried refills the blocks it has, and reads back whole */
	nj_dump_reset(&d);
	for (i = 0; i < NL; i++)
		add_link(&d, (int32_t)i + 1);
	for (k = 0; k < NA; k++)
		for (i = 0; i < NL; i++)
			add_addr(&d, (int32_t)i + 1, (uint8_t)(k + 1));
	assert_int_equal(d.naddr_blocks,
			 (NL * NA + NJ_ADDR_BLOCK - 1) / NJ_ADDR_BLOCK);
	assert_int_equal(nj_dump_finish(&d), 0);
	for (i = 0; i < NL; i++) {
		uint8_t t[NA + 1];

		assert_int_equal(tags_of(&d, (int32_t)i + 1, t, NA + 1), NA);
		for (k = 0; k < NA; k++)
			assert_int_equal(t[k], k + 1);
	}
	nj_dump_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_zeroed),
		cmocka_unit_test(test_addr_kept_whole),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_grouping_order),
		cmocka_unit_test(test_unknown_ifindex),
		cmocka_unit_test(test_lookup_unsorted),
		cmocka_unit_test(test_refinish),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
