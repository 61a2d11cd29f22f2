package org.hvkit.platform.sim.internal;

/** A distribution of durations in ns. Draws come from the vCPU's own seeded generator. */
sealed interface Dist {
    long sample(SimRng rng);

    /** Mean duration, ns (for validation and reports). */
    double mean();

    record Const(long ns) implements Dist {
        public long sample(SimRng rng) { return ns; }
        public double mean() { return ns; }
    }

    record Exp(long meanNs) implements Dist {
        public long sample(SimRng rng) { return Math.round(-meanNs * Math.log(1.0 - rng.nextDouble())); }
        public double mean() { return meanNs; }
    }

    /** Log-normal with the given median and shape sigma (the standard deviation of the log). */
    record LogNormal(long medianNs, double sigma) implements Dist {
        public long sample(SimRng rng) {
            // Box-Muller; one normal draw per sample keeps the stream simple and reproducible
            double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            return Math.round(medianNs * Math.exp(sigma * z));
        }
        public double mean() { return medianNs * Math.exp(sigma * sigma / 2); }
    }

    /** Never ends. */
    record Forever() implements Dist {
        public long sample(SimRng rng) { return Long.MAX_VALUE; }
        public double mean() { return Double.POSITIVE_INFINITY; }
    }
}
