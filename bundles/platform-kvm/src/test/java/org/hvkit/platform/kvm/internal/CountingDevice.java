package org.hvkit.platform.kvm.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.pci.PciBar;
import org.hvkit.api.pci.PciDevice;

/** A device that counts the guest's BAR accesses and passes them on (or throws, to play a broken device model). */
final class CountingDevice implements PciDevice {
    private final PciDevice inner;
    final AtomicLong reads = new AtomicLong(), writes = new AtomicLong();
    volatile boolean broken;

    CountingDevice(PciDevice inner) {
        this.inner = inner;
    }

    @Override public PciAddress address() { return inner.address(); }
    @Override public int vendorId() { return inner.vendorId(); }
    @Override public int deviceId() { return inner.deviceId(); }
    @Override public String description() { return inner.description(); }
    @Override public List<PciBar> bars() { return inner.bars(); }
    @Override public void connect(DmaPort port) { inner.connect(port); }
    @Override public void reset() { inner.reset(); }

    @Override
    public long mmioRead(int bar, long offset, int size) {
        reads.incrementAndGet();
        if (broken) throw new IllegalStateException("broken device model (test)");
        return inner.mmioRead(bar, offset, size);
    }

    @Override
    public void mmioWrite(int bar, long offset, int size, long value) {
        writes.incrementAndGet();
        if (broken) throw new IllegalStateException("broken device model (test)");
        inner.mmioWrite(bar, offset, size, value);
    }
}
