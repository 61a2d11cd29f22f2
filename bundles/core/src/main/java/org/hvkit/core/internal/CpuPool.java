package org.hvkit.core.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerProvider;

/** A CPU pool: pCPUs, the domains in it and its one scheduler instance. Machine context only. */
final class CpuPool {
    final int id;
    String name;
    CpuMask cpus = CpuMask.EMPTY;
    /** opt_name of the scheduler this pool is meant to run (it may be waiting for its bundle). */
    String schedulerName;
    SchedulerProvider provider;
    Scheduler scheduler;
    PoolContext ctx;
    /** Pool parameters the toolstack set, kept across scheduler changes. */
    final Map<String, Long> params = new TreeMap<>();
    final Set<Domain> domains = new LinkedHashSet<>();

    CpuPool(int id, String name, String schedulerName) {
        this.id = id;
        this.name = name;
        this.schedulerName = schedulerName;
    }

    boolean hasScheduler() {
        return scheduler != null;
    }

    @Override
    public String toString() {
        return name;
    }
}
