#!/usr/bin/env bash
# harness fixture: one of its two checks fails.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 2
check "first" true
check "second" false
