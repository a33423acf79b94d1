/* The recorded namespace (links.nl, addrs.nl) decoded and written out
 * as ip listed it at the same moment: the brief form byte for byte
 * (ip-br-addr.txt), the JSON field by field (ip-j-addr.json), like
 * tests/integration/ipjson_compare.py does for a live namespace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "fixtures.h"
#include "netjoin/nl.h"
#include "netjoin/out.h"

static json_t *run_json(const struct nj_dump *d)
{
	struct nj_target t;
	struct out_target ot = { &t, 4026531992ULL };
	struct out_opts o = { 0 };
	json_error_t err;
	struct mem m;
	json_t *j;
	char *s;

	target_init(&t, "host");
	t.kind = "host";
	out_json(mem_open(&m), &ot, d, &o, NULL, 0);
	s = mem_close(&m);
	j = json_loads(s, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("out_json wrote bad JSON (%s at %d): %s", err.text,
			 err.position, s);
	free(s);
	return j;
}

static void decode_fixture(struct nj_dump *d)
{
	struct fixture lf = fixture_read("links.nl");
	struct fixture af = fixture_read("addrs.nl");
	const struct nlmsghdr *nlh;
	struct nj_addr a;
	int rem;

	memset(d, 0, sizeof(*d));
	nlmsg_foreach(nlh, lf.data, lf.len, rem) {
		if (nlh->nlmsg_type == NLMSG_DONE)
			break;
		assert_int_equal(netlink_decode_link(nlh, nj_dump_new_link(d)), 0);
	}
	nlmsg_foreach(nlh, af.data, af.len, rem) {
		if (nlh->nlmsg_type == NLMSG_DONE)
			break;
		assert_int_equal(netlink_decode_addr(nlh, &a), 0);
		assert_int_equal(nj_dump_add_addr(d, &a), 0);
	}
	assert_int_equal(nj_dump_finish(d), 0);
	fixture_free(&lf);
	fixture_free(&af);
}

static void test_recorded_brief(void **state)
{
	struct fixture want = fixture_read("ip-br-addr.txt");
	struct nj_dump d;
	struct mem m;
	char *s;

	(void)state;
	decode_fixture(&d);
	out_brief(mem_open(&m), &d);
	s = mem_close(&m);
	if (strcmp(s, want.data))
		fail_msg("out_brief wrote:\n%s\nip -br addr printed:\n%s", s,
			 want.data);
	free(s);
	fixture_free(&want);
	nj_dump_free(&d);
}

/* Like tests/integration/ipjson_compare.py: the fields we mirror must
 * have ip's values and types. */
static const char *const link_fields[] = {
	"ifindex", "ifname", "flags", "mtu", "qdisc", "operstate", "group",
	"txqlen", "link_type", "address", "broadcast", "link", "link_index",
	"link_netnsid", "master", NULL,
};
static const char *const addr_fields[] = {
	"family", "local", "address", "prefixlen", "broadcast", "scope",
	"label", "secondary", "temporary", "nodad", "optimistic", "dadfailed",
	"home", "deprecated", "tentative", "dynamic", "mngtmpaddr",
	"noprefixroute", "autojoin", "stable-privacy", NULL,
};

static void compare_fields(const char *where, json_t *ours, json_t *ips,
			   const char *const *fields)
{
	size_t k;

	for (k = 0; fields[k]; k++) {
		json_t *a = json_object_get(ours, fields[k]);
		json_t *b = json_object_get(ips, fields[k]);
		char *sa, *sb;

		if (!a && !b)
			continue;
		if (a && b && json_equal(a, b) &&
		    json_typeof(a) == json_typeof(b))
			continue;
		sa = a ? json_dumps(a, JSON_ENCODE_ANY) : NULL;
		sb = b ? json_dumps(b, JSON_ENCODE_ANY) : NULL;
		fail_msg("%s.%s: netjoin %s, ip %s", where, fields[k],
			 sa ? sa : "<absent>", sb ? sb : "<absent>");
	}
}

static void compare_lifetime(const char *where, json_t *ours, json_t *ips,
			     const char *key)
{
	json_int_t a = json_integer_value(json_object_get(ours, key));
	json_int_t b = json_integer_value(json_object_get(ips, key));

	assert_true(json_is_integer(json_object_get(ours, key)));
	if (a == b)
		return;
	/* finite lifetimes tick between the recording and ip's listing */
	if (a == 4294967295LL || b == 4294967295LL || a - b > 5 || b - a > 5)
		fail_msg("%s.%s: netjoin %lld, ip %lld", where, key,
			 (long long)a, (long long)b);
}

static void test_recorded_json(void **state)
{
	struct nj_dump d;
	json_error_t err;
	json_t *ours, *ip, *ifs;
	size_t i, k;

	(void)state;
	decode_fixture(&d);
	ours = run_json(&d);
	ip = json_load_file(FIXTURES "/ip-j-addr.json", 0, &err);
	if (!ip)
		fail_msg("ip-j-addr.json: %s", err.text);
	ifs = json_object_get(ours, "interfaces");
	assert_int_equal(json_array_size(ifs), json_array_size(ip));
	for (i = 0; i < json_array_size(ip); i++) {
		json_t *a = json_array_get(ifs, i), *b = json_array_get(ip, i);
		json_t *aa = json_object_get(a, "addr_info");
		json_t *ba = json_object_get(b, "addr_info");
		char where[96];

		snprintf(where, sizeof(where), "interfaces[%zu]", i);
		compare_fields(where, a, b, link_fields);
		assert_int_equal(json_array_size(aa), json_array_size(ba));
		for (k = 0; k < json_array_size(ba); k++) {
			snprintf(where, sizeof(where), "interfaces[%zu].addr_info[%zu]",
				 i, k);
			compare_fields(where, json_array_get(aa, k),
				       json_array_get(ba, k), addr_fields);
			compare_lifetime(where, json_array_get(aa, k),
					 json_array_get(ba, k), "valid_life_time");
			compare_lifetime(where, json_array_get(aa, k),
					 json_array_get(ba, k),
					 "preferred_life_time");
		}
	}
	json_decref(ours);
	json_decref(ip);
	nj_dump_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_brief),
		cmocka_unit_test(test_recorded_json),
	};

	return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
