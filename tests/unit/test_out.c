/* The writers (out.h) through open_memstream: JSON string escaping, and
 * the JSON, brief and text listings of a hand-built dump. The names they
 * use are in test_names.c; the recorded dump against ip in test_replay.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <cmocka.h>
#include <jansson.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include "fixtures.h"
#include "netjoin/out.h"

/* from <linux/if.h>, which clashes with <net/if.h> */
#define LOWER_UP 0x10000
#define OPER_UNKNOWN 0
#define OPER_DOWN 2
#define OPER_UP 6

#define INODE 4026531992ULL

static char *json_str(const char *s)
{
	struct mem m;

	out_json_str(mem_open(&m), s);
	return mem_close(&m);
}

static void assert_json_str(const char *in, const char *want)
{
	char *got = json_str(in);

	if (strcmp(got, want))
		fail_msg("out_json_str: got %s, expected %s", got, want);
	free(got);
}

static void test_json_str(void **state)
{
	(void)state;
	assert_json_str("eth0", "\"eth0\"");
	assert_json_str("", "\"\"");
	assert_json_str("a\"b", "\"a\\\"b\"");
	assert_json_str("a\\b", "\"a\\\\b\"");
	assert_json_str("a\nb", "\"a\\nb\"");
	assert_json_str("a\tb", "\"a\\tb\"");
	assert_json_str("\r\b\f", "\"\\r\\b\\f\"");
	assert_json_str("\x01", "\"\\u0001\"");
	assert_json_str("\x1f", "\"\\u001f\"");
	assert_json_str("\x7f", "\"\\u007f\"");
	/* valid UTF-8 is kept as it is */
	assert_json_str("\xc3\xa9", "\"\xc3\xa9\"");
	assert_json_str("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	assert_json_str("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	/* bytes that are not UTF-8 become \u00XX, one each */
	assert_json_str("\xff", "\"\\u00ff\"");
	assert_json_str("a\xff" "b", "\"a\\u00ffb\"");
	assert_json_str("\xc3", "\"\\u00c3\"");           /* cut sequence */
	assert_json_str("\xc3(", "\"\\u00c3(\"");
	assert_json_str("\xc0\x80", "\"\\u00c0\\u0080\""); /* overlong NUL */
	assert_json_str("\xe0\x80\xaf", "\"\\u00e0\\u0080\\u00af\"");
	assert_json_str("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\""); /* surrogate */
	assert_json_str("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"");
	assert_json_str("\xe2\x82", "\"\\u00e2\\u0082\"");
}

/* Whatever the bytes, the output is JSON that decodes to a string. */
static void test_json_str_parses(void **state)
{
	char in[4];
	unsigned a, b;

	(void)state;
	for (a = 1; a < 256; a++) {
		for (b = 0; b < 256; b += 17) {
			json_error_t err;
			json_t *j;
			char *out;

			in[0] = (char)a;
			in[1] = (char)b;
			in[2] = 'x';
			in[3] = '\0';
			out = json_str(in);
			j = json_loads(out, JSON_DECODE_ANY, &err);
			if (!json_is_string(j))
				fail_msg("bytes %02x %02x: %s is not a JSON string: %s",
					 a, b, out, err.text);
			json_decref(j);
			free(out);
		}
	}
}

/* --- a hand-built dump --- */

static struct nj_link *link_(struct nj_dump *d, int32_t ifindex,
			     const char *name, uint16_t type, uint32_t flags,
			     uint8_t operstate)
{
	struct nj_link *l = nj_dump_new_link(d);

	assert_non_null(l);
	l->ifindex = ifindex;
	snprintf(l->ifname, sizeof(l->ifname), "%s", name);
	l->type = type;
	l->flags = flags;
	l->has_operstate = true;
	l->operstate = operstate;
	l->has_mtu = true;
	l->mtu = 1500;
	return l;
}

static void mac(struct nj_link *l, const char *addr, const char *brd)
{
	unsigned v[6];
	int i;

	assert_int_equal(sscanf(addr, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2],
				&v[3], &v[4], &v[5]), 6);
	for (i = 0; i < 6; i++)
		l->addr[i] = (uint8_t)v[i];
	l->addr_len = 6;
	assert_int_equal(sscanf(brd, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2],
				&v[3], &v[4], &v[5]), 6);
	for (i = 0; i < 6; i++)
		l->brd[i] = (uint8_t)v[i];
	l->brd_len = 6;
}

static struct nj_addr *addr_(struct nj_dump *d, int32_t ifindex,
			     const char *local, uint8_t prefixlen,
			     uint8_t scope, uint32_t flags)
{
	struct nj_addr *a = nj_dump_new_addr(d);
	int af = strchr(local, ':') ? AF_INET6 : AF_INET;

	assert_non_null(a);
	a->ifindex = ifindex;
	a->family = (uint8_t)af;
	a->prefixlen = prefixlen;
	a->scope = scope;
	a->flags = flags;
	assert_int_equal(inet_pton(af, local, a->local), 1);
	memcpy(a->address, a->local, 16);
	a->has_local = a->has_address = true;
	a->has_cacheinfo = true;
	a->valid_lft = a->preferred_lft = 0xffffffffu;
	return a;
}

/*   1 lo        loopback, 127.0.0.1/8 "lo", ::1/128
 *   2 eth0      veth whose peer (ifindex 9) is in netns 0;
 *               10.0.0.5/24 brd 10.0.0.255 "eth0" dynamic 3600/1800,
 *               10.0.0.6/24 secondary "eth0:1", 2001:db8::5/64 temporary
 *               dynamic, fe80::a8bb:ccff:fedd:eeff/64
 *   3 br0       bridge, UP without carrier
 *   4 vb0       veth to vb1 in this netns, enslaved to br0
 *   5 vb1       veth to vb0, down
 *   7 tun0      point-to-point, link 0, 10.9.0.1 peer 10.9.0.2/32
 * and an address of ifindex 99, which does not exist. */
static void build_dump(struct nj_dump *d)
{
	const uint32_t up = IFF_BROADCAST | IFF_MULTICAST | IFF_UP |
			    IFF_RUNNING | LOWER_UP;
	struct nj_link *l;
	struct nj_addr *a;

	memset(d, 0, sizeof(*d));
	l = link_(d, 1, "lo", ARPHRD_LOOPBACK,
		  IFF_LOOPBACK | IFF_UP | IFF_RUNNING | LOWER_UP, OPER_UNKNOWN);
	l->mtu = 65536;
	mac(l, "00:00:00:00:00:00", "00:00:00:00:00:00");
	l->has_txqlen = true;
	l->txqlen = 1000;
	snprintf(l->qdisc, sizeof(l->qdisc), "noqueue");

	l = link_(d, 2, "eth0", ARPHRD_ETHER, up, OPER_UP);
	mac(l, "aa:bb:cc:dd:ee:ff", "ff:ff:ff:ff:ff:ff");
	l->has_link = l->has_link_netnsid = true;
	l->link = 9;
	l->link_netnsid = 0;
	l->has_group = true;
	l->has_txqlen = true;
	l->txqlen = 1000;
	snprintf(l->qdisc, sizeof(l->qdisc), "noqueue");
	snprintf(l->kind, sizeof(l->kind), "veth");

	l = link_(d, 3, "br0", ARPHRD_ETHER,
		  IFF_BROADCAST | IFF_MULTICAST | IFF_UP, OPER_DOWN);
	mac(l, "02:00:00:00:00:10", "ff:ff:ff:ff:ff:ff");
	snprintf(l->kind, sizeof(l->kind), "bridge");
	l->has_txqlen = true; /* qlen 0: ip prints none */

	l = link_(d, 4, "vb0", ARPHRD_ETHER, up, OPER_UP);
	mac(l, "02:00:00:00:00:11", "ff:ff:ff:ff:ff:ff");
	l->has_link = true;
	l->link = 5;
	l->has_master = true;
	l->master = 3;
	snprintf(l->kind, sizeof(l->kind), "veth");
	snprintf(l->slave_kind, sizeof(l->slave_kind), "bridge");

	l = link_(d, 5, "vb1", ARPHRD_ETHER, IFF_BROADCAST | IFF_MULTICAST,
		  OPER_DOWN);
	mac(l, "02:00:00:00:00:12", "ff:ff:ff:ff:ff:ff");
	l->has_link = true;
	l->link = 4;
	snprintf(l->kind, sizeof(l->kind), "veth");

	l = link_(d, 7, "tun0", ARPHRD_NONE,
		  IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST | IFF_UP |
			  IFF_RUNNING | LOWER_UP,
		  OPER_UNKNOWN);
	l->has_link = true;
	l->link = 0;

	/* IPv4 of every link, then IPv6, as the kernel dumps them */
	a = addr_(d, 1, "127.0.0.1", 8, RT_SCOPE_HOST, IFA_F_PERMANENT);
	a->has_label = true;
	snprintf(a->label, sizeof(a->label), "lo");
	a = addr_(d, 2, "10.0.0.5", 24, RT_SCOPE_UNIVERSE, 0);
	a->has_label = a->has_broadcast = true;
	snprintf(a->label, sizeof(a->label), "eth0");
	inet_pton(AF_INET, "10.0.0.255", a->broadcast);
	a->valid_lft = 3600;
	a->preferred_lft = 1800;
	a = addr_(d, 2, "10.0.0.6", 24, RT_SCOPE_UNIVERSE,
		  IFA_F_PERMANENT | IFA_F_SECONDARY);
	a->has_label = true;
	snprintf(a->label, sizeof(a->label), "eth0:1");
	a = addr_(d, 7, "10.9.0.1", 32, RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	inet_pton(AF_INET, "10.9.0.2", a->address);
	addr_(d, 99, "192.0.2.99", 24, RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	addr_(d, 1, "::1", 128, RT_SCOPE_HOST, IFA_F_PERMANENT);
	a = addr_(d, 2, "2001:db8::5", 64, RT_SCOPE_UNIVERSE, IFA_F_SECONDARY);
	a->valid_lft = 86400;
	a->preferred_lft = 14400;
	addr_(d, 2, "fe80::a8bb:ccff:fedd:eeff", 64, RT_SCOPE_LINK,
	      IFA_F_PERMANENT);
	assert_int_equal(nj_dump_finish(d), 0);
}

static void host_target(struct nj_target *t, struct out_target *ot)
{
	target_init(t, "host");
	t->kind = "host";
	ot->t = t;
	ot->netns_inode = INODE;
}

static json_t *run_json(const struct nj_dump *d, const struct out_target *ot)
{
	struct out_opts o = { 0 };
	json_error_t err;
	struct mem m;
	json_t *j;
	char *s;

	out_json(mem_open(&m), ot, d, &o, NULL, 0);
	s = mem_close(&m);
	assert_true(m.len > 0);
	assert_int_equal(s[m.len - 1], '\n');
	j = json_loads(s, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("out_json wrote bad JSON (%s at %d): %s", err.text,
			 err.position, s);
	free(s);
	return j;
}

static void assert_jstr(json_t *obj, const char *key, const char *want)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		fail_msg("\"%s\" is not a string", key);
	if (strcmp(json_string_value(v), want))
		fail_msg("\"%s\": \"%s\", expected \"%s\"", key,
			 json_string_value(v), want);
}

static void assert_jint(json_t *obj, const char *key, json_int_t want)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v))
		fail_msg("\"%s\" is not an integer", key);
	assert_int_equal(json_integer_value(v), want);
}

static void assert_jtrue(json_t *obj, const char *key)
{
	if (!json_is_true(json_object_get(obj, key)))
		fail_msg("\"%s\" is not true", key);
}

static void assert_jabsent(json_t *obj, const char *key)
{
	if (json_object_get(obj, key))
		fail_msg("\"%s\" should be absent", key);
}

/* flags: a JSON array of exactly these strings, NULL-terminated list */
static void assert_jflags(json_t *obj, ...)
{
	json_t *arr = json_object_get(obj, "flags");
	const char *want;
	size_t i = 0;
	va_list ap;

	assert_true(json_is_array(arr));
	va_start(ap, obj);
	while ((want = va_arg(ap, const char *))) {
		json_t *v = json_array_get(arr, i++);

		if (!json_is_string(v) || strcmp(json_string_value(v), want))
			fail_msg("flags[%zu]: %s, expected %s", i - 1,
				 json_is_string(v) ? json_string_value(v) : "?",
				 want);
	}
	va_end(ap);
	assert_int_equal(json_array_size(arr), i);
}

static void test_json(void **state)
{
	struct nj_target t;
	struct out_target ot;
	struct nj_dump d;
	json_t *j, *tgt, *ifs, *i, *ai, *a;

	(void)state;
	build_dump(&d);
	host_target(&t, &ot);
	j = run_json(&d, &ot);

	tgt = json_object_get(j, "target");
	assert_true(json_is_object(tgt));
	assert_jstr(tgt, "spec", "host");
	assert_jstr(tgt, "kind", "host");
	assert_jstr(tgt, "joined", "none");
	assert_jstr(tgt, "netns", "net:[4026531992]");
	assert_jint(tgt, "netns_inode", (json_int_t)INODE);
	assert_jabsent(tgt, "pid");
	assert_jabsent(tgt, "runtime");

	ifs = json_object_get(j, "interfaces");
	assert_true(json_is_array(ifs));
	assert_int_equal(json_array_size(ifs), 6);

	/* lo */
	i = json_array_get(ifs, 0);
	assert_jint(i, "ifindex", 1);
	assert_jstr(i, "ifname", "lo");
	assert_jflags(i, "LOOPBACK", "UP", "LOWER_UP", NULL);
	assert_jint(i, "mtu", 65536);
	assert_jstr(i, "qdisc", "noqueue");
	assert_jstr(i, "operstate", "UNKNOWN");
	assert_jint(i, "txqlen", 1000);
	assert_jstr(i, "link_type", "loopback");
	assert_jstr(i, "address", "00:00:00:00:00:00");
	assert_jstr(i, "broadcast", "00:00:00:00:00:00");
	assert_jabsent(i, "link");
	assert_jabsent(i, "group");
	assert_jabsent(i, "linkinfo");
	ai = json_object_get(i, "addr_info");
	assert_int_equal(json_array_size(ai), 2);
	a = json_array_get(ai, 0);
	assert_jstr(a, "family", "inet");
	assert_jstr(a, "local", "127.0.0.1");
	assert_jint(a, "prefixlen", 8);
	assert_jstr(a, "scope", "host");
	assert_jstr(a, "label", "lo");
	assert_jint(a, "valid_life_time", 4294967295LL);
	assert_jint(a, "preferred_life_time", 4294967295LL);
	assert_jabsent(a, "dynamic");
	assert_jabsent(a, "address");
	a = json_array_get(ai, 1);
	assert_jstr(a, "family", "inet6");
	assert_jstr(a, "local", "::1");
	assert_jint(a, "prefixlen", 128);
	assert_jabsent(a, "label");

	/* eth0: peer in another namespace */
	i = json_array_get(ifs, 1);
	assert_jint(i, "ifindex", 2);
	assert_jstr(i, "ifname", "eth0");
	assert_jint(i, "link_index", 9);
	assert_jint(i, "link_netnsid", 0);
	assert_jabsent(i, "link");
	assert_jflags(i, "BROADCAST", "MULTICAST", "UP", "LOWER_UP", NULL);
	assert_jint(i, "mtu", 1500);
	assert_jstr(i, "operstate", "UP");
	assert_jstr(i, "group", "default");
	assert_jstr(i, "link_type", "ether");
	assert_jstr(i, "address", "aa:bb:cc:dd:ee:ff");
	assert_jstr(i, "broadcast", "ff:ff:ff:ff:ff:ff");
	assert_jabsent(i, "master");
	assert_jstr(json_object_get(i, "linkinfo"), "info_kind", "veth");
	ai = json_object_get(i, "addr_info");
	assert_int_equal(json_array_size(ai), 4);
	a = json_array_get(ai, 0);
	assert_jstr(a, "family", "inet");
	assert_jstr(a, "local", "10.0.0.5");
	assert_jint(a, "prefixlen", 24);
	assert_jstr(a, "broadcast", "10.0.0.255");
	assert_jstr(a, "scope", "global");
	assert_jtrue(a, "dynamic");
	assert_jabsent(a, "secondary");
	assert_jstr(a, "label", "eth0");
	assert_jint(a, "valid_life_time", 3600);
	assert_jint(a, "preferred_life_time", 1800);
	a = json_array_get(ai, 1);
	assert_jstr(a, "local", "10.0.0.6");
	assert_jtrue(a, "secondary");
	assert_jabsent(a, "dynamic");
	assert_jabsent(a, "temporary");
	assert_jstr(a, "label", "eth0:1");
	a = json_array_get(ai, 2);
	assert_jstr(a, "family", "inet6");
	assert_jstr(a, "local", "2001:db8::5");
	assert_jint(a, "prefixlen", 64);
	assert_jstr(a, "scope", "global");
	assert_jtrue(a, "temporary");
	assert_jtrue(a, "dynamic");
	assert_jabsent(a, "secondary");
	assert_jint(a, "valid_life_time", 86400);
	assert_jint(a, "preferred_life_time", 14400);
	a = json_array_get(ai, 3);
	assert_jstr(a, "local", "fe80::a8bb:ccff:fedd:eeff");
	assert_jstr(a, "scope", "link");

	/* br0: up, no carrier */
	i = json_array_get(ifs, 2);
	assert_jstr(i, "ifname", "br0");
	assert_jflags(i, "NO-CARRIER", "BROADCAST", "MULTICAST", "UP", NULL);
	assert_jstr(i, "operstate", "DOWN");
	assert_jabsent(i, "txqlen");
	assert_jstr(json_object_get(i, "linkinfo"), "info_kind", "bridge");
	assert_int_equal(json_array_size(json_object_get(i, "addr_info")), 0);

	/* vb0: same-namespace peer by name, its peer down, a master */
	i = json_array_get(ifs, 3);
	assert_jstr(i, "ifname", "vb0");
	assert_jstr(i, "link", "vb1");
	assert_jabsent(i, "link_index");
	assert_jabsent(i, "link_netnsid");
	assert_jstr(i, "master", "br0");
	assert_jflags(i, "BROADCAST", "MULTICAST", "UP", "LOWER_UP", "M-DOWN",
		      NULL);
	assert_jstr(json_object_get(i, "linkinfo"), "info_kind", "veth");
	assert_jstr(json_object_get(i, "linkinfo"), "info_slave_kind", "bridge");

	/* vb1: down */
	i = json_array_get(ifs, 4);
	assert_jstr(i, "link", "vb0");
	assert_jflags(i, "BROADCAST", "MULTICAST", NULL);
	assert_jstr(i, "operstate", "DOWN");

	/* tun0: "link": null, no hardware address, a peer address */
	i = json_array_get(ifs, 5);
	assert_jstr(i, "ifname", "tun0");
	assert_true(json_is_null(json_object_get(i, "link")));
	assert_jflags(i, "POINTOPOINT", "MULTICAST", "NOARP", "UP", "LOWER_UP",
		      NULL);
	assert_jstr(i, "link_type", "none");
	assert_jabsent(i, "address");
	assert_jabsent(i, "broadcast");
	ai = json_object_get(i, "addr_info");
	assert_int_equal(json_array_size(ai), 1);
	a = json_array_get(ai, 0);
	assert_jstr(a, "local", "10.9.0.1");
	assert_jstr(a, "address", "10.9.0.2");
	assert_jint(a, "prefixlen", 32);

	json_decref(j);
	nj_dump_free(&d);
}

static void test_json_target(void **state)
{
	struct nj_target t;
	struct out_target ot;
	struct nj_dump d = { 0 };
	json_t *j, *tgt;

	(void)state;
	assert_int_equal(nj_dump_finish(&d), 0);
	target_init(&t, "docker:we\"b");
	t.kind = "docker";
	t.runtime = "docker";
	snprintf(t.id, sizeof(t.id), "3f4e5d6c7b8a9f0e");
	snprintf(t.name, sizeof(t.name), "we\"b");
	t.pid = 4242;
	snprintf(t.network_mode, sizeof(t.network_mode), "default");
	t.handle = NJ_HANDLE_PIDFD;
	ot.t = &t;
	ot.netns_inode = 4026532561ULL;
	j = run_json(&d, &ot);
	tgt = json_object_get(j, "target");
	assert_jstr(tgt, "spec", "docker:we\"b");
	assert_jstr(tgt, "kind", "docker");
	assert_jstr(tgt, "runtime", "docker");
	assert_jstr(tgt, "id", "3f4e5d6c7b8a9f0e");
	assert_jstr(tgt, "name", "we\"b");
	assert_jint(tgt, "pid", 4242);
	assert_jstr(tgt, "network_mode", "default");
	assert_jstr(tgt, "joined", "pidfd");
	assert_jstr(tgt, "netns", "net:[4026532561]");
	assert_int_equal(json_array_size(json_object_get(j, "interfaces")), 0);
	json_decref(j);
	nj_dump_free(&d);
}

static void test_brief(void **state)
{
	static const char want[] =
		"lo               UNKNOWN        127.0.0.1/8 ::1/128 \n"
		"eth0@if9         UP             10.0.0.5/24 10.0.0.6/24 "
		"2001:db8::5/64 fe80::a8bb:ccff:fedd:eeff/64 \n"
		"br0              DOWN           \n"
		"vb0@vb1          UP             \n"
		"vb1@vb0          DOWN           \n"
		"tun0@NONE        UNKNOWN        10.9.0.1 peer 10.9.0.2/32 \n";
	struct nj_dump d;
	struct mem m;
	char *s;

	(void)state;
	build_dump(&d);
	out_brief(mem_open(&m), &d);
	s = mem_close(&m);
	if (strcmp(s, want))
		fail_msg("out_brief wrote:\n%s\nexpected:\n%s", s, want);
	free(s);
	nj_dump_free(&d);
}

/* The first line of out_text. */
static char *text_header(const struct out_target *ot, const struct nj_dump *d,
			 int details)
{
	struct out_opts o = { .details = details };
	struct mem m;
	char *s, *nl;

	out_text(mem_open(&m), ot, d, &o, NULL, 0);
	s = mem_close(&m);
	nl = strchr(s, '\n');
	assert_non_null(nl);
	*nl = '\0';
	return s;
}

static void test_text(void **state)
{
	struct nj_target t;
	struct out_target ot;
	struct out_opts o = { .details = 1 };
	struct nj_dump d;
	struct mem m;
	char *s;

	(void)state;
	build_dump(&d);
	host_target(&t, &ot);
	s = text_header(&ot, &d, 0);
	assert_non_null(strstr(s, "net:[4026531992]"));
	assert_string_equal(s, "host net:[4026531992]");
	free(s);

	/* the listing under it */
	out_text(mem_open(&m), &ot, &d, &o, NULL, 0);
	s = mem_close(&m);
	assert_non_null(strstr(s, "\n1: lo "));
	assert_non_null(strstr(s, "\n2: eth0@if9 "));
	assert_non_null(strstr(s, " aa:bb:cc:dd:ee:ff "));
	assert_non_null(strstr(s, " mtu 1500"));
	assert_non_null(strstr(s, "    inet  10.0.0.5/24 brd 10.0.0.255 scope "
				  "global dynamic label eth0 valid_lft 3600sec "
				  "preferred_lft 1800sec\n"));
	assert_non_null(strstr(s, "    inet  10.0.0.6/24 scope global "
				  "secondary label eth0:1 valid_lft forever "
				  "preferred_lft forever\n"));
	assert_non_null(strstr(s, "    inet6 2001:db8::5/64 scope global "
				  "temporary dynamic valid_lft 86400sec "
				  "preferred_lft 14400sec\n"));
	assert_non_null(strstr(s, "    inet  10.9.0.1 peer 10.9.0.2/32 scope "
				  "global"));
	assert_non_null(strstr(s, "<BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> "
				  "veth master br0"));
	assert_non_null(strstr(s, " link-netnsid 0"));
	/* the address of the unknown ifindex 99 is not listed */
	assert_null(strstr(s, "192.0.2.99"));
	free(s);
	nj_dump_free(&d);
}

static void test_text_headers(void **state)
{
	struct nj_target t;
	struct out_target ot = { &t, 4026532561ULL };
	struct nj_dump d = { 0 };
	char *s;

	(void)state;
	assert_int_equal(nj_dump_finish(&d), 0);

	target_init(&t, "docker:web");
	t.kind = "docker";
	t.runtime = "docker";
	snprintf(t.name, sizeof(t.name), "web");
	snprintf(t.id, sizeof(t.id), "3f4e5d6c7b8a9f0e1d2c3b4a");
	t.pid = 4242;
	s = text_header(&ot, &d, 0);
	assert_string_equal(s, "docker web 3f4e5d6c7b8a pid 4242 net:[4026532561]");
	free(s);

	snprintf(t.note, sizeof(t.note), "host network mode");
	s = text_header(&ot, &d, 0);
	assert_string_equal(s, "docker web 3f4e5d6c7b8a pid 4242 net:[4026532561] "
			       "(host network mode)");
	free(s);

	target_init(&t, "pid:4242");
	t.kind = "pid";
	t.pid = 4242;
	snprintf(t.name, sizeof(t.name), "sleep");
	s = text_header(&ot, &d, 0);
	assert_string_equal(s, "pid 4242 (sleep) net:[4026532561]");
	free(s);

	target_init(&t, "netns:blue");
	t.kind = "netns";
	snprintf(t.name, sizeof(t.name), "blue");
	s = text_header(&ot, &d, 0);
	assert_string_equal(s, "netns blue net:[4026532561]");
	free(s);

	target_init(&t, "/run/netns/x");
	t.kind = "netns";
	snprintf(t.path, sizeof(t.path), "/run/netns/x");
	s = text_header(&ot, &d, 0);
	assert_string_equal(s, "netns /run/netns/x net:[4026532561]");
	free(s);
	nj_dump_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_json_str_parses),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_target),
		cmocka_unit_test(test_brief),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_headers),
	};

	return cmocka_run_group_tests_name("out", tests, NULL, NULL);
}
