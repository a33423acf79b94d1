/* The command line of netjoin, parsed. */
#ifndef NETJOIN_ARGS_H
#define NETJOIN_ARGS_H

#include <stdio.h>
#include "netjoin/capture.h"
#include "netjoin/err.h"
#include "netjoin/listing.h"

struct opts {
	struct listing l;
	int verbose;
	const char *host_root;
	int list_all;     /* -L: every namespace on the node */
	int complete;     /* --complete (hidden): targets for completion */
	int sysfs, dns, shell;
	const char *user; /* --user USER[:GROUP] */
	const char *find; /* --find ADDR */
	int watch;        /* --watch: events as they happen */
	const char *target;
	char **command; /* NULL: list */
	/* --top [TARGET]: traffic rates (top.h) */
	int top;
	unsigned long long interval_us; /* --interval in microseconds, 0: 1 s */
	unsigned long long count;       /* --count: sets of rates, 0: no end */
	struct capture_opts cap; /* --capture */
	const char *cap_only;    /* a --capture option given, as typed */
};

enum { ARGS_RUN, ARGS_HELP, ARGS_VERSION };

/* argv into o (zeroed by the caller): ARGS_RUN, ARGS_HELP or
 * ARGS_VERSION (-h, -V: nothing else is checked), or -EINVAL with e (class
 * NJ_USAGE) saying what is wrong, in one line. */
int args_parse(int argc, char **argv, struct opts *o, struct nj_err *e);

/* --help's text. */
void args_usage(FILE *f);

#endif
