#!/usr/bin/env bash
# podman on the private store of scripts/podman-up.sh, never the machine's
# /var/lib/containers or /run/containers:
#   scripts/podman-private.sh ps -a
# The flags repeat storage.conf so a podman that ignores
# CONTAINERS_STORAGE_CONF still cannot fall back to the default store.
set -eu
conf=/run/netjoin-test/podman
[ -f "$conf/containers.conf" ] || {
	echo "podman-private: $conf/containers.conf missing (run scripts/podman-up.sh)" >&2
	exit 1
}
export CONTAINERS_CONF=$conf/containers.conf
export CONTAINERS_STORAGE_CONF=$conf/storage.conf
exec podman --root /var/lib/netjoin-test/containers \
	--runroot /run/netjoin-test/containers \
	--tmpdir "$conf/tmp" --storage-driver overlay "$@"
