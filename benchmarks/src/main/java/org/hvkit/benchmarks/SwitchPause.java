package org.hvkit.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.testkit.Simulation;

/**
 * The pause of a live scheduler switch (credit1 <-> credit2) of a loaded pool: wall-clock time
 * during which the pool runs nothing, for 10, 100 and 1000 vCPUs.
 *
 * <p>Usage: {@code bin/bench switch-pause [switches=200]}.
 */
public final class SwitchPause {
    public static void main(String[] args) {
        Map<String, String> a = Args.parse(args);
        int switches = Integer.parseInt(a.getOrDefault("switches", "200"));
        System.out.println("switch-pause: live switch of Pool-0 between credit1 and credit2 under load, " + switches + " switches per size");
        System.out.println(Machine.describe());
        for (int vcpus : new int[] {10, 100, 1000}) {
            try (Simulation sim = Simulation.builder().topology(HostTopology.of(2, 8, 1, 2, 256L << 30))
                    .scheduler(Schedulers.byName("credit")).scheduler(Schedulers.byName("credit2")).seed(1).build()) {
                int perDomain = 10;
                for (int d = 0; d < vcpus / perDomain; d++) {
                    sim.create(DomainConfig.builder("d" + d).vcpus(perDomain).memoryMb(16).weight(128 + d)
                            .platformOptions(Map.of("workload", d % 2 == 0 ? "cpu" : "run 1ms; sleep exp(4ms)")).build());
                }
                sim.run(Duration.ofMillis(500));
                for (int i = 0; i < 50; i++) { // warm-up: JIT-compile the switch path, not measured
                    sim.hypervisor().switchScheduler(0, i % 2 == 0 ? "credit2" : "credit");
                    sim.run(Duration.ofMillis(20));
                }
                long[] pauses = new long[switches];
                for (int i = 0; i < switches; i++) {
                    pauses[i] = sim.hypervisor().switchScheduler(0, i % 2 == 0 ? "credit2" : "credit");
                    sim.run(Duration.ofMillis(20));
                }
                Arrays.sort(pauses);
                long[] warm = Arrays.copyOfRange(pauses, 0, switches);
                System.out.printf("%5d vCPUs: pause p50 %7.1f us, p90 %7.1f us, p99 %7.1f us, max %7.1f us (target <= 1000 us at 1000 vCPUs)%n",
                        vcpus, warm[switches / 2] / 1e3, warm[switches * 9 / 10] / 1e3, warm[Math.min(switches - 1, switches * 99 / 100)] / 1e3,
                        warm[switches - 1] / 1e3);
            }
        }
    }
}
