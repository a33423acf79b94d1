/* Running the debug command: execvp in the joined namespace, with the
 * host's environment, PATH and tools. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "netjoin/exec.h"

int exec_status(int errnum)
{
	return errnum == ENOENT || errnum == ENOTDIR ? 127 : 126;
}

int exec_command(char *const argv[], struct nj_err *e)
{
	int err;

	/* an ignored SIGPIPE would be inherited by the command */
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	err = errno;
	return nj_fail(e, NJ_FAIL, err, "%s: %s", argv[0],
		       err == ENOENT ? "command not found" : strerror(err));
}
