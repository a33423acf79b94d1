/* The terminal of --top, for main.c: the alternate screen, keys read one
 * by one without echo, the window's size, and a wait that ends at a
 * deadline, at `q`, or at a signal. Control sequences go straight to the
 * stream given, never through the escaper. */
#ifndef NETJOIN_TTY_H
#define NETJOIN_TTY_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <termios.h>
#include <time.h>

struct tty {
	int fd;          /* the terminal whose settings changed, -1 none */
	int keys;        /* where keys are read, -1 none */
	bool screen;     /* on the alternate screen */
	struct termios saved;
};

#define TTY_INIT { .fd = -1, .keys = -1 }

/* SIGINT, SIGTERM and SIGHUP are blocked, to be taken only while
 * tty_wait waits (then it returns TTY_SIGNAL), so that a sample is never
 * cut in the middle of a line (one ignored, as under nohup, stays
 * ignored); *orig gets the mask before. 0 or -errno. */
int tty_signals(sigset_t *orig);

/* With stdin a terminal, keys one by one without echo (Ctrl-Z off: a
 * stopped process would leave the screen as it is); on out, the
 * alternate screen and no cursor. 0 or -errno (nothing changed). */
int tty_enter(struct tty *t, FILE *out);
/* Back as it was: cursor shown, alternate screen left (the last bytes
 * written), the terminal's settings restored. Safe to call twice. */
void tty_leave(struct tty *t, FILE *out);
/* Cursor home and screen cleared, on out. */
void tty_clear(FILE *out);
/* The window of fd: rows and columns, 0 when unknown. */
void tty_size(int fd, int *rows, int *cols);

enum { TTY_TIMEOUT, TTY_QUIT, TTY_SIGNAL };
/* Until deadline (CLOCK_MONOTONIC), reading keys when there is where
 * (`q` ends the wait), with the signals of mask allowed: TTY_TIMEOUT,
 * TTY_QUIT, TTY_SIGNAL, or -errno. */
int tty_wait(struct tty *t, const struct timespec *deadline,
	     const sigset_t *mask);

#endif
