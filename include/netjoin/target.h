/* Targets: a spec resolved to an open handle plus a description.
 *
 * Named targets (containers, pods) go through candidates: every provider
 * adds the records of its runtime that match, the best kind of match wins
 * (exact ID, then exact name, then ID prefix), candidates in one network
 * namespace are one answer, and the winner's handle is opened. */
#ifndef NETJOIN_TARGET_H
#define NETJOIN_TARGET_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "netjoin/err.h"
#include "netjoin/hostroot.h"
#include "netjoin/spec.h"

enum nj_handle {
	NJ_HANDLE_NONE,   /* host: nothing to join */
	NJ_HANDLE_NSFS,   /* fd is an nsfs file of a network namespace */
	NJ_HANDLE_PIDFD,  /* fd is a pidfd of a process */
};

enum nj_match { NJ_MATCH_ID = 1, NJ_MATCH_NAME, NJ_MATCH_PREFIX };

/* A container or pod found in a runtime's state. */
struct nj_cand {
	const char *runtime;     /* "docker", "containerd", "crio", "podman", "lxc" */
	const char *source;      /* "api" or "disk" */
	enum nj_match match;
	bool running;
	bool host_network;       /* shares the host's network namespace */
	bool is_pod;             /* a Kubernetes pod sandbox, as a pod target */
	/* in a network namespace another container made (Docker's
	 * --network container:X, a process's namespace named by path) */
	bool guest;
	char ns[64];             /* containerd namespace */
	char id[72];
	char name[256];
	char pod_name[256], pod_ns[256], pod_uid[64];
	char user[64];           /* a rootless container's user, "" for root's */
	uid_t user_uid;          /* and their uid, when user[0] */
	char status[96];
	char network_mode[300];
	char netns_path[PATH_MAX]; /* nsfs file to join, "" to use pid */
	pid_t pid;
	unsigned long long start_time; /* of pid, from runtime state; 0 unknown */
	int start_err;           /* why the start time is unknown (errno) */
	char state_file[PATH_MAX];   /* where it was found, for -v */
	/* the container's own resolv.conf and hosts, where recorded */
	char resolv[PATH_MAX], hosts[PATH_MAX];
	/* identity of its network namespace, for de-duplication */
	unsigned long long ns_dev, ns_ino;
};

/* Candidates by pointer: settling one moves a pointer, not the 18 KB of
 * its paths and names. */
struct nj_cands {
	struct nj_cand **v;
	size_t n, cap;
};

struct nj_target {
	const char *spec;       /* as given */
	const char *kind;       /* "host", "pid", "netns", "container", "pod" */
	const char *runtime;    /* NULL unless a container or pod */
	const char *source;     /* "api", "disk" or NULL */
	char ns[64];
	char id[128];
	char name[256];
	char pod_name[256], pod_ns[256], pod_uid[64];
	char user[64];          /* a rootless container's user, "" for root's */
	uid_t user_uid;         /* and their uid, when user[0] */
	char path[PATH_MAX];    /* nsfs file joined, if any */
	char network_mode[300];
	char note[320];
	char how[PATH_MAX + 256]; /* how it was resolved, for -v */
	pid_t pid;
	unsigned long long start_time;
	enum nj_handle handle;
	int fd;
	/* the user namespace to join first (-1: none): a user's own rootless
	 * container, joined without root (privs_check_target sets it) */
	int userns_fd;
	/* --dns: files to bind over /etc/<name> (resolv.conf, hosts, or
	 * every file of /etc/netns/NAME for netns:NAME) */
	char resolv[PATH_MAX], hosts[PATH_MAX];
	char etc_dir[PATH_MAX];
};

/* A provider adds the candidates of its runtime matching ref (exact ID,
 * exact name, or ID prefix; NULL: every container, as prefix matches) and, for pod runtimes, the pod sandboxes
 * matching namespace (NULL: any) and name (exact or prefix; "": every
 * one). Returns 0 (also when
 * nothing matches or the runtime has no state here) or -errno with e set
 * for a failure worth reporting. */
struct nj_provider {
	const char *name;
	int (*find)(const struct nj_ctx *ctx, const char *ref,
		    struct nj_cands *out, struct nj_err *e);
	int (*find_pods)(const struct nj_ctx *ctx, const char *ns,
			 const char *name, struct nj_cands *out,
			 struct nj_err *e);
};

extern const struct nj_provider nj_providers[];

void target_init(struct nj_target *t, const char *spec);
void target_close(struct nj_target *t);
int target_resolve(const struct nj_ctx *ctx, const struct nj_spec *spec,
		   struct nj_target *t, struct nj_err *e);

/* Candidate lists (cand.c). */
/* A new zeroed candidate at the end of c, or NULL (out of memory). */
struct nj_cand *cands_add(struct nj_cands *c);
/* Free the candidates after the first n. */
void cands_truncate(struct nj_cands *c, size_t n);
void cands_free(struct nj_cands *c);
/* Keep the best match kind, fold candidates in one network namespace into
 * one; returns how many distinct answers remain (moved to the front). */
size_t cands_settle(struct nj_cands *c);
/* Set ns_dev/ns_ino: the identity of c's network namespace, or a value
 * unique to c (from uniq) when it is unknown (stopped, unreadable). */
void cand_identify(struct nj_cand *c, size_t uniq);
/* The recorded process must still be the one the runtime started, t
 * seconds after the epoch or later (a pidfile's mtime, Docker's
 * StartedAt): sets start_time, marks c exited when the PID was reused or
 * is gone, or records in start_err why the check could not be made, and
 * cand_open then refuses it. Does nothing once start_time is known. */
void cand_check_started(struct nj_cand *c, long long t);
/* "docker:4ddf4638572d (web)": a target string that selects it. */
void cand_describe(const struct nj_cand *c, char *buf, size_t sz);
/* Open the candidate's handle and describe it in t. */
int cand_open(const struct nj_cand *c, struct nj_target *t, struct nj_err *e);
/* The match kind of ref against an ID and a name, 0 for none; a NULL ref
 * matches everything as a prefix, "" nothing. */
enum nj_match cand_match(const char *ref, const char *id, const char *name);

/* Hints when nothing matched (hint.c). How close name is to ref: 0 for
 * not (or equal), 1 when name starts with ref, 2 or 3 for one or two
 * edits (a word of four or more letters). Pure. */
int hint_distance(const char *ref, const char *name);
/* The candidates of all close to ref, at most five, closest first, one
 * "  TARGET (...)" line each, into out ("" for none). With pod_ns, ref
 * is a pod's name and the pods named so in other namespaces come first. */
void hint_lines(const struct nj_cands *all, const char *ref,
		const char *pod_ns, char *out, size_t sz);

/* Providers (src/providers/<name>.c). */
int proc_open_pid(pid_t pid, struct nj_target *t, struct nj_err *e);
int netns_open_path(const char *path, struct nj_target *t, struct nj_err *e);
int docker_find(const struct nj_ctx *ctx, const char *ref,
		struct nj_cands *out, struct nj_err *e);
int containerd_find(const struct nj_ctx *ctx, const char *ref,
		    struct nj_cands *out, struct nj_err *e);
int containerd_find_pods(const struct nj_ctx *ctx, const char *ns,
			 const char *name, struct nj_cands *out,
			 struct nj_err *e);
int crio_find(const struct nj_ctx *ctx, const char *ref,
	      struct nj_cands *out, struct nj_err *e);
int crio_find_pods(const struct nj_ctx *ctx, const char *ns,
		   const char *name, struct nj_cands *out, struct nj_err *e);
int podman_find(const struct nj_ctx *ctx, const char *ref,
		struct nj_cands *out, struct nj_err *e);
/* LXC containers (lxc.c): by name only, under the lxcpaths. */
int lxcmon_find(const struct nj_ctx *ctx, const char *ref,
		struct nj_cands *out, struct nj_err *e);
/* The directory of the lxcpath's container locks, as the host sees it:
 * lxc-start writes its container's lock there as it starts it (an
 * inotify IN_CLOSE_WRITE, the one sign on disk: the container's own
 * directory is only read), and lxc-stop as it stops it. 0, or -EINVAL
 * for an lxcpath that is not absolute, -ENAMETOOLONG. */
int lxcmon_lockdir(const struct nj_ctx *ctx, char *out, size_t sz);
/* A running podman container of another user (not root) matching ref,
 * from the argv of its conmon: 1 with its owner and name, else 0. */
int podman_other_user(const char *ref, uid_t *owner, char *name, size_t sz);
/* The same for another user's rootless Docker container, from the argv of
 * its containerd shim, which names it by ID only: by ID or ID prefix. */
int docker_other_user(const char *ref, uid_t *owner, char *name, size_t sz);

#endif
