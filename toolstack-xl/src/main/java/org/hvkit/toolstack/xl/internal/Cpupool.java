package org.hvkit.toolstack.xl.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.PoolInfo;

/**
 * The {@code xl cpupool-*} subcommands with xl 4.2's output, messages and exit statuses
 * (xen.md §4). libxl failures exit 3 (xl returns -ERROR_FAIL).
 */
final class Cpupool {
    static final int FAIL = 3;
    private final Hypervisor hv;
    private final PrintStream out, err;

    Cpupool(Hypervisor hv, PrintStream out, PrintStream err) {
        this.hv = hv;
        this.out = out;
        this.err = err;
    }

    int run(String cmd, List<String> a) {
        return switch (cmd) {
            case "cpupool-create" -> create(a);
            case "cpupool-list" -> list(a);
            // def_getopt made sure of the operands these read; as in 4.2, further ones are not read
            case "cpupool-destroy" -> destroy(a.get(0));
            case "cpupool-rename" -> rename(a.get(0), a.get(1));
            case "cpupool-cpu-add" -> cpus(a.get(0), a.get(1), true);
            case "cpupool-cpu-remove" -> cpus(a.get(0), a.get(1), false);
            case "cpupool-migrate" -> migrate(a.get(0), a.get(1));
            case "cpupool-numa-split" -> numaSplit();
            default -> throw new IllegalArgumentException(cmd);
        };
    }

    private PoolInfo pool(String p) {
        PoolInfo info = hv.findPool(p).orElse(null);
        if (info == null) err.println("unknown cpupool '" + p + "'");
        return info;
    }

    private int create(List<String> a) {
        String file = null;
        boolean dry = false;
        List<String> vars = new ArrayList<>();
        boolean options = true;
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if (options && s.equals("--")) options = false; // getopt's end of options
            else if (!options && s.contains("=")) vars.add(s);
            else if (!options && file == null) file = s;
            else if (!options) { // a second config file: 4.2 shows the help and fails
                XlCommand.helpFor("cpupool-create", out);
                return FAIL;
            } else if (s.equals("-n")) dry = true; // the long options are their letters by now (LongOpts)
            else if (s.equals("-f") && i + 1 < a.size()) file = a.get(++i);
            else if (s.startsWith("-") && s.length() > 1 && !s.contains("=")) XlCommand.unsupported(s, "", err); // noted, skipped
            else if (s.contains("=")) vars.add(s);
            else if (file == null) file = s;
            else { // a second config file: 4.2 shows the help and fails
                XlCommand.helpFor("cpupool-create", out);
                return FAIL;
            }
        }
        StringBuilder text = new StringBuilder();
        String source = file == null ? "command line" : file;
        if (file != null) {
            try {
                text.append(Files.readString(Path.of(System.getProperty("user.dir")).resolve(file), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                err.println("Failed to read config file: " + file + ": No such file or directory");
                return FAIL;
            }
        }
        vars.forEach(v -> text.append(CommandLineVars.toCfgLine(v)).append('\n'));
        XlCfg cfg;
        try {
            cfg = XlCfgParser.parse(source, text.toString());
        } catch (XlCfgParser.ParseException e) {
            err.println(e.getMessage());
            err.println("Failed to parse config file: Invalid argument");
            return FAIL;
        }
        String name = atom(cfg.get("name"));
        if (name == null && file != null) name = file.substring(file.lastIndexOf('/') + 1); // libxl_basename keeps the extension
        if (name == null) {
            err.println("Missing cpupool name!");
            return FAIL;
        }
        if (hv.findPool(name).isPresent()) {
            err.println("Pool name \"" + name + "\" already exists");
            return FAIL;
        }
        String sched = atom(cfg.get("sched"));
        if (sched == null) sched = hv.physInfo().scheduler();
        if (!hv.schedulers().contains(sched)) {
            err.println("Unknown scheduler");
            return FAIL;
        }
        HostTopology topo = hv.physInfo().topology();
        CpuMask free = hv.freeCpus();
        CpuMask.Builder cpus = CpuMask.builder();
        XlCfg.Value nodes = cfg.get("nodes"), cpuList = cfg.get("cpus");
        if (nodes != null) { // as 4.2: nodes= wins over cpus=, and only no free cpu on all of them fails
            for (String n : atoms(nodes)) {
                CpuMask node = PciSpec.atoi(n) >= 0 ? topo.nodeCpus(PciSpec.atoi(n)) : null;
                if (node != null) cpus.or(node.and(free));
            }
            if (cpus.build().isEmpty()) {
                err.println("no free cpu found");
                return FAIL;
            }
        } else if (cpuList != null) {
            for (String c : atoms(cpuList)) {
                CpuMask m;
                try {
                    m = c.matches("\\d+") ? CpuMask.of(Integer.parseInt(c)) : topo.parseCpus(c);
                } catch (IllegalArgumentException e) {
                    m = null;
                }
                if (m == null || !m.isSubsetOf(free)) {
                    err.println("cpu " + c + " illegal or not free");
                    return FAIL;
                }
                cpus.or(m);
            }
        }
        CpuMask chosen = cpus.build();
        out.println("Using config file \"" + source + "\"");
        out.println("cpupool name:   " + name);
        out.println("scheduler:      " + sched);
        out.println("number of cpus: " + chosen.cardinality());
        if (dry) return 0;
        try {
            hv.createPool(name, sched, chosen);
        } catch (HypervisorException e) {
            err.println(LibxlLog.error(LibxlLog.CPUPOOL_CREATE, e.getMessage()));
            err.println("error on creating cpupool");
            return FAIL;
        }
        return 0;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String atom(XlCfg.Value v) {
        return v instanceof XlCfg.Str s ? s.text() : v instanceof XlCfg.Num n ? n.text() : null;
    }

    /** A single atom or a list of atoms, as xl accepts {@code cpus = "2"} and {@code cpus = ["2","3"]}. */
    private static List<String> atoms(XlCfg.Value v) {
        if (v instanceof XlCfg.Lst l) return l.items().stream().map(Cpupool::atom).filter(x -> x != null).toList();
        String a = atom(v);
        return a == null ? List.of() : List.of(a);
    }

    private int list(List<String> a) {
        boolean cpus = false;
        List<String> operands = new ArrayList<>();
        boolean options = true;
        for (String s : a) { // getopt_long("hc"): an unknown option is noted and skipped
            if (options && s.equals("--")) options = false; // getopt's end of options
            else if (options && s.startsWith("-") && s.length() > 1) cpus |= XlCommand.unsupported(s, "c", err);
            else operands.add(s);
        }
        if (operands.size() > 1) {
            XlCommand.helpFor("cpupool-list", out);
            return FAIL;
        }
        String only = operands.isEmpty() ? null : operands.get(0);
        List<PoolInfo> pools = hv.pools();
        if (only != null) { // libxl_name_to_cpupoolid: by name only, never by id
            PoolInfo p = pools.stream().filter(x -> x.name().equals(only)).findFirst().orElse(null);
            if (p == null) {
                err.println("Pool '" + only + "' does not exist");
                return FAIL;
            }
            pools = List.of(p);
        }
        out.println(String.format(Locale.ROOT, "%-19s", "Name") + (cpus ? "CPU list" : "CPUs   Sched     Active   Domain count"));
        for (PoolInfo p : pools) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-19s", p.name()));
            if (cpus) {
                row.append(String.join(",", p.cpus().stream().mapToObj(Integer::toString).toList()));
            } else {
                row.append(String.format(Locale.ROOT, "%3d %9s       y       %4d", p.cpus().cardinality(), p.scheduler(), p.domainCount()));
            }
            out.println(row);
        }
        return 0;
    }

    private int destroy(String p) {
        PoolInfo pool = pool(p);
        if (pool == null) return FAIL;
        try {
            hv.destroyPool(pool.id());
        } catch (HypervisorException e) {
            err.println(LibxlLog.error(LibxlLog.CPUPOOL_DESTROY, e.getMessage()));
            return FAIL;
        }
        return 0;
    }

    private int rename(String p, String newName) {
        PoolInfo pool = pool(p);
        if (pool == null) return FAIL;
        try {
            hv.renamePool(pool.id(), newName);
        } catch (HypervisorException e) {
            err.println("Can't rename cpupool '" + p + "'.");
            return 1;
        }
        return 0;
    }

    private int cpus(String p, String which, boolean add) {
        PoolInfo pool = pool(p);
        if (pool == null) return FAIL;
        HostTopology topo = hv.physInfo().topology();
        CpuMask cpus;
        // 4.2 reads the operand with atoi: "x" is cpu 0, and a negative cpu takes the node path with node -1
        int c = which.startsWith("node:") ? -1 : PciSpec.atoi(which);
        if (c < 0) {
            int n = which.startsWith("node:") ? PciSpec.atoi(which.substring(5)) : -1;
            CpuMask node = n < 0 ? null : topo.nodeCpus(n);
            cpus = node == null ? CpuMask.EMPTY : add ? node.and(hv.freeCpus()) : node.and(pool.cpus());
            if (cpus.isEmpty()) {
                err.println(add ? "no free cpu found" : "no cpu of node found in cpupool");
                return FAIL;
            }
        } else {
            if (c >= topo.nrCpus()) { // the hypervisor's EINVAL, as libxl logs it
                err.println(cpuLine(add, "Invalid argument"));
                return FAIL;
            }
            cpus = CpuMask.of(c);
        }
        try {
            if (add) hv.addPoolCpus(pool.id(), cpus); else hv.removePoolCpus(pool.id(), cpus);
        } catch (HypervisorException e) {
            err.println(cpuLine(add, e.getMessage()));
            return FAIL;
        }
        return 0;
    }

    /** libxl_cpupool_cpuadd's or _cpuremove's line for a cpu the hypervisor refused. */
    private static String cpuLine(boolean add, String why) {
        return add ? LibxlLog.error(LibxlLog.CPUPOOL_CPUADD, "Error moving cpu to cpupool: " + why)
                : LibxlLog.error(LibxlLog.CPUPOOL_CPUREMOVE, "Error removing cpu from cpupool: " + why);
    }

    private int migrate(String dom, String p) {
        var d = hv.findDomain(dom).orElse(null);
        if (d == null) {
            err.println("unknown domain '" + dom + "'");
            return FAIL;
        }
        PoolInfo pool = pool(p);
        if (pool == null) return FAIL;
        try {
            hv.migrateDomain(d.id(), pool.id());
        } catch (HypervisorException e) {
            err.println(LibxlLog.error(LibxlLog.CPUPOOL_MOVEDOMAIN, "Error moving domain to cpupool: " + e.getMessage()));
            return FAIL;
        }
        return 0;
    }

    private int numaSplit() {
        try {
            hv.numaSplit();
        } catch (HypervisorException e) {
            err.println(e.getMessage());
            return FAIL;
        }
        return 0;
    }
}
