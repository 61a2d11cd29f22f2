package org.hvkit.api.cpu;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link CpuModel} that also knows what the CPUID policy needs beyond the feature set. A model
 * that implements only {@link CpuModel} gets the defaults below.
 */
@ConsumerType
public interface DetailedCpuModel extends CpuModel {
    /** The caches, in the order leaf 4 lists them (L1d, L1i, L2, L3). Default: 32 KiB L1s, 256 KiB L2, 8 MiB L3. */
    default List<CpuCache> caches() {
        return List.of(new CpuCache(1, "data", 32, 8, 64, true), new CpuCache(1, "instruction", 32, 8, 64, true),
                new CpuCache(2, "unified", 256, 8, 64, true), new CpuCache(3, "unified", 8192, 16, 64, false));
    }

    /** Physical address width in bits (CPUID 0x80000008 EAX[7:0]). Default 40. */
    default int physAddressBits() {
        return 40;
    }

    /** Linear address width in bits (CPUID 0x80000008 EAX[15:8]): 48, or 57 with 5-level paging. Default 48. */
    default int virtAddressBits() {
        return 48;
    }

    /**
     * The highest basic leaf the real part reports (CPUID 0 EAX). The policy raises it to what the
     * offered features need (at least 0xB; 0xD with XSAVE). Default 0xD.
     */
    default int maxBasicLeaf() {
        return 0xD;
    }
}
