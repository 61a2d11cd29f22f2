package org.hvkit.hw.cpu.intel.internal;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hvkit.api.cpu.CpuCache;
import org.hvkit.api.cpu.CpuidLeaf;
import org.hvkit.api.cpu.DetailedCpuModel;

/**
 * A CPU model described by a {@link Spec}. The named models are DS components that extend this
 * class with nothing but their spec; {@link #hwCaps()} is computed from the feature set.
 */
public class IntelCpuModel implements DetailedCpuModel {
    /** Service property every CPU model carries: its name. */
    public static final String MODEL_PROPERTY = "hvkit.cpu.model";

    /**
     * Everything a model is.
     *
     * @param features Linux flag names; names outside the feature table (synthetic flags such as
     *                 {@code constant_tsc}) are kept but have no CPUID bit
     * @param mhz      nominal frequency in MHz
     */
    public record Spec(String name, String vendor, int family, int model, int stepping, String brand, int mhz,
            Set<String> features, List<CpuCache> caches, int physAddressBits, int virtAddressBits, int maxBasicLeaf) {
        public Spec {
            features = Collections.unmodifiableSet(new TreeSet<>(features));
            caches = List.copyOf(caches);
        }

        /** A copy with {@code name} and {@code brand} replaced. */
        Spec renamed(String newName, String newBrand) {
            return new Spec(newName, vendor, family, model, stepping, newBrand, mhz, features, caches, physAddressBits, virtAddressBits, maxBasicLeaf);
        }
    }

    private final Spec spec;

    protected IntelCpuModel(Spec spec) {
        this.spec = spec;
    }

    public Spec spec() { return spec; }
    @Override public String name() { return spec.name(); }
    @Override public String vendor() { return spec.vendor(); }
    @Override public int family() { return spec.family(); }
    @Override public int model() { return spec.model(); }
    @Override public int stepping() { return spec.stepping(); }
    @Override public String brand() { return spec.brand(); }
    @Override public Set<String> features() { return spec.features(); }
    @Override public int mhz() { return spec.mhz(); }
    @Override public List<CpuCache> caches() { return spec.caches(); }
    @Override public int physAddressBits() { return spec.physAddressBits(); }
    @Override public int virtAddressBits() { return spec.virtAddressBits(); }
    @Override public int maxBasicLeaf() { return spec.maxBasicLeaf(); }

    @Override
    public int[] hwCaps() {
        return hwCaps(features());
    }

    /**
     * The eight {@code hw_caps} words of a feature set: CPUID.1:EDX, 0x80000001:EDX, 0 (Transmeta),
     * 0 (Linux-defined), CPUID.1:ECX, 0 (VIA), 0x80000001:ECX, CPUID.7.0:EBX. The hypervisor runs
     * with CR4.OSXSAVE set when the part has XSAVE, so OSXSAVE shows whenever XSAVE does, as it does
     * in Xen's hw_caps.
     */
    public static int[] hwCaps(Set<String> features) {
        int ecx1 = Feature.mask(features, 1, 0, CpuidLeaf.ECX);
        if (features.contains("xsave")) ecx1 |= 1 << 27;
        return new int[] {
            Feature.mask(features, 1, 0, CpuidLeaf.EDX),
            Feature.mask(features, Feature.EXT, 0, CpuidLeaf.EDX),
            0,
            0,
            ecx1,
            0,
            Feature.mask(features, Feature.EXT, 0, CpuidLeaf.ECX),
            Feature.mask(features, 7, 0, CpuidLeaf.EBX),
        };
    }

    @Override
    public String toString() {
        return name() + " (" + brand() + ")";
    }
}
