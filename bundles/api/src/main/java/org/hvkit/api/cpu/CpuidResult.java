package org.hvkit.api.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The CPUID a guest sees, as the {@link CpuidPolicy} computed it.
 *
 * <p>{@link #leaves()} is the table of vCPU 0, sorted by leaf (unsigned) then subleaf, with an
 * explicit entry for every leaf from 0 to the highest basic leaf, for every hypervisor leaf and
 * every extended leaf up to the highest, so a consumer that answers "no entry" with zeros is exact.
 * Only three places differ between vCPUs, and {@link #leavesFor} fills them in: leaf 1
 * EBX[31:24] (initial APIC id, the low 8 bits of the x2APIC id) and EDX of every subleaf of 0xB
 * and 0x1F (the full x2APIC id).
 *
 * <p>Two bits are never set in the table because they reflect guest state, not capability: leaf 1
 * ECX[27] OSXSAVE (the guest's CR4.OSXSAVE) and leaf 7.0 ECX[4] OSPKE (CR4.PKE). A platform that
 * emulates CPUID itself sets them from the vCPU's CR4; KVM does so on its own.
 *
 * @param leaves             the leaves of vCPU 0 (immutable)
 * @param features           the features offered, by Linux /proc/cpuinfo name (immutable, sorted)
 * @param warnings           what the policy changed and why, in order, each a full sentence
 *                           starting with {@code cpuid: } (immutable)
 * @param xcr0Mask           the XCR0 bits a guest may set with XSETBV (0xD.0 EDX:EAX); 0 without XSAVE
 * @param xsaveSize          bytes of the standard-format XSAVE area with every bit of {@code xcr0Mask}
 *                           enabled (0xD.0 ECX); 0 without XSAVE, where the guest uses FXSAVE's 512 bytes
 * @param xsaveCompactedSize bytes of the compacted-format area for the same components (0xD.1 EBX),
 *                           0 without XSAVEC/XSAVES
 * @param topology           the guest topology the table describes
 */
public record CpuidResult(List<CpuidLeaf> leaves, Set<String> features, List<String> warnings, long xcr0Mask,
        int xsaveSize, int xsaveCompactedSize, GuestCpuTopology topology) {
    public CpuidResult {
        leaves = List.copyOf(leaves);
        features = Set.copyOf(features);
        warnings = List.copyOf(warnings);
    }

    /** The entry for {@code leaf}.{@code subleaf} of vCPU 0, or null if the table has none. */
    public CpuidLeaf leaf(int leaf, int subleaf) {
        for (CpuidLeaf l : leaves) if (l.leaf() == leaf && l.subleaf() == subleaf) return l;
        return null;
    }

    /** Whether {@code feature} (a Linux flag name) is offered. */
    public boolean has(String feature) {
        return features.contains(feature);
    }

    /** The table of {@code vcpu} (0..vcpus-1): vCPU 0's with the APIC ids of {@code vcpu}. */
    public List<CpuidLeaf> leavesFor(int vcpu) {
        int id = topology.x2apicId(vcpu);
        List<CpuidLeaf> out = new ArrayList<>(leaves.size());
        for (CpuidLeaf l : leaves) {
            if (l.leaf() == 1) l = l.withReg(CpuidLeaf.EBX, l.ebx() & 0x00FFFFFF | (id & 0xFF) << 24);
            else if (l.leaf() == 0xB || l.leaf() == 0x1F) l = l.withReg(CpuidLeaf.EDX, id);
            out.add(l);
        }
        return List.copyOf(out);
    }

    /**
     * Bytes of the standard-format XSAVE area for the components in {@code xcr0} (what 0xD.0 EBX
     * reports after the guest wrote {@code xcr0} with XSETBV): 576 for x87|SSE, up to the end of the
     * highest enabled component otherwise. Bits outside {@link #xcr0Mask()} are ignored; 0 without XSAVE.
     */
    public int xsaveSize(long xcr0) {
        if (xcr0Mask == 0) return 0;
        int size = 576;
        for (CpuidLeaf l : leaves) {
            if (l.leaf() == 0xD && l.subleaf() >= 2 && l.subleaf() < 64 && (xcr0 & xcr0Mask & 1L << l.subleaf()) != 0)
                size = Math.max(size, l.ebx() + l.eax());
        }
        return size;
    }
}
