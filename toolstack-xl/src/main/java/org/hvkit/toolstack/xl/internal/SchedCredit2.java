package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.PoolInfo;

/**
 * {@code xl sched-credit2} as in 4.2 (xen.md §2.10): {@code -d DOM [-w WEIGHT]}, {@code -p POOL};
 * with no option every credit2 pool with a {@code Cpupool <name>:} line, then its domains.
 * Works on whatever pools run the {@code credit2} scheduler; with none, there is nothing to list.
 */
final class SchedCredit2 {
    private SchedCredit2() {
    }

    static final String HEADER = String.format(Locale.ROOT, "%-33s %4s %6s", "Name", "ID", "Weight");

    static int run(Hypervisor hv, List<String> args, PrintStream out, PrintStream err) {
        String dom = null, pool = null;
        Long weight = null;
        List<Getopt.Opt> opts = Getopt.parse(args, "d:w:p:h"); // long options were LongOpts's
        for (Getopt.Opt o : opts) {
            String opt = o.name(), val = o.value();
            switch (opt) {
                case "-d" -> dom = val;
                case "-w" -> {
                    try {
                        weight = Long.parseLong(val);
                    } catch (NumberFormatException e) {
                        weight = 0L;
                    }
                }
                case "-p" -> pool = val;
                default -> { } // -h was DefGetopt's
            }
        }
        if (pool != null && (dom != null || weight != null)) {
            err.println("Specifying a cpupool is not allowed with other options.");
            return 1;
        }
        if (weight != null && dom == null) {
            err.println("Must specify a domain.");
            return 1;
        }
        if (dom != null) {
            Integer d = XlCommand.findDomain(hv, dom, err);
            if (d == null) return 2;
            DomainInfo info = hv.domain(d).orElseThrow();
            PoolInfo p = hv.findPool(Integer.toString(info.poolId())).orElse(null);
            if (p == null || !p.scheduler().equals("credit2")) {
                err.println("Domain " + d + " is not in a credit2 cpupool");
                return 1;
            }
            try {
                if (weight == null) {
                    out.println(HEADER);
                    out.println(row(info, hv.domainSchedParams(d)));
                } else {
                    hv.setDomainSchedParams(d, Map.of("weight", weight));
                }
            } catch (HypervisorException e) {
                LibxlLog.Site at = weight == null ? LibxlLog.CREDIT2_GET
                        : e.getMessage().startsWith("Cpu weight out of range") ? LibxlLog.CREDIT2_WEIGHT : LibxlLog.CREDIT2_SET;
                err.println(LibxlLog.error(at, e.getMessage()));
                if (weight != null) err.println("libxl_domain_sched_params_set failed.");
                return 1;
            }
            return 0;
        }
        List<PoolInfo> pools = PoolQualifier.listed(hv, "credit2", pool, err);
        if (pools == null) return SchedCredit.LIST_UNKNOWN;
        for (PoolInfo p : pools) {
            out.println("Cpupool " + p.name() + ":");
            out.println(HEADER);
            for (DomainInfo d : hv.listDomains()) {
                if (d.poolId() != p.id()) continue;
                out.println(row(d, hv.domainSchedParams(d.id())));
            }
        }
        return 0;
    }

    private static String row(DomainInfo d, Map<String, Long> params) {
        return String.format(Locale.ROOT, "%-33s %4d %6d", d.name(), d.id(), params.getOrDefault("weight", 0L));
    }
}
