#!/usr/bin/env bash
# harness fixture: a syntax error after its first check.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 2
check "first" true
if then fi
check "second" true
