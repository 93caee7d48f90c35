#!/bin/sh
# First contact: build the native parts if needed, then import busybox:latest (from Debian's
# busybox-static) into the engine root, so `vessel run --rm busybox echo hello` works offline.
# Usage: scripts/import-busybox.sh [--root DIR] (scripts/setup.sh runs it)
set -eu
cd "$(dirname "$0")/.."
ROOT_ARGS=""
if [ "${1:-}" = "--root" ]; then ROOT_ARGS="--root $2"; fi
[ -x /bin/busybox ] || { echo "setup: needs Debian's busybox-static (apt-get install busybox-static)" >&2; exit 1; }
[ -f build/Release/vessel.node ] && [ -f build/Release/vessel-supervisor ] || npx node-gyp rebuild
[ -f dist/vessel.cjs ] || npm run build
if node dist/vessel.cjs $ROOT_ARGS image inspect busybox:latest >/dev/null 2>&1; then exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/etc" "$tmp/rootfs/tmp" "$tmp/rootfs/root" "$tmp/rootfs/home" \
  "$tmp/rootfs/proc" "$tmp/rootfs/sys" "$tmp/rootfs/dev" "$tmp/rootfs/var" "$tmp/rootfs/usr/bin" "$tmp/rootfs/sbin"
cp /bin/busybox "$tmp/rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$tmp/rootfs/bin/$applet"
done
chmod 1777 "$tmp/rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$tmp/rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$tmp/rootfs/etc/group"
tar -C "$tmp/rootfs" --numeric-owner --owner=0 --group=0 -cf "$tmp/rootfs.tar" .
node dist/vessel.cjs $ROOT_ARGS import -c 'CMD ["sh"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$tmp/rootfs.tar" busybox:latest >/dev/null
echo "busybox:latest imported"
