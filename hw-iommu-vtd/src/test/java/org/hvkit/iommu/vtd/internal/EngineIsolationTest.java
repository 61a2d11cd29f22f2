package org.hvkit.iommu.vtd.internal;

import static org.hvkit.hw.dma.internal.DmaEngine.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.hw.dma.internal.DmaEngine;
import org.hvkit.api.pci.PciAddress;
import org.junit.jupiter.api.Test;

/**
 * The DMA engine assigned to domain 1 through the unit, fuzzed with register writes whose values
 * are every kind of address: it never writes a byte of domain 2 and never hands the platform an
 * address outside domain 1's RAM; faults show in the engine's ERROR/REASON.
 */
class EngineIsolationTest {
    @Test
    void aFuzzedEngineStaysInsideItsDomain() {
        for (String opts : new String[] {"sharept", "no-sharept"}) {
            VtdIommu iommu = new VtdIommu(IommuOptions.parse(opts), new boolean[] {true, true}, line -> { });
            try {
                MemTarget d1 = new MemTarget(1, 2048), d2 = new MemTarget(2, 2048);
                d1.p2m.setAccess(100, 50, P2mAccess.R);
                DmaEngine engine = new DmaEngine(PciAddress.parse("0000:03:00.0"));
                engine.connect(iommu.attach(engine.address(), d1));
                iommu.attach(PciAddress.parse("0000:04:00.0"), d2); // another domain behind the same unit
                SplittableRandom rnd = new SplittableRandom(opts.length());
                long[] interesting = {0, 2048L << 12, (2048L << 12) - 1, 100L << 12, 1L << 48, -1, 1L << 47, Long.MIN_VALUE, 0xfff, 4096 * 2047 - 3};
                int copies = 0, faults = 0;
                for (int i = 0; i < 100_000; i++) {
                    int reg = switch (rnd.nextInt(6)) {
                        case 0 -> SRC;
                        case 1 -> DST;
                        case 2 -> LEN;
                        case 3 -> CMD;
                        default -> rnd.nextInt(0x60);
                    };
                    long v = switch (rnd.nextInt(4)) {
                        case 0 -> interesting[rnd.nextInt(interesting.length)] + rnd.nextInt(-8, 9);
                        case 1 -> rnd.nextLong(0, 2100L << 12);
                        case 2 -> reg == LEN ? rnd.nextInt(1, 20_000) : rnd.nextLong();
                        default -> reg == CMD ? CMD_COPY : rnd.nextLong(1 << 21);
                    };
                    engine.mmioWrite(0, reg, 8, v);
                    if (reg == CMD && v == CMD_COPY) {
                        copies++;
                        if (engine.mmioRead(0, STATUS, 8) == STATUS_ERROR && engine.mmioRead(0, REASON, 8) != 0) faults++;
                    }
                }
                assertEquals(0, d2.writes, opts + ": domain 2 written");
                assertEquals(0, d2.pages.size(), opts + ": domain 2 not even read");
                assertEquals(0, d1.outside, opts + ": an address outside domain 1's RAM reached the platform");
                assertTrue(copies > 3000 && faults > 500, opts + ": copies " + copies + ", faults " + faults);
                if (opts.equals("sharept")) {
                    for (long a = 100L << 12; a < 150L << 12; a++) assertEquals(MemTarget.pattern(1, a), d1.at(a), "read-only page written at " + Long.toHexString(a));
                }
                assertFalse(iommu.faults().isEmpty());
            } finally {
                iommu.close();
            }
        }
    }
}
