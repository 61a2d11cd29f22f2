/** The VT-d DMA-remapping model: units per segment, tables in modelled host memory, caches, fault recording. */
package org.hvkit.iommu.vtd.internal;
