#!/bin/bash
# `npm run test:cgroup2`: the cgroup v2 enforcement tests, run in one boot of the cgroup v2 VM
# (test/vm/cgroup2-vm.sh). Exits non-zero when a test fails or the VM cannot run.
# The tests are bundled into one file on the host first: under emulation, compiling TypeScript
# file by file over 9p would take longer than the tests themselves.
set -eu
cd "$(dirname "$0")/../.."
[ -f build/Release/vessel.node ] || { echo "$0: build the native module first (npx node-gyp build)" >&2; exit 2; }
bundle=build/vm-tests/cgroups-v2.test.mjs
node_modules/.bin/esbuild test/vm/cgroups-v2.test.ts --bundle --platform=node --format=esm --target=node20 \
  --outfile="$bundle" --log-level=warning
exec test/vm/cgroup2-vm.sh -C "$PWD" node --test --test-reporter=spec --test-concurrency=1 "$bundle"
