#!/bin/bash
# `npm run test:cgroup2`: the cgroup v2 enforcement tests, run in one boot of the cgroup v2 VM
# (test/vm/cgroup2-vm.sh). Exits non-zero when a test fails or the VM cannot run.
# The tests are bundled into one file on the host first: under emulation, compiling TypeScript
# file by file over 9p would take longer than the tests themselves.
set -eu
cd "$(dirname "$0")/../.."
[ -f build/Release/vessel.node ] || { echo "$0: build the native module first (npx node-gyp build)" >&2; exit 2; }
# Both suites, or the files named on the command line (test/vm/rootless-v2.test.ts).
[ $# -gt 0 ] || set -- test/vm/cgroups-v2.test.ts test/vm/rootless-v2.test.ts
[ -f dist/vessel-runtime.cjs ] || { echo "$0: build the CLIs first (npm run build)" >&2; exit 2; }
rm -rf build/vm-tests
node_modules/.bin/esbuild "$@" --bundle --platform=node --format=esm --target=node20 \
  --outdir=build/vm-tests --out-extension:.js=.mjs --log-level=warning
exec test/vm/cgroup2-vm.sh -C "$PWD" node --test --test-reporter=spec --test-concurrency=1 build/vm-tests/*.mjs
