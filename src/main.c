/* netjoin: join only the network namespace of a target, then list its
 * interfaces and addresses or run a command there with the host's tools.
 * The only place that prints errors or exits. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "netjoin/err.h"
#include "netjoin/exec.h"
#include "netjoin/inventory.h"
#include "netjoin/nl.h"
#include "netjoin/nsjoin.h"
#include "netjoin/out.h"
#include "netjoin/peers.h"
#include "netjoin/route.h"
#include "netjoin/sock.h"
#include "netjoin/spec.h"
#include "netjoin/target.h"

#ifndef NETJOIN_VERSION
#define NETJOIN_VERSION "0.0"
#endif

#define DOCKER_TIMEOUT_MS 3000

enum { OUT_TEXT, OUT_BRIEF, OUT_JSON };

struct opts {
	int format;
	int details;
	int routes, neigh, sockets, listening; /* extra sections */
	uint32_t table;                        /* --table, 0: every table */
	int verbose;
	const char *host_root;
	int list_all;     /* -L: every namespace on the node */
	const char *find; /* --find ADDR */
	const char *target;
	char **command; /* NULL: list */
};

static void usage(FILE *f)
{
	fputs("Usage: netjoin [OPTIONS] TARGET [--] [COMMAND [ARG]...]\n"
	      "       netjoin [-j] -L | --find ADDR\n"
	      "\n"
	      "Join only the network namespace of TARGET, then list its interfaces and\n"
	      "addresses, or run COMMAND there with the host's filesystem and tools.\n"
	      "\n"
	      "Targets:\n"
	      "  host                 netjoin's own namespace (nothing is joined)\n"
	      "  pid:N, N             the network namespace of process N\n"
	      "  netns:NAME           /run/netns/NAME, as made by `ip netns add`\n"
	      "  netns:PATH, /PATH    any network namespace file (nsfs)\n"
	      "  ID, PREFIX, NAME     a container of any runtime on this machine: full ID,\n"
	      "                       unique ID prefix, or name\n"
	      "  docker:REF, podman:REF, crio:REF, containerd:[NAMESPACE/]ID\n"
	      "                       a container of that runtime only\n"
	      "  pod:[NAMESPACE/]NAME a Kubernetes pod on this node (containerd or CRI-O)\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json           JSON: {\"target\": {...}, \"interfaces\": [...]}, `ip -j addr` fields\n"
	      "  -b, --brief          one line per interface, exactly like `ip -br addr`\n"
	      "  -d, --details        flags, link kind, master, link-netnsid; address scope,\n"
	      "                       flags, label and lifetimes\n"
	      "  -r, --routes         routes of every table, IPv4 and IPv6 (ip route show table all)\n"
	      "      --table TABLE    routes of one table only (a number, main, local, default)\n"
	      "  -n, --neigh          neighbours: ARP and NDP entries (ip neigh)\n"
	      "  -s, --sockets        TCP and UDP sockets with their processes (ss -tuanp)\n"
	      "      --listening      listening sockets only (ss -tulnp)\n"
	      "  -a, --all            every section: routes, neighbours, sockets\n"
	      "  -v, --verbose        say what was resolved and joined, on stderr\n"
	      "  -L, --list           every network namespace on the node: its target,\n"
	      "                       owners, interfaces and addresses\n"
	      "      --find ADDR      the namespaces holding an IP address, a prefix\n"
	      "                       (10.244.0.0/16) or a MAC address\n"
	      "      --host-root DIR  read the runtimes' state (and /run/netns) under DIR,\n"
	      "                       e.g. /host in a debug pod that mounts the node's /\n"
	      "  -h, --help           show this help\n"
	      "  -V, --version        show the version\n"
	      "\n"
	      "Environment: DOCKER_HOST (unix:// only; default /var/run/docker.sock).\n"
	      "Exit status: 0 ok, 1 failure, 2 usage, 3 target not found, 4 ambiguous,\n"
	      "5 permission denied, 6 target not running or gone; with COMMAND, its\n"
	      "status, 126 if it cannot be run, 127 if it is not found.\n",
	      f);
}

/* --table: a number or one of the tables every system names. */
static int parse_table(const char *s, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t id;
	} names[] = { { "main", 254 }, { "local", 255 }, { "default", 253 } };
	unsigned long v;
	char *end;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name)) {
			*out = names[i].id;
			return 0;
		}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > 0xffffffffUL)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("netjoin: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'netjoin --help' for more information.\n", stderr);
	return NJ_USAGE;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "brief", no_argument, NULL, 'b' },
		{ "details", no_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "host-root", required_argument, NULL, 'R' },
		{ "list", no_argument, NULL, 'L' },
		{ "routes", no_argument, NULL, 'r' },
		{ "table", required_argument, NULL, 'T' },
		{ "neigh", no_argument, NULL, 'n' },
		{ "sockets", no_argument, NULL, 's' },
		{ "listening", no_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "find", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;
	/* '+': options end at TARGET; what follows belongs to COMMAND */
	while ((c = getopt_long(argc, argv, "+jbdvhVLrnsa", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
		case 'b':
			if (o->format != OUT_TEXT &&
			    o->format != (c == 'j' ? OUT_JSON : OUT_BRIEF))
				return usage_error("%s", "--json and --brief cannot be combined");
			o->format = c == 'j' ? OUT_JSON : OUT_BRIEF;
			break;
		case 'd':
			o->details = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'L':
			o->list_all = 1;
			break;
		case 'r':
			o->routes = 1;
			break;
		case 'T':
			if (parse_table(optarg, &o->table) < 0)
				return usage_error("--table %s: expected a table number, main, local or default",
						   optarg);
			o->routes = 1;
			break;
		case 'n':
			o->neigh = 1;
			break;
		case 's':
			o->sockets = 1;
			break;
		case 'l':
			o->listening = 1;
			o->sockets = 1;
			break;
		case 'a':
			o->routes = o->neigh = o->sockets = 1;
			break;
		case 'F':
			o->find = optarg;
			break;
		case 'R':
			if (!*optarg || access(optarg, X_OK) < 0)
				return usage_error("--host-root %s: not a directory we can enter",
						   optarg);
			o->host_root = optarg;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case 'V':
			printf("netjoin %s\n", NETJOIN_VERSION);
			return -1;
		default:
			if (optopt == 'R' || optopt == 'F' || optopt == 'T')
				return usage_error("%s needs an argument",
						   optopt == 'R' ? "--host-root"
						   : optopt == 'F' ? "--find"
								   : "--table");
			if (optopt) {
				char opt[2] = { (char)optopt, '\0' };

				return usage_error("unknown option '-%s'", opt);
			}
			return usage_error("unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (o->list_all || o->find) {
		if (o->list_all && o->find)
			return usage_error("%s", "--list and --find cannot be combined");
		if (optind < argc)
			return usage_error("%s takes no TARGET",
					   o->list_all ? "--list" : "--find");
		if (o->format == OUT_BRIEF)
			return usage_error("%s", "--brief applies to one target's listing");
		return 0;
	}
	if (optind >= argc)
		return usage_error("%s", "no TARGET given");
	o->target = argv[optind++];
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (optind < argc)
		o->command = &argv[optind];
	if (o->command && (o->format != OUT_TEXT || o->details || o->routes ||
			   o->neigh || o->sockets))
		return usage_error("%s", "listing options (-j, -b, -d, -r, -n, -s, -a) do not apply to a COMMAND");
	if (o->format == OUT_BRIEF && (o->routes || o->neigh || o->sockets))
		return usage_error("%s", "--brief is ip -br addr's listing: no routes, neighbours or sockets");
	return 0;
}

static int report(const struct nj_err *e)
{
	fprintf(stderr, "netjoin: %s\n", e->msg);
	if (e->extra[0])
		fprintf(stderr, "%s\n", e->extra);
	return e->cls ? (int)e->cls : NJ_FAIL;
}

/* Flush stdout; a reader that went away (EPIPE) is not an error. */
static int finish_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		return 0;
	fprintf(stderr, "netjoin: write error on standard output: %s\n",
		strerror(errno));
	return NJ_FAIL;
}

static int list(const struct opts *o, const struct nj_ctx *ctx, int home_fd,
		const struct out_target *ot)
{
	struct out_opts oo = { .details = o->details };
	struct nj_dump d = { 0 };
	struct nj_routes routes = { 0 };
	struct nj_neighs neighs = { 0 };
	struct nj_socks socks = { 0 };
	struct out_section secs[3];
	struct mnl_socket *nl = NULL, *diag = NULL;
	const char *what = "netlink";
	size_t n = 0;
	int rc;

	rc = nl_open(NETLINK_ROUTE, -1, &nl);
	if (rc == 0)
		rc = nl_dump_links_addrs(nl, &d);
	/* brief output is ip's, which names no peers */
	if (rc == 0 && o->format != OUT_BRIEF)
		rc = peers_resolve(ctx, home_fd, &d);
	if (rc == 0 && o->routes) {
		what = "route";
		rc = nl_dump_routes(nl, o->table, &routes);
		secs[n++] = (struct out_section){ "routes", out_routes_json,
						  out_routes_text, &routes };
	}
	if (rc == 0 && o->neigh) {
		what = "neighbour";
		rc = nl_dump_neighs(nl, &neighs);
		secs[n++] = (struct out_section){ "neighbors", out_neighs_json,
						  out_neighs_text, &neighs };
	}
	if (rc == 0 && o->sockets) {
		what = "socket";
		rc = nl_open(NETLINK_SOCK_DIAG, -1, &diag);
		if (rc == 0)
			rc = nl_dump_sockets(diag, o->listening, &socks);
		if (rc == 0)
			rc = owners_fill(&socks);
		secs[n++] = (struct out_section){ "sockets", out_sockets_json,
						  out_sockets_text, &socks };
	}
	nl_close(nl);
	nl_close(diag);
	if (rc == 0) {
		if (o->format == OUT_JSON)
			out_json(stdout, ot, &d, &oo, secs, n);
		else if (o->format == OUT_BRIEF)
			out_brief(stdout, &d);
		else
			out_text(stdout, ot, &d, &oo, secs, n);
		rc = finish_stdout();
	} else {
		fprintf(stderr, "netjoin: %s dump failed: %s\n", what,
			strerror(-rc));
		rc = NJ_FAIL;
	}
	nj_routes_free(&routes);
	nj_neighs_free(&neighs);
	nj_socks_free(&socks);
	nj_dump_free(&d);
	return rc;
}

static void verbose_target(const struct nj_target *t,
			   unsigned long long ino)
{
	static const char *const via[] = { "nothing (no join)", "nsfs file",
					   "pidfd" };

	fprintf(stderr, "netjoin: resolved '%s' as %s%s%s through %s\n",
		t->spec, t->kind, t->runtime ? " of " : "",
		t->runtime ? t->runtime : "", t->how);
	if (t->note[0])
		fprintf(stderr, "netjoin: %s\n", t->note);
	fprintf(stderr, "netjoin: joined net:[%llu] via %s%s%s\n", ino,
		via[t->handle], t->path[0] ? " " : "", t->path);
}

/* -L and --find: every namespace on the node, none of them joined. */
static int node(const struct opts *o, const struct nj_ctx *ctx)
{
	struct nj_inventory inv = { 0 };
	struct nj_err e = { 0 };
	struct nj_query q;
	int rc = 0;
	size_t n;

	if (o->find && query_parse(o->find, &q) < 0)
		return usage_error("--find %s: not an IP address, prefix or MAC address",
				   o->find);
	if (inventory_scan(ctx, &inv, &e) < 0) {
		inventory_free(&inv);
		return report(&e);
	}
	inventory_dump(&inv);
	if (o->find) {
		n = out_find(stdout, &inv, &q, o->format == OUT_JSON);
		rc = finish_stdout();
		if (rc == 0 && n == 0) {
			fprintf(stderr, "netjoin: %s: in no network namespace on this node\n",
				o->find);
			rc = NJ_NOTFOUND;
		}
	} else {
		if (o->format == OUT_JSON)
			out_list_json(stdout, &inv);
		else
			out_list_text(stdout, &inv);
		rc = finish_stdout();
	}
	inventory_free(&inv);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct nj_ctx ctx = { .root = "",
			      .docker_host = getenv("DOCKER_HOST"),
			      .docker_timeout_ms = DOCKER_TIMEOUT_MS };
	struct nj_err e = { 0 };
	struct nj_target t;
	struct nj_spec spec;
	struct out_target ot;
	int rc, home_fd;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? finish_stdout() : rc;
	if (o.host_root)
		ctx.root = o.host_root;
	/* a closed pipe is an EPIPE to notice, not a signal to die of */
	signal(SIGPIPE, SIG_IGN);
	if (o.list_all || o.find)
		return node(&o, &ctx);

	if (spec_parse(o.target, &spec, &e) < 0)
		return report(&e);
	/* where we started: a container's veth peers are usually here */
	home_fd = o.command ? -1
			    : open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	target_init(&t, o.target);
	if (target_resolve(&ctx, &spec, &t, &e) < 0) {
		target_close(&t);
		return report(&e);
	}
	if (t.handle != NJ_HANDLE_NONE &&
	    nsjoin_enter(t.fd, t.handle == NJ_HANDLE_PIDFD, t.pid, &e) < 0) {
		target_close(&t);
		return report(&e);
	}
	target_close(&t);
	ot.t = &t;
	ot.netns_inode = nsjoin_current_inode();
	if (o.verbose)
		verbose_target(&t, ot.netns_inode);

	if (!o.command) {
		rc = list(&o, &ctx, home_fd, &ot);
		if (home_fd >= 0)
			close(home_fd);
		return rc;
	}
	exec_command(o.command, &e);
	report(&e);
	return exec_status(e.errnum);
}
