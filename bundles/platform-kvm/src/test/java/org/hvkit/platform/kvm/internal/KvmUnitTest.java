package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.hvkit.api.timer.HvTimer;
import org.hvkit.guests.Guests;
import org.junit.jupiter.api.Test;

/** Parts that need no /dev/kvm. */
class KvmUnitTest {
    @Test
    void timersFireInDeadlineThenArmingOrderHoldingTheMachineLock() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        KvmTimers t = new KvmTimers(lock, System.nanoTime());
        t.start();
        try {
            List<String> fired = new ArrayList<>();
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
            assertTrue(done.await(5, TimeUnit.SECONDS));
            Thread.sleep(20);
            assertEquals(List.of("atrue", "btrue", "c", "d"), fired);
            assertTrue(!a.isActive() && a.deadline() == -1);
        } finally {
            t.stop();
        }
    }

    @Test
    void imagesAreCheckedBeforeAnythingIsBuilt() {
        byte[] hello = Guests.hello();
        GuestImage img = GuestImage.parse(hello, "hello");
        assertEquals(0x100000, img.entry());
        assertThrows(IllegalArgumentException.class, () -> GuestImage.parse(new byte[40], "zeros"));
        byte[] bad = hello.clone();
        bad[24] = 0x7F; // entry outside the kernel segment
        assertThrows(IllegalArgumentException.class, () -> GuestImage.parse(bad, "bad"));
    }

    @Test
    void argumentsParseWithUnits() {
        assertEquals(10_000_000L, KvmGuest.parseNumber("10ms"));
        assertEquals(250_000L, KvmGuest.parseNumber("250us"));
        assertEquals(2_000_000_000L, KvmGuest.parseNumber("2s"));
        assertEquals(0x1F, KvmGuest.parseNumber("0x1f"));
        assertEquals(3_000, KvmGuest.parseNumber("3k"));
        assertEquals(42, KvmGuest.parseNumber("42"));
    }
}
