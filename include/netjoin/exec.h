#ifndef NETJOIN_EXEC_H
#define NETJOIN_EXEC_H

#include "netjoin/err.h"

/* Replace this process with argv[0] (PATH search). Returns only on
 * failure: -errno, with e class NJ_FAIL; exec_status() gives 126/127. */
int exec_command(char *const argv[], struct nj_err *e);
/* The exit status for a failed exec: 127 not found, 126 cannot run. */
int exec_status(int errnum);

#endif
