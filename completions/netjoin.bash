# bash completion for netjoin: options, target prefixes, and the live
# targets of every runtime (from the hidden `netjoin --complete`).
_netjoin()
{
	local cur prev i target=0 capture=0 words_before
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	--host-root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--table) COMPREPLY=($(compgen -W "main local default" -- "$cur")); return ;;
	-u|--user) COMPREPLY=($(compgen -u -- "$cur")); return ;;
	--find|--interval|--count) return ;;
	-w) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-i|-f|-c|--duration|--snaplen) return ;;
	esac
	# after TARGET comes a command: complete it as the shell would
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--host-root|--table|-u|--user|--find|--interval|--count) ((i++)) ;;
		-i|-f|-c|-w|--duration|--snaplen) ((i++)) ;;
		--capture) capture=1 ;;
		--) ;;
		-*) ;;
		*) target=$i; break ;;
		esac
	done
	# under --capture every word is a target
	((capture)) && target=0
	if ((target)); then
		# --top TARGET takes no command
		[[ " ${COMP_WORDS[*]:1:target} " == *" --top "* ]] && return
		if ((COMP_CWORD == target + 1)); then
			COMPREPLY=($(compgen -c -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "-j --json -b --brief -d --details -r --routes
			--table -n --neigh -s --sockets --listening -a --all --stats -L --list
			--find --top --interval --count --watch --host-root --sysfs --dns -u --user -S --shell
			-v --verbose -h --help -V --version
			--capture -i -f -c -w --duration --snaplen" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -W "$(netjoin --complete 2>/dev/null)
		pid: netns: docker: podman: crio: containerd: lxc: pod:" -- "$cur"))
	[[ ${COMPREPLY[0]} == *: ]] && compopt -o nospace 2>/dev/null
}
complete -F _netjoin netjoin
