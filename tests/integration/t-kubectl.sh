#!/usr/bin/env bash
# sanitized: no
# The kubectl plugin, scripts/kubectl-netjoin, against a stub kubectl
# (stub-kubectl) that records every call and answers from
# tests/fixtures/kubectl: the exact calls, the debug pod deleted on
# success, failure and signals, exit statuses, --nodes -L's table and
# JSON, --capture's bytes unchanged on stdout (a kubectl exec, never
# kubectl logs), and make install. Needs neither root nor a cluster.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 182
need python3

plugin=$top/scripts/kubectl-netjoin
version=$(sed -n 's/^VERSION := //p' "$top/Makefile")
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
# Debian's python3 first: a pyenv shim costs 0.1 s a call.
py=$(command -v /usr/bin/python3 python3 | head -n 1)
mkdir "$tmp/bin"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$py" "$top/tests/integration/stub-kubectl" >"$tmp/bin/kubectl"
chmod +x "$tmp/bin/kubectl"
# Only the stub is reachable: never a real cluster.
unset KUBECTL KUBECTL_NETJOIN_IMAGE KUBECTL_NETJOIN_TIMEOUT "${!STUB_@}"
export PATH="$tmp/bin:$PATH" KUBECONFIG=/nonexistent
export STUB_LOG=$tmp/calls STUB_STATE=$tmp/state

# Forget the calls and debug pods of the last case.
fresh() {
	rm -rf "$STUB_STATE"
	mkdir "$STUB_STATE"
	: >"$STUB_LOG"
}
# call ARG...: ARG as the stub logs a call (shlex.join).
call() { "$py" -c 'import shlex, sys; print(shlex.join(sys.argv[1:]))' "$@"; }
# The calls so far; the long status query of the debug pod reads STATE
# (that it asks the right fields shows in the exit statuses below).
calls() { sed "s/'jsonpath={\.status\.phase}[^']*'/STATE/" "$STUB_LOG"; }
# Debug pods the stub still has.
pods_left() { find "$STUB_STATE" -name 'pod.*' -printf '%f\n' | sort; }
kn() { "$plugin" "$@"; }

dp=node-debugger-node-a-x7k2p
podq='jsonpath={.metadata.namespace}/{.spec.nodeName}'
nodesq='jsonpath={.items[*].metadata.name}'
# the calls of one debug pod on node-a that runs and ends: start, wait,
# output, exit status, delete; $1 is an extra flag for all of them
run_calls() {
	echo "${1:+$1 }get pod $dp -o STATE"
	call ${1:+"$1"} logs -f "$dp" -c debugger
	echo "${1:+$1 }get pod $dp -o STATE"
	call ${1:+"$1"} delete pod "$dp" --now --wait=false --ignore-not-found
}

# --- the script itself --------------------------------------------------
check "sh -n: POSIX shell syntax" sh -n "$plugin"
check "bash -n" bash -n "$plugin"
if command -v shellcheck >/dev/null; then
	check "shellcheck -s sh: clean" shellcheck -s sh "$plugin"
	check "shellcheck -s dash: clean" shellcheck -s dash "$plugin"
	check "shellcheck: the test is clean" shellcheck -x "$0"
else
	missing "shellcheck (to lint scripts/kubectl-netjoin)"
fi
check "the plugin is executable" test -x "$plugin"
check "the stub is executable" test -x "$top/tests/integration/stub-kubectl"
check_eq "the script's NETJOIN_VERSION is the Makefile's VERSION" "$version" \
	"$(sed -n 's/^NETJOIN_VERSION=\([^ ]*\).*/\1/p' "$plugin")"
check_eq "--version" "kubectl-netjoin $version" "$(kn --version)"
fresh
check_exit "--help exits 0" 0 kn --help
for opt in --namespace --image --context --kubeconfig --debug-namespace \
	--timeout --no-tty --verbose --nodes --selector --list --json --capture \
	KUBECTL_NETJOIN_IMAGE "netjoin:$version" "Exit status"; do
	check "--help mentions $opt" grep -qw -- "$opt" <<<"$nj_out"
done

# --- usage errors: exit 2, one line and a hint, no kubectl call ---------
fresh
check_exit "no POD: exit 2" 2 kn
check "no POD: says so" grep -q "^kubectl-netjoin: no POD given" <<<"$nj_err"
check_exit "a COMMAND without --: exit 2" 2 kn web ip a
check "a COMMAND without --: says where it goes" grep -q "COMMAND goes after --" <<<"$nj_err"
check_exit "--nodes without -L: exit 2" 2 kn --nodes
check_exit "-L without --nodes: exit 2" 2 kn -L
check_exit "--nodes -L with a POD: exit 2" 2 kn --nodes -L web
check_exit "an unknown option: exit 2" 2 kn --bogus web
check "an unknown option: names it and --help" \
	grep -q "unknown option --bogus" <<<"$nj_err"
check "an unknown option: points to --help" grep -q "kubectl netjoin --help" <<<"$nj_err"
check_exit "--timeout abc: exit 2" 2 kn --timeout abc web
check_exit "NS/NAME as POD: exit 2" 2 kn shop/web
check_exit "--image without a value: exit 2" 2 kn web --image
check_eq "usage errors call no kubectl" "" "$(calls)"

# --- a COMMAND, its arguments intact ------------------------------------
# shellcheck disable=SC2016 # not to expand: the arguments as typed
cmd=(sh -c 'printf "%s|" "$@"' 'a  b' "it's" '"q"' '' '$HOME *' $'two\tcols')
fresh
check_exit "-n shop web -- COMMAND: exit 0" 0 kn -n shop web -- "${cmd[@]}"
check_eq "the debug pod was deleted where it was made" "default/$dp" \
	"$(cat "$STUB_STATE/deleted" 2>/dev/null)"
check_eq "the exact calls: get pod, debug node/NODE, wait, logs, exit status, delete" \
	"$(
		call --namespace=shop get pod web -o "$podq"
		call debug node/node-a "--image=netjoin:$version" --profile=sysadmin \
			--attach=false -- netjoin --host-root /host pod:shop/web "${cmd[@]}"
		run_calls
	)" "$(calls)"
check_eq "the COMMAND's arguments reach netjoin intact (spaces, quotes, empty, tab)" \
	"ran: $(call netjoin --host-root /host pod:shop/web "${cmd[@]}")" "$nj_out"
check_eq "no debug pod is left" "" "$(pods_left)"
check_eq "nothing on stderr" "" "$nj_err"

# the pod's namespace comes from the pod object; context flags everywhere
fresh
STUB_CONTEXT_NS=shop check_exit "no -n: the context's namespace, exit 0" 0 \
	kn --context prod --kubeconfig=/etc/kc web
check "no -n: the target is pod:shop/web, from .metadata.namespace" \
	grep -q "pod:shop/web\$" "$STUB_LOG"
check_eq "no -n: no --namespace in any call" "0" "$(grep -c -- --namespace "$STUB_LOG")"
check_eq "--context and --kubeconfig are in every call (6)" "6" \
	"$(grep -c '^--context=prod --kubeconfig=/etc/kc ' "$STUB_LOG")"
check_eq "... and there are 6 calls" "6" "$(wc -l <"$STUB_LOG")"
check_eq "no debug pod is left" "" "$(pods_left)"

fresh
check_exit "--namespace=shop -a -j: exit 0" 0 kn --namespace=shop -a -j web
check "netjoin's own options are passed: netjoin --host-root /host --json -a pod:shop/web" \
	grep -qxF "$(call debug node/node-a "--image=netjoin:$version" --profile=sysadmin \
		--attach=false -- netjoin --host-root /host --json -a pod:shop/web)" "$STUB_LOG"

fresh
KUBECTL_NETJOIN_IMAGE=registry.example/netjoin:9 check_exit "KUBECTL_NETJOIN_IMAGE: exit 0" 0 \
	kn -n shop web
check "KUBECTL_NETJOIN_IMAGE is the image" grep -q -- "--image=registry.example/netjoin:9 " "$STUB_LOG"
fresh
KUBECTL_NETJOIN_IMAGE=registry.example/netjoin:9 check_exit "--image wins: exit 0" 0 \
	kn -n shop --image=other/netjoin:1 web
check "--image wins over KUBECTL_NETJOIN_IMAGE" grep -q -- "--image=other/netjoin:1 " "$STUB_LOG"

fresh
check_exit "--debug-namespace: exit 0" 0 kn -n shop --debug-namespace kube-debug web
check_eq "--debug-namespace: the debug pod's calls in kube-debug, the target's in shop" \
	"$(
		call --namespace=shop get pod web -o "$podq"
		call --namespace=kube-debug debug node/node-a "--image=netjoin:$version" \
			--profile=sysadmin --attach=false -- netjoin --host-root /host pod:shop/web
		run_calls --namespace=kube-debug
	)" "$(calls)"
check_eq "--debug-namespace: no debug pod is left" "" "$(pods_left)"

fresh
check_exit "-v: exit 0" 0 kn -v -n shop web
check "-v shows the kubectl commands on stderr" \
	grep -q "^kubectl-netjoin: + kubectl --namespace=shop get pod web" <<<"$nj_err"

# --- netjoin's exit status is ours --------------------------------------
fresh
STUB_EXIT=3 STUB_STDERR="netjoin: pod:shop/web: not found" \
	check_exit "netjoin exits 3 in the debug pod: exit 3" 3 kn -n shop web
check "... its message is shown (merged by kubectl logs)" \
	grep -q "^netjoin: pod:shop/web: not found" <<<"$nj_out"
check "... and the debug pod is deleted" grep -q "^delete pod $dp " "$STUB_LOG"
check_eq "... none is left" "" "$(pods_left)"
fresh
STUB_EXIT=42 check_exit "the COMMAND exits 42: exit 42" 42 kn -n shop web -- false
check_eq "... and the debug pod is deleted" "" "$(pods_left)"

fresh
STUB_PENDING=2 check_exit "ContainerCreating twice, then running: exit 0" 0 kn -n shop web
check_eq "... its status read until it runs (3 times), then logs" \
	"get pod $dp -o STATE|get pod $dp -o STATE|get pod $dp -o STATE|logs -f $dp -c debugger" \
	"$(calls | sed -n '3,6p' | paste -sd'|')"

fresh
STUB_WAIT_REASON=ImagePullBackOff check_exit "an image that cannot be pulled: exit 1" 1 \
	kn -n shop web
check "... says ImagePullBackOff and the image" \
	grep -q "kubectl-netjoin: debug pod $dp on node node-a cannot start: ImagePullBackOff.*netjoin:$version" <<<"$nj_err"
check "... follows no logs" sh -c "! grep -q '^logs' '$STUB_LOG'"
check "... deletes the debug pod" grep -q "^delete pod $dp " "$STUB_LOG"
check_eq "... none is left" "" "$(pods_left)"

fresh
KUBECTL_NETJOIN_TIMEOUT=1 STUB_WAIT_REASON=ContainerCreating \
	check_exit "KUBECTL_NETJOIN_TIMEOUT=1, never started: exit 1" 1 kn -n shop web
check "... says it did not start in 1s" grep -q "did not start in 1s (ContainerCreating)" <<<"$nj_err"
check_eq "... the debug pod is deleted" "" "$(pods_left)"

fresh
STUB_NO_EXIT=1 check_exit "no exit status reported: exit 1" 1 kn -n shop --timeout 2 web
check "... says so" grep -q "no exit status" <<<"$nj_err"
check_eq "... the debug pod is deleted" "" "$(pods_left)"

# --- kubectl debug fails: nothing to delete, nothing deleted ------------
fresh
STUB_DEBUG_FAIL=early check_exit "kubectl debug fails: exit 1" 1 kn -n shop web
check_eq "... calls: get pod, debug; no delete" \
	"$(
		call --namespace=shop get pod web -o "$podq"
		call debug node/node-a "--image=netjoin:$version" --profile=sysadmin \
			--attach=false -- netjoin --host-root /host pod:shop/web
	)" "$(calls)"
check "... kubectl's error is shown" grep -q "Forbidden" <<<"$nj_err"
check "... and ours" grep -q "^kubectl-netjoin: kubectl debug node/node-a failed" <<<"$nj_err"
fresh
STUB_DEBUG_FAIL=create check_exit "the named debug pod is refused (PodSecurity): exit 1" 1 kn -n shop web
check_eq "... no delete (a refused name may be another's pod)" "0" \
	"$(grep -c '^delete' "$STUB_LOG")"
check_eq "... no debug pod exists" "" "$(pods_left)"
check "... the refusal is shown" grep -q "violates PodSecurity" <<<"$nj_err"

# --- the target pod: not found, not scheduled ---------------------------
fresh
check_exit "a pod that does not exist: exit 3" 3 kn -n shop nosuch
check_eq "... one line, kubectl-netjoin: first" \
	'kubectl-netjoin: pod nosuch: Error from server (NotFound): pods "nosuch" not found' "$nj_err"
check_eq "... only the get pod call" "$(call --namespace=shop get pod nosuch -o "$podq")" "$(calls)"
fresh
check_exit "web in the context's namespace (default) does not exist: exit 3" 3 kn web
fresh
check_exit "a pod not scheduled on a node: exit 6" 6 kn -n shop queued
check_eq "... one line" \
	"kubectl-netjoin: pod shop/queued is not scheduled on a node (no spec.nodeName)" "$nj_err"
check_eq "... no debug call" "1" "$(wc -l <"$STUB_LOG")"

# --- signals: the debug pod is deleted, the exit status says which ------
# A background job of a script ignores SIGINT; env gives it back.
bg_plugin() { # WAIT_FOR ARG...: start kn in the background, until WAIT_FOR is logged
	local want=$1 i
	shift
	env --default-signal=INT,TERM,HUP "$plugin" "$@" >"$tmp/out" 2>"$tmp/err" &
	bg=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "$want" "$STUB_LOG" && return 0
		sleep 0.1
	done
	return 1
}
sig_rc() { # SIGNAL WAIT_FOR ARG...: kn's exit status after SIGNAL
	local s=$1
	shift
	bg_plugin "$@" || { kill "$bg"; wait "$bg"; return 255; }
	kill -"$s" "$bg"
	wait "$bg"
}
stub_pids_gone() { # the stub's blocked calls have all ended
	local p
	[ -s "$STUB_STATE/pids" ] || return 1
	while read -r p; do
		! kill -0 "$p" 2>/dev/null || return 1
	done <"$STUB_STATE/pids"
}
for s in INT:130 TERM:143 HUP:129; do
	fresh
	STUB_LOGS_SLEEP=60 sig_rc "${s%:*}" '^logs' -n shop web -- tcpdump -ni eth0
	check_eq "SIG${s%:*} while following the output: exit ${s#*:}" "${s#*:}" "$?"
	check_eq "... the last call deletes the debug pod" \
		"$(call delete pod "$dp" --now --wait=false --ignore-not-found)" "$(tail -n 1 "$STUB_LOG")"
	check_eq "... no debug pod is left" "" "$(pods_left)"
	check "... the blocked kubectl logs is gone" stub_pids_gone
done
fresh
STUB_DEBUG_SLEEP=2 sig_rc INT '^debug' -n shop web
check_eq "SIGINT while kubectl debug creates the pod: exit 130" 130 "$?"
check_eq "... the last call deletes its pod" \
	"$(call delete pod "$dp" --now --wait=false --ignore-not-found)" "$(tail -n 1 "$STUB_LOG")"
check_eq "... after kubectl debug was let finish creating it" "default/$dp" \
	"$(cat "$STUB_STATE/deleted" 2>/dev/null)"
check_eq "... no debug pod is left" "" "$(pods_left)"
check "... kubectl debug is gone" stub_pids_gone
check_eq "... nothing on stdout" "" "$(cat "$tmp/out")"
# --- on a terminal: kubectl attach -i -t --------------------------------
if command -v script >/dev/null; then
	# kn under a pseudo-terminal; its stdout and stderr end up in $tmp/tty
	tty_kn() {
		local c
		printf -v c '%q ' "$plugin" "$@"
		script -qec "$c" /dev/null </dev/null >"$tmp/tty" 2>&1
	}
	fresh
	tty_kn -n shop web -- sh
	check_eq "terminal + COMMAND: exit 0" 0 "$?"
	check_eq "terminal + COMMAND: debug --stdin --tty, attach -i -t, no logs" \
		"$(
			call --namespace=shop get pod web -o "$podq"
			call debug node/node-a "--image=netjoin:$version" --profile=sysadmin \
				--attach=false --stdin --tty -- netjoin --host-root /host pod:shop/web sh
			echo "get pod $dp -o STATE"
			call attach "$dp" -c debugger -i -t -q
			echo "get pod $dp -o STATE"
			call delete pod "$dp" --now --wait=false --ignore-not-found
		)" "$(calls)"
	check_eq "terminal + COMMAND: attach gets the terminal" "stdin=True stdout=True" \
		"$(cat "$STUB_STATE/attach.tty" 2>/dev/null)"
	check "terminal + COMMAND: the session's output is shown" grep -q "ran: netjoin" "$tmp/tty"
	fresh
	tty_kn -T -n shop web -- sh
	check "-T on a terminal: no --stdin --tty, kubectl logs -f" \
		sh -c "grep -q '^logs -f ' '$STUB_LOG' && ! grep -q -- '--tty' '$STUB_LOG'"
	fresh
	script -qec "$(printf '%q ' "$plugin" -n shop web -- sh) >$tmp/o" /dev/null </dev/null >/dev/null 2>&1
	check "a terminal on stdin only: no --stdin --tty, kubectl logs -f" \
		sh -c "grep -q '^logs -f ' '$STUB_LOG' && ! grep -q -- '--tty' '$STUB_LOG'"
	fresh
	tty_kn -n shop web
	check "terminal, no COMMAND: a listing, kubectl logs -f, no TTY" \
		sh -c "grep -q '^logs -f ' '$STUB_LOG' && ! grep -q -- '--tty' '$STUB_LOG'"
	fresh
	STUB_ATTACH_FAIL=1 STUB_EXIT=7 tty_kn -n shop web -- sh
	check_eq "attach fails (already completed): its exit status 7" 7 "$?"
	check "... falls back to kubectl logs after attach" \
		sh -c "grep -A1 '^attach ' '$STUB_LOG' | grep -q '^logs $dp -c debugger'"
	check_eq "... no debug pod is left" "" "$(pods_left)"
	fresh
	STUB_FINISHED=1 tty_kn -n shop web -- true
	check "ended before the first look: logs, no attach" \
		sh -c "grep -q '^logs -f ' '$STUB_LOG' && ! grep -q '^attach' '$STUB_LOG'"
else
	# the eleven checks above
	for _ in $(seq 1 11); do missing "script (util-linux) for a pseudo-terminal"; done
fi

# --- --capture: the node's pcapng on stdout, byte for byte --------------
# every byte value, CR, LF, CRLF, NUL and 0xff runs, and 4 MiB more
"$py" -c '
import random, sys
b = bytes(range(256)) + b"\r\n\n\r\x00\x00\xff\xff\r" + random.Random(16).randbytes(4 << 20) + b"\n\r\n"
open(sys.argv[1], "wb").write(b)' "$tmp/cap.bin"
capsh=(sh -c 'echo $$ >/tmp/netjoin-capture.pid && exec "$@"' sh)
filter="tcp port 80 and host '10.0.0.1'"
fresh
STUB_CAPTURE=$tmp/cap.bin STUB_STDERR="netjoin: listening on pod:shop/web:eth0" \
	"$plugin" -n shop web --capture -i eth0 -f "$filter" -c 100 --duration=30 \
	>"$tmp/cap.out" 2>"$tmp/cap.err"
check_eq "--capture > FILE: exit 0" 0 "$?"
check "... the $(wc -c <"$tmp/cap.bin") bytes arrive unchanged (NUL, CR, LF, 0xff)" \
	cmp "$tmp/cap.bin" "$tmp/cap.out"
check_eq "... the exact calls: get pod, debug node/NODE sleeping, wait, exec netjoin --capture, delete" \
	"$(
		call --namespace=shop get pod web -o "$podq"
		call debug node/node-a "--image=netjoin:$version" --profile=sysadmin \
			--attach=false -- sleep infinity
		echo "get pod $dp -o STATE"
		call exec "$dp" -c debugger -- "${capsh[@]}" netjoin --host-root /host \
			--capture -i eth0 -f "$filter" -c 100 --duration 30 pod:shop/web
		call delete pod "$dp" --now --wait=false --ignore-not-found
	)" "$(calls)"
check_eq "... the debug pod is deleted" "default/$dp" "$(cat "$STUB_STATE/deleted" 2>/dev/null)"
check_eq "... netjoin's messages on stderr, not in the file" \
	"netjoin: listening on pod:shop/web:eth0" "$(cat "$tmp/cap.err")"
fresh
STUB_EXIT=5 check_exit "netjoin --capture exits 5 on the node: exit 5" 5 \
	kn -n shop web --capture
check_eq "... no debug pod is left" "" "$(pods_left)"
fresh
check_exit "--capture, stdout a terminal: refused, exit 2" 2 \
	script -qec "$(printf '%q ' "$plugin") -n shop web --capture" /dev/null
check "... saying why" grep -q "refusing to write capture data to a terminal" <<<"$nj_out"
check_eq "... before any kubectl call" "" "$(cat "$STUB_LOG")"
check_exit "--capture -w FILE: exit 2 (it would write on the node)" 2 kn -n shop web --capture -w x.pcapng
check_exit "--capture -- COMMAND: exit 2" 2 kn -n shop web --capture -- ls
check_exit "-f without --capture: exit 2" 2 kn -n shop web -f udp
# SIGINT: passed on to netjoin, which ends the file whole
head -c 100000 "$tmp/cap.bin" >"$tmp/cap.head"
printf 'its statistics blocks\0\377' >"$tmp/cap.tail"
fresh
STUB_CAPTURE=$tmp/cap.head STUB_CAPTURE_TAIL=$tmp/cap.tail \
	sig_rc INT '^exec' -n shop web --capture
check_eq "SIGINT mid-capture: exit 130" 130 "$?"
# shellcheck disable=SC2016 # the debug pod's shell expands it
check "... netjoin was sent SIGINT in the debug pod" grep -qxF \
	"$(call exec "$dp" -c debugger -- sh -c 'kill -INT "$(cat /tmp/netjoin-capture.pid)"')" "$STUB_LOG"
check "... and its stream read to its end: the file is whole" \
	sh -c "cat '$tmp/cap.head' '$tmp/cap.tail' | cmp - '$tmp/out'"
check_eq "... then the debug pod is deleted" \
	"$(call delete pod "$dp" --now --wait=false --ignore-not-found)" "$(tail -n 1 "$STUB_LOG")"
check "... the capture's kubectl exec is gone" stub_pids_gone

# --- --nodes -L ---------------------------------------------------------
rows() { # fixture rows of a node, without the header
	tail -n +2 "$top/tests/fixtures/kubectl/netjoin-L.$1.txt"
}
# --parallel 1: one node after another, so that the calls come in order
fresh
check_exit "--nodes -L --parallel 1: exit 0" 0 kn --nodes -L --parallel 1
table=$nj_out
check "--nodes -L: one header, NODE first, then netjoin's" \
	grep -qx "NODE   $(head -n 1 "$top/tests/fixtures/kubectl/netjoin-L.node-a.txt")" <<<"$(head -n 1 <<<"$table")"
check_eq "--nodes -L: one header line" 1 "$(grep -c NETNS <<<"$table")"
check_eq "--nodes -L: every node's rows, NODE in front" \
	"$(for n in node-a node-b node-c; do rows $n | sed "s/^/$n /"; done)" \
	"$(tail -n +2 <<<"$table")"
check_eq "--nodes -L: NETNS starts in one column on every line" 1 \
	"$(awk '{ print index($0, ($0 ~ /^NODE/) ? "NETNS" : "net:[") }' <<<"$table" | sort -u | wc -l)"
check_eq "--nodes -L: calls: get nodes, then per node debug ... delete (16)" \
	"$(
		call get nodes -o "$nodesq"
		for n in node-a node-b node-c; do
			call debug "node/$n" "--image=netjoin:$version" --profile=sysadmin \
				--attach=false -- netjoin --host-root /host -L
			echo "get pod node-debugger-$n-x7k2p -o STATE"
			call logs -f "node-debugger-$n-x7k2p" -c debugger
			echo "get pod node-debugger-$n-x7k2p -o STATE"
			call delete pod "node-debugger-$n-x7k2p" --now --wait=false --ignore-not-found
		done
	)" "$(calls)"
check_eq "--nodes -L: no debug pod is left" "" "$(pods_left)"

fresh
STUB_EXIT_node_b=1 STUB_STDERR_node_b="netjoin: cannot read /host/proc: No such file or directory" \
	STUB_DEBUG_FAIL_node_c=early check_exit "--nodes -L, node-b's netjoin fails, node-c's debug: exit 1" 1 \
	kn --nodes -L
check_eq "... node-a's rows are listed, none of the others" \
	"$(rows node-a | sed "s/^/node-a /")" "$(tail -n +2 <<<"$nj_out")"
check "... node-a is listed with its header" grep -q "^NODE   NETNS" <<<"$nj_out"
check "... node-b's netjoin message goes to stderr, with the node" \
	grep -q "^kubectl-netjoin: node node-b: netjoin: cannot read /host/proc" <<<"$nj_err"
check "... node-b's failure is named" grep -q "^kubectl-netjoin: node node-b: netjoin exited 1" <<<"$nj_err"
check "... node-c's failure is named" grep -q "^kubectl-netjoin: node node-c: kubectl debug failed" <<<"$nj_err"
check "... the summary" grep -q "^kubectl-netjoin: 2 of 3 nodes failed: node-b node-c" <<<"$nj_err"
check_eq "... node-a's and node-b's debug pods deleted, node-c had none" \
	"node-debugger-node-a-x7k2p node-debugger-node-b-x7k2p" \
	"$(sed -n 's/^delete pod \([^ ]*\) .*/\1/p' "$STUB_LOG" | sort | paste -sd' ')"
check_eq "... no debug pod is left" "" "$(pods_left)"

fresh
check_exit "--nodes -L -l SELECTOR: exit 0" 0 kn --nodes -L -l node-role.kubernetes.io/control-plane
check_eq "... passes the selector to get nodes" \
	"$(call get nodes --selector=node-role.kubernetes.io/control-plane -o "$nodesq")" \
	"$(head -n 1 "$STUB_LOG")"
check_eq "... lists the matching node only" \
	"$(rows node-a | sed "s/^/node-a /")" "$(tail -n +2 <<<"$nj_out")"
fresh
check_exit "--nodes -L -l matching nothing: exit 3" 3 kn --nodes -L -l nosuch=label
check "... says no nodes" grep -q "^kubectl-netjoin: no nodes match nosuch=label" <<<"$nj_err"

# JSON: an array of {"node", "namespaces", ...}
json_valid() { "$py" -m json.tool >/dev/null; }
json_check() { # PYTHON-EXPRESSION over d (the document) and fx(node) (a fixture)
	"$py" -c '
import json, sys
d = json.loads(sys.stdin.read())
fx = lambda n: json.load(open(sys.argv[2] + "/netjoin-L-j." + n + ".json"))
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" "$top/tests/fixtures/kubectl"
}
fresh
check_exit "--nodes -j -L: exit 0" 0 kn --nodes -j -L
check "--nodes -j -L: valid JSON (python3 -m json.tool)" json_valid <<<"$nj_out"
check "--nodes -j -L: an array of node-a, node-b, node-c" \
	json_check '[e["node"] for e in d] == ["node-a", "node-b", "node-c"]' <<<"$nj_out"
check "--nodes -j -L: each node's namespaces are its netjoin -L -j's, node first" \
	json_check 'all(list(e) == ["node", "namespaces"] and e["namespaces"] == fx(e["node"])["namespaces"] for e in d)' <<<"$nj_out"
if command -v jq >/dev/null; then
	check_eq "--nodes -j -L: jq reads it: the pods' targets" \
		"pod:shop/web pod:kube-system/coredns-7db6d8ff4d-xk2pq pod:default/api-6f9c8b7d5-q8m2z" \
		"$(jq -r '[.[].namespaces[].target | select(startswith("pod:"))] | join(" ")' <<<"$nj_out")"
else
	missing "jq, to read --nodes -j -L"
fi
fresh
STUB_EXIT_node_b=1 STUB_STDERR_node_b="netjoin: cannot read /host/proc: No such file or directory" \
	check_exit "--nodes -jL, node-b fails: exit 1" 1 kn --nodes -jL
check "... still valid JSON" json_valid <<<"$nj_out"
check "... node-b: namespaces [] and its error" \
	json_check 'd[1] == {"node": "node-b", "namespaces": [], "error": "netjoin exited 1"}' <<<"$nj_out"
check "... node-a and node-c listed" \
	json_check 'd[0]["namespaces"] == fx("node-a")["namespaces"] and d[2]["namespaces"] == fx("node-c")["namespaces"]' <<<"$nj_out"
check "... node-b's message on stderr, not in the JSON" \
	grep -q "^kubectl-netjoin: node node-b: netjoin: cannot read" <<<"$nj_err"
check_eq "... no debug pod is left" "" "$(pods_left)"

# --- make install / uninstall -------------------------------------------
if [ -x "$NETJOIN" ]; then
	inst=$tmp/inst
	make -s -C "$top" install DESTDIR="$inst" PREFIX=/usr >"$tmp/make.log" 2>&1
	# on users' PATH (kubectl looks there), where netjoin's sbin is not
	check "make install: usr/bin/kubectl-netjoin, executable" test -x "$inst/usr/bin/kubectl-netjoin"
	check "make install: netjoin itself in usr/sbin" test -x "$inst/usr/sbin/netjoin"
	check_eq "the installed plugin has the Makefile's VERSION" "kubectl-netjoin $version" \
		"$("$inst/usr/bin/kubectl-netjoin" --version 2>&1)"
	fresh
	check_exit "the installed plugin runs" 0 "$inst/usr/bin/kubectl-netjoin" -n shop web
	check "... with the default image netjoin:VERSION" grep -q -- "--image=netjoin:$version " "$STUB_LOG"
	make -s -C "$top" uninstall DESTDIR="$inst" PREFIX=/usr >>"$tmp/make.log" 2>&1
	check "make uninstall removes it" test ! -e "$inst/usr/bin/kubectl-netjoin"
else
	missing "$NETJOIN not built (for make install)"
fi
