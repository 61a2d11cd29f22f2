package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code /dev/kvm}: the system file descriptor, ioctl numbers, struct offsets (x86-64) and what the
 * host supports. One instance per platform; {@link #close} returns the fd.
 */
final class Kvm implements AutoCloseable {
    // system ioctls
    static final long GET_API_VERSION = 0xAE00, CREATE_VM = 0xAE01, CHECK_EXTENSION = 0xAE03, GET_VCPU_MMAP_SIZE = 0xAE04;
    static final long GET_SUPPORTED_CPUID = 0xC008AE05L;
    // VM ioctls
    static final long CREATE_VCPU = 0xAE41, SET_USER_MEMORY_REGION = 0x4020AE46L, SET_TSS_ADDR = 0xAE47;
    /** _IOW(KVMIO, 0x42, struct kvm_dirty_log): a slot's dirty bitmap, read and cleared (kvm.md §6). */
    static final long GET_DIRTY_LOG = 0x4010AE42L;
    // vCPU ioctls
    static final long RUN = 0xAE80, GET_REGS = 0x8090AE81L, SET_REGS = 0x4090AE82L, GET_SREGS = 0x8138AE83L, SET_SREGS = 0x4138AE84L;
    static final long TRANSLATE = 0xC018AE85L, SET_GUEST_DEBUG = 0x4048AE9BL;
    static final int GUESTDBG_ENABLE = 1, GUESTDBG_SINGLESTEP = 2;

    static final long SET_SIGNAL_MASK = 0x4004AE8BL, SET_FPU = 0x41A0AE8DL, SET_CPUID2 = 0x4008AE90L, GET_TSC_KHZ = 0xAEA3;
    /** vCPU state for xl save: _IOR/_IOW(KVMIO, 0x8c) kvm_fpu, 0x88/0x89 kvm_msrs. */
    static final long GET_FPU = 0x81A0AE8CL, GET_MSRS = 0xC008AE88L, SET_MSRS = 0x4008AE89L;

    // capabilities
    static final int CAP_NR_VCPUS = 9, CAP_NR_MEMSLOTS = 10, CAP_READONLY_MEM = 81, CAP_IMMEDIATE_EXIT = 136;

    // exit reasons
    static final int EXIT_UNKNOWN = 0, EXIT_EXCEPTION = 1, EXIT_IO = 2, EXIT_DEBUG = 4, EXIT_HLT = 5, EXIT_MMIO = 6,
            EXIT_SHUTDOWN = 8, EXIT_FAIL_ENTRY = 9, EXIT_INTR = 10, EXIT_INTERNAL_ERROR = 17, EXIT_SYSTEM_EVENT = 24;

    // struct kvm_run offsets
    static final long RUN_IMMEDIATE_EXIT = 1, RUN_EXIT_REASON = 8;
    static final long RUN_IO_DIRECTION = 32, RUN_IO_SIZE = 33, RUN_IO_PORT = 34, RUN_IO_COUNT = 36, RUN_IO_DATA_OFFSET = 40;
    static final long RUN_MMIO_PHYS = 32, RUN_MMIO_DATA = 40, RUN_MMIO_LEN = 48, RUN_MMIO_IS_WRITE = 52;
    static final long RUN_FAIL_ENTRY_REASON = 32, RUN_INTERNAL_SUBERROR = 32, RUN_SYSTEM_EVENT_TYPE = 32;

    // struct sizes
    static final long REGS_SIZE = 144, SREGS_SIZE = 312, FPU_SIZE = 416, CPUID_ENTRY_SIZE = 40;
    static final long REGS_RIP = 128, REGS_RFLAGS = 136, REGS_RSP = 48, REGS_RSI = 32, REGS_RDI = 40;

    static final int MAX_CPUID_ENTRIES = 256;

    final int fd;
    final int vcpuMmapSize;
    /** {@code struct kvm_cpuid2} as the host supports it, handed to every vCPU. */
    final MemorySegment supportedCpuid;
    final boolean readonlyMem;

    private final Arena arena = Arena.ofShared();

    Kvm() {
        fd = Native.open("/dev/kvm", Native.O_RDWR | Native.O_CLOEXEC);
        try {
            int v = Native.ioctl(fd, GET_API_VERSION, 0, "KVM_GET_API_VERSION");
            if (v != 12) throw new IllegalStateException("/dev/kvm speaks API version " + v + ", not 12");
            vcpuMmapSize = Native.ioctl(fd, GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
            readonlyMem = Native.ioctlRaw(fd, CHECK_EXTENSION, CAP_READONLY_MEM) > 0;
            supportedCpuid = arena.allocate(8 + MAX_CPUID_ENTRIES * CPUID_ENTRY_SIZE);
            supportedCpuid.set(JAVA_INT, 0, MAX_CPUID_ENTRIES);
            Native.ioctl(fd, GET_SUPPORTED_CPUID, supportedCpuid, "KVM_GET_SUPPORTED_CPUID");
        } catch (RuntimeException e) {
            Native.close(fd);
            arena.close();
            throw e;
        }
    }

    int checkExtension(int cap) {
        return Native.ioctlRaw(fd, CHECK_EXTENSION, cap);
    }

    /** Register {@code reg} (0 eax, 1 ebx, 2 ecx, 3 edx) of CPUID leaf {@code function}.{@code index} as KVM supports it, or 0. */
    int cpuid(int function, int index, int reg) {
        int n = supportedCpuid.get(JAVA_INT, 0);
        for (int i = 0; i < n; i++) {
            long e = 8 + i * CPUID_ENTRY_SIZE;
            if (supportedCpuid.get(JAVA_INT, e) == function && (supportedCpuid.get(JAVA_INT, e + 4) == index || (supportedCpuid.get(JAVA_INT, e + 8) & 1) == 0)) {
                return supportedCpuid.get(JAVA_INT, e + 12 + reg * 4L);
            }
        }
        return 0;
    }

    @Override
    public void close() {
        Native.close(fd);
        arena.close();
    }

    /**
     * Whether KVM works here: /dev/kvm opens, speaks API 12, and a VM can be created and closed.
     * Returns null when it does, else the reason.
     */
    static String probe() {
        try (Kvm k = new Kvm()) {
            int vm = Native.ioctl(k.fd, CREATE_VM, 0, "KVM_CREATE_VM");
            Native.close(vm);
            return null;
        } catch (RuntimeException | LinkageError e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Whether this host's KVM is PVM (no hardware virtualisation; supervisor guest code is emulated). */
    static boolean isPvm() {
        return new java.io.File("/sys/module/kvm_pvm").exists();
    }
}
