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
    /**
     * Reads {@code hvkit.sched} (an opt_name: letters, digits, '_' or '-'), {@code hvkit.dom0.vcpus}
     * (0 or more) and {@code hvkit.dom0.memory} (MiB, at least 1).
     *
     * @throws IllegalArgumentException one line naming the property, the value and the accepted form
     */
    public static CoreConfig fromProperties(java.util.function.Function<String, String> props) {
        String sched = value(props, "hvkit.sched", "credit");
        if (!sched.matches("[A-Za-z0-9_-]{1,32}"))
            throw new IllegalArgumentException("hvkit.sched=" + sched + ": expected a scheduler name such as credit or credit2");
        String v = value(props, "hvkit.dom0.vcpus", "0");
        int vcpus;
        try {
            vcpus = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            vcpus = -1;
        }
        if (vcpus < 0) throw new IllegalArgumentException("hvkit.dom0.vcpus=" + v + ": expected a whole number, 0 (all pCPUs) or more");
        String m = value(props, "hvkit.dom0.memory", "1024");
        long mem;
        try {
            mem = Long.parseLong(m);
        } catch (NumberFormatException e) {
            mem = -1;
        }
        if (mem < 1) throw new IllegalArgumentException("hvkit.dom0.memory=" + m + ": expected MiB as a whole number, e.g. 1024");
        return new CoreConfig(sched, vcpus, mem, null);
    }

    private static String value(java.util.function.Function<String, String> props, String key, String def) {
        String v = props.apply(key);
        return v == null || v.isBlank() ? def : v.strip();
    }

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
