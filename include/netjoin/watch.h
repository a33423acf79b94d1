/* --watch: the link, address, route and neighbour events of a target's
 * network namespace (or of every namespace on the node, -L) as they
 * happen, one line each. A socket made inside each namespace, joined to
 * its rtnetlink groups, is read from netjoin's own namespace; no
 * namespace is kept alive once its owner is gone. */
#ifndef NETJOIN_WATCH_H
#define NETJOIN_WATCH_H

#include <stdbool.h>
#include <stdio.h>
#include "netjoin/err.h"
#include "netjoin/hostroot.h"
#include "netjoin/inventory.h"
#include "netjoin/target.h"

struct watch_opts {
	FILE *out;  /* lines go here, flushed (with stdout) after each */
	bool json;
};

/* How often -L --watch looks for namespaces that came or went when no
 * state directory said so, and how often a single target's pin (an nsfs
 * file) is checked, in milliseconds. */
#define WATCH_RESCAN_MS 2000
#define WATCH_PIN_MS 1000

/* Watch t (resolved, its handle open; closed here, so that nothing of
 * ours keeps its namespace). Returns 0 when ended by SIGINT, SIGTERM or a
 * reader that went away (a write error is left in stdout's error flag),
 * or -errno with e: class NJ_GONE when the target's process exited or
 * its pin was removed, everything of ours in its namespace closed. */
int watch_target(const struct watch_opts *o, struct nj_target *t,
		 struct nj_err *e);

/* -L --watch: every namespace on the node, and those that come and go. */
int watch_node(const struct watch_opts *o, const struct nj_ctx *ctx,
	       struct nj_err *e);

/* RLIMIT_NOFILE for need fds: 0 when the soft limit is enough, 1 when it
 * was raised to the hard limit, or -EMFILE with e when even that is too
 * few. */
int watch_fd_limit(size_t need, struct nj_err *e);


/* The -L rescan's difference, pure: which of the namespaces known
 * ((dev, ino) pairs) the scan cur no longer has (gone[i] for known[i]),
 * and which of cur's are new (fresh[i] for cur->v[i]). Returns how many
 * changed. */
size_t watch_diff(const struct nj_inventory *cur,
		  const unsigned long long (*known)[2], size_t nknown,
		  bool *gone, bool *fresh);

#endif
