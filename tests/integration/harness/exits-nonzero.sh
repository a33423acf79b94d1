#!/usr/bin/env bash
# harness fixture: all its planned checks pass, then it exits 3.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 1
check "first" true
exit 3
