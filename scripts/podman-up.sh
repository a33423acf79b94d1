#!/usr/bin/env bash
# Prepare a private rootful podman for netjoin's integration tests and import
# the test image into it. Idempotent. Run podman on that store with
# scripts/podman-private.sh; undo everything with scripts/podman-down.sh.
#
# podman has no daemon: "private" means every path it writes is ours.
#  - storage: graphroot /var/lib/netjoin-test/containers and runroot
#    /run/netjoin-test/containers (the defaults /var/lib/containers/storage
#    and /run/containers/storage are never used), overlay driver so the
#    layout is the default one (overlay-containers/...).
#  - its own containers.conf (CONTAINERS_CONF replaces every other one):
#    libpod tmp dir, file locks (not /dev/shm/libpod_lock), events file,
#    k8s-file logs, cgroupfs (no systemd here), runc.
#  - its own CNI config dir with a "podman" network on bridge njpod0: no
#    ipMasq, no firewall/portmap plugin, no gateway (the CNI bridge plugin
#    turns on ip_forward for a gateway), host-local IPAM state in our dir.
#    Tests need no NAT, forwarding or iptables rules.
# Paths podman, runc and CNI hardcode and that do not exist yet are listed
# in /run/netjoin-test/podman/created so podman-down removes them (if empty):
# /run/runc (runc's state), /var/lib/cni (CNI's result cache), the
# libpod_parent cgroups, /run/netns.
#
# crun is not the runtime: crun 1.8 refuses cgroup v1+v2 hybrid hosts
# ("cgroups in hybrid mode not supported"), which this test VM is.
set -eu

run=/run/netjoin-test
data=/var/lib/netjoin-test
conf=$run/podman
graph=$data/containers
runroot=$run/containers
bridge=njpod0
subnet=${NJ_PODMAN_SUBNET:-10.216.216.0/24}
image=localhost/netjoin-test/busybox:latest

here=$(cd "$(dirname "$0")" && pwd)
say() { echo "podman-up: $*" >&2; }

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }
"$here"/deps.sh --it >&2
command -v podman >/dev/null || { say "podman not installed"; exit 1; }

# The pool must be free: CNI would happily route it twice.
if ! ip link show "$bridge" >/dev/null 2>&1 &&
	ip -4 route show match "${subnet%/*}" | grep -qv '^default'; then
	say "$subnet overlaps a host route; set NJ_PODMAN_SUBNET to a free /24"
	exit 1
fi

mkdir -p "$run" "$data"
chmod 700 "$run" "$data"
mkdir -p "$conf/cni" "$conf/tmp" "$conf/ipam" "$graph" "$runroot"

if [ ! -f "$conf/created" ]; then
	{
		for d in /run/runc /run/crun /var/lib/cni/results /var/lib/cni /run/netns; do
			[ -e "$d" ] || echo "$d"
		done
		# cgroup v1: one libpod_parent per hierarchy; v2: one at the top.
		for c in /sys/fs/cgroup /sys/fs/cgroup/*/; do
			c=${c%/}
			[ -f "$c/cgroup.procs" ] && [ ! -e "$c/libpod_parent" ] &&
				printf '%s\n' "$c/libpod_parent/conmon" "$c/libpod_parent"
		done
	} >"$conf/created.new"
	mv "$conf/created.new" "$conf/created"
fi

cat >"$conf/containers.conf" <<EOF
# netjoin test podman (scripts/podman-up.sh): every path private.
[containers]
log_driver = "k8s-file"
# No CAP_SYS_RESOURCE here: podman's default nofile/nproc for root are
# above the hard limits and runc could not set them.
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[network]
network_backend = "cni"
cni_plugin_dirs = ["/usr/lib/cni", "/usr/libexec/cni", "/opt/cni/bin"]
network_config_dir = "$conf/cni"
default_network = "podman"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$conf/events.log"
image_copy_tmp_dir = "$conf/tmp"
lock_type = "file"
runtime = "runc"
tmp_dir = "$conf/tmp"
EOF

cat >"$conf/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$graph"
runroot = "$runroot"
EOF

cat >"$conf/cni/netjoin-podman.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "podman",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$conf/ipam",
        "ranges": [[{ "subnet": "$subnet" }]]
      }
    }
  ]
}
EOF

pm=("$here"/podman-private.sh)
if ! "${pm[@]}" image exists "$image"; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	"$here"/mkimage.sh --tar "$tmp/rootfs.tar"
	# An image copy writes containers/image's blob-info cache to the fixed
	# /var/lib/containers/cache (podman 4.3 has no setting for it): import
	# in a mount namespace where /var/lib is an empty tmpfs and only our
	# data root is mounted back.
	mkdir -p "$conf/stash"
	# shellcheck disable=SC2016 # expanded by that sh
	unshare -m --propagation private sh -c '
		mount --rbind "$1" "$2" && mount -t tmpfs -o mode=755 tmpfs /var/lib &&
		mkdir -p "$1" && mount --rbind "$2" "$1" || exit 125
		shift 2; exec "$@"' podman-up "$data" "$conf/stash" \
		"${pm[@]}" import --quiet --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' \
		"$tmp/rootfs.tar" "$image" >/dev/null
	rmdir "$conf/stash"
fi
"${pm[@]}" version --format 'podman-up: podman {{.Client.Version}}' >&2
