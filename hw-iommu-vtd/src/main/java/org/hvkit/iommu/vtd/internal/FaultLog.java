package org.hvkit.iommu.vtd.internal;

import java.util.List;

/**
 * Xen 4.2's lines for a DMA-remapping fault (vtd/iommu.c, iommu_page_fault_do_one), one
 * dprintk of two lines: {@code [VT-D]iommu.c:864: DMAR:[DMA Write] Request device
 * [0000:03:00.0] fault addr 7f000, iommu reg = ffff82c3fff57000} and {@code DMAR:[fault reason
 * 05h] PTE Write access is not set}. (4.2 prints them only with iommu=debug; hvkit always does,
 * as later Xen does.)
 */
final class FaultLog {
    private FaultLog() { }

    static List<String> lines(DmarUnit u, DmarUnit.Recorded r) {
        int sid = r.sid();
        String first = String.format("[VT-D]iommu.c:864: DMAR:[%s] Request device [%04x:%02x:%02x.%d] fault addr %x, iommu reg = %016x",
                r.write() ? "DMA Write" : "DMA Read", u.segment, sid >>> 8, sid >>> 3 & 0x1f, sid & 7, r.pageAddress(), u.regVa);
        String second = String.format("DMAR:[fault reason %02xh] %s", r.reason(), Vtd.reasonText(r.reason()));
        return List.of(first, second);
    }
}
