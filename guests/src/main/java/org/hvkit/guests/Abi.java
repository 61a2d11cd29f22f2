package org.hvkit.guests;

/** The hvkit guest ABI v1 (see guests/README.md); the KVM platform keeps its own copy of these numbers. */
public final class Abi {
    private Abi() {}

    public static final long KERNEL_BASE = 0x100000, USER_BASE = 0x200000, CMDLINE = 0x3E0000;
    /** User stack top of vCPU 0; vCPU n uses 64 KiB lower per n. */
    public static final long USER_STACK_TOP = 0x3D0000;
    public static final int SEL_UDATA = 0x18 | 3, SEL_UCODE = 0x20 | 3;

    public static final long HC = 0x3FE00000L;
    // writes
    public static final int PUTC = 0x000, WRITE = 0x008, SLEEP = 0x010, YIELD = 0x018, SHUTDOWN = 0x020, SET_TIMER = 0x028, BLOCK = 0x030, BALLOON_HOLD = 0x038, REPORT = 0x100;
    // reads
    public static final int NOW = 0x800, TSC_KHZ = 0x808, VCPU_ID = 0x810, DOMID = 0x818, VCPUS_ONLINE = 0x820, BALLOON_TARGET = 0x828, ARG = 0x900;
    /** PCI_BAR(i) at PCI_BAR + 16 i: the guest-physical base of the i-th BAR of an assigned device (0: none); + 8: PCI_BAR_INFO(i). */
    public static final int PCI_BAR = 0xA00;
    /** The PCI window, where the BARs are (user-accessible, no RAM behind it). */
    public static final long PCI_BASE = HC + 0x100000L;

    public static final int POWEROFF = 0, REBOOT = 1, CRASH = 3;
}
