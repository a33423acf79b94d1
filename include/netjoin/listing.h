/* The listing of the joined namespace (interfaces and the sections the
 * options ask for) and of the whole node (-L, --find): gathering the data
 * and handing it to the writers. */
#ifndef NETJOIN_LISTING_H
#define NETJOIN_LISTING_H

#include <stdint.h>
#include <stdio.h>
#include "netjoin/err.h"
#include "netjoin/inventory.h"
#include "netjoin/out.h"
#include "netjoin/target.h"

enum { OUT_TEXT, OUT_BRIEF, OUT_JSON };

struct listing {
	int format;
	int details;
	int stats;                             /* --stats given once or twice */
	int routes, neigh, sockets, listening; /* extra sections */
	uint32_t table;                        /* --table, 0: every table */
	/* Not options: main.c finds them (out_opts) */
	size_t width;
	int utf8;
};

/* Dump the current namespace as l asks and write it to f. home_fd is the
 * namespace netjoin started in (for veth peers), or -1. 0 or -errno with
 * e set; write errors are the caller's to find (ferror). */
int listing_write(FILE *f, const struct listing *l, const struct nj_ctx *ctx,
		  int home_fd, const struct out_target *ot, struct nj_err *e);

/* -L (q NULL) or --find q: every namespace on the node. *matches gets
 * how many matched q. 0 or -errno with e set. */
int listing_node(FILE *f, const struct listing *l, const struct nj_ctx *ctx,
		 const struct nj_query *q, size_t *matches, struct nj_err *e);

/* --complete (hidden, for the shell completions): target strings that
 * select what is on this machine now, one a line. */
int listing_complete(FILE *f, const struct nj_ctx *ctx);

#endif
