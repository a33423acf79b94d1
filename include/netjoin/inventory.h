/* The node-wide inventory: every network namespace on this machine, found
 * through processes (/proc/PID/ns/net), nsfs bind mounts (mountinfo) and
 * open namespace fds (/proc/PID/fd), with the containers and pods that
 * own them, each read without being joined by a process: a netlink socket
 * is made inside it and dumped from here. */
#ifndef NETJOIN_INVENTORY_H
#define NETJOIN_INVENTORY_H

#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <sys/types.h>
#include "netjoin/model.h"
#include "netjoin/query.h"
#include "netjoin/target.h"

struct nj_owner {
	const char *runtime;
	char id[72];
	char name[256];
	char pod_name[256], pod_ns[256];
	char user[64];    /* a rootless container's user, "" for root's */
	char target[600]; /* a target string selecting it */
	bool guest;       /* in a namespace another owner made */
};

struct nj_nsrec {
	unsigned long long dev, ino;
	/* Heap strings: a node has hundreds of records, and two PATH_MAX
	 * arrays each made a 500-namespace scan touch 8 MiB. */
	char *path;            /* an nsfs path that opens it */
	char *mount;           /* where it is bind-mounted, NULL if nowhere */
	/* NAME when mount is (the host root's) /run/netns/NAME: its target
	 * is netns:NAME. Points into mount. */
	const char *netns_name;
	bool is_host;
	pid_t pid;             /* a process in it, 0 if none */
	bool thread;           /* pid is a thread's: pid:N would not select it */
	char comm[64];
	size_t nprocs;
	struct nj_owner *owners;
	size_t nowners, owners_cap;
	struct nj_dump dump;   /* after inventory_dump */
	int dump_err;          /* -errno if it could not be read */
	/* after inventory_dump: its cookie, 0 when unknown. Inode numbers
	 * are given again to new namespaces, at once; cookies never. */
	uint64_t cookie;
};

struct nj_inventory {
	struct nj_nsrec *v;
	size_t n, cap;
	/* ino -> index, open addressing */
	int32_t *slots;
	size_t nslots;
};

/* Find every network namespace, and their owners from every runtime. */
int inventory_scan(const struct nj_ctx *ctx, struct nj_inventory *inv,
		   struct nj_err *e);
/* Dump each namespace's links and addresses into its record (a namespace
 * that cannot be read gets its dump_err). 0, or -ENOTRECOVERABLE when the
 * thread could not come back from a namespace: the run must end. */
int inventory_dump(struct nj_inventory *inv);
/* The same with links only (their counters), for --top. */
int inventory_dump_links(struct nj_inventory *inv);
void inventory_free(struct nj_inventory *inv);
/* The record of namespace (dev, ino), or NULL. */
struct nj_nsrec *inventory_get(const struct nj_inventory *inv,
			       unsigned long long dev, unsigned long long ino);
/* A new, zeroed record for namespace (dev, ino), which must not be there
 * yet; NULL when out of memory. */
struct nj_nsrec *inventory_add(struct nj_inventory *inv,
			       unsigned long long dev, unsigned long long ino);
/* A target string that selects r: host, pod:, a container, netns:NAME, a
 * path, or pid:N. */
const char *nsrec_target(const struct nj_nsrec *r, char *buf, size_t sz);
/* Its owners as a person reads them, the namespace's maker first and its
 * guests after: "docker web, docker sidecar", "containerd pod shop/cart";
 * "" when it has none. Raw: a text writer escapes it. */
const char *nsrec_owners(const struct nj_nsrec *r, char *buf, size_t sz);
/* Who is in it, as -L's OWNERS column says: its owners, else its first
 * process "comm(PID) +N", else "-". Raw. */
const char *nsrec_who(const struct nj_nsrec *r, char *buf, size_t sz);

/* The mount point of an nsfs mount from one /proc/PID/mountinfo line
 * (octal escapes undone) into out. Pure. 1 if nsfs, 0 if another
 * filesystem, -EINVAL if malformed. */
int mountinfo_nsfs(const char *line, char *out, size_t sz);

struct out_opts;

/* Writers (src/writers/inventory.c). out_find returns how many matched.
 * out_list_text cuts each row's addresses to o->width (0: all of them). */
void out_list_text(FILE *f, const struct nj_inventory *inv,
		   const struct out_opts *o);
void out_list_json(FILE *f, const struct nj_inventory *inv);
size_t out_find(FILE *f, const struct nj_inventory *inv,
		const struct nj_query *q, int json);
/* r's owners as -L writes them, for the other node tables (--top): the
 * "owners" array of -L -j, and the OWNERS column of -L (its owners, else
 * its first process), made in raw (sz bytes) and escaped into buf. */
struct jw;
void out_list_owners_json(struct jw *w, const struct nj_nsrec *r);
const char *out_list_owners_str(const struct nj_nsrec *r, char *raw,
				char *buf, size_t sz);

#endif
