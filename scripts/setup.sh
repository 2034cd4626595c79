#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine: the Debian packages the keychain
# tests need, the npm dependencies, and the bundle in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

# ghpat supports Node 22.13+ and 24+ (package.json "engines"); any other still sets up, with a warning.
if ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit((major === 22 && minor >= 13) || major >= 24 ? 0 : 1)'; then
  echo "setup: Node $(node --version) is not one ghpat supports (^22.13.0 || >=24). To use Node 24 from the npm registry in this shell: export PATH=\"\$(scripts/fetch-node.sh 24):\$PATH\"" >&2
fi

packages=$(grep -v '^#' scripts/debian-packages.txt | tr '\n' ' ')
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $packages >/dev/null
else
  echo "No apt-get here: install these yourself: $packages" >&2
fi
npm ci --no-audit --no-fund
npm run build
