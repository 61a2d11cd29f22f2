package org.hvkit.api.pci;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Device assignment as the toolstack sees it (Xen's pciback list and its assign/deassign
 * domctls), provided by the core. Failures are {@link org.hvkit.api.toolstack.HypervisorException}s
 * whose message says what and where; nothing changed then. Every call is checked by XSM for the
 * calling subject (resource add / remove on the target domain, as 4.2's FLASK hooks).
 *
 * @since 1.1
 */
@ProviderType
public interface PciAssignment {
    /** Every host PCI device there is (registered device models), in address order. */
    List<PciDevice> devices();

    /** {@code xl pci-assignable-add}: the device may be given to a domain from now on. Idempotent. */
    void addAssignable(PciAddress device);

    /** {@code xl pci-assignable-remove}; refused (EBUSY) while a domain has it. */
    void removeAssignable(PciAddress device);

    /**
     * {@code xl pci-assignable-list}: assignable devices no domain has, in address order; empty
     * while assignment is impossible ({@code iommu=off}, or {@code iommu=required} and no unit).
     */
    List<PciAddress> assignable();

    /**
     * Gives {@code device} to domain {@code domid}: its DMA is translated into the domain by the
     * IOMMU, its BARs reach the domain's vCPUs. Refused when the device is not assignable, is
     * already assigned, or there is no IOMMU.
     */
    void attach(int domid, PciAddress device);

    /** Takes {@code device} back from domain {@code domid}: unplugged, reset, cut off from memory. */
    void detach(int domid, PciAddress device);

    /** The devices domain {@code domid} has, in address order. */
    List<PciAddress> assigned(int domid);
}
