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
            String thp = RamBacking.thpMode();
            Assumptions.assumeTrue(thp.equals("always") || thp.equals("madvise"), "transparent huge pages are " + thp + " on this host");
            DomainInfo d = rig.create("big", "burn", "1000000 0", 256, null, null);
            KvmGuest g = rig.platform.guests().stream().filter(x -> x.domid == d.id()).findFirst().orElseThrow();
            KvmGuestMemory m = g.memory;
            long base = m.host.address(), size = m.host.byteSize();
            int[] orders = rig.platform.call(m::chunkOrders);
            long kernelHuge = HostPageOrders.anonHugeBytes(base, size);
            System.out.printf("256 MiB guest: %d x 2M, %d x 4K chunks; kernel AnonHugePages %d KiB%n", count(orders, 9), count(orders, 0), kernelHuge >> 10);
            assertEquals(128, orders.length);
            assertEquals(kernelHuge, count(orders, 9) * RamBacking.MIB2, "read-back orders agree with smaps AnonHugePages");
            // where THP is on, a populated fresh mapping gets (nearly) all 2 MiB pages; allow a few under fragmentation
            assertTrue(count(orders, 9) >= 120, "2 MiB pages for a fresh 256 MiB guest: " + count(orders, 9) + " of 128");
            String log = String.join("\n", rig.console());
            assertTrue(log.contains("domain " + d.id() + ": memory: 256 MiB: ") && log.contains("obtained " + count(orders, 9) + " x 2M"), log);
            if (RamBacking.readLong(RamBacking.HUGE_1G.resolve("free_hugepages")) <= 0) assertTrue(log.contains("1 GiB pages: not used for less than 1 GiB"), log);

            // protect one 4 KiB page in the 2 MiB chunk 3: that chunk is split, no other
            int before3 = orders[3];
            Assumptions.assumeTrue(before3 == 9, "chunk 3 was not a 2 MiB page to begin with");
            long gfn = 3 * 512 + 7;
            rig.platform.call(() -> { m.guard.set(gfn, 1, PageGuard.WRITE); return null; });
            int[] split = rig.platform.call(m::chunkOrders);
            assertEquals(0, split[3], "the chunk with a protected page is on 4 KiB pages now");
            assertEquals(count(orders, 9) - 1, count(split, 9), "only that chunk was split");
            assertEquals(HostPageOrders.anonHugeBytes(base, size), count(split, 9) * RamBacking.MIB2, "the kernel agrees");

            // lifting the protection does not bring the superpage back by itself
            rig.platform.call(() -> { m.guard.set(gfn, 1, 0); return null; });
            int[] after = rig.platform.call(m::chunkOrders);
            assertEquals(0, after[3], "no superpage claimed where the kernel has 4 KiB entries");
            assertEquals(HostPageOrders.anonHugeBytes(base, size), count(after, 9) * RamBacking.MIB2, "the kernel agrees");
        }
    }
}
