/* -L --watch: every namespace on the node. */
#include <errno.h>
#include "netjoin/watch.h"
#include "watch_int.h"

int watch_node(const struct watch_opts *o, const struct nj_ctx *ctx,
	       struct nj_err *e)
{
	(void)o;
	(void)ctx;
	return nj_fail(e, NJ_FAIL, ENOSYS, "-L --watch is not done yet");
}
