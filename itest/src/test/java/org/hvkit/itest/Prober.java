package org.hvkit.itest;

import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.toolstack.Hypervisor;

/**
 * Polls the toolstack every 2 ms while a fault plays out: keeps the longest wall time one call took,
 * and the longest wall time during which the watched domain's CPU time did not grow (its gap in
 * progress; a hog's CPU time is charged at least once per slice).
 */
final class Prober implements AutoCloseable {
    final AtomicLong worstCallNs = new AtomicLong();
    final AtomicLong worstGapNs = new AtomicLong();
    /** The first call that failed (none should: a call that met a stuck hook is redone), or null. */
    volatile String failed;
    private volatile boolean stop;
    private final Thread t;

    Prober(Hypervisor hv, String watched) {
        t = Thread.ofPlatform().name("toolstack-prober").daemon().start(() -> {
            long lastCpu = -1, since = System.nanoTime();
            while (!stop) {
                long t0 = System.nanoTime();
                long cpu;
                try {
                    cpu = hv.findDomain(watched).orElseThrow().cpuTimeNs();
                } catch (RuntimeException e) {
                    if (failed == null) failed = e.toString();
                    continue;
                }
                long t1 = System.nanoTime();
                worstCallNs.accumulateAndGet(t1 - t0, Math::max);
                if (cpu != lastCpu) {
                    if (lastCpu >= 0) worstGapNs.accumulateAndGet(t1 - since, Math::max);
                    lastCpu = cpu;
                    since = t1;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        t.join(5000);
    }
}
