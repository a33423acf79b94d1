/* --watch's pure parts on recorded notifications (tests/fixtures/
 * events.nl, tests/tools/mkfixtures_events.sh): netlink_decode_event's
 * kind and new/del for each, the links table kept by nj_dump_apply_link,
 * and the lines the writers make of them, text (as ip -ts monitor,
 * events-ip-monitor.txt, one line each) and JSON. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/rtnetlink.h>
#include "fixtures.h"
#include "netjoin/nl.h"
#include "netjoin/out_event.h"
#include "netjoin/watch.h"

#define MAXMSG 64

static const struct {
	enum nj_event_kind kind;
	bool del;
	const char *text; /* the line after its time */
} want[] = {
	{ NJ_EVENT_LINK, false, "2: d1@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000 link/ether 02:00:00:00:00:22 brd ff:ff:ff:ff:ff:ff\n" },
	{ NJ_EVENT_LINK, false, "3: d0@d1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN group default qlen 1000 link/ether 02:00:00:00:00:21 brd ff:ff:ff:ff:ff:ff\n" },
	{ NJ_EVENT_LINK, false, "3: d0@d1: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue state LOWERLAYERDOWN group default qlen 1000 link/ether 02:00:00:00:00:21 brd ff:ff:ff:ff:ff:ff\n" },
	{ NJ_EVENT_ADDR, false, "3: d0    inet 10.9.0.1/24 scope global d0 valid_lft forever preferred_lft forever\n" },
	{ NJ_EVENT_ROUTE, false, "local 10.9.0.1 dev d0 table local proto kernel scope host src 10.9.0.1 \n" },
	{ NJ_EVENT_ROUTE, false, "10.9.0.0/24 dev d0 proto kernel scope link src 10.9.0.1 linkdown \n" },
	{ NJ_EVENT_ROUTE, false, "broadcast 10.9.0.255 dev d0 table local proto kernel scope link src 10.9.0.1 linkdown \n" },
	{ NJ_EVENT_ROUTE, false, "10.10.0.0/16 via 10.9.0.2 dev d0 onlink linkdown \n" },
	{ NJ_EVENT_NEIGH, false, "10.9.0.5 dev d0 lladdr 02:00:00:00:00:05 PERMANENT \n" },
	{ NJ_EVENT_ADDR, true, "Deleted 3: d0    inet 10.9.0.1/24 scope global d0 valid_lft forever preferred_lft forever\n" },
	{ NJ_EVENT_ROUTE, true, "Deleted 10.9.0.0/24 dev d0 proto kernel scope link src 10.9.0.1 linkdown \n" },
	{ NJ_EVENT_ROUTE, true, "Deleted broadcast 10.9.0.255 dev d0 table local proto kernel scope link src 10.9.0.1 linkdown \n" },
	{ NJ_EVENT_ROUTE, true, "Deleted local 10.9.0.1 dev d0 table local proto kernel scope host src 10.9.0.1 \n" },
	{ NJ_EVENT_NEIGH, true, "Deleted 10.9.0.5 dev d0 lladdr 02:00:00:00:00:05 PERMANENT \n" },
	{ NJ_EVENT_LINK, false, "3: d0@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN group default qlen 1000 link/ether 02:00:00:00:00:21 brd ff:ff:ff:ff:ff:ff\n" },
	{ NJ_EVENT_LINK, true, "Deleted 3: d0@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000 link/ether 02:00:00:00:00:21 brd ff:ff:ff:ff:ff:ff\n" },
	{ NJ_EVENT_LINK, true, "Deleted 2: d1@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default qlen 1000 link/ether 02:00:00:00:00:22 brd ff:ff:ff:ff:ff:ff\n" },
};
#define NWANT (sizeof(want) / sizeof(want[0]))

static size_t messages(const struct fixture *fx, const struct nlmsghdr **v)
{
	const struct nlmsghdr *nlh;
	size_t n = 0;
	int rem;

	nlmsg_foreach(nlh, fx->data, fx->len, rem) {
		assert_true(n < MAXMSG);
		v[n++] = nlh;
	}
	assert_int_equal(rem, 0);
	return n;
}

static const struct out_event_src src = { "netns:njrecev", 4026531840ULL,
					  false };

/* Every notification: its kind, new or del, and its text line, with the
 * links table kept as --watch keeps it. */
static void test_events_text(void **state)
{
	struct fixture fx = fixture_read("events.nl");
	const struct nlmsghdr *v[MAXMSG];
	struct timespec ts = { 0, 0 };
	struct nj_dump links = { 0 };
	struct nj_event ev;
	struct mem m;
	size_t n, i, k = 0;
	char *out, *line;
	FILE *f;

	(void)state;
	n = messages(&fx, v);
	for (i = 0; i < n; i++) {
		if (netlink_decode_event(v[i], &ev) == -ENOENT)
			continue;
		assert_true(k < NWANT);
		assert_int_equal(ev.kind, want[k].kind);
		assert_int_equal(ev.del, want[k].del);
		f = mem_open(&m);
		out_event(f, false, &ts, &src, &ev, &links);
		out = mem_close(&m);
		line = strchr(out, ']'); /* after the time */
		assert_non_null(line);
		assert_string_equal(line + 2, want[k].text);
		free(out);
		if (ev.kind == NJ_EVENT_LINK)
			assert_int_equal(nj_dump_apply_link(&links, &ev.u.link,
							    ev.del), 0);
		nj_event_free(&ev);
		k++;
	}
	assert_int_equal(k, NWANT);
	assert_int_equal(links.nlinks, 0); /* both ends deleted */
	nj_dump_free(&links);
	fixture_free(&fx);
}

/* JSON: one object a line, with the event's fields first. */
static void test_events_json(void **state)
{
	struct fixture fx = fixture_read("events.nl");
	const struct nlmsghdr *v[MAXMSG];
	struct timespec ts = { 0, 0 };
	struct nj_dump links = { 0 };
	struct nj_event ev;
	struct mem m;
	size_t n, i, k = 0;
	char *out;
	FILE *f;

	(void)state;
	n = messages(&fx, v);
	for (i = 0; i < n; i++) {
		if (netlink_decode_event(v[i], &ev) < 0)
			continue;
		f = mem_open(&m);
		out_event(f, true, &ts, &src, &ev, &links);
		out = mem_close(&m);
		assert_non_null(strstr(out, "\"target\":\"netns:njrecev\",\"netns\":\"net:[4026531840]\""));
		assert_non_null(strstr(out, ev.del ? "\"event\":\"del\"" : "\"event\":\"new\""));
		assert_int_equal(strchr(out, '\n') - out, (long)strlen(out) - 1);
		if (k == 3) /* the address, as ip -j addr has it */
			assert_non_null(strstr(out, "\"kind\":\"addr\",\"ifindex\":3,\"ifname\":\"d0\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.9.0.1\",\"prefixlen\":24,"));
		if (k == 8)
			assert_non_null(strstr(out, "\"kind\":\"neigh\",\"dst\":\"10.9.0.5\",\"dev\":\"d0\",\"lladdr\":\"02:00:00:00:00:05\",\"state\":[\"PERMANENT\"]}"));
		if (k == 7)
			assert_non_null(strstr(out, "\"kind\":\"route\",\"dst\":\"10.10.0.0/16\",\"gateway\":\"10.9.0.2\",\"dev\":\"d0\""));
		free(out);
		if (ev.kind == NJ_EVENT_LINK)
			nj_dump_apply_link(&links, &ev.u.link, ev.del);
		nj_event_free(&ev);
		k++;
	}
	assert_int_equal(k, NWANT);
	nj_dump_free(&links);
	fixture_free(&fx);
}

/* Each message cut short, into an exact-size copy: refused or decoded,
 * never read past its end; other types are not events. */
static void test_events_cut(void **state)
{
	struct fixture fx = fixture_read("events.nl");
	const struct nlmsghdr *v[MAXMSG];
	struct nlmsghdr *c, h = { .nlmsg_len = sizeof(h), .nlmsg_type = RTM_NEWNSID };
	struct nj_event ev;
	size_t n, i, len;

	(void)state;
	n = messages(&fx, v);
	for (i = 0; i < n; i++)
		for (len = sizeof(struct nlmsghdr); len < v[i]->nlmsg_len; len++) {
			c = dup_exact(v[i], len);
			c->nlmsg_len = (uint32_t)len;
			if (netlink_decode_event(c, &ev) == 0)
				nj_event_free(&ev);
			free(c);
		}
	assert_int_equal(netlink_decode_event(&h, &ev), -ENOENT);
	h.nlmsg_type = NLMSG_DONE;
	assert_int_equal(netlink_decode_event(&h, &ev), -ENOENT);
	h.nlmsg_type = RTM_DELLINK; /* a bare header is no link */
	assert_int_equal(netlink_decode_event(&h, &ev), -EINVAL);
	fixture_free(&fx);
}

/* The links table: replaced by ifindex, added, removed. */
static void test_apply_link(void **state)
{
	struct nj_dump d = { 0 };
	struct nj_link l = { 0 };

	(void)state;
	l.ifindex = 5;
	strcpy(l.ifname, "a");
	assert_int_equal(nj_dump_apply_link(&d, &l, false), 0);
	l.ifindex = 7;
	strcpy(l.ifname, "b");
	assert_int_equal(nj_dump_apply_link(&d, &l, false), 0);
	strcpy(l.ifname, "c"); /* renamed */
	assert_int_equal(nj_dump_apply_link(&d, &l, false), 0);
	assert_int_equal(d.nlinks, 2);
	assert_string_equal(nj_dump_link(&d, 7)->ifname, "c");
	l.ifindex = 5;
	assert_int_equal(nj_dump_apply_link(&d, &l, true), 0);
	assert_null(nj_dump_link(&d, 5));
	assert_string_equal(nj_dump_link(&d, 7)->ifname, "c");
	l.ifindex = 9; /* an unknown one's deletion changes nothing */
	assert_int_equal(nj_dump_apply_link(&d, &l, true), 0);
	assert_int_equal(d.nlinks, 1);
	nj_dump_free(&d);
}

/* The rescan's difference: by (dev, ino), both ways. */
static void test_diff(void **state)
{
	static const unsigned long long known[][2] = {
		{ 4, 100 }, { 4, 101 }, { 4, 102 }, { 5, 103 },
	};
	struct nj_inventory cur = { 0 };
	bool gone[4], fresh[4];

	(void)state;
	assert_non_null(inventory_add(&cur, 4, 101));
	assert_non_null(inventory_add(&cur, 4, 200)); /* new */
	assert_non_null(inventory_add(&cur, 4, 100));
	assert_non_null(inventory_add(&cur, 4, 103)); /* 103 on another dev */
	assert_int_equal(watch_diff(&cur, known, 4, gone, fresh), 4);
	assert_false(gone[0]);
	assert_false(gone[1]);
	assert_true(gone[2]);
	assert_true(gone[3]);
	assert_false(fresh[0]);
	assert_true(fresh[1]);
	assert_false(fresh[2]);
	assert_true(fresh[3]);
	/* nothing known yet: all fresh; nothing found: all gone */
	assert_int_equal(watch_diff(&cur, known, 0, gone, fresh), 4);
	inventory_free(&cur);
	assert_int_equal(watch_diff(&cur, known, 4, gone, fresh), 4);
	assert_true(gone[0] && gone[1] && gone[2] && gone[3]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_text),
		cmocka_unit_test(test_events_json),
		cmocka_unit_test(test_events_cut),
		cmocka_unit_test(test_apply_link),
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
