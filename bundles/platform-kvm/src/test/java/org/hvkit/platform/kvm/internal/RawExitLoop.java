package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.memory.GuestMemory;
import org.hvkit.api.platform.GuestEvents;
import org.hvkit.api.platform.GuestSpec;
import org.hvkit.api.platform.VcpuPort;

/**
 * The baseline for the exit-path figure: one guest vCPU driven by a bare loop on its own pinned
 * thread — {@code KVM_RUN}, read the exit, re-enter — with the core, the scheduler and the
 * carrier out of the way. Only the hot exit (a REPORT hypercall) is handled by the loop itself;
 * the rare others (start-up reads, power-off) go to hvkit's handler. Its "exit path" is the
 * least any Java VMM on FFM does between two {@code KVM_RUN}s.
 */
final class RawExitLoop {
    private RawExitLoop() {}

    static ExitPathStats.Summary run(KvmPlatform pf, Path kernel, String extra, int hostCpu) throws Exception {
        int domid = 32000;
        GuestMemory mem = pf.memory().allocate(domid, 8L << 20);
        boolean[] down = {false};
        GuestEvents events = new GuestEvents() {
            @Override public void console(byte[] data, int off, int len) {}
            @Override public void log(String line) {}
            @Override public void report(int key, long value) {}
            @Override public void shutdown(ShutdownReason reason, String detail) { down[0] = true; }
        };
        VcpuPort port = new VcpuPort() {
            @Override public int domainId() { return domid; }
            @Override public int vcpuId() { return 0; }
            @Override public void block() {}
            @Override public void wake() {}
            @Override public void yield() {}
        };
        GuestSpec spec = new GuestSpec(domid, "raw", mem, List.of(port), Map.of("kernel", kernel.toString(), "extra", extra), events);
        KvmGuest g = (KvmGuest) pf.call(() -> pf.createGuest(spec));
        KvmVcpu v = g.vcpus[0];
        ExitPathStats stats = new ExitPathStats();
        Throwable[] failed = {null};
        Thread t = Thread.ofPlatform().name("raw-exit-loop").start(() -> {
            try {
                Native.pinToCpu(hostCpu);
                Native.blockSignal(KvmPlatform.KICK_SIGNAL);
                long previousExit = 0;
                while (!down[0]) {
                    long entered = System.nanoTime();
                    if (previousExit != 0) stats.recordPath(entered - previousExit);
                    int r = Native.ioctlRaw(v.fd, Kvm.RUN, 0);
                    long left = System.nanoTime();
                    stats.recordRun(left - entered);
                    previousExit = 0;
                    if (r < 0) continue;
                    if (v.run.get(JAVA_INT, Kvm.RUN_EXIT_REASON) == Kvm.EXIT_MMIO && v.run.get(JAVA_BYTE, Kvm.RUN_MMIO_IS_WRITE) != 0) {
                        long off = v.run.get(JAVA_LONG, Kvm.RUN_MMIO_PHYS) - GuestAbi.HC_BASE;
                        if (off >= GuestAbi.HC_REPORT && off < GuestAbi.HC_REPORT + 8L * GuestAbi.NR_REPORTS) {
                            previousExit = left;
                            continue;
                        }
                    }
                    pf.lock().lock();
                    try {
                        v.handleExit();
                    } finally {
                        pf.lock().unlock();
                    }
                }
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        t.join(120_000);
        pf.call(() -> {
            g.destroy();
            return null;
        });
        mem.close();
        if (failed[0] != null) throw new IllegalStateException("raw loop failed", failed[0]);
        return stats.summary();
    }
}
