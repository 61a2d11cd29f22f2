#!/usr/bin/env bash
# bin/bench without arguments prints its usage (every benchmark) and exits 2; -h exits 0.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
out=$("$root/bin/bench" 2>&1); rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: bin/bench exited $rc, expected 2"; exit 1; }
for b in sim-throughput switch-pause jmh kvm-figures mem-access; do
  grep -q "bin/bench $b" <<<"$out" || { echo "FAIL: usage does not name $b:"; echo "$out"; exit 1; }
done
grep -q "parameter null\|unbound variable" <<<"$out" && { echo "FAIL: bash artefact: $out"; exit 1; }
"$root/bin/bench" -h >/dev/null 2>&1 || { echo "FAIL: bin/bench -h did not exit 0"; exit 1; }
echo "ok   bin/bench usage"
