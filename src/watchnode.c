/* -L --watch: every network namespace on the node, through the loop of
 * watch.c. Namespaces are found as -L finds them (inventory_scan); a
 * rescan is made when a runtime's state directory or /run/netns changes
 * (inotify), when a process a namespace was found through exits (its
 * pidfd), and every WATCH_RESCAN_MS otherwise. One that went away is
 * reported and its socket closed, so that nothing of ours keeps it. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "netjoin/nsscan.h"
#include "netjoin/out_event.h"
#include "netjoin/watch.h"
#include "watch_int.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* After a state directory changed, the namespace may come a little later
 * (a runtime writes its state before it starts the container): rescans
 * this long after the change, in ms. */
static const int quick_rescans[] = { 50, 300, 800 };

/* Where runtimes keep the state a new container or pod shows in first:
 * what the providers read, and the pins of named namespaces. */
static const char *const state_dirs[] = {
	"/run/netns",
	"/var/run/netns",
	"/run/docker/netns",
	"/run/docker/containerd",
	"/run/containerd/io.containerd.runtime.v2.task",
	"/run/containers/storage/overlay-containers",
	"/run/crio",
	"/run/libpod",
};

size_t watch_diff(const struct nj_inventory *cur,
		  const unsigned long long (*known)[2], size_t nknown,
		  bool *gone, bool *fresh)
{
	size_t i, changed = 0;

	for (i = 0; i < cur->n; i++)
		fresh[i] = true;
	for (i = 0; i < nknown; i++) {
		const struct nj_nsrec *r =
			inventory_get((struct nj_inventory *)cur, known[i][0],
				      known[i][1]);

		gone[i] = !r;
		if (r)
			fresh[r - cur->v] = false;
		else
			changed++;
	}
	for (i = 0; i < cur->n; i++)
		changed += fresh[i];
	return changed;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Watch each state directory that exists, and containerd's namespaces
 * (moby, k8s.io...) below its task directory, where tasks appear. */
static void watch_state_dirs(struct watch *w, const struct nj_ctx *ctx)
{
	char dir[PATH_MAX], sub[PATH_MAX + 256];
	struct dirent *de;
	size_t i;
	DIR *d;

	for (i = 0; i < sizeof(state_dirs) / sizeof(state_dirs[0]); i++) {
		if (ctx_path(ctx, dir, sizeof(dir), "%s", state_dirs[i]) < 0 ||
		    watch_inotify_add(w, dir) < 0)
			continue;
		if (!strstr(dir, "runtime.v2.task") || !(d = opendir(dir)))
			continue;
		while ((de = readdir(d)))
			if (de->d_name[0] != '.') {
				snprintf(sub, sizeof(sub), "%s/%s", dir,
					 de->d_name);
				watch_inotify_add(w, sub);
			}
		closedir(d);
	}
}

/* A pidfd for the process r was found through, when that is how it is
 * held (not pinned by a mount): readable when it exits. */
static void hold_pidfd(struct watch *w, struct watch_ns *ns,
		       const struct nj_nsrec *r)
{
	int fd;

	if (!r->pid || r->mount)
		return;
	fd = (int)syscall(SYS_pidfd_open, r->pid, 0);
	if (fd >= 0 && watch_ns_pidfd(w, ns, fd) < 0)
		close(fd);
}

/* A namespace found by the scan: its socket, and a line. A namespace
 * that went away in between is not one. */
static int add_ns(struct watch *w, const struct nj_nsrec *r, bool report,
		  struct nj_err *e)
{
	struct watch_ns *ns;
	struct timespec ts;
	char target[700];
	int fd, err;

	fd = r->path ? open(r->path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return errno == EMFILE || errno == ENFILE
			       ? nj_fail(e, NJ_FAIL, errno,
					 "cannot open %s: %s", r->path,
					 strerror(errno))
			       : 0;
	nsrec_target(r, target, sizeof(target));
	ns = watch_ns_open(w, fd, false, 0, target, &err, e);
	close(fd);
	if (!ns)
		return err == -ENOTRECOVERABLE || err == -EMFILE ||
				       err == -ENFILE || err == -ENOMEM
			       ? err
			       : 0;
	ns->dev = r->dev;
	ns->ino = r->ino;
	ns->es.netns_inode = r->ino;
	ns->es.name_target = true;
	ns->seen = true;
	if (watch_ns_add(w, ns) < 0) {
		watch_ns_close(w, ns);
		return nj_fail(e, NJ_FAIL, ENOMEM, "out of memory");
	}
	hold_pidfd(w, ns, r);
	if (report) {
		clock_gettime(CLOCK_REALTIME, &ts);
		out_event_netns(w->o->out, w->o->json, &ts, &ns->es, r);
	}
	return 0;
}

/* Find the namespaces now: report and release those gone, watch and
 * report those new (report false: the first scan, nothing to report). */
static int rescan(struct watch *w, const struct nj_ctx *ctx, bool report,
		  struct nj_err *e)
{
	struct nj_inventory inv = { 0 };
	unsigned long long (*known)[2] = NULL;
	bool *gone = NULL, *fresh = NULL;
	struct timespec ts;
	size_t i, j, nfresh = 0;
	bool inv_full = false;
	int r;

	/* the namespaces alone first: owners (every runtime's state) only
	 * when there is a new one to name */
	r = nsscan(&inv);
	if (r < 0)
		return nj_fail(e, NJ_FAIL, -r, "cannot list namespaces: %s",
			       strerror(-r));
	known = malloc((w->n + 1) * sizeof(*known));
	gone = malloc((w->n + 1) * sizeof(*gone));
	r = -ENOMEM;
	if (!known || !gone)
		goto out;
	for (i = 0; i < w->n; i++) {
		known[i][0] = w->v[i]->dev;
		known[i][1] = w->v[i]->ino;
	}
	for (;;) {
		free(fresh);
		fresh = malloc((inv.n + 1) * sizeof(*fresh));
		if (!fresh)
			goto out;
		if (watch_diff(&inv, known, w->n, gone, fresh) == 0 ||
		    inv_full)
			break;
		for (i = 0; i < inv.n && !fresh[i]; i++)
			;
		if (i == inv.n)
			break; /* only some gone: nothing to name */
		inventory_free(&inv);
		r = inventory_scan(ctx, &inv, e);
		if (r < 0)
			goto out;
		r = -ENOMEM;
		inv_full = true;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	for (i = j = 0; i < w->n; i++) {
		struct watch_ns *ns = w->v[i];

		if (gone[i]) {
			out_event_netns(w->o->out, w->o->json, &ts, &ns->es,
					NULL);
			watch_ns_close(w, ns);
			continue;
		}
		if (ns->exited) { /* another process holds it: follow that */
			const struct nj_nsrec *rec =
				inventory_get(&inv, ns->dev, ns->ino);

			watch_ns_pidfd_close(w, ns);
			ns->exited = false;
			hold_pidfd(w, ns, rec);
		}
		w->v[j++] = ns;
	}
	w->n = j;
	for (i = 0; i < inv.n; i++)
		nfresh += fresh[i];
	/* a socket and a pidfd each, and room for the scan's own */
	r = watch_fd_limit(2 * (w->n + nfresh) + 64, e);
	if (r < 0)
		goto out;
	for (i = 0, r = 0; i < inv.n && r == 0; i++)
		if (fresh[i])
			r = add_ns(w, &inv.v[i], report, e);
out:
	if (r == -ENOMEM)
		nj_fail(e, NJ_FAIL, ENOMEM, "out of memory");
	free(known);
	free(gone);
	free(fresh);
	inventory_free(&inv);
	return r < 0 ? r : 0;
}

/* A rescan holds the loop, and every event with it: a Docker daemon
 * that does not answer may hold it this long (ms) before its state on
 * disk is read instead, not the 3 s a listing waits. */
#define WATCH_DOCKER_TIMEOUT_MS 200

int watch_node(const struct watch_opts *o, const struct nj_ctx *node_ctx,
	       struct nj_err *e)
{
	struct nj_ctx c = *node_ctx, *ctx = &c;
	struct watch_ready ready;
	struct watch w;
	long long next, quick_base = 0;
	size_t quick = sizeof(quick_rescans) / sizeof(quick_rescans[0]);
	int r, timeout;

	if (c.docker_timeout_ms > WATCH_DOCKER_TIMEOUT_MS)
		c.docker_timeout_ms = WATCH_DOCKER_TIMEOUT_MS;
	r = watch_init(&w, o, e);
	if (r == 0) {
		watch_state_dirs(&w, ctx);
		r = rescan(&w, ctx, false, e);
	}
	next = now_ms() + WATCH_RESCAN_MS;
	while (r == 0 && !w.stop) {
		timeout = (int)(next - now_ms());
		if (quick < sizeof(quick_rescans) / sizeof(quick_rescans[0]) &&
		    quick_base + quick_rescans[quick] - now_ms() < timeout)
			timeout = (int)(quick_base + quick_rescans[quick] - now_ms());
		r = watch_wait(&w, timeout < 0 ? 0 : timeout, &ready);
		if (r < 0) {
			nj_fail(e, NJ_FAIL, -r, "cannot read events: %s",
				strerror(-r));
			break;
		}
		if (w.stop)
			break;
		if (ready.inotify) {
			/* a directory appearing (a containerd namespace)
			 * is watched too */
			watch_state_dirs(&w, ctx);
			quick_base = now_ms();
			quick = 0;
			continue; /* its first rescan is a moment away */
		}
		if (quick < sizeof(quick_rescans) / sizeof(quick_rescans[0]) &&
		    now_ms() >= quick_base + quick_rescans[quick]) {
			quick++;
			ready.exited = true;
		}
		if (ready.exited || now_ms() >= next) {
			r = rescan(&w, ctx, true, e);
			next = now_ms() + WATCH_RESCAN_MS;
			if (fflush(o->out) || fflush(stdout) || ferror(stdout))
				break;
		}
	}
	watch_fini(&w);
	return r < 0 ? r : 0;
}
