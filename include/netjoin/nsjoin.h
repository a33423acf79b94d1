/* Opening and entering network namespaces: setns(fd, CLONE_NEWNET) and
 * nothing else. */
#ifndef NETJOIN_NSJOIN_H
#define NETJOIN_NSJOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "netjoin/err.h"

/* Open an nsfs file and check it is a network namespace. Returns the fd or
 * -errno: -ENOTTY not a namespace file, -EINVAL another namespace type
 * (e names it). */
int nsjoin_open_path(const char *path, struct nj_err *e);

/* Open a pidfd for pid and check the process is the one whose start time
 * (from /proc/N/stat, clock ticks) was resolved; start_time 0 skips the
 * check. Returns the fd or -errno (-ESRCH: gone, e class NJ_GONE). */
int nsjoin_open_pid(pid_t pid, unsigned long long start_time,
		    struct nj_err *e);

/* Enter the network namespace of fd (an nsfs fd or a pidfd of pid).
 * Falls back to /proc/pid/ns/net on kernels whose setns() does not take
 * pidfds, checking through the pidfd that the process is still alive. */
int nsjoin_enter(int fd, int is_pidfd, pid_t pid, struct nj_err *e);

/* The inode of the calling thread's network namespace, or 0. */
unsigned long long nsjoin_current_inode(void);

/* The name of a namespace type constant (CLONE_NEWNET -> "network"). */
const char *nsjoin_type_name(int nstype);

#endif
