/* containers/storage run root, shared by CRI-O and podman:
 * /run/containers/storage/overlay-containers/<id>/userdata/. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "netjoin/oci.h"
#include "netjoin/procfs.h"
#include "netjoin/storage.h"

#define STATE_MAX (4u << 20)

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

int storage_config(const char *userdata, const char *needle,
		   struct oci_config *oc)
{
	return oci_load_config(userdata, needle, oc);
}

/* The start time the OCI runtime recorded (runc or crun state). */
static void runtime_start(const struct nj_ctx *ctx, struct nj_cand *c)
{
	static const char *const files[] = {
		"/run/runc/%s/state.json", "/run/crun/%s/status",
		/* CRI-O's record, in the graph root */
		STORAGE_GRAPH "/overlay-containers/%s/userdata/state.json",
	};
	char rel[PATH_MAX], path[PATH_MAX], *buf;
	unsigned long long st;
	size_t i, len;
	pid_t pid;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(rel, sizeof(rel), files[i], c->id);
		if (ctx_path(ctx, path, sizeof(path), "%s", rel) < 0 ||
		    read_file(path, STATE_MAX, &buf, &len) < 0)
			continue;
		if (oci_parse_runc_state(buf, len, &pid, &st) == 0 &&
		    pid == c->pid && st) {
			c->start_time = st;
			free(buf);
			return;
		}
		free(buf);
	}
}

void storage_process(const struct nj_ctx *ctx, const char *userdata,
		     struct nj_cand *c)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/pidfile", userdata);
	if (stat(path, &st) < 0 || oci_read_pidfile(path, &c->pid) < 0)
		return;
	c->running = true;
	snprintf(c->status, sizeof(c->status), "running");
	cand_check_started(c, (long long)st.st_mtime);
	if (c->running)
		runtime_start(ctx, c); /* the runtime's own word, if any */
}

void storage_netns(const struct nj_ctx *ctx, const struct oci_config *oc,
		   struct nj_cand *c)
{
	if (!oc->has_netns)
		c->host_network = true;
	else if (oc->netns_path[0] && strncmp(oc->netns_path, "/proc/", 6))
		ctx_path(ctx, c->netns_path, sizeof(c->netns_path), "%s",
			 oc->netns_path);
	else if (oc->netns_path[0])
		c->guest = true; /* another process's: podman's container:X */
}
