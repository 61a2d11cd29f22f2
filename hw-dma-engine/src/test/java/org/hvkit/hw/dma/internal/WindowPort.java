package org.hvkit.hw.dma.internal;

import org.hvkit.api.pci.DmaFaultException;
import org.hvkit.api.pci.DmaPort;

/**
 * A DMA port over one byte array at bus addresses [base, base + mem.length): what an IOMMU gives a
 * device whose domain owns exactly that window. Faults (reason 5 for writes, 6 for reads, as VT-d's
 * no-permission codes) at the first address outside, after carrying out the bytes before it.
 */
final class WindowPort implements DmaPort {
    final long base;
    final byte[] mem;
    /** Bus addresses below this are read-only (a write faults with reason 5). */
    long writableFrom;
    long requests, bytes, largest;
    Runnable onRead = () -> { };

    WindowPort(long base, int size) {
        this.base = base;
        this.mem = new byte[size];
        this.writableFrom = base;
    }

    @Override
    public void read(long iova, byte[] dst, int off, int len) throws DmaFaultException {
        count(len);
        onRead.run();
        int ok = inside(iova, len, base);
        System.arraycopy(mem, (int) Math.max(0, iova - base), dst, off, ok);
        if (ok < len) throw new DmaFaultException("read fault at " + Long.toHexString(iova + ok), iova + ok, false, 6);
    }

    @Override
    public void write(long iova, byte[] src, int off, int len) throws DmaFaultException {
        count(len);
        int ok = inside(iova, len, writableFrom);
        System.arraycopy(src, off, mem, (int) Math.max(0, iova - base), ok);
        if (ok < len) throw new DmaFaultException("write fault at " + Long.toHexString(iova + ok), iova + ok, true, 5);
    }

    /** How many of the len bytes from iova lie in [from, base + mem.length), counted from the start. */
    private int inside(long iova, int len, long from) {
        long end = base + mem.length;
        if (Long.compareUnsigned(iova, from) < 0 || Long.compareUnsigned(iova, end) >= 0) return 0;
        return (int) Math.min(len, end - iova);
    }

    private void count(int len) {
        requests++;
        bytes += len;
        largest = Math.max(largest, len);
    }
}
