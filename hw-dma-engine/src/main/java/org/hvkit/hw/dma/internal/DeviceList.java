package org.hvkit.hw.dma.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.hvkit.api.pci.PciAddress;

/**
 * The framework property {@value #PROPERTY}: the host PCI addresses at which a DMA engine sits, a
 * comma (or blank) separated list of {@code SSSS:BB:DD.F}; {@code none} for no engine. Unset:
 * one engine in segment 0 and one in segment 1 (Xen 4.2 added segments; both are exercised).
 */
final class DeviceList {
    static final String PROPERTY = "hvkit.pci.devices";
    static final List<PciAddress> DEFAULT = List.of(PciAddress.parse("0000:03:00.0"), PciAddress.parse("0001:03:00.0"));
    static final int MAX = 256;

    private DeviceList() { }

    /** @throws IllegalArgumentException with one line naming property, value and form */
    static List<PciAddress> parse(String value) {
        if (value == null || value.isBlank()) return DEFAULT;
        if (value.strip().equalsIgnoreCase("none")) return List.of();
        TreeSet<PciAddress> seen = new TreeSet<>();
        List<PciAddress> out = new ArrayList<>();
        for (String item : value.strip().split("[,\\s]+")) {
            PciAddress a;
            try {
                a = PciAddress.parse(item);
            } catch (IllegalArgumentException e) {
                throw bad(value, e.getMessage());
            }
            if (!seen.add(a)) throw bad(value, a + " is given twice");
            out.add(a);
        }
        if (out.size() > MAX) throw bad(value, "at most " + MAX + " devices");
        return List.copyOf(out);
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException(PROPERTY + "=" + value + ": " + why
                + "; expected a comma-separated list of host PCI addresses SSSS:BB:DD.F, or none");
    }
}
