package org.hvkit.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.platform.Dispatch;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.platform.MachineHost;
import org.hvkit.api.timer.VirtualTimers;
import org.hvkit.testkit.Simulation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ns per schedule decision on a loaded host: one pCPU is tickled and reschedules — the simulated
 * machine's event, the core's schedule path and the scheduler's do_schedule together, so this is an
 * upper bound on do_schedule alone. Two CPU-bound vCPUs per pCPU; pCPUs taken round robin.
 *
 * <p>{@link #decision}: the pCPU is tickled and its softirq event fires (virtual time stands still,
 * so a vCPU that has just started keeps its pCPU under the ratelimit). {@link #doSchedule}: the
 * core's schedule path (validation, accounting, switch) and the scheduler's do_schedule, called
 * directly without the simulated machine's events; virtual time moves on by {@link #STEP_NS} per
 * round over the pCPUs, so every ratelimit has run out and each call is a full decision (burn
 * credit, pick the candidate, re-queue, credit resets and load balancing as they fall due). The
 * platform is not told of these decisions, so it is not advanced afterwards.
 *
 * <p>Run: {@code bin/bench jmh ScheduleDecision}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
public class ScheduleDecisionBench {
    @Param({"credit", "credit2"})
    public String scheduler;

    @Param({"16", "256", "4096"})
    public int pcpus;

    /** With the core's hook guard (issue 15) or without it ({@code hvkit.core.unguarded}): what containment costs, in one run. */
    @Param({"guarded", "unguarded"})
    public String hooks;

    /** Virtual time per round over the pCPUs in {@link #doSchedule}: above the 1 ms ratelimit of both schedulers. */
    static final long STEP_NS = 1_100_000L;

    private Simulation sim;
    private int cpu;
    private MachineHost host;
    private VirtualTimers clock;

    @Setup(Level.Trial)
    public void boot() {
        // read once when the core's Machine class initialises: each fork sets it before that
        System.setProperty("hvkit.core.unguarded", String.valueOf(hooks.equals("unguarded")));
        int perSocket = Math.min(pcpus, 16);
        sim = Simulation.builder().topology(HostTopology.of(pcpus / perSocket, perSocket, 1, 1, 1L << 40))
                .scheduler(Schedulers.byName(scheduler)).seed(1).build();
        for (int d = 0; d < pcpus / 2; d++) {
            sim.create(DomainConfig.builder("hog" + d).vcpus(4).memoryMb(16).platformOptions(Map.of("workload", "cpu")).build());
        }
        sim.run(Duration.ofMillis(200));
        host = sim.core().machineHost();
        clock = (VirtualTimers) sim.platform().timers();
    }

    @Benchmark
    public long decision() throws Exception {
        int c = cpu = (cpu + 1) % pcpus;
        var p = sim.platform();
        p.call(() -> {
            p.tickle(c);
            return null;
        });
        p.advance(p.timers().now());
        return p.eventsFired();
    }

    @Benchmark
    public Dispatch doSchedule() {
        int c = cpu = (cpu + 1) % pcpus;
        if (c == 0) clock.advanceTo(clock.now() + STEP_NS);
        return host.schedule(c);
    }

    @TearDown(Level.Trial)
    public void stop() {
        sim.close();
    }
}
