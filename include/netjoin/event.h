/* An rtnetlink notification (what a multicast group of a namespace
 * sends when a link, address, route or neighbour changes) as plain
 * data: the same model structs a dump fills, and whether it is new or
 * deleted. Decoded by netlink_decode_event (nl.h). */
#ifndef NETJOIN_EVENT_H
#define NETJOIN_EVENT_H

#include <stdbool.h>
#include "netjoin/model.h"
#include "netjoin/route.h"

enum nj_event_kind {
	NJ_EVENT_LINK = 1,
	NJ_EVENT_ADDR,
	NJ_EVENT_ROUTE,
	NJ_EVENT_NEIGH,
};

struct nj_event {
	enum nj_event_kind kind;
	bool del; /* RTM_DEL*: the object as it was */
	union {
		struct nj_link link;
		struct nj_addr addr;
		struct nj_route route; /* owns its nexthops: nj_event_free */
		struct nj_neigh neigh;
	} u;
};

/* "link", "addr", "route", "neigh": the "kind" of an event line. */
const char *nj_event_kind_name(enum nj_event_kind k);
/* Free what a decoded event owns (a route's nexthops). */
void nj_event_free(struct nj_event *ev);

#endif
