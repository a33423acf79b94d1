#!/usr/bin/env bash
# Races ("Hardening"): a target that goes away between resolution and join.
#
# (1) pid:N whose process is killed at a random moment while netjoin runs,
#     up to 1000 times in a bounded time: netjoin either says the process
#     is gone (exit 6, or 3 when it was gone before netjoin looked) in one
#     clean line, or it ran the command in exactly the namespace of the
#     process it resolved, never another one and never the host's. A small
#     C helper does the killing, in a PID namespace of its own so that it
#     can also recycle the dead process's PID on purpose (ns_last_pid) for
#     a new process living in yet another network namespace: a netjoin that
#     resolved the first process and then joined the second would show.
#     Every target lives in a network namespace of its own.
# (2) A PID recorded in a runtime's state whose start time no longer
#     matches (runc's init_process_start) is refused; the same state with
#     the right start time is joined (the control). The layout is Docker's
#     on disk, minimal, read through --host-root.
# (3) netns:NAME deleted and made again in a loop while netjoin runs: it
#     joins a namespace that name stood for, or fails in one clean line.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
plan 33
need_root
need gcc
need ip
need jq
need unshare
need timeout
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d "/tmp/$nj_id.XXXXXX") || exit 1
on_exit "rm -rf $tmp"
diag() { sed -n '1,40s/^/#   /p'; }

# ---- (1) the killing helper --------------------------------------------

cat >"$tmp/race.c" <<'EOF'
/* race NETJOIN ITERATIONS SECONDS: see t-races.sh. Runs as PID 1 of a PID
 * namespace of its own (unshare -pf --mount-proc), so that every process
 * it leaves behind dies with it and ns_last_pid is its own. Each
 * iteration: a target process in a network namespace of its own (aged
 * past one clock tick, so a later process never shares its start time),
 * then `netjoin -v pid:N readlink /proc/self/ns/net`, and after a random
 * delay the target is killed and
 *   reap:    reaped at once (its PID is free),
 *   zombie:  left a zombie until netjoin is done,
 *   recycle: reaped, and its PID handed to a new process in another
 *            network namespace (ns_last_pid = N - 1, then clone).
 * Prints one line per wrong outcome and a summary; exit 0 if none. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BATCH 25
#define CALIBRATE 15
#define OUTMAX 4096

enum { REAP, ZOMBIE, RECYCLE, NMODES };
static const char *const mode_name[] = { "reap", "zombie", "recycle" };

struct target {
	pid_t pid;
	unsigned long long ino, start;
};

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static unsigned long long ns_ino(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	return stat(path, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

static unsigned long long start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	int fd, i;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	for (i = 2; p && i < 22; i++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p + 1, NULL, 10);
	return v;
}

static int idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* A process born in a network namespace of its own (clone(CLONE_NEWNET)
 * makes both at once: it is never in ours). */
static pid_t spawn(void)
{
	static char stacks[BATCH + 1][16384] __attribute__((aligned(16)));
	static int next;
	char *stack = stacks[next++ % (BATCH + 1)] + sizeof(stacks[0]);

	return clone(idle, stack, CLONE_NEWNET | SIGCHLD, NULL);
}

static int spawn_target(struct target *t)
{
	t->pid = spawn();
	if (t->pid < 0)
		return -1;
	t->ino = ns_ino(t->pid);
	t->start = start_time(t->pid);
	return t->ino && t->start ? 0 : -1;
}

static void kill_reap(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static void sleep_us(long long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (us > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

struct run {
	int status, hung;
	char out[OUTMAX], err[OUTMAX];
	long long us;
};

/* Collect stdout and stderr until both close, at most 10 s. */
static void collect(pid_t nj, int ofd, int efd, struct run *r, long long t0)
{
	struct pollfd p[2] = { { ofd, POLLIN, 0 }, { efd, POLLIN, 0 } };
	size_t lens[2] = { 0, 0 };
	char *bufs[2] = { r->out, r->err };
	int open = 2, i;

	while (open) {
		long long left = t0 + 10000000 - now_us();
		if (left <= 0 || poll(p, 2, (int)(left / 1000) + 1) == 0) {
			r->hung = 1;
			kill(nj, SIGKILL);
			break;
		}
		for (i = 0; i < 2; i++) {
			char tmp[512];
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, tmp, sizeof(tmp));
			if (n <= 0) {
				p[i].fd = -1;
				open--;
				continue;
			}
			if (lens[i] + (size_t)n >= OUTMAX)
				n = (ssize_t)(OUTMAX - 1 - lens[i]);
			memcpy(bufs[i] + lens[i], tmp, (size_t)n);
			lens[i] += (size_t)n;
		}
	}
	r->out[lens[0]] = r->err[lens[1]] = '\0';
	waitpid(nj, &r->status, 0);
	r->us = now_us() - t0;
	close(ofd);
	close(efd);
}

/* The target is killed, reaped unless a ZOMBIE, and for RECYCLE its PID
 * given to a new process (re). */
static void fate(struct target *t, int mode, int last_pid_fd,
		 struct target *re)
{
	kill(t->pid, SIGKILL);
	if (mode != ZOMBIE)
		waitpid(t->pid, NULL, 0);
	if (mode == RECYCLE) {
		char last[32];
		int n = snprintf(last, sizeof(last), "%d", (int)t->pid - 1);

		if (pwrite(last_pid_fd, last, (size_t)n, 0) == n) {
			re->pid = spawn();
			re->ino = ns_ino(re->pid);
			re->start = start_time(re->pid);
		}
	}
}

/* Delays that are not a moment in the run: no kill, a kill before netjoin
 * starts (it can only find the target gone), one after it is done (it can
 * only have joined). */
#define NO_KILL (-1)
#define KILL_BEFORE (-2)
#define KILL_AFTER (-3)

/* netjoin -v pid:N readlink /proc/self/ns/net; with delay >= 0, the
 * target meets its fate that many microseconds after the fork. */
static void run_one(const char *netjoin, struct target *t, int mode,
		    long long delay, int last_pid_fd, struct target *re,
		    struct run *r)
{
	char spec[32];
	int o[2], e[2];
	long long t0;
	pid_t nj;

	memset(r, 0, sizeof(*r));
	memset(re, 0, sizeof(*re));
	snprintf(spec, sizeof(spec), "pid:%d", (int)t->pid);
	if (pipe2(o, O_CLOEXEC) < 0 || pipe2(e, O_CLOEXEC) < 0) {
		perror("pipe2");
		exit(2);
	}
	if (delay == KILL_BEFORE)
		fate(t, mode, last_pid_fd, re);
	t0 = now_us();
	nj = fork();
	if (nj == 0) {
		dup2(o[1], 1);
		dup2(e[1], 2);
		execl(netjoin, "netjoin", "-v", spec, "readlink",
		      "/proc/self/ns/net", (char *)NULL);
		_exit(127);
	}
	close(o[1]);
	close(e[1]);
	if (delay >= 0) {
		sleep_us(delay);
		fate(t, mode, last_pid_fd, re);
	}
	collect(nj, o[0], e[0], r, t0);
	if (mode == ZOMBIE || delay == NO_KILL || delay == KILL_AFTER)
		kill_reap(t->pid);
	kill_reap(re->pid);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The one netjoin: line of a failure, naming the process. */
static int clean_error(const struct run *r, pid_t pid)
{
	char num[16];
	const char *nl = strchr(r->err, '\n');

	snprintf(num, sizeof(num), "%d", (int)pid);
	return !strncmp(r->err, "netjoin: ", 9) && nl && !nl[1] &&
	       strstr(r->err, num) && !r->out[0];
}

/* The start time netjoin says it resolved (-v), 0 if it does not say. */
static unsigned long long resolved_start(const char *err)
{
	const char *p = strstr(err, "start time ");

	return p ? strtoull(p + 11, NULL, 10) : 0;
}

static void show(const char *what, int i, const char *mode, long long delay,
		 const struct target *t, const struct target *re,
		 const struct run *r)
{
	printf("%s: run %d (%s, kill after %lld us): target pid %d net:[%llu] start %llu",
	       what, i, mode, delay, (int)t->pid, t->ino, t->start);
	if (re->pid)
		printf(", recycled pid %d net:[%llu] start %llu", (int)re->pid,
		       re->ino, re->start);
	printf("; status 0x%x%s after %lld us\n  stdout: %s\n  stderr: %s\n",
	       r->status, r->hung ? " (hung, killed)" : "", r->us, r->out,
	       r->err);
}

int main(int argc, char **argv)
{
	long long dur[CALIBRATE], span, deadline, dmin[5], dmax[5];
	int iters, secs, i, j, n = 0, bad = 0, missed = 0, last_pid_fd;
	int count[NMODES][5] = { { 0 } }, shown = 0;
	static const char *const outcome[] = { "joined", "joined-recycled",
					       "gone(6)", "notfound(3)", "BAD" };
	char host[64], want[64];
	struct target batch[BATCH], re;
	struct run r;

	if (argc != 4)
		return 2;
	iters = atoi(argv[2]);
	secs = atoi(argv[3]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(host, sizeof(host), "net:[%llu]", ns_ino(getpid()));
	if (getpid() != 1) {
		fprintf(stderr, "race: not PID 1 of a PID namespace\n");
		return 2;
	}
	/* without CONFIG_CHECKPOINT_RESTORE there is no recycling on purpose */
	last_pid_fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	if (last_pid_fd < 0)
		printf("no /proc/sys/kernel/ns_last_pid: PIDs are not recycled on purpose\n");
	for (i = 0; i < 5; i++) {
		dmin[i] = -1;
		dmax[i] = -1;
	}

	/* The control: nobody is killed, so every run joins the target's
	 * namespace; how long a run takes sets the range of the delays. */
	for (i = 0; i < CALIBRATE; i++) {
		if (spawn_target(&batch[0]) < 0) {
			perror("race: spawn");
			return 2;
		}
		run_one(argv[1], &batch[0], REAP, NO_KILL, last_pid_fd, &re, &r);
		snprintf(want, sizeof(want), "net:[%llu]\n", batch[0].ino);
		if (r.status != 0 || strcmp(r.out, want)) {
			show("CONTROL FAILED", i, "none", -1, &batch[0], &re, &r);
			return 1;
		}
		dur[i] = r.us;
	}
	qsort(dur, CALIBRATE, sizeof(dur[0]), cmp_ll);
	/* kills land from before netjoin starts until after it is done */
	span = dur[CALIBRATE / 2] * 5 / 4;
	if (span < 2000)
		span = 2000;
	printf("control: %d runs without a kill joined the target; median run %lld us; kill delays 0..%lld us\n",
	       CALIBRATE, dur[CALIBRATE / 2], span);

	srandom((unsigned)now_us());
	/* every run is made: the deadline only bounds a machine gone wrong */
	deadline = now_us() + (long long)secs * 1000000;
	while (n < iters && now_us() < deadline) {
		int b = iters - n < BATCH ? iters - n : BATCH;

		for (j = 0; j < b; j++)
			if (spawn_target(&batch[j]) < 0) {
				perror("race: spawn");
				return 2;
			}
		sleep_us(25000); /* start times: at least two clock ticks apart */
		for (j = 0; j < b; j++, n++) {
			int mode = (int)(random() % (last_pid_fd < 0 ? RECYCLE : NMODES)), k;
			long long delay = random() % (span + 1);

			/* anchors, so that both outcomes are always met: a
			 * target killed before netjoin starts, and one killed
			 * after it is done */
			if (n % 50 == 0) {
				mode = REAP;
				delay = KILL_BEFORE;
			} else if (n % 50 == 25) {
				delay = KILL_AFTER;
			}
			struct target *t = &batch[j];
			unsigned long long rs;

			run_one(argv[1], t, mode, delay, last_pid_fd, &re, &r);
			if (mode == RECYCLE && re.pid != t->pid)
				missed++; /* someone else took the PID */
			rs = resolved_start(r.err);
			if (r.hung || !WIFEXITED(r.status)) {
				k = 4;
			} else if (WEXITSTATUS(r.status) == 0) {
				char said[64];

				snprintf(want, sizeof(want), "net:[%llu]\n", t->ino);
				snprintf(said, sizeof(said), "joined net:[%llu]",
					 t->ino);
				k = !strcmp(r.out, want) && rs == t->start &&
					    strstr(r.err, said) ? 0 : 4;
				snprintf(want, sizeof(want), "net:[%llu]\n", re.ino);
				snprintf(said, sizeof(said), "joined net:[%llu]",
					 re.ino);
				if (k == 4 && re.pid == t->pid && re.ino &&
				    !strcmp(r.out, want) && rs == re.start &&
				    strstr(r.err, said))
					k = 1; /* resolved the new process */
			} else if (WEXITSTATUS(r.status) == 6 && clean_error(&r, t->pid)) {
				k = 2;
			} else if (WEXITSTATUS(r.status) == 3 && clean_error(&r, t->pid)) {
				k = 3;
			} else {
				k = 4;
			}
			count[mode][k]++;
			if (delay >= 0 && (dmin[k] < 0 || delay < dmin[k]))
				dmin[k] = delay;
			if (delay >= 0 && delay > dmax[k])
				dmax[k] = delay;
			if (k == 4) {
				bad++;
				if (!strncmp(r.out, host, strlen(host)))
					printf("HOST NAMESPACE JOINED\n");
				if (shown++ < 10)
					show("WRONG", n, mode_name[mode], delay, t, &re, &r);
			}
		}
	}
	printf("runs: %d of %d within %d s\n", n, iters, secs);
	for (i = 0; i < NMODES; i++) {
		printf("%-8s", mode_name[i]);
		for (j = 0; j < 5; j++)
			printf(" %s=%d", outcome[j], count[i][j]);
		printf("\n");
	}
	for (j = 0; j < 5; j++)
		if (dmin[j] >= 0)
			printf("%s: kill delays %lld..%lld us\n", outcome[j], dmin[j],
			       dmax[j]);
	printf("recycle: PID taken by another process %d times\n", missed);
	printf("summary: runs=%d joined=%d gone=%d bad=%d\n", n,
	       count[0][0] + count[1][0] + count[2][0] + count[0][1] +
		       count[1][1] + count[2][1],
	       count[0][2] + count[1][2] + count[2][2] + count[0][3] +
		       count[1][3] + count[2][3],
	       bad);
	return bad ? 1 : 0;
}
EOF

if ! gcc -O2 -Wall -Wextra -o "$tmp/race" "$tmp/race.c" 2>"$tmp/cc.err"; then
	not_ok "race helper compiles"; diag <"$tmp/cc.err"; exit 1
fi

# 300 runs, however slow the machine (an ASan build on two busy cores):
# the helper's own deadline (400 s) and timeout's kill (it takes, as PID 1
# of its namespace, every process it left) only bound a run gone wrong.
timeout -s KILL 450 unshare --pid --fork --mount-proc \
	"$tmp/race" "$NETJOIN" 300 400 >"$tmp/race.out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/race.out"
check_eq "kill at random moments: the helper ran to its end (exit 0: no wrong outcome)" 0 "$rc"
summary=$(sed -n 's/^summary: //p' "$tmp/race.out")
runs=$(sed -n 's/.*runs=\([0-9]*\).*/\1/p' <<<"$summary")
joined=$(sed -n 's/.*joined=\([0-9]*\).*/\1/p' <<<"$summary")
gone=$(sed -n 's/.*gone=\([0-9]*\).*/\1/p' <<<"$summary")
check_eq "kill at random moments: all 300 runs made" 300 "${runs:-0}"
check_eq "kill at random moments: no run joined the wrong namespace, hung or crashed" \
	"bad=0" "$(grep -o 'bad=[0-9]*' <<<"$summary")"
check "kill at random moments: never the host's namespace" \
	eval "! grep -q 'HOST NAMESPACE JOINED' $tmp/race.out"
# Without both outcomes the kills all missed the window: no race was run.
check "kill at random moments: kills landed before and after the join (joined ${joined:-0}, gone ${gone:-0})" \
	test "${joined:-0}" -gt 0 -a "${gone:-0}" -gt 0
check "the helper's processes died with it" \
	eval "! pgrep -f '^$tmp/race' >/dev/null"

# ---- (2) a PID recorded in runtime state, now someone else's -------------

# A live process in a namespace of its own plays the container's init whose
# PID was recycled: config.v2.json names it, runc's state.json gives the
# start time the real init had. SandboxKey names a file that is not there
# (a netjoin that cannot see /run/docker/netns), so the PID is what counts.
unshare -n sleep 300 >/dev/null 2>&1 &
victim=$!
on_exit "kill $victim"
host_ino=$(stat -L -c %i /proc/self/ns/net)
for ((i = 0; i < 50; i++)); do
	v_ino=$(stat -L -c %i "/proc/$victim/ns/net" 2>/dev/null)
	[ -n "$v_ino" ] && [ "$v_ino" != "$host_ino" ] && break
	sleep 0.1
done
require "the victim has a namespace of its own" test "$v_ino" != "$host_ino"
v_start=$(awk '{print $22}' "/proc/$victim/stat")

hr=$tmp/root
# put NAME START: a running Docker container NAME whose init is $victim,
# with runc's record saying it started at START.
put() {
	local id c
	id=$(printf '%s' "$1" | sha256sum | cut -c1-64)
	c=$hr/var/lib/docker/containers/$id
	mkdir -p "$c" "$hr/run/docker/runtime-runc/moby/$id"
	jq -n --arg id "$id" --arg name "/$1" --argjson pid "$victim" '{
		ID: $id, Name: $name,
		State: {Running: true, Pid: $pid, StartedAt: "2024-01-01T00:00:00Z"},
		NetworkSettings: {SandboxKey: "/run/docker/netns/0123456789ab"}}' >"$c/config.v2.json"
	echo '{"NetworkMode": "bridge"}' >"$c/hostconfig.json"
	jq -n --arg id "$id" --argjson pid "$victim" --argjson start "$2" \
		'{id: $id, init_process_pid: $pid, init_process_start: $start}' \
		>"$hr/run/docker/runtime-runc/moby/$id/state.json"
	printf -v "id_$1" %s "$id"
}
id_recycled=''
put control "$v_start"
put recycled $((v_start + 1000))

# No socket under the root: Docker's state on disk is all there is.
# shellcheck disable=SC2317 # called through check_exit
nj() { env -u DOCKER_HOST "$NETJOIN" --host-root "$hr" "$@"; }

check_exit "control (right start time): -j docker:control" 0 nj -j docker:control
check_eq "control: the victim's namespace, through its PID" \
	"net:[$v_ino] pid=$victim source=disk joined=pidfd" \
	"$(jq -r '.target | "\(.netns) pid=\(.pid) source=\(.source) joined=\(.joined)"' <<<"$nj_out" 2>/dev/null)"
check_exit "control: a command runs there" 0 nj docker:control readlink /proc/self/ns/net
check_eq "control: the command saw the victim's namespace" "net:[$v_ino]" "$nj_out"

for t in docker:recycled recycled "$id_recycled" "${id_recycled:0:12}"; do
	rm -f "$tmp/ran"
	check_exit "recycled PID ($t): exit 6" 6 nj "$t" touch "$tmp/ran"
	err_line "recycled PID ($t): one netjoin: line"
	if grep -qiE 'reused|recycled|another process' <<<"$nj_err" && grep -q "$victim" <<<"$nj_err"; then
		ok "recycled PID ($t): says PID $victim was reused"
	else
		not_ok "recycled PID ($t): says PID $victim was reused"; printf '#   stderr: %s\n' "$nj_err"
	fi
	check "recycled PID ($t): the command never ran" test ! -e "$tmp/ran"
done
check_exit "recycled PID: -j lists nothing" 6 nj -j docker:recycled
check_eq "recycled PID: -j: nothing on stdout" "" "$nj_out"
check "the victim lives on (netjoin only looked)" kill -0 "$victim"

# ---- (3) netns:NAME deleted and made again while netjoin runs --------------

# A churner deletes and re-adds the name in a loop, logging each new
# namespace's inode. Between the two, /run/netns/NAME is missing (exit 3)
# or an empty file not yet bound (exit 1, not a namespace file); otherwise
# netjoin must be in one of the namespaces the name stood for, never ours.
X=$nj_id-x
mk_netns "$X"
touch "$tmp/churn.go"
(
	end=$((SECONDS + 30))
	while [ -e "$tmp/churn.go" ] && [ $SECONDS -lt $end ]; do
		ip netns del "$X" 2>/dev/null
		ip netns add "$X" 2>/dev/null && stat -L -c %i "/run/netns/$X" >>"$tmp/churn.inos"
	done
) &
churner=$!
on_exit "rm -f $tmp/churn.go; wait $churner"
stat -L -c %i "/run/netns/$X" >>"$tmp/churn.inos"
declare -A seen=()
bad=0 runs=0
end=$((SECONDS + 20))
while [ $runs -lt 300 ] && [ $SECONDS -lt $end ]; do
	out=$(timeout 10 "$NETJOIN" "netns:$X" readlink /proc/self/ns/net 2>"$tmp/nx.err")
	rc=$?
	runs=$((runs + 1))
	err=$(cat "$tmp/nx.err")
	case $rc in
	0) key="joined"; [ -z "$err" ] || key=bad ;;
	1 | 3) key="exit $rc"
		{ [[ $err == "netjoin: "* ]] && [ "$(wc -l <"$tmp/nx.err")" = 1 ] && [ -z "$out" ]; } || key=bad ;;
	*) key=bad ;;
	esac
	if [ "$key" = joined ]; then
		# checked once the churner is done: its log is complete then
		echo "$out" >>"$tmp/nx.joined"
	fi
	seen[$key]=$((${seen[$key]:-0} + 1))
	if [ "$key" = bad ] && [ $bad -lt 5 ]; then
		bad=$((bad + 1))
		printf '#   run %d: exit %s; stdout: %s; stderr: %s\n' "$runs" "$rc" "$out" "$err"
	fi
done
rm -f "$tmp/churn.go"
wait "$churner"
counts=$(for k in "${!seen[@]}"; do printf '%s=%s ' "$k" "${seen[$k]}"; done)
echo "# netns churn: $runs runs: $counts; $(wc -l <"$tmp/churn.inos") namespaces made"
check_eq "netns churn: every run joined, or failed in one clean line" 0 "${seen[bad]:-0}"
strays=$(sed 's/^net:\[\([0-9]*\)\]$/\1/' "$tmp/nx.joined" 2>/dev/null | sort -u |
	grep -vxFf "$tmp/churn.inos")
check_eq "netns churn: every join was into a namespace of that name" "" "$strays"
check "netns churn: never the host's namespace" \
	eval "! grep -qx 'net:\[$host_ino\]' $tmp/nx.joined 2>/dev/null"
check "netns churn: some runs joined (${seen[joined]:-0})" test "${seen[joined]:-0}" -gt 0
exit 0
