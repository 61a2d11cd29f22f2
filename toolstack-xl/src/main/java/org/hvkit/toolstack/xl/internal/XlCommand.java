package org.hvkit.toolstack.xl.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.domain.VcpuInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.PoolInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code xl} command, as typed on a Xen host: {@code xl list}, {@code xl create web.cfg}...
 * Output and error messages follow Xen 4.2's xl; a failing subcommand prints xl's message on
 * stderr and ends with {@link XlExitException} carrying xl's exit status.
 */
@Component(service = XlCommand.class, immediate = true, property = {"osgi.command.scope=hvkit", "osgi.command.function=xl"})
public final class XlCommand {
    private final Hypervisor hv;

    @Activate
    public XlCommand(@Reference Hypervisor hv) {
        this.hv = hv;
    }

    /** Entry point from Gogo: every word after {@code xl}. */
    public void xl(String... args) {
        PrintStream out = System.out, err = System.err;
        int status = run(Arrays.asList(args), out, err);
        out.flush();
        err.flush();
        if (status != 0) throw new XlExitException(status);
    }

    /** Runs one xl command line; returns xl's exit status. */
    int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>(args);
        while (!a.isEmpty() && a.get(0).startsWith("-") && a.get(0).length() > 1) {
            String g = a.remove(0);
            if (!g.matches("-[vfN]+")) {
                err.println("xl: invalid option -- '" + g.substring(1) + "'");
                usage(err);
                return 2;
            }
        }
        if (a.isEmpty()) {
            usage(err);
            return 2;
        }
        String cmd = a.remove(0);
        try {
            return switch (cmd) {
                case "create" -> create(a, out, err);
                case "list" -> list(a, out, err);
                case "info" -> info(out);
                case "vcpu-list" -> vcpuList(a, out, err);
                case "destroy" -> oneDomain(a, err, "destroy", d -> {
                    if (d == 0) {
                        err.println("Cannot destroy privileged domain 0.");
                        err.println();
                        return 255;
                    }
                    hv.destroyDomain(d);
                    return 0;
                });
                case "pause" -> oneDomain(a, err, "pause", d -> {
                    hv.pauseDomain(d);
                    return 0;
                });
                case "unpause" -> oneDomain(a, err, "unpause", d -> {
                    hv.unpauseDomain(d);
                    return 0;
                });
                case "shutdown" -> oneDomain(a, err, "shutdown", d -> {
                    hv.shutdownDomain(d, ShutdownReason.POWEROFF);
                    return 0;
                });
                case "dmesg" -> dmesg(a, out, err);
                case "console" -> Console.run(hv, a, System.in, out, err);
                case "sched-credit" -> SchedCredit.run(hv, a, out, err);
                case "cpupool-create", "cpupool-list", "cpupool-destroy", "cpupool-rename", "cpupool-cpu-add", "cpupool-cpu-remove",
                        "cpupool-migrate", "cpupool-numa-split" -> new Cpupool(hv, out, err).run(cmd, a);
                case "help" -> help(a, out, err);
                default -> {
                    err.println("command not implemented");
                    yield 1;
                }
            };
        } catch (HypervisorException e) {
            err.println("libxl: error: " + e.getMessage());
            return 1;
        }
    }

    private interface DomainAction {
        int apply(int domid);
    }

    /** Resolves a domain name or id like xl's find_domain: unknown ones end the command with status 2. */
    static Integer findDomain(Hypervisor hv, String p, PrintStream err) {
        var d = hv.findDomain(p);
        if (d.isEmpty()) {
            err.println(p + " is an invalid domain identifier (rc=-6)");
            return null;
        }
        return d.get().id();
    }

    private int oneDomain(List<String> a, PrintStream err, String cmd, DomainAction action) {
        if (a.size() != 1) {
            help(List.of(cmd), System.out, err);
            return 2;
        }
        Integer d = findDomain(hv, a.get(0), err);
        return d == null ? 2 : action.apply(d);
    }

    private int create(List<String> a, PrintStream out, PrintStream err) {
        boolean paused = false, quiet = false;
        String file = null;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if (s.equals("-p")) paused = true;
            else if (s.equals("-f") && i + 1 < a.size()) file = a.get(++i);
            else if (s.equals("-q") || s.equals("--quiet")) quiet = true;
            else if (s.equals("-c") || s.equals("-e")) continue;
            else if (s.startsWith("-")) {
                err.println("xl create: unsupported option " + s);
                return 2;
            } else if (s.contains("=")) extra.add(s);
            else if (file == null) file = s;
            else {
                err.println("xl create: unexpected argument " + s);
                return 2;
            }
        }
        if (file == null) {
            help(List.of("create"), out, err);
            return 2;
        }
        Path path = Path.of(System.getProperty("user.dir")).resolve(file);
        if (!quiet) err.println("Parsing config from " + file);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("Failed to read config file: " + file + ": " + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory" : e.getMessage()));
            return 1;
        }
        StringBuilder all = new StringBuilder(text);
        if (!text.endsWith("\n")) all.append('\n');
        for (String kv : extra) all.append(CommandLineVars.toCfgLine(kv)).append('\n');
        DomainConfig cfg;
        try {
            XlCfg parsed = XlCfgParser.parse(file, all.toString());
            ConfigMapper mapper = new ConfigMapper(parsed, hv.physInfo().topology());
            cfg = mapper.map(paused);
            mapper.warnings.forEach(err::println);
        } catch (XlCfgParser.ParseException e) {
            err.println(e.getMessage());
            if (e.python) {
                err.println("warning: Config file looks like it contains Python code.");
                err.println("warning:  Arbitrary Python is no longer supported.");
                err.println("warning:  See http://wiki.xen.org/wiki/PythonInXlConfig");
            }
            err.println("Failed to parse config: Invalid argument");
            return 1;
        } catch (ConfigMapper.ConfigException e) {
            err.println(e.getMessage());
            return 1;
        }
        try {
            hv.createDomain(cfg);
        } catch (HypervisorException e) {
            err.println("libxl: error: " + e.getMessage());
            return 3;
        }
        return 0;
    }

    private int list(List<String> a, PrintStream out, PrintStream err) {
        List<String> doms = new ArrayList<>();
        boolean verbose = false;
        for (String s : a) {
            if (s.equals("-v") || s.equals("--verbose")) {
                verbose = true;
                continue;
            }
            if (s.equals("-l")) continue;
            if (s.startsWith("-")) {
                err.println("xl list: unsupported option " + s);
                return 2;
            }
            doms.add(s);
        }
        List<DomainInfo> ds;
        if (doms.isEmpty()) {
            ds = hv.listDomains();
        } else {
            ds = new ArrayList<>();
            for (String p : doms) {
                Integer d = findDomain(hv, p, err);
                if (d == null) return 2;
                hv.domain(d).ifPresent(ds::add);
            }
        }
        out.println(verbose ? Formats.LIST_HEADER_VERBOSE : Formats.LIST_HEADER);
        for (DomainInfo d : ds) out.println(verbose ? Formats.listRowVerbose(d) : Formats.listRow(d));
        return 0;
    }

    private int vcpuList(List<String> a, PrintStream out, PrintStream err) {
        List<Integer> ids = new ArrayList<>();
        if (a.isEmpty()) {
            for (DomainInfo d : hv.listDomains()) ids.add(d.id());
        } else {
            for (String p : a) {
                Integer d = findDomain(hv, p, err);
                if (d == null) return 2;
                ids.add(d);
            }
        }
        int nr = hv.physInfo().topology().nrCpus();
        out.println(Formats.VCPU_HEADER);
        for (int d : ids) for (VcpuInfo v : hv.vcpus(d)) out.println(Formats.vcpuRow(v, nr));
        return 0;
    }

    private int info(PrintStream out) {
        Map<String, String> host = new LinkedHashMap<>();
        String h;
        try {
            h = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "localhost";
        }
        host.put("host", h);
        host.put("release", System.getProperty("os.version"));
        host.put("version", System.getProperty("os.name") + " (Java " + Runtime.version() + ")");
        host.put("machine", System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"));
        host.put("user", System.getProperty("user.name"));
        for (String line : Formats.info(hv.physInfo(), host)) out.println(line);
        return 0;
    }

    private int dmesg(List<String> a, PrintStream out, PrintStream err) {
        boolean clear = false;
        for (String s : a) {
            if (s.equals("-c") || s.equals("--clear")) clear = true;
            else {
                help(List.of("dmesg"), out, err);
                return 2;
            }
        }
        for (String line : hv.readConsole(clear)) out.println(line);
        return 0;
    }

    private static final String[][] COMMANDS = {
        {"create", "Create a domain from config file <filename>", "<ConfigFile> [options] [vars]",
            "-p                     Leave the domain paused after it is created.\n-f FILE, --defconfig=FILE\n                       Use the given configuration file."},
        {"list", "List information about all/some domains", "[options] [Domain]", "-l, --long              Output all VM details\n-v, --verbose           Prints out UUIDs and security context"},
        {"destroy", "Terminate a domain immediately", "<Domain>", ""},
        {"shutdown", "Issue a shutdown signal to a domain", "<Domain>", ""},
        {"pause", "Pause execution of a domain", "<Domain>", ""},
        {"unpause", "Unpause a paused domain", "<Domain>", ""},
        {"vcpu-list", "List the VCPUs for all/some domains", "[Domain, ...]", ""},
        {"info", "Get information about Xen host", "", ""},
        {"console", "Attach to domain's console", "[options] <Domain>\n-t <type>       console type, pv or serial\n-n <number>     console number", ""},
        {"dmesg", "Read and/or clear dmesg buffer", "[-c]", "  -c                        Clear dmesg buffer as well as printing it"},
        {"sched-credit", "Get/set credit scheduler parameters", "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s [-t TSLICE] [-r RATELIMIT]] [-p CPUPOOL]",
            "-d DOMAIN, --domain=DOMAIN        Domain to modify\n-w WEIGHT, --weight=WEIGHT        Weight (int)\n-c CAP, --cap=CAP                 Cap (int)\n"
                + "-s         --schedparam           Query / modify scheduler parameters\n-t TSLICE, --tslice_ms=TSLICE     Set the timeslice, in milliseconds\n"
                + "-r RLIMIT, --ratelimit_us=RLIMIT   Set the scheduling rate limit, in microseconds\n-p CPUPOOL, --cpupool=CPUPOOL      Restrict output to CPUPOOL"},
        {"cpupool-create", "Create a CPU pool based an ConfigFile", "[options] <ConfigFile> [vars]",
            "-f FILE, --defconfig=FILE     Use the given configuration file\n-n, --dryrun                  Dry run - prints the resulting configuration"},
        {"cpupool-list", "List CPU pools on host", "[-c|--cpus] [<CPU Pool>]", "-c, --cpus                     Output list of CPUs used by a pool"},
        {"cpupool-destroy", "Deactivates a CPU pool", "<CPU Pool>", ""},
        {"cpupool-rename", "Renames a CPU pool", "<CPU Pool> <new name>", ""},
        {"cpupool-cpu-add", "Adds a CPU to a CPU pool", "<CPU Pool> <CPU nr>|node:<node nr>", ""},
        {"cpupool-cpu-remove", "Removes a CPU from a CPU pool", "<CPU Pool> <CPU nr>|node:<node nr>", ""},
        {"cpupool-migrate", "Moves a domain into a CPU pool", "<Domain> <CPU Pool>", ""},
        {"cpupool-numa-split", "Splits up the machine into one CPU pool per NUMA node", "", ""},
    };

    private static void usage(PrintStream s) {
        s.println("Usage xl [-vfN] <subcommand> [args]");
        s.println();
        s.println("xl full list of subcommands:");
        s.println();
        for (String[] c : COMMANDS) {
            if (c[0].length() >= 19) s.println(" " + c[0] + "\n" + " ".repeat(20) + c[1]);
            else s.println(String.format(" %-19s%s", c[0], c[1]));
        }
        s.println();
    }

    private int help(List<String> a, PrintStream out, PrintStream err) {
        if (a.isEmpty()) {
            usage(out);
            return 0;
        }
        for (String[] c : COMMANDS) {
            if (c[0].equals(a.get(0))) {
                out.println("Usage: xl [-v] " + c[0] + " " + c[2]);
                out.println();
                out.println(c[1] + ".");
                out.println();
                if (!c[3].isEmpty()) {
                    out.println("Options:");
                    out.println();
                    out.println(c[3]);
                }
                return 0;
            }
        }
        err.println("command " + a.get(0) + " not implemented");
        return 2;
    }

    /** The pools that run a scheduler, in id order. */
    static List<PoolInfo> poolsOn(Hypervisor hv, String sched) {
        return hv.pools().stream().filter(p -> p.scheduler().equals(sched)).toList();
    }
}
