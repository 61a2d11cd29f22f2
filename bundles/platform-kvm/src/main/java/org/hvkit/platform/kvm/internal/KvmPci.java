package org.hvkit.platform.kvm.internal;

import java.util.ArrayList;
import java.util.List;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.pci.PciBar;
import org.hvkit.api.pci.PciDevice;

/**
 * One domain's PCI window on KVM (guest ABI: {@link GuestAbi#PCI_BASE}): the memory BARs of the
 * devices plugged into it, each at a guest-physical address inside the window, which has no
 * memory slot, so every guest access there is a {@code KVM_EXIT_MMIO} that lands here and goes to
 * {@link PciDevice#mmioRead}/{@link PciDevice#mmioWrite} on the vCPU's carrier. The window lies in
 * the user-accessible 2 MiB page of the hypercall window, so ring-3 code reaches it as it reaches
 * the hypercalls. The guest learns where each BAR is through the ABI reads {@code PCI_BAR(i)}.
 *
 * <p>Everything here runs in machine context (exits, and plug/unplug through {@link KvmPlatform}),
 * so an unplug can never overlap an access: when it returns, no vCPU is inside the device.
 */
final class KvmPci {
    /** A BAR mapped into the window: ABI slot {@code slot} at guest-physical {@code base}. */
    record Mapped(int slot, PciDevice device, PciAddress address, PciBar bar, long base) {
        boolean covers(long gpa) {
            return gpa >= base && gpa - base < bar.size();
        }
    }

    private final KvmGuest guest;
    private final List<Mapped> mapped = new ArrayList<>();
    /** Accesses in the window that hit no BAR or had a size the device does not take; device calls that threw. */
    long strayAccesses, deviceErrors;
    private boolean errorSaid;

    KvmPci(KvmGuest guest) {
        this.guest = guest;
    }

    static boolean inWindow(long gpa) {
        return gpa >= GuestAbi.PCI_BASE && gpa - GuestAbi.PCI_BASE < GuestAbi.PCI_SIZE;
    }

    /**
     * Maps every memory BAR of {@code d}, each naturally aligned in the first free place of the
     * window, under the lowest free ABI slots. Machine context. All or nothing.
     */
    void plug(PciDevice d) {
        PciAddress a = d.address();
        for (Mapped m : mapped) {
            if (m.address.equals(a)) throw new IllegalStateException("domain " + guest.domid + " already has PCI device " + a);
        }
        List<Mapped> add = new ArrayList<>();
        for (PciBar bar : d.bars()) {
            int slot = freeSlot(add);
            if (slot < 0) throw new IllegalStateException("domain " + guest.domid + ": no free PCI BAR slot for " + a + " (the guest ABI has " + GuestAbi.NR_PCI_BARS + ")");
            long base = place(bar.size(), add);
            if (base < 0) throw new IllegalStateException("domain " + guest.domid + ": BAR " + bar.index() + " of " + a + " (" + bar.size()
                    + " bytes) does not fit in the free part of the " + (GuestAbi.PCI_SIZE >> 10) + " KiB PCI window");
            add.add(new Mapped(slot, d, a, bar, base));
        }
        mapped.addAll(add);
        for (Mapped m : add) guest.events.log("pci: " + a + " BAR " + m.bar.index() + " at guest-physical 0x" + Long.toHexString(m.base) + " (" + (m.bar.size() >> 10) + " KiB), PCI_BAR(" + m.slot + ")");
    }

    /** Removes every BAR of {@code a}; true when there was one. Machine context. */
    boolean unplug(PciAddress a) {
        boolean any = mapped.removeIf(m -> m.address.equals(a));
        if (any) guest.events.log("pci: " + a + " removed");
        return any;
    }

    /** The domain is being destroyed: no BAR answers any more. Machine context. */
    void clear() {
        mapped.clear();
    }

    List<Mapped> mapped() {
        return List.copyOf(mapped);
    }

    private int freeSlot(List<Mapped> pending) {
        for (int s = 0; s < GuestAbi.NR_PCI_BARS; s++) {
            int slot = s;
            if (mapped.stream().noneMatch(m -> m.slot == slot) && pending.stream().noneMatch(m -> m.slot == slot)) return s;
        }
        return -1;
    }

    /** The lowest naturally aligned base for {@code size} bytes that overlaps no BAR, or -1. */
    private long place(long size, List<Mapped> pending) {
        for (long b = GuestAbi.PCI_BASE; b + size <= GuestAbi.PCI_BASE + GuestAbi.PCI_SIZE; b += size) {
            long base = b;
            if (mapped.stream().noneMatch(m -> overlaps(m, base, size)) && pending.stream().noneMatch(m -> overlaps(m, base, size))) return base;
        }
        return -1;
    }

    private static boolean overlaps(Mapped m, long base, long size) {
        return base < m.base + m.bar.size() && m.base < base + size;
    }

    /** ABI read {@code PCI_BAR(i)} (base) or {@code PCI_BAR_INFO(i)} (size, BAR index in bits 48-55); 0 for an empty slot. */
    long abiRead(long off) {
        long rel = off - GuestAbi.HC_PCI_BAR;
        int slot = (int) (rel / 16);
        boolean info = (rel & 15) == 8;
        if ((rel & 7) != 0) return -1L;
        for (Mapped m : mapped) {
            if (m.slot == slot) return info ? m.bar.size() | (long) m.bar.index() << 48 : m.base;
        }
        return 0;
    }

    /**
     * A guest read of {@code len} bytes at {@code gpa} in the window: the device's answer, or all
     * ones where no BAR is, for a size the device does not take, or when the device failed.
     */
    long read(long gpa, int len) {
        Mapped m = find(gpa, len);
        if (m == null) return -1L;
        try {
            return m.device.mmioRead(m.bar.index(), gpa - m.base, len);
        } catch (RuntimeException | LinkageError e) {
            failed(m, "read", gpa, e);
            return -1L;
        }
    }

    /** A guest write in the window: to the device, or dropped as {@link #read} would answer all ones. */
    void write(long gpa, int len, long value) {
        Mapped m = find(gpa, len);
        if (m == null) return;
        try {
            m.device.mmioWrite(m.bar.index(), gpa - m.base, len, value);
        } catch (RuntimeException | LinkageError e) {
            failed(m, "write", gpa, e);
        }
    }

    /** The BAR wholly holding [gpa, gpa + len) for an access size a device takes (1, 2, 4, 8), or null. */
    private Mapped find(long gpa, int len) {
        if (len == 1 || len == 2 || len == 4 || len == 8) {
            for (Mapped m : mapped) {
                if (m.covers(gpa) && m.covers(gpa + len - 1)) return m;
            }
        }
        strayAccesses++;
        return null;
    }

    /** A device model threw: the access is dropped (the guest sees all ones), the host goes on; said once per domain. */
    private void failed(Mapped m, String what, long gpa, Throwable e) {
        deviceErrors++;
        if (errorSaid) return;
        errorSaid = true;
        guest.events.log("pci: " + m.address + " failed a guest MMIO " + what + " at BAR " + m.bar.index() + " offset 0x" + Long.toHexString(gpa - m.base)
                + " (" + e + "); the access was dropped, further failures are counted, not logged");
    }
}
