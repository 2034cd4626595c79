#!/usr/bin/env bash
# scripts/test-node.sh MAJOR [COMMAND...]: runs the README's test command
# (`npm test`: build, type-check, lint and the whole suite), or COMMAND, with
# the official Node MAJOR.x first on PATH, fetched into a cache by
# scripts/fetch-node.sh. npm itself stays the one installed, and runs on
# that Node too. For example: scripts/test-node.sh 22
set -euo pipefail
cd "$(dirname "$0")/.."

major=${1:?usage: scripts/test-node.sh MAJOR [COMMAND...] (for example 24)}
shift
bin=$(scripts/fetch-node.sh "$major")
export PATH="$bin:$PATH"
echo "test-node: Node $(node --version) from $bin, npm $(npm --version)" >&2
if (($# > 0)); then
  exec "$@"
fi
exec npm test
