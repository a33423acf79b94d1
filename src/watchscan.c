/* -L --watch's rescan, in a thread of its own: finding the namespaces
 * (inventory_scan, every runtime's state; a Docker daemon may take
 * 200 ms to answer) and opening a socket in each new one takes longer
 * than an event may wait, so the loop's thread goes on reading and
 * writing events meanwhile and applies the result when told (an
 * eventfd). The thread touches nothing of the loop's: it works on a copy
 * of what was watched, and setns(2) moves it alone. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "netjoin/nsscan.h"
#include "netjoin/watch.h"
#include "watch_int.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int watch_fd_limit(size_t need, struct nj_err *e)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return nj_fail(e, NJ_FAIL, errno, "getrlimit: %s",
			       strerror(errno));
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need)
		return nj_fail(e, NJ_FAIL, EMFILE,
			       "watching needs about %zu open files and the hard limit is %llu: raise it (ulimit -Hn, prlimit --nofile)",
			       need, (unsigned long long)rl.rlim_max);
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return nj_fail(e, NJ_FAIL, errno,
			       "cannot raise the open files limit to %llu: %s",
			       (unsigned long long)rl.rlim_max, strerror(errno));
	return 1;
}

/* A pidfd for the process r was found through, when that is how it is
 * held (not pinned by a mount): readable when it exits. -1 if none. */
static int pidfd_of(const struct nj_nsrec *r)
{
	if (!r || !r->pid || r->mount)
		return -1;
	return (int)syscall(SYS_pidfd_open, r->pid, 0);
}

/* A watch of new namespace r into *out (NULL when it went away in
 * between: it is not one). 0, or -errno with e when the scan must end. */
static int open_fresh(struct watch_scan *s, const struct nj_nsrec *r,
		      struct watch_ns **out)
{
	struct watch_ns *ns;
	char target[700];
	int fd, err;

	*out = NULL;
	fd = r->path ? open(r->path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return errno == EMFILE || errno == ENFILE
			       ? nj_fail(&s->e, NJ_FAIL, errno,
					 "cannot open %s: %s", r->path,
					 strerror(errno))
			       : 0;
	nsrec_target(r, target, sizeof(target));
	ns = watch_ns_open(s->home, fd, false, 0, target, &err, &s->e);
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
	ns->named = r->nowners > 0 || r->is_host;
	ns->seen_ms = watch_now_ms();
	ns->pidfd = pidfd_of(r);
	*out = ns;
	return 0;
}

/* Find the namespaces now: which of those known are gone, and a watch
 * of each new one. The namespaces alone first (nsscan): the owners
 * (every runtime's state) only when there is a new one to name. */
static int scan_run(struct watch_scan *s)
{
	size_t i, ngone = 0, nfresh = 0;
	bool *fresh = NULL, full = false, relook = false;
	int r;

	for (i = 0; i < s->nknown; i++)
		relook |= s->relook[i];
	r = nsscan(&s->inv);
	if (r < 0)
		return nj_fail(&s->e, NJ_FAIL, -r,
			       "cannot list namespaces: %s", strerror(-r));
	s->gone = calloc(s->nknown + 1, sizeof(*s->gone));
	s->repid = malloc((s->nknown + 1) * sizeof(*s->repid));
	s->named = calloc(s->nknown + 1, sizeof(*s->named));
	r = -ENOMEM;
	if (!s->gone || !s->repid || !s->named)
		goto out;
	for (i = 0; i < s->nknown; i++)
		s->repid[i] = -1;
	for (;;) {
		free(fresh);
		fresh = calloc(s->inv.n + 1, sizeof(*fresh));
		if (!fresh)
			goto out;
		watch_diff(&s->inv, s->known, s->nknown, s->gone, fresh);
		if (full)
			break;
		for (i = 0; i < s->inv.n && !fresh[i]; i++)
			;
		if (i == s->inv.n && !relook)
			break; /* nothing new, or only some gone: nothing to name */
		inventory_free(&s->inv);
		r = inventory_scan(s->ctx, &s->inv, &s->e);
		if (r < 0)
			goto out;
		r = -ENOMEM;
		full = true;
	}
	/* another process holds one whose process exited: follow that */
	for (i = 0; i < s->nknown; i++) {
		const struct nj_nsrec *k;

		ngone += s->gone[i];
		k = full && s->relook[i] && !s->gone[i]
			    ? inventory_get(&s->inv, s->known[i][0],
					    s->known[i][1])
			    : NULL;
		if (k && k->nowners)
			s->named[i] = (size_t)(k - s->inv.v) + 1;
		if (s->exited[i] && !s->gone[i])
			s->repid[i] = pidfd_of(inventory_get(
				&s->inv, s->known[i][0], s->known[i][1]));
	}
	for (i = 0; i < s->inv.n; i++)
		nfresh += fresh[i];
	s->fresh = calloc(s->inv.n + 1, sizeof(*s->fresh));
	if (!s->fresh)
		goto out;
	/* a socket and a pidfd each, and room for the scan's own */
	r = watch_fd_limit(2 * (s->nknown - ngone + nfresh) + 64, &s->e);
	if (r < 0)
		goto out;
	for (i = 0, r = 0; i < s->inv.n && r == 0; i++)
		if (fresh[i] && !atomic_load(&s->stop))
			r = open_fresh(s, &s->inv.v[i], &s->fresh[i]);
out:
	if (r == -ENOMEM)
		nj_fail(&s->e, NJ_FAIL, ENOMEM, "out of memory");
	free(fresh);
	return r < 0 ? r : 0;
}

static void *scan_thread(void *arg)
{
	struct watch_scan *s = arg;
	uint64_t one = 1;
	ssize_t n;

	s->r = scan_run(s);
	/* cannot fail: one scan at a time, each adding 1 */
	n = write(s->done, &one, sizeof(one));
	(void)n;
	return NULL;
}

/* s set up for a scan of what w watches now. */
static int scan_prepare(struct watch *w, struct watch_scan *s,
			const struct nj_ctx *ctx)
{
	long long now = watch_now_ms();
	size_t i;

	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	s->home = w->home;
	s->done = w->scan_done;
	atomic_init(&s->stop, false);
	s->known = malloc((w->n + 1) * sizeof(*s->known));
	s->exited = malloc((w->n + 1) * sizeof(*s->exited));
	s->relook = malloc((w->n + 1) * sizeof(*s->relook));
	if (!s->known || !s->exited || !s->relook)
		return -ENOMEM;
	for (i = 0; i < w->n; i++) {
		s->known[i][0] = w->v[i]->dev;
		s->known[i][1] = w->v[i]->ino;
		s->exited[i] = w->v[i]->exited;
		s->relook[i] = !w->v[i]->named &&
			       now - w->v[i]->seen_ms < WATCH_NAME_MS;
	}
	s->nknown = w->n;
	return 0;
}

int watch_scan_here(struct watch *w, struct watch_scan *s,
		    const struct nj_ctx *ctx)
{
	s->r = scan_prepare(w, s, ctx);
	if (s->r == 0)
		s->r = scan_run(s);
	else
		nj_fail(&s->e, NJ_FAIL, -s->r, "out of memory");
	return s->r;
}

int watch_scan_start(struct watch *w, struct watch_scan *s,
		     const struct nj_ctx *ctx)
{
	int r;

	if (w->scan_done < 0) {
		w->scan_done = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (w->scan_done < 0)
			return -errno;
		r = watch_ep_add(w, w->scan_done, EPOLLIN, &w->scan_src);
		if (r < 0) {
			close(w->scan_done);
			w->scan_done = -1;
			return r;
		}
	}
	r = scan_prepare(w, s, ctx);
	if (r < 0)
		return r;
	/* SIGINT and SIGTERM stay blocked in it, as here: the loop's
	 * signalfd takes them */
	r = pthread_create(&s->thread, NULL, scan_thread, s);
	if (r)
		return -r;
	s->running = true;
	return 0;
}

void watch_scan_join(struct watch_scan *s)
{
	if (s->running)
		pthread_join(s->thread, NULL);
	s->running = false;
}

void watch_scan_free(struct watch_scan *s)
{
	size_t i;

	atomic_store(&s->stop, true);
	watch_scan_join(s);
	for (i = 0; s->fresh && i < s->inv.n; i++)
		watch_ns_close(NULL, s->fresh[i]);
	for (i = 0; s->repid && i < s->nknown; i++)
		if (s->repid[i] >= 0)
			close(s->repid[i]);
	inventory_free(&s->inv);
	free(s->fresh);
	free(s->repid);
	free(s->gone);
	free(s->named);
	free(s->known);
	free(s->exited);
	free(s->relook);
	memset(s, 0, sizeof(*s));
}
