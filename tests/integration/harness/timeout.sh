#!/usr/bin/env bash
# timeout: 2
# harness fixture: runs past its declared time limit.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 2
check "first" true
sleep 20
check "second" true
