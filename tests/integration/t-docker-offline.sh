#!/usr/bin/env bash
# netjoin against Docker containers when the Engine API cannot tell: the
# daemon stopped (its containers live on, --live-restore), frozen (accepts
# connections, never answers), or replaced by something answering garbage.
# netjoin must then read Docker's own state on disk, as the contract says:
#   /var/lib/docker/containers/<id>/config.v2.json  ID, Name ("/web"),
#       State.Running, State.Pid, NetworkSettings.SandboxKey
#       (<exec-root>/netns/<key>; dockerd's data root is ours, bound there
#       by nj_view; the key path is kept as dockerd wrote it)
#   /var/lib/docker/containers/<id>/hostconfig.json  NetworkMode ("default"
#       for the bridge, "host", "container:<full id>")
#   /run/docker/runtime-runc/moby/<id>/state.json    runc's state (start time)
# A stopped dockerd with live-restore leaves all of these in place, with
# State.Running true and the netns bind mounts mounted; it removes its
# socket and pidfile.
#
# The engine is scripts/docker-offline-up.sh's, not docker-up.sh's: it
# needs --live-restore, and this test stops and freezes its dockerd.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 58
here=$top/tests/integration
docker=/usr/bin/docker # /usr/local/bin/docker may be a newer, other CLI
image=netjoin-test/busybox:latest
compare=$here/ipjson_compare.py
run=/run/netjoin-test-offline
data=/var/lib/netjoin-test-offline
sock=$run/docker.sock

need_root
{ [ -x "$docker" ] && [ -x /usr/sbin/dockerd ]; } || skip_all "docker.io not installed"
need nsenter
need jq
need curl
need python3
need unshare
need timeout
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

ping_ok() { curl -fsS --max-time 2 --unix-socket "$sock" http://docker/_ping >/dev/null 2>&1; }

# Cleanup, last in first out: resume a frozen dockerd, start it again if
# the test stopped it, remove our containers, and stop the engine if this
# test started it.
if ! ping_ok; then
	on_exit "$top/scripts/docker-offline-down.sh"
fi
on_exit "$docker ps -aq --filter name=^$nj_id- | xargs -r $docker rm -f"
on_exit "$top/scripts/docker-offline-up.sh"
on_exit "[ -s $run/docker.pid ] && kill -CONT \$(cat $run/docker.pid)"
if ! up=$("$top"/scripts/docker-offline-up.sh 2>"$tmp/up.err"); then
	sed 's/^/#   /' "$tmp/up.err"
	skip_all "cannot start the private dockerd (live-restore)"
fi
export "${up?}" # DOCKER_HOST, for the docker CLI; netjoin gets its own

# netjoin sees the engine's data root and exec root at Docker's defaults.
nj_view_bind "$data/docker" /var/lib/docker
nj_view_bind "$run/docker" /run/docker
# nj [VAR=VALUE...] ARGS: netjoin in that view, DOCKER_HOST=$nj_host.
nj_host=unix://$sock
nj() { DOCKER_HOST=$nj_host nj_view "$NETJOIN" "$@"; }

# --- helpers -----------------------------------------------------------

pid_of() { $docker inspect -f '{{.State.Pid}}' "$1"; }
id_of() { $docker inspect -f '{{.Id}}' "$1"; }
netns_of() { echo "net:[$(stat -L -c %i "/proc/$1/ns/net")]"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

run_c() {
	local name=$1; shift
	$docker run -d --name "$name" "$@" >/dev/null 2>"$tmp/run.err" ||
		{ sed 's/^/#   /' "$tmp/run.err"; return 1; }
}

settle() { nj_settle nsenter -n -t "$1" ip; }

# json_ifaces DESC TARGET PID: `netjoin -j TARGET`.interfaces equals
# `ip -j addr` in PID's netns. Keeps netjoin's stdout in $tmp/nj.json.
json_ifaces() { ip_json_same "$1" nj -j "$2" -- nsenter -n -t "$3" ip -j addr; }

target_of() {
	nj -j "$1" 2>/dev/null | jq -r '.target |
		"kind=\(.kind) runtime=\(.runtime) id=\(.id) name=\(.name) pid=\(.pid) netns=\(.netns) source=\(.source)"'
}
# target_want NAME ID PID: what .target must say, from values read while
# the daemon still answered.
target_want() {
	echo "kind=container runtime=docker id=$2 name=$1 pid=$3 netns=$(netns_of "$3") source=disk"
}


err_grep=(-i -E) # err_has (lib.sh): any case, extended regular expressions

# nj_timed ARGS...: netjoin ARGS in the view under `timeout 15`; sets
# $nj_rc, $nj_out (stdout), $nj_err (stderr) and $nj_ms (elapsed).
nj_timed() {
	local t0
	t0=$(now_ms)
	nj_out=$(DOCKER_HOST=$nj_host nj_view timeout 15 "$NETJOIN" "$@" 2>"$tmp/err")
	nj_rc=$?
	nj_ms=$(($(now_ms) - t0))
	nj_err=$(cat "$tmp/err")
}

# timed DESC MAX_MS CODE ARGS...: nj_timed ARGS exits CODE within MAX_MS.
timed() {
	local desc=$1 max=$2 want=$3; shift 3
	nj_timed "$@"
	if [ "$nj_rc" = "$want" ] && [ "$nj_ms" -le "$max" ]; then
		ok "$desc: exit $want in ${nj_ms} ms"
	else
		not_ok "$desc: exit $want within $max ms"
		printf '#   exit %s after %s ms%s; stderr: %s\n' "$nj_rc" "$nj_ms" \
			"$([ "$nj_rc" = 124 ] && echo ' (timeout 15 fired)')" "$nj_err"
	fi
}

# --- containers --------------------------------------------------------

web=$nj_id-web         # default bridge, serves /www on $port
hnet=$nj_id-hnet       # --network host
share=$nj_id-share     # --network container:$web
exited=$nj_id-exited   # ran, exited
created=$nj_id-created # never started
port=18082

run_c "$web" "$image" httpd -f -p "$port" -h /www || skip_all "cannot run containers"
run_c "$hnet" --network host "$image" sleep 3600
run_c "$share" --network "container:$web" "$image" sleep 3600
$docker run --name "$exited" "$image" true >/dev/null 2>&1
$docker create --name "$created" "$image" sleep 3600 >/dev/null 2>&1

settle "$(pid_of "$web")"
web_id=$(id_of "$web") web_pid=$(pid_of "$web")
hnet_pid=$(pid_of "$hnet")
share_pid=$(pid_of "$share")
exited_id=$(id_of "$exited")
web_netns=$(netns_of "$web_pid")
host_netns=net:[$(stat -L -c %i /proc/self/ns/net)]
short=${web_id:0:12}
[[ $short == *[a-f]* ]] || short=docker:$short

# --- (a) dockerd stopped; live-restore keeps the containers ------------

# A zombie (init has not reaped it yet) counts as gone.
running() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${st#Z}" = "$st" ]
}
dpid=$(cat "$run/docker.pid")
kill -TERM "$dpid"
for ((i = 0; i < 300; i++)); do running "$dpid" || break; sleep 0.1; done
check "stopped: dockerd is gone" eval "! running $dpid"
check "stopped: containers live on" kill -0 "$web_pid" "$hnet_pid" "$share_pid"
check "stopped: no socket left" test ! -e "$sock"
check_eq "stopped: config.v2.json still says running, with the pid" "true $web_pid" \
	"$(jq -r '"\(.State.Running) \(.State.Pid)"' "$data/docker/containers/$web_id/config.v2.json")"

for t in "$web" "$web_id" "$short" "docker:$web" "/$web"; do
	json_ifaces "stopped: -j $t: interfaces as ip -j addr" "$t" "$web_pid"
	check_eq "stopped: -j $t: .target" "$(target_want "$web" "$web_id" "$web_pid")" "$(target_of "$t")"
done
want=$(nsenter -n -t "$web_pid" ip -br addr)
check_eq "stopped: $web ip -br addr runs inside" "$want" "$(nj "$web" ip -br addr)"

timed "stopped: -v $web" 2000 0 -v "$web"
err_has "stopped: -v says on-disk state" 'on-disk' 'disk'
err_has "stopped: -v names the socket" "$sock"

check_eq "stopped: --network host: host's netns" "$host_netns" \
	"$(nj -j "$hnet" | jq -r .target.netns)"
note=$(nj -j "$hnet" 2>/dev/null | jq -r '.target.note // empty')
if grep -qi host <<<"${note//$hnet/}"; then ok "stopped: --network host: note mentions host"; else
	not_ok "stopped: --network host: note mentions host"; printf '#   note: %s\n' "$note"
fi
check_eq "stopped: --network container:web: web's netns" "$web_netns" \
	"$(nj -j "$share" | jq -r .target.netns)"
check_eq "stopped: --network container:web: reaches web's httpd" "netjoin-test" \
	"$(nj "$share" curl -sS --max-time 5 "http://127.0.0.1:$port/" 2>&1)"

check_exit "stopped: exited container: exit 6" 6 nj "$exited"
err_line "stopped: exited container: one netjoin: line"
check_exit "stopped: exited container by ID: exit 6" 6 nj "$exited_id"
check_exit "stopped: never started container: exit 6" 6 nj "docker:$created"
check_exit "stopped: unknown name: exit 3" 3 nj "$nj_id-nosuch"
err_line "stopped: unknown name: one netjoin: line"
check_exit "stopped: unknown docker:name: exit 3" 3 nj "docker:$nj_id-nosuch"

# A socket file nobody listens on (what a killed dockerd leaves): refused.
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/dead.sock"
nj_host=unix://$tmp/dead.sock
timed "refused: -v $web" 2000 0 -v -j "$web"
check_eq "refused: .target from disk" "$(target_want "$web" "$web_id" "$web_pid")" \
	"$(printf '%s\n' "$nj_out" | jq -r '.target |
		"kind=\(.kind) runtime=\(.runtime) id=\(.id) name=\(.name) pid=\(.pid) netns=\(.netns) source=\(.source)"')"
err_has "refused: -v names the socket" "$tmp/dead.sock"
# Docker's data root is there and has no such container: not found, as
# with a missing socket, whatever the API's trouble.
timed "refused: unknown name: exit 3" 2000 3 "$nj_id-nosuch"
err_line "refused: unknown name: one netjoin: line"
timed "refused: exited container: exit 6" 2000 6 "$exited"
nj_host=unix://$sock

# --- (b) dockerd running but frozen (SIGSTOP) --------------------------

if ! "$top"/scripts/docker-offline-up.sh >/dev/null 2>"$tmp/up.err"; then
	sed 's/^/#   /' "$tmp/up.err"
	not_ok "dockerd restarts after the stop"
else
	ok "dockerd restarts after the stop"
	check_eq "live-restore: $web kept its pid" "$web_pid" "$(pid_of "$web")"
	dpid=$(cat "$run/docker.pid")
	kill -STOP "$dpid"
	check_eq "frozen: dockerd is stopped (T)" T "$(ps -o stat= -p "$dpid" | cut -c1)"

	# The contract's limit is 3 s; allow scheduling slack, not a second try.
	timed "frozen: -v -j $web answers from disk" 6000 0 -v -j "$web"
	printf '%s\n' "$nj_out" >"$tmp/nj.json"
	nsenter -n -t "$web_pid" ip -j addr >"$tmp/ip.json"
	if python3 "$compare" "$tmp/nj.json" "$tmp/ip.json" >"$tmp/diff" 2>&1; then
		ok "frozen: interfaces as ip -j addr"
	else
		not_ok "frozen: interfaces as ip -j addr"; sed 's/^/#   /' "$tmp/diff"
	fi
	check_eq "frozen: .target from disk" "$(target_want "$web" "$web_id" "$web_pid")" \
		"$(jq -r '.target |
			"kind=\(.kind) runtime=\(.runtime) id=\(.id) name=\(.name) pid=\(.pid) netns=\(.netns) source=\(.source)"' \
			"$tmp/nj.json" 2>/dev/null)"
	if [ "$nj_ms" -ge 2500 ]; then ok "frozen: waited for the API (${nj_ms} ms, limit 3 s)"; else
		not_ok "frozen: waited for the API"; printf '#   only %s ms: was the API asked?\n' "$nj_ms"
	fi
	err_has "frozen: -v says the API did not answer" \
		'not answer' 'no answer' 'timed? ?out' 'timeout' 'did not respond' 'no response'
	err_has "frozen: -v names the socket" "$sock"
	err_has "frozen: -v says on-disk state" 'on-disk' 'disk'

	timed "frozen: exited container: exit 6" 6000 6 "$exited"
	err_line "frozen: exited container: one netjoin: line"
	timed "frozen: unknown name: exit 3" 6000 3 "$nj_id-nosuch"
	err_line "frozen: unknown name: one netjoin: line"
	timed "frozen: $web ip -br addr runs inside" 6000 0 "$web" ip -br addr
	check_eq "frozen: $web ip -br addr output" "$want" "$nj_out"

	kill -CONT "$dpid"
	for ((i = 0; i < 50; i++)); do ping_ok && break; sleep 0.1; done
	check "frozen: dockerd answers again after SIGCONT" ping_ok
fi

# --- (c) something answers garbage on the socket -----------------------

# garbage_server PATH MODE: a unix socket server that answers every request
# with MODE's reply and stops by itself after 60 s.
garbage_server() {
	python3 - "$1" "$2" <<'EOF' &
import socket, sys, time
path, mode = sys.argv[1], sys.argv[2]
replies = {
    "binary": b"\x00\xffnot http at all\r\n\r\n",
    "html": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            b"Content-Length: 21\r\nConnection: close\r\n\r\n<html>garbage</html>",
    "badjson": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
               b"Content-Length: 16\r\nConnection: close\r\n\r\n{\"Id\": [1, 2, {",
}
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(8)
s.settimeout(1)
end = time.time() + 60
while time.time() < end:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    c.settimeout(2)
    try:
        c.recv(65536)
        c.sendall(replies[mode])
    except OSError:
        pass
    c.close()
EOF
	on_exit "kill $!"
	for ((i = 0; i < 50; i++)); do [ -S "$1" ] && return 0; sleep 0.1; done
	return 1
}

# Either netjoin falls back to disk (exit 0, the right netns), or it fails
# with one clear line naming the socket (exit 1); never a hang, never a
# wrong answer.
for mode in binary html badjson; do
	gsock=$tmp/$mode.sock
	if ! garbage_server "$gsock" "$mode"; then not_ok "garbage ($mode): server up"; continue; fi
	nj_host=unix://$gsock
	nj_timed -j "$web"
	if [ "$nj_rc" = 124 ] || [ "$nj_ms" -gt 6000 ]; then
		not_ok "garbage ($mode): ends within 6 s"
		printf '#   exit %s after %s ms; stderr: %s\n' "$nj_rc" "$nj_ms" "$nj_err"
	else
		ok "garbage ($mode): ends within 6 s (exit $nj_rc, $nj_ms ms)"
	fi
	if [ "$nj_rc" = 0 ] &&
		[ "$(printf '%s\n' "$nj_out" | jq -r .target.netns 2>/dev/null)" = "$web_netns" ]; then
		ok "garbage ($mode): fell back to disk: web's netns"
	elif [ "$nj_rc" = 1 ] && [ -z "$nj_out" ] &&
		grep -q "^netjoin: .*$gsock" <<<"$nj_err" &&
		[ "$(printf '%s\n' "$nj_err" | wc -l)" = 1 ]; then
		ok "garbage ($mode): exit 1, one netjoin: line naming the socket"
	else
		not_ok "garbage ($mode): disk fallback, or exit 1 with one line naming the socket"
		printf '#   exit %s; stdout: %s\n#   stderr: %s\n' "$nj_rc" \
			"$(printf '%s' "$nj_out" | head -c 300)" "$nj_err"
	fi
done
nj_host=unix://$sock
