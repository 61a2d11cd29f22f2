package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.hvkit.api.domain.DomainInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Guest RAM on huge pages, the orders read back from the kernel and checked against its own
 * counters (smaps AnonHugePages), and the split a partial protection change causes. KVM only.
 */
class SuperpageTest {
    private static long count(int[] orders, int order) {
        return Arrays.stream(orders).filter(o -> o == order).count();
    }

    @Test
    void aFresh256MiBGuestIsOn2MiBPagesAndAPartialProtectionSplitsOne() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            String thpMode = RamBacking.thpMode();
            Assumptions.assumeTrue(thpMode.equals("always") || thpMode.equals("madvise"), "transparent huge pages are " + thpMode + " on this host");
            DomainInfo d = rig.create("big", "burn", "1000000 0", 256, null, null);
            KvmGuest g = rig.platform.guests().stream().filter(x -> x.domid == d.id()).findFirst().orElseThrow();
            KvmGuestMemory m = g.memory;
            long base = m.host.address(), size = m.host.byteSize();
            int[] orders = rig.platform.call(m::chunkOrders);
            long kernelHuge = HostPageOrders.anonHugeBytes(base, size);
            long thp = ProcMemory.thpChunks(base, size / RamBacking.MIB2);
            System.out.printf("256 MiB guest: %d x 2M, %d x 4K chunks; kpageflags THP chunks %d; smaps AnonHugePages of mappings inside it %d KiB%n",
                    count(orders, 9), count(orders, 0), thp, kernelHuge >> 10);
            assertEquals(128, orders.length);
            Assumptions.assumeTrue(thp >= 0, "frame numbers are hidden from this process (no CAP_SYS_ADMIN)");
            assertEquals(thp, count(orders, 9), "read-back orders agree with the kernel's page flags (kpageflags)");
            // smaps counts per mapping: only comparable when the guest's mapping is a mapping of its own
            if (kernelHuge > 0) assertEquals(kernelHuge, count(orders, 9) * RamBacking.MIB2, "read-back orders agree with smaps AnonHugePages");
            // where THP is on, a populated fresh mapping gets (nearly) all 2 MiB pages; allow a few under fragmentation
            assertTrue(count(orders, 9) >= 120, "2 MiB pages for a fresh 256 MiB guest: " + count(orders, 9) + " of 128");
            String log = String.join("\n", rig.console());
            assertTrue(log.contains("domain " + d.id() + ": memory: 256 MiB: ") && log.contains("obtained " + count(orders, 9) + " x 2M"), log);
            if (RamBacking.readLong(RamBacking.HUGE_1G.resolve("free_hugepages")) <= 0) assertTrue(log.contains("1 GiB pages: not used for less than 1 GiB"), log);

            org.hvkit.api.p2m.P2m p2m = m.p2m();
            for (int i = 0; i < 128; i++) {
                assertEquals(orders[i] == 9 ? org.hvkit.api.p2m.PageOrder.ORDER_2M : org.hvkit.api.p2m.PageOrder.ORDER_4K, p2m.order(512L * i), "p2m order of chunk " + i + " is what the host gave");
            }

            // an access on one 4 KiB page of chunk 3: KVM must map that chunk with 4 KiB entries (a
            // slot boundary inside it), the p2m records it; the host's own huge page stays whole
            Assumptions.assumeTrue(orders[3] == 9, "chunk 3 was not a 2 MiB page to begin with");
            long gfn = 3 * 512 + 7;
            p2m.setAccess(gfn, 1, org.hvkit.api.p2m.P2mAccess.RX);
            assertEquals(org.hvkit.api.p2m.PageOrder.ORDER_4K, p2m.order(3 * 512), "the chunk with the changed page is split");
            assertEquals(org.hvkit.api.p2m.PageOrder.ORDER_2M, p2m.order(4 * 512), "its neighbour is not");
            assertTrue(g.access.guard().splitsChunk(3) && !g.access.guard().splitsChunk(4), "slots meet inside chunk 3 only");
            assertEquals(thp, ProcMemory.thpChunks(base, size / RamBacking.MIB2), "the host keeps its huge pages (slots, not mprotect)");

            // setting it back: one slot over the chunk again and the host's page still 2 MiB (read back), so the
            // superpage is back, as KVM maps it (Xen's p2m would stay split)
            p2m.setAccess(gfn, 1, org.hvkit.api.p2m.P2mAccess.RWX);
            assertEquals(9, rig.platform.call(() -> m.chunkOrders(3, 1))[0], "the host kept chunk 3's huge page");
            assertEquals(org.hvkit.api.p2m.PageOrder.ORDER_2M, p2m.order(3 * 512), "the superpage is back where the host has it");
            // but never where the host split its page: mprotect one page of chunk 6 (the kernel splits the PMD)
            Assumptions.assumeTrue(orders[6] == 9, "chunk 6 was not a 2 MiB page to begin with");
            java.lang.foreign.MemorySegment page = m.host.asSlice(6 * RamBacking.MIB2 + 4096, 4096);
            Native.mprotect(page, Native.PROT_READ);
            Native.mprotect(page, Native.PROT_READ | Native.PROT_WRITE);
            assertEquals(0, rig.platform.call(() -> m.chunkOrders(6, 1))[0], "the host's page of chunk 6 is split");
            p2m.setAccess(6 * 512 + 9, 1, org.hvkit.api.p2m.P2mAccess.RX);
            p2m.setAccess(6 * 512 + 9, 1, org.hvkit.api.p2m.P2mAccess.RWX);
            assertEquals(org.hvkit.api.p2m.PageOrder.ORDER_4K, p2m.order(6 * 512), "no superpage claimed that the host does not have");
            // a whole chunk changed at once keeps its order
            p2m.setAccess(5 * 512, 512, org.hvkit.api.p2m.P2mAccess.RX);
            assertEquals(org.hvkit.api.p2m.PageOrder.ORDER_2M, p2m.order(5 * 512), "a superpage wholly inside the range keeps its order");
        }
    }
}
