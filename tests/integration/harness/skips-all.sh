#!/usr/bin/env bash
# sanitized: no
# harness fixture: cannot run at all (skip_all).
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 5
skip_all "this fixture never runs"
