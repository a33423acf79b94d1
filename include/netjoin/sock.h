/* TCP and UDP sockets of a network namespace, as `ss -tuanp` lists them:
 * the model. Its NETLINK_SOCK_DIAG decoder and dump (src/netlink/sockdiag.c)
 * are in nl.h, the owning processes from /proc (src/sockowners.c) in sockowners.h,
 * the writers for an out_section (src/writers/sock.c) in out_sock.h. */
#ifndef NETJOIN_SOCK_H
#define NETJOIN_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif
