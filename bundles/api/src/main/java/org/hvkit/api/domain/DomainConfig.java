package org.hvkit.api.domain;

import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to build a domain: the typed form of an xl.cfg file.
 *
 * @param name          unique domain name
 * @param memoryMb      initial memory in MiB
 * @param maxMemoryMb   maximum memory in MiB ({@code >= memoryMb})
 * @param vcpus         vCPUs online at start
 * @param maxVcpus      vCPUs the domain has ({@code >= vcpus}); the rest start offline
 * @param cpus          hard affinity of every vCPU, or null for all pCPUs
 * @param vcpuCpus      per-vCPU hard affinity (xl.cfg's list form), or null; overrides {@code cpus}
 * @param weight        scheduler weight, or null for the scheduler's default
 * @param cap           scheduler cap in percent of one pCPU, or null for none
 * @param pool          CPU pool name, or null for Pool-0
 * @param onPoweroff    action after a poweroff
 * @param onReboot      action after a reboot
 * @param onWatchdog    action after a watchdog shutdown
 * @param onCrash       action after a crash
 * @param startPaused   create the domain paused ({@code xl create -p})
 * @param platformOptions options only a platform interprets, e.g. {@code workload} on the
 *                      simulated machine or {@code kernel} on KVM; keys as in xl.cfg
 * @param cpusSoft      soft affinity of every vCPU, the pCPUs it prefers (xl.cfg's {@code cpus_soft},
 *                      Xen 4.5 and later), or null for all pCPUs (no preference)
 * @param seclabel      the domain's security context ({@code seclabel=}, e.g. {@code system_u:system_r:domU_t}),
 *                      or null for the security module's default (since 1.2)
 */
public record DomainConfig(
        String name,
        long memoryMb,
        long maxMemoryMb,
        int vcpus,
        int maxVcpus,
        CpuMask cpus,
        CpuMask[] vcpuCpus,
        Integer weight,
        Integer cap,
        String pool,
        LifecycleAction onPoweroff,
        LifecycleAction onReboot,
        LifecycleAction onWatchdog,
        LifecycleAction onCrash,
        boolean startPaused,
        Map<String, String> platformOptions,
        CpuMask cpusSoft,
        String seclabel) {

    public DomainConfig {
        Objects.requireNonNull(name, "name");
        platformOptions = Map.copyOf(platformOptions == null ? Map.of() : platformOptions);
        if (onPoweroff == null) onPoweroff = LifecycleAction.DESTROY;
        if (onReboot == null) onReboot = LifecycleAction.RESTART;
        if (onWatchdog == null) onWatchdog = LifecycleAction.DESTROY;
        if (onCrash == null) onCrash = LifecycleAction.DESTROY;
        vcpuCpus = vcpuCpus == null ? null : vcpuCpus.clone();
    }

    /** The 1.1 form, without a security label. */
    public DomainConfig(String name, long memoryMb, long maxMemoryMb, int vcpus, int maxVcpus, CpuMask cpus, CpuMask[] vcpuCpus,
            Integer weight, Integer cap, String pool, LifecycleAction onPoweroff, LifecycleAction onReboot, LifecycleAction onWatchdog,
            LifecycleAction onCrash, boolean startPaused, Map<String, String> platformOptions, CpuMask cpusSoft) {
        this(name, memoryMb, maxMemoryMb, vcpus, maxVcpus, cpus, vcpuCpus, weight, cap, pool, onPoweroff, onReboot, onWatchdog, onCrash,
                startPaused, platformOptions, cpusSoft, null);
    }

    /** The 1.0 form, without soft affinity. */
    public DomainConfig(String name, long memoryMb, long maxMemoryMb, int vcpus, int maxVcpus, CpuMask cpus, CpuMask[] vcpuCpus,
            Integer weight, Integer cap, String pool, LifecycleAction onPoweroff, LifecycleAction onReboot, LifecycleAction onWatchdog,
            LifecycleAction onCrash, boolean startPaused, Map<String, String> platformOptions) {
        this(name, memoryMb, maxMemoryMb, vcpus, maxVcpus, cpus, vcpuCpus, weight, cap, pool, onPoweroff, onReboot, onWatchdog, onCrash,
                startPaused, platformOptions, null, null);
    }

    /** Hard affinity for vCPU {@code v}: its own list entry, else {@code cpus}, else null (all). */
    public CpuMask affinityOf(int v) {
        if (vcpuCpus != null && v < vcpuCpus.length) return vcpuCpus[v];
        return cpus;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a config with libxl's defaults (32 MiB, one vCPU, Pool-0, destroy/restart/destroy/destroy). */
    public static final class Builder {
        private final String name;
        private long memoryMb = 32;
        private Long maxMemoryMb;
        private int vcpus = 1;
        private Integer maxVcpus;
        private CpuMask cpus;
        private CpuMask[] vcpuCpus;
        private CpuMask cpusSoft;
        private Integer weight;
        private Integer cap;
        private String pool;
        private LifecycleAction onPoweroff, onReboot, onWatchdog, onCrash;
        private boolean startPaused;
        private Map<String, String> platformOptions = Map.of();
        private String seclabel;

        private Builder(String name) {
            this.name = name;
        }

        public Builder memoryMb(long v) { memoryMb = v; return this; }
        public Builder maxMemoryMb(long v) { maxMemoryMb = v; return this; }
        public Builder vcpus(int v) { vcpus = v; return this; }
        public Builder maxVcpus(int v) { maxVcpus = v; return this; }
        public Builder cpus(CpuMask v) { cpus = v; return this; }
        public Builder vcpuCpus(CpuMask[] v) { vcpuCpus = v; return this; }
        public Builder cpusSoft(CpuMask v) { cpusSoft = v; return this; }
        public Builder weight(Integer v) { weight = v; return this; }
        public Builder cap(Integer v) { cap = v; return this; }
        public Builder pool(String v) { pool = v; return this; }
        public Builder onPoweroff(LifecycleAction v) { onPoweroff = v; return this; }
        public Builder onReboot(LifecycleAction v) { onReboot = v; return this; }
        public Builder onWatchdog(LifecycleAction v) { onWatchdog = v; return this; }
        public Builder onCrash(LifecycleAction v) { onCrash = v; return this; }
        public Builder startPaused(boolean v) { startPaused = v; return this; }
        public Builder platformOptions(Map<String, String> v) { platformOptions = v; return this; }
        /** @since 1.2 */
        public Builder seclabel(String v) { seclabel = v; return this; }

        public DomainConfig build() {
            return new DomainConfig(name, memoryMb, maxMemoryMb == null ? memoryMb : maxMemoryMb, vcpus,
                    maxVcpus == null ? vcpus : maxVcpus, cpus, vcpuCpus, weight, cap, pool,
                    onPoweroff, onReboot, onWatchdog, onCrash, startPaused, platformOptions, cpusSoft, seclabel);
        }
    }
}
