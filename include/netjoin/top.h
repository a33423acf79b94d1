/* --top: traffic rates from two samples of the links' counters
 * (IFLA_STATS64), per network namespace of the node or per interface of
 * one joined namespace. The rates are computed by pure functions of two
 * samples; sampling is one node scan and one link dump per namespace,
 * what -L does without the addresses. */
#ifndef NETJOIN_TOP_H
#define NETJOIN_TOP_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include "netjoin/err.h"
#include "netjoin/inventory.h"
#include "netjoin/model.h"
#include "netjoin/target.h"

enum top_state {
	TOP_LIVE,  /* in both samples: rates */
	TOP_NEW,   /* only in the later sample: no rates yet */
	TOP_GONE,  /* only in the earlier one: shown once, no rates */
};

/* Per second. errors and drops are rx and tx together. */
struct top_rates {
	double rx_bytes, tx_bytes, rx_packets, tx_packets, errors, drops;
};

/* A namespace (ns set: the node view) or an interface (link set: one
 * target's view), from the later sample, or from the earlier one when
 * it is gone. */
struct top_row {
	const struct nj_nsrec *ns;
	const struct nj_link *link;
	enum top_state state;
	int err;           /* -errno: the namespace could not be read now */
	struct top_rates r; /* all 0 unless live and read both times */
};

struct top_rows {
	struct top_row *v;
	size_t n, cap;
};

/* Pure: the rows between two samples secs apart, busiest first (bytes,
 * then packets, then errors and drops per second; ties in namespace
 * inode or ifindex order, live before new before gone). Namespaces are
 * the same by (dev, ino) and, where both samples know it, cookie;
 * interfaces by ifindex and name. An interface
 * that is not in both samples under one ifindex and name, or one of
 * whose counters went down (recreated, moved between namespaces),
 * counts 0 for the interval, never a negative or huge rate; so does
 * every interface when secs is not above 0. The node view leaves
 * loopback interfaces out of a namespace's rates (their traffic never
 * leaves it). rows is emptied first and points into prev and cur. 0 or
 * -ENOMEM. */
int top_node_rates(const struct nj_inventory *prev,
		   const struct nj_inventory *cur, double secs,
		   struct top_rows *rows);
int top_link_rates(const struct nj_dump *prev, const struct nj_dump *cur,
		   double secs, struct top_rows *rows);
void top_rows_free(struct top_rows *rows);

struct mnl_socket;

/* The sampler: the node's namespaces, or the current (joined) one. */
struct top {
	bool node;
	const struct nj_ctx *ctx;
	struct mnl_socket *nl;       /* one target: a socket made here */
	struct nj_inventory inv[2];  /* the node: the last two samples */
	struct nj_dump dump[2];      /* one target: the last two samples */
	struct timespec mono[2];     /* when each was read: CLOCK_MONOTONIC */
	struct timespec wall[2];     /* and CLOCK_REALTIME */
	int cur;                     /* the later sample's index */
	unsigned taken;              /* samples taken, up to 2 */
	/* one target, followed (top_follow): what says it went away */
	bool follow;
	const char *spec;            /* the target as given */
	int pidfd;                   /* its process: readable when it exits */
	pid_t pid;
	char *pin;                   /* its nsfs file, or NULL */
	unsigned long long dev, ino; /* the namespace joined */
	int home;                    /* netjoin's own namespace */
};

/* How often a followed target is looked at between samples, in ms. */
#define TOP_CHECK_MS 250

/* Ready to sample the node, or (node false) the current namespace.
 * 0 or -errno with e set. */
int top_open(struct top *t, const struct nj_ctx *ctx, bool node,
	     struct nj_err *e);
/* Take a sample; the one before the last is dropped. 0 or -errno with e
 * set (-ENOTRECOVERABLE: the thread could not come back from a
 * namespace, and the run must end). */
int top_sample(struct top *t, struct nj_err *e);
/* Follow target tg, whose namespace this thread has joined, as --watch
 * does: its pidfd (taken from tg) says when its process exits; its nsfs
 * file (tg->path), when that is removed or names another namespace. tg
 * is closed (an nsfs fd would keep the namespace); home (netjoin's own
 * namespace, or -1) is kept to go back to, and closed with t. Call
 * after top_open. 0 or -ENOMEM with e. */
int top_follow(struct top *t, struct nj_target *tg, int home,
	       struct nj_err *e);
/* 0 while the followed target is there (or none is followed). Gone:
 * everything of t in its namespace closed, the thread back home, and
 * -ESRCH or -ENOENT with e (class NJ_GONE) saying which. */
int top_gone(struct top *t, struct nj_err *e);
/* The rows between the last two samples (top_*_rates) and the seconds
 * between their readings. 0 or -ENOMEM; -EAGAIN before two samples. */
int top_rows(const struct top *t, struct top_rows *rows, double *secs);
void top_close(struct top *t);

/* What a writer says beside the rows. */
struct top_frame {
	struct timespec time;        /* of the later sample, CLOCK_REALTIME */
	double secs;                 /* the rates are over this */
	const char *target;          /* one target's view: as given; NULL: the node */
	unsigned long long netns_inode; /* one target's namespace */
	int width, height;           /* a terminal's: lines cut at width
					(in characters), at most height
					lines; 0: no limit */
};

/* Writers (src/writers/top.c). Text: a title line, a header and a row
 * each; every name escaped. JSON: one object on one line. */
void out_top_text(FILE *f, const struct top_frame *fr,
		  const struct top_rows *rows);
void out_top_json(FILE *f, const struct top_frame *fr,
		  const struct top_rows *rows);
/* "2026-12-02T08:01:01.123Z" into buf (at least 25 bytes). Pure. */
const char *out_top_time(const struct timespec *ts, char *buf, size_t sz);

#endif
