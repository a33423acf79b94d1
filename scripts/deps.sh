#!/usr/bin/env bash
# Install netjoin's build and test dependencies from Debian's packages, only
# those that are missing. Idempotent and quiet when everything is present.
#   scripts/deps.sh            build + unit-test deps
#   scripts/deps.sh --it       also the integration-test runtimes (docker.io ...)
set -eu

# make too, named though build-essential pulls it in: what `make deps` runs
build_pkgs="build-essential make pkg-config libmnl-dev libnl-3-dev libnl-route-3-dev libjansson-dev libcmocka-dev libpcap-dev iproute2"
it_pkgs="docker.io busybox-static util-linux jq procps curl python3"
# containerd (its ctr) and runc for t-containerd.sh, which drives the
# private containerd directly; docker.io pulls both in, named here anyway.
it_pkgs="$it_pkgs containerd runc"
# podman for t-podman.sh, rootful on runc (crun 1.8 fails on hybrid cgroup
# hosts) and CNI (netavark would add iptables rules); its containers.conf
# and policy come with it (golang-github-containers-common).
it_pkgs="$it_pkgs podman conmon runc containernetworking-plugins"
it_pkgs="$it_pkgs tcpdump libcap2-bin" # t-debug.sh: a capture tool to run inside; setcap
it_pkgs="$it_pkgs strace" # t-faults.sh: sees that interrupted dumps are redone
it_pkgs="$it_pkgs time" # make bench: GNU time's peak RSS of one command
it_pkgs="$it_pkgs man-db zsh" # t-docs.sh: man --warnings, zsh -n
it_pkgs="$it_pkgs debhelper lintian git" # t-deb.sh: dpkg-buildpackage, lintian
it_pkgs="$it_pkgs shellcheck" # t-kubectl.sh: the plugin is POSIX sh, lint-clean
it_pkgs="$it_pkgs mmdebstrap" # t-image.sh: scripts/mkbase.sh's Debian base images
it_pkgs="$it_pkgs python3-grpcio python3-grpc-tools" # t-cri.sh: a kubelet's CRI calls, from Python
it_pkgs="$it_pkgs valgrind" # t-trust.sh: no uninitialised read on the command path
it_pkgs="$it_pkgs tshark" # t-capture.sh: tshark and capinfos read what --capture writes
# t-rootless.sh: rootless podman for a test user: newuidmap/newgidmap,
# its network through slirp4netns; rootless Docker: docker.io's
# dockerd-rootless.sh runs dockerd under rootlesskit
it_pkgs="$it_pkgs uidmap slirp4netns rootlesskit"
# t-lxc.sh: lxc-create/-start/-stop/-destroy and the busybox template
# (liblxc-common's, which copies busybox-static's binary into the rootfs).
# Its lxc-net service is never started here (no init system starts it
# during the install), and is told not to make lxcbr0 should one run it.
it_pkgs="$it_pkgs lxc busybox-static"

want="$build_pkgs"
case "${1:-}" in
--it) want="$want $it_pkgs" ;;
--fuzz) want="$want clang libclang-rt-14-dev" ;; # libFuzzer, ASan, UBSan
esac

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark's wireshark-common asks whether to make dumpcap setuid: no
case $missing in *tshark*)
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		debconf-set-selections ;;
esac
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# lxc's lxc-net would make lxcbr0 with NAT rules on the host when an init
# system starts it: tests wire their containers themselves.
case " $missing " in *" lxc "*)
	[ ! -f /etc/default/lxc-net ] ||
		sed -i 's/^USE_LXC_BRIDGE="true"/USE_LXC_BRIDGE="false"/' /etc/default/lxc-net ;;
esac
