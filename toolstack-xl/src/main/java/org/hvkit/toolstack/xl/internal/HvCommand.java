package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.CommandSession;
import org.hvkit.api.memaccess.MemAccess;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.PoolBounds;
import org.hvkit.api.toolstack.PoolInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code hv}: hvkit's operations that Xen's xl does not have — switching a live pool's scheduler,
 * forcing its fallback, the per-pool watchdog, the schedulers' debug dump. Same conventions as xl:
 * messages on stderr, the exit status as {@link GogoStatus} says.
 */
@Component(service = HvCommand.class, immediate = true, property = {"osgi.command.scope=hvkit", "osgi.command.function=hv"})
public final class HvCommand {
    private final Hypervisor hv;
    /** The mem-access bundle's service, when installed (for {@code hv xen-access}). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile MemAccess memAccess;
    /** xl, for the kernel= each domain it created runs (the names and units of hv reports); absent in tests without it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile XlCommand xl;
    private java.io.InputStream in;

    @Activate
    public HvCommand(@Reference(name = "hypervisor") Hypervisor hv) {
        this.hv = hv;
    }

    HvCommand(Hypervisor hv, MemAccess memAccess, java.io.InputStream in) {
        this.hv = hv;
        this.memAccess = memAccess;
        this.in = in;
    }

    public void hv(CommandSession session, String... args) {
        in = session != null && session.getKeyboard() != null ? session.getKeyboard() : System.in;
        int status = run(Arrays.asList(args), System.out, System.err);
        System.out.flush();
        System.err.flush();
        GogoStatus.end(session, status);
    }

    static final String USAGE = """
            Usage: hv <command> [args]

            hv sched-switch <pool> <scheduler>   replace a live pool's scheduler; domains keep running
            hv sched-fallback <pool> [reason]    evict the pool's scheduler as the watchdog would
            hv watchdog [<pool> [<ms>|off]]      show or set the stall bound of the watchdog
            hv bounds [<pool> [stall=<ms>] [hook=<ms>] [alloc=<MiB>] [rate=<n>]]
                                                 show or set what evicts a pool's scheduler (each 'off'
                                                 or a number): a stall, one hook call's wall-clock time,
                                                 what one call allocates, decisions+tickles per pCPU per ms
            hv schedulers                        schedulers installed now
            hv sched-dump                        every pool's scheduler state (Xen's debug key 'r')
            hv reports <domain>                  what the guest reported, per key (test guests: guests/README.md)
            hv p2m <domain>                      the domain's p2m: entries per page order, frames per type and access
            hv xen-access [-m] [-t SECONDS] <domain> write|exec
                                                 log the first write or execute of each page, as Xen's xen-access""";

    int run(List<String> a, PrintStream out, PrintStream err) {
        if (a.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        try {
            switch (a.get(0)) {
                case "help", "-h", "--help" -> out.println(USAGE); // asked for: stdout, status 0
                case "sched-switch" -> {
                    if (a.size() != 3) return usage(err);
                    PoolInfo p = pool(a.get(1), err);
                    if (p == null) return 3;
                    String from = p.scheduler();
                    long pause = hv.switchScheduler(p.id(), a.get(2));
                    out.printf(Locale.ROOT, "cpupool %s: %s -> %s, paused %.1f us%n", p.name(), from, a.get(2), pause / 1000.0);
                }
                case "sched-fallback" -> {
                    if (a.size() < 2) return usage(err);
                    PoolInfo p = pool(a.get(1), err);
                    if (p == null) return 3;
                    hv.forceFallback(p.id(), String.join(" ", a.subList(2, a.size())));
                    out.println("cpupool " + p.name() + ": now on " + hv.findPool(a.get(1)).map(PoolInfo::scheduler).orElse("?"));
                }
                case "watchdog" -> {
                    if (a.size() == 1) {
                        for (PoolInfo p : hv.pools()) out.println(watchdogLine(p));
                    } else {
                        PoolInfo p = pool(a.get(1), err);
                        if (p == null) return 3;
                        if (a.size() == 3) {
                            long ms;
                            try {
                                ms = a.get(2).equals("off") ? 0 : Long.parseLong(a.get(2));
                            } catch (NumberFormatException e) {
                                err.println("hv watchdog: '" + a.get(2) + "' is not a number of milliseconds or 'off'");
                                return 2;
                            }
                            hv.setWatchdogNs(p.id(), ms * 1_000_000L);
                        } else if (a.size() > 3) {
                            return usage(err);
                        }
                        out.println(watchdogLine(p));
                    }
                }
                case "bounds" -> {
                    if (a.size() == 1) {
                        for (PoolInfo p : hv.pools()) out.println(boundsLine(p));
                        return 0;
                    }
                    PoolInfo p = pool(a.get(1), err);
                    if (p == null) return 3;
                    PoolBounds b = hv.bounds(p.id());
                    long stall = b.stallNs(), hook = b.hookNs(), alloc = b.allocBytes();
                    int rate = b.ratePerCpuMs();
                    for (String kv : a.subList(2, a.size())) {
                        int eq = kv.indexOf('=');
                        String k = eq < 0 ? kv : kv.substring(0, eq), v = eq < 0 ? "" : kv.substring(eq + 1);
                        long n;
                        try {
                            n = v.equals("off") ? 0 : Long.parseLong(v);
                            if (n < 0 || n > Integer.MAX_VALUE) throw new NumberFormatException();
                        } catch (NumberFormatException e) {
                            err.println("hv bounds: '" + kv + "': expected stall=<ms>, hook=<ms>, alloc=<MiB> or rate=<n>, each a number from 0 or 'off'");
                            return 2;
                        }
                        switch (k) {
                            case "stall" -> stall = n * 1_000_000L;
                            case "hook" -> hook = n * 1_000_000L;
                            case "alloc" -> alloc = n << 20;
                            case "rate" -> rate = (int) n;
                            default -> {
                                err.println("hv bounds: unknown bound '" + k + "' (stall, hook, alloc, rate)");
                                return 2;
                            }
                        }
                    }
                    if (a.size() > 2) hv.setBounds(p.id(), new PoolBounds(stall, hook, alloc, rate));
                    out.println(boundsLine(p));
                }
                case "schedulers" -> hv.schedulers().forEach(out::println);
                case "reports" -> {
                    if (a.size() != 2) return usage(err);
                    Integer d = XlCommand.findDomain(hv, a.get(1), err);
                    if (d == null) return 2;
                    XlCommand x = xl;
                    String guest = ReportKeys.guestOf(x == null ? null : x.kernelOf(d));
                    // each key with what it is and the unit of last..max; count is how many reports came
                    out.println(String.format(Locale.ROOT, "%4s %-15s %-7s %10s %14s %14s %14s %14s %14s %14s", "key", "name", "unit", "count", "last", "min", "mean",
                            "p50", "p99", "max"));
                    for (var r : hv.guestReports(d)) {
                        ReportKeys.Key k = ReportKeys.of(guest, r.key());
                        out.println(String.format(Locale.ROOT, "%4d %-15s %-7s %10d %14d %14d %14.1f %14d %14d %14d", r.key(), k.name(), k.unit(), r.count(), r.last(),
                                r.min(), r.mean(), r.p50(), r.p99(), r.max()));
                    }
                }
                case "sched-dump" -> hv.dumpSchedulers().forEach(out::print);
                case "xen-access" -> {
                    return new XenAccess(hv, memAccess).run(a.subList(1, a.size()), in, out, err);
                }
                case "p2m" -> {
                    if (a.size() != 2) return usage(err);
                    Integer d = XlCommand.findDomain(hv, a.get(1), err);
                    if (d == null) return 2;
                    String name = hv.domain(d).map(i -> i.name()).orElse("?");
                    P2mReport.print(d, name, hv.p2m(d).counts(), hv.p2m(d).maxPages(), out);
                }
                default -> {
                    return usage(err);
                }
            }
        } catch (HypervisorException e) {
            err.println("hv: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private String boundsLine(PoolInfo p) {
        PoolBounds b = hv.bounds(p.id());
        return "cpupool " + p.name() + ": stall " + (b.stallNs() == 0 ? "off" : b.stallNs() / 1_000_000 + " ms") + ", hook "
                + (b.hookNs() == 0 ? "off" : b.hookNs() / 1_000_000 + " ms") + ", alloc " + (b.allocBytes() == 0 ? "off" : (b.allocBytes() >> 20) + " MiB")
                + ", rate " + (b.ratePerCpuMs() == 0 ? "off" : b.ratePerCpuMs() + " per pCPU per ms");
    }

    private String watchdogLine(PoolInfo p) {
        long ns = hv.watchdogNs(p.id());
        return "cpupool " + p.name() + ": watchdog " + (ns == 0 ? "off" : ns / 1_000_000 + " ms");
    }

    private PoolInfo pool(String p, PrintStream err) {
        PoolInfo info = hv.findPool(p).orElse(null);
        if (info == null) err.println("unknown cpupool '" + p + "'");
        return info;
    }

    private static int usage(PrintStream err) {
        err.println(USAGE);
        return 2;
    }
}
