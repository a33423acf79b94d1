/* A watch's lines: the writers of the listings, for one object each,
 * with a time, "new" or "del", and the namespace's target. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "netjoin/jw.h"
#include "netjoin/out.h"
#include "netjoin/out_event.h"
#include "netjoin/out_route.h"

void out_event_time(char *buf, size_t sz, const struct timespec *ts,
		    bool json)
{
	struct tm tm;
	char zone[8];
	size_t n;

	localtime_r(&ts->tv_sec, &tm);
	n = strftime(buf, sz, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(buf + n, sz - n, ".%06ld", ts->tv_nsec / 1000);
	if (json && strftime(zone, sizeof(zone), "%z", &tm) == 5)
		snprintf(buf + n, sz - n, "%.3s:%s", zone, zone + 3);
}

static void json_head(struct jw *w, const struct timespec *ts,
		      const struct out_event_src *s, const char *event,
		      const char *kind)
{
	char buf[64];

	jw_open(w, NULL, '{');
	out_event_time(buf, sizeof(buf), ts, true);
	jw_str(w, "time", buf);
	jw_str(w, "target", s->target);
	snprintf(buf, sizeof(buf), "net:[%llu]", s->netns_inode);
	jw_str(w, "netns", buf);
	jw_str(w, "event", event);
	if (kind)
		jw_str(w, "kind", kind);
}

static void text_head(FILE *f, const struct timespec *ts,
		      const struct out_event_src *s)
{
	char buf[64];

	out_event_time(buf, sizeof(buf), ts, false);
	fprintf(f, "[%s] ", buf);
	if (s->name_target)
		fprintf(f, "[%s] ", s->target);
}

/* An address as ip -j addr has it: its link, with it alone. */
static void json_addr_event(struct jw *w, const struct nj_addr *a,
			    const struct nj_dump *links)
{
	const struct nj_link *l = nj_dump_link(links, a->ifindex);
	char buf[32];

	jw_int(w, "ifindex", a->ifindex);
	if (l)
		jw_str(w, "ifname", l->ifname);
	else
		jw_str(w, "ifname",
		       (snprintf(buf, sizeof(buf), "if%d", a->ifindex), buf));
	jw_open(w, "addr_info", '[');
	out_addr_json(w, a);
	jw_close(w, ']');
}

static void event_json(FILE *f, const struct timespec *ts,
		       const struct out_event_src *s, const struct nj_event *ev,
		       const struct nj_dump *links)
{
	static const struct out_opts none = { 0 };
	struct jw w = JW_INIT(f);

	json_head(&w, ts, s, ev->del ? "del" : "new",
		  nj_event_kind_name(ev->kind));
	switch (ev->kind) {
	case NJ_EVENT_LINK:
		out_link_json(&w, links, &ev->u.link, &none, false);
		break;
	case NJ_EVENT_ADDR:
		json_addr_event(&w, &ev->u.addr, links);
		break;
	case NJ_EVENT_ROUTE:
		out_route_one(&w, NULL, &ev->u.route, links);
		break;
	case NJ_EVENT_NEIGH:
		out_neigh_one(&w, NULL, &ev->u.neigh, links);
		break;
	}
	jw_close(&w, '}');
	putc_unlocked('\n', f);
}

static void event_text(FILE *f, const struct timespec *ts,
		       const struct out_event_src *s, const struct nj_event *ev,
		       const struct nj_dump *links)
{
	text_head(f, ts, s);
	if (ev->del)
		fputs("Deleted ", f);
	switch (ev->kind) {
	case NJ_EVENT_LINK:
		out_link_line(f, links, &ev->u.link);
		break;
	case NJ_EVENT_ADDR:
		out_addr_line(f, links, &ev->u.addr);
		break;
	case NJ_EVENT_ROUTE:
		out_route_one(NULL, f, &ev->u.route, links);
		break;
	case NJ_EVENT_NEIGH:
		out_neigh_one(NULL, f, &ev->u.neigh, links);
		break;
	}
}

void out_event(FILE *f, bool json, const struct timespec *ts,
	       const struct out_event_src *s, const struct nj_event *ev,
	       const struct nj_dump *links)
{
	flockfile(f); /* once, for the writers' unlocked calls */
	if (json)
		event_json(f, ts, s, ev, links);
	else
		event_text(f, ts, s, ev, links);
	funlockfile(f);
}

void out_event_overrun(FILE *f, bool json, const struct timespec *ts,
		       const struct out_event_src *s)
{
	struct jw w = JW_INIT(f);

	flockfile(f);
	if (json) {
		json_head(&w, ts, s, "overrun", NULL);
		jw_str(&w, "error", "events were lost (ENOBUFS)");
		jw_close(&w, '}');
		putc_unlocked('\n', f);
	} else {
		text_head(f, ts, s);
		fputs("overrun: events were lost (ENOBUFS)\n", f);
	}
	funlockfile(f);
}
