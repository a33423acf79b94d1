#!/usr/bin/env bash
# make bench: build the floor program, then run scripts/bench.py as root in
# a mount namespace of its own (slave: the host's new mounts, such as a
# container's netns, show there; its fake containerd state never shows on
# the host). Writes bench/results.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench: run as root (it makes namespaces)" >&2; exit 1; }
"$top"/scripts/deps.sh --it
mkdir -p "$top/build/bench"
cc -O2 -o "$top/build/bench/floor" "$top/bench/floor.c" $(pkg-config --cflags --libs libmnl)
exec unshare -m --propagation slave python3 "$top/scripts/bench.py"
