/* Asking a Docker daemon through its Engine API: one GET
 * /containers/{ref}/json, which resolves a full ID, a name or a unique
 * prefix as `docker inspect` does; the list for an ambiguous prefix or
 * for every container.
 *
 * Paths carry no /vX.Y prefix: the daemon then answers in its own current
 * version, and the fields read here (Id, Name, State, NetworkSettings,
 * HostConfig.NetworkMode, ResolvConfPath, HostsPath) are the same in every
 * version since 1.24. A /_ping first, to learn the version, cost a second
 * round trip for nothing we use; and fixing an old version would break on
 * daemons that raise their minimum API version. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netjoin/docker.h"
#include "netjoin/http.h"
#include "docker_int.h"
#include "runtime.h"

/* Why the API could not be used, as the fallback's explanation; also the
 * error when there is nothing on disk either. */
static int api_error(struct docker_api *a, int rc, struct nj_err *e)
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

static int api_get(struct docker_api *a, const char *path, char **buf,
		   struct http_resp *r, struct nj_err *e)
{
	int rc = http_get_unix(a->sock, path, a->ctx->docker_timeout_ms, buf,
			       r);

	return rc < 0 ? api_error(a, rc, e) : 0;
}

/* A rootless daemon's container: its user's. Its sandbox files are bind
 * mounts in rootlesskit's mount namespace (here, empty files, or
 * whatever the user put there): it is joined through its process, which
 * is in the container's network namespace, not rootlesskit's. */
void docker_mark_rootless(const struct docker_api *a, struct nj_cand *c)
{
	snprintf(c->user, sizeof(c->user), "%s", a->user);
	c->user_uid = a->uid;
	c->netns_path[0] = '\0';
}

struct list_ctx {
	const char *ref;
	struct nj_cands *out;
	const struct docker_api *a;
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
	c->user_uid = l->a->uid;
	snprintf(c->state_file, sizeof(c->state_file), "at %s", l->a->sock);
	return 0;
}

/* An ambiguous prefix: every container it matches is a candidate. */
static int api_list(struct docker_api *a, const char *ref,
		    struct nj_cands *out, struct nj_err *e)
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

static int rec_to_cand(const struct docker_api *a, const char *ref,
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
	if (a->user[0])
		docker_mark_rootless(a, c);
	snprintf(c->state_file, sizeof(c->state_file), "at %s", a->sock);
	if (c->running)
		cand_check_started(c, rec->started);
	return 0;
}

int docker_api_find(struct docker_api *a, const char *ref,
		    struct nj_cands *out, struct nj_err *e)
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
int docker_api_all(struct docker_api *a, struct nj_cands *out,
		   struct nj_err *e)
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
		if (docker_api_find(a, id, out, e) == 0 && out->n > n) {
			free(out->v[i]); /* listed, now inspected */
			out->v[i] = out->v[--out->n];
		}
	}
	return 0;
}
