#!/usr/bin/env bash
# harness fixture: declares 3 checks and runs them (one a skip).
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 3
check "true holds" true
check_eq "one is one" 1 1
missing "a component this fixture never has"
