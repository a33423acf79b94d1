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
#include <sys/stat.h>
#include "netjoin/err.h"
#include "netjoin/esc.h"
#include "netjoin/exec.h"
#include "netjoin/inventory.h"
#include "netjoin/listing.h"
#include "netjoin/mounts.h"
#include "netjoin/num.h"
#include "netjoin/nsjoin.h"
#include "netjoin/privs.h"
#include "netjoin/spec.h"
#include "netjoin/target.h"

#ifndef NETJOIN_VERSION
#define NETJOIN_VERSION "0.0"
#endif

#define DOCKER_TIMEOUT_MS 3000

struct opts {
	struct listing l;
	int verbose;
	const char *host_root;
	int list_all;     /* -L: every namespace on the node */
	int complete;     /* --complete (hidden): targets for completion */
	int sysfs, dns, shell;
	const char *user; /* --user USER[:GROUP] */
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
	      "\n"
	      "With COMMAND (run with NETJOIN_TARGET and NETJOIN_NETNS in its environment):\n"
	      "      --sysfs          a private /sys showing the target's interfaces\n"
	      "      --dns            the target's resolv.conf and hosts over /etc's\n"
	      "  -u, --user USER[:GROUP]  run as USER: its groups; HOME, USER, LOGNAME as\n"
	      "                       runuser -u sets them; no capabilities (root keeps them)\n"
	      "  -S, --shell          no COMMAND: an interactive $SHELL naming the target\n"
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
	      "status, 126 if it cannot be run, 127 if it is not found.\n"
	      "\n"
	      "Full documentation: man 8 netjoin\n",
	      f);
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

static int usage_error(const char *fmt, const char *arg)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), fmt, arg);
	fputs("netjoin: ", stderr);
	esc_fputs(stderr, msg);
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
		{ "complete", no_argument, NULL, 'C' },
		{ "routes", no_argument, NULL, 'r' },
		{ "table", required_argument, NULL, 'T' },
		{ "neigh", no_argument, NULL, 'n' },
		{ "sockets", no_argument, NULL, 's' },
		{ "listening", no_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "sysfs", no_argument, NULL, 'Y' },
		{ "dns", no_argument, NULL, 'D' },
		{ "shell", no_argument, NULL, 'S' },
		{ "user", required_argument, NULL, 'u' },
		{ "find", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct stat st;
	int c;

	opterr = 0;
	/* '+': options end at TARGET; what follows belongs to COMMAND */
	while ((c = getopt_long(argc, argv, "+jbdvhVLrnsaSu:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
		case 'b':
			if (o->l.format != OUT_TEXT &&
			    o->l.format != (c == 'j' ? OUT_JSON : OUT_BRIEF))
				return usage_error("%s", "--json and --brief cannot be combined");
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
				return usage_error("--table %s: expected a table number, main, local or default",
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
		case 'F':
			o->find = optarg;
			break;
		case 'R':
			if (stat(optarg, &st) < 0 || !S_ISDIR(st.st_mode) ||
			    access(optarg, X_OK) < 0)
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
			if (optopt == 'R' || optopt == 'F' || optopt == 'T' ||
			    optopt == 'u')
				return usage_error("%s needs an argument",
						   optopt == 'R' ? "--host-root"
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
				return usage_error("option '%s' takes no argument",
						   name);
			}
			if (!strncmp(argv[optind - 1], "--", 2))
				return usage_error("unknown option '%s' (or an ambiguous abbreviation)",
						   argv[optind - 1]);
			if (optopt) {
				char opt[2] = { (char)optopt, '\0' };

				return usage_error("unknown option '-%s'", opt);
			}
			return usage_error("unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (o->complete)
		return 0;
	if (o->list_all || o->find) {
		if (o->list_all && o->find)
			return usage_error("%s", "--list and --find cannot be combined");
		if (optind < argc)
			return usage_error("%s takes no TARGET",
					   o->list_all ? "--list" : "--find");
		if (o->l.format == OUT_BRIEF)
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
	if (o->shell && o->command)
		return usage_error("%s", "--shell runs a shell: give no COMMAND with it");
	if (!o->command && !o->shell && (o->sysfs || o->dns || o->user))
		return usage_error("%s", "--sysfs, --dns and --user apply to a COMMAND or --shell");
	if ((o->command || o->shell) &&
	    (o->l.format != OUT_TEXT || o->l.details || o->l.routes ||
	     o->l.neigh || o->l.sockets))
		return usage_error("%s", "listing options (-j, -b, -d, -r, -n, -s, -a) do not apply to a COMMAND");
	if (o->l.format == OUT_BRIEF && (o->l.routes || o->l.neigh || o->l.sockets))
		return usage_error("%s", "--brief is ip -br addr's listing: no routes, neighbours or sockets");
	return 0;
}

/* Messages carry names from argv and runtime state: control bytes are
 * escaped, so an error stays one line and never drives the terminal.
 * extra keeps its own line breaks (its lines are escaped where made). */
static int report(const struct nj_err *e)
{
	fputs("netjoin: ", stderr);
	esc_fputs(stderr, e->msg);
	putc('\n', stderr);
	if (e->extra[0]) {
		esc_write(stderr, e->extra, strlen(e->extra), "\n");
		putc('\n', stderr);
	}
	return e->cls ? (int)e->cls : NJ_FAIL;
}

static int report_out_of_memory(void)
{
	fputs("netjoin: out of memory\n", stderr);
	return NJ_FAIL;
}

/* Where a listing is written: text through the escaper (names from the
 * kernel and runtime state may hold any byte), JSON as it is (it escapes
 * its own strings). NULL when the escaper cannot be made. */
static FILE *open_out(const struct opts *o)
{
	return o->l.format == OUT_JSON ? stdout : esc_stream(stdout);
}

/* Flush out into stdout, and stdout; a reader that went away (EPIPE) is
 * not an error. */
static int finish_stdout(FILE *out)
{
	if (out && out != stdout)
		fclose(out); /* its failed writes set stdout's error flag */
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		return 0;
	fprintf(stderr, "netjoin: write error on standard output: %s\n",
		strerror(errno));
	return NJ_FAIL;
}

static void verbose_target(const struct nj_target *t,
			   unsigned long long ino)
{
	static const char *const via[] = { "nothing (no join)", "nsfs file",
					   "pidfd" };

	char spec[256], how[sizeof(t->how)], note[sizeof(t->note)],
		path[sizeof(t->path)];

	fprintf(stderr, "netjoin: resolved '%s' as %s%s%s through %s\n",
		esc_str(spec, sizeof(spec), t->spec), t->kind,
		t->runtime ? " of " : "", t->runtime ? t->runtime : "",
		esc_str(how, sizeof(how), t->how));
	if (t->note[0])
		fprintf(stderr, "netjoin: %s\n",
			esc_str(note, sizeof(note), t->note));
	fprintf(stderr, "netjoin: joined net:[%llu] via %s%s%s\n", ino,
		via[t->handle], t->path[0] ? " " : "",
		esc_str(path, sizeof(path), t->path));
}

/* -L and --find: every namespace on the node, none of them joined. */
static int node(const struct opts *o, const struct nj_ctx *ctx)
{
	struct nj_err e = { 0 };
	struct nj_query q;
	size_t n = 0;
	FILE *out;
	int rc;

	if (o->find && query_parse(o->find, &q) < 0)
		return usage_error("--find %s: not an IP address, prefix or MAC address",
				   o->find);
	out = open_out(o);
	if (!out)
		return report_out_of_memory();
	rc = listing_node(out, &o->l, ctx, o->find ? &q : NULL, &n, &e);
	if (rc < 0) {
		finish_stdout(out);
		return report(&e);
	}
	rc = finish_stdout(out);
	if (rc == 0 && o->find && n == 0) {
		fprintf(stderr, "netjoin: %s: in no network namespace on this node\n",
			o->find);
		rc = NJ_NOTFOUND;
	}
	return rc;
}

static int list(const struct opts *o, const struct nj_ctx *ctx, int home_fd,
		const struct out_target *ot)
{
	struct nj_err e = { 0 };
	FILE *out = open_out(o);

	if (!out)
		return report_out_of_memory();
	if (listing_write(out, &o->l, ctx, home_fd, ot, &e) < 0) {
		finish_stdout(out);
		return report(&e);
	}
	return finish_stdout(out);
}

static int run_command(const struct opts *o, struct nj_target *t,
		       unsigned long long ino, const struct exec_user *u)
{
	struct mounts m = MOUNTS_INIT;
	char warn[256] = "", netns[64], rc[64], *shell[5];
	char *const *argv = o->command;
	struct nj_err e = { 0 };
	int rc_apply;

	m.sysfs = o->sysfs;
	if (o->dns && mounts_dns_files(t, &m, warn, sizeof(warn), &e) < 0) {
		mounts_close(&m);
		return report(&e);
	}
	if (warn[0])
		fprintf(stderr, "netjoin: warning: %s\n", warn);
	rc_apply = mounts_apply(&m, warn, sizeof(warn), &e);
	mounts_close(&m);
	if (rc_apply < 0)
		return report(&e);
	if (warn[0])
		fprintf(stderr, "netjoin: warning: %s\n", warn);
	snprintf(netns, sizeof(netns), "net:[%llu]", ino);
	setenv("NETJOIN_TARGET", t->spec, 1);
	setenv("NETJOIN_NETNS", netns, 1);
	if (o->shell) {
		exec_shell_argv(t->spec, shell, rc, sizeof(rc));
		argv = shell;
	}
	if (u->set && exec_user_drop(u, &e) < 0)
		return report(&e);
	exec_command(argv, &e);
	report(&e);
	return exec_status(e.errnum);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct nj_ctx ctx = { .root = "",
			      .docker_host = getenv("DOCKER_HOST"),
			      .docker_timeout_ms = DOCKER_TIMEOUT_MS };
	struct exec_user user = { 0 };
	struct nj_err e = { 0 };
	struct nj_target t;
	struct nj_spec spec;
	struct out_target ot;
	struct privs p;
	int rc, home_fd;

	/* a message is one write(2), not one per byte: it cannot be torn by
	 * another writer of the same stderr. Every message ends in a newline,
	 * so nothing waits in the buffer at an exec or an _exit. */
	setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
	privs_get(&p);
	if (privs_refuse_secure(&p, &e) < 0) {
		report(&e);
		/* out at once: nothing of ours may run in a secure process,
		 * atexit handlers (a leak checker's) included */
		_exit(NJ_PERM);
	}
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? finish_stdout(NULL) : rc;
	if (o.host_root)
		ctx.root = o.host_root;
	/* a closed pipe is an EPIPE to notice, not a signal to die of */
	signal(SIGPIPE, SIG_IGN);
	if (o.complete) {
		listing_complete(stdout, &ctx);
		return finish_stdout(NULL);
	}
	if (o.list_all || o.find)
		return node(&o, &ctx);

	if (spec_parse(o.target, &spec, &e) < 0 ||
	    /* names are looked up with the host's network, before the join */
	    (o.user && exec_user_resolve(o.user, &user, &e) < 0))
		return report(&e);
	/* where we started: a container's veth peers are usually here */
	home_fd = o.command || o.shell
			  ? -1
			  : open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	target_init(&t, o.target);
	if (target_resolve(&ctx, &spec, &t, &e) < 0 ||
	    privs_check_target(&p, &t, &e) < 0 ||
	    privs_check_capture(&p, o.command, &user, &e) < 0 ||
	    (t.handle != NJ_HANDLE_NONE &&
	     nsjoin_enter(t.fd, t.handle == NJ_HANDLE_PIDFD, t.pid, &e) < 0)) {
		target_close(&t);
		return report(&e);
	}
	target_close(&t);
	ot.t = &t;
	ot.netns_inode = nsjoin_current_inode();
	if (o.verbose)
		verbose_target(&t, ot.netns_inode);

	if (o.command || o.shell)
		return run_command(&o, &t, ot.netns_inode, &user);
	rc = list(&o, &ctx, home_fd, &ot);
	if (home_fd >= 0)
		close(home_fd);
	return rc;
}
