package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.p2m.PageOrder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Guest RAM on a 1 GiB hugetlb page: the test reserves one for itself (root only; it gives it back
 * after), the p2m has one 1 GiB entry, and an access change on one frame splits it as Xen's p2m
 * does (the 1 GiB entry into 2 MiB ones, the one concerned into 4 KiB ones) while the host keeps
 * its hugetlb page whole. KVM only.
 */
class HugetlbTest {
    private static final Path NR = RamBacking.HUGE_1G.resolve("nr_hugepages");
    private static final Path FREE = RamBacking.HUGE_1G.resolve("free_hugepages");

    @Test
    void aGuestOnA1GiBHugetlbPageHasA1GEntryThatAnAccessChangeSplitsAsXenDoes() throws Exception {
        Assumptions.assumeTrue(Files.isWritable(NR), "1 GiB hugetlb pages cannot be reserved here (" + NR + " not writable: not root, or no 1 GiB page support)");
        long before = RamBacking.readLong(NR);
        try (KvmRig rig = new KvmRig(null, false)) {
            Files.writeString(NR, Long.toString(before + 1));
            Assumptions.assumeTrue(RamBacking.readLong(FREE) >= 1, "the kernel could not reserve a 1 GiB page (no contiguous GiB free)");
            DomainInfo d = rig.create("huge", "burn", "1m", 1024, null, null);
            KvmGuest g = rig.platform.guests().stream().filter(x -> x.domid == d.id()).findFirst().orElseThrow();
            String log = String.join("\n", rig.console());
            assertTrue(log.contains("domain " + d.id() + ": memory: 1024 MiB: ") && log.contains("1 GiB pages: 1 hugetlb"), log);
            assertEquals(1024L << 20, g.memory.backing.hugetlbBytes);
            int[] orders = rig.platform.call(() -> g.memory.chunkOrders());
            assertEquals(512, orders.length);
            for (int i = 0; i < orders.length; i++) assertEquals(18, orders[i], "chunk " + i + " is on the hugetlb page (read back)");

            P2m p2m = g.memory.p2m();
            assertEquals(PageOrder.ORDER_1G, p2m.order(0));
            assertEquals(1L, p2m.counts().entriesByOrder().get(PageOrder.ORDER_1G));

            long gfn = 3 * 512 + 7;
            p2m.setAccess(gfn, 1, P2mAccess.RX);
            assertEquals(PageOrder.ORDER_4K, p2m.order(gfn), "the frame concerned is a 4 KiB entry");
            assertEquals(PageOrder.ORDER_4K, p2m.order(3 * 512), "its 2 MiB range is split");
            assertEquals(PageOrder.ORDER_2M, p2m.order(4 * 512), "the rest of the GiB is 2 MiB entries");
            assertEquals(PageOrder.ORDER_2M, p2m.order(0));
            assertEquals(0L, p2m.counts().entriesByOrder().get(PageOrder.ORDER_1G));
            assertEquals(18, rig.platform.call(() -> g.memory.chunkOrders(3, 1))[0], "the host's hugetlb page stays whole");
            // the guest runs on: burn's counter moves with a frame of its RAM protected
            assertTrue(KvmRig.waitFor(() -> rig.reported(d.id(), 0) >= 20, 20_000), "burn counts: " + rig.reported(d.id(), 0));
            long c0 = rig.reported(d.id(), 0);
            assertTrue(KvmRig.waitFor(() -> rig.reported(d.id(), 0) >= c0 + 10, 20_000), "burn goes on counting with a frame of its GiB protected");

            rig.core.destroyDomain(d.id());
            assertEquals(1, RamBacking.readLong(FREE), "the hugetlb page is free again after destroy");
        } finally {
            Files.writeString(NR, Long.toString(before));
        }
    }
}
