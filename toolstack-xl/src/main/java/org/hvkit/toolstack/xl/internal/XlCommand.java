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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.domain.VcpuInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.PoolInfo;
import org.hvkit.api.xsm.Xsm;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code xl} command, as typed on a Xen host: {@code xl list}, {@code xl create web.cfg}...
 * Output and error messages follow Xen 4.2's xl; a failing subcommand prints xl's message on
 * stderr; its exit status leaves Gogo as {@link GogoStatus} says.
 */
@Component(service = XlCommand.class, immediate = true, property = {"osgi.command.scope=hvkit", "osgi.command.function=xl"})
public final class XlCommand {
    private final Hypervisor hv;
    /** The core's security control (getenforce, setenforce, loadpolicy, list -Z); null where the core offers none. */
    private final Xsm xsm;

    @Activate
    public XlCommand(@Reference Hypervisor hv, @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL) Xsm xsm) {
        this.hv = hv;
        this.xsm = xsm;
    }

    /** The guest slot of each assigned device, per domain (xl pci-list's Vdev). */
    private final Map<Integer, Map<org.hvkit.api.pci.PciAddress, Integer>> pciSlots = new java.util.concurrent.ConcurrentHashMap<>();

    /** Device assignment (the core's), when the distribution has it. */
    private volatile org.hvkit.api.pci.PciAssignment pci;

    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    public void setPciAssignment(org.hvkit.api.pci.PciAssignment p) {
        pci = p;
    }

    public void unsetPciAssignment(org.hvkit.api.pci.PciAssignment p) {
        if (pci == p) pci = null;
    }

    /** For tests: the core (which is both) without a framework. */
    public XlCommand(Hypervisor hv) {
        this(hv, hv instanceof Xsm x ? x : null);
    }

    /** Entry point from Gogo (which passes its session first): every word after {@code xl}. */
    public void xl(CommandSession session, String... args) {
        PrintStream out = System.out, err = System.err;
        int status = run(Arrays.asList(args), out, err);
        out.flush();
        err.flush();
        GogoStatus.end(session, status);
    }

    /** Runs one xl command line; returns xl's exit status. Relative paths resolve against user.dir. */
    int run(List<String> args, PrintStream out, PrintStream err) {
        return run(System.getProperty("user.dir"), args, out, err);
    }

    /**
     * Runs one xl command line as a client in directory {@code cwd} typed it (the standalone
     * client's entry point); returns xl's exit status.
     */
    public int run(String cwd, List<String> args, PrintStream out, PrintStream err) {
        return run(cwd, args, System.in, out, err);
    }

    /** As {@link #run(String, List, PrintStream, PrintStream)}, with the keys the user types coming from {@code in}. */
    public int run(String cwd, List<String> args, java.io.InputStream in, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>(args);
        Ctx ctx = new Ctx(cwd == null ? System.getProperty("user.dir") : cwd, in, out, err);
        while (!a.isEmpty() && a.get(0).startsWith("-") && a.get(0).length() > 1) {
            String g = a.remove(0);
            if (g.equals("--")) break; // getopt: the end of the global options
            if (!g.matches("-[vfN]+")) {
                // getopt("+vfN") names the first bad character, then xl.c gives up with status 2
                char bad = g.substring(1).replaceAll("^[vfN]*", "").charAt(0);
                err.println("xl: invalid option -- '" + bad + "'");
                err.println("unknown global option");
                return 2;
            }
            if (g.contains("v")) ctx.verbose = true;
            if (g.contains("N")) ctx.dryRun = true;
            if (g.contains("f")) ctx.force = true;
        }
        if (a.isEmpty()) { // xl.c: help(NULL), exit(1)
            usage(out);
            return 1;
        }
        String cmd = a.remove(0);
        String[] entry = lookup(cmd);
        if (entry != null) cmd = entry[0]; // "xl li" is list
        if (ctx.dryRun && entry != null && !DRY_RUN.contains(cmd)) {
            err.println("command does not implement -N (dryrun) option");
            return 1;
        }
        if (entry != null) {
            a = new ArrayList<>(LongOpts.resolve(cmd, a)); // --wei=256 is -w 256, as getopt_long returns it
            DefGetopt.Result pre = DefGetopt.check(cmd, a);
            pre.warnings().forEach(err::println);
            a = new ArrayList<>(pre.args());
            switch (pre.verdict()) {
                case HELP -> {
                    help(List.of(DefGetopt.helpName(cmd)), out, err);
                    return cmd.equals("restore") ? 2 : 0; // main_restore's case 'h' alone returns 2 in 4.2
                }
                case TOO_FEW -> {
                    err.print(DefGetopt.tooFew(cmd));
                    help(List.of(cmd), out, err);
                    return 2;
                }
                case RUN -> { }
            }
        }
        try {
            return switch (cmd) {
                case "create" -> create(a, ctx);
                case "list" -> list(a, out, err);
                case "info" -> info(a, out, err);
                case "vcpu-list" -> vcpuList(a, out, err);
                case "destroy" -> oneDomain(a, ctx, "destroy", d -> {
                    if (d == 0) {
                        err.println("Cannot destroy privileged domain 0.");
                        err.println();
                        return 255;
                    }
                    try {
                        hv.destroyDomain(d);
                    } catch (HypervisorException e) {
                        boolean gone = e.errno() == HypervisorException.Errno.ESRCH || e.errno() == HypervisorException.Errno.ENOENT;
                        err.println(LibxlLog.error(gone ? LibxlLog.DESTROY_NO_DOMAIN : LibxlLog.DESTROY_PAUSE, e.getMessage()));
                        err.println("destroy failed (rc=-3)"); // ERROR_FAIL, then exit(-1)
                        return 255;
                    }
                    saved.remove(d);
                    return 0;
                });
                // 4.2's pause_domain/unpause_domain ignore libxl's result: libxl's message, status 0
                case "pause" -> oneDomain(a, ctx, "pause", d -> libxlOnly(() -> hv.pauseDomain(d), LibxlLog.DOMAIN_PAUSE, err));
                case "unpause" -> oneDomain(a, ctx, "unpause", d -> libxlOnly(() -> hv.unpauseDomain(d), LibxlLog.DOMAIN_UNPAUSE, err));
                case "shutdown" -> shutdown(a, ctx, ShutdownReason.POWEROFF, "shutdown");
                case "reboot" -> shutdown(a, ctx, ShutdownReason.REBOOT, "reboot");
                case "dmesg" -> dmesg(a, out, err);
                case "sched-credit" -> SchedCredit.run(hv, a, out, err);
                case "sched-credit2" -> SchedCredit2.run(hv, a, out, err);
                case "sched-sedf" -> SchedSedf.run(hv, a, out, err);
                case "cpupool-create", "cpupool-list", "cpupool-destroy", "cpupool-rename", "cpupool-cpu-add", "cpupool-cpu-remove",
                        "cpupool-migrate", "cpupool-numa-split" -> new Cpupool(hv, out, err).run(cmd, a);
                case "domid" -> domid(a, ctx);
                case "domname" -> domname(a, ctx);
                case "vm-list" -> vmList(a, ctx);
                case "uptime" -> uptime(a, ctx);
                case "vcpu-pin" -> vcpuPin(a, ctx);
                case "console" -> console(a, ctx);
                case "top" -> Top.run(hv, a, ctx.in, out, err);
                case "block-attach" -> blockAttach(a, ctx);
                case "network-attach" -> networkAttach(a, ctx);
                case "block-list" -> deviceList(a, ctx, "block-list",
                        String.format(Locale.ROOT, "%-5s %-3s %-6s %-5s %-6s %-8s %-30s", "Vdev", "BE", "handle", "state", "evt-ch", "ring-ref", "BE-path"));
                case "network-list" -> deviceList(a, ctx, "network-list",
                        String.format(Locale.ROOT, "%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s", "Idx", "BE", "Mac Addr.", "handle", "state", "evt-ch",
                                "tx-", "rx-ring-ref", "BE-path"));
                case "pci-list", "pci-assignable-list", "pci-attach", "pci-detach", "pci-assignable-add", "pci-assignable-remove" ->
                        new PciCommands(hv, pci, pciSlots, out, err, c -> help(List.of(c), out, err)).run(cmd, a);
                case "mem-max", "mem-set" -> memSet(cmd, a, ctx);
                case "vcpu-set" -> LiveCommands.vcpuSet(hv, a, err);
                case "rename" -> LiveCommands.rename(hv, a, err);
                case "save" -> {
                    int st = SaveCommands.save(hv, ctx.cwd, a, err);
                    if (st == SaveCommands.NO_CONFIG) yield 2;
                    if (st == 2 && a.size() != 2 && a.size() != 3) help(List.of("save"), out, err);
                    yield st;
                }
                case "restore" -> {
                    int st = SaveCommands.restore(hv, ctx.cwd, a, out, err);
                    if (st == 2) help(List.of("restore"), out, err);
                    yield st;
                }
                case "migrate" -> {
                    int st = MigrateCommands.migrate(hv, ctx.cwd, a, err);
                    if (st == MigrateCommands.NO_CONFIG) yield 2;
                    if (st == 2) help(List.of("migrate"), out, err);
                    yield st;
                }
                case "migrate-receive" -> {
                    int st = MigrateCommands.receive(hv, a, ctx.in, out, err);
                    if (st == 2) help(List.of("migrate-receive"), out, err);
                    yield st;
                }
                case "help" -> help(a, out, err);
                case "getenforce" -> Flask.getenforce(xsm, out, err);
                case "setenforce" -> Flask.setenforce(xsm, a, ctx);
                case "loadpolicy" -> Flask.loadpolicy(xsm, a, ctx);
                default -> {
                    if (entry != null) yield notSupported(cmd, err);
                    err.println("command not implemented");
                    yield 1;
                }
            };
        } catch (HypervisorException e) { // a refusal no command catches itself
            err.println(LibxlLog.error(cmd.equals("vcpu-pin") ? LibxlLog.VCPU_AFFINITY : LibxlLog.DOMAIN_INFO, e.getMessage()));
            return 1;
        }
    }

    /** Per-invocation state: where the client is, and the global options. */
    static final class Ctx {
        final String cwd;
        final PrintStream out, err;
        /** What the user types while a command runs (xl console, xl top). */
        final java.io.InputStream in;
        boolean verbose, dryRun, force;

        Ctx(String cwd, java.io.InputStream in, PrintStream out, PrintStream err) {
            this.cwd = cwd;
            this.in = in;
            this.out = out;
            this.err = err;
        }
    }

    /** Commands of the 4.2 table whose -N dry run xl supports. */
    private static final java.util.Set<String> DRY_RUN = java.util.Set.of("create", "config-update", "cd-insert", "cd-eject", "block-attach",
            "network-attach", "vcpu-pin");

    /** A command of xl's table whose capability hvkit does not have yet: said plainly, xl's status 1. */
    static int notSupported(String cmd, PrintStream err) {
        err.println("xl: " + cmd + ": not supported by hvkit yet");
        return 1;
    }

    /**
     * getopt_long's view of an option word of a command that notes what it does not know: each
     * character not in {@code known} is xl's {@code option `x' not supported.}; true when one of
     * {@code known} is among them (an unknown long option is taken whole).
     */
    static boolean unsupported(String word, String known, PrintStream err) {
        if (word.startsWith("--")) { // a long option getopt_long refused (LongOpts): its optopt, NUL for an unknown name
            err.println("option `" + LongOpts.optopt(word) + "' not supported.");
            return false;
        }
        boolean any = false;
        for (char c : word.substring(1).toCharArray()) {
            if (known.indexOf(c) >= 0) any = true;
            else err.println("option `" + c + "' not supported.");
        }
        return any;
    }

    /** The configurations of the domains this toolstack created, as xl keeps them for list -l. */
    private final java.util.concurrent.ConcurrentMap<Integer, Map<String, Object>> saved = new java.util.concurrent.ConcurrentHashMap<>();

    /** The kernel= of a domain this toolstack created, or null (for hv reports' key names). */
    String kernelOf(int domid) {
        Map<String, Object> c = saved.get(domid);
        Object b = c == null ? null : c.get("b_info");
        Object p = b instanceof Map<?, ?> bm ? bm.get("platform_options") : null;
        return p instanceof Map<?, ?> pm && pm.get("kernel") instanceof String k ? k : null;
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

    /** A libxl call whose failure xl only shows (libxl's log line), status 0. */
    private static int libxlOnly(Runnable call, LibxlLog.Site at, PrintStream err) {
        try {
            call.run();
        } catch (HypervisorException e) {
            err.println(LibxlLog.error(at, e.getMessage()));
        }
        return 0;
    }

    /** destroy, pause, unpause: def_getopt(.., 1) made sure of the domain; further operands are not read, as in 4.2. */
    private int oneDomain(List<String> a, Ctx ctx, String cmd, DomainAction action) {
        if (a.isEmpty()) {
            help(List.of(cmd), ctx.out, ctx.err);
            return 2;
        }
        Integer d = findDomain(hv, a.get(0), ctx.err);
        return d == null ? 2 : action.apply(d);
    }

    private int create(List<String> a, Ctx ctx) {
        PrintStream out = ctx.out, err = ctx.err;
        boolean paused = false, quiet = false, console = false, dry = ctx.dryRun;
        String file = null;
        List<String> extra = new ArrayList<>();
        // main_create's getopt_long("Fhnqf:pcdeVA"): an unknown option is noted and skipped
        boolean options = true;
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if (options && s.equals("--")) options = false; // getopt's end of options: operands only
            else if (!options) {
                if (s.contains("=")) extra.add(s);
                else if (file == null) file = s;
                else { // a second config file
                    help(List.of("create"), out, err);
                    return 2;
                }
            } else if (s.equals("-p")) paused = true;
            else if (s.equals("-f") && i + 1 < a.size()) file = a.get(++i); // --defconfig is -f by now (LongOpts)
            else if (s.equals("-q")) quiet = true;
            else if (s.equals("-n")) dry = true;
            else if (s.equals("-c")) console = true;
            else if (s.equals("-e") || s.equals("-d") || s.equals("-V") || s.equals("-A") || s.equals("-F")) continue;
            else if (s.equals("-h")) {
                help(List.of("create"), out, err);
                return 0;
            } else if (s.startsWith("--")) unsupported(s, "", err); // a long option getopt_long refused
            else if (s.startsWith("-") && s.length() > 1 && !s.contains("=")) {
                for (char c : s.substring(1).toCharArray()) {
                    if (c == 'p') paused = true;
                    else if (c == 'q') quiet = true;
                    else if (c == 'n') dry = true;
                    else if (c == 'c') console = true;
                    else if ("edVAF".indexOf(c) < 0) err.println("option `" + c + "' not supported.");
                }
            } else if (s.contains("=")) extra.add(s);
            else if (file == null) file = s;
            else { // a second config file
                help(List.of("create"), out, err);
                return 2;
            }
        }
        if (file == null) { // create_domain: ERROR_INVAL, so status 6
            err.println("Config file not specified and none in save file");
            return 6;
        }
        String text;
        try { // read before "Parsing config", which 4.2 prints on stdout; /dev/null is its empty config
            text = file.equals("/dev/null") ? "" : ConfigFile.read(ctx.cwd, file);
        } catch (IOException e) {
            err.println("Failed to read config file: " + file + ": " + e.getMessage());
            return 3; // ERROR_FAIL
        }
        if (!quiet) out.println("Parsing config from " + file);
        StringBuilder all = new StringBuilder(text);
        if (!text.endsWith("\n")) all.append('\n');
        for (String kv : extra) all.append(CommandLineVars.toCfgLine(kv)).append('\n');
        DomainConfig cfg;
        ConfigMapper mapper;
        try {
            XlCfg parsed = XlCfgParser.parse(file, all.toString());
            mapper = new ConfigMapper(parsed, hv.physInfo().topology(), name -> hv.findDomain(name).map(DomainInfo::id).orElse(null));
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
        if (cfg.pool() != null && hv.findPool(cfg.pool()).isEmpty()) { // cpupool_qualifier_to_cpupoolid, then exit(1)
            err.println("Illegal pool specified");
            return 1;
        }
        if (cfg.seclabel() != null && !dry && (xsm == null || xsm.mode() == Xsm.Mode.DISABLED)) {
            err.println("XSM Disabled: seclabel not supported"); // as 4.2: said, and the domain is created unlabelled
            cfg = Flask.withoutLabel(cfg);
        }
        if (dry) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("domid", null);
            o.put("config", mapper.toJson(cfg, null));
            out.println(Json.write(o));
            return 0;
        }
        DomainInfo created;
        try {
            DomainConfig placed = NumaPlacement.apply(hv, cfg, ctx.verbose, err);
            created = hv.createDomain(placed);
        } catch (HypervisorException e) {
            if (e.errno() == HypervisorException.Errno.EINVAL && e.getMessage().startsWith("Invalid seclabel: ")) {
                err.println(e.getMessage()); // xl's own words, then exit(1)
                return 1;
            }
            err.println(e.getMessage().endsWith(" already exists.") ? LiveCommands.renameLine(e) : LibxlLog.error(LibxlLog.DOMAIN_MAKE, e.getMessage()));
            return 3;
        }
        pciSlots.remove(created.id()); // a new domain with a reused id
        if (!mapper.pcidevs.isEmpty()) {
            PciCommands pc = new PciCommands(hv, pci, pciSlots, out, err, c -> help(List.of(c), out, err));
            for (PciSpec p : mapper.pcidevs) {
                if (!pc.attachOne(created.id(), new org.hvkit.api.pci.PciAddress(p.domain(), p.bus(), p.dev(), p.func()), -1)) {
                    err.println("libxl: error: libxl_create.c:1100:domcreate_attach_pci: libxl_device_pci_add failed: " + p.bdf());
                    hv.destroyDomain(created.id()); // 4.2: a domain whose pci= devices cannot be added is not created
                    return 3;
                }
            }
            if (!paused) hv.unpauseDomain(created.id()); // created paused by the mapper: devices first, then its vCPUs, as libxl does
        }
        saved.put(created.id(), mapper.toJson(cfg, created));
        if (console) return console(List.of(Integer.toString(created.id())), ctx);
        return 0;
    }

    private int list(List<String> a, PrintStream out, PrintStream err) {
        List<String> doms = new ArrayList<>();
        boolean verbose = false, details = false, context = false, options = true;
        for (String s : a) {
            if (!options) doms.add(s);
            else if (s.equals("--")) options = false; // getopt's end of options
            else if (s.equals("-v")) verbose = true; // the long options are their letters by now (LongOpts)
            else if (s.equals("-l")) details = true;
            else if (s.equals("-Z")) context = true;
            else if (s.startsWith("-") && s.length() > 1) { // getopt_long("lvhZ"): an unknown one is noted, the command runs on
                if (!s.startsWith("--")) {
                    details |= s.indexOf('l') > 0;
                    verbose |= s.indexOf('v') > 0;
                    context |= s.indexOf('Z') > 0;
                }
                unsupported(s, "lvZ", err);
            } else doms.add(s);
        }
        if (doms.size() > 1) {
            help(List.of("list"), out, err);
            return 2;
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
        if (details) {
            // as xl 4.2: Domain-0 and domains without a saved configuration are skipped
            List<Object> arr = new ArrayList<>();
            for (DomainInfo d : ds) {
                Map<String, Object> c = saved.get(d.id());
                if (d.id() == 0 || c == null) continue;
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("domid", d.id());
                o.put("config", c);
                arr.add(o);
            }
            out.println(Json.write(arr));
            return 0;
        }
        out.println(verbose ? Formats.LIST_HEADER_VERBOSE : context ? Formats.LIST_HEADER_CONTEXT : Formats.LIST_HEADER);
        for (DomainInfo d : ds) {
            String label = verbose || context ? Flask.label(xsm, d.id()) : null;
            out.println(verbose ? Formats.listRowVerbose(d, label) : context ? Formats.listRow(d) + Formats.labelColumn(label) : Formats.listRow(d));
        }
        return 0;
    }

    private int shutdown(List<String> a, Ctx ctx, ShutdownReason reason, String cmd) {
        boolean wait = false;
        List<String> rest = new ArrayList<>();
        boolean options = true;
        for (String s : a) {
            // shutdown's getopt_long("wF") skips what it does not know silently (-h, a refused long option too);
            // reboot's def_getopt("F") took those out. -F: no PV drivers to fall back from, the signal always reaches the guest
            if (options && s.equals("--")) options = false;
            else if (options && s.startsWith("-") && s.length() > 1) wait |= reason == ShutdownReason.POWEROFF && !s.startsWith("--") && s.indexOf('w') > 0;
            else rest.add(s);
        }
        if (rest.isEmpty()) { // 4.2 passes NULL to find_domain here and crashes: hvkit shows the help instead
            help(List.of(cmd), ctx.out, ctx.err);
            return 2;
        }
        Integer d = findDomain(hv, rest.get(0), ctx.err);
        if (d == null) return 2;
        String name = hv.domain(d).map(DomainInfo::name).orElse(rest.get(0));
        try {
            hv.shutdownDomain(d, reason);
        } catch (HypervisorException e) {
            ctx.err.println(LibxlLog.error(reason == ShutdownReason.REBOOT ? LibxlLog.DOMAIN_REBOOT : LibxlLog.DOMAIN_SHUTDOWN, e.getMessage()));
            ctx.err.println(cmd + " failed (rc=-3)"); // ERROR_FAIL, then exit(-1)
            return 255;
        }
        if (!wait) return 0;
        while (true) {
            var now = hv.domain(d);
            if (now.isEmpty() || now.get().shutdown() || now.get().dying()) break;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        // 4.2's LOG of the shutdown event: the reason (0, poweroff) in decimal and hex
        ctx.err.println("Domain " + d + " has been shut down, reason code 0 0");
        saved.remove(d);
        return 0;
    }

    private int domid(List<String> a, Ctx ctx) {
        if (a.isEmpty()) { // extra operands are not read, as in 4.2
            help(List.of("domid"), ctx.out, ctx.err);
            return 2;
        }
        var d = hv.listDomains().stream().filter(x -> x.name().equals(a.get(0))).findFirst();
        if (d.isEmpty()) {
            ctx.err.println("Can't get domid of domain name '" + a.get(0) + "', maybe this domain does not exist.");
            return 1;
        }
        ctx.out.println(d.get().id());
        return 0;
    }

    private int domname(List<String> a, Ctx ctx) {
        if (a.isEmpty()) {
            help(List.of("domname"), ctx.out, ctx.err);
            return 2;
        }
        // strtol: the leading number counts ("0x" is 0); no digits at all is xl's "Invalid domain id."
        if (!a.get(0).matches("(?s)\\s*[+-]?[0-9].*")) {
            ctx.err.println("Invalid domain id.");
            ctx.err.println();
            return 1;
        }
        int id = PciSpec.atoi(a.get(0));
        Optional<DomainInfo> d = hv.domain(id);
        if (d.isEmpty()) {
            ctx.err.println("Can't get domain name of domain id '" + id + "', maybe this domain does not exist.");
            return 1;
        }
        ctx.out.println(d.get().name());
        return 0;
    }

    private int vmList(List<String> a, Ctx ctx) {
        // main_vm_list reads no operands
        ctx.out.println("UUID                                  ID    name");
        for (DomainInfo d : hv.listDomains()) {
            if (d.id() == 0) continue;
            ctx.out.println(String.format(Locale.ROOT, "%s  %d    %-40s", d.uuid(), d.id(), d.name()));
        }
        return 0;
    }

    private int uptime(List<String> a, Ctx ctx) {
        boolean brief = false, options = true;
        List<DomainInfo> ds = new ArrayList<>();
        for (String s : a) {
            if (options && (s.equals("-s") || s.equals("--"))) { // "--": DefGetopt's end of options
                brief |= s.equals("-s");
                options = !s.equals("--");
                continue;
            }
            Integer d = findDomain(hv, s, ctx.err);
            if (d == null) return 2;
            hv.domain(d).ifPresent(ds::add);
        }
        if (ds.isEmpty()) ds = hv.listDomains();
        long now = hv.now();
        if (!brief) ctx.out.println(String.format(Locale.ROOT, "%-33s %4s %s", "Name", "ID", "Uptime"));
        String clock = java.time.LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"));
        for (DomainInfo d : ds) {
            long up = Math.max(0, now - d.createdAtNs()) / 1_000_000_000L;
            if (brief) ctx.out.println(" " + clock + " up " + Formats.uptime(up, true) + ", " + d.name() + " (" + d.id() + ")");
            else ctx.out.println(String.format(Locale.ROOT, "%-33s %4d %s", d.name(), d.id(), Formats.uptime(up, false)));
        }
        return 0;
    }

    /**
     * {@code vcpu-pin <Domain> <VCPU|all> <CPUs|all> [<Soft|-|all>]}: a fourth argument (Xen 4.5) sets the soft affinity; {@code -} leaves one unchanged.
     * The three-operand form is 4.2's: the vCPU is read before the domain is found, and a bad
     * vCPU, CPU list or vCPU number is only printed (status 0).
     */
    private int vcpuPin(List<String> a, Ctx ctx) {
        if (a.size() < 3) {
            help(List.of("vcpu-pin"), ctx.out, ctx.err);
            return 2;
        }
        if (a.size() == 3 && !ctx.dryRun) return vcpuPin42(a, ctx);
        var topo = hv.physInfo().topology();
        CpuMask mask, soft = null;
        try {
            mask = a.get(2).equals("-") && a.size() == 4 ? null : topo.parseCpus(a.get(2));
            if (a.size() == 4 && !a.get(3).equals("-")) soft = topo.parseCpus(a.get(3));
        } catch (IllegalArgumentException e) {
            ctx.err.println("Invalid argument: " + e.getMessage());
            return 1;
        }
        int vcpu;
        if (a.get(1).equals("all")) vcpu = -1;
        else {
            try {
                vcpu = Integer.parseInt(a.get(1));
            } catch (NumberFormatException e) {
                ctx.err.println("Invalid vcpu: " + a.get(1));
                return 1;
            }
        }
        if (ctx.dryRun) {
            if (mask != null) ctx.out.println("cpumap: " + mask.toXlAffinity(topo.nrCpus()));
            if (soft != null) ctx.out.println("soft cpumap: " + soft.toXlAffinity(topo.nrCpus()));
            return 0;
        }
        Integer d = findDomain(hv, a.get(0), ctx.err);
        if (d == null) return 2;
        if (vcpu >= 0 && vcpu >= hv.vcpus(d).size()) {
            ctx.err.println(LibxlLog.error(LibxlLog.VCPU_AFFINITY, "Setting vcpu affinity: vcpu " + vcpu + " does not exist")); // hvkit's soft-affinity form
            return 1;
        }
        hv.pinVcpu(d, vcpu, mask, soft);
        return 0;
    }

    /** 4.2's vcpupin(): strtoul's vCPU (or "all"), find_domain, vcpupin_parse, then libxl_set_vcpuaffinity. */
    private int vcpuPin42(List<String> a, Ctx ctx) {
        long vcpu = LiveCommands.leadingNumber(a.get(1));
        if (vcpu < 0 && !a.get(1).equals("all")) {
            ctx.err.println("Error: Invalid argument.");
            return 0;
        }
        Integer d = findDomain(hv, a.get(0), ctx.err);
        if (d == null) return 2;
        CpuMask mask;
        try {
            mask = hv.physInfo().topology().parseCpus(a.get(2));
        } catch (IllegalArgumentException e) {
            ctx.err.println("Error: Invalid argument.");
            return 0;
        }
        int n = hv.vcpus(d).size();
        if (vcpu >= n) {
            ctx.err.println(LibxlLog.error(LibxlLog.VCPU_AFFINITY, "setting vcpu affinity: No such process"));
            ctx.err.println("Could not set affinity for vcpu `" + (vcpu & 0xffffffffL) + "'.");
            return 0;
        }
        hv.pinVcpu(d, (int) vcpu, mask, null); // -1 is every vCPU
        return 0;
    }

    private int console(List<String> a, Ctx ctx) {
        // prints what the guest wrote and follows it until it shuts down or Ctrl-] is typed
        return Console.run(hv, a, ctx.in, ctx.out, ctx.err);
    }

    private int blockAttach(List<String> a, Ctx ctx) {
        if (a.size() < 2) {
            help(List.of("block-attach"), ctx.out, ctx.err);
            return 2;
        }
        var dom = hv.findDomain(a.get(0));
        if (dom.isEmpty()) {
            ctx.err.println(a.get(0) + " is an invalid domain identifier");
            return 1;
        }
        DiskSpec disk;
        try {
            disk = DiskSpec.parse("command line", a.subList(1, a.size()));
        } catch (SpecException e) {
            ctx.err.println(e.getMessage());
            return 255;
        }
        if (ctx.dryRun) {
            ctx.out.println("disk: " + Json.write(disk.toJson()));
            return 0;
        }
        return notSupported("block-attach", ctx.err);
    }

    private int networkAttach(List<String> a, Ctx ctx) {
        if (a.isEmpty()) {
            help(List.of("network-attach"), ctx.out, ctx.err);
            return 2;
        }
        var dom = hv.findDomain(a.get(0));
        if (dom.isEmpty()) {
            ctx.err.println(a.get(0) + " is an invalid domain identifier");
            return 1;
        }
        VifSpec nic;
        try {
            nic = VifSpec.parseArgs(a.subList(1, a.size()), name -> hv.findDomain(name).map(DomainInfo::id).orElse(null), ctx.err);
        } catch (SpecException e) {
            ctx.err.println(e.getMessage());
            return e.getMessage().contains("config parsing error") ? 255 : 1;
        }
        if (ctx.dryRun) {
            ctx.out.println("vif: " + Json.write(nic.toJson()));
            return 0;
        }
        return notSupported("network-attach", ctx.err);
    }

    /** hvkit domains have no virtual devices yet: the listing is the header (none for pci-list, as xl). */
    private int deviceList(List<String> a, Ctx ctx, String cmd, String header) {
        if (a.isEmpty()) {
            help(List.of(cmd), ctx.out, ctx.err);
            return 2;
        }
        if (header != null) ctx.out.println(header);
        for (String p : a) {
            if (hv.findDomain(p).isEmpty()) {
                ctx.err.println(p + " is an invalid domain identifier");
                if (cmd.equals("pci-list")) return 2;
            }
        }
        return 0;
    }

    private int memSet(String cmd, List<String> a, Ctx ctx) {
        if (a.size() < 2) { // a third operand is not read, as in 4.2
            help(List.of(cmd), ctx.out, ctx.err);
            return 2;
        }
        Integer d = findDomain(hv, a.get(0), ctx.err);
        if (d == null) return 2;
        long kb = MemSize.parseKb(a.get(1));
        if (kb < 0) {
            ctx.err.println("invalid memory size: " + a.get(1));
            return 3; // 4.2: exit(3)
        }
        try {
            if (cmd.equals("mem-set")) hv.setMemoryTarget(d, kb);
            else hv.setMaxMemory(d, kb);
        } catch (HypervisorException e) {
            ctx.err.println(LibxlLog.memory(cmd, e.getMessage()));
            if (cmd.equals("mem-max")) {
                ctx.err.println("cannot set domid " + d + " static max memory to : " + a.get(1));
                return 1;
            }
            // 4.2's mem-set ignores libxl_set_memory_target's result: status 0
        }
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

    private int info(List<String> a, PrintStream out, PrintStream err) {
        boolean numa = false;
        for (String s : a) { // main_info reads no operands and notes an unknown option
            if (s.equals("--")) break; // getopt's end of options
            if (s.equals("-n")) numa = true;
            else if (s.startsWith("-") && s.length() > 1) numa |= unsupported(s, "n", err);
        }
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
        for (String line : Formats.info(hv.physInfo(), host, numa ? hv.freeMemoryPerNode() : null)) out.println(line);
        return 0;
    }

    private int dmesg(List<String> a, PrintStream out, PrintStream err) {
        boolean clear = false;
        for (String s : a) if (s.startsWith("-") && s.indexOf('c') > 0) clear = true; // def_getopt("c") took the others out; operands are not read
        for (String line : hv.readConsole(clear)) out.println(line);
        return 0;
    }

    /** xl 4.2's command table (xen.md §5.2): name, dry-run capable and modifying flags, description, usage, options. */
    private static final String[][] COMMANDS = {
        {"create", "11", "Create a domain from config file <filename>", "<ConfigFile> [options] [vars]", "-h                      Print this help.\n-p                      Leave the domain paused after it is created.\n-c                      Connect to the console after the domain is created.\n-f FILE, --defconfig=FILE\n                     Use the given configuration file.\n-q, --quiet             Quiet.\n-n, --dryrun            Dry run - prints the resulting configuration\n                         (deprecated in favour of global -N option).\n-d                      Enable debug messages.\n-e                      Do not wait in the background for the death of the domain.\n-V, --vncviewer         Connect to the VNC display after the domain is created.\n-A, --vncviewer-autopass\n                        Pass VNC password to viewer via stdin."},
        {"config-update", "11", "Update a running domain's saved configuration, used when rebuilding the domain after reboot", "<Domain> <ConfigFile> [options] [vars]", "-h                      Print this help.\n-f FILE, --defconfig=FILE\n                     Use the given configuration file.\n-d                      Enable debug messages.\n"},
        {"list", "00", "List information about all/some domains", "[options] [Domain]\n", "-l, --long              Output all VM details\n-v, --verbose           Prints out UUIDs and security context\n-Z, --context           Prints out security context"},
        {"destroy", "01", "Terminate a domain immediately", "<Domain>", ""},
        {"shutdown", "01", "Issue a shutdown signal to a domain", "[options] <Domain>", "-h                      Print this help.\n-F                      Fallback to ACPI power event for HVM guests with\n                        no PV drivers.\n-w, --wait              Wait for guest to shutdown.\n"},
        {"reboot", "01", "Issue a reboot signal to a domain", "[options] <Domain>", "-h                      Print this help.\n-F                      Fallback to ACPI reset event for HVM guests with\n                        no PV drivers.\n"},
        {"pci-attach", "01", "Insert a new pass-through pci device", "<Domain> <BDF> [Virtual Slot]", ""},
        {"pci-detach", "01", "Remove a domain's pass-through pci device", "<Domain> <BDF>", ""},
        {"pci-list", "00", "List pass-through pci devices for a domain", "<Domain>", ""},
        {"pci-assignable-add", "01", "Make a device assignable for pci-passthru", "<BDF>", "-h                      Print this help.\n"},
        {"pci-assignable-remove", "01", "Remove a device from being assignable", "[options] <BDF>", "-h                      Print this help.\n-r                      Attempt to re-assign the device to the\n                        original driver"},
        {"pci-assignable-list", "00", "List all the assignable pci devices", "", ""},
        {"pause", "01", "Pause execution of a domain", "<Domain>", ""},
        {"unpause", "01", "Unpause a paused domain", "<Domain>", ""},
        {"console", "00", "Attach to domain's console", "[options] <Domain>\n-t <type>       console type, pv or serial\n-n <number>     console number", ""},
        {"vncviewer", "00", "Attach to domain's VNC server.", "[options] <Domain>\n--autopass               Pass VNC password to viewer via stdin and\n                         -autopass\n--vncviewer-autopass     (consistency alias for --autopass)", ""},
        {"save", "01", "Save a domain state to restore later", "[options] <Domain> <CheckpointFile> [<ConfigFile>]", "-h  Print this help.\n-c  Leave domain running after creating the snapshot."},
        {"migrate", "01", "Save a domain state to restore later", "[options] <Domain> <host>", "-h              Print this help.\n-C <config>     Send <config> instead of config file from creation.\n-s <sshcommand> Use <sshcommand> instead of ssh.  String will be passed\n                to sh. If empty, run <host> instead of ssh <host> xl\n                migrate-receive [-d -e]\n-e              Do not wait in the background (on <host>) for the death\n                of the domain."},
        {"dump-core", "01", "Core dump a domain", "<Domain> <filename>", ""},
        {"restore", "01", "Restore a domain from a saved state", "[options] [<ConfigFile>] <CheckpointFile>", "-h                       Print this help.\n-p                       Do not unpause domain after restoring it.\n-e                       Do not wait in the background for the death of the domain.\n-d                       Enable debug messages.\n-V, --vncviewer          Connect to the VNC display after the domain is created.\n-A, --vncviewer-autopass Pass VNC password to viewer via stdin."},
        {"migrate-receive", "01", "Restore a domain from a saved state", "- for internal use only", ""},
        {"cd-insert", "11", "Insert a cdrom into a guest's cd drive", "<Domain> <VirtualDevice> <type:path>", ""},
        {"cd-eject", "11", "Eject a cdrom from a guest's cd drive", "<Domain> <VirtualDevice>", ""},
        {"mem-max", "01", "Set the maximum amount reservation for a domain", "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", ""},
        {"mem-set", "01", "Set the current memory usage for a domain", "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>", ""},
        {"button-press", "01", "Indicate an ACPI button press to the domain", "<Domain> <Button>", "<Button> may be 'power' or 'sleep'."},
        {"vcpu-list", "00", "List the VCPUs for all/some domains", "[Domain, ...]", ""},
        {"vcpu-pin", "01", "Set which CPUs a VCPU can use", "<Domain> <VCPU|all> <CPUs|all>", ""},
        {"vcpu-set", "01", "Set the number of active VCPUs allowed for the domain", "<Domain> <vCPUs>", ""},
        {"vm-list", "00", "List guest domains, excluding dom0, stubdoms, etc.", "", ""},
        {"info", "00", "Get information about Xen host", "-n, --numa         List host NUMA topology information", ""},
        {"sharing", "00", "Get information about page sharing", "[Domain]", ""},
        {"sched-credit", "01", "Get/set credit scheduler parameters", "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]] [-s [-t TSLICE] [-r RATELIMIT]] [-p CPUPOOL]", "-d DOMAIN, --domain=DOMAIN        Domain to modify\n-w WEIGHT, --weight=WEIGHT        Weight (int)\n-c CAP, --cap=CAP                 Cap (int)\n-s         --schedparam           Query / modify scheduler parameters\n-t TSLICE, --tslice_ms=TSLICE     Set the timeslice, in milliseconds\n-r RLIMIT, --ratelimit_us=RLIMIT  Set the scheduling rate limit, in microseconds\n-p CPUPOOL, --cpupool=CPUPOOL     Restrict output to CPUPOOL"},
        {"sched-credit2", "01", "Get/set credit2 scheduler parameters", "[-d <Domain> [-w[=WEIGHT]]] [-p CPUPOOL]", "-d DOMAIN, --domain=DOMAIN     Domain to modify\n-w WEIGHT, --weight=WEIGHT     Weight (int)\n-p CPUPOOL, --cpupool=CPUPOOL  Restrict output to CPUPOOL"},
        {"sched-sedf", "01", "Get/set sedf scheduler parameters", "[options]", "-d DOMAIN, --domain=DOMAIN     Domain to modify\n-p MS, --period=MS             Relative deadline(ms)\n-s MS, --slice=MS              Worst-case execution time(ms).\n                               (slice < period)\n-l MS, --latency=MS            Scaled period (ms) when domain\n                               performs heavy I/O\n-e FLAG, --extra=FLAG          Flag (0 or 1) controls if domain\n                               can run in extra time\n-w FLOAT, --weight=FLOAT       CPU Period/slice (do not set with\n                               --period/--slice)\n-c CPUPOOL, --cpupool=CPUPOOL  Restrict output to CPUPOOL"},
        {"domid", "00", "Convert a domain name to domain id", "<DomainName>", ""},
        {"domname", "00", "Convert a domain id to domain name", "<DomainId>", ""},
        {"rename", "01", "Rename a domain", "<Domain> <NewDomainName>", ""},
        {"trigger", "01", "Send a trigger to a domain", "<Domain> <nmi|reset|init|power|sleep|s3resume> [<VCPU>]", ""},
        {"sysrq", "01", "Send a sysrq to a domain", "<Domain> <letter>", ""},
        {"debug-keys", "01", "Send debug keys to Xen", "<Keys>", ""},
        {"dmesg", "00", "Read and/or clear dmesg buffer", "[-c]", "  -c                        Clear dmesg buffer as well as printing it"},
        {"top", "00", "Monitor a host and the domains in real time", "", "-b                      Batch mode: print the table and exit, no screen control\n-i N                    Number of iterations (with -b; default 1)\n-d SECONDS              Delay between updates (default 3)"},
        {"network-attach", "11", "Create a new virtual network device", "<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>] [backend=<BackDomain>] [vifname=<name>] [rate=<rate>] [model=<model>] [accel=<accel>]", ""},
        {"network-list", "00", "List virtual network interfaces for a domain", "<Domain(s)>", ""},
        {"network-detach", "01", "Destroy a domain's virtual network device", "<Domain> <DevId|mac>", ""},
        {"block-attach", "11", "Create a new virtual block device", "<Domain> <disk-spec-component(s)>...", ""},
        {"block-list", "00", "List virtual block devices for a domain", "<Domain(s)>", ""},
        {"block-detach", "01", "Destroy a domain's virtual block device", "<Domain> <DevId>", ""},
        {"uptime", "00", "Print uptime for all/some domains", "[-s] [Domain]", ""},
        {"tmem-list", "00", "List tmem pools", "[-l] [<Domain>|-a]", "  -l                             List tmem stats"},
        {"tmem-freeze", "01", "Freeze tmem pools", "[<Domain>|-a]", "  -a                             Freeze all tmem"},
        {"tmem-thaw", "01", "Thaw tmem pools", "[<Domain>|-a]", "  -a                             Thaw all tmem"},
        {"tmem-set", "01", "Change tmem settings", "[<Domain>|-a] [-w[=WEIGHT]|-c[=CAP]|-p[=COMPRESS]]", "  -a                             Operate on all tmem\n  -w WEIGHT                      Weight (int)\n  -c CAP                         Cap (int)\n  -p COMPRESS                    Compress (int)"},
        {"tmem-shared-auth", "01", "De/authenticate shared tmem pool", "[<Domain>|-a] [-u[=UUID] [-A[=AUTH]", "  -a                             Authenticate for all tmem pools\n  -u UUID                        Specify uuid\n                                 (abcdef01-2345-6789-1234-567890abcdef)\n  -A AUTH                        0=auth,1=deauth"},
        {"tmem-freeable", "00", "Get information about how much freeable memory (MB) is in-use by tmem", "", ""},
        {"cpupool-create", "01", "Create a new CPU pool", "[options] [<ConfigFile>] [Variable=value ...]", "-h, --help                   Print this help.\n-f FILE, --defconfig=FILE    Use the given configuration file.\n-n, --dryrun                 Dry run - prints the resulting configuration.\n                              (deprecated in favour of global -N option).\n\nSee the xlcpupool.cfg(5) manpage for more information."},
        {"cpupool-list", "00", "List CPU pools on host", "[-c|--cpus] [<CPU Pool>]", "-c, --cpus                     Output list of CPUs used by a pool"},
        {"cpupool-destroy", "01", "Deactivates a CPU pool", "<CPU Pool>", ""},
        {"cpupool-rename", "01", "Renames a CPU pool", "<CPU Pool> <new name>", ""},
        {"cpupool-cpu-add", "01", "Adds a CPU to a CPU pool", "<CPU Pool> <CPU nr>|node:<node nr>", ""},
        {"cpupool-cpu-remove", "01", "Removes a CPU from a CPU pool", "<CPU Pool> <CPU nr>|node:<node nr>", ""},
        {"cpupool-migrate", "01", "Moves a domain into a CPU pool", "<Domain> <CPU Pool>", ""},
        {"cpupool-numa-split", "01", "Splits up the machine into one CPU pool per NUMA node", "", ""},
        {"getenforce", "00", "Returns the current enforcing mode of the Flask Xen security module", "", ""},
        {"setenforce", "01", "Sets the current enforcing mode of the Flask Xen security module", "<1|0|Enforcing|Permissive>", ""},
        {"loadpolicy", "01", "Loads a new policy int the Flask Xen security module", "<policy file>", ""},
        {"remus", "01", "Enable Remus HA for domain", "[options] <Domain> [<host>]", "-i MS                   Checkpoint domain memory every MS milliseconds (def. 200ms).\n-b                      Replicate memory checkpoints to /dev/null (blackhole)\n-u                      Disable memory checkpoint compression.\n-s <sshcommand>         Use <sshcommand> instead of ssh.  String will be passed\n                        to sh. If empty, run <host> instead of \n                        ssh <host> xl migrate-receive -r [-e]\n-e                      Do not wait in the background (on <host>) for the death\n                        of the domain."},
    };

    static String[] entry(String cmd) {
        for (String[] c : COMMANDS) if (c[0].equals(cmd)) return c;
        return null;
    }

    /** cmdtable_lookup: an exact name, else the one command the text is a prefix of; null when none or several. */
    static String[] lookup(String s) {
        String[] found = null;
        int count = 0;
        for (String[] c : COMMANDS) {
            if (!c[0].startsWith(s)) continue;
            if (c[0].length() == s.length()) return c;
            found = c;
            count++;
        }
        return count == 1 ? found : null;
    }

    private static void usage(PrintStream s) {
        s.println("Usage xl [-vfN] <subcommand> [args]");
        s.println();
        s.println("xl full list of subcommands:");
        s.println();
        for (String[] c : COMMANDS) {
            // " %-19s " then, for a name longer than 19, a fresh line of 21 spaces before the description
            s.print(String.format(Locale.ROOT, " %-19s ", c[0]));
            if (c[0].length() > 19) s.print("\n" + " ".repeat(21));
            s.println(c[2]);
        }
    }

    private int help(List<String> a, PrintStream out, PrintStream err) {
        if (a.isEmpty() || a.get(0).equals("help")) {
            usage(out);
            return 0;
        }
        helpFor(a.get(0), out);
        return 0;
    }

    /** {@code xl help CMD}: its usage, description and options. */
    static void helpFor(String cmd, PrintStream out) {
        String[] c = lookup(cmd);
        if (c == null) { // xl help prints this to stdout and still exits 0
            out.println("command \"" + cmd + "\" not implemented");
            return;
        }
        out.println("Usage: xl [-v" + (c[1].charAt(1) == '1' ? "f" : "") + (c[1].charAt(0) == '1' ? "N" : "") + "] " + c[0] + " " + c[3]);
        out.println();
        out.println(c[2] + ".");
        out.println();
        if (!c[4].isEmpty()) {
            out.println("Options:");
            out.println();
            out.println(c[4]);
        }
    }

    /** The pools that run a scheduler, in id order. */
    static List<PoolInfo> poolsOn(Hypervisor hv, String sched) {
        return hv.pools().stream().filter(p -> p.scheduler().equals(sched)).toList();
    }
}
