package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.hvkit.api.domain.DomainInfo;
import org.junit.jupiter.api.Test;

/** xl mem-set on a running KVM burn guest: its balloon answers, and xl list, xl info and this process's own pages agree. */
class KvmBalloonTest {
    private static long mem(KvmRig rig, int id) {
        return rig.core.domain(id).orElseThrow().memoryMb();
    }

    @Test
    void memSetDownAndUp() throws Exception {
        try (KvmRig rig = new KvmRig(null, true)) {
            DomainInfo d = rig.create("b", "burn", "1m", 256, null, null);
            int id = d.id();
            KvmGuestMemory gm = rig.platform.guests().stream().filter(g -> g.domid == id).findFirst().orElseThrow().memory;
            // the guest's upper RAM in use (as a guest that had touched it): 128 MiB resident
            MemorySegment upper = gm.slice(128L << 20, 128L << 20);
            for (long o = 0; o < upper.byteSize(); o += 4096) upper.set(java.lang.foreign.ValueLayout.JAVA_BYTE, o, (byte) 1);
            long resBefore = ProcMemory.residentBytes(upper.address(), upper.byteSize());
            assertTrue(resBefore > 120L << 20, "touched: " + resBefore);
            long free0 = rig.core.physInfo().freeMemoryMb();

            rig.core.setMemoryTarget(id, 64 * 1024);
            assertTrue(KvmRig.waitFor(() -> mem(rig, id) == 64, 10_000), "the balloon gave back down to 64 MiB: " + mem(rig, id));
            assertTrue(KvmRig.waitFor(() -> rig.reported(id, 2) == 64L << 20, 5_000), "the guest reports the target it answered: " + rig.reported(id, 2));
            assertEquals(free0 + 192, rig.core.physInfo().freeMemoryMb(), "xl info: 192 MiB more free");
            assertEquals(free0 + 192, rig.platform.memory().freeBytes() >> 20, "the platform's own budget agrees");
            assertTrue(ProcMemory.residentBytes(upper.address(), upper.byteSize()) < 1L << 20, "and the pages left this process");
            org.hvkit.api.p2m.P2mCounts c = gm.p2m().counts();
            assertEquals(64L << 8, c.backedPages(), "the p2m: frames above 64 MiB unbacked: " + c);
            assertEquals(org.hvkit.api.p2m.P2mType.UNBACKED, gm.p2m().type((64L << 8) + 5));

            long chunks = rig.reported(id, 0);
            rig.core.setMemoryTarget(id, 200 * 1024);
            assertTrue(KvmRig.waitFor(() -> mem(rig, id) == 200, 10_000), "up again: " + mem(rig, id));
            assertEquals(free0 + 56, rig.core.physInfo().freeMemoryMb());
            assertEquals(200L << 8, gm.p2m().counts().backedPages(), "taken again: RAM in the p2m up to 200 MiB");
            assertEquals(org.hvkit.api.p2m.P2mType.RAM, gm.p2m().type((200L << 8) - 1));
            assertEquals(org.hvkit.api.p2m.P2mType.UNBACKED, gm.p2m().type(200L << 8));
            assertTrue(KvmRig.waitFor(() -> rig.reported(id, 0) > chunks + 5, 10_000), "burn went on throughout");
            assertTrue(rig.core.domain(id).orElseThrow().shutdownReason() == null);
        }
    }
}
