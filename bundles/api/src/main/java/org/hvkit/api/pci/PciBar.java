package org.hvkit.api.pci;

/** A memory BAR of a device: its index (0-5) and size in bytes (a power of two, at least 4 KiB). */
public record PciBar(int index, long size) {
    public PciBar {
        if (index < 0 || index > 5) throw new IllegalArgumentException("BAR index must be 0-5, not " + index);
        if (size < 4096 || Long.bitCount(size) != 1) throw new IllegalArgumentException("BAR " + index + " size must be a power of two of at least 4096, not " + size);
    }
}
