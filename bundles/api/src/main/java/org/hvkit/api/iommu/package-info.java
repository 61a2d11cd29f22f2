/**
 * The IOMMU SPI: a DMA-remapping unit gives each assigned device a DMA address space in its
 * domain, translates every request of the device (source id, address, read or write) to a guest
 * frame or a fault, and records faults. The core assigns devices through {@link org.hvkit.api.iommu.Iommu};
 * a platform gives the unit its domains' memory through {@link org.hvkit.api.iommu.DmaPlatform}.
 */
@Export
@Version("1.1.0")
package org.hvkit.api.iommu;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
