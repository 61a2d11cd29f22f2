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
 *
 * <p>A run phase may touch memory: {@code run D touch KIND FIRST-LAST [every E] [at LINEAR]}
 * accesses the pages of guest-physical bytes FIRST to LAST (inclusive, hex with {@code 0x} or
 * decimal) one after another, wrapping around, one access every E of run time (default 1us); KIND
 * is any of {@code r}, {@code w}, {@code x} (read, write, execute). With {@code at LINEAR} the
 * range is mapped at that guest linear address (FIRST at LINEAR, contiguously), so its violations
 * carry a linear address as a real guest's would; without it the simulated guest has no page
 * tables and events say the address is unknown. Example: {@code run 2ms touch w 0x10000-0x1ffff at 0xffff800000010000}.
 * Each access is checked against the domain's p2m, so a memory access listener sees the violations.
 *
 * <p>Or it may drive an assigned DMA engine: {@code run D dma SRC DST LEN [every E]} (default
 * every 100us, at most 16 copies per slice): e.g. {@code run 1ms dma 0x10000 0x20000 8192}.
 */
record Workload(String text, List<Phase> phases) {
    record Phase(boolean run, Dist duration, Touch touch, Dma dma) {
        Phase(boolean run, Dist duration) {
            this(run, duration, null, null);
        }

        Phase(boolean run, Dist duration, Touch touch) {
            this(run, duration, touch, null);
        }
    }

    /**
     * DMA of a run phase ({@code dma SRC DST LEN [every E]}): every {@code everyNs} of run time the
     * vCPU has its assigned DMA engine copy {@code len} bytes from bus address {@code src} to
     * {@code dst} and checks the copy (SimDma). Any 64-bit addresses: a copy outside the domain
     * is how a fault is provoked.
     */
    record Dma(long src, long dst, long len, long everyNs) { }

    /**
     * Accesses of a run phase: {@code bits} of {@code P2mAccess.READ/WRITE/EXEC}, over bytes
     * {@code [first, last]}, one every {@code everyNs}; {@code linear} is the guest linear address
     * of {@code first}, or -1 when the range has none.
     */
    record Touch(int bits, long first, long last, long everyNs, long linear) {
        long firstGfn() {
            return first >>> 12;
        }

        /** The linear address of byte {@code offset} of frame {@code gfn}, or -1 (Violation's "unknown"). */
        long gla(long gfn, int offset) {
            return linear == -1 ? -1 : linear + ((gfn << 12) + offset - first);
        }

        long pages() {
            return (last >>> 12) - (first >>> 12) + 1;
        }

        String kind() {
            return ((bits & 1) != 0 ? "r" : "") + ((bits & 2) != 0 ? "w" : "") + ((bits & 4) != 0 ? "x" : "");
        }
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
            Dma dma = null;
            int dp = arg.indexOf("dma");
            if (dp >= 0) {
                if (!run) throw new IllegalArgumentException(where(text, i) + "only a run phase does DMA");
                dma = parseDma(arg.substring(dp + 3).strip(), where(text, i));
                arg = arg.substring(0, dp).strip();
                if (arg.isEmpty()) throw new IllegalArgumentException(where(text, i) + "'run' needs a duration before 'dma', e.g. 'run 1ms dma 0x10000 0x20000 8192'");
                if (arg.contains("touch")) throw new IllegalArgumentException(where(text, i) + "a phase either touches memory or does DMA, not both");
                phases.add(new Phase(run, parseDist(arg, where(text, i)), null, dma));
                continue;
            }
            Touch touch = null;
            int tp = arg.indexOf("touch");
            if (tp >= 0) {
                if (!run) throw new IllegalArgumentException(where(text, i) + "only a run phase touches memory");
                touch = parseTouch(arg.substring(tp + 5).strip(), where(text, i));
                arg = arg.substring(0, tp).strip();
                if (arg.isEmpty()) throw new IllegalArgumentException(where(text, i) + "'run' needs a duration before 'touch', e.g. 'run 2ms touch w 0x10000-0x1ffff'");
            }
            phases.add(new Phase(run, parseDist(arg, where(text, i)), touch));
        }
        if (phases.isEmpty()) throw new IllegalArgumentException("workload \"" + text + "\": no phases; use 'cpu', 'idle' or e.g. 'run 2ms; sleep 8ms'");
        if (phases.stream().noneMatch(Phase::run)) throw new IllegalArgumentException("workload \"" + text + "\": no run phase; use 'idle' for a vCPU that never runs");
        return new Workload(text.strip(), List.copyOf(phases));
    }

    /** {@code KIND FIRST-LAST [every E] [at LINEAR]}. */
    static Touch parseTouch(String s, String where) {
        String hint = " (use e.g. 'touch w 0x10000-0x1ffff every 2us at 0xffff800000010000')";
        String[] w = s.split("\\s+");
        if (s.isEmpty() || (w.length != 2 && w.length != 4 && w.length != 6))
            throw new IllegalArgumentException(where + "'touch' takes KIND FIRST-LAST [every E] [at LINEAR], not '" + s + "'" + hint);
        int bits = 0;
        for (char c : w[0].toCharArray()) {
            int b = switch (c) {
                case 'r' -> 1;
                case 'w' -> 2;
                case 'x' -> 4;
                default -> throw new IllegalArgumentException(where + "touch kind '" + w[0] + "': each letter must be r, w or x" + hint);
            };
            if ((bits & b) != 0) throw new IllegalArgumentException(where + "touch kind '" + w[0] + "' repeats '" + c + "'" + hint);
            bits |= b;
        }
        int dash = w[1].indexOf('-');
        if (dash <= 0 || dash == w[1].length() - 1) throw new IllegalArgumentException(where + "touch range '" + w[1] + "' must be FIRST-LAST" + hint);
        long first = address(w[1].substring(0, dash), where, hint), last = address(w[1].substring(dash + 1), where, hint);
        if (last < first) throw new IllegalArgumentException(where + "touch range '" + w[1] + "' ends before it starts" + hint);
        long every = -1, linear = -1;
        for (int k = 2; k < w.length; k += 2) {
            if (w[k].equals("every") && every == -1) {
                try {
                    every = parseDuration(w[k + 1]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + "bad interval '" + w[k + 1] + "': " + e.getMessage() + hint);
                }
                if (every < 10) throw new IllegalArgumentException(where + "interval '" + w[k + 1] + "' below 10ns" + hint);
            } else if (w[k].equals("at") && linear == -1) {
                linear = linearAddress(w[k + 1], last - first, where, hint);
            } else {
                throw new IllegalArgumentException(where + "expected 'every E' or 'at LINEAR' (each once) after the range, found '" + w[k] + "'" + hint);
            }
        }
        return new Touch(bits, first, last, every == -1 ? 1_000 : every, linear);
    }

    /** A canonical 48-bit x86-64 linear address that maps the whole range without wrapping. */
    private static long linearAddress(String a, long span, String where, String hint) {
        long v;
        try {
            v = a.startsWith("0x") ? Long.parseUnsignedLong(a.substring(2), 16) : Long.parseUnsignedLong(a);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "bad linear address '" + a + "' (0x... or decimal)" + hint);
        }
        long end = v + span;
        boolean canonical = v != -1 && ((v >> 47) == 0 || (v >> 47) == -1);
        if (!canonical || Long.compareUnsigned(end, v) < 0 || (end >> 47) != (v >> 47))
            throw new IllegalArgumentException(where + "linear address '" + a + "' is not canonical for the whole range (x86-64: below 0x800000000000 or from 0xffff800000000000)" + hint);
        return v;
    }

    /** {@code SRC DST LEN [every E]}. */
    static Dma parseDma(String s, String where) {
        String hint = " (use e.g. 'dma 0x10000 0x20000 8192 every 100us')";
        String[] w = s.split("\\s+");
        if (s.isEmpty() || (w.length != 3 && w.length != 5)) throw new IllegalArgumentException(where + "'dma' takes SRC DST LEN [every E], not '" + s + "'" + hint);
        long src = bus(w[0], where, hint), dst = bus(w[1], where, hint);
        long len;
        try {
            len = w[2].startsWith("0x") ? Long.parseLong(w[2].substring(2), 16) : Long.parseLong(w[2]);
        } catch (NumberFormatException e) {
            len = -1;
        }
        if (len < 1 || len > 1 << 20) throw new IllegalArgumentException(where + "dma length '" + w[2] + "' must be 1 to 1048576 bytes" + hint);
        long every = 100_000;
        if (w.length == 5) {
            if (!w[3].equals("every")) throw new IllegalArgumentException(where + "expected 'every E' after the length, found '" + w[3] + "'" + hint);
            try {
                every = parseDuration(w[4]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "bad interval '" + w[4] + "': " + e.getMessage() + hint);
            }
            if (every < 1000) throw new IllegalArgumentException(where + "interval '" + w[4] + "' below 1us" + hint);
        }
        return new Dma(src, dst, len, every);
    }

    /** A 64-bit bus address, 0x... or decimal. */
    private static long bus(String a, String where, String hint) {
        try {
            return a.startsWith("0x") ? Long.parseUnsignedLong(a.substring(2), 16) : Long.parseUnsignedLong(a);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "bad bus address '" + a + "' (0x... or decimal, 64 bits)" + hint);
        }
    }

    private static long address(String a, String where, String hint) {
        try {
            long v = a.startsWith("0x") ? Long.parseUnsignedLong(a.substring(2), 16) : Long.parseLong(a);
            if (v < 0 || v >= (1L << 52)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "bad address '" + a + "' (0x... or decimal, below 2^52)" + hint);
        }
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
