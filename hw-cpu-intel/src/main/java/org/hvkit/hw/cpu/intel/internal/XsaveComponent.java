package org.hvkit.hw.cpu.intel.internal;

import java.util.List;

/**
 * An XSAVE state component (Intel SDM vol. 1, ch. 13): its XCR0 bit, its size and its offset in
 * the standard (non-compacted) format, whether the compacted format aligns it to 64 bytes, and the
 * feature that brings it. x87 (bit 0) and SSE (bit 1) live in the 512-byte legacy region and come
 * with XSAVE itself; the 64-byte header follows, so the first extended component starts at 576.
 */
record XsaveComponent(int index, String name, int size, int offset, boolean align64, String feature) {
    static final int LEGACY_AND_HEADER = 576;

    static final List<XsaveComponent> EXTENDED = List.of(
            new XsaveComponent(2, "AVX (YMM_Hi128)", 256, 576, false, "avx"),
            new XsaveComponent(3, "MPX BNDREGS", 64, 960, false, "mpx"),
            new XsaveComponent(4, "MPX BNDCSR", 64, 1024, false, "mpx"),
            new XsaveComponent(5, "AVX-512 opmask", 64, 1088, false, "avx512f"),
            new XsaveComponent(6, "AVX-512 ZMM_Hi256", 512, 1152, false, "avx512f"),
            new XsaveComponent(7, "AVX-512 Hi16_ZMM", 1024, 1664, false, "avx512f"),
            new XsaveComponent(9, "PKRU", 8, 2688, false, "pku"),
            new XsaveComponent(17, "AMX TILECFG", 64, 2752, false, "amx_tile"),
            new XsaveComponent(18, "AMX TILEDATA", 8192, 2816, true, "amx_tile"));

    static XsaveComponent byIndex(int i) {
        for (XsaveComponent c : EXTENDED) if (c.index == i) return c;
        return null;
    }
}
