#!/usr/bin/env bash
# The example code-injection detector, hot-deployed from a plugins/ folder into the full
# distribution, flags a simulated stager (writes a page, then executes it) and not a writer.
# Needs ./mvnw package of itest/example-detector (the example's sources as the reactor builds them; or
# ./hvkit build) first. tests/sdk-e2e.sh does the same with the example built as a third party would.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$(ls "$root"/itest/example-detector/target/org.hvkit.example.detector-*.jar 2>/dev/null | head -1)
[ -n "$jar" ] || { echo "SKIP: build itest/example-detector first"; exit 0; }
plugins=$(mktemp -d); trap 'rm -rf "$plugins"' EXIT
# dropped in while the host runs (FileInstall polls every 500 ms)
(sleep 2; cp "$jar" "$plugins/") &
out=$("$root/hvkit" --plugins "$plugins" -c "
  sleep 5 ;
  xl create $root/examples/web.cfg name=stager 'workload=run 200us touch w 0x40000-0x40fff every 10us; run 100us touch x 0x40000-0x40fff every 10us; sleep 1ms' ;
  xl create $root/examples/web.cfg name=writer 'workload=run 1ms touch w 0x100000-0x17ffff every 2us; run 200us touch x 0x1000-0x3fff; sleep 1ms' ;
  sleep 2 ;
  xl dmesg" 2>&1)
grep -q "injection-detector: d1 (stager) executes gfn 40 .* code injection" <<<"$out" || { echo "FAIL: stager not flagged:"; echo "$out"; exit 1; }
grep -q "(writer) .*code injection" <<<"$out" && { echo "FAIL: writer flagged:"; echo "$out"; exit 1; }
echo "ok   injection detector hot-deployed from plugins/"
