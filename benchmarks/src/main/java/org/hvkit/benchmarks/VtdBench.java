package org.hvkit.benchmarks;

import java.util.concurrent.TimeUnit;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.iommu.IommuOptions;
import org.hvkit.api.p2m.P2m;
import org.hvkit.api.p2m.P2mTable;
import org.hvkit.api.p2m.P2mType;
import org.hvkit.api.p2m.PageOrder;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.hw.dma.internal.DmaEngine;
import org.hvkit.iommu.vtd.internal.UnitPort;
import org.hvkit.iommu.vtd.internal.VtdIommu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the VT-d unit costs. {@code translateHit}: one page translated with the context cache and
 * IOTLB hit (the same page again); {@code translateMiss}: a different page each time over 1 GiB
 * (262 144 pages against a 4096-entry IOTLB: nearly every lookup misses and walks — the p2m under
 * sharept, the unit's 4-level tables under no-sharept). {@code engineCopy}: the DMA engine copying
 * 1 MiB inside the domain through the unit, against {@code directCopy}: the same bytes moved by
 * System.arraycopy through a 4 KiB buffer, in the same run.
 *
 * <p>Run: {@code bin/bench jmh Vtd}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VtdBench {
    static final long PAGES = 1L << 18; // 1 GiB
    static final PciAddress DEV = PciAddress.parse("0000:03:00.0");

    @Param({"sharept", "no-sharept"})
    public String mode;

    private VtdIommu iommu;
    private UnitPort port;
    private DmaEngine engine;
    private long next;
    private final byte[] ram = new byte[4 << 20], buf = new byte[4096];

    /** 1 GiB of p2m, of which the first 4 MiB hold bytes (what the copies touch). */
    final class Target implements DmaTarget {
        final P2mTable p2m = new P2mTable(1, PAGES);

        Target() {
            p2m.populate(0, PAGES, PageOrder.ORDER_2M, P2mType.RAM);
        }

        @Override
        public int domainId() {
            return 1;
        }

        @Override
        public P2m p2m() {
            return p2m;
        }

        @Override
        public void read(long gpa, byte[] dst, int off, int len) {
            System.arraycopy(ram, (int) gpa, dst, off, len);
        }

        @Override
        public void write(long gpa, byte[] src, int off, int len) {
            System.arraycopy(src, off, ram, (int) gpa, len);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        iommu = new VtdIommu(IommuOptions.parse(mode), new boolean[] {true, true}, line -> { });
        port = (UnitPort) iommu.attach(DEV, new Target());
        engine = new DmaEngine(DEV);
        engine.connect(port);
        engine.mmioWrite(0, DmaEngine.SRC, 8, 0);
        engine.mmioWrite(0, DmaEngine.DST, 8, 2 << 20);
        engine.mmioWrite(0, DmaEngine.LEN, 8, 1 << 20);
        if (port.translate(0x5000, true) != 5) throw new IllegalStateException("translation broken");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        iommu.close();
    }

    @Benchmark
    public long translateHit() {
        return port.translate(0x5000, false);
    }

    @Benchmark
    public long translateMiss() {
        next = (next + 4099) & (PAGES - 1); // a stride that visits every page, never the same IOTLB slot twice in a row
        return port.translate(next << 12, false);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long engineCopy() {
        engine.mmioWrite(0, DmaEngine.CMD, 8, DmaEngine.CMD_COPY);
        return engine.mmioRead(0, DmaEngine.DONE, 8);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long directCopy() {
        for (int off = 0; off < 1 << 20; off += 4096) {
            System.arraycopy(ram, off, buf, 0, 4096);
            System.arraycopy(buf, 0, ram, (2 << 20) + off, 4096);
        }
        return buf[7];
    }
}
