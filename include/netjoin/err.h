/* Errors: everything below main.c returns 0 or -errno and describes the
 * failure in a struct nj_err; only main.c prints it and picks the exit code. */
#ifndef NETJOIN_ERR_H
#define NETJOIN_ERR_H

#include <stddef.h>

/* The class of a failure; main.c maps each to an exit status. */
enum nj_class {
	NJ_FAIL = 1,     /* anything else */
	NJ_USAGE = 2,    /* bad command line or target spec */
	NJ_NOTFOUND = 3, /* no such target */
	NJ_AMBIGUOUS = 4,/* more than one target matches */
	NJ_PERM = 5,     /* permission denied */
	NJ_GONE = 6,     /* target exists but is not running, or vanished */
};

struct nj_err {
	enum nj_class cls;
	int errnum;       /* errno behind it, 0 if none */
	char msg[1024];   /* one line, no program prefix, no newline */
	char extra[2048]; /* further lines (ambiguity candidates), may be "" */
};

/* Record a failure and return -errnum (or -EINVAL when errnum is 0), so a
 * caller can write `return nj_fail(e, NJ_NOTFOUND, ENOENT, "...", ...)`.
 * e may be NULL. */
int nj_fail(struct nj_err *e, enum nj_class cls, int errnum,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The class an errno suggests: EPERM/EACCES are NJ_PERM, else NJ_FAIL. */
enum nj_class nj_class_of_errno(int errnum);

#endif
