package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.PoolInfo;

/** {@code xl sched-credit}: options, combination rules, messages and output of xl 4.2 (xen.md §1.14). */
final class SchedCredit {
    private SchedCredit() {
    }

    /** xl returns -sched_domain_output(), i.e. -(-ERROR_FAIL): exit status (-3 & 0xff). */
    static final int LIST_UNKNOWN = -PoolQualifier.UNKNOWN & 0xff;

    /** sched_credit_domain_set's line: its range checks (the scheduler's words), else the hypercall's. */
    static LibxlLog.Site domainSite(String message) {
        if (message.startsWith("Cpu weight out of range")) return LibxlLog.CREDIT_WEIGHT;
        if (message.startsWith("Cpu cap out of range")) return LibxlLog.CREDIT_CAP;
        return LibxlLog.CREDIT_SET;
    }

    /** libxl_sched_credit_params_set's line: its range checks (the scheduler's words), else the hypercall's. */
    static LibxlLog.Site paramsSite(String message) {
        if (message.contains("must not exceed tslice_ms")) return LibxlLog.CREDIT_RATELIMIT_TSLICE;
        if (message.startsWith("tslice_ms")) return LibxlLog.CREDIT_TSLICE;
        if (message.startsWith("ratelimit_us")) return LibxlLog.CREDIT_RATELIMIT;
        return LibxlLog.CREDIT_PARAMS;
    }

    static int run(Hypervisor hv, List<String> args, PrintStream out, PrintStream err) {
        String dom = null, pool = null;
        Long weight = null, cap = null, tslice = null, ratelimit = null;
        boolean s = false;
        List<Getopt.Opt> opts = Getopt.parse(args, "d:w:c:p:t:r:hs"); // long options were LongOpts's
        for (Getopt.Opt o : opts) {
            String opt = o.name(), val = o.value();
            switch (opt) {
                case "-d" -> dom = val;
                case "-w" -> weight = strtol(val);
                case "-c" -> cap = strtol(val);
                case "-p" -> pool = val;
                case "-s" -> s = true;
                case "-t" -> tslice = strtol(val);
                case "-r" -> ratelimit = strtol(val);
                default -> { } // -h was DefGetopt's
            }
        }
        if ((pool != null || s) && (dom != null || weight != null || cap != null)) {
            err.println("Specifying a cpupool or schedparam is not allowed with domain options.");
            return 1;
        }
        if (dom == null && (weight != null || cap != null)) {
            err.println("Must specify a domain.");
            return 1;
        }
        if (!s && (tslice != null || ratelimit != null)) {
            err.println("Must specify schedparam to set schedule parameter values.");
            return 1;
        }
        if (s) {
            // Without -p xl uses pool id 0, whatever it is called now (cpupool-rename, numa-split).
            PoolInfo p = PoolQualifier.find(hv, pool == null ? "0" : pool, err);
            if (p == null) return PoolQualifier.UNKNOWN;
            if (tslice == null && ratelimit == null) {
                out.println(poolLine(hv, p));
                return 0;
            }
            Map<String, Long> set = new LinkedHashMap<>();
            if (tslice != null) set.put("tslice_ms", tslice);
            if (ratelimit != null) set.put("ratelimit_us", ratelimit);
            try {
                hv.setPoolSchedParams(p.id(), set);
            } catch (HypervisorException e) {
                err.println(LibxlLog.error(paramsSite(e.getMessage()), e.getMessage()));
                err.println("Cpupool " + p.name() + ": setting scheduler parameters failed.");
                return 1;
            }
            return 0;
        }
        if (dom == null) {
            List<PoolInfo> pools = XlCommand.poolsOn(hv, "credit");
            if (pool != null) {
                PoolInfo p = PoolQualifier.find(hv, pool, err);
                if (p == null) return LIST_UNKNOWN;
                pools = pools.stream().filter(x -> x.id() == p.id()).toList();
            }
            for (PoolInfo p : pools) {
                out.println(poolLine(hv, p));
                out.println(Formats.CREDIT_HEADER);
                for (DomainInfo d : hv.listDomains()) {
                    if (d.poolId() != p.id()) continue;
                    Map<String, Long> params = hv.domainSchedParams(d.id());
                    out.println(Formats.creditRow(d.name(), d.id(), params.getOrDefault("weight", 0L), params.getOrDefault("cap", 0L)));
                }
            }
            return 0;
        }
        Integer domid = XlCommand.findDomain(hv, dom, err);
        if (domid == null) return 2;
        DomainInfo d = hv.domain(domid).orElseThrow();
        if (weight == null && cap == null) {
            Map<String, Long> params = hv.domainSchedParams(domid);
            out.println(Formats.CREDIT_HEADER);
            out.println(Formats.creditRow(d.name(), d.id(), params.getOrDefault("weight", 0L), params.getOrDefault("cap", 0L)));
            return 0;
        }
        Map<String, Long> set = new LinkedHashMap<>();
        if (weight != null) set.put("weight", weight);
        if (cap != null) set.put("cap", cap);
        try {
            hv.setDomainSchedParams(domid, set);
        } catch (HypervisorException e) {
            err.println(LibxlLog.error(domainSite(e.getMessage()), e.getMessage()));
            err.println("libxl_domain_sched_params_set failed.");
            return 1;
        }
        return 0;
    }

    private static String poolLine(Hypervisor hv, PoolInfo p) {
        if (!p.scheduler().equals("credit")) return "Cpupool " + p.name() + ": [sched params unavailable]";
        return Formats.creditPoolLine(p.name(), hv.poolSchedParams(p.id()));
    }

    /** C's strtol(s, NULL, 10): the leading integer, 0 when there is none. */
    static long strtol(String s) {
        var m = java.util.regex.Pattern.compile("^\\s*([+-]?\\d+)").matcher(s);
        if (!m.find()) return 0;
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return m.group(1).startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
