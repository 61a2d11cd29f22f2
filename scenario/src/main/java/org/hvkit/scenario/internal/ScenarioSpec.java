package org.hvkit.scenario.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario file as read by Jackson: plain mutable fields so that a variant can be merged onto
 * a copy ({@code readerForUpdating}). Durations are strings ({@code 10s}, {@code 9.5ms}); see
 * {@code examples/scenarios/README.md} for the format.
 */
@JsonIgnoreProperties(value = {"$schema", "comment"})
public final class ScenarioSpec {
    public String name;
    public String description = "";
    /** What a user should see (free text, printed before the table). */
    public String expect = "";
    public HostSpec host = new HostSpec();
    public long seed = 1;
    public String duration = "10s";
    public String warmup = "0s";
    public List<PoolSpec> pools = new ArrayList<>();
    public List<DomainSpec> domains = new ArrayList<>();
    public List<EventSpec> events = new ArrayList<>();
    public MetricsSpec metrics = new MetricsSpec();
    public List<VariantSpec> variants = new ArrayList<>();

    @JsonIgnoreProperties(value = {"comment"})
    public static final class HostSpec {
        public int sockets = 1;
        public int cores = 4;
        public int threads = 1;
        public int nodes = 1;
        public String memory = "64G";
    }

    @JsonIgnoreProperties(value = {"comment"})
    public static final class PoolSpec {
        public String name = "Pool-0";
        public String scheduler = "credit";
        /** pCPUs, Xen syntax ({@code all}, {@code 0-3,^1}, {@code node:1}); Pool-0 defaults to every pCPU no other pool takes. */
        public String cpus;
        public Map<String, Long> params = new LinkedHashMap<>();
        /** The core's stall watchdog bound ({@code 5s} by default; {@code 0} turns it off). */
        public String watchdog;
    }

    @JsonIgnoreProperties(value = {"comment"})
    public static final class DomainSpec {
        public String name;
        /** How many domains of this kind ({@code name-1}, {@code name-2}, ...); one keeps the name as is. */
        public int count = 1;
        public int vcpus = 1;
        public Integer weight;
        public Integer cap;
        public String pool;
        /** Hard affinity of every vCPU. */
        public String cpus;
        /** Per-vCPU hard affinity (xl.cfg's list form); a shorter list leaves the rest on {@code cpus}. */
        @JsonProperty("vcpu_cpus")
        public List<String> vcpuCpus;
        /** Soft affinity of every vCPU: the pCPUs it prefers (xl.cfg's {@code cpus_soft}). */
        @JsonProperty("cpus_soft")
        public String cpusSoft;
        /** Spreads the {@code count} domains round-robin over these pCPUs, one pCPU each ({@code pin_each: "0-3"}). */
        @JsonProperty("pin_each")
        public String pinEach;
        public String workload = "cpu";
        public long memory = 32;
        /** Starts paused (an event unpauses it). */
        public boolean paused;
        /** Scheduler-specific domain parameters set right after creation (e.g. sedf's {@code period}, {@code slice}, ns). */
        public Map<String, Long> params = new LinkedHashMap<>();
    }

    @JsonIgnoreProperties(value = {"comment"})
    public static final class EventSpec {
        public String at;
        /** set (weight/cap, or any of the scheduler's domain params), pin, pause, unpause, destroy, pool-params, switch. */
        public String action;
        public String domain;
        public int vcpu = -1;
        public String cpus;
        public Integer weight;
        public Integer cap;
        public String pool;
        public String scheduler;
        public Map<String, Long> params;
    }

    @JsonIgnoreProperties(value = {"comment"})
    public static final class MetricsSpec {
        /** Window of the per-window share error (and resolution of the share-over-time plot's samples). */
        public String window = "100ms";
        /** Windows of the cap error (ALERT). */
        @JsonProperty("cap_windows")
        public List<String> capWindows = new ArrayList<>(List.of("10ms", "100ms", "1s"));
        /** Report and plot per group instead of per domain above this many domains. */
        @JsonProperty("per_domain_limit")
        public int perDomainLimit = 40;
    }

    @JsonIgnoreProperties(value = {"comment"})
    public static final class VariantSpec {
        public String name;
        /** Scheduler of every pool, unless {@code pools} names one. */
        public String scheduler;
        /** Per pool: {@code scheduler} and/or {@code params} to merge. */
        public Map<String, PoolOverride> pools = new LinkedHashMap<>();
        /** Per domain group: any domain field, merged onto the base. */
        public Map<String, Map<String, Object>> domains = new LinkedHashMap<>();
        public String duration;
        public Long seed;
    }

    @JsonIgnoreProperties(value = {"comment"})
    public static final class PoolOverride {
        public String scheduler;
        public Map<String, Long> params;
    }
}
