package org.hvkit.api.pci;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The platform SPI of device assignment: a platform registers this (with the {@code hvkit.platform}
 * property of its {@code Platform}) to make an assigned device's BARs reachable from a domain.
 */
@ConsumerType
public interface PciPlatform {
    /**
     * Makes {@code device}'s BARs reachable from domain {@code domid}'s vCPUs (KVM: mapped as MMIO
     * at guest-physical addresses the guest ABI tells the guest; simulated machine: its DMA
     * workload phases drive it).
     *
     * @throws IllegalArgumentException naming the domain when it does not exist on this platform
     * @throws IllegalStateException    when the domain already has a device at that address
     */
    void plug(int domid, PciDevice device);

    /** Removes the device from the domain: no vCPU reaches its BARs after this returns. Idempotent. */
    void unplug(int domid, PciAddress address);
}
