/* netjoin: join only the network namespace of a target, then list its
 * interfaces and addresses or run a command there with the host's tools.
 * The only place that prints errors or exits. It is past 450 lines for
 * that reason: each mode (listing, -L, --top, --watch, --capture, a
 * COMMAND) ends here, in a few lines that report and pick the exit code;
 * the work of each is in its own module. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "netjoin/args.h"
#include "netjoin/capture.h"
#include "netjoin/err.h"
#include "netjoin/esc.h"
#include "netjoin/exec.h"
#include "netjoin/fit.h"
#include "netjoin/inventory.h"
#include "netjoin/listing.h"
#include "netjoin/mounts.h"
#include "netjoin/num.h"
#include "netjoin/nsjoin.h"
#include "netjoin/privs.h"
#include "netjoin/spec.h"
#include "netjoin/target.h"
#include "netjoin/top.h"
#include "netjoin/tty.h"
#include "netjoin/watch.h"

#ifndef NETJOIN_VERSION
#define NETJOIN_VERSION "0.0"
#endif

#define DOCKER_TIMEOUT_MS 3000

static int usage_error(const char *fmt, const char *arg)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), fmt, arg);
	fputs("netjoin: ", stderr);
	esc_fputs(stderr, msg);
	fputs("\nTry 'netjoin --help' for more information.\n", stderr);
	return NJ_USAGE;
}

/* Messages carry names from argv and runtime state: control bytes are
 * escaped, so an error stays one line and never drives the terminal.
 * extra keeps its own line breaks (its lines are escaped where made). */
static int report(const struct nj_err *e)
{
	fputs("netjoin: ", stderr);
	esc_fputs(stderr, e->msg);
	putc('\n', stderr);
	if (e->extra[0]) {
		esc_write(stderr, e->extra, strlen(e->extra), "\n");
		putc('\n', stderr);
	}
	return e->cls ? (int)e->cls : NJ_FAIL;
}

static int report_out_of_memory(void)
{
	fputs("netjoin: out of memory\n", stderr);
	return NJ_FAIL;
}

/* Where a listing is written: text through the escaper (names from the
 * kernel and runtime state may hold any byte), JSON as it is (it escapes
 * its own strings). NULL when the escaper cannot be made. */
static FILE *open_out(const struct opts *o)
{
	/* a listing is made at once: in few large writes, unless somebody
	 * reads it on a terminal as it comes (glibc takes a size only with
	 * a buffer) */
	static char buf[1 << 16];

	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	return o->l.format == OUT_JSON ? stdout : esc_stream(stdout);
}

/* Flush out into stdout, and stdout; a reader that went away (EPIPE) is
 * not an error. */
static int finish_stdout(FILE *out)
{
	if (out && out != stdout)
		fclose(out); /* its failed writes set stdout's error flag */
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		return 0;
	fprintf(stderr, "netjoin: write error on standard output: %s\n",
		strerror(errno));
	return NJ_FAIL;
}

static void verbose_target(const struct nj_target *t,
			   unsigned long long ino)
{
	static const char *const via[] = { "nothing (no join)", "nsfs file",
					   "pidfd" };

	char spec[256], how[sizeof(t->how)], note[sizeof(t->note)],
		path[sizeof(t->path)];

	fprintf(stderr, "netjoin: resolved '%s' as %s%s%s through %s\n",
		esc_str(spec, sizeof(spec), t->spec), t->kind,
		t->runtime ? " of " : "", t->runtime ? t->runtime : "",
		esc_str(how, sizeof(how), t->how));
	if (t->note[0])
		fprintf(stderr, "netjoin: %s\n",
			esc_str(note, sizeof(note), t->note));
	fprintf(stderr, "netjoin: joined net:[%llu] via %s%s%s\n", ino,
		via[t->handle], t->path[0] ? " " : "",
		esc_str(path, sizeof(path), t->path));
}

/* The columns of the terminal that stdout is, 0 when it is none (a pipe,
 * a file): a program reading us gets every row whole. As util-linux
 * reads it: the terminal's size, else COLUMNS when the terminal does not
 * know its own (0 columns, a serial console); a terminal of unknown width
 * is not cut. */
static size_t stdout_width(void)
{
	unsigned long long cols;
	struct winsize ws;
	const char *env;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0)
		return 0;
	if (ws.ws_col)
		return ws.ws_col;
	env = getenv("COLUMNS");
	if (!env || num_parse_str(env, 65535, &cols) < 0)
		return 0;
	return (size_t)cols;
}

/* -L and --find: every namespace on the node, none of them joined. */
static int node(const struct opts *o, const struct nj_ctx *ctx)
{
	struct nj_err e = { 0 };
	struct nj_query q;
	size_t n = 0;
	FILE *out;
	int rc;

	if (o->find && query_parse(o->find, &q) < 0)
		return usage_error("--find %s: not an IP address, prefix or MAC address",
				   o->find);
	out = open_out(o);
	if (!out)
		return report_out_of_memory();
	rc = listing_node(out, &o->l, ctx, o->find ? &q : NULL, &n, &e);
	if (rc < 0) {
		finish_stdout(out);
		return report(&e);
	}
	rc = finish_stdout(out);
	if (rc == 0 && o->find && n == 0) {
		fprintf(stderr, "netjoin: %s: in no network namespace on this node\n",
			o->find);
		rc = NJ_NOTFOUND;
	}
	return rc;
}

/* --watch: lines until a signal, a reader gone (0) or the target gone
 * (6, said after the last line). */
static int watch(const struct opts *o, const struct nj_ctx *ctx,
		 struct nj_target *t)
{
	struct nj_err e = { 0 };
	struct watch_opts wo = { .json = o->l.format == OUT_JSON };
	int rc;

	wo.out = open_out(o);
	if (!wo.out) {
		target_close(t);
		return report_out_of_memory();
	}
	rc = t ? watch_target(&wo, t, &e) : watch_node(&wo, ctx, &e);
	if (t)
		target_close(t);
	if (rc < 0) {
		finish_stdout(wo.out);
		return report(&e);
	}
	return finish_stdout(wo.out);
}

static int list(const struct opts *o, const struct nj_ctx *ctx, int home_fd,
		const struct out_target *ot)
{
	struct nj_err e = { 0 };
	FILE *out = open_out(o);

	if (!out)
		return report_out_of_memory();
	if (listing_write(out, &o->l, ctx, home_fd, ot, &e) < 0) {
		finish_stdout(out);
		return report(&e);
	}
	return finish_stdout(out);
}

/* A set of rates out: into stdout, and stdout to its reader. 0, or
 * -errno of the failed write (-EPIPE: the reader went away). */
static int top_flush(FILE *out)
{
	errno = 0;
	if (out != stdout)
		fflush(out);
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	return errno ? -errno : -EIO;
}

/* The end of --top: an error is reported, a reader that went away is no
 * error. */
static int top_end(FILE *out, int rc, int wr, const struct nj_err *e)
{
	if (rc < 0) {
		finish_stdout(out);
		return report(e);
	}
	if (wr == 0)
		return finish_stdout(out);
	if (out != stdout)
		fclose(out);
	if (wr == -EPIPE)
		return 0;
	fprintf(stderr, "netjoin: write error on standard output: %s\n",
		strerror(-wr));
	return NJ_FAIL;
}

/* next + step microseconds, or now when that has passed (a sample took
 * longer than the interval). */
static void next_sample_at(struct timespec *next, long step)
{
	struct timespec now;
	long ns = next->tv_nsec + step % 1000000L * 1000L;

	next->tv_sec += step / 1000000L + ns / 1000000000L;
	next->tv_nsec = ns % 1000000000L;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > next->tv_sec ||
	    (now.tv_sec == next->tv_sec && now.tv_nsec > next->tv_nsec))
		*next = now;
}

/* Until next; a target followed is looked at every TOP_CHECK_MS on the
 * way (gone: -errno, e set). TTY_TIMEOUT at next, or tty_wait's end. */
static int top_wait(struct top *t, struct tty *tty,
		    const struct timespec *next, const sigset_t *mask,
		    struct nj_err *e)
{
	struct timespec at;
	bool last;
	int rc;

	do {
		clock_gettime(CLOCK_MONOTONIC, &at);
		at.tv_nsec += TOP_CHECK_MS * 1000000L;
		at.tv_sec += at.tv_nsec / 1000000000L;
		at.tv_nsec %= 1000000000L;
		last = !t->follow || (t->pidfd < 0 && !t->pin) ||
		       at.tv_sec > next->tv_sec ||
		       (at.tv_sec == next->tv_sec && at.tv_nsec >= next->tv_nsec);
		rc = tty_wait(tty, last ? next : &at, mask);
		if (rc < 0)
			return nj_fail(e, NJ_FAIL, -rc, "waiting: %s",
				       strerror(-rc));
		if (rc == TTY_TIMEOUT && top_gone(t, e) < 0)
			return -ESRCH;
	} while (rc == TTY_TIMEOUT && !last);
	return rc;
}

/* --top: a sample, then a set of rates each interval, until --count sets
 * are out, q, SIGINT, SIGTERM or SIGHUP (exit 0), or a reader gone. The
 * interval is kept from sample to sample (not from the end of each
 * write); the rates are over the time measured between two readings. On
 * a terminal, text redraws the screen. One target (tg, joined) is
 * followed: when it goes away, 6 (home: netjoin's own namespace, to go
 * back to meanwhile; taken, as tg is). */
static int top(const struct opts *o, const struct nj_ctx *ctx,
	       struct nj_target *tg, unsigned long long ino, int home)
{
	const char *spec = tg ? tg->spec : NULL;
	const long step = o->interval_us ? (long)o->interval_us : 1000000L;
	const bool screen = o->l.format != OUT_JSON && isatty(STDOUT_FILENO);
	struct top_frame fr = { .target = spec, .netns_inode = ino };
	struct top_rows rows = { 0 };
	struct tty tty = TTY_INIT;
	struct nj_err e = { 0 };
	struct top t = { 0 };
	struct timespec next;
	unsigned long long sets = 0;
	int rc, wr = 0;
	sigset_t mask;
	FILE *out;

	if (screen) /* a frame in one write: no flicker */
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	out = open_out(o);
	if (!out)
		return report_out_of_memory();
	rc = tty_signals(&mask);
	if (rc == 0 && screen)
		rc = tty_enter(&tty, stdout);
	if (rc < 0)
		nj_fail(&e, NJ_FAIL, -rc, "terminal: %s", strerror(-rc));
	if (rc == 0)
		rc = top_open(&t, ctx, !spec, &e);
	if (rc == 0 && tg)
		rc = top_follow(&t, tg, home, &e);
	else if (tg) { /* not followed: closed here */
		target_close(tg);
		if (home >= 0)
			close(home);
	}
	if (rc == 0)
		rc = top_sample(&t, &e);
	if (rc == 0 && screen) {
		tty_clear(stdout);
		fprintf(stdout, "netjoin --top: the first rates in %.2f s (q to quit)\n",
			(double)step / 1e6);
		wr = top_flush(stdout);
	}
	next = t.mono[t.cur];
	while (rc == 0 && wr == 0) {
		next_sample_at(&next, step);
		rc = top_wait(&t, &tty, &next, &mask, &e);
		if (rc != TTY_TIMEOUT)
			break;
		rc = top_sample(&t, &e);
		if (rc == 0 && top_rows(&t, &rows, &fr.secs) < 0)
			rc = nj_fail(&e, NJ_FAIL, ENOMEM, "out of memory");
		if (rc < 0)
			break;
		fr.time = t.wall[t.cur];
		if (screen) {
			tty_size(STDOUT_FILENO, &fr.height, &fr.width);
			tty_clear(stdout);
		} else if (sets && o->l.format != OUT_JSON) {
			putc('\n', out);
		}
		if (o->l.format == OUT_JSON)
			out_top_json(out, &fr, &rows);
		else
			out_top_text(out, &fr, &rows);
		wr = top_flush(out);
		if (++sets == o->count)
			break;
	}
	if (rc > 0)
		rc = 0; /* q or a signal */
	tty_leave(&tty, stdout);
	top_close(&t);
	top_rows_free(&rows);
	return top_end(out, rc, wr, &e);
}

static int run_command(const struct opts *o, struct nj_target *t,
		       unsigned long long ino, const struct exec_user *u)
{
	struct mounts m = MOUNTS_INIT;
	char warn[256] = "", netns[64], rc[64], *shell[5];
	char *const *argv = o->command;
	struct nj_err e = { 0 };
	int rc_apply;

	m.sysfs = o->sysfs;
	if (o->dns && mounts_dns_files(t, &m, warn, sizeof(warn), &e) < 0) {
		mounts_close(&m);
		return report(&e);
	}
	if (warn[0])
		fprintf(stderr, "netjoin: warning: %s\n", warn);
	rc_apply = mounts_apply(&m, warn, sizeof(warn), &e);
	mounts_close(&m);
	if (rc_apply < 0)
		return report(&e);
	if (warn[0])
		fprintf(stderr, "netjoin: warning: %s\n", warn);
	snprintf(netns, sizeof(netns), "net:[%llu]", ino);
	setenv("NETJOIN_TARGET", t->spec, 1);
	setenv("NETJOIN_NETNS", netns, 1);
	if (o->shell) {
		exec_shell_argv(t->spec, shell, rc, sizeof(rc));
		argv = shell;
	}
	if (u->set && exec_user_drop(u, &e) < 0)
		return report(&e);
	exec_command(argv, &e);
	report(&e);
	return exec_status(e.errnum);
}

/* --capture: every target's interfaces into one pcapng section; the
 * counts at the end, as tcpdump prints them, however it ended. */
static int capture(const struct opts *o, const struct nj_ctx *ctx,
		   const struct privs *p)
{
	bool to_stdout = !o->cap.file || !strcmp(o->cap.file, "-");
	struct nj_err e = { 0 };
	struct capture c;
	int fd = -1, rc;

	if (privs_check_packets(p, &e) < 0 ||
	    (to_stdout && (fd = capture_open_out(NULL, &e)) < 0))
		return report(&e);
	rc = capture_init(&c, &o->cap, &e);
	if (rc == 0)
		rc = capsel_add_all(ctx, p, &c, &e);
	/* the file is made once there is something to write into it */
	if (rc == 0 && !to_stdout)
		rc = fd = capture_open_out(o->cap.file, &e);
	if (rc < 0) {
		capture_free(&c);
		return report(&e);
	}
	capture_report_start(stderr, &c);
	rc = capture_run(&c, fd, &e);
	capture_report(stderr, &c);
	capture_free(&c);
	if (!to_stdout && close(fd) < 0 && rc == 0)
		rc = nj_fail(&e, NJ_FAIL, errno, "cannot write %s: %s",
			     o->cap.file, strerror(errno));
	return rc < 0 ? report(&e) : 0;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct nj_ctx ctx = { .root = "",
			      .docker_host = getenv("DOCKER_HOST"),
			      .docker_timeout_ms = DOCKER_TIMEOUT_MS };
	struct exec_user user = { 0 };
	struct nj_err e = { 0 };
	struct nj_target t;
	struct nj_spec spec;
	struct out_target ot;
	struct privs p;
	unsigned long long ns_dev;
	int rc, home_fd;

	/* a message is one write(2), not one per byte: it cannot be torn by
	 * another writer of the same stderr. Every message ends in a newline,
	 * so nothing waits in the buffer at an exec or an _exit. */
	setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
	privs_get(&p);
	if (privs_refuse_secure(&p, &e) < 0) {
		report(&e);
		/* out at once: nothing of ours may run in a secure process,
		 * atexit handlers (a leak checker's) included */
		_exit(NJ_PERM);
	}
	rc = args_parse(argc, argv, &o, &e);
	if (rc < 0)
		return usage_error("%s", e.msg);
	if (rc == ARGS_HELP)
		args_usage(stdout);
	if (rc == ARGS_VERSION)
		printf("netjoin %s\n", NETJOIN_VERSION);
	if (rc)
		return finish_stdout(NULL);
	if (o.host_root)
		ctx.root = o.host_root;
	/* a closed pipe is an EPIPE to notice, not a signal to die of */
	signal(SIGPIPE, SIG_IGN);
	if (o.complete) {
		listing_complete(stdout, &ctx);
		return finish_stdout(NULL);
	}
	if (o.cap.on)
		return capture(&o, &ctx, &p);
	if (o.list_all && o.watch)
		return watch(&o, &ctx, NULL);
	if (o.list_all || o.find) {
		o.l.width = o.l.format == OUT_JSON ? 0 : stdout_width();
		o.l.utf8 = fit_locale_utf8(getenv("LC_ALL"), getenv("LC_CTYPE"),
					   getenv("LANG"));
		return node(&o, &ctx);
	}
	if (o.top && !o.target)
		return top(&o, &ctx, NULL, 0, -1);

	if (spec_parse(o.target, &spec, &e) < 0 ||
	    /* names are looked up with the host's network, before the join */
	    (o.user && exec_user_resolve(o.user, &user, &e) < 0))
		return report(&e);
	/* where we started: a container's veth peers are usually here */
	home_fd = o.command || o.shell || o.watch
			  ? -1
			  : open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	target_init(&t, o.target);
	if (o.watch) {
		if (target_resolve(&ctx, &spec, &t, &e) < 0 ||
		    privs_check_target(&p, &t, &e) < 0) {
			target_close(&t);
			return report(&e);
		}
		return watch(&o, &ctx, &t);
	}
	if (target_resolve(&ctx, &spec, &t, &e) < 0 ||
	    privs_check_target(&p, &t, &e) < 0 ||
	    privs_check_user(&p, &t, &user, &e) < 0 ||
	    /* in a user namespace of its own, the command has its powers,
	     * unless --user drops them */
	    ((t.userns_fd < 0 || user.set) &&
	     privs_check_capture(&p, o.command, &user, &e) < 0) ||
	    (t.userns_fd >= 0 && nsjoin_enter_user(t.userns_fd, &e) < 0) ||
	    (t.handle != NJ_HANDLE_NONE &&
	     nsjoin_enter(t.fd, t.handle == NJ_HANDLE_PIDFD, t.pid, &e) < 0)) {
		target_close(&t);
		return report(&e);
	}
	user.keep_ids = t.userns_fd >= 0;
	if (!o.top) /* --top follows it: top_follow closes it */
		target_close(&t);
	ot.t = &t;
	if (nsjoin_current_ns(&ns_dev, &ot.netns_inode) < 0)
		ot.netns_inode = 0; /* unknown */
	if (o.verbose)
		verbose_target(&t, ot.netns_inode);

	if (o.command || o.shell)
		return run_command(&o, &t, ot.netns_inode, &user);
	if (o.top)
		return top(&o, &ctx, &t, ot.netns_inode, home_fd);
	rc = list(&o, &ctx, home_fd, &ot);
	if (home_fd >= 0)
		close(home_fd);
	return rc;
}
