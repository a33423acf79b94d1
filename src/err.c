#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include "netjoin/err.h"

int nj_fail(struct nj_err *e, enum nj_class cls, int errnum,
	    const char *fmt, ...)
{
	va_list ap;

	if (e) {
		e->cls = cls;
		e->errnum = errnum;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return errnum ? -errnum : -EINVAL;
}

enum nj_class nj_class_of_errno(int errnum)
{
	return errnum == EPERM || errnum == EACCES ? NJ_PERM : NJ_FAIL;
}
