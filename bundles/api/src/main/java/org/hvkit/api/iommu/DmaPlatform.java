package org.hvkit.api.iommu;

import org.osgi.annotation.versioning.ConsumerType;

/** The platform SPI that gives a DMA-remapping unit its domains' memory (service property {@code hvkit.platform}). */
@ConsumerType
public interface DmaPlatform {
    /**
     * @throws IllegalArgumentException naming the domain when it does not exist on this platform
     */
    DmaTarget target(int domid);
}
