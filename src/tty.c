/* The terminal of --top (see tty.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "netjoin/tty.h"

static volatile sig_atomic_t signalled;

static void note_signal(int sig)
{
	signalled = sig;
}

int tty_signals(sigset_t *orig)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = note_signal }, old;
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&block, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &block, orig) < 0)
		return -errno;
	/* no SA_RESTART: the wait ends at the signal. One ignored when we
	 * started (nohup, a background job's SIGINT) stays ignored. */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) < 0)
			return -errno;
		if (old.sa_handler != SIG_IGN &&
		    sigaction(sigs[i], &sa, NULL) < 0)
			return -errno;
	}
	return 0;
}

int tty_enter(struct tty *t, FILE *out)
{
	struct termios raw;

	if (isatty(STDIN_FILENO)) {
		if (tcgetattr(STDIN_FILENO, &t->saved) < 0)
			return -errno;
		raw = t->saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		raw.c_cc[VSUSP] = _POSIX_VDISABLE;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) < 0)
			return -errno;
		t->fd = t->keys = STDIN_FILENO;
	}
	fputs("\033[?1049h\033[?25l", out);
	fflush(out);
	t->screen = true;
	return 0;
}

void tty_leave(struct tty *t, FILE *out)
{
	if (t->screen) {
		fputs("\033[?25h\033[?1049l", out);
		fflush(out);
		t->screen = false;
	}
	if (t->fd >= 0) {
		tcsetattr(t->fd, TCSANOW, &t->saved);
		t->fd = t->keys = -1;
	}
}

void tty_clear(FILE *out)
{
	fputs("\033[H\033[2J", out);
}

void tty_size(int fd, int *rows, int *cols)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
		memset(&ws, 0, sizeof(ws));
	*rows = ws.ws_row;
	*cols = ws.ws_col;
}

/* deadline - now into left, and 1; or 0 in left, and 0, when it has
 * passed */
static int time_left(const struct timespec *deadline, struct timespec *left)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left->tv_sec = deadline->tv_sec - now.tv_sec;
	left->tv_nsec = deadline->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_nsec += 1000000000L;
		left->tv_sec--;
	}
	if (left->tv_sec > 0 || (left->tv_sec == 0 && left->tv_nsec > 0))
		return 1;
	left->tv_sec = left->tv_nsec = 0;
	return 0;
}

/* The keys waiting on t->keys: 1 if one of them is q. At the end of
 * them (or an error) keys are no longer read. */
static int read_keys(struct tty *t)
{
	char buf[64];
	ssize_t n = read(t->keys, buf, sizeof(buf));

	if (n <= 0) {
		if (n == 0 || (errno != EINTR && errno != EAGAIN))
			t->keys = -1;
		return 0;
	}
	return memchr(buf, 'q', (size_t)n) || memchr(buf, 'Q', (size_t)n);
}

int tty_wait(struct tty *t, const struct timespec *deadline,
	     const sigset_t *mask)
{
	struct pollfd p;
	struct timespec left;
	int r, more;

	/* ppoll at least once, even past the deadline: a blocked signal is
	 * taken nowhere else */
	for (;;) {
		more = time_left(deadline, &left);
		p = (struct pollfd){ .fd = t->keys, .events = POLLIN };
		r = ppoll(t->keys >= 0 ? &p : NULL, t->keys >= 0, &left, mask);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (signalled)
			return TTY_SIGNAL;
		if (r > 0 && (p.revents & POLLIN) && read_keys(t))
			return TTY_QUIT;
		if (r > 0 && !(p.revents & POLLIN))
			t->keys = -1; /* hung up: wait for the time alone */
		if (!more)
			return TTY_TIMEOUT;
	}
}
