package org.hvkit.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ns per wake on a busy host ({@link BusyHost}: two CPU-bound vCPUs on every pCPU): a blocked vCPU
 * wakes, so the core updates its run state and accounting, the scheduler's wake hook queues it and
 * looks for a pCPU to tickle (none is idle, so a preemption candidate), and the simulated machine
 * arms the tickled pCPU's softirq. Virtual time stands still, so nothing runs in between.
 *
 * <p>Single-shot batches of {@value #BATCH} wakes, each of a different sleeping vCPU (one sleeper
 * per pCPU, taken in turn over the host); before each batch, untimed, the previous batch goes back
 * to sleep. The score is ns per wake. {@link WakeSleepBench} cross-checks with JMH's usual
 * average-time mode (a wake and the block that undoes it).
 *
 * <p>Run: {@code bin/bench jmh Wake}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 500)
@Measurement(iterations = 2000)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
public class WakeBench {
    static final int BATCH = 16;
    /** Wake/sleep pairs run in the trial set-up, so that the short single-shot batches are measured compiled. */
    static final int JIT_WARMUP_PAIRS = 300_000;

    @Param({"credit", "credit2"})
    public String scheduler;

    @Param({"16", "256", "4096"})
    public int pcpus;

    private BusyHost host;
    private int next, asleepFrom;

    @Setup(Level.Trial)
    public void boot() throws Exception {
        host = new BusyHost(scheduler, pcpus, Math.max(pcpus, 4 * BATCH));
        for (int i = 0; i < JIT_WARMUP_PAIRS; i++) host.wakeAndSleep(i % host.sleepers.length);
    }

    /** Puts the previous batch back to sleep (not timed). */
    @Setup(Level.Invocation)
    public void sleepAgain() throws Exception {
        int from = asleepFrom, to = next, n = host.sleepers.length;
        host.sim.platform().call(() -> {
            for (int i = from; i != to; i = (i + 1) % n) host.sleepers[i].block();
            return null;
        });
        asleepFrom = to;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int wake() throws Exception {
        int start = next, n = host.sleepers.length;
        host.sim.platform().call(() -> {
            for (int i = 0, s = start; i < BATCH; i++, s = (s + 1) % n) host.sleepers[s].wake();
            return null;
        });
        return next = (start + BATCH) % n;
    }

    @TearDown(Level.Trial)
    public void stop() {
        host.sim.close();
    }
}
