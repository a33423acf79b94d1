/* The only module that talks netlink (through libmnl). */
#ifndef NETJOIN_NL_H
#define NETJOIN_NL_H

#include <linux/netlink.h>
#include "netjoin/model.h"

/* Pure decoders: one RTM_NEWLINK / RTM_NEWADDR message into a model
 * struct. Unknown attributes are skipped; known ones are validated before
 * use. Return 0, or -EINVAL for a malformed or unexpected message (out is
 * then unspecified), or -EAFNOSUPPORT for an address family we don't list. */
int nl_decode_link(const struct nlmsghdr *nlh, struct nj_link *out);
int nl_decode_addr(const struct nlmsghdr *nlh, struct nj_addr *out);

/* Dump every link and address of the current network namespace into d
 * (links then addresses; a dump interrupted by a concurrent change,
 * NLM_F_DUMP_INTR, is retried). d must be zeroed or reset. Returns 0 or
 * -errno. */
int nl_dump_netns(struct nj_dump *d);

#endif
