/* Docker containers through the Engine API: GET /_ping for the API
 * version, then GET /containers/{ref}/json, which resolves a full ID, a
 * name or a unique ID prefix exactly as `docker inspect` does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netjoin/docker.h"
#include "netjoin/http.h"
#include "netjoin/nsjoin.h"
#include "netjoin/procfs.h"
#include "netjoin/target.h"

struct api {
	const struct nj_ctx *ctx;
	char sock[108];
	char version[16];
};

static int api_error(struct api *a, int rc, struct nj_err *e)
{
	if (rc == -ENOENT)
		return nj_fail(e, NJ_FAIL, ENOENT,
			       "Docker daemon not found: %s does not exist",
			       a->sock);
	if (rc == -EACCES || rc == -EPERM)
		return nj_fail(e, NJ_PERM, -rc,
			       "cannot connect to the Docker daemon at %s: %s (needs root or the docker group)",
			       a->sock, strerror(-rc));
	if (rc == -ETIMEDOUT)
		return nj_fail(e, NJ_FAIL, ETIMEDOUT,
			       "Docker daemon at %s did not answer within %d ms",
			       a->sock, a->ctx->docker_timeout_ms);
	if (rc == -EPROTO || rc == -EMSGSIZE)
		return nj_fail(e, NJ_FAIL, -rc,
			       "Docker daemon at %s: %s",
			       a->sock, rc == -EPROTO ? "malformed HTTP response"
						      : "response too large");
	return nj_fail(e, NJ_FAIL, -rc,
		       "cannot talk to the Docker daemon at %s: %s", a->sock,
		       strerror(-rc));
}

static int api_get(struct api *a, const char *path, char **buf,
		   struct http_resp *r, struct nj_err *e)
{
	int rc = http_get_unix(a->sock, path, a->ctx->docker_timeout_ms, buf,
			       r);

	return rc < 0 ? api_error(a, rc, e) : 0;
}

static int valid_version(const char *v)
{
	int dots = 0;

	if (!*v)
		return 0;
	for (; *v; v++) {
		if (*v == '.')
			dots++;
		else if (*v < '0' || *v > '9')
			return 0;
	}
	return dots == 1;
}

static int api_open(const struct nj_ctx *ctx, struct api *a,
		    struct nj_err *e)
{
	struct http_resp r;
	char *buf;
	int rc;

	a->ctx = ctx;
	rc = docker_socket_path(ctx->docker_host, a->sock, sizeof(a->sock));
	if (rc == -EPROTONOSUPPORT)
		return nj_fail(e, NJ_USAGE, EPROTONOSUPPORT,
			       "DOCKER_HOST=%s: only unix:// sockets are supported",
			       ctx->docker_host);
	if (rc < 0)
		return nj_fail(e, NJ_USAGE, -rc, "DOCKER_HOST too long");
	rc = api_get(a, "/_ping", &buf, &r, e);
	if (rc < 0)
		return rc;
	if (r.status != 200) {
		free(buf);
		return nj_fail(e, NJ_FAIL, EPROTO,
			       "Docker daemon at %s: /_ping answered HTTP %d",
			       a->sock, r.status);
	}
	/* Without a (sane) version header, the unversioned API is the
	 * daemon's own version, which is just as good. */
	snprintf(a->version, sizeof(a->version), "%s",
		 valid_version(r.api_version) ? r.api_version : "");
	free(buf);
	return 0;
}

static int list_candidates(struct api *a, const char *ref, struct nj_err *e)
{
	char path[64], *buf;
	struct http_resp r;
	int rc, n = 0;

	snprintf(path, sizeof(path), "%s%s/containers/json?all=1",
		 *a->version ? "/v" : "", a->version);
	rc = api_get(a, path, &buf, &r, e);
	if (rc < 0)
		return rc;
	rc = r.status == 200 ? docker_parse_matches(r.body, r.body_len, ref,
						    e->extra,
						    sizeof(e->extra), &n)
			     : -EINVAL;
	free(buf);
	if (rc < 0)
		e->extra[0] = '\0';
	return nj_fail(e, NJ_AMBIGUOUS, EEXIST,
		       "'%s' matches %d Docker containers; use more of the ID:",
		       ref, n);
}

static int inspect(struct api *a, const char *ref, struct docker_rec *rec,
		   struct nj_err *e)
{
	char esc[800], path[1024], msg[512], *buf;
	struct http_resp r;
	int rc;

	if (http_escape(ref, esc, sizeof(esc)) < 0)
		return nj_fail(e, NJ_USAGE, ENAMETOOLONG, "name too long");
	snprintf(path, sizeof(path), "%s%s/containers/%s/json",
		 *a->version ? "/v" : "", a->version, esc);
	rc = api_get(a, path, &buf, &r, e);
	if (rc < 0)
		return rc;
	if (r.status == 200) {
		rc = docker_parse_inspect(r.body, r.body_len, rec);
		free(buf);
		if (rc < 0)
			return nj_fail(e, NJ_FAIL, EPROTO,
				       "Docker daemon at %s: unexpected container record for '%s'",
				       a->sock, ref);
		return 0;
	}
	docker_parse_message(r.body, r.body_len, msg, sizeof(msg));
	free(buf);
	if (r.status == 404)
		return nj_fail(e, NJ_NOTFOUND, ENOENT,
			       "no such Docker container: %s", ref);
	/* the daemon reports an ambiguous prefix as a bad request */
	if (strcasestr(msg, "multiple") || strcasestr(msg, "ambiguous"))
		return list_candidates(a, ref, e);
	return nj_fail(e, NJ_FAIL, EPROTO,
		       "Docker daemon at %s: HTTP %d for container %s: %s",
		       a->sock, r.status, ref, *msg ? msg : "(no message)");
}

static void describe(struct nj_target *t, const struct docker_rec *rec,
		     const char *sock)
{
	t->kind = "docker";
	t->runtime = "docker";
	snprintf(t->id, sizeof(t->id), "%s", rec->id);
	snprintf(t->name, sizeof(t->name), "%s", rec->name);
	snprintf(t->network_mode, sizeof(t->network_mode), "%s",
		 rec->network_mode);
	t->pid = rec->pid;
	if (!strcmp(rec->network_mode, "host"))
		snprintf(t->note, sizeof(t->note),
			 "host network mode: the container uses the host's network namespace");
	else if (!strncmp(rec->network_mode, "container:", 10))
		snprintf(t->note, sizeof(t->note),
			 "shares the network namespace of container %.12s",
			 rec->network_mode + 10);
	snprintf(t->how, sizeof(t->how), "Docker Engine API at %s", sock);
}

/* Open the container's namespace: its sandbox's nsfs file when Docker has
 * one and we can see it (same mount namespace as dockerd), else its PID. */
static int open_handle(const struct docker_rec *rec, struct nj_target *t,
		       struct nj_err *e)
{
	struct proc_stat st;
	int fd, rc;

	if (rec->sandbox_key[0]) {
		fd = nsjoin_open_path(rec->sandbox_key, e);
		if (fd >= 0) {
			t->fd = fd;
			t->handle = NJ_HANDLE_NSFS;
			snprintf(t->path, sizeof(t->path), "%s",
				 rec->sandbox_key);
			return 0;
		}
		if (fd != -ENOENT || rec->pid <= 0)
			return fd;
	}
	if (rec->pid <= 0)
		return nj_fail(e, NJ_GONE, ESRCH,
			       "Docker container %s has no process", rec->name);
	rc = procfs_read_stat(rec->pid, &st);
	if (rc < 0)
		return nj_fail(e, NJ_GONE, -rc,
			       "process %d of Docker container %s is gone",
			       (int)rec->pid, rec->name);
	t->start_time = st.start_time;
	fd = nsjoin_open_pid(rec->pid, st.start_time, e);
	if (fd < 0)
		return fd;
	t->fd = fd;
	t->handle = NJ_HANDLE_PIDFD;
	return 0;
}

int docker_lookup(const struct nj_ctx *ctx, const char *ref,
		  struct nj_target *t, struct nj_err *e)
{
	struct docker_rec rec;
	struct api a;
	int rc;

	rc = api_open(ctx, &a, e);
	if (rc < 0)
		return rc;
	rc = inspect(&a, ref, &rec, e);
	if (rc < 0)
		return rc;
	describe(t, &rec, a.sock);
	if (!rec.running)
		return nj_fail(e, NJ_GONE, ESRCH,
			       "Docker container %s (%.12s) is not running (%s)",
			       rec.name, rec.id, *rec.status ? rec.status : "stopped");
	return open_handle(&rec, t, e);
}
