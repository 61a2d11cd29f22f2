package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.GuestReport;
import org.hvkit.api.toolstack.HypervisorException;
import org.junit.jupiter.api.Test;

/** xl save / restore of real guests: memory, registers, FPU, MSRs (TSC) and the ABI timer carry over; the guests' own counters go on. */
class KvmSaveRestoreTest {
    private static GuestReport report(KvmRig rig, int domid, int key) {
        return rig.core.guestReports(domid).stream().filter(r -> r.key() == key).findFirst().orElse(null);
    }

    private static byte[] save(KvmRig rig, int domid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rig.core.saveDomain(domid, out, false);
        return out.toByteArray();
    }

    @Test
    void burnsCounterGoesOnAfterRestore() throws Exception {
        try (KvmRig rig = new KvmRig(null, true)) {
            DomainInfo d = rig.create("burn", "burn", "1m", 256, null, null);
            assertTrue(KvmRig.waitFor(() -> rig.reported(d.id(), 0) >= 50, 20_000), "burn got going");
            rig.core.pauseDomain(d.id());
            Thread.sleep(50); // a report whose exit was in flight lands
            long saved = rig.reported(d.id(), 0);
            long t0 = System.nanoTime();
            byte[] file = save(rig, d.id());
            long saveMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(rig.gone(d.id()), "xl save destroys the domain");
            t0 = System.nanoTime();
            DomainInfo r = rig.core.restoreDomain(new ByteArrayInputStream(file), false);
            long restoreMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("256 MiB burn: save " + saveMs + " ms, restore " + restoreMs + " ms, file " + file.length / 1024 + " KiB");
            assertEquals("burn", r.name());
            assertTrue(KvmRig.waitFor(() -> rig.reported(r.id(), 0) >= saved + 20, 20_000), "the restored burn counts on: " + rig.reported(r.id(), 0));
            GuestReport k0 = report(rig, r.id(), 0);
            assertTrue(k0.min() > saved, "its first report after restore (" + k0.min() + ") continues the saved count " + saved + ", it did not start again");
            assertEquals(saved + 1, k0.min(), "and nothing was skipped or repeated: " + k0.min() + " after " + saved);
            assertTrue(rig.core.domain(r.id()).orElseThrow().shutdownReason() == null, "no crash: " + rig.console());
        }
    }

    @Test
    void pingerSleepsOnAcrossSaveAndRestore() throws Exception {
        try (KvmRig rig = new KvmRig(null, true)) {
            DomainInfo p = rig.create("pinger", "pinger", "5ms 0", 8, null, null);
            assertTrue(KvmRig.waitFor(() -> rig.reported(p.id(), 0) >= 20, 20_000));
            rig.core.pauseDomain(p.id());
            Thread.sleep(50);
            long saved = rig.reported(p.id(), 0);
            byte[] file = save(rig, p.id());
            DomainInfo r = rig.core.restoreDomain(new ByteArrayInputStream(file), false);
            assertTrue(KvmRig.waitFor(() -> rig.reported(r.id(), 0) >= saved + 20, 20_000), "rounds go on");
            assertEquals(saved + 1, report(rig, r.id(), 0).min(), "from where they stopped");
            // its TSC went on too (IA32_TSC restored): no wake latency measured across the restore is absurd
            GuestReport lat = report(rig, r.id(), 1);
            assertTrue(lat.min() > -1_000_000 && lat.max() < 2_000_000_000L, "latency " + lat.min() + ".." + lat.max() + " ns");
        }
    }

    @Test
    void aBrokenFileLeavesNoGuestBehind() throws Exception {
        try (KvmRig rig = new KvmRig(null, true)) {
            DomainInfo d = rig.create("burn", "burn", "1m", 64, null, null);
            assertTrue(KvmRig.waitFor(() -> rig.reported(d.id(), 0) >= 5, 20_000));
            byte[] file = save(rig, d.id());
            long mapped = ((KvmHostMemory) rig.platform.memory()).mapped.get();
            int domains = rig.core.listDomains().size();
            for (int len : new int[] {0, 10, 40, file.length / 2, file.length - 5, file.length - 1}) {
                HypervisorException e = assertThrows(HypervisorException.class, () -> rig.core.restoreDomain(new ByteArrayInputStream(Arrays.copyOf(file, len)), false));
                assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("magic"), e.getMessage());
            }
            byte[] flipped = file.clone();
            flipped[file.length / 3] ^= 0x10;
            HypervisorException e = assertThrows(HypervisorException.class, () -> rig.core.restoreDomain(new ByteArrayInputStream(flipped), false));
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
            assertEquals(domains, rig.core.listDomains().size());
            assertEquals(mapped, ((KvmHostMemory) rig.platform.memory()).mapped.get(), "no guest memory left mapped");
            DomainInfo r = rig.core.restoreDomain(new ByteArrayInputStream(file), false);
            assertTrue(KvmRig.waitFor(() -> rig.reported(r.id(), 0) > 0, 20_000), "the intact file still restores");
        }
    }
}
