package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hvkit.api.pci.PciAddress;
import org.hvkit.api.pci.PciAssignment;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * xl's PCI pass-through commands as 4.2's xl_cmdimpl.c has them: {@code pci-assignable-add},
 * {@code -remove}, {@code -list}, {@code pci-attach}, {@code pci-detach}, {@code pci-list}, and
 * {@code pci=[...]} of xl.cfg at create. As in 4.2, a failure inside libxl is its error line on
 * stderr and the command's status is still 0 (only a malformed BDF or an unknown domain give 2).
 */
final class PciCommands {
    private final Hypervisor hv;
    private final PciAssignment pci;
    private final PrintStream out, err;
    private final java.util.function.ToIntFunction<String> help;
    /** The virtual slot (devfn) each device has in its domain, per domain, as xl pci-list shows it (the toolstack's, kept across commands). */
    private final Map<Integer, Map<PciAddress, Integer>> vdevfn;

    PciCommands(Hypervisor hv, PciAssignment pci, Map<Integer, Map<PciAddress, Integer>> vdevfn, PrintStream out, PrintStream err,
            java.util.function.ToIntFunction<String> help) {
        this.vdevfn = vdevfn;
        this.help = help;
        this.hv = hv;
        this.pci = pci;
        this.out = out;
        this.err = err;
    }

    int run(String cmd, List<String> a) {
        return switch (cmd) {
            case "pci-assignable-list" -> {
                if (!a.isEmpty()) yield usage(cmd);
                if (pci != null) for (PciAddress d : pci.assignable()) out.println(d);
                yield 0;
            }
            case "pci-assignable-add" -> {
                if (a.size() != 1) yield usage(cmd);
                yield assignableAdd(a.get(0));
            }
            case "pci-assignable-remove" -> {
                List<String> rest = operands(a, "-r"); // -r: rebind to the old driver; nothing to rebind here
                if (rest.size() != 1) yield usage(cmd);
                yield assignableRemove(rest.get(0));
            }
            case "pci-attach" -> {
                if (a.size() < 2 || a.size() > 3) yield usage(cmd);
                yield attach(a.get(0), a.get(1), a.size() == 3 ? a.get(2) : null);
            }
            case "pci-detach" -> {
                List<String> rest = operands(a, "-f");
                if (rest.size() != 2) yield usage(cmd);
                yield detach(rest.get(0), rest.get(1));
            }
            case "pci-list" -> {
                if (a.size() != 1) yield usage(cmd);
                yield list(a.get(0));
            }
            default -> throw new IllegalArgumentException(cmd);
        };
    }

    private int usage(String cmd) {
        help.applyAsInt(cmd);
        return 2;
    }

    /** xlu_pci_parse_bdf's forms; null after saying "CMD: malformed BDF specification" (status 2). */
    private PciAddress bdf(String cmd, String text) {
        try {
            PciSpec s = PciSpec.parse("command line", text, err);
            if (s.allFunctions()) throw new SpecException("malformed BDF specification \"" + text + "\"");
            return new PciAddress(s.domain(), s.bus(), s.dev(), s.func());
        } catch (SpecException | IllegalArgumentException e) {
            err.println(cmd + ": malformed BDF specification \"" + text + "\"");
            return null;
        }
    }

    private static String shortBdf(PciAddress d) {
        return Integer.toHexString(d.segment()) + ":" + Integer.toHexString(d.bus()) + ":" + Integer.toHexString(d.device()) + "." + d.function();
    }

    private int assignableAdd(String text) {
        PciAddress d = bdf("pci-assignable-add", text);
        if (d == null) return 2;
        if (!exists(d)) {
            err.println("libxl: error: libxl_pci.c:640:libxl__device_pci_assignable_add: Couldn't lstat /sys/bus/pci/devices/" + d + ": No such file or directory");
            return 0;
        }
        if (pci.assignable().contains(d)) {
            err.println("libxl: warning: libxl_pci.c:646:libxl__device_pci_assignable_add: " + d + " already assigned to pciback");
            return 0;
        }
        pci.addAssignable(d);
        return 0;
    }

    /** The operands after DefGetopt's options-first arguments: {@code flag} words, then an optional "--". */
    private static List<String> operands(List<String> a, String flag) {
        int i = 0;
        while (i < a.size() && a.get(i).equals(flag)) i++;
        if (i < a.size() && a.get(i).equals("--")) i++;
        return a.subList(i, a.size());
    }

    private int assignableRemove(String text) {
        PciAddress d = bdf("pci-assignable-remove", text);
        if (d == null) return 2;
        if (!exists(d)) {
            err.println("libxl: warning: libxl_pci.c:693:libxl__device_pci_assignable_remove: Not bound to pciback"); // 4.2 then goes on
            return 0;
        }
        try {
            pci.removeAssignable(d);
        } catch (HypervisorException e) {
            err.println("libxl: error: libxl_pci.c:688:libxl__device_pci_assignable_remove: " + e.getMessage()); // hvkit's refusal: the closest, pciback's check
        }
        return 0;
    }

    private boolean exists(PciAddress d) {
        return pci != null && pci.devices().stream().anyMatch(x -> x.address().equals(d));
    }

    private int attach(String dom, String text, String vslot) {
        Integer domid = XlCommand.findDomain(hv, dom, err);
        if (domid == null) return 2;
        PciAddress d = bdf("pci-attach", vslot == null ? text : text + "@" + vslot);
        if (d == null) return 2;
        attachOne(domid, d, vslot == null ? -1 : Integer.parseInt(vslot, 16));
        return 0;
    }

    /** libxl__device_pci_add's checks and errors; true when the device is now the domain's. */
    boolean attachOne(int domid, PciAddress d, int vslot) {
        String where = "libxl: error: libxl_pci.c:1053:libxl__device_pci_add: ";
        if (pci == null) {
            err.println(where + "PCI device " + d + " cannot be assigned - no IOMMU?");
            return false;
        }
        boolean known = exists(d);
        boolean owned = known && pci.assignable().stream().noneMatch(d::equals) && isAssigned(d);
        if (!known || owned) {
            err.println(where + "PCI device " + d + " already assigned to a different guest?");
            return false;
        }
        try {
            pci.attach(domid, d);
        } catch (HypervisorException e) {
            switch (e.errno()) {
                case ENODEV -> err.println(where + "PCI device " + d + " cannot be assigned - no IOMMU?");
                case EINVAL -> err.println(e.getMessage().contains("not assignable")
                        ? "libxl: error: libxl_pci.c:1066:libxl__device_pci_add: PCI device " + shortBdf(d) + " is not assignable"
                        : "libxl: error: libxl_pci.c:1079:libxl__device_pci_add: PCI device already attached to a domain");
                default -> err.println("libxl: error: libxl_pci.c:961:do_pci_add: xc_assign_device failed: " + e.getMessage());
            }
            return false;
        }
        Map<PciAddress, Integer> slots = vdevfn.computeIfAbsent(domid, k -> new ConcurrentHashMap<>());
        slots.keySet().retainAll(pci.assigned(domid));
        int devfn = vslot >= 0 ? vslot << 3 : freeSlot(slots) << 3;
        slots.put(d, devfn);
        return true;
    }

    /** The first guest slot from 04 no device of the domain has (qemu's first free slot after its own). */
    private static int freeSlot(Map<PciAddress, Integer> slots) {
        for (int s = 4; s < 32; s++) {
            if (!slots.containsValue(s << 3)) return s;
        }
        return 31;
    }

    private boolean isAssigned(PciAddress d) {
        for (var info : hv.listDomains()) if (pci.assigned(info.id()).contains(d)) return true;
        return false;
    }

    private int detach(String dom, String text) {
        Integer domid = XlCommand.findDomain(hv, dom, err);
        if (domid == null) return 2;
        PciAddress d = bdf("pci-detach", text);
        if (d == null) return 2;
        if (pci == null || !pci.assigned(domid).contains(d)) {
            err.println("libxl: error: libxl_pci.c:1185:do_pci_remove: PCI device not attached to this domain");
            return 0;
        }
        try {
            pci.detach(domid, d);
            Map<PciAddress, Integer> slots = vdevfn.get(domid);
            if (slots != null) slots.remove(d);
        } catch (HypervisorException e) {
            err.println("libxl: error: libxl_pci.c:1277:do_pci_remove: xc_deassign_device failed: " + e.getMessage());
        }
        return 0;
    }

    private int list(String dom) {
        Integer domid = XlCommand.findDomain(hv, dom, err);
        if (domid == null) return 2;
        List<PciAddress> devs = pci == null ? List.of() : pci.assigned(domid);
        if (devs.isEmpty()) return 0; // libxl_device_pci_list gives NULL: not even the header
        Map<PciAddress, Integer> slots = vdevfn.computeIfAbsent(domid, k -> new ConcurrentHashMap<>());
        slots.keySet().retainAll(devs); // released meanwhile (destroy, a device model gone)
        out.println("Vdev Device");
        for (PciAddress d : devs) {
            int devfn = slots.computeIfAbsent(d, k -> freeSlot(slots) << 3);
            out.printf("%02x.%01x %s%n", devfn >> 3 & 0x1f, devfn & 7, d);
        }
        return 0;
    }
}
