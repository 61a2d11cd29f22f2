package org.hvkit.core.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.domain.RunState;
import org.hvkit.api.domain.ShutdownReason;
import org.hvkit.api.memory.GuestMemory;
import org.hvkit.api.platform.Guest;
import org.hvkit.api.sched.SchedDomain;

/** One domain. Machine context only. */
final class Domain implements SchedDomain {
    final int id;
    String name;
    final String uuid;
    final DomainConfig config;
    final long createdAt;
    CpuPool pool;
    /** The pool whose {@code domains} hold it (and count its vCPUs' processors), or null while it is in none. */
    CpuPool countedIn;
    Vcpu[] vcpus = new Vcpu[0];
    GuestMemory memory;
    Guest guest;
    long memoryMb;
    long maxMemoryMb;
    /** The toolstack's memory target, KiB (xl mem-set); memoryMb is what the guest holds. */
    long targetKb;

    boolean paused;
    boolean shutdown;
    ShutdownReason shutdownReason;
    boolean dying;
    /** The scheduler parameters the toolstack set, kept by the core so they survive a scheduler change. */
    final Map<String, Long> schedParams = new HashMap<>();
    /** Values the guest reported (GuestEvents.report). */
    final ReportStats reports = new ReportStats();
    /** What the guest wrote to its console (xl console). */
    final GuestConsole console = new GuestConsole();
    private Object schedData;
    /** Its security label (XSM). */
    final SidCache label;

    Domain(int id, String name, String uuid, DomainConfig config, long createdAt) {
        this.id = id;
        this.name = name;
        this.uuid = uuid;
        this.config = config;
        this.createdAt = createdAt;
        this.memoryMb = config.memoryMb();
        this.maxMemoryMb = config.maxMemoryMb();
        this.label = new SidCache(config.seclabel());
        this.targetKb = config.memoryMb() * 1024;
    }

    boolean isControlDomain() {
        return id == 0;
    }

    long cpuTimeNs(long now) {
        long t = 0;
        for (Vcpu v : vcpus) t += v.timeIn(RunState.RUNNING, now);
        return t;
    }

    DomainInfo info(long now) {
        boolean running = false, anyRunnable = false;
        int online = 0;
        for (Vcpu v : vcpus) {
            running |= v.running;
            anyRunnable |= v.isRunnable();
            if (v.online) online++;
        }
        boolean blocked = !running && !anyRunnable && !paused && !shutdown && !dying;
        return new DomainInfo(id, name, uuid, memoryMb, maxMemoryMb, online, vcpus.length, running, blocked, paused,
                shutdown, shutdown ? shutdownReason : null, dying, cpuTimeNs(now), pool.id, pool.name, createdAt);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Vcpu> vcpus() {
        return Arrays.asList(vcpus);
    }

    @Override
    public Object schedData() {
        return schedData;
    }

    @Override
    public void setSchedData(Object data) {
        schedData = data;
    }

    @Override
    public String toString() {
        return name + "(" + id + ")";
    }
}
