package org.hvkit.api.cpu;

/**
 * One CPUID leaf: the four registers the instruction returns for input {@code EAX = leaf},
 * {@code ECX = subleaf}. Leaves whose output does not depend on ECX carry subleaf 0.
 * Leaf numbers are unsigned 32-bit values held in an {@code int} ({@code 0x80000001} is negative).
 */
public record CpuidLeaf(int leaf, int subleaf, int eax, int ebx, int ecx, int edx) {
    /** Register numbers for {@link #reg} and {@link #withReg}: the order CPUID documents them in. */
    public static final int EAX = 0, EBX = 1, ECX = 2, EDX = 3;

    /** Register {@code r} ({@link #EAX}..{@link #EDX}). */
    public int reg(int r) {
        return switch (r) {
            case EAX -> eax;
            case EBX -> ebx;
            case ECX -> ecx;
            case EDX -> edx;
            default -> throw new IllegalArgumentException("register " + r + " is not 0..3");
        };
    }

    /** This leaf with register {@code r} replaced by {@code value}. */
    public CpuidLeaf withReg(int r, int value) {
        return switch (r) {
            case EAX -> new CpuidLeaf(leaf, subleaf, value, ebx, ecx, edx);
            case EBX -> new CpuidLeaf(leaf, subleaf, eax, value, ecx, edx);
            case ECX -> new CpuidLeaf(leaf, subleaf, eax, ebx, value, edx);
            case EDX -> new CpuidLeaf(leaf, subleaf, eax, ebx, ecx, value);
            default -> throw new IllegalArgumentException("register " + r + " is not 0..3");
        };
    }

    /** Whether bit {@code bit} (0..31) of register {@code r} is set. */
    public boolean bit(int r, int bit) {
        return (reg(r) >>> bit & 1) != 0;
    }

    @Override
    public String toString() {
        return String.format("0x%08x.%d: eax=%08x ebx=%08x ecx=%08x edx=%08x", leaf, subleaf, eax, ebx, ecx, edx);
    }
}
