/* Peers across namespaces: for each link of the current namespace whose
 * other end lives elsewhere (IFLA_LINK_NETNSID), that end's name, bridge,
 * namespace and owner. */
#ifndef NETJOIN_PEERS_H
#define NETJOIN_PEERS_H

#include "netjoin/model.h"
#include "netjoin/target.h"

/* Fill d->peers. home_fd is the nsfs fd of the namespace netjoin started
 * in (asked first: a container's veth usually ends there); other
 * namespaces come from the node-wide inventory, only if needed. Peers
 * that cannot be found stay unfound; 0, -ENOMEM, or -ENOTRECOVERABLE when
 * the thread could not come back from another namespace (see netlink_open). */
int peers_resolve(const struct nj_ctx *ctx, int home_fd, struct nj_dump *d);

#endif
