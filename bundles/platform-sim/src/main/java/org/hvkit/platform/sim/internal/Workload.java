package org.hvkit.platform.sim.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A vCPU's behaviour on the simulated machine: a cycle of run and sleep phases repeated forever.
 *
 * <p>Syntax (the xl.cfg {@code workload=} option): {@code cpu} (always runnable), {@code idle}
 * (never runnable), or phases separated by {@code ;}, each {@code run D} or {@code sleep D}, where
 * {@code D} is {@code 500us}, {@code 2ms}, {@code 1s}, {@code 100ns}, {@code const(2ms)},
 * {@code exp(MEAN)} or {@code lognormal(MEDIAN,SIGMA)}. Example: {@code run 2ms; sleep exp(8ms)}.
 */
record Workload(String text, List<Phase> phases) {
    record Phase(boolean run, Dist duration) {
    }

    static final Workload CPU = new Workload("cpu", List.of(new Phase(true, new Dist.Forever())));
    static final Workload IDLE = new Workload("idle", List.of(new Phase(false, new Dist.Forever())));

    /** @throws IllegalArgumentException naming the phase and what was expected */
    static Workload parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) return CPU;
        if (t.equals("idle")) return IDLE;
        List<Phase> phases = new ArrayList<>();
        String[] parts = t.split(";");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.isEmpty()) continue;
            int sp = p.indexOf(' ');
            String kind = sp < 0 ? p : p.substring(0, sp);
            String arg = sp < 0 ? "" : p.substring(sp + 1).strip();
            boolean run = switch (kind) {
                case "run" -> true;
                case "sleep", "block" -> false;
                default -> throw new IllegalArgumentException(where(text, i) + "expected 'run D' or 'sleep D', found '" + p + "'");
            };
            if (arg.isEmpty()) throw new IllegalArgumentException(where(text, i) + "'" + kind + "' needs a duration, e.g. '" + kind + " 2ms'");
            phases.add(new Phase(run, parseDist(arg, where(text, i))));
        }
        if (phases.isEmpty()) throw new IllegalArgumentException("workload \"" + text + "\": no phases; use 'cpu', 'idle' or e.g. 'run 2ms; sleep 8ms'");
        if (phases.stream().noneMatch(Phase::run)) throw new IllegalArgumentException("workload \"" + text + "\": no run phase; use 'idle' for a vCPU that never runs");
        return new Workload(text.strip(), List.copyOf(phases));
    }

    private static String where(String text, int phase) {
        return "workload \"" + text + "\", phase " + (phase + 1) + ": ";
    }

    static Dist parseDist(String s, String where) {
        try {
            if (s.startsWith("const(") && s.endsWith(")")) return new Dist.Const(parseDuration(inner(s)));
            if (s.startsWith("exp(") && s.endsWith(")")) return new Dist.Exp(parseDuration(inner(s)));
            if (s.startsWith("lognormal(") && s.endsWith(")")) {
                String[] a = inner(s).split(",");
                if (a.length != 2) throw new IllegalArgumentException("lognormal takes (MEDIAN,SIGMA)");
                double sigma = Double.parseDouble(a[1].strip());
                if (!(sigma >= 0) || sigma > 10) throw new IllegalArgumentException("sigma must be between 0 and 10");
                return new Dist.LogNormal(parseDuration(a[0].strip()), sigma);
            }
            return new Dist.Const(parseDuration(s));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "bad duration '" + s + "': " + e.getMessage()
                    + " (use e.g. 2ms, 500us, exp(8ms), lognormal(1ms,0.5))");
        }
    }

    private static String inner(String s) {
        return s.substring(s.indexOf('(') + 1, s.length() - 1).strip();
    }

    /** {@code 2ms}, {@code 500us}, {@code 1.5s}, {@code 100ns} to ns; at least 1 ns. */
    static long parseDuration(String s) {
        String[] units = {"ns", "us", "ms", "s"};
        long[] scale = {1, 1_000, 1_000_000, 1_000_000_000};
        for (int i = 0; i < units.length; i++) {
            if (s.endsWith(units[i]) && !(units[i].equals("s") && (s.endsWith("ns") || s.endsWith("us") || s.endsWith("ms")))) {
                double v;
                try {
                    v = Double.parseDouble(s.substring(0, s.length() - units[i].length()).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number");
                }
                if (!(v >= 0) || v * scale[i] > 3.6e15) throw new IllegalArgumentException("out of range");
                return Math.max(1, Math.round(v * scale[i]));
            }
        }
        throw new IllegalArgumentException("missing unit (ns, us, ms or s)");
    }
}
