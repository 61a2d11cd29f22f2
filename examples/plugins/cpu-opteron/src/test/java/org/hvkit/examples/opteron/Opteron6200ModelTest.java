package org.hvkit.examples.opteron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hvkit.api.cpu.HwCaps;
import org.junit.jupiter.api.Test;

class Opteron6200ModelTest {
    private final Opteron6200Model m = new Opteron6200Model();

    @Test
    void hwCapsAreTheWordsOfTheFeatureList() {
        int[] w = m.hwCaps();
        assertEquals(8, w.length, "xl info prints eight words");
        int bits = 0;
        for (int x : w) bits += Integer.bitCount(x);
        assertEquals(m.features().size(), bits, "one bit per feature, none twice");
        // CPUID 1 EDX of a 6276: 0x178bfbff (every bit above, HTT included)
        assertEquals(0x178bfbff, w[0]);
        assertEquals("00000000", HwCaps.format(w).split(":")[7], "no CPUID 7.0 EBX features before Excavator");
    }

    @Test
    void isABulldozer() {
        assertEquals("AuthenticAMD", m.vendor());
        assertEquals(0x15, m.family());
        assertTrue(m.features().containsAll(java.util.Set.of("avx", "xop", "fma4", "svm", "lm")));
        assertFalse(m.features().contains("avx2"), "AVX2 came with Excavator");
        assertTrue(m.brand().length() <= 47, "leaves 0x80000002-4 hold at most 47 characters and a NUL");
    }
}
