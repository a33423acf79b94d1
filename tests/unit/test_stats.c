/* --stats: IFLA_STATS64 decoded (recorded in links-stats.nl, and built
 * here in every length a kernel sends) and written as ip printed the
 * recorded namespace at the same moment: ip -s link and ip -s -s link
 * line for line, ip -j -s link and ip -j -s -s link key for key
 * (tests/fixtures/README.md, tests/tools/mkfixtures_stats.sh). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <net/if_arp.h>
#include <cmocka.h>
#include <jansson.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "fixtures.h"
#include "netjoin/jw.h"
#include "netjoin/nl.h"
#include "netjoin/out.h"

#define MAXLINKS 8

/* The links of links-stats.nl: lo and v0. */
static size_t decode_fixture(struct nj_link *links)
{
	struct fixture fx = fixture_read("links-stats.nl");
	const struct nlmsghdr *msgs[MAXLINKS + 1];
	size_t n, i;
	void *p;

	n = nlmsg_collect(&fx, msgs, MAXLINKS + 1) - 1; /* and NLMSG_DONE */
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		p = dup_exact(msgs[i], msgs[i]->nlmsg_len);
		memset(&links[i], 0xa5, sizeof(links[i]));
		assert_int_equal(netlink_decode_link(p, &links[i]), 0);
		assert_true(links[i].has_stats64);
		free(p);
	}
	fixture_free(&fx);
	return n;
}

/* What the recording holds, as ip -s -s link showed it. */
static void test_recorded_values(void **state)
{
	struct nj_link l[MAXLINKS];
	const struct nj_link_stats *s;

	(void)state;
	decode_fixture(l);
	assert_string_equal(l[1].ifname, "v0");
	s = &l[1].stats64;
	assert_int_equal(s->rx_bytes, 1981);
	assert_int_equal(s->rx_packets, 36);
	assert_int_equal(s->rx_dropped, 7);      /* the unknown ethertype */
	assert_int_equal(s->rx_otherhost_dropped, 3);
	assert_int_equal(s->rx_nohandler, 0);
	assert_int_equal(s->tx_bytes, 528);
	assert_int_equal(s->tx_packets, 7);
	assert_true(l[1].has_carrier_changes);
	assert_int_equal(l[1].carrier_changes, 2);
	assert_int_equal(l[0].stats64.rx_packets, 2);
	assert_int_equal(l[0].stats64.tx_bytes, 94);
}

/* The counters of link i in ip's listing: the lines of its block (which
 * starts with "N: ifname") after the first two. */
static char *ip_stats_lines(const char *fixture, size_t i, const char *ifname)
{
	struct fixture fx = fixture_read(fixture);
	char *line, *next, *from = NULL, *to = NULL, *out;
	char head[64];
	size_t k = 0;

	for (line = fx.data; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (*line < '1' || *line > '9')
			continue;
		if (k++ == i)
			from = line;
		else if (from && !to)
			to = line;
	}
	assert_non_null(from);
	if (!to)
		to = fx.data + fx.len;
	snprintf(head, sizeof(head), ": %s", ifname);
	assert_non_null(strstr(from, head));
	from = strchr(strchr(from, '\n') + 1, '\n') + 1;
	assert_true(from <= to);
	out = strndup(from, (size_t)(to - from));
	fixture_free(&fx);
	return out;
}

static void text_level(const char *fixture, int level)
{
	struct nj_link l[MAXLINKS];
	size_t n, i;
	struct mem m;
	char *got, *want;

	n = decode_fixture(l);
	for (i = 0; i < n; i++) {
		out_stats_text(mem_open(&m), &l[i], level);
		got = mem_close(&m);
		want = ip_stats_lines(fixture, i, l[i].ifname);
		if (strcmp(got, want))
			fail_msg("%s, %s:\nnetjoin:\n%s\nip:\n%s", fixture,
				 l[i].ifname, got, want);
		free(got);
		free(want);
	}
}

static void test_recorded_text(void **state)
{
	(void)state;
	text_level("stats-ip-s-link.txt", 1);
	text_level("stats-ip-s-s-link.txt", 2);
}

/* {"stats64": ...} as out_stats_json writes it for l. */
static json_t *stats_json(const struct nj_link *l, int level)
{
	json_error_t err;
	struct mem m;
	struct jw w;
	json_t *j;
	char *s;

	w = (struct jw)JW_INIT(mem_open(&m));
	jw_open(&w, NULL, '{');
	out_stats_json(&w, l, level);
	jw_close(&w, '}');
	s = mem_close(&m);
	j = json_loads(s, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("out_stats_json wrote bad JSON (%s): %s", err.text, s);
	free(s);
	return j;
}

/* Key for key, value for value, in ip's order. */
static void json_level(const char *fixture, int level)
{
	struct fixture fx = fixture_read(fixture);
	struct nj_link l[MAXLINKS];
	json_t *ip, *ours, *want;
	json_error_t err;
	char *a, *b;
	size_t n, i;

	n = decode_fixture(l);
	ip = json_loads(fx.data, 0, &err);
	assert_non_null(ip);
	assert_int_equal(json_array_size(ip), n);
	for (i = 0; i < n; i++) {
		want = json_pack("{s:O}", "stats64",
				 json_object_get(json_array_get(ip, i), "stats64"));
		assert_non_null(want);
		ours = stats_json(&l[i], level);
		a = json_dumps(ours, JSON_PRESERVE_ORDER);
		b = json_dumps(want, JSON_PRESERVE_ORDER);
		if (!json_equal(ours, want) || strcmp(a, b))
			fail_msg("%s, %s:\nnetjoin: %s\nip:      %s", fixture,
				 l[i].ifname, a, b);
		free(a);
		free(b);
		json_decref(ours);
		json_decref(want);
	}
	json_decref(ip);
	fixture_free(&fx);
}

static void test_recorded_json(void **state)
{
	(void)state;
	json_level("stats-ip-j-s-link.json", 1);
	json_level("stats-ip-j-s-s-link.json", 2);
}

union msgbuf {
	struct nlmsghdr h;
	uint32_t align;
	char buf[1024];
};

/* A link "x" with an IFLA_STATS64 of len bytes: counter i is i + 1. */
static struct nlmsghdr *link_with_stats(union msgbuf *m, size_t len)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	uint64_t v[32];
	size_t i;

	for (i = 0; i < 32; i++)
		v[i] = i + 1;
	memset(m, 0, sizeof(*m));
	nlh = mnl_nlmsg_put_header(m->buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	ifi->ifi_type = ARPHRD_ETHER;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "x");
	mnl_attr_put(nlh, IFLA_STATS64, len, v);
	return nlh;
}

static int decode(const struct nlmsghdr *nlh, struct nj_link *l)
{
	void *p = dup_exact(nlh, nlh->nlmsg_len);
	int r;

	memset(l, 0x5a, sizeof(*l));
	r = netlink_decode_link(p, l);
	free(p);
	return r;
}

/* Linux before 4.6 sends 23 counters, before 5.19 24, now 25; a newer
 * one may send more. Fewer than 23 is malformed. */
static void test_stats_lengths(void **state)
{
	union msgbuf m;
	struct nj_link l;

	(void)state;
	assert_int_equal(decode(link_with_stats(&m, 23 * 8), &l), 0);
	assert_true(l.has_stats64);
	assert_int_equal(l.stats64.rx_packets, 1);
	assert_int_equal(l.stats64.tx_compressed, 23);
	assert_int_equal(l.stats64.rx_nohandler, 0);
	assert_int_equal(l.stats64.rx_otherhost_dropped, 0);

	assert_int_equal(decode(link_with_stats(&m, 24 * 8), &l), 0);
	assert_int_equal(l.stats64.rx_nohandler, 24);
	assert_int_equal(l.stats64.rx_otherhost_dropped, 0);

	assert_int_equal(decode(link_with_stats(&m, 25 * 8), &l), 0);
	assert_int_equal(l.stats64.rx_otherhost_dropped, 25);

	assert_int_equal(decode(link_with_stats(&m, 27 * 8), &l), 0);
	assert_int_equal(l.stats64.rx_otherhost_dropped, 25);
	assert_int_equal(l.stats64.rx_bytes, 3);
	assert_int_equal(l.stats64.tx_window_errors, 21);

	assert_int_equal(decode(link_with_stats(&m, 23 * 8 - 1), &l), -EINVAL);
	assert_int_equal(decode(link_with_stats(&m, 0), &l), -EINVAL);
	assert_int_equal(decode(link_with_stats(&m, 4), &l), -EINVAL);
}

/* No IFLA_STATS64: nothing written, at any level. */
static void test_no_stats(void **state)
{
	union msgbuf m;
	struct nj_link l;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct mem mm;
	json_t *j;
	char *s;

	(void)state;
	memset(&m, 0, sizeof(m));
	nlh = mnl_nlmsg_put_header(m.buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 3;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "y");
	assert_int_equal(decode(nlh, &l), 0);
	assert_false(l.has_stats64);
	assert_false(l.has_carrier_changes);
	out_stats_text(mem_open(&mm), &l, 2);
	s = mem_close(&mm);
	assert_string_equal(s, "");
	free(s);
	j = stats_json(&l, 2);
	assert_int_equal(json_object_size(j), 0);
	json_decref(j);
}

/* Wide numbers widen their columns, for every row, as ip's do; the
 * optional columns (compressed, nohandler, otherhost, transns) come
 * only when they have something to say. Written by hand from
 * iproute2 6.1's print_stats64. */
static void test_widths(void **state)
{
	struct nj_link l;
	struct mem m;
	char *s;

	(void)state;
	memset(&l, 0, sizeof(l));
	l.has_stats64 = true;
	l.stats64.rx_bytes = 18446744073709551615ULL; /* 20 digits */
	l.stats64.rx_packets = 123456789;
	l.stats64.tx_packets = 5;
	l.stats64.rx_compressed = 4;
	l.stats64.rx_nohandler = 12345678901ULL;
	out_stats_text(mem_open(&m), &l, 1);
	s = mem_close(&m);
	assert_string_equal(s,
		"    RX:            bytes   packets errors dropped  missed   mcast compressed\n"
		"    18446744073709551615 123456789      0       0       0       0          4 \n"
		"    TX:            bytes   packets errors dropped carrier collsns           \n"
		"                       0         5      0       0       0       0 \n");
	free(s);
	/* nohandler shares the compressed column, and widens it */
	out_stats_text(mem_open(&m), &l, 2);
	s = mem_close(&m);
	assert_string_equal(s,
		"    RX:            bytes   packets errors dropped  missed   mcast  compressed\n"
		"    18446744073709551615 123456789      0       0       0       0           4 \n"
		"    RX errors:              length    crc   frame    fifo overrun   nohandler\n"
		"                                 0      0       0       0       0 12345678901 \n"
		"    TX:            bytes   packets errors dropped carrier collsns            \n"
		"                       0         5      0       0       0       0 \n"
		"    TX errors:             aborted   fifo  window heartbt        \n"
		"                                 0      0       0       0 \n");
	free(s);
}

static void test_json_optional(void **state)
{
	struct nj_link l;
	json_t *j, *rx, *tx;

	(void)state;
	memset(&l, 0, sizeof(l));
	l.has_stats64 = true;
	/* the largest jansson reads back; ip and netjoin print any u64 */
	l.stats64.rx_bytes = 9223372036854775807ULL;
	l.stats64.tx_compressed = 9;
	l.stats64.rx_nohandler = 2;
	l.has_carrier_changes = true;
	l.carrier_changes = 4;
	j = stats_json(&l, 1);
	rx = json_object_get(json_object_get(j, "stats64"), "rx");
	tx = json_object_get(json_object_get(j, "stats64"), "tx");
	assert_int_equal(json_object_size(rx), 6);
	assert_true(json_integer_value(json_object_get(rx, "bytes")) ==
		    9223372036854775807LL);
	assert_int_equal(json_object_size(tx), 7);
	assert_int_equal(json_integer_value(json_object_get(tx, "compressed")), 9);
	assert_null(json_object_get(rx, "nohandler"));
	assert_null(json_object_get(tx, "carrier_changes"));
	json_decref(j);
	j = stats_json(&l, 2);
	rx = json_object_get(json_object_get(j, "stats64"), "rx");
	tx = json_object_get(json_object_get(j, "stats64"), "tx");
	assert_int_equal(json_object_size(rx), 12);
	assert_int_equal(json_integer_value(json_object_get(rx, "nohandler")), 2);
	assert_null(json_object_get(rx, "otherhost"));
	assert_int_equal(json_integer_value(json_object_get(tx, "carrier_changes")), 4);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_values),
		cmocka_unit_test(test_recorded_text),
		cmocka_unit_test(test_recorded_json),
		cmocka_unit_test(test_stats_lengths),
		cmocka_unit_test(test_no_stats),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_json_optional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
