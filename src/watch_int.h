/* The loop shared by --watch TARGET (watch.c) and -L --watch
 * (watchnode.c); for them only. */
#ifndef NETJOIN_WATCH_INT_H
#define NETJOIN_WATCH_INT_H

#include <pthread.h>
#include <stdatomic.h>
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
	WATCH_SRC_SCAN,
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
	/* -L --watch: whether its owners were known when reported, and
	 * when it was first seen (CLOCK_MONOTONIC, ms) */
	bool named;
	long long seen_ms;
};

/* A runtime may make a namespace before it writes the state that names
 * it (the CRI pins a pod's namespace before it starts the sandbox): a
 * namespace reported without owners is looked up again this long, every
 * WATCH_RELOOK_MS for the first WATCH_RELOOK_FAST_MS, and reported again
 * ("new", as rtnetlink reports a change) once they are known. */
#define WATCH_NAME_MS 10000
#define WATCH_RELOOK_FAST_MS 3000
#define WATCH_RELOOK_MS 250

long long watch_now_ms(void);

struct watch {
	const struct watch_opts *o;
	int ep, sig, inotify, home;
	int scan_done;             /* eventfd of the rescans' threads, -1 */
	struct watch_src sig_src, inotify_src, out_src, scan_src;
	struct watch_ns **v;
	size_t n, cap;
	char *buf;
	bool stop;
};

struct watch_ready {
	bool inotify; /* a watched directory changed */
	bool exited;  /* a pidfd became readable (it is closed) */
	bool scanned; /* the rescan's thread is done */
};

/* -L --watch's rescan (watchscan.c), made in a thread of its own so that
 * events are read and written meanwhile: what the node holds now against
 * what was watched when it began, and a socket (and pidfd) opened in
 * each new namespace. The loop's thread owns everything else; it reads
 * the result only after joining the scan's thread. */
struct watch_scan {
	/* in: set by watch_scan_start */
	const struct nj_ctx *ctx;
	int home;                  /* netjoin's own namespace */
	unsigned long long (*known)[2]; /* (dev, ino) of those watched */
	bool *exited;              /* known[i]'s pidfd was readable */
	bool *relook;              /* known[i] has no owners yet: look again */
	size_t nknown;
	/* out */
	struct nj_inventory inv;
	bool *gone;                /* known[i] is no longer on the node */
	int *repid;                /* known[i] exited: its next process's
				      pidfd, -1 */
	size_t *named;             /* known[i] has owners now: 1 + its
				      index in inv, 0 */
	struct watch_ns **fresh;   /* inv.v[i] is new: its watch (socket
				      open, links read), NULL */
	int r;                     /* 0 or -errno with e */
	struct nj_err e;
	/* the thread */
	pthread_t thread;
	int done;                  /* w's scan_done: written when it ends */
	bool running;
	atomic_bool stop;          /* the loop ends: open no more */
};

int watch_init(struct watch *w, const struct watch_opts *o, struct nj_err *e);
void watch_fini(struct watch *w);
struct watch_ns *watch_ns_open(int home, int fd, bool is_pidfd,
			       pid_t pid, const char *target, int *err,
			       struct nj_err *e);
void watch_ns_close(struct watch *w, struct watch_ns *ns);
int watch_ns_add(struct watch *w, struct watch_ns *ns);
int watch_ns_pidfd(struct watch *w, struct watch_ns *ns, int pidfd);
void watch_ns_pidfd_close(struct watch *w, struct watch_ns *ns);
int watch_ns_read(struct watch *w, struct watch_ns *ns);
int watch_wait(struct watch *w, int timeout_ms, struct watch_ready *ready);
int watch_inotify_add(struct watch *w, const char *dir, uint32_t also);
int watch_ep_add(struct watch *w, int fd, uint32_t events,
		 struct watch_src *s);

/* The rescan of what w watches now, started in its thread (the end is
 * told by w's loop: ready.scanned). 0 or -errno. */
int watch_scan_start(struct watch *w, struct watch_scan *s,
		     const struct nj_ctx *ctx);
/* The same in the calling thread, for the first scan (nothing to read
 * meanwhile). */
int watch_scan_here(struct watch *w, struct watch_scan *s,
		    const struct nj_ctx *ctx);
/* After ready.scanned: the thread joined, its result in s. */
void watch_scan_join(struct watch_scan *s);
/* Everything of s not taken (set to NULL or -1) by the loop closed; the
 * thread stopped and joined if it still runs. */
void watch_scan_free(struct watch_scan *s);

#endif
