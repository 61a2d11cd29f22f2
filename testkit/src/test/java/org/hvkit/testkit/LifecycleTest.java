package org.hvkit.testkit;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Map;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.domain.LifecycleAction;
import org.hvkit.api.domain.RunState;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.junit.jupiter.api.Test;

/** Shutdown actions, pinning, Domain-0 and creation errors on the real core. */
class LifecycleTest {
    private static Simulation sim() {
        return Simulation.builder().topology(HostTopology.of(1, 4, 1, 1, 8L << 30)).scheduler(new FifoScheduler.Provider()).trace(true).build();
    }

    private static DomainConfig.Builder hog(String name) {
        return DomainConfig.builder(name).memoryMb(100).platformOptions(Map.of("workload", "cpu"));
    }

    @Test
    void shutdownAppliesTheConfiguredAction() {
        try (Simulation s = sim()) {
            Hypervisor hv = s.hypervisor();
            DomainInfo gone = s.create(hog("gone").build());
            DomainInfo kept = s.create(hog("kept").onPoweroff(LifecycleAction.PRESERVE).build());
            DomainInfo back = s.create(hog("back").onReboot(LifecycleAction.RESTART).build());
            s.run(Duration.ofMillis(50));
            hv.shutdownDomain(gone.id(), ShutdownReason.POWEROFF);
            assertTrue(hv.domain(gone.id()).isEmpty(), "on_poweroff=destroy");
            hv.shutdownDomain(kept.id(), ShutdownReason.POWEROFF);
            DomainInfo k = hv.domain(kept.id()).orElseThrow();
            assertEquals("---s--", k.stateString(), "preserved, shut down with reason poweroff");
            long t = k.cpuTimeNs();
            s.run(Duration.ofMillis(50));
            assertEquals(t, hv.domain(kept.id()).orElseThrow().cpuTimeNs(), "a shut-down domain does not run");
            hv.shutdownDomain(back.id(), ShutdownReason.REBOOT);
            assertTrue(hv.domain(back.id()).isEmpty());
            DomainInfo again = hv.findDomain("back").orElseThrow();
            assertNotEquals(back.id(), again.id(), "restarted as a new domain");
            s.run(Duration.ofMillis(50));
            assertTrue(hv.domain(again.id()).orElseThrow().cpuTimeNs() > 0);
            assertThrows(HypervisorException.class, () -> hv.shutdownDomain(kept.id(), ShutdownReason.POWEROFF));
            String log = String.join("\n", hv.readConsole(false));
            assertTrue(log.contains("shutdown: reboot (requested by the toolstack); on_reboot action: restart"), log);
        }
    }

    @Test
    void crashedDomainShowsReasonLetter() {
        try (Simulation s = sim()) {
            DomainInfo d = s.create(hog("c").onCrash(LifecycleAction.PRESERVE).build());
            s.hypervisor().shutdownDomain(d.id(), ShutdownReason.CRASH);
            assertEquals("---sc-", s.hypervisor().domain(d.id()).orElseThrow().stateString());
        }
    }

    @Test
    void pinningMovesAVcpuAndIsHonoured() {
        try (Simulation s = sim()) {
            Hypervisor hv = s.hypervisor();
            DomainInfo d = s.create(hog("p").vcpus(1).cpus(CpuMask.of(0)).build());
            s.run(Duration.ofMillis(20));
            hv.pinVcpu(d.id(), 0, CpuMask.of(3));
            long pinnedAt = s.now();
            s.run(Duration.ofMillis(100));
            assertTrue(s.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.RUN && e.domid() == d.id() && e.timeNs() > pinnedAt)
                    .allMatch(e -> e.cpu() == 3));
            assertEquals(3, hv.vcpus(d.id()).get(0).processor());
            assertEquals(CpuMask.of(3), hv.vcpus(d.id()).get(0).hardAffinity());
            assertEquals(RunState.RUNNING, hv.vcpus(d.id()).get(0).state());
            HypervisorException e = assertThrows(HypervisorException.class, () -> hv.pinVcpu(d.id(), 5, CpuMask.of(1)));
            assertTrue(e.getMessage().contains("vcpu 5 does not exist"), e.getMessage());
        }
    }

    @Test
    void softAffinityComesFromTheConfigAndChangesWithoutTouchingTheHardOne() {
        try (Simulation s = sim()) {
            Hypervisor hv = s.hypervisor();
            DomainInfo d = s.create(hog("soft").vcpus(2).cpus(CpuMask.of(0, 1, 2)).cpusSoft(CpuMask.of(1)).build());
            DomainInfo plain = s.create(hog("plain").build());
            assertEquals(CpuMask.of(1), hv.vcpus(d.id()).get(1).softAffinity());
            assertEquals(hv.physInfo().topology().allCpus(), hv.vcpus(plain.id()).get(0).softAffinity(), "no preference: every pCPU");
            hv.pinVcpu(d.id(), 0, null, CpuMask.of(2));
            assertEquals(CpuMask.of(2), hv.vcpus(d.id()).get(0).softAffinity());
            assertEquals(CpuMask.of(0, 1, 2), hv.vcpus(d.id()).get(0).hardAffinity(), "a null hard affinity stays");
            assertEquals(CpuMask.of(1), hv.vcpus(d.id()).get(1).softAffinity(), "only vCPU 0 changed");
            hv.pinVcpu(d.id(), -1, CpuMask.of(0), null);
            assertEquals(CpuMask.of(0), hv.vcpus(d.id()).get(1).hardAffinity());
            assertEquals(CpuMask.of(2), hv.vcpus(d.id()).get(0).softAffinity(), "a null soft affinity stays");
            s.run(Duration.ofMillis(20));
            assertEquals(0, hv.vcpus(d.id()).get(0).processor(), "hard affinity wins over soft");
        }
    }

    @Test
    void creationErrorsNameTheProblemAndChangeNothing() {
        try (Simulation s = sim()) {
            Hypervisor hv = s.hypervisor();
            long free = hv.physInfo().freeMemoryMb();
            assertEquals("maxvcpus (1) is less than vcpus (2)",
                    assertThrows(HypervisorException.class, () -> s.create(hog("x").vcpus(2).maxVcpus(1).build())).getMessage());
            assertEquals("cpupool \"nowhere\" does not exist",
                    assertThrows(HypervisorException.class, () -> s.create(hog("x").pool("nowhere").build())).getMessage());
            HypervisorException mem = assertThrows(HypervisorException.class, () -> s.create(hog("x").memoryMb(1L << 20).build()));
            assertEquals(HypervisorException.Errno.ENOMEM, mem.errno());
            assertEquals("Domain-0 cannot be destroyed", assertThrows(HypervisorException.class, () -> hv.destroyDomain(0)).getMessage());
            assertEquals(1, hv.listDomains().size());
            assertEquals(free, hv.physInfo().freeMemoryMb());
        }
    }

    @Test
    void maxvcpusBeyondVcpusStartOffline() {
        try (Simulation s = sim()) {
            DomainInfo d = s.create(hog("m").vcpus(2).maxVcpus(4).build());
            assertEquals(2, d.onlineVcpus());
            assertEquals(4, d.maxVcpus());
            s.run(Duration.ofMillis(100));
            var v = s.hypervisor().vcpus(d.id());
            assertEquals(RunState.OFFLINE, v.get(3).state());
            assertEquals(0, v.get(3).cpuTimeNs());
            assertEquals(200_000_000L, s.cpuTimeNs(d.id()), 1_000_000L);
        }
    }
}
