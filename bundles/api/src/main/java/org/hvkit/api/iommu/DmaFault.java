package org.hvkit.api.iommu;

import org.hvkit.api.pci.PciAddress;

/**
 * A recorded DMA fault, as a VT-d fault-recording register holds it: the requester, the page
 * address, read or write, and the fault reason code (VT-d's: 1 root entry not present, 2 context
 * entry not present, 3 invalid context entry, 4 address beyond MGAW, 5 no write permission, 6 no
 * read permission, 7 invalid paging entry, 0xa-0xc reserved bits set, 0xd blocked by TT).
 */
public record DmaFault(PciAddress source, long pageAddress, boolean write, int reason, long atNanos) {}
