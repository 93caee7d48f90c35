#!/bin/bash
# Builds an OCI bundle from Debian's busybox-static and runs it with vessel-runtime:
#   scripts/demo.sh [COMMAND...]   (default: a greeting that shows pid 1 and the hostname)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bundle=$(mktemp -d /tmp/vessel-demo.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
chmod 755 "$bundle"
mkdir -p "$bundle/rootfs"/{bin,proc,sys,dev,tmp,etc}
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$bundle/rootfs/bin/$a"; done
node "$top/dist/vessel-runtime.cjs" spec --bundle "$bundle"
cmd=("$@"); [ ${#cmd[@]} -gt 0 ] || cmd=(sh -c 'echo "hello from $(hostname): I am pid $$"')
node -e '
const fs = require("fs"); const f = process.argv[1] + "/config.json";
const s = JSON.parse(fs.readFileSync(f, "utf8"));
s.process.terminal = false; s.process.args = process.argv.slice(2); s.hostname = "demo";
fs.writeFileSync(f, JSON.stringify(s, null, 2));' "$bundle" "${cmd[@]}"
node "$top/dist/vessel-runtime.cjs" run --bundle "$bundle" "demo-$$"
