#!/usr/bin/env bash
# The README's commands, run as a reader would paste them: every `$ ./hvkit ...` example, the
# operator walk-through (xl and hv lines, as one ./hvkit -c script with shorter sleeps) and
# bin/scenario --list. Each must end with status 0 and print no Java exception. KVM examples are
# skipped where /dev/kvm is missing; the SDK and FLASK blocks have their own tests (sdk-e2e.sh, XsmIT).
#   tests/readme-commands.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fail=0
blocks=$(awk '/^```/{f=!f; next} f' README.md)

run() {  # run LABEL COMMAND...
  local label=$1 out rc; shift
  out=$(timeout 180 "$@" </dev/null 2>&1); rc=$?
  if [ $rc -ne 0 ] || grep -qE '^(Exception|Caused by)|[a-z]\.[A-Za-z]+(Exception|Error)(:|$)' <<<"$out"; then
    echo "FAIL $label (status $rc):"; printf '%s\n' "$out" | tail -15 | sed 's/^/    /'; fail=1
  else
    echo "ok   $label"
  fi
}

# 1. every `$ ./hvkit ...` example
while IFS= read -r line; do
  cmd=${line#\$ }
  if [[ "$cmd" == *"--platform kvm"* || "$cmd" == *"--platform auto"* ]] && [ ! -r /dev/kvm ]; then
    echo "skip $cmd (no /dev/kvm)"; continue
  fi
  run "$cmd" bash -c "$cmd"
done < <(grep -E '^\$ \./hvkit ' <<<"$blocks")

# 2. the operator walk-through: the block of xl/hv lines that begins with the hog example
walk=$(awk '/^xl create examples\/hog-512.cfg/{f=1} f && !/^(xl|hv|sleep) /{exit} f' <<<"$blocks" \
  | sed -e 's/ *#.*$//' -e 's/^sleep [0-9]*/sleep 2/' | paste -sd';')
if [ -z "$walk" ]; then echo "FAIL the operator walk-through was not found in README.md"; fail=1
else run "./hvkit -c <the operator walk-through>" ./hvkit -c "$walk"; fi

# 3. the scenario runner's listing
run "bin/scenario --list" bin/scenario --list
exit $fail
