#!/usr/bin/env bash
# harness fixture: killed by a signal (KILL: no trap runs) halfway.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 2
check "first" true
kill -KILL $$
check "second" true
