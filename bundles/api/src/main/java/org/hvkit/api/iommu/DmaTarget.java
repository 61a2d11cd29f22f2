package org.hvkit.api.iommu;

import org.hvkit.api.p2m.P2m;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One domain's memory as a DMA-remapping unit reaches it; implemented by the platform. Reads and
 * writes are checked against the domain's memory size again (defence in depth: the unit has
 * already translated and checked them against the p2m).
 */
@ConsumerType
public interface DmaTarget {
    int domainId();

    /** The domain's p2m: what is mapped, with which type and access. */
    P2m p2m();

    /** Copies {@code len} bytes at guest-physical {@code gpa} into {@code dst[off..]}. */
    void read(long gpa, byte[] dst, int off, int len);

    /** Copies {@code src[off..off+len)} to guest-physical {@code gpa}. */
    void write(long gpa, byte[] src, int off, int len);
}
