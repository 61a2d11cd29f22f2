package org.hvkit.platform.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The saveable generator draws exactly SplittableRandom's stream, so workloads (and every trace) are unchanged by it. */
class SimRngTest {
    @Test
    void sameStreamAsSplittableRandom() {
        for (long seed : new long[] {0, 1, -7, 0x123456789ABCDEFL}) {
            SplittableRandom ref = new SplittableRandom(seed);
            SimRng r = new SimRng(seed);
            for (int i = 0; i < 100_000; i++) assertEquals(Double.doubleToLongBits(ref.nextDouble()), Double.doubleToLongBits(r.nextDouble()), "draw " + i);
        }
    }

    @Test
    void aRestoredStateContinuesTheStream() {
        SimRng a = new SimRng(42);
        for (int i = 0; i < 1000; i++) a.nextDouble();
        SimRng b = new SimRng(0);
        b.setState(a.state());
        for (int i = 0; i < 1000; i++) assertEquals(a.nextLong(), b.nextLong());
    }
}
