package org.hvkit.api.iommu;

import java.util.List;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A DMA-remapping unit (the {@code hw-iommu-vtd} bundle provides one per host); the core assigns
 * devices through it. Thread-safe. When its bundle stops, every port it gave out faults from then
 * on (the core connects devices to {@link DmaPort#BLOCKED} and re-assigns them through the next
 * unit that appears).
 */
@ConsumerType
public interface Iommu {
    /** Its name for logs and {@code xl dmesg} (e.g. "VT-d"). */
    String name();

    /**
     * Puts {@code device} into domain {@code target}'s DMA address space (the context entry of its
     * source id, in its segment, points at that domain's tables) and returns the port through which
     * the device's DMA is translated.
     *
     * @throws IllegalStateException when the device is already attached to a domain
     */
    DmaPort attach(PciAddress device, DmaTarget target);

    /**
     * Takes the device out of its domain: its context entry is cleared and the caches are
     * invalidated before this returns, so the port it had faults from then on. Idempotent.
     */
    void detach(PciAddress device);

    /**
     * Translates one request without carrying it out: the guest frame {@code address} reaches from
     * {@code device} for a read or a write, or the fault it gets (recorded like a real request's).
     */
    Translation translate(PciAddress device, long address, boolean write);

    /**
     * The domain's mappings changed outside the p2m listeners' view (e.g. a table was rebuilt):
     * drop everything cached for it. The unit follows p2m changes by itself.
     */
    void invalidateDomain(int domid);

    /** The faults recorded since the unit started, oldest first (bounded: the newest are kept). */
    List<DmaFault> faults();

    /** A translation's outcome: a guest frame and the access it allows, or a fault. */
    record Translation(long gfn, boolean readable, boolean writable, DmaFault fault) {
        public boolean ok() {
            return fault == null;
        }
    }
}
