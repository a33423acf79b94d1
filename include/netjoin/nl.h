/* The only module that talks netlink (through libmnl). */
#ifndef NETJOIN_NL_H
#define NETJOIN_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include "netjoin/model.h"

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
void netlink_close(struct mnl_socket *nl);

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

#endif
