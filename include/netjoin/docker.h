/* Docker Engine API records, parsed by pure functions (jansson). */
#ifndef NETJOIN_DOCKER_H
#define NETJOIN_DOCKER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct docker_rec {
	char id[72];
	char name[256];          /* without the leading '/' */
	bool running;
	char status[32];         /* "running", "exited", ... */
	pid_t pid;
	long long started;       /* State.StartedAt, seconds since 1970; 0 */
	char sandbox_key[PATH_MAX];
	char network_mode[300];
	char resolv[PATH_MAX], hosts[PATH_MAX]; /* ResolvConfPath, HostsPath */
};

/* GET /containers/{ref}/json body -> record. 0 or -EINVAL (-ENOMEM). */
int docker_parse_inspect(const char *body, size_t len, struct docker_rec *r);

/* GET /containers/json?all=1 body: fn(id, name without '/', running) for
 * each container; a nonzero return from fn stops. 0 or -EINVAL. */
int docker_parse_list(const char *body, size_t len,
		      int (*fn)(const char *id, const char *name, bool running,
				void *arg),
		      void *arg);

/* The daemon's error message of a non-2xx answer ({"message": "..."}),
 * copied into out; "" if none. */
void docker_parse_message(const char *body, size_t len, char *out,
			  size_t outsz);

/* Socket path from $DOCKER_HOST (unix:// only) or the default. Returns 0,
 * or -EPROTONOSUPPORT for another scheme. */
int docker_socket_path(const char *docker_host, char *out, size_t outsz);

#endif
