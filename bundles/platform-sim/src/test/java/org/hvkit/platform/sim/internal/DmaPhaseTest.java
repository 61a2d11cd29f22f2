package org.hvkit.platform.sim.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;
import org.junit.jupiter.api.Test;

/** The DMA workload phase's syntax, and the domain memory its copies are checked in. */
class DmaPhaseTest {
    @Test
    void parsesTheDmaPhaseAndNamesWhatIsWrong() {
        Workload w = Workload.parse("run 1ms dma 0x10000 0x20000 8192 every 50us; sleep 1ms");
        assertEquals(new Workload.Dma(0x10000, 0x20000, 8192, 50_000), w.phases().get(0).dma());
        assertNull(w.phases().get(1).dma());
        assertEquals(100_000, Workload.parse("run 1ms dma 0 0xffffffffffffffff 1").phases().get(0).dma().everyNs());
        assertEquals(-1L, Workload.parse("run 1ms dma 0 0xffffffffffffffff 1").phases().get(0).dma().dst(), "any 64-bit bus address");
        for (String[] bad : new String[][] {
            {"run 1ms dma 0x10000 0x20000", "'dma' takes SRC DST LEN [every E]"},
            {"run 1ms dma 0x10000 0x20000 0", "must be 1 to 1048576 bytes"},
            {"run 1ms dma 0x10000 0x20000 2000000", "must be 1 to 1048576 bytes"},
            {"run 1ms dma zz 0x20000 8", "bad bus address 'zz'"},
            {"run 1ms dma 1 2 3 every 10ns", "below 1us"},
            {"sleep 1ms dma 1 2 3", "only a run phase does DMA"},
            {"run dma 1 2 3", "needs a duration before 'dma'"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.parse(bad[0]), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]) && e.getMessage().startsWith("workload \"" + bad[0] + "\", phase 1: "), e.getMessage());
        }
    }

    @Test
    void theDomainsMemoryKeepsBytesAndRefusesWhatIsNotItsRam() {
        P2mTable p2m = new P2mTable(3, 1024);
        p2m.populate(0, 1000, PageOrder.ORDER_2M, P2mType.RAM);
        SimRam ram = new SimRam(p2m);
        byte[] b = {1, 2, 3, 4, 5, 6};
        ram.write(4093, b, 0, b.length); // across a page boundary
        byte[] back = new byte[8];
        ram.read(4092, back, 0, 8);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 0}, back);
        assertEquals(2, ram.pagesHeld());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ram.write(1024L << 12, b, 0, 1)).getMessage().contains("beyond its 4 MiB"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ram.read(1000L << 12, back, 0, 1)).getMessage().contains("gfn 3e8 is not RAM"));
        assertThrows(IllegalArgumentException.class, () -> ram.read(-1, back, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> ram.read(0, back, 4, 8));
    }
}
