package org.hvkit.api.p2m;

/** What backs a guest frame, with the name of Xen's {@code p2m_type_t} it stands for. */
public enum P2mType {
    /** Nothing: the frame is not populated ({@code p2m_invalid}). */
    UNBACKED("invalid"),
    /** Guest RAM, readable and writable by the guest ({@code p2m_ram_rw}). */
    RAM("ram_rw"),
    /** An emulated device: accesses go to the device model ({@code p2m_mmio_dm}). */
    MMIO_DM("mmio_dm"),
    /** A host device's MMIO mapped straight into the guest, e.g. a passed-through BAR ({@code p2m_mmio_direct}). */
    MMIO_DIRECT("mmio_direct");

    private final String xenName;

    P2mType(String xenName) {
        this.xenName = xenName;
    }

    /** Xen's name without the {@code p2m_} prefix, e.g. {@code ram_rw}. */
    public String xenName() {
        return xenName;
    }
}
