/* Docker's own state on disk, for when its daemon does not answer:
 * <data root>/containers/<id>/config.v2.json and hostconfig.json, and
 * runc's state in <exec root>/runtime-runc/moby for the start time of a
 * container's process. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "docker_int.h"
#include "runtime.h"

/* The network mode (in c) and the files Docker recorded: its namespace
 * file (its sandbox key) and its resolv.conf and hosts. */
void docker_set_network(const struct nj_ctx *ctx, struct nj_cand *c,
			const char *sandbox_key, const char *resolv,
			const char *hosts)
{
	c->host_network = !strcmp(c->network_mode, "host");
	c->guest = !strncmp(c->network_mode, "container:", 10);
	if (sandbox_key[0] && !c->host_network)
		ctx_path(ctx, c->netns_path, sizeof(c->netns_path), "%s",
			 sandbox_key);
	if (resolv[0])
		ctx_path(ctx, c->resolv, sizeof(c->resolv), "%s", resolv);
	if (hosts[0])
		ctx_path(ctx, c->hosts, sizeof(c->hosts), "%s", hosts);
}

/* The recorded process must still be the container's: runc's start time
 * when its state is there, else Docker's StartedAt (a process that began
 * after it took a dead container's PID). */
static void disk_start_time(const struct nj_ctx *ctx,
			    const struct docker_roots *r, struct nj_cand *c,
			    long long started)
{
	char dir[PATH_MAX + 32];
	struct runtime_state runc = { dir, "state.json" };

	snprintf(dir, sizeof(dir), "%s/runtime-runc/moby", r->exec);
	runtime_start_time(ctx, &runc, 1, c);
	if (c->running)
		cand_check_started(c, started);
}

static int disk_one(const struct nj_ctx *ctx, const struct docker_roots *r,
		    const char *dir, const char *id, const char *ref,
		    struct nj_cands *out)
{
	char path[PATH_MAX], *buf;
	struct docker_disk d;
	struct nj_cand *c;
	enum nj_match m;
	size_t len;
	int rc;

	m = cand_match(ref, id, NULL);
	snprintf(path, sizeof(path), "%s/%s/config.v2.json", dir, id);
	if (read_file(path, OCI_STATE_MAX, &buf, &len) < 0)
		return 0;
	/* names need the record; most records cannot hold this name */
	if (!m && ref && !memmem(buf, len, ref, strlen(ref))) {
		free(buf);
		return 0;
	}
	rc = oci_parse_docker_config_v2(buf, len, &d);
	free(buf);
	if (rc < 0 || strcmp(d.id, id))
		return 0; /* not a container record: ignore it */
	m = cand_match(ref, d.id, d.name);
	if (!m)
		return 0;
	c = runtime_cand(out, "docker", "disk", m, d.id);
	if (!c)
		return -ENOMEM;
	c->running = d.running;
	c->pid = d.pid;
	snprintf(c->status, sizeof(c->status), "%s",
		 d.running ? "running" : "exited");
	snprintf(c->name, sizeof(c->name), "%s", d.name);
	snprintf(c->state_file, sizeof(c->state_file), "%s", path);
	snprintf(path, sizeof(path), "%s/%s/hostconfig.json", dir, id);
	if (read_file(path, OCI_STATE_MAX, &buf, &len) == 0) {
		oci_parse_docker_hostconfig(buf, len, c->network_mode,
					    sizeof(c->network_mode));
		free(buf);
	}
	docker_set_network(ctx, c, d.sandbox_key, d.resolv, d.hosts);
	disk_start_time(ctx, r, c, d.started);
	return 0;
}

int docker_disk_find(const struct nj_ctx *ctx, const struct docker_roots *r,
		     const char *ref, struct nj_cands *out)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (ctx_path(ctx, dir, sizeof(dir), "%s/containers", r->data) < 0)
		return -ENOENT;
	d = opendir(dir);
	if (!d)
		return errno == EACCES || errno == EPERM ? -EACCES : -ENOENT;
	while (rc == 0 && (de = readdir(d)))
		if (de->d_name[0] != '.' &&
		    strlen(de->d_name) < sizeof(((struct nj_cand *)0)->id))
			rc = disk_one(ctx, r, dir, de->d_name, ref, out);
	closedir(d);
	return rc;
}
