package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.PoolInfo;

/**
 * {@code xl sched-sedf} as in 4.2 ({@code main_sched_sedf}): {@code -d DOM [-p MS] [-s MS] [-l MS]
 * [-e 0|1] [-w W]}, {@code -c POOL}; the header and rows of {@code sched_sedf_domain_output}. The
 * scheduler itself is a plugin (examples/plugins/sched-sedf); its domain parameters are
 * {@code period}, {@code slice}, {@code latency} (ns), {@code extratime} and {@code weight}, and
 * xl shows and takes milliseconds, as libxl converts them.
 */
final class SchedSedf {
    private SchedSedf() {
    }

    static final String HEADER = String.format(Locale.ROOT, "%-33s %4s %6s %-6s %7s %5s %6s",
            "Name", "ID", "Period", "Slice", "Latency", "Extra", "Weight");
    private static final long MS = 1_000_000L;
    /** libxl's ERROR_FAIL and ERROR_INVAL, negated as main_sched_sedf returns them. */
    private static final int FAIL = 3, INVAL = 6;

    static int run(Hypervisor hv, List<String> args, PrintStream out, PrintStream err) {
        String dom = null, pool = null;
        Long period = null, slice = null, latency = null, extra = null, weight = null;
        List<Getopt.Opt> opts = Getopt.parse(args, "d:p:s:l:e:w:c:h"); // long options were LongOpts's
        for (Getopt.Opt o : opts) {
            String val = o.value();
            switch (o.name()) {
                case "-d" -> dom = val;
                case "-p" -> period = SchedCredit.strtol(val);
                case "-s" -> slice = SchedCredit.strtol(val);
                case "-l" -> latency = SchedCredit.strtol(val);
                case "-e" -> extra = SchedCredit.strtol(val);
                case "-w" -> weight = SchedCredit.strtol(val);
                case "-c" -> pool = val;
                default -> { } // -h was DefGetopt's
            }
        }
        boolean setting = period != null || slice != null || latency != null || extra != null || weight != null;
        if (pool != null && (dom != null || setting)) {
            err.println("Specifying a cpupool is not allowed with other options.");
            return 1;
        }
        if (dom == null && setting) {
            err.println("Must specify a domain.");
            return 1;
        }
        if (weight != null && (period != null || slice != null)) {
            // 4.2 prints this and goes on: the weight then wins (period and slice are zeroed below).
            err.println("Specifying a weight AND period or slice is not allowed.");
        }
        if (dom == null) return list(hv, pool, out, err);
        Integer d = XlCommand.findDomain(hv, dom, err);
        if (d == null) return 2;
        DomainInfo info = hv.domain(d).orElseThrow();
        if (!setting) {
            out.println(HEADER);
            return row(hv, info, out, err) ? 0 : INVAL;
        }
        String sched = schedulerOf(hv, info);
        if (!sched.equals("sedf")) {
            err.println("libxl: error: libxl.c:4264:sched_sedf_domain_set: setting domain sched sedf: Invalid argument");
            err.println("libxl_domain_sched_params_set failed.");
            return FAIL;
        }
        // libxl reads the current values and overrides the ones given (period/slice zero the weight and back).
        Map<String, Long> set = new TreeMap<>(hv.domainSchedParams(d));
        if (period != null) {
            set.put("period", period * MS);
            set.put("weight", 0L);
        }
        if (slice != null) {
            set.put("slice", slice * MS);
            set.put("weight", 0L);
        }
        if (latency != null) set.put("latency", latency * MS);
        if (extra != null) set.put("extratime", extra);
        if (weight != null) {
            set.put("weight", weight);
            set.put("period", 0L);
            set.put("slice", 0L);
        }
        try {
            hv.setDomainSchedParams(d, set);
        } catch (HypervisorException e) {
            err.println("libxl: error: libxl.c:4267:sched_sedf_domain_set: setting domain sched sedf: Invalid argument");
            err.println("libxl_domain_sched_params_set failed.");
            return FAIL;
        }
        return 0;
    }

    private static int list(Hypervisor hv, String pool, PrintStream out, PrintStream err) {
        List<PoolInfo> pools = PoolQualifier.listed(hv, "sedf", pool, err);
        if (pools == null) return SchedCredit.LIST_UNKNOWN;
        for (PoolInfo p : pools) {
            out.println("Cpupool " + p.name() + ":");
            out.println(HEADER);
            for (DomainInfo d : hv.listDomains()) {
                if (d.poolId() == p.id() && !row(hv, d, out, err)) return INVAL;
            }
        }
        return 0;
    }

    /** One row of sched_sedf_domain_output; false (with 4.2's message) when the domain is not under sedf. */
    private static boolean row(Hypervisor hv, DomainInfo d, PrintStream out, PrintStream err) {
        String sched = schedulerOf(hv, d);
        if (!sched.equals("sedf")) {
            err.println("libxl_domain_sched_params_get returned " + sched + " not sedf.");
            return false;
        }
        Map<String, Long> p = hv.domainSchedParams(d.id());
        out.println(String.format(Locale.ROOT, "%-33s %4d %6d %6d %7d %5d %6d", d.name(), d.id(),
                p.getOrDefault("period", 0L) / MS, p.getOrDefault("slice", 0L) / MS, p.getOrDefault("latency", 0L) / MS,
                p.getOrDefault("extratime", 0L), p.getOrDefault("weight", 0L)));
        return true;
    }

    private static String schedulerOf(Hypervisor hv, DomainInfo d) {
        return hv.findPool(Integer.toString(d.poolId())).map(PoolInfo::scheduler).orElse("unknown");
    }
}
