/* The dump loop's walk over what it receives (netlink_reply_run), without a
 * socket.
 *
 * The input is what recv() returned for one request, all its buffers
 * together. It is walked twice, each time from an exact-size heap copy:
 * whole, as one buffer; and cut into one buffer per message (at each
 * message's aligned length, as the walk goes on), fed in turn as the dump
 * loop feeds them until one does not say NL_REPLY_MORE. Both walks run
 * against the seq and portid of the first message, so that a later
 * message of another request or sender is refused.
 *
 * Checked: the result is NL_REPLY_MORE, 0 or a negative errno; the
 * callback sees only data messages (type NLMSG_MIN_TYPE and up) that lie
 * whole inside the buffer it was given, never one marked NLM_F_DUMP_INTR
 * nor any after one; and both walks agree on the result, on *intr, and on
 * which messages the callback saw (a buffer's cut must not change what a
 * dump says). What the callback sees goes to the link and address
 * decoders, as the dump loop's own callbacks do. */
#include <errno.h>
#include <stdbool.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include "fuzz.h"
#include "netjoin/nl.h"

#define MAX_SEEN 512

struct walk {
	const char *buf; /* the buffer being walked, len bytes */
	size_t len;
	bool *intr;
	size_t n;        /* messages seen */
	uint32_t sum[MAX_SEEN];
};

/* A message's identity across copies: its length, type and first bytes. */
static uint32_t digest(const struct nlmsghdr *nlh)
{
	const unsigned char *p = (const unsigned char *)nlh;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < nlh->nlmsg_len && i < 64; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static int seen_cb(const struct nlmsghdr *nlh, void *data)
{
	struct walk *w = data;
	const char *p = (const char *)nlh;
	union {
		struct nj_link l;
		struct nj_addr a;
	} u;
	int rc;

	FUZZ_CHECK(p >= w->buf && (size_t)(p - w->buf) <= w->len);
	FUZZ_CHECK(w->len - (size_t)(p - w->buf) >= sizeof(*nlh));
	FUZZ_CHECK(nlh->nlmsg_len >= sizeof(*nlh) &&
		   nlh->nlmsg_len <= w->len - (size_t)(p - w->buf));
	FUZZ_CHECK(nlh->nlmsg_type >= NLMSG_MIN_TYPE);
	FUZZ_CHECK(!(nlh->nlmsg_flags & NLM_F_DUMP_INTR) && !*w->intr);
	if (w->n < MAX_SEEN)
		w->sum[w->n] = digest(nlh);
	w->n++;
	rc = netlink_decode_link(nlh, &u.l);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	rc = netlink_decode_addr(nlh, &u.a);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -EAFNOSUPPORT);
	/* the dump loop's callbacks stop it only on running out of memory;
	 * a type of its own stands for that here */
	if (nlh->nlmsg_type == 0xfffe) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	return nlh->nlmsg_type == 0xffff ? MNL_CB_STOP : MNL_CB_OK;
}

static bool valid_result(int r)
{
	return r == NL_REPLY_MORE || r == 0 || (r < 0 && r >= -4095);
}

static int run_copy(const uint8_t *p, size_t len, unsigned int seq,
		    unsigned int portid, struct walk *w)
{
	char *buf = fuzz_dup(p, len);
	int r;

	w->buf = buf;
	w->len = len;
	r = netlink_reply_run(buf, len, seq, portid, seen_cb, w, w->intr);
	free(buf);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct walk whole, cut;
	bool intr_whole = false, intr_cut = false;
	unsigned int seq = 0, portid = 0;
	struct nlmsghdr h;
	size_t off = 0, len, step;
	int r_whole, r_cut = NL_REPLY_MORE;

	if (size >= sizeof(h)) {
		memcpy(&h, data, sizeof(h));
		seq = h.nlmsg_seq;
		portid = h.nlmsg_pid;
	}
	memset(&whole, 0, sizeof(whole));
	memset(&cut, 0, sizeof(cut));
	whole.intr = &intr_whole;
	cut.intr = &intr_cut;

	r_whole = run_copy(data, size, seq, portid, &whole);
	FUZZ_CHECK(valid_result(r_whole));

	/* One message a buffer: its length, or what is left when that does
	 * not fit (which the walk refuses, as it does the whole). */
	while (off < size && r_cut == NL_REPLY_MORE) {
		len = size - off;
		step = len;
		if (len >= sizeof(h)) {
			memcpy(&h, data + off, sizeof(h));
			if (h.nlmsg_len >= sizeof(h) && h.nlmsg_len <= len) {
				len = h.nlmsg_len;
				step = MNL_ALIGN(h.nlmsg_len);
			}
		}
		r_cut = run_copy(data + off, len, seq, portid, &cut);
		FUZZ_CHECK(valid_result(r_cut));
		if (step >= size - off)
			break;
		off += step;
	}
	if (r_whole != r_cut || intr_whole != intr_cut || whole.n != cut.n) {
		fprintf(stderr, "whole: %d, intr %d, %zu seen; cut: %d, intr %d, %zu seen\n",
			r_whole, intr_whole, whole.n, r_cut, intr_cut, cut.n);
		abort();
	}
	FUZZ_CHECK(!memcmp(whole.sum, cut.sum,
			   (whole.n < MAX_SEEN ? whole.n : MAX_SEEN) *
				   sizeof(whole.sum[0])));
	return 0;
}
