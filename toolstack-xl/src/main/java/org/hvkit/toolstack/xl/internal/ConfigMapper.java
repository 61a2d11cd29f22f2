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
    private static final Set<String> DOMAIN_KEYS = Set.of("name", "memory", "maxmem", "vcpus", "maxvcpus", "cpus", "cpu_weight", "cap",
            "pool", "on_poweroff", "on_reboot", "on_watchdog", "on_crash");

    private final XlCfg cfg;
    private final HostTopology topo;
    final List<String> warnings = new ArrayList<>();

    ConfigMapper(XlCfg cfg, HostTopology topo) {
        this.cfg = cfg;
        this.topo = topo;
    }

    DomainConfig map(boolean startPaused) throws ConfigException {
        String name = string("name", null);
        if (name == null || name.isEmpty()) throw new ConfigException("Domain name must be specified.");
        DomainConfig.Builder b = DomainConfig.builder(name).startPaused(startPaused);
        long memory = number("memory", 32, 1, 1L << 40);
        b.memoryMb(memory);
        b.maxMemoryMb(number("maxmem", memory, memory, 1L << 40));
        int vcpus = (int) number("vcpus", 1, 1, 8192);
        b.vcpus(vcpus);
        b.maxVcpus((int) number("maxvcpus", vcpus, vcpus, 8192));
        XlCfg.Value cpus = cfg.get("cpus");
        if (cpus instanceof XlCfg.Str s) {
            b.cpus(cpuList(s.text(), "cpus", s.line()));
        } else if (cpus instanceof XlCfg.Num n) {
            b.cpus(cpuList(n.text(), "cpus", n.line())); // atoms are untyped in xl: cpus = 3 is cpu 3
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
        if (cfg.get("cpu_weight") != null) b.weight((int) number("cpu_weight", 256, Integer.MIN_VALUE, Integer.MAX_VALUE));
        if (cfg.get("cap") != null) b.cap((int) number("cap", 0, Integer.MIN_VALUE, Integer.MAX_VALUE));
        b.pool(string("pool", null));
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
        for (var e : cfg.settings().entrySet()) {
            if (!DOMAIN_KEYS.contains(e.getKey()) && !PLATFORM_KEYS.contains(e.getKey())) {
                warnings.add("warning: " + cfg.source + ":" + e.getValue().line() + ": '" + e.getKey() + "' is not supported by hvkit yet; ignored");
            }
        }
        return b.build();
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
            throw new ConfigException(where(cfg.get(key).line()) + key + ": unknown action \"" + s
                    + "\" (destroy, restart, rename-restart, preserve, coredump-destroy, coredump-restart)");
        }
    }

    private CpuMask cpuList(String text, String key, int line) throws ConfigException {
        try {
            return topo.parseCpus(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where(line) + key + ": " + e.getMessage());
        }
    }
}
