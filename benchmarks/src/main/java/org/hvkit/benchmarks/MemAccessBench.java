package org.hvkit.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;
import org.hvkit.memaccess.internal.MemAccessService;
import org.hvkit.testkit.Simulation;

/**
 * Memory access figures on the simulated machine: setting an access over 1 GiB (target <= 50 ms)
 * in the p2m and through the service, and sustained violation events per second through the
 * whole path (simulated vCPU -> handler -> ring -> listener thread -> answer -> resume).
 *
 * <p>Usage: {@code bin/bench mem-access [seconds=3] [rounds=21]}.
 */
public final class MemAccessBench {
    private static final long GIB_PAGES = 1L << 18;

    public static void main(String[] args) {
        Map<String, String> a = Args.parse(args);
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "3"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "21"));
        System.out.println("mem-access: p2m access changes and violation events on the simulated machine");
        System.out.println(Machine.describe());
        setAccess(rounds);
        // the session thread's spin for the next event (Session.SPIN_NS) on and off, same run
        for (long spin : new long[] {200_000, 0}) {
            events(seconds, 1, spin);
            events(seconds, 8, spin);
        }
    }

    private static void setAccess(int rounds) {
        long[] whole = new long[rounds], split = new long[rounds], fragmented = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            P2mTable t = new P2mTable(1, GIB_PAGES);
            t.populate(0, GIB_PAGES, PageOrder.ORDER_2M, P2mType.RAM);
            long t0 = System.nanoTime();
            t.setAccess(0, GIB_PAGES, P2mAccess.RX); // 512 superpages, each kept
            whole[r] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            t.setAccess(1, GIB_PAGES - 1, P2mAccess.RW); // splits the first superpage only
            split[r] = System.nanoTime() - t0;
            for (long g = 0; g < GIB_PAGES; g += 2) t.setAccess(g, 1, P2mAccess.N); // every superpage split, every other page differs
            t0 = System.nanoTime();
            t.setAccess(0, GIB_PAGES, P2mAccess.RWX); // 262 144 4 KiB entries
            fragmented[r] = System.nanoTime() - t0;
        }
        System.out.println(String.format(Locale.ROOT, "set access over 1 GiB (median of %d, min-max):", rounds));
        line("  2 MiB superpages, whole", whole);
        line("  all but the first frame (one split)", split);
        line("  every superpage split into 4 KiB entries", fragmented);
        // through the service on a live simulated domain
        try (Simulation sim = Simulation.builder().scheduler(Schedulers.byName("credit")).seed(1).build();
                MemAccessService ma = new MemAccessService(sim.platform(), 1_000_000_000L)) {
            int d = sim.create(DomainConfig.builder("big").vcpus(1).memoryMb(1024).platformOptions(Map.of("workload", "cpu")).build()).id();
            long[] svc = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                ma.setAccess(d, 0, GIB_PAGES, r % 2 == 0 ? P2mAccess.RX : P2mAccess.RWX);
                svc[r] = System.nanoTime() - t0;
            }
            line("  MemAccess.setAccess on a 1 GiB simulated domain", svc);
        }
    }

    private static void line(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.println(String.format(Locale.ROOT, "%-52s %9.3f ms (%.3f-%.3f)  target <= 50 ms", what, s[s.length / 2] / 1e6, s[0] / 1e6, s[s.length - 1] / 1e6));
    }

    /** One vCPU writes one restricted page over and over; the listener lets each write complete once, so every write is an event. */
    private static void events(double seconds, int vcpus, long spinNs) {
        try (Simulation sim = Simulation.builder().scheduler(Schedulers.byName("credit")).seed(1).build();
                MemAccessService ma = new MemAccessService(sim.platform(), 1_000_000_000L)) {
            ma.spinNanos(spinNs);
            int d = sim.create(DomainConfig.builder("w").vcpus(vcpus).memoryMb(64).platformOptions(Map.of("workload", "run 1s touch w 0x10000-0x10fff every 1us")).build()).id();
            ma.setAccess(d, 0x10, 1, P2mAccess.RX);
            AtomicLong n = new AtomicLong();
            MemAccessSession s = ma.enable(d, e -> {
                n.incrementAndGet();
                return AccessResponse.completeOnce();
            });
            long warm = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < warm) sim.run(Duration.ofNanos(100_000));
            long n0 = n.get(), t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < end) sim.run(Duration.ofNanos(100_000));
            long events = n.get() - n0, wall = System.nanoTime() - t0;
            s.close();
            System.out.println(String.format(Locale.ROOT, "violation events, %d writing vCPU(s) on 4 pCPUs, one listener (spin %d us), every write an event: %d in %.2f s = %.0f events/s (%.1f us of wall time per event)",
                    vcpus, spinNs / 1000, events, wall / 1e9, events / (wall / 1e9), wall / 1e3 / Math.max(1, events)));
        }
    }
}
