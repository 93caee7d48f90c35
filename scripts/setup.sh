#!/bin/bash
# Sets up vessel on a fresh Debian machine, as root: the packages it and its tests use, the npm
# dependencies, the native module and supervisor (node-gyp), the bundled CLIs, and the built-in
# busybox image. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
packages=(busybox-static iptables iproute2 procps zstd xz-utils tar cpio tmux python3 openssl docker-registry skopeo buildah apache2-utils
  qemu-system-x86 linux-image-amd64 runc crun containerd containernetworking-plugins
  uidmap fuse-overlayfs slirp4netns passt)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ -d node_modules ] && [ -f build/Release/vessel.node ] && [ -f build/Release/vessel-supervisor ] && [ -f build/Release/vessel-nsexec ] || npm ci --no-audit --no-fund
npm run build --silent
if [ -f dist/vessel.cjs ] && [ -x scripts/import-busybox.sh ]; then scripts/import-busybox.sh; fi
echo "vessel is set up: $(pwd)/dist/vessel.cjs and $(pwd)/dist/vessel-runtime.cjs"
