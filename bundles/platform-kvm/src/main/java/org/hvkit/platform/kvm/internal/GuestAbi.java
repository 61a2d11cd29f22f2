package org.hvkit.platform.kvm.internal;

/**
 * The hvkit guest ABI, version 1, as the platform implements it (documented for guest writers in
 * {@code guests/README.md}; the guests module keeps its own copy of these numbers).
 */
final class GuestAbi {
    private GuestAbi() {}

    /** Image header magic at file offset 0. */
    static final byte[] IMAGE_MAGIC = {'H', 'V', 'K', 'I', 'T', 'G', '0', '1'};
    static final int HEADER_SIZE = 32;

    // guest-physical layout
    static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, GDT = 0x4000, TSS = 0x5000;
    static final long KERNEL_STACK_TOP = 0x80000, KERNEL_STACK_PER_VCPU = 0x4000;
    static final long KERNEL_BASE = 0x100000, USER_BASE = 0x200000, CMDLINE = 0x3E0000, CMDLINE_MAX = 4096;
    static final long MIN_RAM = 4L << 20;
    /** The hypercall window: the last 2 MiB of the first GiB, user-accessible, never RAM. */
    static final long HC_BASE = 0x3FE00000L, HC_SIZE = 0x200000L;
    /**
     * The PCI window: the upper half of the hypercall window's 2 MiB page (so user-accessible,
     * no memory slot), where assigned devices' BARs are mapped; every access is an MMIO exit.
     */
    static final long PCI_BASE = HC_BASE + 0x100000L, PCI_SIZE = 0x100000L;
    /** RAM above this is not mapped into the guest. */
    static final long RAM_LIMIT = HC_BASE;

    // GDT selectors
    static final int SEL_KCODE = 0x08, SEL_KDATA = 0x10, SEL_UDATA = 0x18, SEL_UCODE = 0x20, SEL_TSS = 0x28;

    // hypercalls: writes at HC_BASE + offset
    static final long HC_PUTC = 0x000, HC_WRITE = 0x008, HC_SLEEP = 0x010, HC_YIELD = 0x018, HC_SHUTDOWN = 0x020,
            HC_SET_TIMER = 0x028, HC_BLOCK = 0x030, HC_BALLOON_HOLD = 0x038, HC_REPORT = 0x100;
    static final int NR_REPORTS = 32;
    // reads at HC_BASE + offset
    static final long HC_NOW = 0x800, HC_TSC_KHZ = 0x808, HC_VCPU_ID = 0x810, HC_DOMID = 0x818, HC_VCPUS_ONLINE = 0x820, HC_BALLOON_TARGET = 0x828, HC_ARG = 0x900;
    static final int NR_ARGS = 32;
    /** Reads at HC_PCI_BAR + 16 i: PCI_BAR(i), the guest-physical base of the i-th plugged BAR (0: none); + 8: PCI_BAR_INFO(i), its size | BAR index << 48. */
    static final long HC_PCI_BAR = 0xA00;
    static final int NR_PCI_BARS = 16;

    /** I/O port for console bytes from ring 0 (the Bochs/QEMU debug-console port). */
    static final int PORT_CONSOLE = 0xE9, PORT_COM1 = 0x3F8;
}
