package org.hvkit.api.cpu;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Computes the CPUID a guest sees. A service; the {@code hw-cpu-intel} bundle provides one for
 * Intel models.
 *
 * <p><b>The {@code cpuid=} option</b> (xl.cfg) comes in two forms, told apart per element:
 * <ul>
 * <li>libxl form, one string {@code "host,avx=0,tm=0"}: an optional first word, {@code host} (the
 * given model as the host filters it) or the name of a registered model to use instead, then
 * {@code name=value} items. A feature name is a Linux /proc/cpuinfo flag or its libxl spelling
 * ({@code sse3}, {@code tsc-deadline}, {@code page1gb}, ...); its value is {@code 1} (offer),
 * {@code 0} (hide, with everything that depends on it), {@code x} (the default), {@code k} or
 * {@code s} (the host's bit). Numeric keys set fields: {@code family}, {@code model},
 * {@code stepping}, {@code brandid}, {@code clflush}, {@code proccount}, {@code localapicid},
 * {@code maxleaf}, {@code maxhvleaf}, {@code nc}, {@code apicidsize}, {@code procpkg}.</li>
 * <li>xend form, a list of {@code "leaf[,subleaf]:reg=bits,..."} strings, e.g.
 * {@code "1:ecx=xxxx0xxxxxxxxxxxxxxxxxxxxxxxxxxx"}: 32 characters per register, bit 31 first, each
 * {@code 1} (force on), {@code 0} (force off), {@code x} (the default), {@code k} or {@code s}
 * (the host's bit).</li>
 * </ul>
 * Errors are {@link CpuidOptionException}s that name the option text and the column.
 */
@ProviderType
public interface CpuidPolicy {
    /**
     * The CPUID of a guest.
     *
     * @param model         the CPU model the guest is shown (a {@link DetailedCpuModel} gives caches and address sizes)
     * @param hostSupported what the host can offer, e.g. KVM_GET_SUPPORTED_CPUID's entries; a feature
     *                      whose bit is clear there is removed with a warning. Null or empty: everything
     * @param cpuidOption   the {@code cpuid=} option as xl.cfg gave it: one string (libxl form, or a
     *                      single xend element) or the xend list's elements; null or empty for none
     * @param topology      the guest topology
     * @throws CpuidOptionException if the option is malformed
     */
    CpuidResult compute(CpuModel model, List<CpuidLeaf> hostSupported, List<String> cpuidOption, GuestCpuTopology topology);

    /** {@link #compute(CpuModel, List, List, GuestCpuTopology)} with a single-string option (null or blank: none). */
    default CpuidResult compute(CpuModel model, List<CpuidLeaf> hostSupported, String cpuidOption, GuestCpuTopology topology) {
        return compute(model, hostSupported, cpuidOption == null || cpuidOption.isBlank() ? List.of() : List.of(cpuidOption), topology);
    }

    /** The names of the CPU models the policy can resolve in the libxl form's first word. */
    List<String> modelNames();
}
