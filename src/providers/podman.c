/* podman, daemonless like us: names from containers/storage's
 * containers.json, config.json from the container's graph-root userdata
 * (the bundle podman hands to conmon), the process from the run-root
 * userdata's pidfile, and the namespace file the config names
 * (/run/netns/netns-<uuid> on a podman network, a rootless container's
 * $XDG_RUNTIME_DIR/netns/netns-<uuid>).
 *
 * The stores read: root's; the caller's own rootless one; and, for root,
 * the rootless store of every user with a runtime dir /run/user/<uid>
 * holding containers/ (a user running rootless podman has one). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "netjoin/num.h"
#include "netjoin/procfs.h"
#include "netjoin/storage.h"
#include "runtime.h"

#define LIST_MAX (64u << 20)

struct podman_scan {
	const struct nj_ctx *ctx;
	const char *ref;
	struct nj_cands *out;
	const struct storage_store *store;
	const char *user; /* podman:USER/REF: only USER's store */
	const char *driver_dir;
};

static int visit(const char *id, const char *name, void *arg)
{
	struct podman_scan *s = arg;
	enum nj_match m = cand_match(s->ref, id, name);
	char graph[PATH_MAX], run[PATH_MAX];
	struct oci_config oc;
	struct nj_cand *c;
	bool have;

	if (!m || strlen(id) >= sizeof(c->id) ||
	    storage_userdata(s->ctx, s->store->graph, s->driver_dir, id, graph,
			     sizeof(graph)) < 0 ||
	    storage_userdata(s->ctx, s->store->run, s->driver_dir, id, run,
			     sizeof(run)) < 0)
		return 0;
	/* no config: never started */
	have = oci_load_config(graph, NULL, &oc) == 0;
	if (have && oc.crio)
		return 0; /* CRI-O's, in the same store */
	c = runtime_cand(s->out, "podman", "disk", m, id);
	if (!c)
		return -ENOMEM;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->user, sizeof(c->user), "%s", s->store->user);
	c->user_uid = s->store->uid;
	snprintf(c->status, sizeof(c->status), have ? "exited" : "created");
	snprintf(c->state_file, sizeof(c->state_file), "%s", graph);
	storage_process(s->ctx, s->store, run, c);
	if (have)
		runtime_netns(s->ctx, &oc, c);
	/* podman writes the container's own resolv.conf and hosts here */
	snprintf(c->resolv, sizeof(c->resolv), "%s/resolv.conf", run);
	snprintf(c->hosts, sizeof(c->hosts), "%s/hosts", run);
	if (access(c->resolv, R_OK) < 0)
		c->resolv[0] = '\0';
	if (access(c->hosts, R_OK) < 0)
		c->hosts[0] = '\0';
	return 0;
}

static int scan_driver(const char *driver_dir, void *arg)
{
	struct podman_scan *s = arg;
	char path[PATH_MAX], *buf;
	size_t len;
	int rc;

	if (ctx_path(s->ctx, path, sizeof(path), "%s/%s/containers.json",
		     s->store->graph, driver_dir) < 0)
		return 0;
	rc = read_file(path, LIST_MAX, &buf, &len);
	if (rc == -EACCES || rc == -EPERM)
		return rc;
	if (rc < 0)
		return 0;
	s->driver_dir = driver_dir;
	rc = oci_parse_containers_json(buf, len, visit, s);
	free(buf);
	return rc == -ENOMEM ? rc : 0; /* a malformed list is as good as none */
}

/* The rootless store of uid, whose runtime dir is rundir: the graph root
 * in data_home (NULL: the user's ~/.local/share). -ENOENT when the user
 * has no home to find it in. */
static int user_store(uid_t uid, const char *rundir, const char *data_home,
		      struct storage_store *st)
{
	struct passwd *pw = getpwuid(uid);
	int n;

	memset(st, 0, sizeof(*st));
	runtime_user_name(uid, st->user, sizeof(st->user));
	st->uid = uid;
	if (data_home && data_home[0] == '/')
		n = snprintf(st->graph, sizeof(st->graph),
			     "%s/containers/storage", data_home);
	else if (pw && pw->pw_dir[0] == '/')
		n = snprintf(st->graph, sizeof(st->graph),
			     "%s/.local/share/containers/storage", pw->pw_dir);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n >= sizeof(st->graph))
		return -ENAMETOOLONG;
	snprintf(st->oci_run, sizeof(st->oci_run), "%s", rundir);
	n = snprintf(st->run, sizeof(st->run), "%s/containers", rundir);
	return n < 0 || (size_t)n >= sizeof(st->run) ? -ENAMETOOLONG : 0;
}

/* One store's containers matching ref (only the store of the user ref
 * names, in podman:USER/REF). A store a user may not read (root's) is no
 * failure: what they can have is their own; root's are as before. */
static int scan_store(struct podman_scan *s, struct nj_err *e)
{
	const char *owner = s->store->user[0] ? s->store->user : "root";
	struct nj_err pe = { 0 };
	int rc;

	if (s->user && strcmp(s->user, owner))
		return 0;
	rc = storage_drivers(s->ctx, s->store->graph, scan_driver, s, &pe);
	if (rc == -ENOMEM || (rc < 0 && !s->store->user[0] && geteuid() == 0)) {
		*e = pe;
		return rc;
	}
	if (rc < 0 && !s->store->user[0])
		*e = pe; /* root's, to a user: said when nothing is found */
	return 0;
}

/* Root: every user's rootless store, found through /run/user/<uid>. */
static int scan_users(struct podman_scan *s, struct nj_err *e)
{
	char dir[PATH_MAX], rundir[PATH_MAX + 300], sub[PATH_MAX + 320];
	unsigned long long uid;
	struct storage_store st;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (ctx_path(s->ctx, dir, sizeof(dir), "/run/user") < 0)
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;
	while (rc == 0 && (de = readdir(d))) {
		if (num_parse_str(de->d_name, UINT32_MAX - 1, &uid) < 0 ||
		    uid == 0)
			continue;
		snprintf(rundir, sizeof(rundir), "/run/user/%s", de->d_name);
		snprintf(sub, sizeof(sub), "%s/run/user/%s/containers",
			 s->ctx->root, de->d_name);
		if (access(sub, F_OK) < 0 ||
		    user_store((uid_t)uid, rundir, NULL, &st) < 0)
			continue;
		s->store = &st;
		rc = scan_store(s, e);
	}
	closedir(d);
	return rc;
}

/* The caller's own rootless store, where its podman keeps it. */
static int scan_own(struct podman_scan *s, struct nj_err *e)
{
	const char *xrd = getenv("XDG_RUNTIME_DIR");
	char rundir[PATH_MAX];
	struct storage_store st;

	if (xrd && xrd[0] == '/')
		snprintf(rundir, sizeof(rundir), "%s", xrd);
	else
		snprintf(rundir, sizeof(rundir), "/run/user/%u",
			 (unsigned)getuid());
	if (user_store(getuid(), rundir, getenv("XDG_DATA_HOME"), &st) < 0)
		return 0;
	s->store = &st;
	return scan_store(s, e);
}

int podman_find(const struct nj_ctx *ctx, const char *ref,
		struct nj_cands *out, struct nj_err *e)
{
	struct podman_scan s = { .ctx = ctx, .ref = ref, .out = out };
	const char *slash = ref ? strchr(ref, '/') : NULL;
	char user[64];
	struct storage_store root;
	int rc;

	if (slash) { /* podman:USER/REF */
		if ((size_t)(slash - ref) >= sizeof(user))
			return 0;
		snprintf(user, sizeof(user), "%.*s", (int)(slash - ref), ref);
		s.user = user;
		s.ref = slash + 1;
	}
	storage_rootful(&root);
	s.store = &root;
	rc = scan_store(&s, e);
	if (rc == 0 && geteuid() == 0)
		rc = scan_users(&s, e);
	else if (rc == 0)
		rc = scan_own(&s, e);
	return rc < 0 ? rc : e->cls ? -e->errnum : 0;
}

/* A user cannot read another user's store, but every user sees the
 * conmon that watches each running container, and its argv names it. */
int podman_other_user(const char *ref, uid_t *owner, char *name, size_t sz)
{
	return runtime_other_user(ref, procfs_parse_conmon, owner, name, sz);
}
