/* The processes that hold each socket, found through /proc (src/sockowners.c),
 * and the pure parsers of what it reads there. */
#ifndef NETJOIN_SOCKOWNERS_H
#define NETJOIN_SOCKOWNERS_H

#include <stddef.h>
#include <stdint.h>
#include "netjoin/sock.h"

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

#endif
