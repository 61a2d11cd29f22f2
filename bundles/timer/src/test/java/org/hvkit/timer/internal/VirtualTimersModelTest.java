package org.hvkit.timer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.hvkit.api.timer.HvTimer;
import org.hvkit.api.timer.VirtualTimers;
import org.junit.jupiter.api.Test;

/**
 * The virtual-time queue against a reference model (a sorted set of (deadline, arming order)) on
 * random operations whose deadlines fall now, within microseconds, milliseconds and seconds, and on
 * a coarse grid where many are equal, with time advancing and callbacks re-arming timers: the same
 * timers must fire in the same order at the same times, and each must report the same deadline (or none).
 */
class VirtualTimersModelTest {
    private record Armed(long deadline, long seq, int id) implements Comparable<Armed> {
        @Override
        public int compareTo(Armed o) {
            return deadline != o.deadline ? Long.compare(deadline, o.deadline) : Long.compare(seq, o.seq);
        }
    }

    private static final class Model {
        final TreeSet<Armed> set = new TreeSet<>();
        final Armed[] byId;
        long now, seq;

        Model(int n) {
            byId = new Armed[n];
        }

        void arm(int id, long deadline) {
            stop(id);
            Armed a = new Armed(Math.max(deadline, now), seq++, id);
            byId[id] = a;
            set.add(a);
        }

        void stop(int id) {
            if (byId[id] != null) set.remove(byId[id]);
            byId[id] = null;
        }
    }

    private static long delta(SplittableRandom r, long now) {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> r.nextLong(65_536);              // microseconds
            case 2 -> r.nextLong(10_000_000L);          // a slice
            case 3 -> r.nextLong(100_000_000L);         // a sleep
            case 4 -> r.nextLong(4_000_000_000L, 20_000_000_000L); // seconds
            case 5 -> 65_536L * r.nextInt(1, 5);         // powers of two
            case 6 -> r.nextLong(4_200_000_000L, 4_400_000_000L); // around 2^32 ns
            default -> {
                // on a 4 ms grid up to 8 s ahead: timers armed long ago and just now meet at equal
                // deadlines, where only the arming order decides
                long g = 1L << 22;
                yield Math.max(0, (now + r.nextLong(8_000_000_000L)) / g * g - now);
            }
        };
    }

    /** What a callback re-arms another timer with: sometimes for now (never one that re-arms in turn, so chains end). */
    private static long reArm(int other, long now) {
        return other % 7 != 0 && now % 3 == 0 ? 0 : 1000 + now % 5_000_000L;
    }

    @Test
    void firesExactlyAsTheModelOnRandomOperations() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 60;
            VirtualTimers q = new TimerFactoryComponent().virtual();
            Model m = new Model(n);
            List<String> got = new ArrayList<>(), want = new ArrayList<>();
            HvTimer[] timers = new HvTimer[n];
            for (int i = 0; i < n; i++) {
                int id = i;
                timers[i] = q.createTimer(i, now -> {
                    got.add(id + "@" + now);
                    if (id % 7 == 0) {
                        int other = (id * 31 + (int) (now % 97)) % n;
                        timers[other].set(now + reArm(other, now));
                    }
                });
            }
            for (int step = 0; step < 20_000; step++) {
                int op = r.nextInt(10);
                if (op < 5) {
                    int id = r.nextInt(n);
                    long d = q.now() + delta(r, q.now());
                    timers[id].set(d);
                    m.arm(id, d);
                } else if (op < 6) {
                    int id = r.nextInt(n);
                    timers[id].stop();
                    m.stop(id);
                } else if (op < 9) {
                    long limit = q.now() + delta(r, q.now());
                    while (q.fireNext(limit)) {
                        // the model fires the same, including the callback's re-arm
                    }
                    while (!m.set.isEmpty() && m.set.first().deadline() <= limit) {
                        Armed a = m.set.pollFirst();
                        m.byId[a.id()] = null;
                        m.now = a.deadline();
                        want.add(a.id() + "@" + a.deadline());
                        if (a.id() % 7 == 0) {
                            int other = (a.id() * 31 + (int) (m.now % 97)) % n;
                            m.arm(other, m.now + reArm(other, m.now));
                        }
                    }
                } else {
                    long t = q.now() + delta(r, q.now());
                    if (q.nextDeadline() > t) {
                        q.advanceTo(t);
                        m.now = Math.max(m.now, t);
                    }
                }
                long expectNext = m.set.isEmpty() ? Long.MAX_VALUE : m.set.first().deadline();
                assertEquals(expectNext, q.nextDeadline(), "seed " + seed + " step " + step);
                assertEquals(m.now, q.now(), "seed " + seed + " step " + step);
                for (int i = 0; i < n; i++) {
                    long armed = m.byId[i] == null ? -1 : m.byId[i].deadline();
                    if (timers[i].deadline() != armed || timers[i].isActive() != (armed >= 0)) {
                        fail("timer " + i + ", seed " + seed + " step " + step + ": deadline " + timers[i].deadline()
                                + " active " + timers[i].isActive() + ", the model has " + armed);
                    }
                }
            }
            assertEquals(want, got, "seed " + seed);
        }
    }
}
