#!/usr/bin/env bash
# Start a private containerd with its CRI plugin on, the kubelet's side of
# Kubernetes for tests/integration/t-cri.sh, and print on stdout
#   CRI_ADDRESS=/run/netjoin-test-cri/containerd/containerd.sock
#   CRI_BRIDGE=njcri0
#   CRI_SUBNET=198.18.N.0/24
#   CRI_IMAGE=docker.io/netjoin-test/pause:1
# Idempotent: when it already answers, only prints. Stop it with
# scripts/cri-down.sh.
#
# Apart from scripts/containerd-up.sh's engine (which has the CRI plugin off
# and is shared with the private dockerd), with its own root, state, socket
# and config. Pods are wired by Debian's CNI plugins (bridge, host-local,
# loopback) on a bridge of our own with a subnet the host does not route;
# the bridge gets no address, so the plugin neither adds a host route nor
# turns on ip_forward (isGateway would). What stays outside our roots, as on
# every node: the pods' pinned namespaces in /var/run/netns/cni-<uuid>
# (removed by RemovePodSandbox), the shims' sockets in /run/containerd/s,
# and libcni's result cache in /var/lib/cni (entries go with each pod).
# The sandbox ("pause") image is busybox whose entrypoint sleeps, built
# from scripts/mkimage.sh's rootfs and imported without a registry.
set -eu

run=/run/netjoin-test-cri
data=/var/lib/netjoin-test-cri
state=$run/containerd
sock=$state/containerd.sock
bridge=njcri0
image=docker.io/netjoin-test/pause:1

here=$(cd "$(dirname "$0")" && pwd)
me="cri-up"
# shellcheck source-path=SCRIPTDIR source=daemon.sh
. "$here"/daemon.sh
say() { echo "$me: $*" >&2; }
# A half-started engine is worse than none: take it down on failure.
fail() { say "$@"; "$here"/cri-down.sh >&2 || true; exit 1; }

report() {
	echo "CRI_ADDRESS=$sock"
	echo "CRI_BRIDGE=$bridge"
	echo "CRI_SUBNET=$(cat "$run/subnet")"
	echo "CRI_IMAGE=$image"
}

if alive "$run/containerd.pid" && ctrd_answers "$sock" && [ -s "$run/subnet" ]; then
	report
	exit 0
fi

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }
"$here"/deps.sh --it >&2

mkdir -p "$run" "$data" "$run/net.d"
chmod 700 "$run" "$data"

# Outside our roots: remember what does not exist yet, for cri-down.
if [ ! -f "$run/created" ]; then
	for d in /run/containerd/s /run/containerd /var/lib/cni/results /var/lib/cni; do
		[ -e "$d" ] || echo "$d"
	done >"$run/created"
fi

# The bridge is made here, not by the plugin, so that cri-down removes only
# a bridge of ours.
if [ ! -f "$run/bridge.ours" ]; then
	if ip link show "$bridge" >/dev/null 2>&1; then
		say "a bridge $bridge exists and is not ours; remove it or stop its owner"
		exit 1
	fi
	ip link add "$bridge" type bridge || fail "cannot add bridge $bridge"
	: >"$run/bridge.ours"
	ip link set "$bridge" up
fi

# A /24 of 198.18.0.0/15 (RFC 2544, benchmarking) that the host neither
# routes nor holds an address in; NETJOIN_CRI_SUBNET picks another.
free24() {
	! ip -4 route show match "${1%/*}" | grep -qv '^default' &&
		! ip -4 -o addr show | grep -qF " inet ${1%.*}."
}
if [ ! -s "$run/subnet" ]; then
	subnet=${NETJOIN_CRI_SUBNET:-}
	if [ -z "$subnet" ]; then
		for n in $(seq 200 254); do
			free24 "198.18.$n.0/24" && { subnet=198.18.$n.0/24; break; }
		done
	fi
	if [ -z "$subnet" ] || ! free24 "$subnet"; then
		fail "no free /24 for the pods (${subnet:-198.18.200-254.0/24} in use); set NETJOIN_CRI_SUBNET"
	fi
	echo "$subnet" >"$run/subnet"
fi
subnet=$(cat "$run/subnet")

cat >"$run/net.d/10-netjoin-cri.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "netjoin-cri",
  "plugins": [{
    "type": "bridge",
    "bridge": "$bridge",
    "isGateway": false,
    "ipMasq": false,
    "hairpinMode": false,
    "ipam": {
      "type": "host-local",
      "dataDir": "$data/ipam",
      "ranges": [[{"subnet": "$subnet"}]]
    }
  }]
}
JSON

# The CRI plugin: our sandbox image; no oom_score_adj below containerd's
# own (no CAP_SYS_RESOURCE here); the native snapshotter (plain
# directories, no overlay needed); runc's state under our state dir, at
# the same relative place (runc/<namespace>/<id>) as the default
# /run/containerd/runc; its stream server on a free loopback port.
cri_toml="[plugins.\"io.containerd.grpc.v1.cri\"]
  sandbox_image = \"$image\"
  restrict_oom_score_adj = true
  stream_server_address = \"127.0.0.1\"
  stream_server_port = \"0\"
  enable_selinux = false
  [plugins.\"io.containerd.grpc.v1.cri\".containerd]
    snapshotter = \"native\"
    default_runtime_name = \"runc\"
    [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]
      runtime_type = \"io.containerd.runc.v2\"
      [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]
        Root = \"$state/runc\"
  [plugins.\"io.containerd.grpc.v1.cri\".cni]
    bin_dir = \"/usr/lib/cni\"
    conf_dir = \"$run/net.d\"
    max_conf_num = 1"

containerd_start "$run" "$data" "$cri_toml"

# The sandbox image, as a docker-archive tarball of one layer.
ctr_() { timeout 60 ctr --address "$sock" -n k8s.io "$@"; }
if ! ctr_ images check "name==$image" 2>/dev/null | grep -q .; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	"$here"/mkimage.sh --tar "$tmp/layer.tar" || fail "cannot build the busybox rootfs"
	diff=$(sha256sum "$tmp/layer.tar"); diff=${diff%% *}
	mkdir "$tmp/img"
	mv "$tmp/layer.tar" "$tmp/img/$diff.tar"
	printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/bin"],"Entrypoint":["/bin/sleep","2147483647"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$(dpkg --print-architecture)" "$diff" >"$tmp/img/config.json"
	cfg=$(sha256sum "$tmp/img/config.json"); cfg=${cfg%% *}
	mv "$tmp/img/config.json" "$tmp/img/$cfg.json"
	printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s.tar"]}]' \
		"$cfg" "$image" "$diff" >"$tmp/img/manifest.json"
	tar -C "$tmp/img" -cf "$tmp/image.tar" .
	ctr_ images import --snapshotter native "$tmp/image.tar" >&2 ||
		fail "cannot import $image"
fi
report
