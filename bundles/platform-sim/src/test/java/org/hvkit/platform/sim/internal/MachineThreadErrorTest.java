package org.hvkit.platform.sim.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.hvkit.api.platform.Dispatch;
import org.hvkit.api.platform.GuestVcpu;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.platform.MachineHost;
import org.hvkit.timer.internal.TimerFactoryComponent;
import org.junit.jupiter.api.Test;

/** An error in the machine thread (here an OutOfMemoryError from the schedule path) is counted and logged, and the machine runs on. */
class MachineThreadErrorTest {
    @Test
    void anOutOfMemoryErrorDoesNotKillTheMachineSilently() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SimPlatform p = new SimPlatform(new SimConfig(HostTopology.of(1, 2, 1, 1, 1L << 30), 1, SimConfig.Mode.FAST, 1), new TimerFactoryComponent());
        p.start(new MachineHost() {
            @Override
            public Dispatch schedule(int cpu) {
                if (calls.getAndIncrement() == 0) throw new OutOfMemoryError("Java heap space (test)");
                return Dispatch.IDLE;
            }

            @Override
            public GuestVcpu current(int cpu) {
                return null;
            }
        });
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((p.machineErrors() < 1 || calls.get() < 2) && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, p.machineErrors(), "the error is counted (and logged)");
            assertTrue(calls.get() >= 2, "the machine thread went on scheduling after the error");
            p.tickle(0);
            int before = calls.get();
            p.call(() -> { p.tickle(1); return null; });
            deadline = System.nanoTime() + 5_000_000_000L;
            while (calls.get() == before && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(calls.get() > before, "still alive: a tickle is answered");
        } finally {
            p.stop();
        }
    }
}
