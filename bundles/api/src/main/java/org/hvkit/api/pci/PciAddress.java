package org.hvkit.api.pci;

/**
 * A PCI function's address: segment (domain), bus, device, function, as Xen writes it
 * ({@code SSSS:BB:DD.F}, hexadecimal). Xen 4.2 added segments other than 0.
 */
public record PciAddress(int segment, int bus, int device, int function) implements Comparable<PciAddress> {
    public PciAddress {
        if (segment < 0 || segment > 0xffff) throw new IllegalArgumentException("PCI segment must be 0-ffff, not " + Integer.toHexString(segment));
        if (bus < 0 || bus > 0xff) throw new IllegalArgumentException("PCI bus must be 0-ff, not " + Integer.toHexString(bus));
        if (device < 0 || device > 0x1f) throw new IllegalArgumentException("PCI device must be 0-1f, not " + Integer.toHexString(device));
        if (function < 0 || function > 7) throw new IllegalArgumentException("PCI function must be 0-7, not " + function);
    }

    /**
     * Parses {@code SSSS:BB:DD.F} or {@code BB:DD.F} (segment 0), hexadecimal fields, as xl's BDF
     * parser takes them (no virtual slot or options: the toolstack strips those first).
     *
     * @throws IllegalArgumentException naming the text and the accepted form
     */
    public static PciAddress parse(String text) {
        if (text == null) throw new IllegalArgumentException("no PCI address given (form SSSS:BB:DD.F)");
        String[] colon = text.trim().split(":", -1);
        try {
            if (colon.length < 2 || colon.length > 3) throw new NumberFormatException();
            int seg = colon.length == 3 ? hex(colon[0], 4) : 0;
            int bus = hex(colon[colon.length - 2], 2);
            String[] dot = colon[colon.length - 1].split("\\.", -1);
            if (dot.length != 2) throw new NumberFormatException();
            return new PciAddress(seg, bus, hex(dot[0], 2), hex(dot[1], 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a PCI address (form SSSS:BB:DD.F or BB:DD.F, hexadecimal)");
        }
    }

    private static int hex(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) throw new NumberFormatException();
        for (char c : s.toCharArray()) if (Character.digit(c, 16) < 0) throw new NumberFormatException();
        return Integer.parseInt(s, 16);
    }

    /** The requester id a DMA from this function carries: bus, device, function in 16 bits (VT-d's source id). */
    public int sourceId() {
        return bus << 8 | device << 3 | function;
    }

    /** {@code devfn} as the context table indexes it. */
    public int devfn() {
        return device << 3 | function;
    }

    @Override
    public int compareTo(PciAddress o) {
        return Long.compare(key(), o.key());
    }

    private long key() {
        return (long) segment << 16 | sourceId();
    }

    /** {@code SSSS:BB:DD.F}, lower-case hexadecimal, as xl prints it. */
    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", segment, bus, device, function);
    }
}
