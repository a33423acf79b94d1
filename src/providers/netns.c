/* netns:NAME and paths: any nsfs file of a network namespace. */
#include <errno.h>
#include <stdio.h>
#include "netjoin/nsjoin.h"
#include "netjoin/target.h"

int netns_open_path(const char *path, struct nj_target *t, struct nj_err *e)
{
	int fd = nsjoin_open_path(path, e);

	if (fd < 0)
		return fd;
	t->kind = "netns";
	t->fd = fd;
	t->handle = NJ_HANDLE_NSFS;
	snprintf(t->path, sizeof(t->path), "%s", path);
	snprintf(t->how, sizeof(t->how), "nsfs file %s", path);
	return 0;
}
