/* --top: rates from two samples (top_node_rates, top_link_rates), and
 * its writers. Samples are made here, link by link. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if_arp.h>
#include <cmocka.h>
#include "netjoin/inventory.h"
#include "netjoin/top.h"

/* A link with counters: bytes b (rx) and b / 2 (tx), packets b / 100
 * and b / 200, errors and drops e each way. */
static void add_link(struct nj_dump *d, int32_t ifindex, const char *name,
		     uint16_t type, uint64_t b, uint64_t e)
{
	struct nj_link *l = nj_dump_new_link(d);

	assert_non_null(l);
	l->ifindex = ifindex;
	l->type = type;
	snprintf(l->ifname, sizeof(l->ifname), "%s", name);
	l->has_stats64 = true;
	l->stats64.rx_bytes = b;
	l->stats64.tx_bytes = b / 2;
	l->stats64.rx_packets = b / 100;
	l->stats64.tx_packets = b / 200;
	l->stats64.rx_errors = l->stats64.tx_errors = e;
	l->stats64.rx_dropped = l->stats64.tx_dropped = e;
	l->first_addr = l->last_addr = -1;
}

static void finish(struct nj_dump *d)
{
	assert_int_equal(nj_dump_finish(d), 0);
}

/* A namespace ino named netns:NAME with an eth0 of bytes b and a lo
 * with bytes lo. */
static struct nj_nsrec *add_ns(struct nj_inventory *inv,
			       unsigned long long ino, const char *name,
			       uint64_t b, uint64_t lo)
{
	struct nj_nsrec *r = inventory_add(inv, 4, ino);

	assert_non_null(r);
	r->netns_name = name;
	add_link(&r->dump, 1, "lo", ARPHRD_LOOPBACK, lo, 0);
	add_link(&r->dump, 2, "eth0", ARPHRD_ETHER, b, 0);
	finish(&r->dump);
	return r;
}

static const struct top_row *row_of(const struct top_rows *rows,
				    unsigned long long ino)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (rows->v[i].ns->ino == ino)
			return &rows->v[i];
	fail_msg("no row for namespace %llu", ino);
	return NULL;
}

static void test_node_rates_sorted(void **state)
{
	struct nj_inventory a = { 0 }, b = { 0 };
	struct top_rows rows = { 0 };
	const struct top_row *r;

	(void)state;
	add_ns(&a, 10, "idle", 5000, 0);
	add_ns(&a, 11, "busy", 1000, 0);
	add_ns(&a, 12, "some", 1000, 0);
	add_ns(&b, 10, "idle", 5000, 900000);  /* only loopback moved */
	add_ns(&b, 11, "busy", 401000, 0);     /* +400000 in 2 s */
	add_ns(&b, 12, "some", 3000, 0);       /* +2000 in 2 s */
	assert_int_equal(top_node_rates(&a, &b, 2.0, &rows), 0);
	assert_int_equal(rows.n, 3);
	assert_int_equal(rows.v[0].ns->ino, 11);
	assert_int_equal(rows.v[1].ns->ino, 12);
	assert_int_equal(rows.v[2].ns->ino, 10);
	r = &rows.v[0];
	assert_int_equal(r->state, TOP_LIVE);
	assert_true(r->r.rx_bytes == 200000);
	assert_true(r->r.tx_bytes == 100000);
	assert_true(r->r.rx_packets == 2000);
	assert_true(r->r.tx_packets == 1000);
	assert_true(r->r.errors == 0 && r->r.drops == 0);
	/* the node view leaves loopback out */
	r = row_of(&rows, 10);
	assert_true(r->r.rx_bytes == 0 && r->r.tx_bytes == 0);
	top_rows_free(&rows);
	inventory_free(&a);
	inventory_free(&b);
}

static void test_node_new_and_gone(void **state)
{
	struct nj_inventory a = { 0 }, b = { 0 };
	struct top_rows rows = { 0 };
	const struct top_row *r;

	(void)state;
	add_ns(&a, 10, "stays", 0, 0);
	add_ns(&a, 11, "goes", 1000, 0);
	add_ns(&b, 10, "stays", 100, 0);
	/* new, with counters that are not this interval's: no spike */
	add_ns(&b, 12, "comes", 1000000000, 0);
	/* same inode on another nsfs device: another namespace */
	add_ns(&b, 11, "other", 5000, 0)->dev = 5;
	assert_int_equal(top_node_rates(&a, &b, 1.0, &rows), 0);
	assert_int_equal(rows.n, 4);
	assert_int_equal(rows.v[0].ns->ino, 10);
	assert_true(rows.v[0].r.rx_bytes == 100);
	r = row_of(&rows, 12);
	assert_int_equal(r->state, TOP_NEW);
	assert_true(r->r.rx_bytes == 0 && r->r.tx_bytes == 0 &&
		    r->r.rx_packets == 0);
	/* rows 1..3 hold no rates: new before gone, then by inode */
	assert_int_equal(rows.v[1].state, TOP_NEW);
	assert_int_equal(rows.v[2].state, TOP_NEW);
	assert_int_equal(rows.v[1].ns->ino, 11);
	assert_int_equal(rows.v[1].ns->dev, 5);
	assert_int_equal(rows.v[2].ns->ino, 12);
	assert_int_equal(rows.v[3].state, TOP_GONE);
	assert_int_equal(rows.v[3].ns->ino, 11);
	assert_int_equal(rows.v[3].ns->dev, 4);
	/* a gone row is the earlier sample's record */
	assert_ptr_equal(rows.v[3].ns, &a.v[1]);
	assert_true(rows.v[3].r.rx_bytes == 0);
	top_rows_free(&rows);
	inventory_free(&a);
	inventory_free(&b);
}

static void test_node_inode_reused(void **state)
{
	struct nj_inventory a = { 0 }, b = { 0 };
	struct top_rows rows = { 0 };

	(void)state;
	add_ns(&a, 10, "old", 1000, 0)->cookie = 7;
	add_ns(&a, 11, "kept", 1000, 0)->cookie = 8;
	add_ns(&a, 12, "unknown", 1000, 0);
	/* 10 deleted, its inode given to a new namespace at once */
	add_ns(&b, 10, "new", 900, 0)->cookie = 9;
	add_ns(&b, 11, "kept", 1100, 0)->cookie = 8;
	add_ns(&b, 12, "unknown", 1200, 0)->cookie = 10;
	assert_int_equal(top_node_rates(&a, &b, 1.0, &rows), 0);
	assert_int_equal(rows.n, 4);
	/* a cookie known on one side only: the inode decides */
	assert_int_equal(rows.v[0].ns->ino, 12);
	assert_true(rows.v[0].r.rx_bytes == 200);
	assert_int_equal(rows.v[1].ns->ino, 11);
	assert_true(rows.v[1].r.rx_bytes == 100);
	assert_int_equal(rows.v[2].state, TOP_NEW);
	assert_ptr_equal(rows.v[2].ns, &b.v[0]);
	assert_int_equal(rows.v[3].state, TOP_GONE);
	assert_ptr_equal(rows.v[3].ns, &a.v[0]);
	top_rows_free(&rows);
	inventory_free(&a);
	inventory_free(&b);
}

static void test_node_counter_reset(void **state)
{
	struct nj_inventory a = { 0 }, b = { 0 };
	struct top_rows rows = { 0 };
	struct nj_nsrec *r;

	(void)state;
	r = add_ns(&a, 10, "x", 1000000, 0);
	add_link(&r->dump, 3, "eth1", ARPHRD_ETHER, 500, 7);
	finish(&r->dump);
	r = add_ns(&b, 10, "x", 10, 0); /* eth0 went down: recreated */
	add_link(&b.v[0].dump, 3, "eth1", ARPHRD_ETHER, 1500, 9);
	finish(&r->dump);
	assert_int_equal(top_node_rates(&a, &b, 1.0, &rows), 0);
	assert_int_equal(rows.n, 1);
	/* eth0 counts 0, eth1 its own */
	assert_true(rows.v[0].r.rx_bytes == 1000);
	assert_true(rows.v[0].r.tx_bytes == 500);
	assert_true(rows.v[0].r.errors == 4);
	assert_true(rows.v[0].r.drops == 4);
	/* only the drops went down: that link counts nothing at all */
	b.v[0].dump.links[2].stats64.rx_dropped = 0;
	assert_int_equal(top_node_rates(&a, &b, 1.0, &rows), 0);
	assert_true(rows.v[0].r.rx_bytes == 0 && rows.v[0].r.drops == 0);
	top_rows_free(&rows);
	inventory_free(&a);
	inventory_free(&b);
}

static void test_node_link_recreated(void **state)
{
	struct nj_inventory a = { 0 }, b = { 0 };
	struct top_rows rows = { 0 };
	struct nj_nsrec *r;

	(void)state;
	r = add_ns(&a, 10, "x", 1000, 0);
	add_link(&r->dump, 3, "v0", ARPHRD_ETHER, 100, 0);
	finish(&r->dump);
	r = add_ns(&b, 10, "x", 2000, 0);
	/* v0 again, under a new ifindex, with more than before: not ours */
	add_link(&r->dump, 4, "v0", ARPHRD_ETHER, 900000, 0);
	/* ifindex 3 is someone else now */
	add_link(&r->dump, 3, "v1", ARPHRD_ETHER, 800000, 0);
	finish(&r->dump);
	assert_int_equal(top_node_rates(&a, &b, 1.0, &rows), 0);
	assert_true(rows.v[0].r.rx_bytes == 1000); /* eth0 alone */
	top_rows_free(&rows);
	inventory_free(&a);
	inventory_free(&b);
}

static void test_zero_interval(void **state)
{
	struct nj_inventory a = { 0 }, b = { 0 };
	struct nj_dump da = { 0 }, db = { 0 };
	struct top_rows rows = { 0 };
	const double secs[] = { 0.0, -1.0, NAN };
	size_t i;

	(void)state;
	add_ns(&a, 10, "x", 1000, 0);
	add_ns(&b, 10, "x", 2000, 0);
	add_link(&da, 2, "eth0", ARPHRD_ETHER, 1000, 0);
	add_link(&db, 2, "eth0", ARPHRD_ETHER, 2000, 0);
	finish(&da);
	finish(&db);
	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		assert_int_equal(top_node_rates(&a, &b, secs[i], &rows), 0);
		assert_int_equal(rows.n, 1);
		assert_true(rows.v[0].r.rx_bytes == 0 && rows.v[0].r.tx_bytes == 0);
		assert_int_equal(top_link_rates(&da, &db, secs[i], &rows), 0);
		assert_int_equal(rows.n, 1);
		assert_true(rows.v[0].r.rx_bytes == 0);
	}
	top_rows_free(&rows);
	inventory_free(&a);
	inventory_free(&b);
	nj_dump_free(&da);
	nj_dump_free(&db);
}

static void test_node_unreadable(void **state)
{
	struct nj_inventory a = { 0 }, b = { 0 };
	struct top_rows rows = { 0 };

	(void)state;
	add_ns(&a, 10, "x", 1000, 0)->dump_err = -EPERM;
	add_ns(&a, 11, "y", 1000, 0);
	add_ns(&b, 10, "x", 2000, 0);
	add_ns(&b, 11, "y", 2000, 0)->dump_err = -ENOENT;
	assert_int_equal(top_node_rates(&a, &b, 1.0, &rows), 0);
	assert_int_equal(rows.n, 2);
	/* no baseline, or no reading now: no rate */
	assert_true(row_of(&rows, 10)->r.rx_bytes == 0);
	assert_int_equal(row_of(&rows, 10)->err, 0);
	assert_true(row_of(&rows, 11)->r.rx_bytes == 0);
	assert_int_equal(row_of(&rows, 11)->err, -ENOENT);
	top_rows_free(&rows);
	inventory_free(&a);
	inventory_free(&b);
}

static void test_link_rates(void **state)
{
	struct nj_dump a = { 0 }, b = { 0 };
	struct top_rows rows = { 0 };

	(void)state;
	add_link(&a, 1, "lo", ARPHRD_LOOPBACK, 100, 0);
	add_link(&a, 2, "eth0", ARPHRD_ETHER, 1000, 0);
	add_link(&a, 3, "v0", ARPHRD_ETHER, 1000, 0);
	add_link(&a, 4, "gone0", ARPHRD_ETHER, 1000, 0);
	add_link(&a, 6, "reset0", ARPHRD_ETHER, 9000, 0);
	finish(&a);
	add_link(&b, 1, "lo", ARPHRD_LOOPBACK, 100100, 0);
	add_link(&b, 2, "eth0", ARPHRD_ETHER, 3000, 2);
	add_link(&b, 5, "v0", ARPHRD_ETHER, 999999, 0); /* recreated */
	add_link(&b, 6, "reset0", ARPHRD_ETHER, 10, 0);
	finish(&b);
	assert_int_equal(top_link_rates(&a, &b, 0.5, &rows), 0);
	assert_int_equal(rows.n, 6);
	/* the per-interface view counts loopback */
	assert_string_equal(rows.v[0].link->ifname, "lo");
	assert_true(rows.v[0].r.rx_bytes == 200000);
	assert_string_equal(rows.v[1].link->ifname, "eth0");
	assert_true(rows.v[1].r.rx_bytes == 4000);
	assert_true(rows.v[1].r.errors == 8);
	assert_true(rows.v[1].r.drops == 8);
	assert_string_equal(rows.v[2].link->ifname, "reset0");
	assert_int_equal(rows.v[2].state, TOP_LIVE);
	assert_true(rows.v[2].r.rx_bytes == 0);
	assert_string_equal(rows.v[3].link->ifname, "v0");
	assert_int_equal(rows.v[3].state, TOP_NEW);
	assert_int_equal(rows.v[3].link->ifindex, 5);
	assert_true(rows.v[3].r.rx_bytes == 0);
	/* gone in ifindex order */
	assert_int_equal(rows.v[4].state, TOP_GONE);
	assert_int_equal(rows.v[4].link->ifindex, 3);
	assert_int_equal(rows.v[5].state, TOP_GONE);
	assert_string_equal(rows.v[5].link->ifname, "gone0");
	top_rows_free(&rows);
	nj_dump_free(&a);
	nj_dump_free(&b);
}

/* What a writer wrote to a memory stream. */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
}

static const char *mem_close(struct mem *m)
{
	fclose(m->f);
	return m->buf;
}

static void test_writers(void **state)
{
	struct nj_inventory a = { 0 }, b = { 0 };
	struct top_rows rows = { 0 };
	struct top_frame fr = { .time = { 1764662461, 123456789 },
				.secs = 1.0004 };
	struct nj_owner own = { .runtime = "docker", .id = "abc",
				.name = "web\033[2J", .target = "docker:abc" };
	struct mem m;
	char when[40];

	(void)state;
	assert_string_equal(out_top_time(&fr.time, when, sizeof(when)),
			    "2025-12-02T08:01:01.123Z");
	add_ns(&a, 10, "quiet", 1000, 0);
	add_ns(&a, 11, "busy", 1000, 0);
	add_ns(&b, 10, "quiet", 1000, 0);
	add_ns(&b, 11, "busy", 1235000, 0)->owners = &own;
	b.v[1].nowners = 1;
	add_ns(&b, 12, "new\001", 1000, 0);
	assert_int_equal(top_node_rates(&a, &b, 1.0, &rows), 0);

	mem_open(&m);
	out_top_json(m.f, &fr, &rows);
	assert_string_equal(mem_close(&m),
		"{\"time\":\"2025-12-02T08:01:01.123Z\",\"interval\":1,\"namespaces\":["
		"{\"target\":\"docker:abc\",\"netns\":11,\"owners\":[{\"runtime\":\"docker\","
		"\"id\":\"abc\",\"name\":\"web\\u001b[2J\",\"target\":\"docker:abc\"}],"
		"\"rx_bytes_per_s\":1234000,\"tx_bytes_per_s\":617000,"
		"\"rx_packets_per_s\":12340,\"tx_packets_per_s\":6170,"
		"\"errors_per_s\":0,\"drops_per_s\":0},"
		"{\"target\":\"netns:quiet\",\"netns\":10,\"owners\":[],"
		"\"rx_bytes_per_s\":0,\"tx_bytes_per_s\":0,\"rx_packets_per_s\":0,"
		"\"tx_packets_per_s\":0,\"errors_per_s\":0,\"drops_per_s\":0},"
		"{\"target\":\"netns:new\\u0001\",\"netns\":12,\"owners\":[],"
		"\"rx_bytes_per_s\":0,\"tx_bytes_per_s\":0,\"rx_packets_per_s\":0,"
		"\"tx_packets_per_s\":0,\"errors_per_s\":0,\"drops_per_s\":0,"
		"\"state\":\"new\"}]}\n");
	free(m.buf);

	mem_open(&m);
	out_top_text(m.f, &fr, &rows);
	assert_string_equal(mem_close(&m),
		"2025-12-02T08:01:01.123Z  rates over 1.00 s  3 namespaces\n"
		"TARGET         RX B/s  TX B/s  RX p/s  TX p/s   ERR/s  DROP/s  OWNERS\n"
		"docker:abc      1.23M    617k   12.3k   6.17k       0       0  docker web\\x1b[2J\n"
		"netns:quiet         0       0       0       0       0       0  -\n"
		"netns:new\\x01     new       -       -       -       -       -  -\n");
	free(m.buf);

	/* a terminal: lines cut at its width, no more than it holds */
	fr.width = 30;
	fr.height = 4;
	mem_open(&m);
	out_top_text(m.f, &fr, &rows);
	assert_string_equal(mem_close(&m),
		"2025-12-02T08:01:01.123Z  rate\n"
		"TARGET         RX B/s  TX B/s\n"
		"… +3 more\n");
	free(m.buf);
	b.v[1].owners = NULL;
	b.v[1].nowners = 0;
	top_rows_free(&rows);
	inventory_free(&a);
	inventory_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_node_rates_sorted),
		cmocka_unit_test(test_node_new_and_gone),
		cmocka_unit_test(test_node_inode_reused),
		cmocka_unit_test(test_node_counter_reset),
		cmocka_unit_test(test_node_link_recreated),
		cmocka_unit_test(test_zero_interval),
		cmocka_unit_test(test_node_unreadable),
		cmocka_unit_test(test_link_rates),
		cmocka_unit_test(test_writers),
	};

	return cmocka_run_group_tests_name("top", tests, NULL, NULL);
}
