package org.hvkit.timer.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.hvkit.api.timer.HvTimer;
import org.hvkit.api.timer.MonotonicTimers;
import org.junit.jupiter.api.Test;

class MonotonicTimersTest {
    private final ReentrantLock lock = new ReentrantLock();

    @Test
    void timersFireInDeadlineThenArmingOrderHoldingTheMachineLock() throws Exception {
        try (MonotonicTimers t = new TimerFactoryComponent().monotonic("test-timers", lock)) {
            t.start();
            List<String> fired = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(4);
            long base = t.now() + 30_000_000L;
            HvTimer a = t.createTimer(0, now -> { fired.add("a" + lock.isHeldByCurrentThread()); done.countDown(); });
            HvTimer b = t.createTimer(0, now -> { fired.add("b" + lock.isHeldByCurrentThread()); done.countDown(); });
            HvTimer c = t.createTimer(1, now -> { fired.add("c"); done.countDown(); });
            HvTimer d = t.createTimer(1, now -> { fired.add("d"); done.countDown(); });
            HvTimer never = t.createTimer(1, now -> fired.add("never"));
            d.set(base + 10_000_000L);
            b.set(base);
            a.set(base);
            c.set(base + 5_000_000L);
            never.set(base);
            never.stop();
            a.set(base - 1); // re-arming replaces the deadline
            assertTrue(a.isActive());
            assertEquals(base - 1, a.deadline());
            assertTrue(done.await(5, TimeUnit.SECONDS));
            Thread.sleep(20);
            assertEquals(List.of("atrue", "btrue", "c", "d"), fired);
            assertTrue(!a.isActive() && a.deadline() == -1);
            assertEquals(4, t.fired());
            assertTrue(t.maxLatenessNs() >= t.meanLatenessNs());
        }
    }

    @Test
    void aCallbackThatFiresNeverBeforeItsDeadlineOnTheMonotonicClock() throws Exception {
        try (MonotonicTimers t = new TimerFactoryComponent().monotonic("test-timers", lock)) {
            t.start();
            long[] firedAt = new long[20];
            long[] deadlines = new long[20];
            CountDownLatch done = new CountDownLatch(20);
            for (int i = 0; i < 20; i++) {
                int k = i;
                deadlines[i] = t.now() + 1_000_000L * (1 + i % 5);
                t.createTimer(0, now -> { firedAt[k] = t.now(); done.countDown(); }).set(deadlines[i]);
            }
            assertTrue(done.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 20; i++) assertTrue(firedAt[i] >= deadlines[i], "timer " + i + " fired " + (deadlines[i] - firedAt[i]) + " ns early");
        }
    }

    @Test
    void aThrowingCallbackDoesNotStopTheOthers() throws Exception {
        try (MonotonicTimers t = new TimerFactoryComponent().monotonic("test-timers", lock)) {
            t.start();
            CountDownLatch done = new CountDownLatch(1);
            t.createTimer(0, now -> { throw new IllegalStateException("plugin bug"); }).set(t.now() + 1_000_000L);
            t.createTimer(0, now -> done.countDown()).set(t.now() + 2_000_000L);
            assertTrue(done.await(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void nothingFiresAfterClose() throws Exception {
        MonotonicTimers t = new TimerFactoryComponent().monotonic("test-timers", lock);
        t.start();
        List<String> fired = Collections.synchronizedList(new ArrayList<>());
        t.createTimer(0, now -> fired.add("late")).set(t.now() + 50_000_000L);
        t.close();
        Thread.sleep(100);
        assertEquals(List.of(), fired);
        assertThrows(IllegalStateException.class, t::start);
    }
}
