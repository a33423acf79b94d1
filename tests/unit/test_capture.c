/* --capture's pure parts: its options (args_parse) and the patterns that
 * select namespaces of the inventory (capsel_match). */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "netjoin/args.h"
#include "netjoin/capture.h"
#include "netjoin/inventory.h"

/* args_parse on a NULL-terminated list, getopt reset first. */
static int parse(struct opts *o, struct nj_err *e, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(o, 0, sizeof(*o));
	memset(e, 0, sizeof(*e));
	optind = 0;
	return args_parse(argc, argv, o, e);
}

static void test_options(void **state)
{
	char *argv[] = { "netjoin", "--capture", "-i", "eth0", "-i", "eth1",
			 "-f", "udp port 53", "-c", "100", "--duration",
			 "1.5", "--snaplen", "96", "-w", "out.pcapng",
			 "pod:shop/web-*", "netns:blue", NULL };
	struct nj_err e;
	struct opts o;

	(void)state;
	assert_int_equal(parse(&o, &e, argv), 0);
	assert_true(o.cap.on);
	assert_int_equal(o.cap.nifaces, 2);
	assert_string_equal(o.cap.ifaces[1], "eth1");
	assert_string_equal(o.cap.filter, "udp port 53");
	assert_int_equal(o.cap.count, 100);
	assert_true(o.cap.duration_ns == 1500000000ULL);
	assert_int_equal(o.cap.snaplen, 96);
	assert_string_equal(o.cap.file, "out.pcapng");
	/* every word after the options is a target, none a COMMAND */
	assert_int_equal(o.cap.ntargets, 2);
	assert_string_equal(o.cap.targets[0], "pod:shop/web-*");
	assert_string_equal(o.cap.targets[1], "netns:blue");
	assert_null(o.command);
}

static void test_defaults(void **state)
{
	char *argv[] = { "netjoin", "--capture", "web", NULL };
	char *zero[] = { "netjoin", "--capture", "--snaplen", "0", "web", NULL };
	struct nj_err e;
	struct opts o;

	(void)state;
	assert_int_equal(parse(&o, &e, argv), 0);
	assert_int_equal(o.cap.snaplen, CAPTURE_SNAPLEN);
	assert_int_equal(o.cap.count, 0);
	assert_int_equal(o.cap.duration_ns, 0);
	assert_null(o.cap.file);
	assert_int_equal(o.cap.nifaces, 0);
	/* tcpdump -s 0: the default */
	assert_int_equal(parse(&o, &e, zero), 0);
	assert_int_equal(o.cap.snaplen, CAPTURE_SNAPLEN);
}

/* argv must be a usage error whose message holds needle. */
static void usage(const char *needle, char **argv)
{
	struct nj_err e;
	struct opts o;

	assert_int_equal(parse(&o, &e, argv), -EINVAL);
	assert_int_equal(e.cls, NJ_USAGE);
	if (!strstr(e.msg, needle))
		fail_msg("'%s' does not say '%s'", e.msg, needle);
	assert_null(strchr(e.msg, '\n'));
}

static void test_mistakes(void **state)
{
	(void)state;
	usage("-c applies to --capture",
	      (char *[]){ "netjoin", "-c", "5", "web", NULL });
	usage("-w applies to --capture",
	      (char *[]){ "netjoin", "-w", "f", "web", NULL });
	usage("--duration applies to --capture",
	      (char *[]){ "netjoin", "--duration", "3", "web", NULL });
	usage("--capture needs a TARGET",
	      (char *[]){ "netjoin", "--capture", NULL });
	usage("-c 0", (char *[]){ "netjoin", "--capture", "-c", "0", "w", NULL });
	usage("-c x", (char *[]){ "netjoin", "--capture", "-c", "x", "w", NULL });
	usage("--duration 0",
	      (char *[]){ "netjoin", "--capture", "--duration", "0", "w", NULL });
	usage("--duration 1s",
	      (char *[]){ "netjoin", "--capture", "--duration", "1s", "w", NULL });
	usage("--snaplen 262145",
	      (char *[]){ "netjoin", "--capture", "--snaplen", "262145", "w", NULL });
}

static void test_mistakes_more(void **state)
{
	(void)state;
	usage("-i needs an argument", (char *[]){ "netjoin", "--capture", "-i", NULL });
	usage("--duration needs an argument",
	      (char *[]){ "netjoin", "--capture", "--duration", NULL });
	usage("options go before them",
	      (char *[]){ "netjoin", "--capture", "web", "-c", "5", NULL });
	usage("--capture takes only",
	      (char *[]){ "netjoin", "--capture", "-j", "web", NULL });
	usage("--capture takes only",
	      (char *[]){ "netjoin", "--capture", "-L", NULL });
}

static struct nj_nsrec rec_with(struct nj_owner *o, size_t n)
{
	struct nj_nsrec r;

	memset(&r, 0, sizeof(r));
	r.owners = o;
	r.nowners = n;
	return r;
}

static void test_patterns(void **state)
{
	struct nj_owner pod = { .runtime = "containerd",
				.id = "0123456789abcdef",
				.pod_name = "frontend-7d4b9c-x2k8p",
				.pod_ns = "shop",
				.target = "pod:shop/frontend-7d4b9c-x2k8p" };
	struct nj_owner web = { .runtime = "docker",
				.id = "4ddf4638572d0000",
				.name = "web-1",
				.target = "docker:4ddf4638572d" };
	struct nj_owner dflt = { .runtime = "crio",
				 .id = "feedbeef",
				 .pod_name = "cart",
				 .pod_ns = "default",
				 .target = "pod:default/cart" };
	struct nj_nsrec r = rec_with(&pod, 1);
	char mount[] = "/run/netns/blue-3";

	(void)state;
	assert_true(capsel_is_pattern("pod:shop/frontend-*"));
	assert_true(capsel_is_pattern("web?"));
	assert_true(capsel_is_pattern("docker:web[12]"));
	assert_false(capsel_is_pattern("pod:shop/frontend"));

	assert_true(capsel_match("pod:shop/frontend-*", &r));
	assert_true(capsel_match("pod:shop/*", &r));
	assert_true(capsel_match("pod:*/frontend-*", &r));
	assert_false(capsel_match("pod:checkout/*", &r));
	/* a pattern does not reach over the namespace's slash */
	assert_false(capsel_match("pod:*", &r));
	assert_true(capsel_match("containerd:0123*", &r));

	r = rec_with(&web, 1);
	assert_true(capsel_match("docker:web*", &r));
	assert_true(capsel_match("web-?", &r));
	assert_true(capsel_match("*", &r));
	assert_true(capsel_match("docker:4ddf*", &r));
	assert_false(capsel_match("podman:web*", &r));
	assert_false(capsel_match("pod:*/*", &r));

	/* pod:NAME is in the default namespace */
	r = rec_with(&dflt, 1);
	assert_true(capsel_match("pod:ca*", &r));
	assert_true(capsel_match("pod:default/ca*", &r));

	/* a namespace pinned by ip netns add, without owners */
	r = rec_with(NULL, 0);
	r.mount = mount;
	r.netns_name = mount + strlen("/run/netns/");
	assert_true(capsel_match("netns:blue-*", &r));
	assert_true(capsel_match("/run/netns/blue*", &r));
	assert_false(capsel_match("netns:red*", &r));
	/* a bare word is a container's name or ID, never a namespace's */
	assert_false(capsel_match("*", &r));
	assert_false(capsel_match("blue*", &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_mistakes_more),
		cmocka_unit_test(test_patterns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
