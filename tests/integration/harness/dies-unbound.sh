#!/usr/bin/env bash
# harness fixture: an unbound variable under set -u halfway.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 3
check "first" true
echo "$nj_no_such_variable"
check "second" true
check "third" true
