package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 on KVM: a scheduler in its own pool that spins, sleeps, hoards memory, gives 1 ns slices
 * or tickles every pCPU inside do_schedule is evicted at its bound (a stuck pCPU thread gets a
 * successor), the guest in Pool-0 never stops and the pool's own guest runs on under the fallback.
 */
class KvmContainmentTest {
    static final java.util.concurrent.atomic.AtomicLong MISBEHAVED_AT = new java.util.concurrent.atomic.AtomicLong();

    /** Credit1, except that after 20 decisions do_schedule spins or sleeps for 3 s. */
    static SchedulerProvider faulty(SchedulerProvider credit1, String how) {
        return (SchedulerProvider) Proxy.newProxyInstance(KvmContainmentTest.class.getClassLoader(), new Class<?>[] {SchedulerProvider.class}, (p, m, a) -> {
            switch (m.getName()) {
                case "optName": return how;
                case "schedulerId": return 990;
                case "create": {
                    Scheduler inner = credit1.create((SchedulerContext) a[0], (Map<String, Long>) a[1]);
                    AtomicInteger n = new AtomicInteger();
                    return Proxy.newProxyInstance(KvmContainmentTest.class.getClassLoader(), new Class<?>[] {Scheduler.class}, (q, mm, aa) -> {
                        if (mm.getName().equals("doSchedule") && n.incrementAndGet() > 20) {
                            MISBEHAVED_AT.compareAndSet(0, System.nanoTime());
                            switch (how) {
                                case "spinner" -> {
                                    long end = System.nanoTime() + 3_000_000_000L;
                                    while (System.nanoTime() < end) Thread.onSpinWait();
                                }
                                case "sleeper" -> Thread.sleep(3000);
                                case "tinyslices" -> {
                                    org.hvkit.api.sched.Decision d = (org.hvkit.api.sched.Decision) mm.invoke(inner, aa);
                                    return d.vcpu() == null ? d : org.hvkit.api.sched.Decision.run(d.vcpu(), 1);
                                }
                                case "ticklestorm" -> {
                                    SchedulerContext ctx = (SchedulerContext) a[0];
                                    for (int c = 0; c < ctx.topology().nrCpus(); c++) ctx.tickle(c);
                                }
                                case "hoarder" -> {
                                    java.util.List<byte[]> hoard = new java.util.ArrayList<>();
                                    for (int i = 0; i < 40; i++) {
                                        hoard.add(new byte[16 << 20]);
                                        long end = System.nanoTime() + 1_000_000L;
                                        while (System.nanoTime() < end) Thread.onSpinWait();
                                    }
                                    hoard.clear();
                                }
                                default -> throw new IllegalArgumentException(how);
                            }
                        }
                        try {
                            return mm.invoke(inner, aa);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
                }
                default:
                    try {
                        return m.invoke(credit1, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"spinner", "sleeper", "tinyslices", "ticklestorm", "hoarder"})
    void aStuckSchedulerCostsOnlyItsPool(String how) throws Exception {
        Assumptions.assumeTrue(KvmRig.credit1() != null, "credit1 is not on the class path");
        try (KvmRig rig = new KvmRig(null, true)) {
            int n = rig.platform.topology().nrCpus();
            Assumptions.assumeTrue(n >= 2, "needs two pCPUs");
            CpuMask last = CpuMask.parse(String.valueOf(n - 1), n);
            rig.core.removePoolCpus(0, last);
            int pool = rig.core.createPool("faulty", "credit", last).id();
            DomainInfo bystander = rig.create("bystander", "burn", null, 8, null, null);
            DomainInfo inmate = rig.create("inmate", "burn", null, 8, null, null);
            rig.core.migrateDomain(inmate.id(), pool);
            rig.core.addScheduler(faulty(KvmRig.credit1(), how));
            if (how.equals("hoarder")) {
                // allocation is slow in a small test heap: let the allocation bound, not the clock, be what it crosses
                var b = rig.core.bounds(pool);
                rig.core.setBounds(pool, new org.hvkit.api.toolstack.PoolBounds(b.stallNs(), 5_000_000_000L, b.allocBytes(), b.ratePerCpuMs()));
            }
            assertTrue(KvmRig.waitFor(() -> rig.reported(bystander.id(), 0) > 2 && rig.reported(inmate.id(), 0) > 2, 10_000), "both guests run: " + rig.console());
            MISBEHAVED_AT.set(0);
            rig.core.switchScheduler(pool, how);
            assertTrue(KvmRig.waitFor(() -> !rig.core.pools().get(1).scheduler().equals(how), 10_000), how + " not evicted: " + rig.console());
            long evictedMs = (System.nanoTime() - MISBEHAVED_AT.get()) / 1_000_000;
            long b0 = rig.reported(bystander.id(), 0), i0 = rig.reported(inmate.id(), 0);
            assertTrue(KvmRig.waitFor(() -> rig.reported(bystander.id(), 0) > b0 + 3, 10_000), "the bystander in Pool-0 stopped: " + rig.console());
            assertTrue(KvmRig.waitFor(() -> rig.reported(inmate.id(), 0) > i0 + 3, 10_000), "the inmate stopped under the fallback: " + rig.console());
            String log = String.join("\n", rig.console());
            String bound = switch (how) {
                case "tinyslices", "ticklestorm" -> "rate bound: ";
                case "hoarder" -> "allocation bound: do_schedule";
                default -> "wall-clock bound: do_schedule";
            };
            assertTrue(log.contains("scheduler " + how + " evicted: " + bound), log);
            if (!bound.startsWith("rate")) assertTrue(log.contains("thread hvkit-pcpu" + (n - 1)), log);
            assertEquals("credit", rig.core.pools().get(1).scheduler());
            System.out.println("KVM (PVM, 2 shared cores): " + how + " evicted " + evictedMs + " ms after do_schedule went wrong (" + bound.trim() + ")");
        }
    }
}
