/* The loop shared by --watch TARGET (watch.c) and -L --watch
 * (watchnode.c); for them only. */
#ifndef NETJOIN_WATCH_INT_H
#define NETJOIN_WATCH_INT_H

#include <stdbool.h>
#include <sys/types.h>
#include "netjoin/model.h"
#include "netjoin/out_event.h"
#include "netjoin/watch.h"

struct mnl_socket;
struct watch_ns;

enum watch_src_type {
	WATCH_SRC_SOCKET,
	WATCH_SRC_PIDFD,
	WATCH_SRC_SIGNAL,
	WATCH_SRC_INOTIFY,
	WATCH_SRC_STDOUT,
};

/* What an epoll event points at. */
struct watch_src {
	enum watch_src_type type;
	struct watch_ns *ns;
};

/* One watched namespace. */
struct watch_ns {
	struct watch_src sock_src, pid_src;
	struct mnl_socket *nl;     /* joined to its groups */
	struct nj_dump links;      /* its links, kept up to date */
	unsigned long long dev, ino;
	char target[700];
	struct out_event_src es;
	int pidfd;                 /* the process it was found through, -1 */
	char *pin;                 /* an nsfs file naming it, checked */
	bool exited;               /* pidfd became readable */
	bool seen;                 /* -L: found by the last scan */
};

struct watch {
	const struct watch_opts *o;
	int ep, sig, inotify, home;
	struct watch_src sig_src, inotify_src, out_src;
	struct watch_ns **v;
	size_t n, cap;
	char *buf;
	bool stop;
};

struct watch_ready {
	bool inotify; /* a watched directory changed */
	bool exited;  /* a pidfd became readable */
};

int watch_init(struct watch *w, const struct watch_opts *o, struct nj_err *e);
void watch_fini(struct watch *w);
struct watch_ns *watch_ns_open(struct watch *w, int fd, bool is_pidfd,
			       pid_t pid, const char *target, int *err,
			       struct nj_err *e);
void watch_ns_close(struct watch *w, struct watch_ns *ns);
int watch_ns_add(struct watch *w, struct watch_ns *ns);
int watch_ns_pidfd(struct watch *w, struct watch_ns *ns, int pidfd);
void watch_ns_pidfd_close(struct watch *w, struct watch_ns *ns);
int watch_ns_read(struct watch *w, struct watch_ns *ns);
int watch_wait(struct watch *w, int timeout_ms, struct watch_ready *ready);
bool watch_pin_holds(const struct watch_ns *ns);
int watch_inotify_add(struct watch *w, const char *dir);

#endif
