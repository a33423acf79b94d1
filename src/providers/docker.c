/* Docker containers: which daemons, and in what order. The Engine API
 * when it answers (docker_api.c), else Docker's own state on disk
 * (docker_disk.c), so a hung or stopped daemon (--live-restore) is no
 * obstacle. The daemon is the default one, the one DOCKER_HOST names,
 * or a user's own rootless one; root also asks every user's. */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "netjoin/docker.h"
#include "netjoin/num.h"
#include "netjoin/procfs.h"
#include "docker_int.h"
#include "runtime.h"

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

/* The uid the daemon listens as (SO_PEERCRED, fixed when it began to
 * listen): a rootless dockerd is its user as seen from here. Without
 * waiting: -EAGAIN when its backlog is full. */
static int listener_uid(const char *sock, uid_t *uid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(struct ucred);
	struct ucred cr;
	int fd, rc = 0;

	if (strlen(sock) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0)
		rc = -errno;
	else
		*uid = cr.uid;
	close(fd);
	return rc;
}

/* Whose daemon: dockerd-rootless makes its socket as its user, and runs
 * as them. A socket of a user's that root's daemon listens on (chown'd
 * to let them in) is root's. */
static void api_owner(struct docker_api *a)
{
	const char *slash = strrchr(a->sock, '/');
	struct stat st;
	uid_t uid;

	a->user[0] = '\0';
	if (stat(a->sock, &st) < 0 || st.st_uid == 0 || !slash)
		return;
	if (listener_uid(a->sock, &uid) == 0 && uid == 0)
		return;
	runtime_user_name(st.st_uid, a->user, sizeof(a->user));
	a->uid = st.st_uid;
	snprintf(a->rundir, sizeof(a->rundir), "%.*s", (int)(slash - a->sock),
		 a->sock);
}

/* Where the daemon behind a keeps its state: root's, or a rootless
 * one's where dockerd-rootless puts it by default: the data root in its
 * user's $XDG_DATA_HOME (~/.local/share)/docker, the exec root in the
 * runtime dir beside its socket. */
static int api_roots(const struct docker_api *a, struct docker_roots *r)
{
	const char *xdh = getenv("XDG_DATA_HOME");
	struct passwd *pw;
	int n;

	if (!a->user[0]) {
		snprintf(r->data, sizeof(r->data), "/var/lib/docker");
		snprintf(r->exec, sizeof(r->exec), "/run/docker");
		return 0;
	}
	if (a->uid == geteuid() && xdh && xdh[0] == '/')
		n = snprintf(r->data, sizeof(r->data), "%s/docker", xdh);
	else if ((pw = getpwuid(a->uid)) && pw->pw_dir[0] == '/')
		n = snprintf(r->data, sizeof(r->data), "%s/.local/share/docker",
			     pw->pw_dir);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= sizeof(r->data))
		return -ENAMETOOLONG;
	n = snprintf(r->exec, sizeof(r->exec), "%s/docker", a->rundir);
	return n < 0 || (size_t)n >= sizeof(r->exec) ? -ENAMETOOLONG : 0;
}

/* Which socket: DOCKER_HOST (unix:// only), a user's own rootless one,
 * or the default one. */
static int api_init(const struct nj_ctx *ctx, struct docker_api *a,
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

/* The state on disk of the daemon behind a. */
static int disk_find(const struct docker_api *a, const char *ref,
		     struct nj_cands *out)
{
	struct docker_roots r;
	size_t before = out->n, i;
	int rc;

	if (api_roots(a, &r) < 0)
		return -ENOENT;
	rc = docker_disk_find(a->ctx, &r, ref, out);
	for (i = before; a->user[0] && i < out->n; i++)
		docker_mark_rootless(a, out->v[i]);
	return rc;
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
	struct docker_api a = { .ctx = ctx };
	bool have;
	int rc;

	if (!ref) {
		/* every container: the state on disk says it fastest, but
		 * /var/lib/docker is the default daemon's: the daemon a
		 * DOCKER_HOST names (or a user's own) is asked first, its
		 * disk only when it does not answer (hung or stopped) */
		have = api_init(ctx, &a, &why) == 0;
		if (have && other_daemon(ctx)) {
			if (docker_api_all(&a, out, &why) == 0)
				return 0;
			cands_truncate(out, before);
		}
		rc = disk_find(&a, NULL, out);
		if (rc != -ENOENT || other_daemon(ctx) || !have)
			return 0;
		return docker_api_all(&a, out, e);
	}
	rc = api_init(ctx, &a, &why);
	/* a daemon can hang on a container (a stuck lock) or answer
	 * nonsense: the disk is as good then */
	if (rc == 0 && (rc = docker_api_find(&a, ref, out, &why)) == 0)
		return 0;
	cands_truncate(out, before);
	if (why.cls == NJ_USAGE) {
		*e = why;
		return rc;
	}
	/* the daemon is gone or hung: its state on disk still tells */
	rc = disk_find(&a, ref, out);
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
 * runtime dir /run/user/<uid>, which must be theirs, made and listened
 * on by them (dockerd-rootless runs as the user); only user's (a name)
 * when set. A user's daemon that is hung or not Docker is not root's
 * failure: its state on disk is read instead. */
static int users_find(const struct nj_ctx *ctx, const char *user,
		      const char *ref, struct nj_cands *out)
{
	unsigned long long uid;
	struct nj_err why;
	struct dirent *de;
	uid_t owner;
	struct stat st;
	char dir[PATH_MAX];
	struct docker_api a = { .ctx = ctx };
	size_t before;
	DIR *d;
	int n, rc;

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
		    st.st_uid != (uid_t)uid ||
		    (listener_uid(a.sock, &owner) == 0 && owner != uid))
			continue;
		runtime_user_name((uid_t)uid, a.user, sizeof(a.user));
		if (user && strcmp(user, a.user))
			continue;
		a.uid = (uid_t)uid;
		snprintf(a.rundir, sizeof(a.rundir), "/run/user/%s",
			 de->d_name);
		before = out->n;
		/* the state on disk first, as for root's own daemon: root
		 * reads it at once, while a user's daemon may hang for its
		 * timeout; it names every container (-L), or says the user
		 * has none that ref names, and then the daemon is not asked */
		rc = disk_find(&a, ref, out);
		if (rc == 0 && (!ref || out->n == before))
			continue;
		cands_truncate(out, before);
		memset(&why, 0, sizeof(why));
		if ((ref ? docker_api_find(&a, ref, out, &why)
			 : docker_api_all(&a, out, &why)) == 0)
			continue;
		/* stopped or hung: its state on disk still tells */
		cands_truncate(out, before);
		disk_find(&a, ref, out);
	}
	closedir(d);
	return 0;
}

/* A rootless Docker's containerd runs a shim for each container, as the
 * daemon's user, with the container's ID (not its name) in its argv, in
 * containerd namespace "moby". */
static int moby_shim(const char *buf, size_t len, char *id, size_t idsz,
		     char *name, size_t namesz)
{
	char ns[64];

	if (!namesz || procfs_parse_shim(buf, len, ns, sizeof(ns), id, idsz) < 0 ||
	    strcmp(ns, "moby"))
		return -EINVAL;
	name[0] = '\0';
	return 0;
}

int docker_other_user(const char *ref, uid_t *owner, char *name, size_t sz)
{
	if (!runtime_other_user(ref, moby_shim, owner, name, sz))
		return 0;
	if (sz > 12)
		name[12] = '\0'; /* its ID, as docker ps shows it */
	return 1;
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
