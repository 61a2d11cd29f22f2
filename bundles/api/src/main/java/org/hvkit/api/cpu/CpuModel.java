package org.hvkit.api.cpu;

import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/** A CPU model: what a host has, or what a guest is shown. */
@ConsumerType
public interface CpuModel {
    /** Short name, e.g. {@code SandyBridge} or {@code host}. */
    String name();

    /** CPUID vendor string, e.g. {@code GenuineIntel}. */
    String vendor();

    int family();

    int model();

    int stepping();

    /** The brand string of CPUID leaves 0x80000002-4. */
    String brand();

    /** Feature flags by their Linux /proc/cpuinfo names, e.g. {@code avx}, {@code x2apic}. */
    Set<String> features();

    /** Nominal frequency in MHz. */
    int mhz();

    /**
     * The eight 32-bit words {@code xl info} prints as {@code hw_caps}: CPUID 1 EDX, 0x80000001 EDX,
     * Transmeta, Linux-defined, CPUID 1 ECX, VIA, 0x80000001 ECX, CPUID 7.0 EBX.
     */
    int[] hwCaps();
}
