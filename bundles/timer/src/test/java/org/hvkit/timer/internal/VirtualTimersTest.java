package org.hvkit.timer.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.hvkit.api.timer.HvTimer;
import org.hvkit.api.timer.VirtualTimers;
import org.junit.jupiter.api.Test;

class VirtualTimersTest {
    private final VirtualTimers v = new TimerFactoryComponent().virtual();

    @Test
    void timeStandsStillUntilATimerFiresAndEqualDeadlinesFireInArmingOrder() {
        List<String> fired = new ArrayList<>();
        HvTimer a = v.createTimer(0, now -> fired.add("a@" + now));
        HvTimer b = v.createTimer(1, now -> fired.add("b@" + now));
        HvTimer c = v.createTimer(2, now -> fired.add("c@" + now));
        b.set(100);
        a.set(100);
        c.set(50);
        assertEquals(0, v.now());
        assertEquals(50, v.nextDeadline());
        assertFalse(v.fireNext(49), "not due before 50");
        assertTrue(v.fireNext(Long.MAX_VALUE));
        assertEquals(50, v.now());
        while (v.fireNext(Long.MAX_VALUE)) { }
        assertEquals(List.of("c@50", "b@100", "a@100"), fired);
        assertEquals(3, v.fired());
        assertEquals(Long.MAX_VALUE, v.nextDeadline());
    }

    @Test
    void reArmingMovesATimerAndStopDisarmsIt() {
        List<String> fired = new ArrayList<>();
        HvTimer a = v.createTimer(0, now -> fired.add("a@" + now));
        HvTimer b = v.createTimer(0, now -> fired.add("b@" + now));
        a.set(10);
        b.set(20);
        a.set(30);
        assertEquals(30, a.deadline());
        b.stop();
        assertFalse(b.isActive());
        assertEquals(-1, b.deadline());
        b.stop(); // a no-op
        while (v.fireNext(Long.MAX_VALUE)) { }
        assertEquals(List.of("a@30"), fired);
    }

    @Test
    void aDeadlineInThePastIsClampedToNowAndTheClockNeverGoesBack() {
        v.advanceTo(1000);
        v.advanceTo(500);
        assertEquals(1000, v.now());
        long[] at = {-1};
        HvTimer t = v.createTimer(0, now -> at[0] = now);
        t.set(10);
        assertEquals(1000, t.deadline());
        assertTrue(v.fireNext(1000));
        assertEquals(1000, at[0]);
    }

    @Test
    void callbacksMayArmTimersAndManyTimersFireInExactOrder() {
        // a reference model: every (deadline, arming sequence) must come out sorted
        SplittableRandom r = new SplittableRandom(7);
        int n = 2000;
        HvTimer[] timers = new HvTimer[n];
        TreeMap<Long, Integer> expected = new TreeMap<>();
        List<Integer> order = new ArrayList<>();
        long seq = 0;
        for (int i = 0; i < n; i++) {
            int k = i;
            timers[i] = v.createTimer(i % 64, now -> order.add(k));
        }
        long[] armedSeq = new long[n];
        long[] deadline = new long[n];
        for (int round = 0; round < 3 * n; round++) {
            int i = r.nextInt(n);
            if (r.nextInt(5) == 0) {
                timers[i].stop();
                if (deadline[i] >= 0) expected.remove(deadline[i] * 100_000 + armedSeq[i]);
                deadline[i] = -1;
            } else {
                if (timers[i].isActive()) expected.remove(deadline[i] * 100_000 + armedSeq[i]);
                deadline[i] = r.nextInt(1000);
                armedSeq[i] = seq++;
                timers[i].set(deadline[i]);
                expected.put(deadline[i] * 100_000 + armedSeq[i], i);
            }
        }
        // a callback that re-arms its own timer (at the same time, then later) fires again
        HvTimer[] chain = new HvTimer[1];
        int[] left = {2};
        chain[0] = v.createTimer(0, now -> {
            order.add(-1);
            if (left[0]-- > 0) chain[0].set(now + left[0]);
        });
        chain[0].set(2000);
        while (v.fireNext(Long.MAX_VALUE)) { }
        List<Integer> want = new ArrayList<>(expected.values());
        want.addAll(List.of(-1, -1, -1));
        assertEquals(want, order);
        assertEquals(2001, v.now());
    }
}
