#!/usr/bin/env bash
# The man page, --help's pointer to it, the shell completions (and the
# hidden --complete they use), and their installation.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 118
need_root
need man
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

check_eq "man --warnings: netjoin.8 renders without a warning" "" \
	"$(MANWIDTH=80 man --warnings -l "$top/man/netjoin.8" 2>&1 >/dev/null)"
page=$(MANWIDTH=200 man -l "$top/man/netjoin.8" 2>/dev/null)
for opt in --json --brief --details --routes --table --neigh --sockets \
	--listening --all --stats --list --find --watch --host-root --sysfs --dns --user \
	--shell --verbose --top --interval --count --help --version --capture --duration --snaplen; do
	check "man page documents $opt" grep -q -- "$opt" <<<"$page"
	check "--help mentions $opt" grep -q -- "$opt" <<<"$("$NETJOIN" --help)"
done
check "man page has an EXIT STATUS section" grep -q "^EXIT STATUS" <<<"$page"
# the target forms of every runtime: LXC's too
check "man page documents lxc:NAME" grep -q "lxc:NAME" <<<"$page"
check "--help mentions lxc:NAME" grep -q "lxc:NAME" <<<"$("$NETJOIN" --help)"

# kubectl-netjoin(1): renders cleanly, documents every option its --help
# lists, and --help points to it
plugin=$top/scripts/kubectl-netjoin
check_eq "man --warnings: kubectl-netjoin.1 renders without a warning" "" \
	"$(MANWIDTH=80 man --warnings -l "$top/man/kubectl-netjoin.1" 2>&1 >/dev/null)"
kpage=$(MANWIDTH=200 man -l "$top/man/kubectl-netjoin.1" 2>/dev/null)
kopts=$(sh "$plugin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
check "kubectl-netjoin --help lists options" test "$(wc -l <<<"$kopts")" -gt 10
for opt in $kopts; do
	check "kubectl-netjoin(1) documents $opt" grep -q -- "$opt" <<<"$kpage"
done
for sec in "^EXIT STATUS" "^ENVIRONMENT" "^EXAMPLES"; do
	check "kubectl-netjoin(1) has a ${sec#^} section" grep -q "$sec" <<<"$kpage"
done
check "kubectl-netjoin --help points to kubectl-netjoin(1)" \
	grep -q "kubectl-netjoin(1)" <<<"$(sh "$plugin" --help)"
check "--help ends by pointing to the man page" \
	grep -q "man 8 netjoin" <<<"$("$NETJOIN" --help | tail -1)"

# --complete lists what selects targets now
ns=${nj_id}-c
mk_netns "$ns"
out=$("$NETJOIN" --complete)
check "--complete lists host" grep -qx host <<<"$out"
check "--complete lists netns:$ns" grep -qx "netns:$ns" <<<"$out"
check "--complete is not in --help" sh -c "! '$NETJOIN' --help | grep -q -- --complete"

# bash: the function completes options, targets and then commands
compl() { # WORDS...: the completions of the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _netjoin; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$top/completions/netjoin.bash" "$@"
}
PATH=$(dirname "$NETJOIN"):$PATH
export PATH
check "bash: --so completes to --sockets" grep -qx -- --sockets <<<"$(compl netjoin --so)"
check "bash: netns:$ns completes" grep -qx "netns:$ns" <<<"$(compl netjoin "netns:${nj_id}")"
check "bash: ho completes to host" grep -qx host <<<"$(compl netjoin ho)"
check "bash: lx completes to lxc:" grep -qx lxc: <<<"$(compl netjoin lx)"
check "bash: after the target, commands" grep -qx ip <<<"$(compl netjoin host ip)"
check "bash: --table completes tables" grep -qx main <<<"$(compl netjoin --table ma)"
check "bash: --st completes to --stats" grep -qx -- --stats <<<"$(compl netjoin --st)"
check "bash: --to completes to --top" grep -qx -- --top <<<"$(compl netjoin --to)"
check "bash: --wa completes to --watch" grep -qx -- --watch <<<"$(compl netjoin --wa)"
check "bash: --capture takes targets after targets" \
	grep -qx "netns:$ns" <<<"$(compl netjoin --capture host "netns:${nj_id}")"
if command -v zsh >/dev/null; then
	check "zsh: _netjoin parses" zsh -n "$top/completions/_netjoin"
else
	missing "zsh (to check the zsh completion's syntax)"
fi

# installed where the tools look
make -s -C "$top" install DESTDIR="$tmp" PREFIX=/usr >/dev/null 2>&1
for f in usr/sbin/netjoin usr/share/man/man8/netjoin.8 \
	usr/share/man/man1/kubectl-netjoin.1 usr/bin/kubectl-netjoin \
	usr/share/bash-completion/completions/netjoin \
	usr/share/zsh/site-functions/_netjoin; do
	check "make install: $f" test -f "$tmp/$f"
done
make -s -C "$top" uninstall DESTDIR="$tmp" PREFIX=/usr >/dev/null 2>&1
check "make uninstall removes them" \
	test -z "$(find "$tmp/usr" -type f 2>/dev/null)"
