package org.hvkit.benchmarks;

import java.time.Duration;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.testkit.Simulation;

/**
 * How fast the simulated machine runs: virtual seconds simulated per wall second, for a host of
 * {@code pcpus} pCPUs carrying {@code vcpus} CPU-bound vCPUs under credit1.
 *
 * <p>Usage: {@code bin/bench sim-throughput [pcpus=16] [vcpus=64] [seconds=60] [rounds=5]}.
 */
public final class SimThroughput {
    public static void main(String[] args) {
        Map<String, String> a = Args.parse(args);
        int pcpus = Integer.parseInt(a.getOrDefault("pcpus", "16"));
        int vcpus = Integer.parseInt(a.getOrDefault("vcpus", "64"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "5"));
        int perDomain = 4;
        System.out.printf("sim-throughput: %d pCPUs, %d CPU-bound vCPUs (%d domains x %d), credit1, %d virtual s per round, %d rounds%n",
                pcpus, vcpus, vcpus / perDomain, perDomain, seconds, rounds);
        System.out.println(Machine.describe());
        try (Simulation sim = Simulation.builder().topology(HostTopology.of(1, pcpus, 1, 1, 256L << 30))
                .scheduler(Schedulers.byName("credit")).seed(1).build()) {
            for (int d = 0; d < vcpus / perDomain; d++) {
                sim.create(DomainConfig.builder("hog" + d).vcpus(perDomain).memoryMb(64)
                        .platformOptions(Map.of("workload", "cpu")).build());
            }
            sim.run(Duration.ofSeconds(2)); // warm up the JIT
            double best = 0, sum = 0;
            for (int r = 1; r <= rounds; r++) {
                long events0 = sim.platform().eventsFired();
                long t0 = System.nanoTime();
                sim.run(Duration.ofSeconds(seconds));
                double wall = (System.nanoTime() - t0) / 1e9;
                double ratio = seconds / wall;
                long events = sim.platform().eventsFired() - events0;
                System.out.printf("round %d: %d virtual s in %.3f wall s = %.0f virtual s per wall s, %.2f M events/s%n",
                        r, seconds, wall, ratio, events / wall / 1e6);
                best = Math.max(best, ratio);
                sum += ratio;
            }
            System.out.printf("result: mean %.0f, best %.0f virtual seconds per wall second (target >= 1000)%n", sum / rounds, best);
        }
    }
}
