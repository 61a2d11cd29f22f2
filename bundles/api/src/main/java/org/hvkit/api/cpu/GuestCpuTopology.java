package org.hvkit.api.cpu;

/**
 * The topology a guest is shown: vCPUs are numbered socket-major (the threads of a core are
 * consecutive, then the cores of a socket), as {@link org.hvkit.api.platform.HostTopology} numbers
 * pCPUs. The last socket may be partly filled. x2APIC ids follow Intel's layout: the SMT field is
 * {@link #smtShift()} bits wide, the core field {@link #coreShift()} bits, the package id above them,
 * so {@code x2apicId(v) = socket << (smtShift + coreShift) | core << smtShift | thread}.
 *
 * @param vcpus          vCPUs in the domain (maxvcpus), 1..16384
 * @param threadsPerCore hyperthreads per core, 1..256
 * @param coresPerSocket cores per socket, 1..1024
 */
public record GuestCpuTopology(int vcpus, int threadsPerCore, int coresPerSocket) {
    public GuestCpuTopology {
        if (vcpus < 1 || vcpus > 16384) throw new IllegalArgumentException("vcpus must be 1..16384, not " + vcpus);
        if (threadsPerCore < 1 || threadsPerCore > 256) throw new IllegalArgumentException("threads per core must be 1..256, not " + threadsPerCore);
        if (coresPerSocket < 1 || coresPerSocket > 1024) throw new IllegalArgumentException("cores per socket must be 1..1024, not " + coresPerSocket);
    }

    /** The usual default: one socket holding every vCPU as a single-threaded core. */
    public static GuestCpuTopology flat(int vcpus) {
        return new GuestCpuTopology(vcpus, 1, vcpus);
    }

    /** Sockets needed for all vCPUs (the last one may be partly filled). */
    public int sockets() {
        int perSocket = threadsPerCore * coresPerSocket;
        return (vcpus + perSocket - 1) / perSocket;
    }

    /** Width in bits of the SMT field of an x2APIC id: ceil(log2(threadsPerCore)). */
    public int smtShift() {
        return ceilLog2(threadsPerCore);
    }

    /** Width in bits of the core field of an x2APIC id: ceil(log2(coresPerSocket)). */
    public int coreShift() {
        return ceilLog2(coresPerSocket);
    }

    /** Width in bits of SMT and core fields together: the package id starts at this bit. */
    public int packageShift() {
        return smtShift() + coreShift();
    }

    public int threadOf(int vcpu) {
        check(vcpu);
        return vcpu % threadsPerCore;
    }

    /** The core of {@code vcpu} within its socket. */
    public int coreOf(int vcpu) {
        check(vcpu);
        return vcpu / threadsPerCore % coresPerSocket;
    }

    public int socketOf(int vcpu) {
        check(vcpu);
        return vcpu / (threadsPerCore * coresPerSocket);
    }

    /** The x2APIC id of {@code vcpu} (CPUID 0xB/0x1F EDX); its low 8 bits are the initial APIC id of CPUID 1 EBX[31:24]. */
    public int x2apicId(int vcpu) {
        return socketOf(vcpu) << packageShift() | coreOf(vcpu) << smtShift() | threadOf(vcpu);
    }

    /** The highest x2APIC id of the domain; above 254 the guest needs x2APIC mode to address every vCPU. */
    public int maxX2apicId() {
        return x2apicId(vcpus - 1);
    }

    private void check(int vcpu) {
        if (vcpu < 0 || vcpu >= vcpus) throw new IndexOutOfBoundsException("vCPU " + vcpu + " is not 0.." + (vcpus - 1));
    }

    static int ceilLog2(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }
}
