package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.testkit.Simulation;
import org.junit.jupiter.api.Test;

/** The scheduler on the real core and simulated machine (hvkit's test kit), stepped by the test. */
class ${className}SchedulerTest {
    private static Simulation host() {
        return Simulation.builder().topology(HostTopology.of(1, 2, 1, 1, 8L << 30))
                .scheduler(new ${className}Provider()).defaultScheduler("${pluginName}").seed(1).build();
    }

    @Test
    void twoHogsOnOnePcpuShareItEvenly() {
        try (Simulation sim = host()) {
            DomainInfo a = sim.create(DomainConfig.builder("a").cpus(CpuMask.of(0)).platformOptions(Map.of("workload", "cpu")).build());
            DomainInfo b = sim.create(DomainConfig.builder("b").cpus(CpuMask.of(0)).platformOptions(Map.of("workload", "cpu")).build());
            sim.run(Duration.ofSeconds(2));
            double share = (double) sim.cpuTimeNs(a.id()) / (sim.cpuTimeNs(a.id()) + sim.cpuTimeNs(b.id()));
            assertEquals(0.5, share, 0.02, "round robin splits one pCPU evenly");
        }
    }

    @Test
    void aBadSliceIsRefusedAndChangesNothing() {
        try (Simulation sim = host()) {
            HypervisorException e = assertThrows(HypervisorException.class, () -> sim.hypervisor().setPoolSchedParams(0, Map.of("tslice_ms", 0L)));
            assertTrue(e.getMessage().contains("tslice_ms 0 out of range"), e.getMessage());
            assertEquals(10L, sim.hypervisor().poolSchedParams(0).get("tslice_ms"));
        }
    }
}
