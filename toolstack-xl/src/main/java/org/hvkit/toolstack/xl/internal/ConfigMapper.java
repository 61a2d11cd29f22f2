package org.hvkit.toolstack.xl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.LifecycleAction;
import org.hvkit.api.platform.HostTopology;

/** Maps a parsed xl.cfg to the typed domain configuration; every error names file, line and key. */
final class ConfigMapper {
    /** A value that cannot be used, with where it is. */
    static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    /** Keys a platform interprets; handed over as they are. */
    static final Set<String> PLATFORM_KEYS = Set.of("workload", "kernel", "ramdisk", "extra", "root", "cmdline", "cpuid");
    private static final Set<String> DOMAIN_KEYS = Set.of("name", "memory", "maxmem", "vcpus", "maxvcpus", "cpus", "cpus_soft", "cpu_weight", "cap",
            "pool", "on_poweroff", "on_reboot", "on_watchdog", "on_crash", "seclabel");

    /** Device and option keys that are parsed and checked, then reported as not honoured by the platform. */
    private static final Set<String> CHECKED_KEYS = Set.of("disk", "vif", "cpuid");

    private final XlCfg cfg;
    private final HostTopology topo;
    private final VifSpec.Domains domains;
    final List<String> warnings = new ArrayList<>();
    final List<DiskSpec> disks = new ArrayList<>();
    final List<VifSpec> nics = new ArrayList<>();
    final List<PciSpec> pcidevs = new ArrayList<>();
    CpuidSpec cpuid;

    ConfigMapper(XlCfg cfg, HostTopology topo) {
        this(cfg, topo, name -> name.equals("0") || name.equals("Domain-0") ? 0 : null);
    }

    ConfigMapper(XlCfg cfg, HostTopology topo, VifSpec.Domains domains) {
        this.cfg = cfg;
        this.topo = topo;
        this.domains = domains;
    }

    /** The items of a list-valued key as strings (a single string is a one-item list). */
    private List<XlCfg.Str> strings(String key) throws ConfigException {
        XlCfg.Value v = cfg.get(key);
        if (v == null) return List.of();
        List<XlCfg.Value> items = v instanceof XlCfg.Lst l ? l.items() : List.of(v);
        List<XlCfg.Str> out = new ArrayList<>();
        for (XlCfg.Value i : items) {
            if (!(i instanceof XlCfg.Str s)) throw new ConfigException(where(i.line()) + key + ": expected a list of quoted strings");
            out.add(s);
        }
        return out;
    }

    private void devices() throws ConfigException {
        java.io.ByteArrayOutputStream report = new java.io.ByteArrayOutputStream();
        java.io.PrintStream rp = new java.io.PrintStream(report, true, java.nio.charset.StandardCharsets.UTF_8);
        try {
            for (XlCfg.Str s : strings("disk")) disks.add(DiskSpec.parse(cfg.source, s.text()));
            int devid = 0;
            for (XlCfg.Str s : strings("vif")) nics.add(VifSpec.parseCfg(cfg.source, s.text(), devid++, domains, rp));
            for (XlCfg.Str s : strings("pci")) pcidevs.add(PciSpec.parse(cfg.source, s.text(), rp));
            XlCfg.Value c = cfg.get("cpuid");
            if (c instanceof XlCfg.Str s) cpuid = s.text().matches("(0x)?[0-9a-fA-F]+(,[0-9a-fA-Fx]+)?:.*") ? CpuidSpec.parseXend(List.of(s.text()))
                    : CpuidSpec.parseLibxl(s.text());
            else if (c != null) cpuid = CpuidSpec.parseXend(strings("cpuid").stream().map(XlCfg.Str::text).toList());
        } catch (SpecException e) {
            throw new ConfigException(e.getMessage());
        }
        for (String line : report.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) if (!line.isEmpty()) warnings.add(line);
    }

    DomainConfig map(boolean startPaused) throws ConfigException {
        String name = string("name", null);
        if (name == null || name.isEmpty()) throw new ConfigException("Domain name must be specified.");
        // 4.2 checks a given uuid's form (libxl_uuid_from_string), though hvkit gives each domain its own
        XlCfg.Value uuid = cfg.get("uuid");
        if (uuid != null) {
            String u = uuid instanceof XlCfg.Str us ? us.text() : uuid instanceof XlCfg.Num un ? un.text() : "";
            if (!u.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) throw new ConfigException("Failed to parse UUID: " + u);
        }
        DomainConfig.Builder b = DomainConfig.builder(name).startPaused(startPaused);
        long memory = number("memory", 32, 1, 1L << 40);
        b.memoryMb(memory);
        b.maxMemoryMb(number("maxmem", memory, memory, 1L << 40));
        int vcpus = (int) number("vcpus", 1, 1, 8192);
        b.vcpus(vcpus);
        b.maxVcpus((int) number("maxvcpus", vcpus, vcpus, 8192));
        XlCfg.Value cpus = cfg.get("cpus");
        CpuMask oneMask = mask(cpus, "cpus");
        if (oneMask != null) {
            b.cpus(oneMask);
        } else if (cpus instanceof XlCfg.Lst l) {
            CpuMask[] per = new CpuMask[l.items().size()];
            for (int i = 0; i < per.length; i++) {
                XlCfg.Value item = l.items().get(i);
                String t = item instanceof XlCfg.Str s ? s.text() : item instanceof XlCfg.Num n ? n.text() : null;
                if (t == null) throw new ConfigException(where(item.line()) + "cpus: list element " + (i + 1) + " must be a cpu list string or a number");
                per[i] = cpuList(t, "cpus", item.line());
            }
            b.vcpuCpus(per);
        } else if (cpus != null) {
            throw new ConfigException(where(cpus.line()) + "cpus: expected a string such as \"0-3,^1\" or a list");
        }
        // Xen 4.5's soft affinity, in the one-mask form (the per-vCPU list form is not taken)
        XlCfg.Value soft = cfg.get("cpus_soft");
        CpuMask softMask = mask(soft, "cpus_soft");
        if (softMask != null) {
            b.cpusSoft(softMask);
        } else if (soft != null) {
            throw new ConfigException(where(soft.line()) + "cpus_soft: expected a string such as \"0-3,^1\" (a per-vCPU list is not supported)");
        }
        if (cfg.get("cpu_weight") != null) b.weight((int) number("cpu_weight", 256, Integer.MIN_VALUE, Integer.MAX_VALUE));
        if (cfg.get("cap") != null) b.cap((int) number("cap", 0, Integer.MIN_VALUE, Integer.MAX_VALUE));
        b.pool(string("pool", null));
        b.seclabel(string("seclabel", null));
        b.onPoweroff(action("on_poweroff"));
        b.onReboot(action("on_reboot"));
        b.onWatchdog(action("on_watchdog"));
        b.onCrash(action("on_crash"));
        Map<String, String> platform = new LinkedHashMap<>();
        for (String k : PLATFORM_KEYS) {
            String v = string(k, null);
            if (v != null) platform.put(k, v);
        }
        b.platformOptions(platform);
        devices();
        if (!pcidevs.isEmpty()) b.startPaused(true); // xl create assigns them, then unpauses (unless -p)
        for (var e : cfg.settings().entrySet()) {
            if (CHECKED_KEYS.contains(e.getKey())) {
                warnings.add("warning: " + cfg.source + ":" + e.getValue().line() + ": '" + e.getKey()
                        + "' parsed, but hvkit cannot give domains " + (e.getKey().equals("cpuid") ? "a cpuid policy from the toolstack" : "virtual devices") + " yet; ignored");
            } else if (!DOMAIN_KEYS.contains(e.getKey()) && !PLATFORM_KEYS.contains(e.getKey()) && !e.getKey().equals("pci")) { // pci: assigned at create
                warnings.add("warning: " + cfg.source + ":" + e.getValue().line() + ": '" + e.getKey() + "' is not supported by hvkit yet; ignored");
            }
        }
        return b.build();
    }

    /** The configuration as {@code xl create -n} and {@code xl list -l} print it (libxl_domain_config's layout, hvkit's fields). */
    Map<String, Object> toJson(DomainConfig c, org.hvkit.api.domain.DomainInfo created) {
        Map<String, Object> cInfo = new LinkedHashMap<>();
        String builder = cfg.get("builder") instanceof XlCfg.Str s ? s.text() : "generic";
        cInfo.put("type", builder.equals("hvm") ? "hvm" : "pv"); // libxl_domain_type_to_string
        cInfo.put("name", c.name());
        cInfo.put("uuid", created == null ? "00000000-0000-0000-0000-000000000000" : created.uuid());
        cInfo.put("pool_name", c.pool() == null ? "Pool-0" : c.pool());
        Map<String, Object> bInfo = new LinkedHashMap<>();
        bInfo.put("max_vcpus", c.maxVcpus());
        List<Object> avail = new ArrayList<>();
        for (int i = 0; i < c.vcpus(); i++) avail.add(i);
        bInfo.put("avail_vcpus", avail);
        bInfo.put("cpumap", c.cpus() == null ? List.of() : java.util.Arrays.stream(c.cpus().toArray()).boxed().map(Object.class::cast).toList());
        bInfo.put("max_memkb", c.maxMemoryMb() * 1024);
        bInfo.put("target_memkb", c.memoryMb() * 1024);
        Map<String, Object> sched = new LinkedHashMap<>();
        sched.put("weight", c.weight() == null ? -1 : c.weight());
        sched.put("cap", c.cap() == null ? -1 : c.cap());
        bInfo.put("sched_params", sched);
        bInfo.put("platform_options", new java.util.TreeMap<String, Object>(c.platformOptions()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("c_info", cInfo);
        m.put("b_info", bInfo);
        m.put("disks", disks.stream().map(d -> (Object) d.toJson()).toList());
        m.put("nics", nics.stream().map(n -> (Object) n.toJson()).toList());
        m.put("pcidevs", pcidevs.stream().map(p -> (Object) p.bdf()).toList());
        m.put("vfbs", List.of());
        m.put("vkbs", List.of());
        m.put("on_poweroff", idlName(c.onPoweroff()));
        m.put("on_reboot", idlName(c.onReboot()));
        m.put("on_watchdog", idlName(c.onWatchdog()));
        m.put("on_crash", idlName(c.onCrash()));
        return m;
    }

    /** libxl_action_on_shutdown_to_string: the IDL value lowercased (RESTART_RENAME, not the API's RENAME_RESTART). */
    static String idlName(org.hvkit.api.domain.LifecycleAction a) {
        return switch (a) {
            case DESTROY -> "destroy";
            case RESTART -> "restart";
            case RENAME_RESTART -> "restart_rename";
            case PRESERVE -> "preserve";
            case COREDUMP_DESTROY -> "coredump_destroy";
            case COREDUMP_RESTART -> "coredump_restart";
        };
    }

    private String where(int line) {
        return cfg.source + ":" + line + ": ";
    }

    private String string(String key, String def) throws ConfigException {
        XlCfg.Value v = cfg.get(key);
        if (v == null) return def;
        if (v instanceof XlCfg.Str s) return s.text();
        throw new ConfigException(where(v.line()) + key + ": expected a quoted string");
    }

    private long number(String key, long def, long min, long max) throws ConfigException {
        XlCfg.Value v = cfg.get(key);
        if (v == null) return def;
        long n;
        try {
            if (v instanceof XlCfg.Num num) n = num.toLong();
            else if (v instanceof XlCfg.Str s) n = new XlCfg.Num(s.text().strip(), s.line()).toLong();
            else throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new ConfigException(where(v.line()) + key + ": expected a number");
        }
        if (n < min || n > max) throw new ConfigException(where(v.line()) + key + ": " + n + " is out of range (" + min + " to " + max + ")");
        return n;
    }

    private LifecycleAction action(String key) throws ConfigException {
        String s = string(key, null);
        if (s == null) return null;
        try {
            return LifecycleAction.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Unknown " + key + " action \"" + s + "\" specified"); // 4.2's words, then exit(1)
        }
    }

    /** A cpu-list string, or a number (atoms are untyped in xl: {@code cpus = 3} is cpu 3), as a mask; null for any other value. */
    private CpuMask mask(XlCfg.Value v, String key) throws ConfigException {
        if (v instanceof XlCfg.Str s) return cpuList(s.text(), key, s.line());
        if (v instanceof XlCfg.Num n) return cpuList(n.text(), key, n.line());
        return null;
    }

    private CpuMask cpuList(String text, String key, int line) throws ConfigException {
        try {
            return topo.parseCpus(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where(line) + key + ": " + e.getMessage());
        }
    }
}
