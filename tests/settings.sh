#!/usr/bin/env bash
# Start-up refuses every bad framework setting at once: one line naming property, value and form,
# within a few seconds, before any shell. Runs the real distribution (./hvkit builds it if needed).
#   tests/settings.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fail=0
check() {  # check PROPERTY=VALUE EXPECTED-SUBSTRING
  local started=$SECONDS out lines rc
  # no shell: a refused start must end the JVM by itself (a hang runs into the timeout and fails).
  # The status is 2: the guard makes the refusal's asked-for status the process's.
  out=$(timeout 30 "$root/hvkit" --no-shell "-D$1" </dev/null 2>&1); rc=$?
  out=$(printf '%s\n' "$out" | grep -v '^[[:space:]]*$')
  lines=$(printf '%s\n' "$out" | wc -l)
  if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || [[ "$out" != "hvkit: cannot start: $1: "*"$2"* ]] || [ $((SECONDS - started)) -gt 10 ]; then
    echo "FAIL -D$1 (status $rc, $((SECONDS - started)) s, $lines lines):"; printf '%s\n' "$out" | head -5 | sed 's/^/    /'; fail=1
  else
    echo "ok   -D$1"
  fi
}
check hvkit.platform=banana "expected sim, kvm or auto"
check hvkit.sim.topology=banana "SOCKETSxCORESxTHREADS"
check hvkit.sim.topology=0x0x0 "SOCKETSxCORESxTHREADS"
check hvkit.sim.nodes=0 "expected a number from 1"
check hvkit.sim.memory=lots "64G"
check hvkit.sim.seed=abc "whole number"
check hvkit.sim.mode=turbo "paced, fast or manual"
check hvkit.sim.speed=-1 "positive number"
check hvkit.sim.cpu=Pentium "no such CPU model in this distribution"
check hvkit.dom0.vcpus=banana "whole number"
check hvkit.dom0.memory=1G "MiB"
check "hvkit.sched=no such" "scheduler name"
check hvkit.sched=nosuch "no such scheduler in this distribution; expected one of credit"
check hvkit.pci.devices=banana "expected a comma-separated list of host PCI addresses SSSS:BB:DD.F"
check hvkit.pci.devices=03:00.0,03:00.0 "0000:03:00.0 is given twice"
check hvkit.iommu=on,banana "is not an iommu= option"
exit $fail
