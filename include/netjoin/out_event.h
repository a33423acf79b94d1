/* Writers of a watch's lines: one event a line, as ip -ts monitor prints
 * it (text), or one JSON object a line with the fields of ip -j plus
 * "time", "event", "kind" and "target". */
#ifndef NETJOIN_OUT_EVENT_H
#define NETJOIN_OUT_EVENT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include "netjoin/event.h"
#include "netjoin/inventory.h"
#include "netjoin/model.h"

/* Where an event happened. */
struct out_event_src {
	const char *target;             /* a target string for the namespace */
	unsigned long long netns_inode;
	bool name_target;               /* text: name it on every line (-L) */
};

/* The time of a line: "2026-12-02T08:01:30.031392" in local time (as
 * ip -ts), and in JSON with the zone's offset ("...+00:00"). */
void out_event_time(char *buf, size_t sz, const struct timespec *ts,
		    bool json);

/* One event; links (the namespace's, kept up to date by the caller)
 * name the interfaces. */
void out_event(FILE *f, bool json, const struct timespec *ts,
	       const struct out_event_src *s, const struct nj_event *ev,
	       const struct nj_dump *links);
/* The kernel dropped events of this namespace (ENOBUFS). */
void out_event_overrun(FILE *f, bool json, const struct timespec *ts,
		       const struct out_event_src *s);
/* A namespace that appeared (r: its record, with its owners) or went
 * away (r NULL), -L --watch: kind "netns" (writers/inventory.c). */
void out_event_netns(FILE *f, bool json, const struct timespec *ts,
		     const struct out_event_src *s, const struct nj_nsrec *r);

#endif
