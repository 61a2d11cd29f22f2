package org.hvkit.sched.credit1.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.testkit.Simulation;
import org.junit.jupiter.api.Test;

/** Parameter ranges with Xen's messages, and nothing changed on rejection. */
class Credit1ParamsTest {
    private static Simulation sim() {
        return Simulation.builder().topology(HostTopology.of(1, 2, 1, 1, 8L << 30)).scheduler(new Credit1Provider()).build();
    }

    @Test
    void weightAndCapRangesUseXensMessages() {
        try (Simulation s = sim()) {
            Hypervisor hv = s.hypervisor();
            DomainInfo d = s.create(DomainConfig.builder("d").vcpus(2).weight(300).platformOptions(Map.of("workload", "cpu")).build());
            assertEquals(Map.of("weight", 300L, "cap", 0L), hv.domainSchedParams(d.id()));
            HypervisorException w = assertThrows(HypervisorException.class, () -> hv.setDomainSchedParams(d.id(), Map.of("weight", 65536L)));
            assertEquals("Cpu weight out of range, valid values are within range from 1 to 65535", w.getMessage());
            assertThrows(HypervisorException.class, () -> hv.setDomainSchedParams(d.id(), Map.of("weight", 0L)));
            HypervisorException c = assertThrows(HypervisorException.class, () -> hv.setDomainSchedParams(d.id(), Map.of("weight", 100L, "cap", 201L)));
            assertEquals("Cpu cap out of range, valid range is from 0 to 200 for specified number of vcpus", c.getMessage());
            assertEquals(Map.of("weight", 300L, "cap", 0L), hv.domainSchedParams(d.id()), "a rejected change changes nothing");
            hv.setDomainSchedParams(d.id(), Map.of("cap", 150L));
            assertEquals(Map.of("weight", 300L, "cap", 150L), hv.domainSchedParams(d.id()));
        }
    }

    @Test
    void creatingWithAnOutOfRangeWeightCreatesNothing() {
        try (Simulation s = sim()) {
            HypervisorException e = assertThrows(HypervisorException.class,
                    () -> s.create(DomainConfig.builder("x").weight(70000).platformOptions(Map.of("workload", "cpu")).build()));
            assertEquals("Cpu weight out of range, valid values are within range from 1 to 65535", e.getMessage());
            assertEquals(1, s.hypervisor().listDomains().size());
        }
    }

    @Test
    void poolParametersFollowXensRanges() {
        try (Simulation s = sim()) {
            Hypervisor hv = s.hypervisor();
            assertEquals(Map.of("tslice_ms", 30L, "ratelimit_us", 1000L), hv.poolSchedParams(0));
            assertThrows(HypervisorException.class, () -> hv.setPoolSchedParams(0, Map.of("tslice_ms", 1001L)));
            assertThrows(HypervisorException.class, () -> hv.setPoolSchedParams(0, Map.of("ratelimit_us", 99L)));
            HypervisorException e = assertThrows(HypervisorException.class, () -> hv.setPoolSchedParams(0, Map.of("tslice_ms", 1L, "ratelimit_us", 5000L)));
            assertEquals("ratelimit_us (5000) must not exceed tslice_ms (1 ms)", e.getMessage());
            assertEquals(Map.of("tslice_ms", 30L, "ratelimit_us", 1000L), hv.poolSchedParams(0));
            hv.setPoolSchedParams(0, Map.of("tslice_ms", 10L, "ratelimit_us", 500L));
            assertEquals(Map.of("tslice_ms", 10L, "ratelimit_us", 500L), hv.poolSchedParams(0));
        }
    }

    @Test
    void shorterTimesliceShortensWaits() {
        try (Simulation s = sim()) {
            s.hypervisor().setPoolSchedParams(0, Map.of("tslice_ms", 5L));
            DomainInfo a = s.create(DomainConfig.builder("a").cpus(org.hvkit.api.domain.CpuMask.of(0)).platformOptions(Map.of("workload", "cpu")).build());
            DomainInfo b = s.create(DomainConfig.builder("b").cpus(org.hvkit.api.domain.CpuMask.of(0)).platformOptions(Map.of("workload", "cpu")).build());
            s.run(Duration.ofSeconds(1));
            assertEquals(1.0, (double) s.cpuTimeNs(a.id()) / s.cpuTimeNs(b.id()), 0.05);
        }
    }

    @Test
    void dumpShowsSettingsAndVcpusInXensFormat() {
        try (Simulation s = sim()) {
            s.create(DomainConfig.builder("a").weight(512).platformOptions(Map.of("workload", "cpu")).build());
            s.run(Duration.ofMillis(100));
            String dump = String.join("", s.core().dumpSchedulers());
            assertTrue(dump.contains("tslice             = 30ms"), dump);
            assertTrue(dump.contains("ratelimit          = 1000us"), dump);
            assertTrue(dump.matches("(?s).*\\[1\\.0\\] pri=-?\\d+ flags=\\w* cpu=\\d credit=-?\\d+ \\[w=512\\].*"), dump);
        }
    }
}
