#!/usr/bin/env bash
# harness fixture: its own setup does not hold (require) after a check.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
plan 2
check "first" true
require "the fixture's layout" false
check "second" true
