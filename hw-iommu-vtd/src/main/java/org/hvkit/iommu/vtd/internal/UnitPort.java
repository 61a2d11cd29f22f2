package org.hvkit.iommu.vtd.internal;

import java.util.Objects;
import org.hvkit.api.pci.DmaFaultException;
import org.hvkit.api.pci.DmaPort;
import org.hvkit.api.pci.PciAddress;

/**
 * The port of one assigned device: every request is cut at 4 KiB I/O page boundaries and each
 * page translated for the device's source id through its segment's unit (as the hardware sees
 * only the requester id, a port follows whatever domain the context entry names now). Bytes of
 * earlier pages of a faulting request have been transferred, none at or after the fault.
 */
final class UnitPort implements DmaPort {
    private final VtdIommu iommu;
    private final DmarUnit unit;
    private final PciAddress device;
    private final int sid;

    UnitPort(VtdIommu iommu, DmarUnit unit, PciAddress device) {
        this.iommu = iommu;
        this.unit = unit;
        this.device = device;
        this.sid = device.sourceId();
    }

    @Override
    public void read(long iova, byte[] dst, int off, int len) throws DmaFaultException {
        transfer(iova, dst, off, len, false);
    }

    @Override
    public void write(long iova, byte[] src, int off, int len) throws DmaFaultException {
        transfer(iova, src, off, len, true);
    }

    private void transfer(long iova, byte[] buf, int off, int len, boolean write) throws DmaFaultException {
        Objects.checkFromIndexSize(off, len, buf.length);
        int done = 0;
        while (done < len) {
            long cur = iova + done;
            int n = (int) Math.min(len - done, 4096 - (cur & 0xfff));
            if (iommu.stopped()) throw new DmaFaultException(what(write, cur) + ": the VT-d unit has stopped", cur, write, 0);
            DmarUnit.Ctx c = unit.context(sid, cur, write);
            if (!c.ok()) throw fault(write, cur, c.reason());
            long gfn = unit.page(c, sid, cur, write);
            if (gfn < 0) throw fault(write, cur, (int) -gfn);
            long gpa = gfn << 12 | (cur & 0xfff);
            try {
                if (write) c.space().target.write(gpa, buf, off + done, n);
                else c.space().target.read(gpa, buf, off + done, n);
            } catch (RuntimeException e) { // the platform's own check: translated, yet not the domain's memory
                throw new DmaFaultException(what(write, cur) + ": domain " + c.space().domid + " refused gpa " + Long.toHexString(gpa) + ": " + e.getMessage(), cur, write, 0);
            }
            done += n;
        }
    }

    private DmaFaultException fault(boolean write, long iova, int reason) {
        return new DmaFaultException(what(write, iova) + ": fault reason " + String.format("%02xh", reason) + " " + Vtd.reasonText(reason), iova, write, reason);
    }

    private String what(boolean write, long iova) {
        return "DMA " + (write ? "write" : "read") + " of " + device + " at " + Long.toHexString(iova);
    }

    @Override
    public String toString() {
        return "VT-d port of " + device;
    }
}
