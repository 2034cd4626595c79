import { shDataFunctions, shWalkStep } from "./sh-data.js";
import type { CommandSpec } from "./spec.js";

/** The zsh script: the same tables as bash plus descriptions, and a walker over `words`/`CURRENT`. */
export function zshScript(root: CommandSpec, version: string): string {
  return `#compdef ghpat
# zsh completion for ghpat ${version}, generated from its command definitions.
# This shell (after compinit):  source <(ghpat completion zsh)
# Every shell:  ghpat completion zsh > ~/.zfunc/_ghpat   (with fpath=(~/.zfunc $fpath) before compinit)
# Token names come from 'ghpat __complete names', which reads the index only, never the keychain.

${shDataFunctions(root, { described: true })}

_ghpat() {
  local __ghpat_r __ghpat_variadic
  local cur="\${words[CURRENT]}" program="\${words[1]:-ghpat}"
  [[ $program == "~/"* ]] && program="$HOME\${program#"~"}"

  # Walk the words before the cursor: subcommands, option values, positionals, "--".
  local cmdpath="" expect="" w
  integer pos=0 dashdash=0 i
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    if ((dashdash)); then break; fi
${shWalkStep("i")}
  done

  if ((dashdash)); then
    # After "--" (ghpat exec): complete the command line that follows as its own.
    shift dashdash words
    ((CURRENT -= dashdash))
    _normal
    return
  fi

  local kind=""
  if [[ -n $expect ]]; then
    kind="$expect"
  elif [[ $cur == --*=* ]]; then
    __ghpat_option_value "$cmdpath" "\${cur%%=*}"
    kind="$__ghpat_r"
    compset -P '*='
  elif [[ $cur == -* ]]; then
    kind="flags"
  else
    __ghpat_subcommands "$cmdpath"
    if ((pos == 0 && \${#__ghpat_r} > 0)); then
      kind="subcommands"
    else
      __ghpat_args "$cmdpath"
      integer count=\${#__ghpat_r}
      if ((pos < count)); then kind="\${__ghpat_r[pos + 1]}"
      elif ((__ghpat_variadic && count > 0)); then kind="\${__ghpat_r[count]}"
      fi
    fi
  fi

  local -a candidates
  case "$kind" in
    flags) __ghpat_flags_described "$cmdpath"; candidates=("\${__ghpat_r[@]}"); _describe -t options 'option' candidates ;;
    subcommands) __ghpat_subcommands_described "$cmdpath"; candidates=("\${__ghpat_r[@]}"); _describe -t commands 'ghpat command' candidates ;;
    commands) __ghpat_subcommands_described ""; candidates=("\${__ghpat_r[@]}"); _describe -t commands 'ghpat command' candidates ;;
    names | hosts) candidates=(\${(f)"$("$program" __complete "$kind" 2>/dev/null)"}); compadd -- "\${candidates[@]}" ;;
    choices:*) candidates=(\${=\${kind#choices:}}); compadd -- "\${candidates[@]}" ;;
    files) _files ;;
    *) return 1 ;;
  esac
}

if [[ "\${funcstack[1]-}" == _ghpat ]]; then
  _ghpat "$@"
else
  compdef _ghpat ghpat
fi
`;
}
