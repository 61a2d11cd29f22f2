/**
 * Host PCI devices that a domain can be given (Xen's PCI passthrough). A {@link org.hvkit.api.pci.PciDevice}
 * is a device model registered as a service by a device bundle; it reaches guest memory only through
 * the {@link org.hvkit.api.pci.DmaPort} it is connected to, which the IOMMU gives it while the device
 * is assigned ({@link org.hvkit.api.pci.DmaPort#BLOCKED} otherwise). A platform makes an assigned
 * device's BARs reachable from the domain's vCPUs through {@link org.hvkit.api.pci.PciPlatform}.
 */
@Export
@Version("1.1.0")
package org.hvkit.api.pci;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
