/* The only module that talks netlink (through libmnl): the decoders and
 * dumps of every model (model.h, route.h, sock.h). No writer or target
 * declaration is seen from here. */
#ifndef NETJOIN_NL_H
#define NETJOIN_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <sys/types.h>
#include "netjoin/event.h"
#include "netjoin/model.h"
#include "netjoin/route.h"
#include "netjoin/sock.h"

/* Pure decoders: one RTM_NEWLINK / RTM_NEWADDR message into a model
 * struct. Unknown attributes are skipped; known ones are validated before
 * use. Return 0, or -EINVAL for a malformed or unexpected message (out is
 * then unspecified), or -EAFNOSUPPORT for an address family we don't list. */
int netlink_decode_link(const struct nlmsghdr *nlh, struct nj_link *out);
int netlink_decode_addr(const struct nlmsghdr *nlh, struct nj_addr *out);

struct mnl_socket;

/* A netlink socket of bus (NETLINK_ROUTE, NETLINK_SOCK_DIAG) in the
 * current network namespace, or (nsfd >= 0) in that one: the calling
 * thread steps in for the socket() call only. 0 or -errno;
 * -ENOTRECOVERABLE when it could not step back out: the thread is left in
 * the other namespace, and the run must end, since anything it did next
 * would read or act on the wrong network. */
int netlink_open(int bus, int nsfd, struct mnl_socket **out);
/* The same, for callers that make many: homefd is the calling thread's own
 * namespace (opened once), which it returns to. */
int netlink_open_from(int bus, int nsfd, int homefd, struct mnl_socket **out);
/* An rtnetlink socket in the current namespace, joined to a watch's
 * groups (netlink_subscribe): 0 or -errno, nothing left open on failure. */
int netlink_open_events(struct mnl_socket **out);
void netlink_close(struct mnl_socket *nl);
/* The cookie of nl's namespace (SO_NETNS_COOKIE, Linux 5.14): unlike its
 * inode number, never given to another namespace while the system runs.
 * 0 or -errno (-ENOPROTOOPT before 5.14). */
int netlink_netns_cookie(struct mnl_socket *nl, uint64_t *cookie);

/* Send the dump request req (its seq and flags are set here) and run cb
 * on every answer until NLMSG_DONE. A dump the kernel marks
 * NLM_F_DUMP_INTR (it raced with a change) is redone from the start, after
 * reset(data), up to 64 times, then -EAGAIN. 0 or -errno. */
int netlink_dump_run(struct mnl_socket *nl, struct nlmsghdr *req, mnl_cb_t cb,
	    void (*reset)(void *data), void *data);

/* One received buffer of an answer to request seq on socket portid (a
 * zero matches any), without the socket: cb runs on each data message in
 * turn. Returns NL_REPLY_MORE when the buffer ends before the answer
 * does (read on); 0 at its end (NLMSG_DONE, an acknowledgement, or cb's
 * MNL_CB_STOP); or -errno: the error an NLMSG_ERROR or NLMSG_DONE
 * carries, cb's (errno, else -EIO, when it returns MNL_CB_ERROR),
 * -EBADMSG for bytes that are not whole messages or an error that is no
 * errno (beyond 4095), -EPROTO or -ESRCH for
 * a message of another request or sender. A message marked
 * NLM_F_DUMP_INTR sets *intr; from there on cb is not called and the end
 * of that dump returns 0, whatever it carries, since the caller redoes
 * it. */
#define NL_REPLY_MORE 1
int netlink_reply_run(const void *buf, size_t len, unsigned int seq,
		 unsigned int portid, mnl_cb_t cb, void *data, bool *intr);

/* Send req (a request, not a dump; its flags and seq are set here) and
 * run cb on the answer. 0, or -errno (an NLMSG_ERROR answer's too). */
int netlink_request(struct mnl_socket *nl, struct nlmsghdr *req, mnl_cb_t cb,
	       void *data);

/* The id nl's namespace has for the namespace of fd (what its links'
 * IFLA_LINK_NETNSID name). 0, -ENOENT if it has none, or -errno. */
int netlink_get_nsid(struct mnl_socket *nl, int fd, int32_t *nsid);
/* The id in one received answer to RTM_GETNSID (netlink_reply_run's seq and
 * portid): >= 0, -ENOENT when the answer has none, or -errno. */
int netlink_nsid_parse(const void *buf, size_t len, unsigned int seq,
		  unsigned int portid);

/* The one link of nl's namespace with that ifindex. 0, -ENODEV if there
 * is none, or -errno; out is written only on success. */
int netlink_get_link(struct mnl_socket *nl, int32_t ifindex, struct nj_link *out);

/* Every link and address on nl's namespace into d (reset first). */
int netlink_dump_links_addrs(struct mnl_socket *nl, struct nj_dump *d);
/* Links only (a peer's name and bridge need no addresses). */
int netlink_dump_links(struct mnl_socket *nl, struct nj_dump *d);

/* Pure decoders: one RTM_NEWROUTE / RTM_NEWNEIGH message into a model
 * struct, validated like netlink_decode_link. Return 0, -EINVAL for a malformed
 * message, -EAFNOSUPPORT for a family other than inet and inet6 (MPLS,
 * multicast routing, bridge FDB). netlink_decode_neigh also returns -ENOENT for
 * an entry `ip neigh` does not list by default (NUD_NONE or only NOARP,
 * unless proxy or externally learned). out is written only on 0; a route
 * then owns its nexthops (nj_route_free). netlink_decode_route may also return
 * -ENOMEM. */
int netlink_decode_route(const struct nlmsghdr *nlh, struct nj_route *out);
int netlink_decode_neigh(const struct nlmsghdr *nlh, struct nj_neigh *out);

/* Every inet and inet6 route of nl's namespace, of table (0: every
 * table, like `ip route show table all`), in dump order. On success out's
 * previous contents are freed and replaced; on failure out is untouched.
 * Cached routes (RTM_F_CLONED) are left out, as ip leaves them out.
 * Unlike `ip route show table N`, which shows IPv4 only, a table N keeps
 * its IPv6 routes. 0 or -errno. */
int netlink_dump_routes(struct mnl_socket *nl, uint32_t table,
		   struct nj_routes *out);
/* The neighbours `ip neigh` lists, then the proxy entries `ip neigh show
 * proxy` lists; out as with netlink_dump_routes. 0 or -errno. */
int netlink_dump_neighs(struct mnl_socket *nl, struct nj_neighs *out);

/* Pure decoder: one SOCK_DIAG_BY_FAMILY answer (struct inet_diag_msg and
 * its attributes) of a dump for protocol (IPPROTO_TCP or IPPROTO_UDP:
 * the message does not say) into *out, with no owners. Attributes unknown
 * here are skipped; INET_DIAG_SKV6ONLY is validated before use. Returns 0,
 * or -EINVAL for a malformed or unexpected message (wrong type, short, a
 * family other than AF_INET/AF_INET6, another protocol); *out is written
 * only on success. The caller guarantees nlh->nlmsg_len readable bytes. */
int netlink_decode_sock(const struct nlmsghdr *nlh, uint8_t protocol,
		   struct nj_sock *out);

/* The TCP and UDP sockets, IPv4 and IPv6, of nl's namespace into out
 * (emptied first): four inet_diag_req_v2 dumps on a NETLINK_SOCK_DIAG
 * socket the caller opened there (netlink_open(NETLINK_SOCK_DIAG, nsfd, &nl)).
 * The states are ss's: every state (ss -a), or with listening_only
 * LISTEN and CLOSE (ss -l), which for UDP means the unconnected sockets,
 * bound or not. Malformed answers are left out. Returns 0 or -errno,
 * -EPROTONOSUPPORT when the kernel has no inet_diag for TCP or UDP
 * (tcp_diag/udp_diag not built); out then holds a part, to free. Owners
 * are not looked up here. */
int netlink_dump_sockets(struct mnl_socket *nl, bool listening_only,
		    struct nj_socks *out);

/* Events (event.c). Join nl, opened inside a namespace, to its link,
 * address, route and neighbour groups (ip monitor's); 0 or -errno. */
int netlink_subscribe(struct mnl_socket *nl);
/* The socket's fd, to poll. */
int netlink_fd(struct mnl_socket *nl);
/* One datagram of notifications, without blocking: its length, or
 * -errno (-EAGAIN: none waiting; -ENOBUFS: the kernel dropped some,
 * the socket goes on). */
ssize_t netlink_event_recv(struct mnl_socket *nl, void *buf, size_t sz);
/* Pure decoder: one notification (RTM_NEW/DEL LINK, ADDR, ROUTE, NEIGH)
 * into out with the decoder of its kind. 0; -ENOENT for a type that is
 * not one of these or an entry ip leaves out (a cached route, a neighbour
 * ip neigh does not list); else that decoder's error. out is written only
 * on 0; free it with nj_event_free. */
int netlink_decode_event(const struct nlmsghdr *nlh, struct nj_event *out);

#endif
