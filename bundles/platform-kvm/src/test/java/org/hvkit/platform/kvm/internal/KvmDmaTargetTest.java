package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.pci.PciBar;
import org.hvkit.api.pci.PciDevice;
import org.hvkit.hw.dma.internal.DmaEngine;
import org.junit.jupiter.api.Test;

/** The DMA target (a domain's RAM as the IOMMU reaches it) and the PCI window's BAR placement, on KVM. */
class KvmDmaTargetTest {
    @Test
    void theTargetReachesExactlyTheMemoryTheDomainHolds() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.create("burn", "burn", "0", 16, null, null);
            KvmGuest g = KvmDmaTest.guest(rig, d.id());
            DmaTarget t = rig.platform.target(d.id());
            assertEquals(d.id(), t.domainId());
            assertEquals(g.memory.p2m(), t.p2m());
            byte[] page = new byte[4096];
            Arrays.fill(page, (byte) 0x5A);
            t.write(0x600000, page, 0, page.length);
            assertArrayEquals(page, g.memory.readBytes(0x600000, 4096), "the write is in the guest's RAM");
            byte[] back = new byte[4096];
            t.read(0x600000, back, 0, back.length);
            assertArrayEquals(page, back);

            // a live migration's pre-copy must resend what a device wrote: KVM's log sees only the vCPUs' writes
            rig.platform.call(() -> {
                g.logDirty(true);
                g.takeDirty(new java.util.BitSet());
                return null;
            });
            t.write(0x700000 + 4000, page, 0, 200); // two pages
            java.util.BitSet dirty = new java.util.BitSet();
            rig.platform.call(() -> {
                g.takeDirty(dirty);
                g.logDirty(false);
                return null;
            });
            assertTrue(dirty.get(0x700) && dirty.get(0x701), "the DMA's pages are dirty: " + dirty);

            long ram = 16L << 20;
            byte[] tail = g.memory.readBytes(ram - 4, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.write(ram - 4, page, 0, 8));
            assertEquals("DMA write of 8 bytes at guest-physical 0xfffffc is outside domain " + d.id() + "'s memory [0, 0x1000000)", e.getMessage());
            assertArrayEquals(tail, g.memory.readBytes(ram - 4, 4), "a refused request writes nothing");
            assertThrows(IllegalArgumentException.class, () -> t.read(-1, back, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> t.read(Long.MAX_VALUE - 2, back, 0, 8), "wrap-around");
            assertThrows(IndexOutOfBoundsException.class, () -> t.read(0x600000, back, 4090, 8));

            // the balloon gives pages above 8 MiB back to the host: DMA no longer reaches them
            rig.platform.call(() -> {
                g.memory.resize(8L << 20);
                return null;
            });
            assertThrows(IllegalArgumentException.class, () -> t.write(10L << 20, page, 0, 16));
            t.write((8L << 20) - 4096, page, 0, 4096);

            assertThrows(IllegalArgumentException.class, () -> rig.platform.target(0), "Domain-0 has no guest memory here");
            assertThrows(IllegalArgumentException.class, () -> rig.platform.target(4242));
        }
    }

    @Test
    void destroyUnderAStreamOfDmaIsSafe() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.create("burn", "burn", "0", 64, null, null);
            DmaTarget t = rig.platform.target(d.id());
            AtomicLong ok = new AtomicLong();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            AtomicReference<RuntimeException> last = new AtomicReference<>();
            Thread dma = Thread.ofPlatform().start(() -> {
                byte[] b = new byte[1 << 20];
                try {
                    for (;;) {
                        t.write(0x400000, b, 0, b.length);
                        t.read(0x800000, b, 0, b.length);
                        ok.incrementAndGet();
                    }
                } catch (IllegalStateException | IllegalArgumentException e) {
                    last.set(e); // the domain's memory is gone: the expected end
                } catch (Throwable x) {
                    unexpected.set(x);
                }
            });
            assertTrue(KvmRig.waitFor(() -> ok.get() > 20, 10_000));
            rig.core.destroyDomain(d.id());
            dma.join(10_000);
            assertEquals(null, unexpected.get());
            assertTrue(last.get() != null && last.get().getMessage().contains("domain " + d.id() + "'s memory is gone"), String.valueOf(last.get()));
            assertThrows(IllegalStateException.class, () -> t.write(0x400000, new byte[8], 0, 8));
            assertThrows(IllegalArgumentException.class, () -> rig.platform.target(d.id()));
        }
    }

    /** A device with one BAR of {@code size} bytes that reads as its BAR size. */
    record Plain(PciAddress address, long size) implements PciDevice {
        @Override public int vendorId() { return 0x1d5a; }
        @Override public int deviceId() { return 0xffff; }
        @Override public String description() { return "test device"; }
        @Override public List<PciBar> bars() { return List.of(new PciBar(2, size)); }
        @Override public long mmioRead(int bar, long offset, int s) { return size; }
        @Override public void mmioWrite(int bar, long offset, int s, long value) { }
        @Override public void connect(DmaPort port) { }
        @Override public void reset() { }
    }

    @Test
    void barsAreNaturallyAlignedInThePciWindowAndTheAbiSaysWhere() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.create("burn", "burn", "0", 16, null, null);
            KvmGuest g = KvmDmaTest.guest(rig, d.id());
            rig.platform.plug(d.id(), new DmaEngine(KvmDmaTest.DEV));
            rig.platform.plug(d.id(), new Plain(PciAddress.parse("0000:04:00.0"), 0x10000));
            long base = GuestAbi.PCI_BASE, abi = GuestAbi.HC_PCI_BAR;
            assertEquals(0x3FF00000L, base);
            long[] seen = rig.platform.call(() -> new long[] {g.pci.abiRead(abi), g.pci.abiRead(abi + 8), g.pci.abiRead(abi + 16), g.pci.abiRead(abi + 24), g.pci.abiRead(abi + 32)});
            assertArrayEquals(new long[] {base, 4096, base + 0x10000, 0x10000 | 2L << 48, 0}, seen);

            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> rig.platform.plug(d.id(), new DmaEngine(KvmDmaTest.DEV)));
            assertEquals("domain " + d.id() + " already has PCI device 0000:03:00.0", twice.getMessage());
            IllegalStateException big = assertThrows(IllegalStateException.class, () -> rig.platform.plug(d.id(), new Plain(PciAddress.parse("0000:05:00.0"), 2L << 20)));
            assertTrue(big.getMessage().contains("BAR 2 of 0000:05:00.0 (2097152 bytes) does not fit"), big.getMessage());
            assertEquals(2, rig.platform.call(() -> g.pci.mapped().size()), "a refused plug maps nothing");
            assertThrows(IllegalArgumentException.class, () -> rig.platform.plug(4242, new DmaEngine(KvmDmaTest.DEV)));

            rig.platform.unplug(d.id(), KvmDmaTest.DEV);
            assertEquals(0L, rig.platform.call(() -> g.pci.abiRead(abi)), "slot 0 is empty again");
            rig.platform.plug(d.id(), new Plain(PciAddress.parse("0000:06:00.0"), 0x8000));
            assertEquals(base, rig.platform.call(() -> g.pci.abiRead(abi)), "the freed slot and place are reused");
        }
    }

    @Test
    void accessesTheDeviceDoesNotTakeNeverReachIt() throws Exception {
        try (KvmRig rig = new KvmRig(null, false)) {
            DomainInfo d = rig.create("burn", "burn", "0", 16, null, null);
            KvmGuest g = KvmDmaTest.guest(rig, d.id());
            CountingDevice dev = new CountingDevice(new DmaEngine(KvmDmaTest.DEV));
            rig.platform.plug(d.id(), dev);
            long b = GuestAbi.PCI_BASE;
            long[] r = rig.platform.call(() -> new long[] {
                g.pci.read(b + 4092, 8),       // straddles the BAR's end
                g.pci.read(b, 3),              // a size no device takes
                g.pci.read(b, 16),             // an SSE-sized access
                g.pci.read(b + 0x80000, 8),    // in the window, no BAR there
                g.pci.read(b, 8)});            // the ID register
            assertArrayEquals(new long[] {-1, -1, -1, -1, 1L << 32 | 0xd3a0L << 16 | 0x1d5a}, r);
            assertEquals(1, dev.reads.get(), "only the well-formed read reached the device");
            rig.platform.call(() -> {
                g.pci.write(b + 4092, 8, 1);
                g.pci.write(b + 0x20, 5, 1);
                g.pci.write(b + 0xFFFF0, 8, 1);
                return null;
            });
            assertEquals(0, dev.writes.get());
            assertEquals(7, g.pci.strayAccesses, "four reads, three writes");
        }
    }
}
