/* The command line: options, TARGET and COMMAND into struct opts, every
 * mistake as one message (class NJ_USAGE) for main.c to print. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "netjoin/args.h"
#include "netjoin/num.h"

/* --top's long options: no letter */
enum { OPT_TOP = 0x110, OPT_INTERVAL, OPT_COUNT };
#define TOP_INTERVAL_MAX_US 86400000000ULL /* a day */

static int bad(struct nj_err *e, const char *fmt, const char *arg)
{
	return nj_fail(e, NJ_USAGE, EINVAL, fmt, arg);
}

/* --table: a number or one of the tables every system names. */
static int parse_table(const char *s, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t id;
	} names[] = { { "main", 254 }, { "local", 255 }, { "default", 253 } };
	unsigned long long v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name)) {
			*out = names[i].id;
			return 0;
		}
	if (num_parse_str(s, 0xffffffffULL, &v) < 0 || v == 0)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* --capture's options: values above the letters and the long options
 * of the rest */
enum {
	OPT_CAPTURE = 0x1600,
	OPT_DURATION,
	OPT_SNAPLEN,
};

/* A --capture option's value into o->cap; 0 or a usage error. */
static int capture_opt(int c, const char *arg, struct opts *o,
		       struct nj_err *e)
{
	struct capture_opts *k = &o->cap;
	unsigned long long v;

	o->cap_only = c == 'i'		  ? "-i"
		      : c == 'f'	  ? "-f"
		      : c == 'c'	  ? "-c"
		      : c == 'w'	  ? "-w"
		      : c == OPT_DURATION ? "--duration"
					  : "--snaplen";
	switch (c) {
	case 'i':
		if (k->nifaces == CAPTURE_MAX_IFACES)
			return bad(e, "%s", "-i: too many interfaces");
		k->ifaces[k->nifaces++] = arg;
		return 0;
	case 'f':
		k->filter = arg;
		return 0;
	case 'c':
		if (num_parse_str(arg, ~0ULL >> 1, &v) < 0 || !v)
			return bad(e, "-c %s: expected a number of packets, 1 or more",
				   arg);
		k->count = v;
		return 0;
	case 'w':
		k->file = arg;
		return 0;
	case OPT_DURATION:
		/* seconds, to the nanosecond; a century at most */
		if (num_parse_fixed(arg, 9, 3153600000ULL * 1000000000ULL, &v) < 0 ||
		    !v)
			return bad(e, "--duration %s: expected seconds, such as 10 or 0.5",
				   arg);
		k->duration_ns = v;
		return 0;
	}
	/* 0, as tcpdump -s 0: the default */
	if (num_parse_str(arg, CAPTURE_SNAPLEN, &v) < 0)
		return bad(e, "--snaplen %s: expected 0 to 262144 bytes", arg);
	k->snaplen = v ? v : CAPTURE_SNAPLEN;
	return 0;
}

/* What getopt did not take, named as it was typed. */
static int bad_option(char **argv, struct nj_err *e)
{
	if (optopt == OPT_INTERVAL || optopt == OPT_COUNT)
		return bad(e, "%s needs an argument",
			   optopt == OPT_INTERVAL ? "--interval" : "--count");
	if (optopt == 'i' || optopt == 'f' || optopt == 'c' || optopt == 'w') {
		char opt[3] = { '-', (char)optopt, '\0' };

		return bad(e, "%s needs an argument", opt);
	}
	if (optopt == OPT_DURATION || optopt == OPT_SNAPLEN)
		return bad(e, "%s needs an argument",
			   optopt == OPT_DURATION ? "--duration" : "--snaplen");
	if (optopt == 'R' || optopt == 'F' || optopt == 'T' ||
	    optopt == 'u')
		return bad(e, "%s needs an argument",
			   optopt == 'R'   ? "--host-root"
			   : optopt == 'F' ? "--find"
			   : optopt == 'T' ? "--table"
					   : "--user");
	/* a known long option given an argument it does not
	 * take sets optopt to its letter: name what was typed */
	if (!strncmp(argv[optind - 1], "--", 2) && optopt) {
		char name[64];

		snprintf(name, sizeof(name), "%.*s",
			 (int)strcspn(argv[optind - 1], "="),
			 argv[optind - 1]);
		return bad(e, "option '%s' takes no argument", name);
	}
	if (!strncmp(argv[optind - 1], "--", 2))
		return bad(e, "unknown option '%s' (or an ambiguous abbreviation)",
			   argv[optind - 1]);
	if (optopt) {
		char opt[2] = { (char)optopt, '\0' };

		return bad(e, "unknown option '-%s'", opt);
	}
	return bad(e, "unknown option '%s'", argv[optind - 1]);
}

/* --top [TARGET]: rates, in text or JSON, of the node or one target. */
static int check_top(int argc, char **argv, struct opts *o,
		     struct nj_err *e)
{
	if (o->watch)
		return bad(e, "%s", "--top and --watch cannot be combined");
	if (o->list_all || o->find)
		return bad(e, "%s", "--top cannot be combined with --list or --find (--top alone is the whole node)");
	if (o->l.format == OUT_BRIEF || o->l.details || o->l.routes ||
	    o->l.neigh || o->l.sockets || o->l.stats)
		return bad(e, "%s", "listing options (-b, -d, -r, -n, -s, -a, --stats) do not apply to --top");
	if (o->shell || o->sysfs || o->dns || o->user)
		return bad(e, "%s", "--top runs no command: --shell, --sysfs, --dns and --user do not apply");
	if (optind < argc)
		o->target = argv[optind++];
	if (optind < argc)
		return bad(e, "%s", "--top takes a TARGET at most, and no COMMAND");
	return 0;
}

/* --watch streams events: of the listing's options only -j applies. */
static int check_watch(const struct opts *o, struct nj_err *e)
{
	if (o->find)
		return bad(e, "%s", "--watch and --find cannot be combined");
	if (o->l.format == OUT_BRIEF)
		return bad(e, "%s", "--watch writes events, not ip -br's listing: no --brief");
	if (o->shell || o->sysfs || o->dns || o->user)
		return bad(e, "%s", "--watch runs no command: no --shell, --sysfs, --dns or --user");
	if (o->l.details || o->l.routes || o->l.neigh || o->l.sockets ||
	    o->l.stats)
		return bad(e, "%s", "listing options (-d, -r, -n, -s, -a, --table, --stats) do not apply to --watch");
	return 0;
}

/* --capture: every word after the options is a target. */
static int check_capture(int argc, char **argv, struct opts *o,
			 struct nj_err *e)
{
	int i;

	if (o->list_all || o->find || o->shell || o->sysfs || o->dns ||
	    o->user || o->l.format != OUT_TEXT || o->l.details ||
	    o->l.routes || o->l.neigh || o->l.sockets || o->l.stats ||
	    o->top || o->watch || o->interval_us || o->count)
		return bad(e, "%s", "--capture takes only -i, -f, -c, -w, --duration, --snaplen, -v and --host-root");
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (optind >= argc)
		return bad(e, "%s", "--capture needs a TARGET");
	for (i = optind; i < argc; i++)
		if (argv[i][0] == '-')
			return bad(e, "--capture: '%s' after the targets: options go before them",
				   argv[i]);
	o->cap.targets = &argv[optind];
	o->cap.ntargets = (size_t)(argc - optind);
	if (!o->cap.snaplen)
		o->cap.snaplen = CAPTURE_SNAPLEN;
	return 0;
}

/* What the options and the words after them say together. */
static int check_opts(int argc, char **argv, struct opts *o,
		      struct nj_err *e)
{
	if (o->complete)
		return 0;
	if (o->cap.on)
		return check_capture(argc, argv, o, e);
	if (o->cap_only)
		return bad(e, "%s applies to --capture", o->cap_only);
	if (o->watch && check_watch(o, e) < 0)
		return -EINVAL;
	if (!o->top && (o->interval_us || o->count))
		return bad(e, "%s", "--interval and --count apply to --top");
	if (o->top)
		return check_top(argc, argv, o, e);
	if (o->list_all || o->find) {
		if (o->list_all && o->find)
			return bad(e, "%s", "--list and --find cannot be combined");
		if (optind < argc)
			return bad(e, "%s takes no TARGET",
				   o->list_all ? "--list" : "--find");
		if (o->l.format == OUT_BRIEF)
			return bad(e, "%s", "--brief applies to one target's listing");
		if (o->l.stats)
			return bad(e, "%s", "--stats applies to one target's listing");
		return 0;
	}
	if (optind >= argc)
		return bad(e, "%s", "no TARGET given");
	o->target = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (optind < argc)
		o->command = &argv[optind];
	if (o->watch && o->command)
		return bad(e, "%s", "--watch prints events: give no COMMAND with it");
	if (o->shell && o->command)
		return bad(e, "%s", "--shell runs a shell: give no COMMAND with it");
	if (!o->command && !o->shell && (o->sysfs || o->dns || o->user))
		return bad(e, "%s", "--sysfs, --dns and --user apply to a COMMAND or --shell");
	if ((o->command || o->shell) &&
	    (o->l.format != OUT_TEXT || o->l.details || o->l.routes ||
	     o->l.neigh || o->l.sockets || o->l.stats))
		return bad(e, "%s", "listing options (-j, -b, -d, -r, -n, -s, -a, --stats) do not apply to a COMMAND");
	if (o->l.format == OUT_BRIEF && (o->l.routes || o->l.neigh || o->l.sockets))
		return bad(e, "%s", "--brief is ip -br addr's listing: no routes, neighbours or sockets");
	if (o->l.format == OUT_BRIEF && o->l.stats)
		return bad(e, "%s", "--brief is ip -br addr's listing: it has no counters (--stats)");
	return 0;
}

int args_parse(int argc, char **argv, struct opts *o, struct nj_err *e)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "brief", no_argument, NULL, 'b' },
		{ "details", no_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "host-root", required_argument, NULL, 'R' },
		{ "list", no_argument, NULL, 'L' },
		{ "complete", no_argument, NULL, 'C' },
		{ "routes", no_argument, NULL, 'r' },
		{ "table", required_argument, NULL, 'T' },
		{ "neigh", no_argument, NULL, 'n' },
		{ "sockets", no_argument, NULL, 's' },
		{ "listening", no_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "stats", no_argument, NULL, 'K' },
		{ "sysfs", no_argument, NULL, 'Y' },
		{ "dns", no_argument, NULL, 'D' },
		{ "shell", no_argument, NULL, 'S' },
		{ "user", required_argument, NULL, 'u' },
		{ "find", required_argument, NULL, 'F' },
		{ "top", no_argument, NULL, OPT_TOP },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "watch", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "capture", no_argument, NULL, OPT_CAPTURE },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	struct stat st;
	int c;

	opterr = 0;
	/* '+': options end at TARGET; what follows belongs to COMMAND */
	while ((c = getopt_long(argc, argv, "+jbdvhVLrnsaSu:i:f:c:w:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
		case 'b':
			if (o->l.format != OUT_TEXT &&
			    o->l.format != (c == 'j' ? OUT_JSON : OUT_BRIEF))
				return bad(e, "%s", "--json and --brief cannot be combined");
			o->l.format = c == 'j' ? OUT_JSON : OUT_BRIEF;
			break;
		case 'd':
			o->l.details = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'L':
			o->list_all = 1;
			break;
		case 'C':
			o->complete = 1;
			break;
		case 'r':
			o->l.routes = 1;
			break;
		case 'T':
			if (parse_table(optarg, &o->l.table) < 0)
				return bad(e, "--table %s: expected a table number, main, local or default",
					   optarg);
			o->l.routes = 1;
			break;
		case 'n':
			o->l.neigh = 1;
			break;
		case 'Y':
			o->sysfs = 1;
			break;
		case 'D':
			o->dns = 1;
			break;
		case 'S':
			o->shell = 1;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 's':
			o->l.sockets = 1;
			break;
		case 'l':
			o->l.listening = 1;
			o->l.sockets = 1;
			break;
		case 'a':
			o->l.routes = o->l.neigh = o->l.sockets = 1;
			break;
		case 'K':
			if (o->l.stats < 2) /* ip -s -s: the detailed errors */
				o->l.stats++;
			break;
		case 'F':
			o->find = optarg;
			break;
		case 'W':
			o->watch = 1;
			break;
		case 'R':
			if (stat(optarg, &st) < 0 || !S_ISDIR(st.st_mode) ||
			    access(optarg, X_OK) < 0)
				return bad(e, "--host-root %s: not a directory we can enter",
					   optarg);
			o->host_root = optarg;
			break;
		case OPT_TOP:
			o->top = 1;
			break;
		case OPT_INTERVAL:
			if (num_parse_fixed(optarg, 6, TOP_INTERVAL_MAX_US, &v) < 0 ||
			    v == 0)
				return bad(e, "--interval %s: expected seconds, more than 0 and at most 86400 (such as 2 or 0.5)",
					   optarg);
			o->interval_us = v;
			break;
		case OPT_COUNT:
			if (num_parse_str(optarg, 0xffffffffULL, &v) < 0 || v == 0)
				return bad(e, "--count %s: expected a number of samples, 1 or more",
					   optarg);
			o->count = v;
			break;
		case OPT_CAPTURE:
			o->cap.on = true;
			break;
		case 'i':
		case 'f':
		case 'c':
		case 'w':
		case OPT_DURATION:
		case OPT_SNAPLEN:
			if (capture_opt(c, optarg, o, e) < 0)
				return -EINVAL;
			break;
		case 'h':
			return ARGS_HELP;
		case 'V':
			return ARGS_VERSION;
		default:
			return bad_option(argv, e);
		}
	}
	return check_opts(argc, argv, o, e);
}

