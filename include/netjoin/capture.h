/* --capture: libpcap handles opened inside many network namespaces, read
 * in one poll loop into one pcapng section (src/writers/pcapng.c). */
#ifndef NETJOIN_CAPTURE_H
#define NETJOIN_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include "netjoin/err.h"
#include "netjoin/pcapng.h"

#define CAPTURE_MAX_IFACES 64

/* What the command line asks (args.c). */
struct capture_opts {
	bool on;
	const char *ifaces[CAPTURE_MAX_IFACES]; /* -i; none: all but lo */
	size_t nifaces;
	const char *filter;        /* -f, tcpdump's syntax */
	unsigned long long count;  /* -c: packets in all, 0 no limit */
	unsigned long long duration_ns; /* --duration, 0 none */
	unsigned long long snaplen;
	const char *file;          /* -w; NULL or "-": stdout */
	char **targets;
	size_t ntargets;
};

#define CAPTURE_SNAPLEN 262144 /* tcpdump's */

struct mnl_socket;

/* One namespace captured: its interfaces are closed together when the
 * owner goes (its process exits, its pin is removed). Its links are
 * watched: one that comes up is captured from then on. */
struct cap_ns {
	char name[600];   /* a target string naming it */
	char desc[1024];  /* its owners as -L shows them */
	unsigned long long dev, ino;
	int pidfd;        /* its process, watched; -1 */
	char pin[4096];   /* its nsfs file, watched; "" */
	int nsfd;         /* the namespace, to open handles in later; -1 */
	struct mnl_socket *nl; /* its link events; NULL */
	bool open;
	bool events;      /* nl is readable */
};

struct cap_if {
	struct capture *c;
	void *pcap;       /* pcap_t, NULL once closed */
	size_t ns;        /* index into c->ns */
	char ifname[64];
	int ifindex;
	uint32_t id;      /* its Interface Description Block */
	int linktype;
	size_t ring;      /* its libpcap buffer, in bytes */
	uint64_t captured, recv, drop, start_ns, end_ns;
	char why[320];    /* why it was closed early, "" */
};

struct capture {
	const struct capture_opts *o;
	struct cap_ns *ns;
	size_t nns, ns_cap;
	struct cap_if *ifs;
	size_t nifs, ifs_cap;
	int home_fd;      /* netjoin's own network namespace */
	int out_fd;
	struct pcapng_buf buf;
	uint64_t total;
	int werr;         /* write error (-errno); -EPIPE: the reader left */
	size_t dupes;     /* targets in a namespace captured already */
	size_t down;      /* interfaces left for when they come up */
	bool started;     /* the section's head is written */
	FILE *notes;      /* "listening on" an interface opened later; NULL */
};

/* 0 or -errno (e). */
int capture_init(struct capture *c, const struct capture_opts *o,
		 struct nj_err *e);
void capture_free(struct capture *c);

/* Where the capture goes: -w FILE, or stdout, which must not be a
 * terminal (class NJ_USAGE). The fd, or -errno with e. */
int capture_open_out(const char *file, struct nj_err *e);

/* Open a handle on every interface (but lo, or those of -i) of the
 * network namespace of fd (an nsfs fd or a pidfd of pid; -1: our own):
 * join it, create, filter and activate each handle there, come back.
 * name and desc label its interfaces; pidfd (>= 0, kept) and pin ("" for
 * none) are what says its owner is gone. A namespace already captured
 * adds nothing. 0 or -errno; -ENOTRECOVERABLE: the thread could not come
 * back to its own namespace, and the run must end. */
int capture_add(struct capture *c, int fd, bool is_pidfd, pid_t pid,
		const char *name, const char *desc, int pidfd,
		const char *pin, struct nj_err *e);

/* Open a handle on ifname (ifindex) of c's namespace ns, which the thread
 * is in, and, once the capture has started, write its Interface
 * Description Block. 0; -ENETDOWN when the interface is down (e says
 * so); else -errno with e. */
int capture_open_if(struct capture *c, size_t ns, const char *ifname,
		    int ifindex, struct nj_err *e);
/* Is ifname one to capture (-i names it; without -i, it is not lo)? */
bool capture_wants(const struct capture_opts *o, const char *ifname);
/* Append f's Interface Description Block to c->buf; 0 or -ENOMEM. */
int capture_idb(struct capture *c, const struct cap_if *f);

/* Identity of the namespace of fd (as capture_add takes it), for
 * looking it up before adding. */
int capture_ns_of(int fd, bool is_pidfd, pid_t pid,
		  unsigned long long *dev, unsigned long long *ino);

/* Write the section and interfaces, then packets until -c, --duration,
 * SIGINT, SIGTERM, a closed pipe or no interface left; then the
 * statistics blocks. 0 (a reader that went away is no error) or -errno. */
int capture_run(struct capture *c, int out_fd, struct nj_err *e);

/* Read what f's handle holds now into the capture. */
void capture_drain(struct cap_if *f);
/* Close f's handle, its counters kept; why (may be NULL) says why it
 * closed before the end. */
void capture_close_if(struct cap_if *f, const char *why);
/* clk's time in nanoseconds. */
uint64_t capture_now_ns(clockid_t clk);

/* The interfaces about to be read, as tcpdump says "listening on"; those
 * opened later are said on f too. */
void capture_report_start(FILE *f, struct capture *c);
/* The "listening on" line of c->ifs[i]. */
void capture_report_listening(FILE *f, const struct capture *c, size_t i);
/* What tcpdump prints at its end, per interface and in all. */
void capture_report(FILE *f, const struct capture *c);

/* Links (caplink.c). Watch the link events of c's namespace ns, which
 * the thread is in: 0 or -errno with e. */
int caplink_watch(struct capture *c, size_t ns, struct nj_err *e);
/* Read ns's events: an interface that went away is closed, one that came
 * up (or, after lost events, any not yet read) is opened, joining the
 * namespace and coming back. 0, or -ENOTRECOVERABLE when the thread
 * could not come back. */
int caplink_read(struct capture *c, size_t ns);
/* Close ns's watch. */
void caplink_close(struct cap_ns *n);

/* Targets (capsel.c). */
struct nj_ctx;
struct nj_nsrec;
struct privs;

/* Does s hold a shell pattern character (*, ?, [)? Pure. */
bool capsel_is_pattern(const char *s);
/* Does pattern select r, by any name that selects it: its target string,
 * netns:NAME, its pin's path, or an owner's ID, name, RUNTIME:ID,
 * RUNTIME:NAME or pod:NS/NAME (pod:NAME is in namespace default)? A bare
 * word (no ':', no leading '/') is matched against owners' IDs and names
 * only, as a bare target names a container. '*' stops at '/'. Pure. */
bool capsel_match(const char *pattern, const struct nj_nsrec *r);
/* Every target of c->o, resolved (patterns through the node's
 * inventory) and added: 0 or -errno with e (a pattern matching nothing:
 * class NJ_NOTFOUND). */
int capsel_add_all(const struct nj_ctx *ctx, const struct privs *p,
		   struct capture *c, struct nj_err *e);

#endif
