package org.hvkit.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.platform.VcpuPort;
import org.hvkit.testkit.Simulation;

/**
 * A simulated host where every pCPU is busy: two CPU-bound vCPUs per pCPU (16 pCPUs per socket),
 * plus {@code sleepers} vCPUs that stay blocked until a benchmark wakes them, placed by the core
 * like any other; run for 200 ms of virtual time so that everything has settled.
 */
final class BusyHost {
    final Simulation sim;
    final VcpuPort[] sleepers;

    BusyHost(String scheduler, int pcpus, int sleepers) {
        int perSocket = Math.min(pcpus, 16);
        sim = Simulation.builder().topology(HostTopology.of(pcpus / perSocket, perSocket, 1, 1, 1L << 40))
                .scheduler(Schedulers.byName(scheduler)).seed(1).build();
        for (int d = 0; d < pcpus / 2; d++) {
            sim.create(DomainConfig.builder("hog" + d).vcpus(4).memoryMb(16).platformOptions(Map.of("workload", "cpu")).build());
        }
        List<VcpuPort> ports = new ArrayList<>();
        for (int d = 0; ports.size() < sleepers; d++) {
            DomainInfo info = sim.create(DomainConfig.builder("idle" + d).vcpus(4).memoryMb(16).platformOptions(Map.of("workload", "idle")).build());
            for (int v = 0; v < 4; v++) ports.add(sim.core().vcpuPort(info.id(), v));
        }
        this.sleepers = ports.toArray(VcpuPort[]::new);
        sim.run(Duration.ofMillis(200));
    }

    /** Wakes sleeper {@code i} and puts it back to sleep, in machine context. */
    void wakeAndSleep(int i) throws Exception {
        VcpuPort p = sleepers[i];
        sim.platform().call(() -> {
            p.wake();
            p.block();
            return null;
        });
    }
}
