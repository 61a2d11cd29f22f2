package org.hvkit.scenario.internal;

import java.util.Locale;

/** Durations as scenario files write them: {@code 10s}, {@code 9.5ms}, {@code 500us}, {@code 100ns}, {@code 2m}. */
public final class Durations {
    private Durations() {}

    public static long parseNs(String text, String what) {
        if (text == null) throw new IllegalArgumentException(what + ": missing duration");
        String t = text.strip().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
        if (i == 0) throw new IllegalArgumentException(what + ": '" + text + "' is not a duration (e.g. 10s, 9.5ms, 500us)");
        double v;
        try {
            v = Double.parseDouble(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration (e.g. 10s, 9.5ms, 500us)");
        }
        String unit = t.substring(i).strip();
        double scale = switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s", "" -> 1e9;
            case "m", "min" -> 60e9;
            default -> throw new IllegalArgumentException(what + ": unknown unit '" + unit + "' in '" + text + "' (ns, us, ms, s, m)");
        };
        return Math.round(v * scale);
    }

    /** Human form: 1.5 s, 30 ms, 80 us, 120 ns. */
    public static String format(double ns) {
        double a = Math.abs(ns);
        if (a >= 1e9) return trim(ns / 1e9) + " s";
        if (a >= 1e6) return trim(ns / 1e6) + " ms";
        if (a >= 1e3) return trim(ns / 1e3) + " us";
        return trim(ns) + " ns";
    }

    static String trim(double v) {
        String s = String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    /**
     * The long-run fraction of time a vCPU with this {@code workload=} wants to run when alone:
     * mean run / (mean run + mean sleep). {@code cpu} is 1, {@code idle} 0.
     */
    public static double demand(String workload) {
        String w = workload == null ? "cpu" : workload.strip().toLowerCase(Locale.ROOT);
        if (w.equals("cpu")) return 1;
        if (w.equals("idle")) return 0;
        double run = 0, sleep = 0;
        for (String part : w.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            int sp = p.indexOf(' ');
            if (sp < 0) throw new IllegalArgumentException("workload \"" + workload + "\": '" + p + "' needs a duration");
            String kind = p.substring(0, sp);
            double mean = meanNs(p.substring(sp + 1).strip(), workload);
            if (kind.equals("run")) run += mean;
            else if (kind.equals("sleep") || kind.equals("block")) sleep += mean;
            else throw new IllegalArgumentException("workload \"" + workload + "\": expected 'run D' or 'sleep D', found '" + p + "'");
        }
        return run + sleep == 0 ? 0 : run / (run + sleep);
    }

    private static double meanNs(String d, String workload) {
        String what = "workload \"" + workload + "\"";
        if (d.startsWith("const(") && d.endsWith(")")) return parseNs(d.substring(6, d.length() - 1), what);
        if (d.startsWith("exp(") && d.endsWith(")")) return parseNs(d.substring(4, d.length() - 1), what);
        if (d.startsWith("lognormal(") && d.endsWith(")")) {
            String[] a = d.substring(10, d.length() - 1).split(",");
            if (a.length != 2) throw new IllegalArgumentException(what + ": lognormal takes (MEDIAN,SIGMA)");
            double sigma = Double.parseDouble(a[1].strip());
            return parseNs(a[0], what) * Math.exp(sigma * sigma / 2);
        }
        return parseNs(d, what);
    }
}
