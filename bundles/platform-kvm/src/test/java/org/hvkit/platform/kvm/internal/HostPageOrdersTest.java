package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The read-back of huge pages on a plain host mapping (no KVM needed): what RamBacking maps is
 * what PAGEMAP_SCAN reports, the kernel's page flags agree, and a THP split by mprotect on part of
 * it is seen as split, also after the protection is lifted again.
 */
class HostPageOrdersTest {
    @Test
    void readBackFollowsTheKernelIncludingASplit() throws Exception {
        String thp = RamBacking.thpMode();
        Assumptions.assumeTrue(thp.equals("always") || thp.equals("madvise"), "transparent huge pages are " + thp + " on this host");
        RamBacking b = RamBacking.map(32L << 20);
        MemorySegment m = b.mapping;
        try {
            BitSet huge = HostPageOrders.hugeChunks(m);
            long thpChunks = ProcMemory.thpChunks(m.address(), 16);
            System.out.println("32 MiB mapping: " + huge.cardinality() + " of 16 chunks huge (" + HostPageOrders.source() + "), kpageflags " + thpChunks + "; " + b.note);
            Assumptions.assumeTrue(thpChunks >= 0, "frame numbers are hidden from this process");
            assertEquals(thpChunks, huge.cardinality(), "read-back agrees with the page flags");
            Assumptions.assumeTrue(huge.get(5), "chunk 5 did not get a huge page");
            // mprotect one page of chunk 5: the kernel splits its PMD; the read-back must say so
            MemorySegment page = m.asSlice(5 * RamBacking.MIB2 + 4096, 4096);
            Native.mprotect(page, Native.PROT_READ);
            BitSet after = HostPageOrders.hugeChunks(m);
            assertFalse(after.get(5), "split chunk still reported huge");
            assertTrue(after.get(4) && after.get(6), "its neighbours are still huge");
            Native.mprotect(page, Native.PROT_READ | Native.PROT_WRITE);
            assertFalse(HostPageOrders.hugeChunks(m).get(5), "lifting the protection does not make it huge again");
        } finally {
            Native.munmap(m);
        }
    }

    @Test
    void smapsFallbackNeverClaimsAHugePageThatIsNotThere() {
        MemorySegment m = Native.mmap(8L << 20, Native.PROT_READ | Native.PROT_WRITE, Native.MAP_PRIVATE | Native.MAP_ANONYMOUS, -1, 0);
        try {
            m.asSlice(0, 4096).fill((byte) 1); // one small page, nothing huge asked for
            assertTrue(HostPageOrders.fromSmaps(m).isEmpty());
        } finally {
            Native.munmap(m);
        }
    }
}
