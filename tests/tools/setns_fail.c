/* LD_PRELOAD shim for t-trust.sh: the Nth setns(2) of the process
 * (NJ_SETNS_FAIL_AT=N, counting from 1) fails with EPERM, so a test can
 * make netjoin's step back into its own namespace fail, as a kernel or LSM
 * refusing it would. Built by the test itself:
 *   cc -shared -fPIC -o setns_fail.so tests/tools/setns_fail.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>

int setns(int fd, int nstype)
{
	static int (*real)(int, int);
	static int calls;
	const char *at = getenv("NJ_SETNS_FAIL_AT");

	if (!real)
		real = (int (*)(int, int))dlsym(RTLD_NEXT, "setns");
	if (at && ++calls == atoi(at)) {
		errno = EPERM;
		return -1;
	}
	return real(fd, nstype);
}
