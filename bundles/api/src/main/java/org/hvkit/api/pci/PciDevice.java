package org.hvkit.api.pci;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A host PCI function that can be assigned to a domain: a device model registered as a service
 * (service property {@code hvkit.pci.address} = {@link PciAddress#toString()}).
 *
 * <p>Its BAR accesses come from the domain's vCPUs (KVM: MMIO exits on the vCPU's thread; the
 * simulated machine: workload phases, in machine context), so they must be bounded and never
 * block; a hostile guest may write anything to any offset: undefined offsets read as all ones and
 * ignore writes, as hardware does. The device reaches memory only through the {@link DmaPort} it
 * is {@link #connect connected} to, which is {@link DmaPort#BLOCKED} until it is assigned.
 */
@ConsumerType
public interface PciDevice {
    PciAddress address();

    int vendorId();

    int deviceId();

    /** What it is, for {@code xl pci-assignable-list -v} and logs. */
    String description();

    List<PciBar> bars();

    /** Reads {@code size} (1, 2, 4 or 8) bytes at {@code offset} of BAR {@code bar}, little endian. */
    long mmioRead(int bar, long offset, int size);

    /** Writes {@code size} (1, 2, 4 or 8) bytes at {@code offset} of BAR {@code bar}; may start a DMA. */
    void mmioWrite(int bar, long offset, int size, long value);

    /** From now on the device does DMA through {@code port} only (BLOCKED to cut it off). */
    void connect(DmaPort port);

    /** Function-level reset: any transfer stops, registers take their reset values. */
    void reset();
}
