package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A KVM vCPU's architectural state as xl save writes it: kvm_regs, kvm_sregs, kvm_fpu (x87, SSE,
 * MXCSR) and the MSRs below, each as the kernel's own structure (same host ABI on both ends).
 * IA32_TSC is among them, so a restored guest's TSC goes on from where it was.
 */
final class VcpuState {
    /** IA32_TSC, SYSENTER_CS/ESP/EIP, PAT, STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS_BASE, TSC_AUX. */
    static final int[] MSRS = {0x10, 0x174, 0x175, 0x176, 0x277, 0xC0000081, 0xC0000082, 0xC0000083, 0xC0000084, 0xC0000102, 0xC0000103};

    private VcpuState() {
    }

    static void save(int fd, DataOutput out) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            out.write(get(a, fd, Kvm.GET_REGS, Kvm.REGS_SIZE, "KVM_GET_REGS"));
            out.write(get(a, fd, Kvm.GET_SREGS, Kvm.SREGS_SIZE, "KVM_GET_SREGS"));
            out.write(get(a, fd, Kvm.GET_FPU, Kvm.FPU_SIZE, "KVM_GET_FPU"));
            MemorySegment m = msrs(a);
            int n = Native.ioctl(fd, Kvm.GET_MSRS, m, "KVM_GET_MSRS");
            out.writeInt(n); // MSRs the kernel gave (it stops at the first it does not know)
            for (int i = 0; i < n; i++) {
                out.writeInt(MSRS[i]);
                out.writeLong(m.get(JAVA_LONG, 8 + 16L * i + 8));
            }
        }
    }

    static void restore(int fd, DataInput in) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            set(a, fd, in, Kvm.SET_REGS, Kvm.REGS_SIZE, "KVM_SET_REGS");
            set(a, fd, in, Kvm.SET_SREGS, Kvm.SREGS_SIZE, "KVM_SET_SREGS");
            set(a, fd, in, Kvm.SET_FPU, Kvm.FPU_SIZE, "KVM_SET_FPU");
            int n = in.readInt();
            if (n < 0 || n > MSRS.length) throw new IOException(n + " MSRs (at most " + MSRS.length + ")");
            MemorySegment m = a.allocate(8 + 16L * n, 8);
            m.set(JAVA_INT, 0, n);
            for (int i = 0; i < n; i++) {
                int idx = in.readInt();
                if (idx != MSRS[i]) throw new IOException("MSR " + i + " is 0x" + Integer.toHexString(idx) + ", expected 0x" + Integer.toHexString(MSRS[i]));
                m.set(JAVA_INT, 8 + 16L * i, idx);
                m.set(JAVA_LONG, 8 + 16L * i + 8, in.readLong());
            }
            int w = Native.ioctlRaw(fd, Kvm.SET_MSRS, m);
            if (w != n) throw new IOException("KVM_SET_MSRS wrote " + w + " of " + n + " MSRs");
        }
    }

    private static byte[] get(Arena a, int fd, long req, long size, String what) {
        MemorySegment s = a.allocate(size, 8);
        Native.ioctl(fd, req, s, what);
        return s.toArray(JAVA_BYTE);
    }

    private static void set(Arena a, int fd, DataInput in, long req, long size, String what) throws IOException {
        byte[] b = new byte[(int) size];
        in.readFully(b);
        MemorySegment s = a.allocate(size, 8);
        MemorySegment.copy(b, 0, s, JAVA_BYTE, 0, b.length);
        if (Native.ioctlRaw(fd, req, s) < 0) throw new IOException(what + " refused the saved state (errno " + Native.errno() + ")");
    }

    private static MemorySegment msrs(Arena a) {
        MemorySegment m = a.allocate(8 + 16L * MSRS.length, 8);
        m.set(JAVA_INT, 0, MSRS.length);
        for (int i = 0; i < MSRS.length; i++) m.set(JAVA_INT, 8 + 16L * i, MSRS[i]);
        return m;
    }
}
