/* netlink_reply_run, the walk over one received buffer of the dump loop and
 * the one-shot requests, and netlink_nsid_parse, on recorded answers: the
 * link dump (links.nl: six RTM_NEWLINK then NLMSG_DONE, one request) cut
 * into buffers and altered as the kernel would answer otherwise (an
 * NLMSG_ERROR built here as it builds one), and answers to RTM_GETNSID
 * (nsid-*.nl). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include "fixtures.h"
#include "netjoin/nl.h"

#define NLINKS 6

struct seen {
	int links;      /* RTM_NEWLINK messages that decoded */
	int calls;      /* every call */
	int32_t ifindex[16];
	int ret;        /* what the callback returns */
	int err;        /* errno it sets with MNL_CB_ERROR */
};

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen *s = data;
	struct nj_link l;

	assert_true(nlh->nlmsg_type >= NLMSG_MIN_TYPE);
	if (s->calls < 16 && netlink_decode_link(nlh, &l) == 0)
		s->ifindex[s->links++] = l.ifindex;
	s->calls++;
	if (s->ret == MNL_CB_ERROR)
		errno = s->err;
	return s->ret;
}

/* The recording, its request's seq and the socket's portid. */
struct rec {
	struct fixture fx;
	const struct nlmsghdr *msg[NLINKS + 1];
	unsigned int seq, portid;
};

static void rec_read(struct rec *r)
{
	r->fx = fixture_read("links.nl");
	assert_int_equal(nlmsg_collect(&r->fx, r->msg, NLINKS + 1),
			 NLINKS + 1);
	r->seq = r->msg[0]->nlmsg_seq;
	r->portid = r->msg[0]->nlmsg_pid;
	assert_int_not_equal(r->seq, 0);
	assert_int_not_equal(r->portid, 0);
}

/* Byte offset of message i of the recording. */
static size_t at(const struct rec *r, int i)
{
	return (size_t)((const char *)r->msg[i] - r->fx.data);
}

/* netlink_reply_run on an exact-size copy of len bytes at p. */
static int run(const struct rec *r, const void *p, size_t len,
	       struct seen *s, bool *intr)
{
	void *buf = dup_exact(p, len);
	int ret = netlink_reply_run(buf, len, r->seq, r->portid, count_cb, s, intr);

	free(buf);
	return ret;
}

static void test_multipart_then_done(void **state)
{
	struct rec r;
	struct seen s = { .ret = MNL_CB_OK };
	bool intr = false;
	size_t cut;
	int i;

	(void)state;
	rec_read(&r);
	/* three recv() buffers: links 1-2, links 3-5, link 6 and DONE */
	cut = at(&r, 2);
	assert_int_equal(run(&r, r.fx.data, cut, &s, &intr), NL_REPLY_MORE);
	assert_int_equal(s.links, 2);
	assert_int_equal(run(&r, r.fx.data + cut, at(&r, 5) - cut, &s, &intr),
			 NL_REPLY_MORE);
	assert_int_equal(s.links, 5);
	cut = at(&r, 5);
	assert_int_equal(run(&r, r.fx.data + cut, r.fx.len - cut, &s, &intr), 0);
	assert_false(intr);
	/* every link once, in order (ifindexes 1-6, fixtures/README.md) */
	assert_int_equal(s.links, NLINKS);
	assert_int_equal(s.calls, NLINKS);
	for (i = 0; i < NLINKS; i++)
		assert_int_equal(s.ifindex[i], i + 1);
	fixture_free(&r.fx);
}

/* The same bytes in one buffer, and the DONE alone in the next. */
static void test_one_buffer_and_done_alone(void **state)
{
	struct rec r;
	struct seen s = { .ret = MNL_CB_OK };
	bool intr = false;

	(void)state;
	rec_read(&r);
	assert_int_equal(run(&r, r.fx.data, r.fx.len, &s, &intr), 0);
	assert_int_equal(s.links, NLINKS);
	memset(&s, 0, sizeof(s));
	s.ret = MNL_CB_OK;
	assert_int_equal(run(&r, r.fx.data, at(&r, NLINKS), &s, &intr),
			 NL_REPLY_MORE);
	assert_int_equal(run(&r, r.msg[NLINKS], r.fx.len - at(&r, NLINKS), &s,
			     &intr), 0);
	assert_int_equal(s.links, NLINKS);
	fixture_free(&r.fx);
}

/* A copy of the recording whose DONE (a 4-byte payload) carries err. */
static char *done_with(const struct rec *r, int32_t err)
{
	char *c = dup_exact(r->fx.data, r->fx.len);
	size_t off = at(r, NLINKS);

	assert_int_equal(r->msg[NLINKS]->nlmsg_len, MNL_NLMSG_HDRLEN + 4);
	memcpy(c + off + MNL_NLMSG_HDRLEN, &err, sizeof(err));
	return c;
}

static void test_done_carrying_error(void **state)
{
	struct rec r;
	struct seen s = { .ret = MNL_CB_OK };
	bool intr = false;
	char *c;

	(void)state;
	rec_read(&r);
	/* a dump the kernel could not finish: what came is not all */
	c = done_with(&r, -EMSGSIZE);
	assert_int_equal(run(&r, c, r.fx.len, &s, &intr), -EMSGSIZE);
	assert_int_equal(s.links, NLINKS);
	free(c);
	/* the recorded DONE carries 0 */
	c = done_with(&r, 0);
	assert_memory_equal(c, r.fx.data, r.fx.len);
	free(c);
	fixture_free(&r.fx);
}

/* An NLMSG_ERROR answer: the header of the request it refuses follows
 * the error, as the kernel sends it. */
static size_t put_error(char *buf, size_t size, unsigned int seq,
			unsigned int portid, int error)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_len = sizeof(e->msg) + sizeof(struct rtgenmsg);
	e->msg.nlmsg_type = RTM_GETLINK;
	e->msg.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	e->msg.nlmsg_seq = seq;
	assert_true(nlh->nlmsg_len <= size);
	return nlh->nlmsg_len;
}

static void test_error_reply(void **state)
{
	struct rec r;
	struct seen s = { .ret = MNL_CB_OK };
	char buf[256];
	bool intr = false;
	size_t n;

	(void)state;
	rec_read(&r);
	n = put_error(buf, sizeof(buf), r.seq, r.portid, -EPERM);
	assert_int_equal(run(&r, buf, n, &s, &intr), -EPERM);
	assert_int_equal(s.calls, 0);
	/* some subsystems send it positive */
	n = put_error(buf, sizeof(buf), r.seq, r.portid, EOPNOTSUPP);
	assert_int_equal(run(&r, buf, n, &s, &intr), -EOPNOTSUPP);
	/* error 0 is an acknowledgement: the end */
	n = put_error(buf, sizeof(buf), r.seq, r.portid, 0);
	assert_int_equal(run(&r, buf, n, &s, &intr), 0);
	/* too short to hold the error */
	n = put_error(buf, sizeof(buf), r.seq, r.portid, -EPERM);
	((struct nlmsghdr *)buf)->nlmsg_len = MNL_NLMSG_HDRLEN + 4;
	assert_int_equal(run(&r, buf, MNL_NLMSG_HDRLEN + 4, &s, &intr),
			 -EBADMSG);
	assert_int_equal(s.calls, 0);
	assert_false(intr);
	fixture_free(&r.fx);
}

static void test_interrupted(void **state)
{
	struct rec r;
	struct seen s = { .ret = MNL_CB_OK };
	bool intr = false;
	char *c = NULL;
	size_t cut;

	(void)state;
	rec_read(&r);
	/* the kernel marks the messages after a change; here from link 3 */
	c = dup_exact(r.fx.data, r.fx.len);
	for (int i = 2; i <= NLINKS; i++)
		((struct nlmsghdr *)(c + at(&r, i)))->nlmsg_flags |=
			NLM_F_DUMP_INTR;
	cut = at(&r, 4);
	assert_int_equal(run(&r, c, cut, &s, &intr), NL_REPLY_MORE);
	assert_true(intr);
	/* what comes after the mark is not decoded: it is redone */
	assert_int_equal(s.calls, 2);
	/* the rest is read to its end, which ends the try, error or not */
	free(c);
	c = done_with(&r, -EBUSY);
	for (int i = 2; i <= NLINKS; i++)
		((struct nlmsghdr *)(c + at(&r, i)))->nlmsg_flags |=
			NLM_F_DUMP_INTR;
	assert_int_equal(run(&r, c + cut, r.fx.len - cut, &s, &intr), 0);
	assert_true(intr);
	assert_int_equal(s.calls, 2);
	/* a flag set on an earlier buffer holds for later unmarked ones */
	memset(&s, 0, sizeof(s));
	s.ret = MNL_CB_OK;
	assert_int_equal(run(&r, r.fx.data + cut, r.fx.len - cut, &s, &intr),
			 0);
	assert_int_equal(s.calls, 0);
	free(c);
	fixture_free(&r.fx);
}

static void test_truncated(void **state)
{
	struct rec r;
	struct seen s = { .ret = MNL_CB_OK };
	bool intr = false;
	char *c;
	size_t cut;

	(void)state;
	rec_read(&r);
	/* cut inside link 4: the three before it are decoded, then refused */
	cut = at(&r, 3) + 40;
	assert_int_equal(run(&r, r.fx.data, cut, &s, &intr), -EBADMSG);
	assert_int_equal(s.calls, 3);
	/* cut inside the header of link 4 */
	s.calls = 0;
	assert_int_equal(run(&r, r.fx.data, at(&r, 3) + 10, &s, &intr),
			 -EBADMSG);
	assert_int_equal(s.calls, 3);
	/* a length shorter than a header */
	c = dup_exact(r.fx.data, r.fx.len);
	((struct nlmsghdr *)(c + at(&r, 1)))->nlmsg_len = 8;
	s.calls = 0;
	assert_int_equal(run(&r, c, r.fx.len, &s, &intr), -EBADMSG);
	assert_int_equal(s.calls, 1);
	/* a length of 2 GiB and more (negative as an int, which
	 * mnl_nlmsg_ok takes for one that fits) */
	((struct nlmsghdr *)(c + at(&r, 1)))->nlmsg_len = 0x80000010u;
	s.calls = 0;
	assert_int_equal(run(&r, c, r.fx.len, &s, &intr), -EBADMSG);
	assert_int_equal(s.calls, 1);
	assert_false(intr);
	free(c);
	fixture_free(&r.fx);
}

static void test_other_request(void **state)
{
	struct rec r;
	struct seen s = { .ret = MNL_CB_OK };
	bool intr = false;
	void *buf;

	(void)state;
	rec_read(&r);
	buf = dup_exact(r.fx.data, r.fx.len);
	assert_int_equal(netlink_reply_run(buf, r.fx.len, r.seq + 1, r.portid,
				      count_cb, &s, &intr), -EPROTO);
	assert_int_equal(netlink_reply_run(buf, r.fx.len, r.seq, r.portid + 1,
				      count_cb, &s, &intr), -ESRCH);
	assert_int_equal(s.calls, 0);
	/* zero matches any, as in libmnl */
	assert_int_equal(netlink_reply_run(buf, r.fx.len, 0, 0, count_cb, &s,
				      &intr), 0);
	assert_int_equal(s.links, NLINKS);
	free(buf);
	fixture_free(&r.fx);
}

static void test_callback_stops(void **state)
{
	struct rec r;
	struct seen s = { .ret = MNL_CB_STOP };
	bool intr = false;

	(void)state;
	rec_read(&r);
	assert_int_equal(run(&r, r.fx.data, r.fx.len, &s, &intr), 0);
	assert_int_equal(s.calls, 1);
	memset(&s, 0, sizeof(s));
	s.ret = MNL_CB_ERROR;
	s.err = ENOMEM;
	assert_int_equal(run(&r, r.fx.data, r.fx.len, &s, &intr), -ENOMEM);
	assert_int_equal(s.calls, 1);
	memset(&s, 0, sizeof(s));
	s.ret = MNL_CB_ERROR; /* without errno */
	assert_int_equal(run(&r, r.fx.data, r.fx.len, &s, &intr), -EIO);
	fixture_free(&r.fx);
}

/* netlink_nsid_parse on an exact-size copy, against the recording's seq and
 * portid. */
static int nsid_parse(const struct fixture *fx, const char *p, size_t len)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)fx->data;
	void *buf = dup_exact(p, len);
	int r = netlink_nsid_parse(buf, len, h->nlmsg_seq, h->nlmsg_pid);

	free(buf);
	return r;
}

/* Answers to RTM_GETNSID recorded from a namespace with id 5 for another
 * one, none for a third, and for an fd that is no namespace
 * (tests/tools/mkfixtures_nsid.sh). */
static void test_nsid_recorded(void **state)
{
	struct fixture fx;

	(void)state;
	fx = fixture_read("nsid-5.nl");
	assert_int_equal(nsid_parse(&fx, fx.data, fx.len), 5);
	fixture_free(&fx);
	fx = fixture_read("nsid-none.nl");
	assert_int_equal(nsid_parse(&fx, fx.data, fx.len), -ENOENT);
	fixture_free(&fx);
	fx = fixture_read("nsid-einval.nl");
	assert_int_equal(nsid_parse(&fx, fx.data, fx.len), -EINVAL);
	fixture_free(&fx);
}

/* nsid-5.nl altered: nlmsghdr, rtgenmsg, then NETNSA_NSID (8 bytes). */
static void test_nsid_altered(void **state)
{
	struct fixture fx = fixture_read("nsid-5.nl");
	struct nlmsghdr *h = (struct nlmsghdr *)fx.data;
	struct nlattr *a;
	char *c;

	(void)state;
	assert_int_equal(fx.len, MNL_NLMSG_HDRLEN + 4 + 8);
	a = (struct nlattr *)(fx.data + MNL_NLMSG_HDRLEN + 4);
	assert_int_equal(a->nla_type, NETNSA_NSID);
	c = dup_exact(fx.data, fx.len);
	/* the answer to another request */
	h->nlmsg_seq++;
	assert_int_equal(nsid_parse(&fx, c, fx.len), -EPROTO);
	h->nlmsg_seq--;
	/* an attribute too short for a u32 is not the id */
	((struct nlattr *)(c + MNL_NLMSG_HDRLEN + 4))->nla_len = 6;
	assert_int_equal(nsid_parse(&fx, c, fx.len), -ENOENT);
	/* an attribute that ends past the message, inside its padding
	 * (mnl_attr_parse reads on to the aligned end) */
	memcpy(c, fx.data, fx.len);
	((struct nlmsghdr *)c)->nlmsg_len = (uint32_t)fx.len - 1;
	assert_int_equal(nsid_parse(&fx, c, fx.len), -ENOENT);
	/* cut in the attribute */
	assert_int_equal(nsid_parse(&fx, fx.data, fx.len - 2), -EBADMSG);
	/* no answer at all */
	assert_int_equal(nsid_parse(&fx, fx.data, 0), -ENOENT);
	free(c);
	fixture_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multipart_then_done),
		cmocka_unit_test(test_one_buffer_and_done_alone),
		cmocka_unit_test(test_done_carrying_error),
		cmocka_unit_test(test_error_reply),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_other_request),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_nsid_recorded),
		cmocka_unit_test(test_nsid_altered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
