#!/usr/bin/env bash
# harness fixture: declares 2 checks, runs 3 (all pass).
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 2
check "first" true
check "second" true
check "third" true
