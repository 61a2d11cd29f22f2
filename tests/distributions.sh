#!/usr/bin/env bash
# A distribution is checked at build time for what its bundles' services need: the resolver sees
# DS's osgi.service requirements (runtime/hvkit-base.bnd: -resolve.effective), so one that leaves
# out the core, the timers or a platform gets them from the repository, and one that cannot have
# them is refused with the missing service named. Builds custom distributions of runtime/ the way
# `./hvkit dist` does (package only, never install).
#   tests/distributions.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
fail=0
made=()
trap 'rm -f "${made[@]}"' EXIT

# write NAME BODY-LINES...: runtime/NAME.bndrun, the minimal distribution without the essentials
write() {
  local name=$1; shift
  local f="runtime/$name.bndrun"
  made+=("$f" "runtime/target/$name.bndrun" "runtime/target/$name.jar")
  {
    echo "-include: ~hvkit-base.bnd"
    echo "-runrequires: \\"
    echo "    bnd.identity;id='org.hvkit.guard',\\"
    echo "    bnd.identity;id='org.hvkit.toolstack.xl',\\"
    echo "    bnd.identity;id='org.hvkit.shell',\\"
    echo "    bnd.identity;id='org.apache.felix.gogo.command',\\"
    echo "    bnd.identity;id='org.apache.felix.gogo.shell'"
    printf '%s\n' "$@"
  } >"$f"
}

build() {  # build NAME: the distribution's build output; its status in $rc
  out=$(./mvnw -B -o -q -DskipTests package -pl runtime -am "-Dhvkit.bndruns=$1.bndrun" 2>&1); rc=$?
}

# 1. No core, timer or platform asked for: the resolver adds them, so the jar is not dead
write op14-nocore
build op14-nocore
bundles=$(sed -n '/^-runbundles/,/^$/p' runtime/target/op14-nocore.bndrun 2>/dev/null)
for b in org.hvkit.core org.hvkit.timer org.hvkit.platform; do
  if [ "$rc" -ne 0 ] || ! grep -q "$b" <<<"$bundles"; then
    echo "FAIL a distribution without $b: resolved without it (status $rc)"; printf '%s\n' "$out" | tail -5 | sed 's/^/    /'; fail=1
  else
    echo "ok   a distribution without $b gets it from the repository"
  fi
done

# 2. What it needs cannot be had: refused at build time, naming the service
refused() {  # refused NAME SERVICE BLACKLIST...
  local name=$1 service=$2; shift 2
  write "$name" "-runblacklist.$name: $(IFS=,; echo "$*")"
  build "$name"
  if [ "$rc" -eq 0 ] || ! grep -q "objectClass=$service" <<<"$out"; then
    echo "FAIL $name: not refused naming $service (status $rc)"; printf '%s\n' "$out" | grep -m3 -i 'missing\|unable\|error' | sed 's/^/    /'; fail=1
  else
    echo "ok   $name refused: $(grep -o -m1 "missing requirement[^]]*objectClass=$service[^)]*)" <<<"$out" | head -1)"
  fi
}
refused op14-notimer org.hvkit.api.timer.TimerFactory "bnd.identity;id='org.hvkit.timer'"
refused op14-noplatform org.hvkit.api.platform.Platform "bnd.identity;id='org.hvkit.platform.sim'" "bnd.identity;id='org.hvkit.platform.kvm'"
refused op14-nohv org.hvkit.api.toolstack.Hypervisor "bnd.identity;id='org.hvkit.core'"
exit $fail
