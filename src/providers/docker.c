/* Docker containers: the Engine API when it answers (one GET
 * /containers/{ref}/json, which resolves a full ID, a name or a unique
 * prefix as `docker inspect` does), else Docker's own state on disk, so a
 * hung or stopped daemon (--live-restore) is no obstacle.
 *
 * Paths carry no /vX.Y prefix: the daemon then answers in its own current
 * version, and the fields read here (Id, Name, State, NetworkSettings,
 * HostConfig.NetworkMode, ResolvConfPath, HostsPath) are the same in every
 * version since 1.24. A /_ping first, to learn the version, cost a second
 * round trip for nothing we use; and fixing an old version would break on
 * daemons that raise their minimum API version. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "netjoin/docker.h"
#include "netjoin/http.h"
#include "netjoin/num.h"
#include "docker_disk.h"
#include "runtime.h"

struct api {
	const struct nj_ctx *ctx;
	char sock[PATH_MAX];
	/* a rootless daemon's user (its socket's owner), "" for root's */
	char user[64];
};

/* Why the API could not be used, as the fallback's explanation; also the
 * error when there is nothing on disk either. */
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
		return nj_fail(e, NJ_FAIL, -rc, "Docker daemon at %s: %s",
			       a->sock,
			       rc == -EPROTO ? "malformed HTTP response"
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

/* Which socket: DOCKER_HOST (unix:// only) or the default one. */
/* A user's rootless Docker (rootlesskit) listens on
 * $XDG_RUNTIME_DIR/docker.sock: theirs, when there is one and no
 * DOCKER_HOST says otherwise. */
static bool rootless_socket(char *out, size_t sz)
{
	const char *xrd = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int n;

	if (geteuid() == 0 || !xrd || xrd[0] != '/')
		return false;
	n = snprintf(out, sz, "%s/docker.sock", xrd);
	return n > 0 && (size_t)n < sz && stat(out, &st) == 0 &&
	       S_ISSOCK(st.st_mode);
}

/* dockerd-rootless makes its socket as its user: whose containers these
 * are. */
static void api_owner(struct api *a)
{
	struct stat st;

	a->user[0] = '\0';
	if (stat(a->sock, &st) == 0 && st.st_uid != 0)
		runtime_user_name(st.st_uid, a->user, sizeof(a->user));
}

static int api_init(const struct nj_ctx *ctx, struct api *a,
		    struct nj_err *e)
{
	int rc;

	a->ctx = ctx;
	if (ctx->docker_host && *ctx->docker_host)
		rc = docker_socket_path(ctx->docker_host, a->sock,
					sizeof(a->sock));
	else if (rootless_socket(a->sock, sizeof(a->sock)))
		rc = 0;
	else
		rc = ctx_path(ctx, a->sock, sizeof(a->sock),
			      "/var/run/docker.sock");
	if (rc == -EPROTONOSUPPORT)
		return nj_fail(e, NJ_USAGE, EPROTONOSUPPORT,
			       "DOCKER_HOST=%s: only unix:// sockets are supported",
			       ctx->docker_host);
	if (rc < 0)
		return nj_fail(e, NJ_USAGE, -rc, "Docker socket path too long");
	api_owner(a);
	return 0;
}

struct list_ctx {
	const char *ref;
	struct nj_cands *out;
	const struct api *a;
};

static int add_listed(const char *id, const char *name, bool running,
		      void *arg)
{
	struct list_ctx *l = arg;
	struct nj_cand *c;

	if (strncmp(id, l->ref, strlen(l->ref)))
		return 0;
	c = runtime_cand(l->out, "docker", "api", NJ_MATCH_PREFIX, id);
	if (!c)
		return -ENOMEM;
	c->running = running; /* only listed: its namespace is its own */
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->user, sizeof(c->user), "%s", l->a->user);
	snprintf(c->state_file, sizeof(c->state_file), "at %s", l->a->sock);
	return 0;
}

/* An ambiguous prefix: every container it matches is a candidate. */
static int api_list(struct api *a, const char *ref, struct nj_cands *out,
		    struct nj_err *e)
{
	struct list_ctx l = { ref, out, a };
	struct http_resp r;
	char *buf;
	int rc;

	rc = api_get(a, "/containers/json?all=1", &buf, &r, e);
	if (rc < 0)
		return rc;
	rc = r.status == 200 ? docker_parse_list(r.body, r.body_len,
						 add_listed, &l)
			     : -EPROTO;
	free(buf);
	if (rc < 0)
		return nj_fail(e, NJ_FAIL, -rc,
			       "Docker daemon at %s: cannot list containers",
			       a->sock);
	return 0;
}

static int rec_to_cand(const struct api *a, const char *ref,
		       const struct docker_rec *rec, struct nj_cands *out)
{
	enum nj_match m = cand_match(ref, rec->id, rec->name);
	struct nj_cand *c;

	/* no match of ours: the daemon's own resolution */
	c = runtime_cand(out, "docker", "api", m ? m : NJ_MATCH_PREFIX,
			 rec->id);
	if (!c)
		return -ENOMEM;
	c->running = rec->running;
	c->pid = rec->pid;
	snprintf(c->name, sizeof(c->name), "%s", rec->name);
	snprintf(c->status, sizeof(c->status), "%s", rec->status);
	snprintf(c->network_mode, sizeof(c->network_mode), "%s",
		 rec->network_mode);
	docker_set_network(a->ctx, c, rec->sandbox_key, rec->resolv,
			   rec->hosts);
	/* A rootless daemon's sandbox files are bind mounts in rootlesskit's
	 * mount namespace (here, empty files, or whatever the user put
	 * there): its container is joined through its process, which is in
	 * the container's network namespace, not rootlesskit's. */
	if (a->user[0])
		c->netns_path[0] = '\0';
	snprintf(c->user, sizeof(c->user), "%s", a->user);
	snprintf(c->state_file, sizeof(c->state_file), "at %s", a->sock);
	if (c->running)
		cand_check_started(c, rec->started);
	return 0;
}

static int api_find(struct api *a, const char *ref, struct nj_cands *out,
		    struct nj_err *e)
{
	char esc[800], path[1024], msg[512], *buf;
	struct docker_rec rec;
	struct http_resp r;
	int rc;

	if (http_escape(ref, esc, sizeof(esc)) < 0)
		return nj_fail(e, NJ_USAGE, ENAMETOOLONG, "name too long");
	snprintf(path, sizeof(path), "/containers/%s/json", esc);
	rc = api_get(a, path, &buf, &r, e);
	if (rc < 0)
		return rc;
	if (r.status == 200) {
		rc = docker_parse_inspect(r.body, r.body_len, &rec);
		free(buf);
		if (rc < 0)
			return nj_fail(e, NJ_FAIL, EPROTO,
				       "Docker daemon at %s: unexpected container record for '%s'",
				       a->sock, ref);
		return rec_to_cand(a, ref, &rec, out);
	}
	docker_parse_message(r.body, r.body_len, msg, sizeof(msg));
	free(buf);
	/* Docker's 404 says "No such container" in JSON; a 404 without that
	 * is something else on the socket, and the disk is asked instead */
	if (r.status == 404 && *msg)
		return 0;
	/* Docker reports an ambiguous prefix as an error */
	if (strcasestr(msg, "multiple") || strcasestr(msg, "ambiguous"))
		return api_list(a, ref, out, e);
	return nj_fail(e, NJ_FAIL, EPROTO,
		       "Docker daemon at %s: HTTP %d for container %s: %s",
		       a->sock, r.status, ref, *msg ? msg : "(no message)");
}

/* Every container, from the API: the list, then each running one
 * inspected for its namespace. */
static int api_all(struct api *a, struct nj_cands *out, struct nj_err *e)
{
	size_t i, n, first = out->n;
	char id[72];
	int rc;

	rc = api_list(a, "", out, e);
	if (rc < 0)
		return rc;
	n = out->n;
	for (i = first; i < n; i++) {
		if (!out->v[i]->running)
			continue;
		snprintf(id, sizeof(id), "%s", out->v[i]->id);
		if (api_find(a, id, out, e) == 0 && out->n > n) {
			free(out->v[i]); /* listed, now inspected */
			out->v[i] = out->v[--out->n];
		}
	}
	return 0;
}

/* Does DOCKER_HOST name a daemon other than the default one? */
static bool other_daemon(const struct nj_ctx *ctx)
{
	char sock[PATH_MAX];

	if (!(ctx->docker_host && *ctx->docker_host))
		return rootless_socket(sock, sizeof(sock));
	return docker_socket_path(ctx->docker_host, sock, sizeof(sock)) < 0 ||
	       (strcmp(sock, "/var/run/docker.sock") &&
		strcmp(sock, "/run/docker.sock"));
}

/* The default daemon's, or the one DOCKER_HOST names, or a user's own
 * rootless one: through its API, else the state on disk. */
static int daemon_find(const struct nj_ctx *ctx, const char *ref,
		       struct nj_cands *out, struct nj_err *e)
{
	struct nj_err why = { 0 };
	size_t before = out->n, i;
	struct api a;
	int rc;

	if (!ref) {
		/* every container: the state on disk says it fastest, but
		 * /var/lib/docker is the default daemon's: the daemon a
		 * DOCKER_HOST names is asked first, its disk only when it
		 * does not answer (hung or stopped) */
		if (other_daemon(ctx) && api_init(ctx, &a, &why) == 0) {
			if (api_all(&a, out, &why) == 0)
				return 0;
			cands_truncate(out, before);
		}
		rc = docker_disk_find(ctx, NULL, out);
		if (rc != -ENOENT || other_daemon(ctx) ||
		    api_init(ctx, &a, &why) < 0)
			return 0;
		return api_all(&a, out, e);
	}
	rc = api_init(ctx, &a, &why);
	/* a daemon can hang on a container (a stuck lock) or answer
	 * nonsense: the disk is as good then */
	if (rc == 0 && (rc = api_find(&a, ref, out, &why)) == 0)
		return 0;
	cands_truncate(out, before);
	if (why.cls == NJ_USAGE) {
		*e = why;
		return rc;
	}
	/* the daemon is gone or hung: its state on disk still tells */
	rc = docker_disk_find(ctx, ref, out);
	if (rc == -ENOENT || (rc == -EACCES && why.cls == NJ_PERM)) {
		*e = why; /* no state here either: the API's failure it is */
		return -why.errnum;
	}
	if (rc < 0)
		return nj_fail(e, nj_class_of_errno(-rc), -rc,
			       "cannot read Docker's state: %s", strerror(-rc));
	if (out->n == before) /* read, and not there: not found */
		return nj_fail(e, NJ_NOTFOUND, ENOENT,
			       "%s, and Docker's state on disk has no '%s'",
			       why.msg, ref);
	for (i = before; i < out->n; i++)
		snprintf(out->v[i]->state_file + strlen(out->v[i]->state_file),
			 sizeof(out->v[i]->state_file) -
				 strlen(out->v[i]->state_file),
			 " (%s)", why.msg);
	return 0;
}

/* Root: the rootless daemon of every user, at the docker.sock of their
 * runtime dir /run/user/<uid>, which must be theirs (dockerd-rootless
 * makes it as the user); only user's (a name) when set. A user's daemon
 * that is stopped, hung or not Docker has no containers to give: not
 * root's failure. */
static int users_find(const struct nj_ctx *ctx, const char *user,
		      const char *ref, struct nj_cands *out)
{
	unsigned long long uid;
	struct nj_err why;
	struct dirent *de;
	struct stat st;
	char dir[PATH_MAX];
	struct api a = { .ctx = ctx };
	size_t before;
	DIR *d;
	int n;

	if (ctx_path(ctx, dir, sizeof(dir), "/run/user") < 0 ||
	    !(d = opendir(dir)))
		return 0;
	while ((de = readdir(d))) {
		if (num_parse_str(de->d_name, UINT32_MAX - 1, &uid) < 0 ||
		    uid == 0)
			continue;
		n = snprintf(a.sock, sizeof(a.sock), "%s/%s/docker.sock", dir,
			     de->d_name);
		if (n < 0 || (size_t)n >= sizeof(a.sock) ||
		    lstat(a.sock, &st) < 0 || !S_ISSOCK(st.st_mode) ||
		    st.st_uid != (uid_t)uid)
			continue;
		runtime_user_name((uid_t)uid, a.user, sizeof(a.user));
		if (user && strcmp(user, a.user))
			continue;
		before = out->n;
		memset(&why, 0, sizeof(why));
		if ((ref ? api_find(&a, ref, out, &why)
			 : api_all(&a, out, &why)) < 0)
			cands_truncate(out, before);
	}
	closedir(d);
	return 0;
}

/* docker:USER/REF: only USER's (root: the rootful daemon's). */
static void keep_user(struct nj_cands *out, size_t from, const char *user)
{
	size_t i = from;

	while (i < out->n) {
		if (!strcmp(out->v[i]->user[0] ? out->v[i]->user : "root",
			    user)) {
			i++;
			continue;
		}
		free(out->v[i]);
		out->v[i] = out->v[--out->n];
	}
}

int docker_find(const struct nj_ctx *ctx, const char *ref,
		struct nj_cands *out, struct nj_err *e)
{
	const char *slash = ref ? strchr(ref, '/') : NULL;
	size_t before = out->n;
	char user[64] = "";
	int rc = 0;

	if (slash) { /* docker:USER/REF */
		if ((size_t)(slash - ref) >= sizeof(user))
			return 0;
		snprintf(user, sizeof(user), "%.*s", (int)(slash - ref), ref);
		ref = slash + 1;
	}
	/* a user's own daemon is the one daemon_find asks for them */
	if (!slash || geteuid() != 0 || !strcmp(user, "root"))
		rc = daemon_find(ctx, ref, out, e);
	if (geteuid() == 0 && strcmp(user, "root"))
		users_find(ctx, slash ? user : NULL, ref, out);
	if (slash)
		keep_user(out, before, user);
	return rc;
}
