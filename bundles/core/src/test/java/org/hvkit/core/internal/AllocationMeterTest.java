package org.hvkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AllocationMeterTest {
    static volatile byte[] sink;

    @Test
    void countsWhatAnotherThreadAllocates() throws Exception {
        HookGuard.AllocationMeter m = HookGuard.AllocationMeter.create();
        CountDownLatch done = new CountDownLatch(1), seen = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 8; i++) sink = new byte[16 << 20];
            done.countDown();
            try {
                seen.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        done.await();
        long bytes = m.allocated(t);
        seen.countDown();
        t.join();
        assertTrue(bytes >= 8L * (16 << 20), "the meter saw " + bytes + " bytes of at least 128 MiB");
    }
}
