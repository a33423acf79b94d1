/* TCP and UDP sockets of a network namespace, as `ss -tuanp` lists them:
 * the model, its NETLINK_SOCK_DIAG decoder and dump (src/netlink/sockdiag.c),
 * the owning processes from /proc (src/sockowners.c) and the writers for an
 * out_section (src/writers/sock.c). */
#ifndef NETJOIN_SOCK_H
#define NETJOIN_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct jw;
struct mnl_socket;
struct nlmsghdr;
struct nj_dump;
struct out_opts;

/* A process holding the socket: one per (process, file descriptor). */
struct nj_sock_owner {
	int32_t pid;
	int32_t fd;
	char comm[64]; /* /proc/PID/comm without its newline */
};

struct nj_sock {
	uint8_t protocol; /* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t family;   /* AF_INET or AF_INET6 */
	/* The kernel's TCP_* state; an unconnected UDP socket is TCP_CLOSE
	 * (ss: UNCONN), a connected one TCP_ESTABLISHED. */
	uint8_t state;
	/* INET_DIAG_SKV6ONLY: the kernel says it for IPv6 sockets in LISTEN
	 * and CLOSE only. A wildcard of a socket that is not v6only takes
	 * IPv4 too, and ss writes it "*" rather than "[::]". */
	bool has_v6only, v6only;
	uint8_t local[16], peer[16]; /* 4 or 16 bytes used, network order */
	uint16_t lport, pport;       /* host order; 0: none */
	uint32_t ifindex; /* bound device or link-local scope; 0: none */
	uint32_t inode;   /* 0 for TIME-WAIT and not yet accepted sockets */
	uint32_t uid;
	uint32_t rqueue, wqueue; /* ss's Recv-Q and Send-Q */
	/* From sockowners_fill, sorted by pid then fd; none until then. */
	struct nj_sock_owner *owners;
	size_t nowners, owners_cap;
};

/* The sockets of one namespace in ss's order: UDP then TCP, IPv4 then
 * IPv6, each in the kernel's dump order. */
struct nj_socks {
	struct nj_sock *v;
	size_t n, cap;
};

/* Free the sockets and their owners; s is left empty. NULL is fine. */
void nj_socks_free(struct nj_socks *s);
/* Drop the sockets from index n on (their owners freed), keeping the
 * array. */
void nj_socks_truncate(struct nj_socks *s, size_t n);
/* Append a copy of *sk (owners not copied: the new one has none).
 * 0 or -ENOMEM. */
int nj_socks_push(struct nj_socks *s, const struct nj_sock *sk);
/* Add an owner to sk. 0 or -ENOMEM. */
int nj_sock_add_owner(struct nj_sock *sk, int32_t pid, int32_t fd,
		      const char *comm);

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

/* Parse a /proc/PID/fd/N link target "socket:[INODE]" (len bytes, not
 * NUL-terminated). Returns 0 and the inode, -EINVAL for anything else. */
int sockowners_parse_socket_link(const char *s, size_t len, uint32_t *inode);
/* A /proc directory name or fd name: decimal digits only, no sign or
 * leading zero, fitting an int32. Returns 0 or -EINVAL. */
int sockowners_parse_id(const char *s, int32_t *out);
/* The text of /proc/PID/comm (len bytes) into comm: the trailing newline
 * dropped, cut to sz - 1 bytes. */
void sockowners_parse_comm(const char *s, size_t len, char *comm, size_t sz);

/* Find the processes holding each socket, like ss -p: one pass over the
 * links /proc/PID/fd/N against an index of the sockets' inodes (sorted,
 * binary search), the comm read once per process that has one. /proc is
 * netjoin's own (its PID namespace), whatever network namespace the
 * sockets are in: socket inodes are unique machine-wide. Processes that
 * vanish or hide mid-scan (ENOENT, ESRCH, EACCES, EPERM; ENOTDIR) are
 * skipped, as ss skips them. Owners from an earlier call are replaced;
 * each socket's list is sorted by pid, then fd. Returns 0 or -errno
 * (/proc unreadable, out of memory or file descriptors); on error the
 * owners found so far stay. */
int sockowners_fill(struct nj_socks *s);
/* The same over another proc root (tests, a host's /proc elsewhere). */
int sockowners_fill_at(struct nj_socks *s, const char *proc);

/* Names in ss's spelling: "tcp"/"udp"; "LISTEN", "ESTAB", "UNCONN"... */
const char *out_sock_netid(uint8_t protocol);
const char *out_sock_state(uint8_t state);
/* An endpoint as ss -n writes it: "127.0.0.1:80", "[::1]:80", "*:80"
 * (an IPv6 wildcard that takes IPv4 too), "[::]:*" (port 0),
 * "[fe80::1]%eth0:53" (a local endpoint with an interface; its name from
 * d, "if<N>" when d does not have it). local chooses the endpoint. */
const char *out_sock_endpoint(const struct nj_sock *sk, bool local,
			      const struct nj_dump *d, char *buf, size_t sz);

/* out_section writers; socks is a struct nj_socks.
 * JSON, one object per socket: {"netid","state","recv_q","send_q",
 * "local":{"address","port"[,"interface"]},"peer":{"address","port"},
 * ["v6only",]"inode","uid","users":[{"pid","comm","fd"}]}; addresses
 * plain ("::", "0.0.0.0", "fe80::1"), port 0 where ss writes "*". */
void out_sockets_json(struct jw *w, const void *socks,
		      const struct nj_dump *d);
/* Text: "sockets:", then one line per socket in ss -tuanp's columns
 * (Netid State Recv-Q Send-Q Local:Port Peer:Port users:(...)); with
 * o->details, ss -e's " uid:N" (when not 0) and " ino:N" after them. */
void out_sockets_text(FILE *f, const void *socks, const struct nj_dump *d,
		      const struct out_opts *o);

#endif
