package org.hvkit.platform.kvm.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.hvkit.api.iommu.DmaTarget;
import org.hvkit.api.pci.DmaFaultException;
import org.hvkit.api.pci.DmaPort;

/**
 * A stand-in for the IOMMU in the platform's own tests: bus address = guest-physical address,
 * page by page onto the platform's {@link DmaTarget}, faulting where the target refuses (reason 6
 * for reads, 5 for writes: VT-d's codes for a not-present entry) or at 2^39 and up (reason 4,
 * beyond a 39-bit MGAW). The bytes before the fault are transferred, as {@link DmaPort} promises.
 */
final class FlatPort implements DmaPort {
    private final DmaTarget target;
    final AtomicLong requests = new AtomicLong(), faults = new AtomicLong();

    FlatPort(DmaTarget target) {
        this.target = target;
    }

    @Override
    public void read(long iova, byte[] dst, int off, int len) throws DmaFaultException {
        transfer(iova, dst, off, len, false);
    }

    @Override
    public void write(long iova, byte[] src, int off, int len) throws DmaFaultException {
        transfer(iova, src, off, len, true);
    }

    private void transfer(long iova, byte[] b, int off, int len, boolean write) throws DmaFaultException {
        requests.incrementAndGet();
        int done = 0;
        while (done < len) {
            long a = iova + done;
            int n = (int) Math.min(len - done, 4096 - (a & 4095));
            if (a < 0 || a >= 1L << 39) throw fault(a, write, 4);
            try {
                if (write) target.write(a, b, off + done, n);
                else target.read(a, b, off + done, n);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw fault(a, write, write ? 5 : 6);
            }
            done += n;
        }
    }

    private DmaFaultException fault(long a, boolean write, int reason) {
        faults.incrementAndGet();
        return new DmaFaultException("flat port: " + (write ? "write" : "read") + " at 0x" + Long.toHexString(a), a, write, reason);
    }
}
