/* Targets: a spec resolved to an open handle plus a description. */
#ifndef NETJOIN_TARGET_H
#define NETJOIN_TARGET_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>
#include "netjoin/err.h"
#include "netjoin/spec.h"

enum nj_handle {
	NJ_HANDLE_NONE,   /* host: nothing to join */
	NJ_HANDLE_NSFS,   /* fd is an nsfs file of a network namespace */
	NJ_HANDLE_PIDFD,  /* fd is a pidfd of a process (kernel >= 5.8) */
};

struct nj_target {
	const char *spec;       /* as given */
	const char *kind;       /* "host", "pid", "netns", "docker" */
	const char *runtime;    /* "docker", or NULL */
	char id[128];           /* container ID */
	char name[256];         /* container or netns name */
	char path[PATH_MAX];    /* nsfs file joined, if any */
	char network_mode[300]; /* Docker HostConfig.NetworkMode */
	char note[320];         /* e.g. "host network mode" */
	char how[PATH_MAX + 128]; /* how it was resolved, for -v */
	pid_t pid;              /* 0 if none */
	unsigned long long start_time; /* of pid, in clock ticks; 0 unknown */
	enum nj_handle handle;
	int fd;                 /* -1 if none */
};

/* What providers need to know about their environment. */
struct nj_ctx {
	const char *docker_host;  /* $DOCKER_HOST or NULL */
	int docker_timeout_ms;
};

/* A provider looks a named target up. lookup returns 0 and fills t,
 * -ENOENT when it has no such target (e set, class NJ_NOTFOUND), or any
 * other -errno with e set. */
struct nj_provider {
	const char *name;
	int (*lookup)(const struct nj_ctx *ctx, const char *ref,
		      struct nj_target *t, struct nj_err *e);
};

extern const struct nj_provider nj_providers[];

void target_init(struct nj_target *t, const char *spec);
void target_close(struct nj_target *t);
/* Resolve spec into t: an open handle and a description. */
int target_resolve(const struct nj_ctx *ctx, const struct nj_spec *spec,
		   struct nj_target *t, struct nj_err *e);

/* Providers (src/target/<name>.c). */
int proc_open_pid(pid_t pid, struct nj_target *t, struct nj_err *e);
int netns_open_path(const char *path, struct nj_target *t, struct nj_err *e);
int docker_lookup(const struct nj_ctx *ctx, const char *ref,
		  struct nj_target *t, struct nj_err *e);

#endif
