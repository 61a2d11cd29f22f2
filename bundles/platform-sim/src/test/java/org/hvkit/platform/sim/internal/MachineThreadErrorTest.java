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
        java.util.List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
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

            @Override
            public void log(String line) {
                logged.add(line);
            }
        });
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((p.machineErrors() < 1 || calls.get() < 2) && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, p.machineErrors(), "the error is counted (and logged)");
            assertTrue(calls.get() >= 2, "the machine thread went on scheduling after the error");
            assertEquals(java.util.List.of("machine thread hvkit-sim: java.lang.OutOfMemoryError: Java heap space (test); the machine continues in 100 ms"), logged,
                    "the host's console ring is told, with the thread's name");
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

    /** With the real core: the error is a line of xl dmesg, and the host runs on. */
    @Test
    void theErrorIsInTheCoresConsoleRing() throws Exception {
        SimPlatform p = new SimPlatform(new SimConfig(HostTopology.of(1, 2, 1, 1, 1L << 30), 1, SimConfig.Mode.FAST, 1), new TimerFactoryComponent());
        var core = new org.hvkit.core.internal.HypervisorCore(p, org.hvkit.core.internal.CoreConfig.defaults().withDefaultScheduler("rr-fallback"));
        core.start();
        try {
            p.call(() -> {
                var t = p.timers().createTimer(0, now -> {
                    throw new IllegalStateException("a broken timer callback (test)");
                });
                t.set(p.timers().now() + 1_000_000L);
                return null;
            });
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (p.machineErrors() < 1 && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(core.readConsole(false).stream().anyMatch(l -> l.contains("machine thread hvkit-sim: java.lang.IllegalStateException: a broken timer callback (test)")),
                    String.join("\n", core.readConsole(false)));
            assertEquals(1, core.listDomains().size(), "the host is up and answers");
        } finally {
            core.stop();
        }
    }
}
