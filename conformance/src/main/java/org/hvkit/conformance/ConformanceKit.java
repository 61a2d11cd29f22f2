package org.hvkit.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.sched.SchedulerProvider;

/**
 * The scheduler conformance kit: runs a {@link SchedulerProvider} on the real core and simulated
 * machine over many seeded random workloads and hosts and checks the {@link Property properties}
 * every hvkit scheduler should have. Failing workloads are shrunk to a small counter-example.
 *
 * <pre>{@code
 * ConformanceReport r = ConformanceKit.forProvider(new MyProvider()).seeds(1, 2, 3).run();
 * r.assertPassed();
 * }</pre>
 *
 * Not thread-safe; a kit may be run several times.
 */
public final class ConformanceKit {
    private final SchedulerProvider provider;
    private long[] seeds = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private Set<Property> properties = EnumSet.allOf(Property.class);
    private final Map<Property, String> notClaimed = new EnumMap<>(Property.class);
    private long waitBoundNs = 100_000_000L;
    private long workConservingBoundNs = 20_000_000L;
    private long sampleStepNs = 1_000_000L;
    private double weightTolerance = 0.05;
    private double weightFloor = 0.025;
    private double capTolerance = 0.03;
    private int shrinkRuns = 30;

    private ConformanceKit(SchedulerProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    public static ConformanceKit forProvider(SchedulerProvider provider) {
        return new ConformanceKit(provider);
    }

    /** The seeds to try (default 1..16); each seed gives one workload per kind of scenario. */
    public ConformanceKit seeds(long... s) {
        if (s.length == 0) throw new IllegalArgumentException("at least one seed");
        seeds = s.clone();
        return this;
    }

    /** Seeds {@code first .. first+count-1}. */
    public ConformanceKit seedRange(long first, int count) {
        long[] s = new long[count];
        for (int i = 0; i < count; i++) s[i] = first + i;
        return seeds(s);
    }

    /** Only these properties (default: all). */
    public ConformanceKit properties(Property... ps) {
        properties = ps.length == 0 ? EnumSet.noneOf(Property.class) : EnumSet.copyOf(List.of(ps));
        return this;
    }

    /**
     * Declares that the scheduler does not have property {@code p}, for {@code reason} (a design
     * choice, such as Xen credit1's per-pool credit and {@link Property#WEIGHTS_PINNED}). The
     * property is still checked and its outcome printed, but it does not fail the report.
     */
    public ConformanceKit notClaimed(Property p, String reason) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a reason why " + p + " is not claimed");
        notClaimed.put(Objects.requireNonNull(p, "property"), reason);
        return this;
    }

    /**
     * The base wait bound (default 100 ms). A vCPU may wait this long times the number of vCPUs that
     * may compete for each of its pCPUs (itself included, rounded up), so a scheduler with long
     * slices is not penalised for contention the workload creates.
     */
    public ConformanceKit waitBound(Duration d) {
        waitBoundNs = d.toNanos();
        return this;
    }

    /** How long a pCPU may idle while a runnable, uncapped vCPU allowed there waits (default 20 ms). */
    public ConformanceKit workConservingBound(Duration d) {
        workConservingBoundNs = d.toNanos();
        return this;
    }

    /**
     * Allowed relative error of a CPU hog's share against its weighted fair share (default 0.05);
     * errors up to {@link #weightFloor} always pass.
     */
    public ConformanceKit weightTolerance(double t) {
        weightTolerance = t;
        return this;
    }

    /**
     * Share errors up to this many pCPUs always pass (default 0.025): schedulers that hand out
     * whole slices and forgive deep debt, as Xen's credit1 does, overshoot light domains' small
     * shares by about that much.
     */
    public ConformanceKit weightFloor(double pcpus) {
        weightFloor = pcpus;
        return this;
    }

    /** Allowed error of a capped domain's CPU time, in pCPUs (default 0.03: 3 % of one pCPU). */
    public ConformanceKit capTolerance(double t) {
        capTolerance = t;
        return this;
    }

    /** At most this many extra runs are spent shrinking one failing workload (default 30; 0 = no shrinking). */
    public ConformanceKit shrinkRuns(int n) {
        shrinkRuns = n;
        return this;
    }

    private Runner.Limits limits() {
        return new Runner.Limits(waitBoundNs, workConservingBoundNs, sampleStepNs);
    }

    /** Runs every selected property on every seed. */
    public ConformanceReport run() {
        long t0 = System.nanoTime();
        List<PropertyResult> results = new ArrayList<>();
        Map<Long, Runner.Outcome> general = new HashMap<>();
        for (Property p : Property.values()) {
            if (!properties.contains(p)) continue;
            PropertyResult r = check(p, general);
            results.add(notClaimed.containsKey(p) ? r.unclaimed(notClaimed.get(p)) : r);
        }
        return new ConformanceReport(provider.optName(), results, System.nanoTime() - t0);
    }

    /** Checks one property on one given workload (for reproducing a reported counter-example). */
    public PropertyResult check(Property p, Scenario sc) {
        Verdict v = evaluate(p, sc, Runner.run(provider, sc, limits()));
        if (v.violation == null) return new PropertyResult(p, true, 1, -1, null, v.summary());
        return new PropertyResult(p, false, 1, sc.seed(), sc, v.violation);
    }

    private static Scenario scenario(Property p, long seed) {
        return switch (p) {
            case WEIGHTS -> Generators.weights(seed, false);
            case WEIGHTS_WIDE -> Generators.weights(seed, true);
            case WEIGHTS_PINNED -> Generators.weightsPinned(seed);
            case CAPS -> Generators.caps(seed);
            case CHURN -> Generators.general(seed, true);
            default -> Generators.general(seed, false);
        };
    }

    private PropertyResult check(Property p, Map<Long, Runner.Outcome> general) {
        double worst = 0;
        String worstText = "";
        int tried = 0;
        for (long seed : seeds) {
            Scenario sc = scenario(p, seed);
            boolean shared = p == Property.BOUNDED_WAIT || p == Property.HARD_AFFINITY || p == Property.WORK_CONSERVING || p == Property.DETERMINISM;
            Runner.Outcome out = shared ? general.computeIfAbsent(seed, s -> Runner.run(provider, sc, limits())) : Runner.run(provider, sc, limits());
            Verdict v = evaluate(p, sc, out);
            tried++;
            if (v.violation != null) {
                Scenario small = sc;
                String why = v.violation;
                int budget = shrinkRuns;
                boolean progress = true;
                while (progress && budget > 0) {
                    progress = false;
                    for (Scenario cand : Shrinker.candidates(small)) {
                        if (budget-- <= 0) break;
                        Verdict cv = evaluate(p, cand, Runner.run(provider, cand, limits()));
                        if (cv.violation != null) {
                            small = cand;
                            why = cv.violation;
                            progress = true;
                            break;
                        }
                    }
                }
                return new PropertyResult(p, false, tried, seed, small, why);
            }
            if (v.metric >= worst) {
                worst = v.metric;
                worstText = v.metricText;
            }
        }
        return new PropertyResult(p, true, tried, -1, null, worstText.isEmpty() ? "no violation" : "worst: " + worstText);
    }

    private record Verdict(String violation, double metric, String metricText) {
        static Verdict ok(double metric, String text) {
            return new Verdict(null, metric, text);
        }

        static Verdict bad(String why) {
            return new Verdict(why, 0, "");
        }

        String summary() {
            return violation != null ? violation : metricText.isEmpty() ? "no violation" : metricText;
        }
    }

    private static boolean affinityEviction(String reason) {
        return reason.contains("hard affinity") || reason.contains("outside its hard affinity");
    }

    private Verdict evaluate(Property p, Scenario sc, Runner.Outcome out) {
        if (out.eviction != null) {
            String why = "the core evicted the scheduler: " + out.eviction;
            if (affinityEviction(out.eviction)) return p == Property.HARD_AFFINITY || p == Property.CHURN ? Verdict.bad(why) : Verdict.ok(0, "");
            return Verdict.bad(why);
        }
        switch (p) {
            case BOUNDED_WAIT, HARD_AFFINITY, WORK_CONSERVING -> {
                String v = out.violations.get(p);
                return v != null ? Verdict.bad(v) : Verdict.ok(0, "");
            }
            case CHURN -> {
                for (Property q : List.of(Property.CHURN, Property.HARD_AFFINITY, Property.BOUNDED_WAIT)) {
                    String v = out.violations.get(q);
                    if (v != null) return Verdict.bad(q == Property.CHURN ? v : "while domains came and went (" + q + "): " + v);
                }
                return Verdict.ok(0, "");
            }
            case DETERMINISM -> {
                Runner.Outcome again = Runner.run(provider, sc, limits());
                if (again.eviction != null) return Verdict.bad("the second run was evicted: " + again.eviction);
                if (again.traceHash != out.traceHash || again.events != out.events) {
                    return Verdict.bad("two runs of the same workload and seed gave different traces: " + out.events + " events (hash "
                            + Long.toHexString(out.traceHash) + ") then " + again.events + " events (hash " + Long.toHexString(again.traceHash)
                            + "); look for iteration over hash-ordered collections, identity hash codes, wall-clock time or shared static state");
                }
                return Verdict.ok(0, "");
            }
            case WEIGHTS, WEIGHTS_WIDE, WEIGHTS_PINNED -> {
                return weights(sc, out);
            }
            case CAPS -> {
                return caps(sc, out);
            }
            default -> throw new IllegalStateException(p.toString());
        }
    }

    /** Water-filling: each hog gets weight-proportional shares of the pinned set, at most one pCPU each. */
    static double[] fairShares(int[] weights, double capacity) {
        int k = weights.length;
        double[] share = new double[k];
        boolean[] fixed = new boolean[k];
        double left = capacity;
        while (true) {
            double wsum = 0;
            for (int i = 0; i < k; i++) if (!fixed[i]) wsum += weights[i];
            if (wsum == 0) break;
            boolean capped = false;
            for (int i = 0; i < k; i++) {
                if (!fixed[i] && left * weights[i] / wsum > 1.0) {
                    share[i] = 1.0;
                    fixed[i] = true;
                    left -= 1.0;
                    capped = true;
                }
            }
            if (!capped) {
                for (int i = 0; i < k; i++) if (!fixed[i]) share[i] = left * weights[i] / wsum;
                break;
            }
        }
        return share;
    }

    private Verdict weights(Scenario sc, Runner.Outcome out) {
        List<Scenario.DomainSpec> doms = sc.domains();
        int[] w = new int[doms.size()];
        for (int i = 0; i < w.length; i++) w[i] = doms.get(i).weight() == 0 ? (int) (long) provider.defaultDomainParams().getOrDefault("weight", 256L) : doms.get(i).weight();
        CpuMask set = doms.get(0).cpus() != null ? doms.get(0).cpus() : CpuMask.range(0, sc.nrCpus() - 1);
        double[] fair = fairShares(w, set.cardinality());
        double worst = 0;
        StringBuilder table = new StringBuilder();
        String bad = null;
        for (int i = 0; i < w.length; i++) {
            double got = (double) out.measuredNs[i] / out.measuredWindowNs;
            double err = Math.abs(got - fair[i]) / fair[i];
            table.append(String.format("%n%s weight %d: %.4f pCPUs, fair share %.4f (error %.1f %%)", doms.get(i).name(), w[i], got, fair[i], err * 100));
            if (Math.abs(got - fair[i]) > Math.max(weightTolerance * fair[i], weightFloor) && bad == null) bad = doms.get(i).name();
            worst = Math.max(worst, err);
        }
        String text = String.format("share error %.2f %% of the fair share", worst * 100);
        if (bad != null) {
            return Verdict.bad(String.format("%s is off its weighted fair share by more than %.0f %% over %s of %d CPU hogs saturating pCPUs %s:", bad,
                    weightTolerance * 100, Scenario.ms(out.measuredWindowNs), w.length, set.toRangeList()) + table);
        }
        return Verdict.ok(worst, text);
    }

    private Verdict caps(Scenario sc, Runner.Outcome out) {
        Scenario.DomainSpec d = sc.domains().get(0);
        double got = (double) out.measuredNs[0] / out.measuredWindowNs;
        double want = d.cap() / 100.0;
        double err = Math.abs(got - want);
        String text = String.format("%s with cap %d %% got %.2f %% of a pCPU (error %.2f points)", d.name(), d.cap(), got * 100, err * 100);
        if (err > capTolerance) {
            return Verdict.bad(text + String.format(", more than the tolerance of %.1f points, over %s while every vCPU could have had a pCPU of its own",
                    capTolerance * 100, Scenario.ms(out.measuredWindowNs)));
        }
        return Verdict.ok(err, text);
    }
}
