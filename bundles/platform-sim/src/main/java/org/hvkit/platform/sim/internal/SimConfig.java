package org.hvkit.platform.sim.internal;

import java.util.Locale;
import java.util.function.Function;
import org.hvkit.api.platform.HostTopology;

/**
 * How the simulated machine is built and driven.
 *
 * @param topology the host
 * @param seed     seed of every random draw; same seed and configuration, same event trace
 * @param mode     {@link Mode#PACED} follows the wall clock (interactive use), {@link Mode#FAST} runs
 *                 as fast as it can, {@link Mode#MANUAL} advances only when told (tests)
 * @param speed    virtual seconds per wall second in paced mode
 */
public record SimConfig(HostTopology topology, long seed, Mode mode, double speed) {
    public enum Mode { PACED, FAST, MANUAL }

    /** The default host: 2 sockets x 4 cores x 2 threads (16 pCPUs), 2 NUMA nodes, 64 GiB. */
    public static HostTopology defaultTopology() {
        return HostTopology.of(2, 4, 2, 2, 64L << 30);
    }

    /**
     * Reads framework properties: {@code hvkit.sim.topology} ({@code SOCKETSxCORESxTHREADS}),
     * {@code hvkit.sim.nodes}, {@code hvkit.sim.memory} (e.g. {@code 64G}, {@code 8192M}),
     * {@code hvkit.sim.seed}, {@code hvkit.sim.mode} ({@code paced|fast}), {@code hvkit.sim.speed}.
     *
     * @throws IllegalArgumentException naming the property
     */
    public static SimConfig fromProperties(Function<String, String> props) {
        HostTopology def = defaultTopology();
        int s = def.sockets(), c = def.coresPerSocket(), t = def.threadsPerCore();
        String topo = props.apply("hvkit.sim.topology");
        if (topo != null && !topo.isBlank()) {
            String[] p = topo.strip().toLowerCase(Locale.ROOT).split("x");
            try {
                if (p.length != 3) throw new NumberFormatException();
                s = Integer.parseInt(p[0]);
                c = Integer.parseInt(p[1]);
                t = Integer.parseInt(p[2]);
                if (s < 1 || c < 1 || t < 1) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("hvkit.sim.topology=" + topo + ": expected SOCKETSxCORESxTHREADS, e.g. 2x4x2");
            }
        }
        int nodes = intProp(props, "hvkit.sim.nodes", topo == null ? def.nrNodes() : s);
        if (nodes < 1 || nodes > s * c * t)
            throw new IllegalArgumentException("hvkit.sim.nodes=" + nodes + ": expected a number from 1 to the pCPU count " + s * c * t);
        long mem = memProp(props, "hvkit.sim.memory", def.totalMemoryBytes());
        if (mem < nodes * (1L << 20))
            throw new IllegalArgumentException("hvkit.sim.memory=" + props.apply("hvkit.sim.memory") + ": expected at least 1M per node, e.g. 64G");
        String seedText = orDefault(props.apply("hvkit.sim.seed"), "1");
        long seed;
        try {
            seed = Long.parseLong(seedText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hvkit.sim.seed=" + seedText + ": expected a whole number, e.g. 1");
        }
        String m = orDefault(props.apply("hvkit.sim.mode"), "paced").toUpperCase(Locale.ROOT);
        Mode mode;
        try {
            mode = Mode.valueOf(m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hvkit.sim.mode=" + m.toLowerCase(Locale.ROOT) + ": expected paced, fast or manual");
        }
        String speedText = orDefault(props.apply("hvkit.sim.speed"), "1");
        double speed;
        try {
            speed = Double.parseDouble(speedText);
        } catch (NumberFormatException e) {
            speed = Double.NaN;
        }
        if (!(speed > 0) || Double.isInfinite(speed))
            throw new IllegalArgumentException("hvkit.sim.speed=" + speedText + ": expected a positive number, e.g. 1 or 0.5");
        return new SimConfig(HostTopology.of(s, c, t, nodes, mem), seed, mode, speed);
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v.strip();
    }

    private static int intProp(Function<String, String> props, String key, int def) {
        String v = props.apply(key);
        try {
            return v == null || v.isBlank() ? def : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": not a number");
        }
    }

    private static long memProp(Function<String, String> props, String key, long def) {
        String v = props.apply(key);
        if (v == null || v.isBlank()) return def;
        String x = v.strip().toUpperCase(Locale.ROOT);
        long scale = 1L << 20;
        if (x.endsWith("G")) { scale = 1L << 30; x = x.substring(0, x.length() - 1); }
        else if (x.endsWith("T")) { scale = 1L << 40; x = x.substring(0, x.length() - 1); }
        else if (x.endsWith("M")) { x = x.substring(0, x.length() - 1); }
        try {
            long n = Long.parseLong(x);
            if (n < 1 || n > Long.MAX_VALUE / scale) throw new NumberFormatException();
            return n * scale;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + ": expected a size such as 64G or 8192M");
        }
    }
}
