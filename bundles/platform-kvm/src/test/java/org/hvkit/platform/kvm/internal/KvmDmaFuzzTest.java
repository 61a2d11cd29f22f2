package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.hvkit.api.domain.DomainInfo;
import org.junit.jupiter.api.Test;

/**
 * Isolation on the platform's side: the dma guest's fuzz (10^5+ register writes, 2·10^4 DMA
 * requests at every address it can think of) changes no byte of another domain or of the host,
 * checked by content. The IOMMU is {@link FlatPort}, so what confines it here is the platform's
 * own {@link KvmDmaTarget} bounds (the unit's translation comes on top, see the end-to-end test).
 */
class KvmDmaFuzzTest {
    static String digest(MemorySegment s) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(s.asByteBuffer());
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void theFuzzTouchesNoByteOfAnotherDomainOrOfTheHost() throws Exception {
        try (KvmRig rig = new KvmRig(null, false); Arena arena = Arena.ofConfined()) {
            // a bystander that has written its pattern and powered off: its RAM no longer changes
            DomainInfo by = rig.createPreserved("bystander", "writer", "0 256 1", 16);
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(by.id()), 30_000), "writer did not finish: " + rig.console());
            MemorySegment byRam = KvmDmaTest.guest(rig, by.id()).memory.slice(0, 16L << 20);
            String before = digest(byRam);
            // host memory next to the guests': a canary mapped before the fuzzing domain
            MemorySegment canary = arena.allocate(8L << 20, 4096);
            for (long i = 0; i < canary.byteSize(); i += 8) canary.set(ValueLayout.JAVA_LONG, i, i * 0x9E3779B97F4A7C15L);
            String canaryBefore = digest(canary);

            DomainInfo d = rig.createPreserved("fuzz", "dma", "1 300ms 20000", 16);
            CountingDevice dev = KvmDmaTest.plugEngine(rig, d.id());
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 300_000), "the fuzz did not finish: " + rig.console());
            String console = String.join("\n", rig.console());
            assertEquals(20000, rig.reported(d.id(), 16), "rounds: " + console);
            long done = rig.reported(d.id(), 17), refused = rig.reported(d.id(), 18);
            assertTrue(done > 0 && refused > 10000, "copies done " + done + ", refused " + refused);
            assertTrue(dev.writes.get() >= 100_000, "register writes: " + dev.writes.get());

            assertEquals(before, digest(byRam), "the bystander's memory changed");
            assertEquals(canaryBefore, digest(canary), "host memory changed");
            assertTrue(rig.core.domain(by.id()).isPresent() && rig.core.domain(d.id()).isPresent());
        }
    }
}
