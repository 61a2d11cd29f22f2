package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** xl vcpu-set on real guests: the burn guest sees VCPUS_ONLINE change and its vCPUs stop and go on. */
class KvmHotplugTest {
    private static long vcpuTime(KvmRig rig, int domid, int v) {
        return rig.core.vcpus(domid).get(v).cpuTimeNs();
    }

    /** How often the guest reported key 1: each vCPU reports the mask once per change it sees. */
    private static long maskReports(KvmRig rig, int domid) {
        return rig.core.guestReports(domid).stream().filter(r -> r.key() == 1).mapToLong(r -> r.count()).findFirst().orElse(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"credit", "credit2"})
    void burnSeesItsVcpusComeAndGo(String sched) throws Exception {
        Assumptions.assumeTrue(KvmRig.provider(sched) != null, sched + " is not on the class path");
        try (KvmRig rig = new KvmRig(null, sched)) {
            DomainInfo d = rig.core.createDomain(DomainConfig.builder("hot").memoryMb(8).vcpus(1).maxVcpus(2)
                    .platformOptions(Map.of("kernel", KvmRig.guests().resolve("burn.hvk").toString(), "extra", "1m")).build());
            int id = d.id();
            assertTrue(KvmRig.waitFor(() -> rig.reported(id, 1) == 1, 10_000), "the guest saw vCPU 0 alone: " + rig.reported(id, 1));
            assertEquals(0, vcpuTime(rig, id, 1), "an offline vCPU never ran");

            rig.core.setVcpusOnline(id, 2);
            assertTrue(KvmRig.waitFor(() -> maskReports(rig, id) >= 3 && rig.reported(id, 1) == 3 && vcpuTime(rig, id, 1) > 0, 10_000),
                    "vCPU 1 came online and both vCPUs saw it: mask " + rig.reported(id, 1) + ", vCPU 1 ran " + vcpuTime(rig, id, 1) + " ns");
            assertEquals(2, rig.core.domain(id).orElseThrow().onlineVcpus());

            rig.core.setVcpusOnline(id, 1);
            assertTrue(KvmRig.waitFor(() -> maskReports(rig, id) >= 4 && rig.reported(id, 1) == 1, 10_000), "the guest saw vCPU 1 go: " + rig.reported(id, 1) + " " + rig.core.vcpus(id) + " chunks " + rig.reported(id, 0) + "\n" + String.join("\n", rig.core.dumpSchedulers()) + String.join("\n", rig.console()));
            long frozen = vcpuTime(rig, id, 1);
            long chunks = rig.reported(id, 0);
            Thread.sleep(300);
            assertEquals(frozen, vcpuTime(rig, id, 1), "an offline vCPU does not run");
            assertTrue(KvmRig.waitFor(() -> rig.reported(id, 0) > chunks, 5_000), "vCPU 0 goes on burning");
            assertEquals(false, rig.core.vcpus(id).get(1).online());

            // back again: it continues where it stopped (the guest's own loop, no restart at the entry point)
            rig.core.setVcpusOnline(id, 2);
            assertTrue(KvmRig.waitFor(() -> vcpuTime(rig, id, 1) > frozen && rig.reported(id, 1) == 3, 10_000), "vCPU 1 runs again");
            assertTrue(rig.core.domain(id).orElseThrow().shutdownReason() == null, "the guest did not crash");
        }
    }
}
