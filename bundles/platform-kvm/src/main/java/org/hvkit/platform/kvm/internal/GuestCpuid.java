package org.hvkit.platform.kvm.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hvkit.api.cpu.CpuModel;
import org.hvkit.api.cpu.CpuidLeaf;
import org.hvkit.api.cpu.CpuidPolicy;
import org.hvkit.api.cpu.CpuidResult;
import org.hvkit.api.cpu.GuestCpuTopology;
import org.hvkit.api.platform.GuestEvents;

/**
 * The CPUID a KVM guest is given: computed by the CPU-model bundle's policy from the model, the
 * leaves KVM supports and the domain's {@code cpuid=} option, as one {@code struct kvm_cpuid2} per
 * vCPU (topology leaves differ per vCPU). Without a policy the vCPUs get what KVM supports.
 */
final class GuestCpuid {
    /** Leaves whose sub-leaf index matters (KVM_CPUID_FLAG_SIGNIFCANT_INDEX). */
    private static final Set<Integer> INDEXED = Set.of(4, 7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1d, 0x1e, 0x1f, 0x20, 0x23, 0x8000001d);

    private GuestCpuid() {
    }

    /** What KVM supports, as leaves. */
    static List<CpuidLeaf> supported(Kvm kvm) {
        MemorySegment s = kvm.supportedCpuid;
        int n = s.get(JAVA_INT, 0);
        List<CpuidLeaf> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long e = 8 + i * Kvm.CPUID_ENTRY_SIZE;
            out.add(new CpuidLeaf(s.get(JAVA_INT, e), s.get(JAVA_INT, e + 4), s.get(JAVA_INT, e + 12), s.get(JAVA_INT, e + 16),
                    s.get(JAVA_INT, e + 20), s.get(JAVA_INT, e + 24)));
        }
        return out;
    }

    /**
     * One kvm_cpuid2 per vCPU, or null (no policy: KVM's supported set is used). Reports the table's
     * summary, the policy's warnings and, on PVM, that the table is not honoured.
     *
     * @throws IllegalArgumentException naming the option when {@code cpuid=} is malformed
     */
    static MemorySegment[] compute(CpuidPolicy policy, CpuModel model, Kvm kvm, String option, int vcpus, Arena arena, GuestEvents events,
            boolean verbose) {
        if (policy == null) return null;
        CpuidResult r = policy.compute(model, supported(kvm), option, GuestCpuTopology.flat(vcpus));
        MemorySegment[] out = new MemorySegment[vcpus];
        for (int v = 0; v < vcpus; v++) out[v] = toKvm(r.leavesFor(v), arena);
        CpuidLeaf l1 = r.leaf(1, 0), l7 = r.leaf(7, 0);
        events.log(String.format("cpuid: model %s, %d leaves, leaf 1 ecx=%08x edx=%08x, leaf 7 ebx=%08x, avx %s, xcr0 mask %#x",
                model.name(), r.leaves().size(), l1 == null ? 0 : l1.ecx(), l1 == null ? 0 : l1.edx(), l7 == null ? 0 : l7.ebx(),
                r.has("avx") ? "on" : "off", r.xcr0Mask()));
        for (String line : warningLines(r.warnings(), verbose)) events.log(line);
        if (Kvm.isPvm()) {
            events.log("cpuid: this host's /dev/kvm is PVM, which does not honour KVM_SET_CPUID2: the guest sees near-host CPUID, not this table");
        }
        return out;
    }

    /** The framework property that puts every warning into xl dmesg. */
    static final String VERBOSE_PROPERTY = "hvkit.kvm.cpuid.verbose";

    /** {@code hvkit.kvm.cpuid.verbose}: absent is false; anything but true or false is refused, naming the property. */
    static boolean verbose(String value) {
        if (value == null || value.isBlank() || value.strip().equals("false")) return false;
        if (value.strip().equals("true")) return true;
        throw new IllegalArgumentException(VERBOSE_PROPERTY + "=" + value + ": expected true or false");
    }

    /**
     * What a domain's CPUID warnings put into xl dmesg: each one when verbose, else one line (a
     * model on a host without some of its features gives dozens, which would bury the guest's own
     * output) with their count, the first and how to see them all.
     */
    static List<String> warningLines(List<String> given, boolean verbose) {
        List<String> warnings = given.stream().map(w -> w.startsWith("cpuid: ") ? w.substring(7) : w).toList(); // the line says cpuid once
        if (verbose || warnings.size() == 1) return warnings.stream().map(w -> "cpuid: warning: " + w).toList();
        if (warnings.isEmpty()) return List.of();
        return List.of("cpuid: " + warnings.size() + " warnings, the first: " + warnings.get(0) + " (each of them in xl dmesg with -D" + VERBOSE_PROPERTY
                + "=true)");
    }

    private static MemorySegment toKvm(List<CpuidLeaf> leaves, Arena arena) {
        MemorySegment s = arena.allocate(8 + (long) leaves.size() * Kvm.CPUID_ENTRY_SIZE, 8);
        s.set(JAVA_INT, 0, leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            CpuidLeaf l = leaves.get(i);
            long e = 8 + (long) i * Kvm.CPUID_ENTRY_SIZE;
            s.set(JAVA_INT, e, l.leaf());
            s.set(JAVA_INT, e + 4, l.subleaf());
            s.set(JAVA_INT, e + 8, INDEXED.contains(l.leaf()) ? 1 : 0);
            s.set(JAVA_INT, e + 12, l.eax());
            s.set(JAVA_INT, e + 16, l.ebx());
            s.set(JAVA_INT, e + 20, l.ecx());
            s.set(JAVA_INT, e + 24, l.edx());
        }
        return s;
    }
}
