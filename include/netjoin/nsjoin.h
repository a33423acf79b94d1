/* Opening and entering network namespaces: setns(fd, CLONE_NEWNET) and
 * nothing else. */
#ifndef NETJOIN_NSJOIN_H
#define NETJOIN_NSJOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
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

/* The user namespace that owns the network namespace of fd (an nsfs fd,
 * or a pidfd of pid: then it must also be pid's own user namespace),
 * opened, with its owner's uid in owner. Fails closed: -errno when any
 * of it cannot be told. */
int nsjoin_open_userns(int fd, int is_pidfd, pid_t pid, uid_t *owner,
		       struct nj_err *e);

/* setns(userns_fd, CLONE_NEWUSER), as the user that owns it: the
 * credentials stay the caller's (nsenter --preserve-credentials), with
 * that namespace's capabilities. */
int nsjoin_enter_user(int userns_fd, struct nj_err *e);

/* The device and inode of the calling thread's network namespace (the
 * process's where there is no /proc/thread-self, before Linux 3.17).
 * 0 or -errno; dev and ino are written only on success. */
int nsjoin_current_ns(unsigned long long *dev, unsigned long long *ino);

/* The host's network namespace (its st_dev, st_ino into out): PID 1's;
 * where PID 1 cannot be seen (netjoin in a PID namespace of its own), the
 * one netjoin started in: home_fd's, or with home_fd < 0 this process's,
 * which must not have joined anything yet. 0 or -errno. */
int nsjoin_host_ns(int home_fd, struct stat *out);

/* Whether pin (a namespace's nsfs file, /run/netns/NAME) still is the
 * namespace (dev, ino) it was: neither removed nor replaced. */
bool nsjoin_pin_holds(const char *pin, unsigned long long dev,
		      unsigned long long ino);


#endif
