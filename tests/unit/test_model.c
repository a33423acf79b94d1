/* nj_dump_*: growth, grouping of addresses under links, lookups. */
#include <errno.h>
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

static struct nj_addr *add_addr(struct nj_dump *d, int32_t ifindex,
				uint8_t tag)
{
	struct nj_addr *a = nj_dump_new_addr(d);

	assert_non_null(a);
	a->ifindex = ifindex;
	a->family = 2;
	a->prefixlen = tag; /* identifies the address in the tests */
	return a;
}

/* The tags of link ifindex's addresses, in grouping order. */
static size_t tags_of(const struct nj_dump *d, int32_t ifindex,
		      uint8_t *tags, size_t max)
{
	const struct nj_link *l = nj_dump_link(d, ifindex);
	size_t n = 0;
	int32_t i;

	assert_non_null(l);
	for (i = l->first_addr; i >= 0; i = d->addrs[i].next) {
		assert_true((size_t)i < d->naddrs);
		assert_int_equal(d->addrs[i].ifindex, ifindex);
		if (n < max)
			tags[n] = d->addrs[i].prefixlen;
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
	struct nj_addr *a;
	static const struct nj_link zl;
	static const struct nj_addr za;

	(void)state;
	l = nj_dump_new_link(&d);
	assert_non_null(l);
	assert_memory_equal(l, &zl, sizeof(zl));
	a = nj_dump_new_addr(&d);
	assert_non_null(a);
	assert_memory_equal(a, &za, sizeof(za));
	assert_int_equal(d.nlinks, 1);
	assert_int_equal(d.naddrs, 1);
	/* slots are zeroed even when reused after a reset */
	l->mtu = 1500;
	a->prefixlen = 24;
	nj_dump_reset(&d);
	assert_int_equal(d.nlinks, 0);
	assert_int_equal(d.naddrs, 0);
	assert_null(d.index);
	l = nj_dump_new_link(&d);
	assert_memory_equal(l, &zl, sizeof(zl));
	a = nj_dump_new_addr(&d);
	assert_memory_equal(a, &za, sizeof(za));
	nj_dump_free(&d);
	assert_null(d.links);
	assert_null(d.addrs);
	assert_int_equal(d.nlinks + d.naddrs + d.links_cap + d.addrs_cap, 0);
	nj_dump_free(&d); /* twice is fine */
	nj_dump_free(NULL);
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
	assert_int_equal(d.addrs[6].next, -1);

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

		for (j = d.links[i].first_addr; j >= 0; j = d.addrs[j].next) {
			assert_int_not_equal(j, 0);
			assert_int_not_equal(j, 2);
			assert_int_not_equal(j, 4);
			total++;
		}
	}
	assert_int_equal(total, 3);
	assert_int_equal(d.addrs[0].next, -1);
	assert_int_equal(d.addrs[2].next, -1);
	assert_int_equal(d.addrs[4].next, -1);
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
	assert_true(d.addrs_cap >= NL * NA);
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
	nj_dump_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_zeroed),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_grouping_order),
		cmocka_unit_test(test_unknown_ifindex),
		cmocka_unit_test(test_lookup_unsorted),
		cmocka_unit_test(test_refinish),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
