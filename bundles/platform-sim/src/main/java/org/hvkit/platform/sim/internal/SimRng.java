package org.hvkit.platform.sim.internal;

/**
 * A vCPU's generator: the stream {@code new java.util.SplittableRandom(seed)} gives (SplitMix64
 * with the golden gamma), with its one word of state readable, so that xl save can write it and
 * a restored vCPU draws exactly what the saved one would have drawn next.
 */
final class SimRng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    SimRng(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    long state() {
        return state;
    }

    void setState(long s) {
        state = s;
    }
}
