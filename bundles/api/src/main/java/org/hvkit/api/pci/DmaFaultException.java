package org.hvkit.api.pci;

/**
 * A DMA the IOMMU refused (or a port that is not connected). Bytes before {@link #iova()} of the
 * request were transferred; nothing at or after it was.
 */
public class DmaFaultException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long iova;
    private final boolean write;
    private final int reason;

    /**
     * @param reason the VT-d fault reason code (1 root entry not present, 2 context entry not
     *               present, 4 address beyond MGAW, 5 no write permission, 6 no read permission,
     *               ...), or 0 when the port is not connected to any IOMMU
     */
    public DmaFaultException(String message, long iova, boolean write, int reason) {
        super(message);
        this.iova = iova;
        this.write = write;
        this.reason = reason;
    }

    /** The first address (I/O virtual, as the device sent it) that was not transferred. */
    public long iova() {
        return iova;
    }

    /** A write to memory (device to memory) rather than a read. */
    public boolean write() {
        return write;
    }

    public int reason() {
        return reason;
    }
}
