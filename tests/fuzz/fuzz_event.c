/* --watch's decoding and writing of notifications: the input is what the
 * socket of a watched namespace received (recv() buffers together),
 * walked from an exact-size heap copy as watch.c walks a datagram (any
 * seq, any sender), each message decoded by netlink_decode_event and
 * written as a text and a JSON line, with the links table kept up to
 * date as --watch keeps it.
 *
 * Checked: a decoded event has one of the four kinds; it is written
 * whole, ending in a newline (JSON: one line; text: a multipath route's
 * hops on lines of their own, as ip monitor writes them); the table never
 * holds two links of one ifindex. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include "fuzz.h"
#include "netjoin/nl.h"
#include "netjoin/out_event.h"

struct walk {
	struct nj_dump links;
};

static void line_check(bool json, const struct nj_event *ev,
		       const struct nj_dump *links)
{
	static const struct out_event_src src = { "fuzz", 1, true };
	struct timespec ts = { 0, 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	out_event(f, json, &ts, &src, ev, links);
	fclose(f);
	if (!len || buf[len - 1] != '\n' ||
	    (json && memchr(buf, '\n', len) != buf + len - 1))
		abort();
	free(buf);
}

static int cb(const struct nlmsghdr *nlh, void *data)
{
	struct walk *w = data;
	struct nj_event ev;
	size_t i, j;

	if (netlink_decode_event(nlh, &ev) < 0)
		return MNL_CB_OK;
	if (ev.kind < NJ_EVENT_LINK || ev.kind > NJ_EVENT_NEIGH)
		abort();
	line_check(false, &ev, &w->links);
	line_check(true, &ev, &w->links);
	if (ev.kind == NJ_EVENT_LINK &&
	    nj_dump_apply_link(&w->links, &ev.u.link, ev.del) == 0)
		for (i = 0; i < w->links.nlinks; i++)
			for (j = i + 1; j < w->links.nlinks; j++)
				if (w->links.links[i].ifindex ==
				    w->links.links[j].ifindex)
					abort();
	nj_event_free(&ev);
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_dup(data, size);
	struct walk w = { { 0 } };
	bool intr = false;

	netlink_reply_run(buf, size, 0, 0, cb, &w, &intr);
	nj_dump_free(&w.links);
	free(buf);
	return 0;
}
