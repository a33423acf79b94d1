/* -L --watch: every network namespace on the node, through the loop of
 * watch.c. Namespaces are found as -L finds them (inventory_scan); a
 * rescan is made when a runtime's state directory or /run/netns changes,
 * or LXC writes a container's lock (inotify), when a process a namespace
 * was found through exits (its pidfd), and every WATCH_RESCAN_MS
 * otherwise, in a thread of its own (watchscan.c) while the loop goes on
 * with the events. One that went away is reported and its socket
 * closed, so that nothing of ours keeps it; one reported without owners
 * is looked up again, and reported again once they are known (see
 * WATCH_NAME_MS). */
#include <errno.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/inotify.h>
#include "netjoin/out_event.h"
#include "netjoin/watch.h"
#include "watch_int.h"

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

long long watch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Watch each state directory that exists, containerd's namespaces
 * (moby, k8s.io...) below its task directory, where tasks appear, and
 * LXC's lock directory, where lxc-start writes a container's lock as it
 * starts it: LXC makes no file then. */
static void watch_state_dirs(struct watch *w, const struct nj_ctx *ctx)
{
	char dir[PATH_MAX], sub[PATH_MAX + 256];
	struct dirent *de;
	size_t i;
	DIR *d;

	for (i = 0; i < sizeof(state_dirs) / sizeof(state_dirs[0]); i++) {
		if (ctx_path(ctx, dir, sizeof(dir), "%s", state_dirs[i]) < 0 ||
		    watch_inotify_add(w, dir, 0) < 0)
			continue;
		if (!strstr(dir, "runtime.v2.task") || !(d = opendir(dir)))
			continue;
		while ((de = readdir(d)))
			if (de->d_name[0] != '.') {
				snprintf(sub, sizeof(sub), "%s/%s", dir,
					 de->d_name);
				watch_inotify_add(w, sub, 0);
			}
		closedir(d);
	}
	if (lxcmon_lockdir(ctx, sub, sizeof(sub)) == 0 &&
	    ctx_path(ctx, dir, sizeof(dir), "%s", sub) == 0)
		watch_inotify_add(w, dir, IN_CLOSE_WRITE);
}

/* A namespace reported without owners has them now: reported again,
 * and its later events name it as it is named now. */
static void name_ns(struct watch *w, struct watch_ns *ns,
		    const struct nj_nsrec *r, bool report)
{
	struct timespec ts;

	ns->named = true;
	nsrec_target(r, ns->target, sizeof(ns->target));
	if (report) {
		clock_gettime(CLOCK_REALTIME, &ts);
		out_event_netns(w->o->out, w->o->json, &ts, &ns->es, r);
	}
}

/* A rescan's result into the loop: those gone reported and released,
 * those new watched and reported (report false: the first scan,
 * nothing to report). */
static int apply(struct watch *w, struct watch_scan *s, bool report,
		 struct nj_err *e)
{
	struct watch_ns *ns;
	struct timespec ts;
	size_t i, j;
	int r;

	if (s->r < 0) {
		*e = s->e;
		return s->r;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	/* w->v is as the scan began: only results change it */
	for (i = j = 0; i < w->n; i++) {
		ns = w->v[i];
		if (s->gone[i]) {
			out_event_netns(w->o->out, w->o->json, &ts, &ns->es,
					NULL);
			watch_ns_close(w, ns);
			continue;
		}
		if (s->named[i])
			name_ns(w, ns, &s->inv.v[s->named[i] - 1], report);
		if (s->exited[i]) {
			ns->exited = false;
			if (s->repid[i] >= 0 &&
			    watch_ns_pidfd(w, ns, s->repid[i]) < 0)
				close(s->repid[i]);
			s->repid[i] = -1;
		}
		w->v[j++] = ns;
	}
	w->n = j;
	for (i = 0; i < s->inv.n; i++) {
		ns = s->fresh[i];
		if (!ns)
			continue;
		s->fresh[i] = NULL;
		r = watch_ns_add(w, ns);
		if (r < 0) {
			watch_ns_close(NULL, ns);
			if (r == -ENOMEM)
				return nj_fail(e, NJ_FAIL, ENOMEM,
					       "out of memory");
			continue;
		}
		if (report) {
			clock_gettime(CLOCK_REALTIME, &ts);
			out_event_netns(w->o->out, w->o->json, &ts, &ns->es,
					&s->inv.v[i]);
		} else {
			ns->named = true; /* there before: nobody is making it */
		}
	}
	return 0;
}

/* When the next rescan is due: sooner while a namespace young enough
 * still has no owners. */
static long long next_rescan(const struct watch *w)
{
	long long now = watch_now_ms(), next = now + WATCH_RESCAN_MS;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!w->v[i]->named &&
		    now - w->v[i]->seen_ms < WATCH_RELOOK_FAST_MS)
			return now + WATCH_RELOOK_MS;
	return next;
}

/* A rescan in its thread, or after the one running (*pending). */
static int rescan(struct watch *w, struct watch_scan *s,
		  const struct nj_ctx *ctx, bool *pending, struct nj_err *e)
{
	int r;

	if (s->running) {
		*pending = true;
		return 0;
	}
	*pending = false;
	/* a state directory made since is watched from now on (LXC makes
	 * its lock directory at the first lxc-* command after boot) */
	watch_state_dirs(w, ctx);
	watch_scan_free(s);
	r = watch_scan_start(w, s, ctx);
	if (r < 0)
		return nj_fail(e, NJ_FAIL, -r, "cannot rescan: %s",
			       strerror(-r));
	return 0;
}

/* A Docker daemon that does not answer may hold a rescan this long (ms)
 * before its state on disk is read instead, not the 3 s a listing
 * waits: a new container is reported within a second. */
#define WATCH_DOCKER_TIMEOUT_MS 200

int watch_node(const struct watch_opts *o, const struct nj_ctx *node_ctx,
	       struct nj_err *e)
{
	struct nj_ctx c = *node_ctx, *ctx = &c;
	struct watch_scan scan = { 0 };
	struct watch_ready ready;
	struct watch w;
	long long next, quick_base = 0;
	size_t quick = sizeof(quick_rescans) / sizeof(quick_rescans[0]);
	bool pending = false;
	int r, timeout;

	if (c.docker_timeout_ms > WATCH_DOCKER_TIMEOUT_MS)
		c.docker_timeout_ms = WATCH_DOCKER_TIMEOUT_MS;
	r = watch_init(&w, o, e);
	if (r == 0) {
		/* the first scan here: there is nothing to read before it */
		watch_state_dirs(&w, ctx);
		watch_scan_here(&w, &scan, ctx);
		r = apply(&w, &scan, false, e);
		watch_scan_free(&scan);
	}
	next = next_rescan(&w);
	while (r == 0 && !w.stop) {
		timeout = (int)(next - watch_now_ms());
		if (quick < sizeof(quick_rescans) / sizeof(quick_rescans[0]) &&
		    quick_base + quick_rescans[quick] - watch_now_ms() < timeout)
			timeout = (int)(quick_base + quick_rescans[quick] - watch_now_ms());
		r = watch_wait(&w, timeout < 0 ? 0 : timeout, &ready);
		if (r < 0) {
			nj_fail(e, NJ_FAIL, -r, "cannot read events: %s",
				strerror(-r));
			break;
		}
		if (w.stop)
			break;
		if (ready.scanned && scan.running) {
			watch_scan_join(&scan);
			r = apply(&w, &scan, true, e);
			watch_scan_free(&scan);
			next = next_rescan(&w);
			if (r < 0 || fflush(o->out) || fflush(stdout) ||
			    ferror(stdout))
				break;
			if (pending)
				r = rescan(&w, &scan, ctx, &pending, e);
		}
		if (ready.inotify) {
			/* a directory appearing (a containerd namespace)
			 * is watched too */
			watch_state_dirs(&w, ctx);
			quick_base = watch_now_ms();
			quick = 0;
			continue; /* its first rescan is a moment away */
		}
		if (quick < sizeof(quick_rescans) / sizeof(quick_rescans[0]) &&
		    watch_now_ms() >= quick_base + quick_rescans[quick]) {
			quick++;
			ready.exited = true;
		}
		if (r == 0 && (ready.exited || watch_now_ms() >= next)) {
			/* while one runs, the next waits for it */
			r = rescan(&w, &scan, ctx, &pending, e);
			next = next_rescan(&w);
		}
	}
	watch_scan_free(&scan);
	watch_fini(&w);
	return r < 0 ? r : 0;
}
