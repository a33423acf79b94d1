/* Enumerating network namespaces (the inventory's first pass). */
#ifndef NETJOIN_NSSCAN_H
#define NETJOIN_NSSCAN_H

#include "netjoin/inventory.h"

/* Every process's namespace and every namespace held by an open fd. */
int nsscan_procs(struct nj_inventory *inv);
/* Every nsfs bind mount of a network namespace (/proc/self/mountinfo). */
int nsscan_mounts(struct nj_inventory *inv);

#endif
