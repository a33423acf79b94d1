#!/usr/bin/env bash
# harness fixture: passes its checks but never declares a plan.
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
check "first" true
