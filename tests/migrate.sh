#!/usr/bin/env bash
# The README's live migration between two hvkit daemons on one machine, through ./xl as shown
# there: a burn moves from the source to the target and runs on there; the source keeps
# nothing. KVM when /dev/kvm is usable, else the simulated machine (a simulated domain).
#   tests/migrate.sh              (HVKIT_TEST_PLATFORM=sim to force the simulated machine)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
a=$(mktemp -d) b=$(mktemp -d)
stop() {
  HVKIT_SOCKET=$a/xl.sock ./hvkit daemon stop >/dev/null 2>&1
  HVKIT_SOCKET=$b/xl.sock ./hvkit daemon stop >/dev/null 2>&1
  rm -rf "$a" "$b"
}
trap stop EXIT
fail() { echo "FAIL: $*"; for d in "$a" "$b"; do echo "--- $d/daemon.log"; tail -20 "$d/daemon.log" 2>/dev/null; done; exit 1; }

platform=${HVKIT_TEST_PLATFORM:-$( [ -r /dev/kvm ] && [ -w /dev/kvm ] && echo kvm || echo sim)}
cfg=examples/burn.cfg; [ "$platform" = kvm ] || cfg=examples/web.cfg
HVKIT_SOCKET=$a/xl.sock ./hvkit daemon --platform $platform >/dev/null 2>&1 || fail "source daemon did not start"
HVKIT_SOCKET=$b/xl.sock ./hvkit daemon --platform $platform >/dev/null 2>&1 || fail "target daemon did not start"
src() { HVKIT_SOCKET=$a/xl.sock ./xl "$@"; }
dst() { HVKIT_SOCKET=$b/xl.sock ./xl "$@"; }

src create $cfg name=mover >/dev/null 2>&1 || fail "xl create $cfg on the source"
sleep 1
out=$(src migrate -d -s '' mover "HVKIT_SOCKET=$b/xl.sock ./xl migrate-receive" 2>&1); rc=$?
[ "$rc" -eq 0 ] || fail "xl migrate exited $rc: $out"
for line in "migration target: Ready to receive domain." "migration sender: Target has acknowledged transfer." \
            "migration sender: Giving target permission to start." "migration target: Domain started successsfully." \
            "migration sender: Target reports successful startup."; do
  grep -qF "$line" <<<"$out" || fail "no '$line' in: $out"
done
grep -q "downtime" <<<"$out" || fail "-d gave no figures: $out"
echo "ok   xl migrate: 4.2's handshake, $(grep -o 'downtime [0-9.]* ms' <<<"$out" | head -1)"

src list | grep -q mover && fail "the source still lists mover: $(src list)"
dst list | grep -qE '^mover ' || fail "the target does not list mover: $(dst list)"
echo "ok   mover runs on the target only"

# it runs there: its CPU time (xl list's Time(s)) grows (burn's own counter going on is KvmMigrateTest's)
t() { dst list | awk '$1 == "mover" {print $6}'; }
t0=$(t); sleep 3; t1=$(t)
awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b > a) }' || fail "mover does not run on the target (Time(s) $t0 then $t1)"
echo "ok   mover runs on after the move (Time(s) $t0 -> $t1)"
