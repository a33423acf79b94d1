/* containers/storage run root, shared by CRI-O and podman:
 * /run/containers/storage/overlay-containers/<id>/userdata/. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "netjoin/storage.h"
#include "runtime.h"

int storage_drivers(const struct nj_ctx *ctx, const char *root,
		    int (*fn)(const char *driver_dir, void *arg), void *arg,
		    struct nj_err *e)
{
	static const char suffix[] = "-containers";
	char dir[PATH_MAX];
	struct dirent *de;
	size_t n;
	DIR *d;
	int rc = 0;

	if (ctx_path(ctx, dir, sizeof(dir), "%s", root) < 0)
		return 0;
	d = opendir(dir);
	if (!d) {
		if (errno == EACCES || errno == EPERM)
			return nj_fail(e, NJ_PERM, errno,
				       "cannot read %s: %s (needs root)", dir,
				       strerror(errno));
		return 0;
	}
	while (rc == 0 && (de = readdir(d))) {
		n = strlen(de->d_name);
		if (n > sizeof(suffix) - 1 &&
		    !strcmp(de->d_name + n - (sizeof(suffix) - 1), suffix))
			rc = fn(de->d_name, arg);
	}
	if (rc < 0)
		nj_fail(e, nj_class_of_errno(-rc), -rc, "cannot read %s/%s: %s%s",
			dir, de ? de->d_name : "", strerror(-rc),
			rc == -EACCES || rc == -EPERM ? " (needs root)" : "");
	closedir(d);
	return rc < 0 ? rc : 0;
}

int storage_userdata(const struct nj_ctx *ctx, const char *root,
		     const char *driver_dir, const char *id, char *out,
		     size_t sz)
{
	return ctx_path(ctx, out, sz, "%s/%s/%s/userdata", root, driver_dir,
			id);
}

void storage_rootful(struct storage_store *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->graph, sizeof(s->graph), "%s", STORAGE_GRAPH);
	snprintf(s->run, sizeof(s->run), "%s", STORAGE_RUN);
	snprintf(s->oci_run, sizeof(s->oci_run), "/run");
}

/* The start time the OCI runtime recorded (runc or crun state). */
static void runtime_start(const struct nj_ctx *ctx,
			  const struct storage_store *st, struct nj_cand *c)
{
	char runc[PATH_MAX + 8], crun[PATH_MAX + 8], crio[PATH_MAX + 24];
	const struct runtime_state where[] = {
		{ runc, "state.json" },
		{ crun, "status" },
		/* CRI-O's record, in the graph root */
		{ crio, "userdata/state.json" },
	};

	snprintf(runc, sizeof(runc), "%s/runc", st->oci_run);
	snprintf(crun, sizeof(crun), "%s/crun", st->oci_run);
	snprintf(crio, sizeof(crio), "%s/overlay-containers", st->graph);
	runtime_start_time(ctx, where, sizeof(where) / sizeof(where[0]), c);
}

void storage_process(const struct nj_ctx *ctx, const struct storage_store *st,
		     const char *userdata, struct nj_cand *c)
{
	char path[PATH_MAX];
	long long mtime;

	snprintf(path, sizeof(path), "%s/pidfile", userdata);
	if (oci_read_pidfile(path, &c->pid, &mtime) < 0)
		return;
	c->running = true;
	snprintf(c->status, sizeof(c->status), "running");
	cand_check_started(c, mtime);
	if (c->running)
		runtime_start(ctx, st, c); /* the runtime's own word, if any */
}
