/* Sockets (sock.h): netlink_decode_sock on recorded NETLINK_SOCK_DIAG dumps
 * (tests/fixtures/sock-*.nl, see sock-README.md), whole, cut short and
 * broken by hand; the text writer against what ss printed for the same
 * namespace; the JSON writer read back with jansson; the /proc parsers,
 * sockowners_fill_at over a made-up /proc and sockowners_fill over the real one;
 * and one live dump of this process's own sockets. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <jansson.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include "fixtures.h"
#include "netjoin/jw.h"
#include "netjoin/model.h"
#include "netjoin/nl.h"
#include "netjoin/out.h"
#include "netjoin/out_sock.h"
#include "netjoin/sockowners.h"
#include "netjoin/sock.h"

#define ESTAB 1
#define UNCONN 7 /* TCP_CLOSE */
#define LISTEN 10
#define V6ONLY_NO 0  /* INET_DIAG_SKV6ONLY sent, 0 */
#define V6ONLY_YES 1 /* sent, 1 */
#define V6ONLY_NONE 2 /* not sent (IPv4, or not LISTEN/CLOSE) */

/* What `ss -tuane` showed when the dumps were recorded
 * (tests/fixtures/sock-ss-tuane.txt), in ss's order, which is the order of
 * the recordings: udp4, udp6, tcp4, tcp6. ifindexes from
 * sock-ip-link.txt: 1 lo, 3 e0. */
static const struct exp_sock {
	const char *file;
	uint8_t protocol, state;
	const char *local;
	uint16_t lport;
	const char *peer;
	uint16_t pport;
	uint32_t ifindex, rq, wq, uid, inode;
	int v6only;
} exp_socks[] = {
	{ "sock-udp4.nl", IPPROTO_UDP, UNCONN, "0.0.0.0", 5353, "0.0.0.0", 0,
	  0, 0, 0, 0, 277794, V6ONLY_NONE },
	{ "sock-udp4.nl", IPPROTO_UDP, UNCONN, "127.0.0.1", 5354, "0.0.0.0", 0,
	  0, 832, 0, 0, 277795, V6ONLY_NONE },
	{ "sock-udp4.nl", IPPROTO_UDP, ESTAB, "127.0.0.1", 5358, "127.0.0.1",
	  5354, 0, 0, 0, 0, 277800, V6ONLY_NONE },
	{ "sock-udp4.nl", IPPROTO_UDP, UNCONN, "127.0.0.1", 5359, "0.0.0.0", 0,
	  0, 0, 0, 65534, 277779, V6ONLY_NONE },
	{ "sock-udp6.nl", IPPROTO_UDP, UNCONN, "::", 5355, "::", 0,
	  0, 0, 0, 0, 277796, V6ONLY_NO },
	{ "sock-udp6.nl", IPPROTO_UDP, UNCONN, "::1", 5356, "::", 0,
	  0, 0, 0, 0, 277797, V6ONLY_YES },
	{ "sock-udp6.nl", IPPROTO_UDP, UNCONN, "fe80::1", 5357, "::", 0,
	  3, 0, 0, 0, 277798, V6ONLY_YES },
	{ "sock-tcp4.nl", IPPROTO_TCP, LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0,
	  0, 0, 16, 0, 277783, V6ONLY_NONE },
	{ "sock-tcp4.nl", IPPROTO_TCP, LISTEN, "0.0.0.0", 8081, "0.0.0.0", 0,
	  0, 1, 5, 0, 277784, V6ONLY_NONE },
	{ "sock-tcp4.nl", IPPROTO_TCP, LISTEN, "0.0.0.0", 8085, "0.0.0.0", 0,
	  1, 0, 1, 0, 277788, V6ONLY_NONE },
	{ "sock-tcp4.nl", IPPROTO_TCP, ESTAB, "127.0.0.1", 8080, "127.0.0.1",
	  40080, 0, 5, 0, 0, 277790, V6ONLY_NONE },
	{ "sock-tcp4.nl", IPPROTO_TCP, ESTAB, "127.0.0.1", 51892, "127.0.0.1",
	  8081, 0, 0, 0, 0, 277793, V6ONLY_NONE },
	/* in 8081's accept queue: no file yet, inode 0 */
	{ "sock-tcp4.nl", IPPROTO_TCP, ESTAB, "127.0.0.1", 8081, "127.0.0.1",
	  51892, 0, 0, 0, 0, 0, V6ONLY_NONE },
	{ "sock-tcp4.nl", IPPROTO_TCP, ESTAB, "127.0.0.1", 40080, "127.0.0.1",
	  8080, 0, 0, 0, 0, 277789, V6ONLY_NONE },
	{ "sock-tcp6.nl", IPPROTO_TCP, LISTEN, "::1", 8084, "::", 0,
	  0, 0, 3, 0, 277787, V6ONLY_YES },
	{ "sock-tcp6.nl", IPPROTO_TCP, LISTEN, "::", 8083, "::", 0,
	  0, 0, 7, 0, 277786, V6ONLY_YES },
	{ "sock-tcp6.nl", IPPROTO_TCP, LISTEN, "::", 8082, "::", 0,
	  0, 0, 128, 0, 277785, V6ONLY_NO },
	{ "sock-tcp6.nl", IPPROTO_TCP, ESTAB, "::1", 8084, "::1", 55286,
	  0, 0, 0, 0, 277792, V6ONLY_NONE },
	{ "sock-tcp6.nl", IPPROTO_TCP, ESTAB, "::1", 55286, "::1", 8084,
	  0, 0, 0, 0, 277791, V6ONLY_NONE },
};
#define NSOCKS (sizeof(exp_socks) / sizeof(exp_socks[0]))

static const struct {
	const char *file;
	uint8_t protocol;
} recordings[] = {
	{ "sock-udp4.nl", IPPROTO_UDP },
	{ "sock-udp6.nl", IPPROTO_UDP },
	{ "sock-tcp4.nl", IPPROTO_TCP },
	{ "sock-tcp6.nl", IPPROTO_TCP },
};
#define NRECORDINGS (sizeof(recordings) / sizeof(recordings[0]))

/* Decode from an exact-size copy, so ASan sees any read past the end. */
static int decode(const struct nlmsghdr *nlh, uint8_t protocol,
		  struct nj_sock *sk)
{
	void *p = dup_exact(nlh, nlh->nlmsg_len);
	int r = netlink_decode_sock(p, protocol, sk);

	free(p);
	return r;
}

/* Every recording decoded, in order, into s. */
static void decode_all(struct nj_socks *s)
{
	const struct nlmsghdr *msgs[64];
	struct nj_sock sk;
	size_t i, j, n;

	for (i = 0; i < NRECORDINGS; i++) {
		struct fixture fx = fixture_read(recordings[i].file);

		n = nlmsg_collect(&fx, msgs, 64);
		for (j = 0; j + 1 < n; j++) { /* the last is NLMSG_DONE */
			assert_int_equal(decode(msgs[j], recordings[i].protocol,
						&sk), 0);
			assert_int_equal(nj_socks_push(s, &sk), 0);
		}
		fixture_free(&fx);
	}
}

static void assert_ip(int af, const uint8_t *got, const char *want)
{
	uint8_t w[16];
	char buf[INET6_ADDRSTRLEN];

	assert_int_equal(inet_pton(af, want, w), 1);
	if (memcmp(got, w, af == AF_INET ? 4 : 16))
		fail_msg("address %s, expected %s",
			 inet_ntop(af, got, buf, sizeof(buf)), want);
}

static void test_recorded(void **state)
{
	struct nj_socks s = { 0 };
	size_t i;

	(void)state;
	decode_all(&s);
	assert_int_equal(s.n, NSOCKS);
	for (i = 0; i < NSOCKS; i++) {
		const struct exp_sock *x = &exp_socks[i];
		const struct nj_sock *sk = &s.v[i];
		int af = strchr(x->local, ':') ? AF_INET6 : AF_INET;

		assert_int_equal(sk->protocol, x->protocol);
		assert_int_equal(sk->family, af);
		assert_int_equal(sk->state, x->state);
		assert_ip(af, sk->local, x->local);
		assert_int_equal(sk->lport, x->lport);
		assert_ip(af, sk->peer, x->peer);
		assert_int_equal(sk->pport, x->pport);
		assert_int_equal(sk->ifindex, x->ifindex);
		assert_int_equal(sk->rqueue, x->rq);
		assert_int_equal(sk->wqueue, x->wq);
		assert_int_equal(sk->uid, x->uid);
		assert_int_equal(sk->inode, x->inode);
		assert_int_equal(sk->has_v6only, x->v6only != V6ONLY_NONE);
		assert_int_equal(sk->v6only, x->v6only == V6ONLY_YES);
		assert_null(sk->owners);
		assert_int_equal(sk->nowners, 0);
	}
	nj_socks_free(&s);
	nj_socks_free(&s); /* empty: fine */
	nj_socks_free(NULL);
}

/* The links of the recorded namespace, for interface names. */
static void recorded_links(struct nj_dump *d)
{
	static const struct {
		int32_t ifindex;
		const char *name;
	} ls[] = { { 1, "lo" }, { 2, "e1" }, { 3, "e0" } };
	struct nj_link *l;
	size_t i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < sizeof(ls) / sizeof(ls[0]); i++) {
		l = nj_dump_new_link(d);
		assert_non_null(l);
		l->ifindex = ls[i].ifindex;
		snprintf(l->ifname, sizeof(l->ifname), "%s", ls[i].name);
	}
	assert_int_equal(nj_dump_finish(d), 0);
}

/* The next line of *p split on blanks into at most max words; how many. */
static size_t next_words(char **p, char **w, size_t max)
{
	char *line = *p, *nl, *save = NULL, *t;
	size_t n = 0;

	if (!*line)
		return (size_t)-1;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	for (t = strtok_r(line, " ", &save); t && n < max;
	     t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	return n;
}

/* out_sockets_text of the sockets pick() keeps, word for word against
 * ss's listing in file (its heading line skipped). */
static void compare_with_ss(const char *file, bool listening)
{
	struct fixture ss = fixture_read(file);
	struct nj_socks s = { 0 }, keep = { 0 };
	struct out_opts o = { 0 };
	struct nj_dump d;
	struct mem m;
	char *text, *p, *q, *ws[16], *wt[16];
	size_t i, ns, nt, lines = 0;

	decode_all(&s);
	for (i = 0; i < s.n; i++)
		if (!listening || s.v[i].state == LISTEN ||
		    s.v[i].state == UNCONN)
			assert_int_equal(nj_socks_push(&keep, &s.v[i]), 0);
	recorded_links(&d);
	out_sockets_text(mem_open(&m), &keep, &d, &o);
	text = mem_close(&m);
	assert_true(!strncmp(text, "sockets:\n", 9));
	p = ss.data;
	next_words(&p, ws, 16); /* Netid State Recv-Q ... */
	q = text + 9;
	for (;;) {
		ns = next_words(&p, ws, 16);
		nt = next_words(&q, wt, 16);
		if (ns == (size_t)-1 || nt == (size_t)-1) {
			assert_int_equal(ns, nt); /* both end here */
			break;
		}
		lines++;
		assert_int_equal(ns, nt);
		for (i = 0; i < ns; i++)
			if (strcmp(ws[i], wt[i]))
				fail_msg("%s line %zu word %zu: ss says '%s', "
					 "netjoin '%s'", file, lines, i + 1,
					 ws[i], wt[i]);
	}
	assert_int_equal(lines, keep.n);
	free(text);
	nj_socks_free(&keep);
	nj_socks_free(&s);
	nj_dump_free(&d);
	fixture_free(&ss);
}

static void test_text_like_ss(void **state)
{
	(void)state;
	compare_with_ss("sock-ss-tuan.txt", false);
}

/* ss -l is LISTEN and CLOSE: UDP's unconnected sockets, not its
 * connected one; what netlink_dump_sockets asks the kernel for. */
static void test_text_like_ss_listening(void **state)
{
	(void)state;
	compare_with_ss("sock-ss-tuln.txt", true);
}

static void owner(struct nj_sock *sk, int32_t pid, int32_t fd,
		  const char *comm)
{
	assert_int_equal(nj_sock_add_owner(sk, pid, fd, comm), 0);
}

/* Line n (from 0) of text, its newline replaced by a NUL. */
static char *nth_line(char *text, int n)
{
	char *nl;

	for (; n > 0; n--) {
		text = strchr(text, '\n');
		assert_non_null(text);
		text++;
	}
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	return text;
}

static void test_text_users_details(void **state)
{
	struct nj_socks s = { 0 };
	struct out_opts o = { .details = 1 };
	struct nj_dump d;
	struct mem m;
	char *text, *line;

	(void)state;
	decode_all(&s);
	recorded_links(&d);
	owner(&s.v[0], 42, 3, "python3");
	owner(&s.v[0], 43, 7, "a\nb\x7f");
	out_sockets_text(mem_open(&m), &s, &d, &o);
	text = mem_close(&m);
	line = nth_line(text, 1);
	if (!strstr(line, "0.0.0.0:*     users:((\"python3\",pid=42,fd=3),"
			  "(\"a\\x0ab\\x7f\",pid=43,fd=7)) ino:277794"))
		fail_msg("first line: '%s'", line);
	line = nth_line(line + strlen(line) + 1, 2); /* 4th: nobody's */
	if (!strstr(line, "0.0.0.0:*     uid:65534 ino:277779"))
		fail_msg("4th line: '%s'", line);
	free(text);
	/* the interface not in the dump: ss's "if<N>" */
	nj_dump_free(&d);
	memset(&d, 0, sizeof(d));
	out_sockets_text(mem_open(&m), &s, &d, &o);
	text = mem_close(&m);
	assert_non_null(strstr(text, " [fe80::1]%if3:5357 "));
	assert_non_null(strstr(text, " 0.0.0.0%if1:8085 "));
	free(text);
	nj_socks_free(&s);
}

/* out_sock_endpoint into a buffer of its own. */
static const char *ep(const struct nj_sock *sk, bool local)
{
	static char buf[96];

	return out_sock_endpoint(sk, local, NULL, buf, sizeof(buf));
}

static void test_names(void **state)
{
	struct nj_sock sk;
	char buf[96];

	(void)state;
	assert_string_equal(out_sock_netid(IPPROTO_TCP), "tcp");
	assert_string_equal(out_sock_netid(IPPROTO_UDP), "udp");
	assert_string_equal(out_sock_netid(IPPROTO_SCTP), "???");
	assert_string_equal(out_sock_state(0), "UNKNOWN");
	assert_string_equal(out_sock_state(1), "ESTAB");
	assert_string_equal(out_sock_state(2), "SYN-SENT");
	assert_string_equal(out_sock_state(3), "SYN-RECV");
	assert_string_equal(out_sock_state(4), "FIN-WAIT-1");
	assert_string_equal(out_sock_state(5), "FIN-WAIT-2");
	assert_string_equal(out_sock_state(6), "TIME-WAIT");
	assert_string_equal(out_sock_state(7), "UNCONN");
	assert_string_equal(out_sock_state(8), "CLOSE-WAIT");
	assert_string_equal(out_sock_state(9), "LAST-ACK");
	assert_string_equal(out_sock_state(10), "LISTEN");
	assert_string_equal(out_sock_state(11), "CLOSING");
	assert_string_equal(out_sock_state(12), "UNKNOWN"); /* NEW_SYN_RECV */
	assert_string_equal(out_sock_state(255), "UNKNOWN");

	memset(&sk, 0, sizeof(sk));
	sk.family = AF_INET6;
	sk.lport = 80;
	assert_string_equal(ep(&sk, true), "*:80");
	sk.v6only = true;
	assert_string_equal(ep(&sk, true), "[::]:80");
	assert_string_equal(ep(&sk, false), "[::]:*");
	assert_int_equal(inet_pton(AF_INET6, "::ffff:10.0.0.1", sk.peer), 1);
	sk.pport = 65535;
	assert_string_equal(ep(&sk, false), "[::ffff:10.0.0.1]:65535");
	sk.ifindex = 7; /* local only */
	assert_string_equal(ep(&sk, false), "[::ffff:10.0.0.1]:65535");
	assert_string_equal(ep(&sk, true), "[::]%if7:80");
	memset(&sk, 0, sizeof(sk));
	sk.family = AF_INET;
	assert_string_equal(ep(&sk, true), "0.0.0.0:*");
	/* a short buffer is cut, never overrun */
	assert_string_equal(out_sock_endpoint(&sk, true, NULL, buf, 4), "0.0");
}

/* --- JSON --- */

static json_t *json_of(const struct nj_socks *s, const struct nj_dump *d)
{
	json_error_t err;
	struct mem m;
	struct jw w;
	json_t *j;
	char *text;

	w = (struct jw)JW_INIT(mem_open(&m));
	jw_open(&w, NULL, '[');
	out_sockets_json(&w, s, d);
	jw_close(&w, ']');
	text = mem_close(&m);
	j = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("not JSON (%s): %s", err.text, text);
	free(text);
	return j;
}

static void assert_jstr(json_t *o, const char *key, const char *want)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v) || strcmp(json_string_value(v), want))
		fail_msg("\"%s\": expected \"%s\"", key, want);
}

static void assert_jint(json_t *o, const char *key, json_int_t want)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) != want)
		fail_msg("\"%s\": expected %lld", key, (long long)want);
}

/* Exactly these keys, no others. */
static void assert_keys(json_t *o, const char *const *keys)
{
	size_t n = 0;

	for (; keys[n]; n++)
		if (!json_object_get(o, keys[n]))
			fail_msg("no \"%s\"", keys[n]);
	assert_int_equal(json_object_size(o), n);
}

static void test_json(void **state)
{
	static const char *const base[] = { "netid", "state", "recv_q",
		"send_q", "local", "peer", "inode", "uid", "users", NULL };
	static const char *const v6[] = { "netid", "state", "recv_q",
		"send_q", "local", "peer", "v6only", "inode", "uid", "users",
		NULL };
	static const char *const epn[] = { "address", "port", NULL };
	static const char *const epif[] = { "address", "port", "interface",
					    NULL };
	static const char *const user[] = { "pid", "comm", "fd", NULL };
	struct nj_socks s = { 0 };
	struct nj_dump d;
	json_t *j, *e, *u, *lo, *pe;
	size_t i;

	(void)state;
	decode_all(&s);
	recorded_links(&d);
	owner(&s.v[1], 100, 4, "dns\"d\x01");
	owner(&s.v[1], 101, 5, "\xff");
	j = json_of(&s, &d);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), NSOCKS);
	for (i = 0; i < NSOCKS; i++) {
		const struct exp_sock *x = &exp_socks[i];

		e = json_array_get(j, i);
		lo = json_object_get(e, "local");
		pe = json_object_get(e, "peer");
		u = json_object_get(e, "users");
		assert_keys(e, x->v6only == V6ONLY_NONE ? base : v6);
		assert_jstr(e, "netid", out_sock_netid(x->protocol));
		assert_jstr(e, "state", out_sock_state(x->state));
		assert_jint(e, "recv_q", x->rq);
		assert_jint(e, "send_q", x->wq);
		assert_jint(e, "inode", x->inode);
		assert_jint(e, "uid", x->uid);
		assert_keys(lo, x->ifindex ? epif : epn);
		assert_jstr(lo, "address", x->local);
		assert_jint(lo, "port", x->lport);
		assert_keys(pe, epn);
		assert_jstr(pe, "address", x->peer);
		assert_jint(pe, "port", x->pport);
		if (x->v6only != V6ONLY_NONE)
			assert_int_equal(json_is_true(json_object_get(e,
								      "v6only")),
					 x->v6only == V6ONLY_YES);
		assert_true(json_is_array(u));
		if (i != 1)
			assert_int_equal(json_array_size(u), 0);
	}
	assert_jstr(json_object_get(json_array_get(j, 6), "local"), "interface",
		    "e0");
	assert_jstr(json_object_get(json_array_get(j, 9), "local"), "interface",
		    "lo");
	u = json_object_get(json_array_get(j, 1), "users");
	assert_int_equal(json_array_size(u), 2);
	assert_keys(json_array_get(u, 0), user);
	assert_jint(json_array_get(u, 0), "pid", 100);
	assert_jint(json_array_get(u, 0), "fd", 4);
	assert_jstr(json_array_get(u, 0), "comm", "dns\"d\x01");
	assert_jint(json_array_get(u, 1), "pid", 101);
	/* the byte 0xff, not UTF-8, is written \u00ff: U+00FF */
	assert_jstr(json_array_get(u, 1), "comm", "\xc3\xbf");
	json_decref(j);
	/* nothing at all: an empty array */
	nj_socks_free(&s);
	j = json_of(&s, &d);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	nj_dump_free(&d);
}

/* --- cuts and hand-made damage --- */

#ifdef __SANITIZE_ADDRESS__
#define CUT_SLACK 0 /* ASan reports a read past the cut */
#else
#define CUT_SLACK 4 /* bytes after the cut, filled with a poison byte */
#endif

static bool sock_eq(const struct nj_sock *a, const struct nj_sock *b)
{
	return a->protocol == b->protocol && a->family == b->family &&
	       a->state == b->state && a->has_v6only == b->has_v6only &&
	       a->v6only == b->v6only && !memcmp(a->local, b->local, 16) &&
	       !memcmp(a->peer, b->peer, 16) && a->lport == b->lport &&
	       a->pport == b->pport && a->ifindex == b->ifindex &&
	       a->inode == b->inode && a->uid == b->uid &&
	       a->rqueue == b->rqueue && a->wqueue == b->wqueue &&
	       !a->owners && !a->nowners && !b->owners && !b->nowners;
}

static bool all_bytes(const void *p, size_t n, uint8_t b)
{
	const uint8_t *q = p;

	while (n--)
		if (*q++ != b)
			return false;
	return true;
}

/* Decode the first cut bytes of nlh as a message of that length, from a
 * buffer exactly that long (at least the netlink header) plus CUT_SLACK
 * bytes of poison; out filled with 0x5a first. */
static int decode_cut(const struct nlmsghdr *nlh, size_t cut, uint8_t proto,
		      uint8_t poison, struct nj_sock *out)
{
	size_t sz = cut < NLMSG_HDRLEN ? NLMSG_HDRLEN : cut;
	uint8_t *buf = malloc(sz + CUT_SLACK);
	int r;

	assert_non_null(buf);
	memcpy(buf, nlh, sz);
#if CUT_SLACK
	memset(buf + sz, poison, CUT_SLACK);
#else
	(void)poison;
#endif
	((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)cut;
	memset(out, 0x5a, sizeof(*out));
	r = netlink_decode_sock((struct nlmsghdr *)buf, proto, out);
	free(buf);
	return r;
}

/* Every cut of one recorded message, every length from 0 to whole: no
 * crash, 0 or -EINVAL, no byte past the cut read (ASan under SANITIZE=1;
 * otherwise two poisons must give the same answer), *out untouched on
 * failure, and a success names the socket the whole message does. */
static void cut_one(const char *file, uint8_t proto,
		    const struct nlmsghdr *nlh, size_t *nok, size_t *nfail)
{
	const size_t hdrlen = NLMSG_HDRLEN + sizeof(struct inet_diag_msg);
	size_t cut, full = nlh->nlmsg_len;
	struct nj_sock whole, a, b;
	int r, r2;

	assert_int_equal(decode(nlh, proto, &whole), 0);
	for (cut = 0; cut <= full; cut++) {
		r = decode_cut(nlh, cut, proto, 0x00, &a);
		if (CUT_SLACK) {
			r2 = decode_cut(nlh, cut, proto, 0xff, &b);
			if (r != r2 || (r == 0 && !sock_eq(&a, &b)))
				fail_msg("%s: cut %zu of %zu: read past "
					 "nlmsg_len", file, cut, full);
		}
		if (r != 0 && r != -EINVAL)
			fail_msg("%s: cut %zu of %zu returned %d", file, cut,
				 full, r);
		if (cut < hdrlen)
			assert_int_equal(r, -EINVAL);
		if (cut == full)
			assert_int_equal(r, 0);
		if (r < 0) {
			assert_true(all_bytes(&a, sizeof(a), 0x5a));
			(*nfail)++;
			continue;
		}
		(*nok)++;
		/* the fixed part is whole: the same socket, at most without
		 * its v6only */
		a.has_v6only = whole.has_v6only;
		a.v6only = whole.v6only;
		assert_true(sock_eq(&a, &whole));
	}
}

static void test_truncated(void **state)
{
	const struct nlmsghdr *nlh;
	size_t i, nok = 0, nfail = 0;
	int rem;

	(void)state;
	for (i = 0; i < NRECORDINGS; i++) {
		struct fixture fx = fixture_read(recordings[i].file);

		nlmsg_foreach(nlh, fx.data, fx.len, rem)
			if (nlh->nlmsg_type != NLMSG_DONE)
				cut_one(recordings[i].file,
					recordings[i].protocol, nlh, &nok,
					&nfail);
		fixture_free(&fx);
	}
	assert_true(nok > 0);
	assert_true(nfail > 0);
}

/* A recorded IPv6 listener, for breaking by hand: its copy in buf. */
static struct nlmsghdr *listener6(char *buf, size_t sz)
{
	struct fixture fx = fixture_read("sock-tcp6.nl");
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)fx.data;

	assert_true(nlh->nlmsg_len <= sz);
	memcpy(buf, nlh, nlh->nlmsg_len);
	fixture_free(&fx);
	return (struct nlmsghdr *)buf;
}

static struct nlattr *find_attr(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct inet_diag_msg))
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static void test_malformed(void **state)
{
	union {
		struct nlmsghdr h;
		char b[512];
	} u;
	struct inet_diag_msg *m;
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct nj_sock sk;

	(void)state;
	nlh = listener6(u.b, sizeof(u.b));
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_TCP, &sk), 0);
	assert_true(sk.has_v6only && sk.v6only);
	/* the protocol is the caller's: TCP and UDP only */
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_UDP, &sk), 0);
	assert_int_equal(sk.protocol, IPPROTO_UDP);
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_SCTP, &sk), -EINVAL);
	assert_int_equal(netlink_decode_sock(nlh, 0, &sk), -EINVAL);
	/* another message type */
	nlh->nlmsg_type = NLMSG_DONE;
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_TCP, &sk), -EINVAL);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	/* another family */
	m = mnl_nlmsg_get_payload(nlh);
	m->idiag_family = AF_UNIX;
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_TCP, &sk), -EINVAL);
	m->idiag_family = AF_INET6;
	/* INET_DIAG_SKV6ONLY not one byte */
	a = find_attr(nlh, INET_DIAG_SKV6ONLY);
	assert_non_null(a);
	a->nla_len = 4;
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_TCP, &sk), -EINVAL);
	a->nla_len = 5;
	/* an attribute running past the message: malformed, like in every
	 * decoder (netlink_attrs_parse), not quietly cut short as libmnl would */
	a->nla_len = 200;
	memset(&sk, 0, sizeof(sk));
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_TCP, &sk), -EINVAL);
	a->nla_len = 5;
	/* INET_DIAG_PROTOCOL, when sent, must be the protocol asked for */
	a->nla_type = INET_DIAG_PROTOCOL;
	*(uint8_t *)mnl_attr_get_payload(a) = IPPROTO_TCP;
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_TCP, &sk), 0);
	assert_false(sk.has_v6only);
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_UDP, &sk), -EINVAL);
	/* an attribute of a type no kernel sends yet: skipped */
	a->nla_type = 200;
	assert_int_equal(netlink_decode_sock(nlh, IPPROTO_TCP, &sk), 0);
}

/* --- /proc --- */

static void test_parse_socket_link(void **state)
{
	static const char *const bad[] = {
		"", "socket:[", "socket:[]", "socket:[1", "socket:1]",
		"socket:[-1]", "socket:[+1]", "socket:[01]", "socket:[1 ]",
		"socket:[ 1]", "socket:[1]x", "socket:[4294967296]",
		"socket:[99999999999999999999999]", "Socket:[1]", "pipe:[123]",
		"anon_inode:[eventfd]", "/dev/null", "socket:[0x10]",
		"socket:[1]]", "socket:[[1]",
	};
	uint32_t ino = 7;
	size_t i;

	(void)state;
	assert_int_equal(sockowners_parse_socket_link("socket:[123]", 12, &ino), 0);
	assert_int_equal(ino, 123);
	assert_int_equal(sockowners_parse_socket_link("socket:[0]", 10, &ino), 0);
	assert_int_equal(ino, 0);
	assert_int_equal(sockowners_parse_socket_link("socket:[4294967295]", 19,
						  &ino), 0);
	assert_int_equal(ino, 4294967295u);
	/* len, not the NUL, ends it */
	assert_int_equal(sockowners_parse_socket_link("socket:[12]3", 11, &ino), 0);
	assert_int_equal(ino, 12);
	assert_int_equal(sockowners_parse_socket_link("socket:[12]", 10, &ino),
			 -EINVAL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ino = 7;
		if (sockowners_parse_socket_link(bad[i], strlen(bad[i]), &ino) !=
		    -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_int_equal(ino, 7);
	}
	/* every cut of a good one, from an exact-size copy */
	for (i = 0; i < 12; i++) {
		char *p = dup_exact("socket:[123]", i);

		assert_int_equal(sockowners_parse_socket_link(p, i, &ino), -EINVAL);
		free(p);
	}
}

static void test_parse_id_comm(void **state)
{
	static const char *const bad[] = { "", "self", "thread-self", "-1",
		"+1", "01", "1a", " 1", "2147483648", "99999999999999999999" };
	char comm[16];
	int32_t v = 5;
	size_t i;

	(void)state;
	assert_int_equal(sockowners_parse_id("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(sockowners_parse_id("4242", &v), 0);
	assert_int_equal(v, 4242);
	assert_int_equal(sockowners_parse_id("2147483647", &v), 0);
	assert_int_equal(v, 2147483647);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 5;
		if (sockowners_parse_id(bad[i], &v) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_int_equal(v, 5);
	}
	sockowners_parse_comm("python3\n", 8, comm, sizeof(comm));
	assert_string_equal(comm, "python3");
	sockowners_parse_comm("python3", 7, comm, sizeof(comm));
	assert_string_equal(comm, "python3");
	sockowners_parse_comm("a\nb\n", 4, comm, sizeof(comm));
	assert_string_equal(comm, "a\nb");
	sockowners_parse_comm("\n", 1, comm, sizeof(comm));
	assert_string_equal(comm, "");
	sockowners_parse_comm("", 0, comm, sizeof(comm));
	assert_string_equal(comm, "");
	sockowners_parse_comm("x\0yz\n", 5, comm, sizeof(comm));
	assert_string_equal(comm, "x");
	sockowners_parse_comm("0123456789abcdefghij\n", 21, comm, sizeof(comm));
	assert_string_equal(comm, "0123456789abcde");
	sockowners_parse_comm("abc", 3, comm, 1);
	assert_string_equal(comm, "");
}

/* A made-up /proc under dir: "PID/comm" and "PID/fd/N" -> target. */
static void mkpath(const char *dir, const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void mkfile(const char *dir, const char *rel, const char *text)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void mklink(const char *dir, const char *rel, const char *target)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void sock_with_inode(struct nj_socks *s, uint32_t inode)
{
	struct nj_sock sk;

	memset(&sk, 0, sizeof(sk));
	sk.protocol = IPPROTO_TCP;
	sk.family = AF_INET;
	sk.inode = inode;
	assert_int_equal(nj_socks_push(s, &sk), 0);
}

static void assert_owner(const struct nj_sock *sk, size_t i, int32_t pid,
			 int32_t fd, const char *comm)
{
	assert_true(i < sk->nowners);
	assert_int_equal(sk->owners[i].pid, pid);
	assert_int_equal(sk->owners[i].fd, fd);
	assert_string_equal(sk->owners[i].comm, comm);
}

static void test_owners_fake_proc(void **state)
{
	char dir[] = "/tmp/njsock.XXXXXX", cmd[64];
	struct nj_socks s = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* 100: two sockets, one of them twice, and other files */
	mkpath(dir, "100");
	mkfile(dir, "100/comm", "python3\n");
	mkpath(dir, "100/fd");
	mklink(dir, "100/fd/0", "/dev/null");
	mklink(dir, "100/fd/3", "socket:[1111]");
	mklink(dir, "100/fd/4", "pipe:[1111]");
	mklink(dir, "100/fd/10", "socket:[2222]");
	mklink(dir, "100/fd/5", "socket:[1111]");
	mklink(dir, "100/fd/6", "socket:[9999]"); /* not ours */
	mklink(dir, "100/fd/x7", "socket:[2222]"); /* not an fd */
	/* 20: shares 1111 (a fork), a name with a space */
	mkpath(dir, "20");
	mkfile(dir, "20/comm", "my server\n");
	mkpath(dir, "20/fd");
	mklink(dir, "20/fd/8", "socket:[1111]");
	/* 30: gone (no fd directory), 31: gone before its comm was read */
	mkpath(dir, "30");
	mkpath(dir, "31");
	mkpath(dir, "31/fd");
	mklink(dir, "31/fd/3", "socket:[2222]");
	/* 40: an fd that vanished (dangling is fine: a link is read, not
	 * followed); not numeric directories; a file named like a pid */
	mkpath(dir, "40");
	mkfile(dir, "40/comm", "\n");
	mkpath(dir, "40/fd");
	mklink(dir, "40/fd/1", "socket:[3333]");
	mkpath(dir, "self");
	mkpath(dir, "0123");
	mkfile(dir, "50", "");

	sock_with_inode(&s, 2222);
	sock_with_inode(&s, 0);    /* TIME-WAIT: never matched */
	sock_with_inode(&s, 1111);
	sock_with_inode(&s, 3333);
	sock_with_inode(&s, 4444); /* nobody's */
	assert_int_equal(sockowners_fill_at(&s, dir), 0);

	assert_int_equal(s.v[0].nowners, 1);
	assert_owner(&s.v[0], 0, 100, 10, "python3");
	assert_int_equal(s.v[1].nowners, 0);
	assert_int_equal(s.v[2].nowners, 3); /* sorted by pid, then fd */
	assert_owner(&s.v[2], 0, 20, 8, "my server");
	assert_owner(&s.v[2], 1, 100, 3, "python3");
	assert_owner(&s.v[2], 2, 100, 5, "python3");
	assert_int_equal(s.v[3].nowners, 1);
	assert_owner(&s.v[3], 0, 40, 1, "");
	assert_int_equal(s.v[4].nowners, 0);

	/* again: replaced, not doubled */
	assert_int_equal(sockowners_fill_at(&s, dir), 0);
	assert_int_equal(s.v[2].nowners, 3);

	/* a missing root is an error; no inode to look for reads nothing */
	assert_int_equal(sockowners_fill_at(&s, "/nonexistent/proc"), -ENOENT);
	nj_socks_truncate(&s, 2);
	nj_socks_truncate(&s, 5); /* past the end: nothing */
	assert_int_equal(s.n, 2);
	s.v[0].inode = 0;
	assert_int_equal(sockowners_fill_at(&s, "/nonexistent/proc"), 0);
	nj_socks_free(&s);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* This process's own socket, found in the real /proc. */
static void test_owners_real_proc(void **state)
{
	struct nj_socks s = { 0 };
	char comm[64] = "";
	struct stat st;
	int fd, dup_fd;
	FILE *f;

	(void)state;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	assert_true(dup_fd >= 100);
	assert_int_equal(fstat(fd, &st), 0);
	sock_with_inode(&s, (uint32_t)st.st_ino);
	assert_int_equal(sockowners_fill(&s), 0);
	f = fopen("/proc/self/comm", "r");
	assert_non_null(f);
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	assert_int_equal(s.v[0].nowners, 2);
	assert_owner(&s.v[0], 0, getpid(), fd, comm);
	assert_owner(&s.v[0], 1, getpid(), dup_fd, comm);
	nj_socks_free(&s);
	close(dup_fd);
	close(fd);
}

/* A live dump of the current namespace finds this process's listener
 * (all states and listening only) and not its connected UDP socket when
 * listening only. Skipped where sock_diag is not allowed. */
static void test_live_dump(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct nj_socks s = { 0 };
	const struct nj_sock *x;
	struct mnl_socket *nl;
	socklen_t len = sizeof(sa);
	struct stat lst, ust;
	int lfd, ufd, r, found_l, found_u;
	size_t i;

	(void)state;
	r = netlink_open(NETLINK_SOCK_DIAG, -1, &nl);
	if (r < 0)
		skip();
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ufd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(lfd >= 0 && ufd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 3), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
	assert_int_equal(connect(ufd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(fstat(lfd, &lst), 0);
	assert_int_equal(fstat(ufd, &ust), 0);
	for (r = 0; r < 2; r++) {
		assert_int_equal(netlink_dump_sockets(nl, r == 1, &s), 0);
		found_l = found_u = 0;
		for (i = 0; i < s.n; i++) {
			x = &s.v[i];
			if (x->inode == (uint32_t)lst.st_ino) {
				assert_int_equal(x->protocol, IPPROTO_TCP);
				assert_int_equal(x->state, LISTEN);
				assert_int_equal(x->lport, ntohs(sa.sin_port));
				assert_int_equal(x->wqueue, 3);
				found_l++;
			}
			if (x->inode == (uint32_t)ust.st_ino) {
				assert_int_equal(x->protocol, IPPROTO_UDP);
				assert_int_equal(x->state, ESTAB);
				assert_int_equal(x->pport, ntohs(sa.sin_port));
				found_u++;
			}
			if (r == 1)
				assert_true(x->state == LISTEN ||
					    x->state == UNCONN);
		}
		assert_int_equal(found_l, 1);
		assert_int_equal(found_u, r == 1 ? 0 : 1);
	}
	assert_int_equal(sockowners_fill(&s), 0);
	for (i = 0; i < s.n; i++)
		if (s.v[i].inode == (uint32_t)lst.st_ino) {
			assert_int_equal(s.v[i].nowners, 1);
			assert_int_equal(s.v[i].owners[0].pid, getpid());
			assert_int_equal(s.v[i].owners[0].fd, lfd);
		}
	nj_socks_free(&s);
	netlink_close(nl);
	close(ufd);
	close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded),
		cmocka_unit_test(test_text_like_ss),
		cmocka_unit_test(test_text_like_ss_listening),
		cmocka_unit_test(test_text_users_details),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_parse_socket_link),
		cmocka_unit_test(test_parse_id_comm),
		cmocka_unit_test(test_owners_fake_proc),
		cmocka_unit_test(test_owners_real_proc),
		cmocka_unit_test(test_live_dump),
		/* last: under SANITIZE=1 an overread aborts the binary */
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests_name("sock", tests, NULL, NULL);
}
