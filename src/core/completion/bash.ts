import { shDataFunctions, shWalkStep } from "./sh-data.js";
import type { CommandSpec } from "./spec.js";

/**
 * The bash script: the tables from the program definition and one function
 * that walks the line. Works in bash 3.2 (macOS) and later: no negative
 * indexes, no mapfile, compopt only where it exists. Nothing read from
 * ghpat (token names, hosts) is ever evaluated: no `compgen -W`, no
 * unquoted expansion.
 */
export function bashScript(root: CommandSpec, version: string): string {
  return `# bash completion for ghpat ${version}, generated from its command definitions.
# This shell:   source <(ghpat completion bash)
# Every shell:  ghpat completion bash > ~/.local/share/bash-completion/completions/ghpat
# Token names come from 'ghpat __complete names', which reads the index only, never the keychain.

${shDataFunctions(root, { described: false })}

_ghpat() {
  local __ghpat_r __ghpat_variadic
  local line="\${COMP_LINE-}"
  line="\${line:0:\${COMP_POINT:-\${#line}}}"
  local -a words=()
  IFS=$' \\t\\n' read -r -a words <<< "$line"
  # A blank before the cursor starts a new, empty word.
  case "$line" in *[[:space:]] | "") words+=("") ;; esac
  local last=$((\${#words[@]} - 1))
  local cur="\${words[last]}"
  local program="\${words[0]:-ghpat}"
  case "$program" in "~"/*) program="$HOME\${program#"~"}" ;; esac

  # Walk the words before the cursor: subcommands, option values, positionals, "--".
  local cmdpath="" pos=0 expect="" dashdash=0 after=0 i w
  for ((i = 1; i < last; i++)); do
    w="\${words[i]}"
    if ((dashdash)); then after=$((after + 1)); continue; fi
${shWalkStep("1")}
  done

  local IFS=$'\\n' kind="" prefix=""
  if ((dashdash)); then
    # After "--" (ghpat exec): a command, then its own arguments.
    if ((after == 0)); then kind="shell-commands"; else kind="files"; fi
  elif [[ -n $expect ]]; then
    kind="$expect"
  elif [[ $cur == --*=* ]]; then
    __ghpat_option_value "$cmdpath" "\${cur%%=*}"
    kind="$__ghpat_r"; prefix="\${cur%%=*}="; cur="\${cur#*=}"
  elif [[ $cur == -* ]]; then
    kind="flags"
  else
    __ghpat_subcommands "$cmdpath"
    if ((pos == 0 && \${#__ghpat_r[@]} > 0)); then
      kind="subcommands"
    else
      __ghpat_args "$cmdpath"
      local count=\${#__ghpat_r[@]}
      if ((pos < count)); then kind="\${__ghpat_r[pos]}"
      elif ((__ghpat_variadic && count > 0)); then kind="\${__ghpat_r[count - 1]}"
      fi
    fi
  fi

  local -a candidates=()
  case "$kind" in
    flags) __ghpat_flags "$cmdpath"; candidates=("\${__ghpat_r[@]}") ;;
    subcommands) __ghpat_subcommands "$cmdpath"; candidates=("\${__ghpat_r[@]}") ;;
    commands) __ghpat_subcommands ""; candidates=("\${__ghpat_r[@]}") ;;
    # One candidate a line, read as data: no word splitting, globbing or expansion.
    names | hosts) while IFS= read -r w; do candidates+=("$w"); done < <("$program" __complete "$kind" 2>/dev/null) ;;
    choices:*) IFS=' ' read -r -a candidates <<< "\${kind#choices:}" ;;
    files) compopt -o filenames 2>/dev/null; COMPREPLY=(); while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -f -- "$cur"); return 0 ;;
    shell-commands) COMPREPLY=(); while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -c -- "$cur"); return 0 ;;
    *) COMPREPLY=(); return 0 ;;
  esac
  # Not compgen -W, which expands (and so runs) what it is given: a plain prefix match.
  COMPREPLY=()
  for w in \${candidates[@]+"\${candidates[@]}"}; do
    [[ $w == "$cur"* ]] && COMPREPLY+=("$w")
  done

  # bash replaces only the part after the last COMP_WORDBREAKS character
  # (":" in "login@host:8443", "=" in "--host=..."): offer just that part.
  local word="$prefix$cur" breaks="\${COMP_WORDBREAKS-}"
  if [[ -n $breaks ]]; then
    local tail="\${word##*[$breaks]}"
    local head="\${word%"$tail"}"
    for i in "\${!COMPREPLY[@]}"; do
      w="$prefix\${COMPREPLY[i]}"
      COMPREPLY[i]="\${w#"$head"}"
    done
  fi
  return 0
}

complete -F _ghpat ghpat
`;
}
