package org.hvkit.api.pci;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The only way a device reaches memory: each request is translated by the IOMMU for the device's
 * source id, checked against the access it gives, then carried out on the domain's memory.
 * Implemented by the IOMMU; thread-safe; a request is bounded by its length, never blocks on a
 * guest, and never touches memory the translation does not give.
 */
@ProviderType
public interface DmaPort {
    /** Copies {@code len} bytes at {@code iova} into {@code dst[off..]} (a device reading memory). */
    void read(long iova, byte[] dst, int off, int len) throws DmaFaultException;

    /** Copies {@code src[off..off+len)} to {@code iova} (a device writing memory). */
    void write(long iova, byte[] src, int off, int len) throws DmaFaultException;

    /** The port of a device that is not assigned, or whose IOMMU has gone: every request faults. */
    DmaPort BLOCKED = new DmaPort() {
        @Override
        public void read(long iova, byte[] dst, int off, int len) throws DmaFaultException {
            throw new DmaFaultException("DMA read at " + Long.toHexString(iova) + " blocked: the device is not assigned through an IOMMU", iova, false, 0);
        }

        @Override
        public void write(long iova, byte[] src, int off, int len) throws DmaFaultException {
            throw new DmaFaultException("DMA write at " + Long.toHexString(iova) + " blocked: the device is not assigned through an IOMMU", iova, true, 0);
        }

        @Override
        public String toString() {
            return "DmaPort.BLOCKED";
        }
    };
}
