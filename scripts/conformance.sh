#!/bin/bash
# Runs the OCI runtime-tools validation suite against vessel-runtime (local use: it needs the suite
# built at opencontainers/runtime-tools@260e151, see README "Conformance"). Prints one line per test:
# PASS (every assertion ok), FAIL (with its not-ok lines), or ERROR.
#   scripts/conformance.sh /path/to/runtime-tools [TEST...]
set -u
tools=${1:?usage: $0 RUNTIME_TOOLS_DIR [test...]}; shift
runtime=${RUNTIME:-$(cd "$(dirname "$0")/.." && pwd)/dist/vessel-runtime.cjs}
cd "$tools" || exit 2
tests=("$@"); [ ${#tests[@]} -gt 0 ] || tests=(validation/*/*.t)
pass=0; fail=0
for t in "${tests[@]}"; do
  name=$(basename "$t" .t)
  out=$(RUNTIME="$runtime" timeout 120 "$t" 2>&1)
  oks=$(grep -c '^ok ' <<<"$out"); bad=$(grep '^not ok ' <<<"$out")
  if [ -z "$bad" ] && [ "$oks" -gt 0 ]; then echo "PASS $name ($oks)"; pass=$((pass+1));
  else echo "FAIL $name ($oks ok)"; [ -n "$bad" ] && sed 's/^/    /' <<<"$bad" | head -5; [ "$oks" -eq 0 ] && tail -3 <<<"$out" | sed 's/^/    /'; fail=$((fail+1)); fi
done
echo "conformance: $pass passed, $fail failed"
