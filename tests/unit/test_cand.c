/* Candidates (cand.c): cand_match, cands_add, cands_settle on
 * real namespace files, cand_describe. */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "fixtures.h"
#include "netjoin/target.h"

#define ID_WEB "609162cf4792b082c1999311de4c9419730d574c333a59772d0f4cddf41df3fc"
#define ID_WEB2 "6091aa00bb11cc22dd33ee44ff5566778899aabbccddeeff0011223344556677"
#define CRI_APP "21f7eed416c8830cd2945bb825dff0db59dcf9c142b566a1e74c031ef0320bbd"
#define CRIO_APP "cc8b89b4517a93632e6a09d85a888e64bddb0f9e3bb8eec5b633e897a654d931"
#define PM_WEB "7d74e0fac17406b87ee56e2719ae583cf4a1b3ec251ca9690cca9ebd5055a22a"

/* ---- cand_match ---- */

static void test_match(void **st)
{
	(void)st;
	assert_int_equal(cand_match(ID_WEB, ID_WEB, "web"), NJ_MATCH_ID);
	assert_int_equal(cand_match("web", ID_WEB, "web"), NJ_MATCH_NAME);
	assert_int_equal(cand_match("6091", ID_WEB, "web"), NJ_MATCH_PREFIX);
	assert_int_equal(cand_match("6", ID_WEB, "web"), NJ_MATCH_PREFIX);
	/* one character short of the ID is still a prefix */
	assert_int_equal(cand_match("609162cf4792b082c1999311de4c9419730d574c"
				    "333a59772d0f4cddf41df3f",
				    ID_WEB, NULL),
			 NJ_MATCH_PREFIX);
	/* longer than the ID, a different ID, a prefix of the name */
	assert_int_equal(cand_match(ID_WEB "0", ID_WEB, "web"), 0);
	assert_int_equal(cand_match("6092", ID_WEB, "web"), 0);
	assert_int_equal(cand_match("we", ID_WEB, "web"), 0);
	assert_int_equal(cand_match("WEB", ID_WEB, "web"), 0);
	/* a name that is also a prefix of the ID: the name */
	assert_int_equal(cand_match("6091", ID_WEB, "6091"), NJ_MATCH_NAME);
	/* a name equal to another container's ID still matches as a name */
	assert_int_equal(cand_match(ID_WEB2, ID_WEB, ID_WEB2), NJ_MATCH_NAME);
	/* no name */
	assert_int_equal(cand_match("web", ID_WEB, NULL), 0);
	assert_int_equal(cand_match("web", ID_WEB, ""), 0);
}

static void test_match_empty(void **st)
{
	(void)st;
	/* an empty name never matches, an empty ref never does */
	assert_int_equal(cand_match("", ID_WEB, ""), 0);
	assert_int_equal(cand_match("", ID_WEB, NULL), 0);
	assert_int_equal(cand_match("", ID_WEB, "web"), 0);
	assert_int_equal(cand_match("x", ID_WEB, ""), 0);
}

/* ---- cands_add ---- */

static void test_cands_add(void **st)
{
	struct nj_cands c = { 0 };
	struct nj_cand *p;
	int i;

	(void)st;
	for (i = 0; i < 100; i++) {
		p = cands_add(&c);
		assert_non_null(p);
		/* zeroed, wherever realloc put it */
		assert_null(p->runtime);
		assert_int_equal(p->id[0], 0);
		assert_int_equal(p->pid, 0);
		assert_int_equal(p->ns_ino, 0);
		snprintf(p->id, sizeof(p->id), "c%d", i);
		memset(p->name, 'x', sizeof(p->name));
	}
	assert_int_equal(c.n, 100);
	assert_true(c.cap >= 100);
	assert_string_equal(c.v[0]->id, "c0");
	assert_string_equal(c.v[99]->id, "c99");
	cands_free(&c);
	assert_null(c.v);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.cap, 0);
	cands_free(&c); /* twice is fine */
}

/* ---- cands_settle ---- */

static struct nj_cand *add(struct nj_cands *c, const char *runtime,
			   const char *id, const char *name,
			   enum nj_match match, bool running, pid_t pid,
			   const char *netns_path)
{
	struct nj_cand *p = cands_add(c);

	assert_non_null(p);
	p->runtime = runtime;
	p->source = "disk";
	p->match = match;
	p->running = running;
	p->pid = pid;
	snprintf(p->id, sizeof(p->id), "%s", id);
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->netns_path, sizeof(p->netns_path), "%s", netns_path);
	return p;
}

static void test_settle_empty(void **st)
{
	struct nj_cands c = { 0 };

	(void)st;
	assert_int_equal(cands_settle(&c), 0);
	assert_int_equal(c.n, 0);
	cands_free(&c);
}

static void test_settle_best_match(void **st)
{
	struct nj_cands c = { 0 };

	(void)st;
	/* not running: each its own answer, but only the best kind counts */
	add(&c, "docker", ID_WEB2, "other", NJ_MATCH_PREFIX, false, 0, "");
	add(&c, "podman", "aaaa", ID_WEB, NJ_MATCH_NAME, false, 0, "");
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_ID, false, 0, "");
	add(&c, "containerd", ID_WEB "x", "", NJ_MATCH_PREFIX, false, 0, "");
	assert_int_equal(cands_settle(&c), 1);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0]->id, ID_WEB);
	assert_int_equal(c.v[0]->match, NJ_MATCH_ID);
	cands_free(&c);

	/* a name beats prefixes */
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_PREFIX, false, 0, "");
	add(&c, "docker", ID_WEB2, "web2", NJ_MATCH_PREFIX, false, 0, "");
	add(&c, "podman", PM_WEB, "6091", NJ_MATCH_NAME, false, 0, "");
	assert_int_equal(cands_settle(&c), 1);
	assert_string_equal(c.v[0]->id, PM_WEB);
	cands_free(&c);

	/* prefixes only: all of them, in order */
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_PREFIX, false, 0, "");
	add(&c, "docker", ID_WEB2, "web2", NJ_MATCH_PREFIX, false, 0, "");
	assert_int_equal(cands_settle(&c), 2);
	assert_string_equal(c.v[0]->id, ID_WEB);
	assert_string_equal(c.v[1]->id, ID_WEB2);
	cands_free(&c);
}

static void test_settle_same_netns(void **st)
{
	struct nj_cands c = { 0 };

	(void)st;
	/* Docker's container and its containerd "moby" shadow: one answer,
	 * Docker's, whichever was found first */
	add(&c, "containerd", ID_WEB, ID_WEB, NJ_MATCH_ID, true, 0,
	    "/proc/self/ns/net");
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_ID, true, 0,
	    "/proc/self/ns/net");
	assert_int_equal(cands_settle(&c), 1);
	assert_string_equal(c.v[0]->runtime, "docker");
	assert_string_equal(c.v[0]->name, "web");
	assert_true(c.v[0]->ns_ino != 0);
	cands_free(&c);

	add(&c, "docker", ID_WEB, "web", NJ_MATCH_ID, true, 0,
	    "/proc/self/ns/net");
	add(&c, "containerd", ID_WEB, ID_WEB, NJ_MATCH_ID, true, 0,
	    "/proc/self/ns/net");
	assert_int_equal(cands_settle(&c), 1);
	assert_string_equal(c.v[0]->runtime, "docker");
	cands_free(&c);

	/* one seen through its file, one through its process, one sharing
	 * the host's: all this very namespace */
	add(&c, "containerd", CRI_APP, "nginx", NJ_MATCH_PREFIX, true, 0,
	    "/proc/self/ns/net");
	add(&c, "crio", CRIO_APP, "redis", NJ_MATCH_PREFIX, true, getpid(), "");
	add(&c, "podman", PM_WEB, "web", NJ_MATCH_PREFIX, true, 0, "")
		->host_network = true;
	assert_int_equal(cands_settle(&c), 1);
	assert_string_equal(c.v[0]->runtime, "podman");
	cands_free(&c);

	/* crio over containerd */
	add(&c, "containerd", CRI_APP, "nginx", NJ_MATCH_NAME, true, getpid(),
	    "");
	add(&c, "crio", CRIO_APP, "nginx", NJ_MATCH_NAME, true, getpid(), "");
	assert_int_equal(cands_settle(&c), 1);
	assert_string_equal(c.v[0]->runtime, "crio");
	cands_free(&c);
}

/* A process in a network namespace of its own; 0 if none can be made. */
static pid_t spawn_netns(void)
{
	int fds[2];
	char ok = 0;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		ok = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (write(fds[1], &ok, 1) != 1)
			_exit(1);
		close(fds[1]);
		if (ok == 'y')
			pause();
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &ok, 1) != 1)
		ok = 0;
	close(fds[0]);
	if (ok != 'y') {
		waitpid(pid, NULL, 0);
		return 0;
	}
	return pid;
}

static void test_settle_other_netns(void **st)
{
	struct nj_cands c = { 0 };
	char path[64];
	struct stat a, b;
	pid_t child;

	(void)st;
	child = spawn_netns();
	if (!child)
		skip(); /* no CAP_SYS_ADMIN: no second namespace to compare */
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)child);
	assert_int_equal(stat("/proc/self/ns/net", &a), 0);
	assert_int_equal(stat(path, &b), 0);
	assert_true(a.st_ino != b.st_ino);

	/* by file and by file */
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_PREFIX, true, 0,
	    "/proc/self/ns/net");
	add(&c, "containerd", ID_WEB2, ID_WEB2, NJ_MATCH_PREFIX, true, 0, path);
	assert_int_equal(cands_settle(&c), 2);
	assert_string_equal(c.v[0]->runtime, "docker");
	assert_string_equal(c.v[1]->runtime, "containerd");
	cands_free(&c);

	/* by process and by process, and the host's */
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_PREFIX, true, getpid(), "");
	add(&c, "docker", ID_WEB2, "web2", NJ_MATCH_PREFIX, true, child, "");
	add(&c, "podman", PM_WEB, "web", NJ_MATCH_PREFIX, true, 0, "")
		->host_network = true;
	assert_int_equal(cands_settle(&c), 2);
	assert_string_equal(c.v[0]->id, ID_WEB);  /* the host's went with it */
	assert_string_equal(c.v[0]->runtime, "docker");
	assert_string_equal(c.v[1]->id, ID_WEB2);
	cands_free(&c);

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

static void test_settle_not_running(void **st)
{
	struct nj_cands c = { 0 };

	(void)st;
	/* nothing to tell them apart: distinct, even from a running one
	 * with the same PID field */
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_NAME, false, 0, "");
	add(&c, "podman", PM_WEB, "web", NJ_MATCH_NAME, false, 0, "");
	add(&c, "containerd", CRI_APP, "web", NJ_MATCH_NAME, false, getpid(), "");
	add(&c, "crio", CRIO_APP, "web", NJ_MATCH_NAME, true, getpid(), "");
	assert_int_equal(cands_settle(&c), 4);
	assert_string_equal(c.v[0]->runtime, "docker");
	assert_string_equal(c.v[1]->runtime, "podman");
	assert_string_equal(c.v[2]->runtime, "containerd");
	assert_string_equal(c.v[3]->runtime, "crio");
	cands_free(&c);

	/* a running candidate whose namespace is gone is unknown too */
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_NAME, true, 0,
	    "/nonexistent/netns");
	add(&c, "podman", PM_WEB, "web", NJ_MATCH_NAME, true, 0,
	    "/nonexistent/netns");
	assert_int_equal(cands_settle(&c), 2);
	cands_free(&c);
}

/* A stopped container's recorded namespace is stale: Docker keeps the
 * SandboxKey of a removed namespace, a CRI app container names
 * /proc/<sandbox pid>/ns/net, a PID that may now be anyone's. It says
 * nothing about which namespace the container is in, so it must not
 * fold a stopped candidate into a running one (or into another stopped
 * one) and hide an ambiguity. */
static void test_settle_not_running_stale_path(void **st)
{
	struct nj_cands c = { 0 };
	int bad = 0;
	size_t n;

	(void)st;
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_NAME, false, 0,
	    "/proc/self/ns/net");
	add(&c, "containerd", CRI_APP, "web", NJ_MATCH_NAME, true, 0,
	    "/proc/self/ns/net");
	n = cands_settle(&c);
	if (n != 2) {
		print_error("stopped docker + running containerd naming one "
			    "file: %zu answer(s), kept %s (running %d)\n",
			    n, c.v[0]->runtime, c.v[0]->running);
		bad++;
	}
	cands_free(&c);

	/* Docker keeps NetworkMode "host" of a stopped container */
	add(&c, "podman", PM_WEB, "web", NJ_MATCH_NAME, true, 0, "")
		->host_network = true;
	add(&c, "docker", ID_WEB, "web", NJ_MATCH_NAME, false, 0, "")
		->host_network = true;
	n = cands_settle(&c);
	if (n != 2) {
		print_error("running podman + stopped docker, both host "
			    "network: %zu answer(s), kept %s (running %d)\n",
			    n, c.v[0]->runtime, c.v[0]->running);
		bad++;
	}
	cands_free(&c);
	if (bad)
		fail();
}

/* ---- cand_describe ---- */

static void describe(const struct nj_cand *c, const char *want)
{
	char buf[600];

	memset(buf, 'Z', sizeof(buf));
	cand_describe(c, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_describe(void **st)
{
	struct nj_cand c;

	(void)st;
	memset(&c, 0, sizeof(c));
	c.runtime = "docker";
	strcpy(c.id, ID_WEB);
	strcpy(c.name, "njfx-web");
	describe(&c, "docker:609162cf4792 (njfx-web)");

	c.runtime = "podman";
	strcpy(c.id, PM_WEB);
	strcpy(c.name, "web");
	describe(&c, "podman:7d74e0fac174 (web)");

	/* a CRI-O app container: its pod */
	c.runtime = "crio";
	strcpy(c.id, CRIO_APP);
	strcpy(c.name, "redis");
	strcpy(c.pod_ns, "cache");
	strcpy(c.pod_name, "redis-0");
	describe(&c, "crio:cc8b89b4517a (pod cache/redis-0, container redis)");

	/* containerd: its namespace, and the pod when CRI made it */
	memset(&c, 0, sizeof(c));
	c.runtime = "containerd";
	strcpy(c.ns, "default");
	strcpy(c.id, "redis");
	strcpy(c.name, "redis");
	describe(&c, "containerd:default/redis");
	strcpy(c.ns, "moby");
	strcpy(c.id, ID_WEB);
	describe(&c, "containerd:moby/609162cf4792");
	strcpy(c.ns, "k8s.io");
	strcpy(c.id, CRI_APP);
	strcpy(c.name, "nginx");
	strcpy(c.pod_ns, "web");
	strcpy(c.pod_name, "nginx-7c5ddbdf54-x8f9k");
	describe(&c, "containerd:k8s.io/21f7eed416c8 (pod web/nginx-7c5ddbdf54-"
		     "x8f9k, container nginx)");

	/* a pod */
	c.is_pod = true;
	describe(&c, "pod:web/nginx-7c5ddbdf54-x8f9k (containerd)");
	c.runtime = "crio";
	strcpy(c.pod_ns, "cache");
	strcpy(c.pod_name, "redis-0");
	describe(&c, "pod:cache/redis-0 (crio)");
}

static void test_describe_small(void **st)
{
	static const char full[] = "containerd:k8s.io/21f7eed416c8 (pod web/"
				   "nginx-7c5ddbdf54-x8f9k, container nginx)";
	struct nj_cand c;
	size_t sz;

	(void)st;
	memset(&c, 0, sizeof(c));
	c.runtime = "containerd";
	strcpy(c.ns, "k8s.io");
	strcpy(c.id, CRI_APP);
	strcpy(c.name, "nginx");
	strcpy(c.pod_ns, "web");
	strcpy(c.pod_name, "nginx-7c5ddbdf54-x8f9k");
	/* cut anywhere, even inside the pod part: a prefix, NUL-terminated,
	 * nothing written past sz (ASan watches an exact-size buffer) */
	for (sz = 1; sz <= sizeof(full) + 8; sz++) {
		char *p = malloc(sz);
		size_t want = sz - 1 < strlen(full) ? sz - 1 : strlen(full);

		assert_non_null(p);
		cand_describe(&c, p, sz);
		assert_int_equal(strlen(p), want);
		assert_memory_equal(p, full, want);
		free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_match_empty),
		cmocka_unit_test(test_cands_add),
		cmocka_unit_test(test_settle_empty),
		cmocka_unit_test(test_settle_best_match),
		cmocka_unit_test(test_settle_same_netns),
		cmocka_unit_test(test_settle_other_netns),
		cmocka_unit_test(test_settle_not_running),
		cmocka_unit_test(test_settle_not_running_stale_path),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_describe_small),
	};

	return cmocka_run_group_tests_name("cand", tests, NULL, NULL);
}
