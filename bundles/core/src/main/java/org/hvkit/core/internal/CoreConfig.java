package org.hvkit.core.internal;

/**
 * Boot settings of the core.
 *
 * @param defaultScheduler opt_name of Pool-0's scheduler and of the fallback scheduler ({@code sched=})
 * @param dom0Vcpus        vCPUs of Domain-0 ({@code dom0_max_vcpus}); 0 = as many as host CPUs, at most the pCPUs
 * @param dom0MemoryMb     memory of Domain-0 ({@code dom0_mem}) in MiB
 * @param trace            trace listener, or null
 */
public record CoreConfig(String defaultScheduler, int dom0Vcpus, long dom0MemoryMb, TraceListener trace) {
    public static CoreConfig defaults() {
        return new CoreConfig("credit", 0, 1024, null);
    }

    public CoreConfig withTrace(TraceListener t) {
        return new CoreConfig(defaultScheduler, dom0Vcpus, dom0MemoryMb, t);
    }

    public CoreConfig withDefaultScheduler(String s) {
        return new CoreConfig(s, dom0Vcpus, dom0MemoryMb, trace);
    }
}
