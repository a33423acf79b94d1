/* Enumerating network namespaces (the inventory's first pass). */
#ifndef NETJOIN_NSSCAN_H
#define NETJOIN_NSSCAN_H

#include "netjoin/inventory.h"

/* Every network namespace, in one pass: nsfs mounts of our mount
 * namespace, then each process's namespace, namespace fds, threads'
 * namespaces and its mount namespace's nsfs mounts. 0 or -errno. */
int nsscan(struct nj_inventory *inv);

#endif
