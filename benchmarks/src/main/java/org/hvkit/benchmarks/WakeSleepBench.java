package org.hvkit.benchmarks;

import java.util.concurrent.TimeUnit;
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
 * ns per wake-and-block pair on a busy host ({@link BusyHost}): a sleeping vCPU wakes and blocks
 * again at once, sleepers taken in turn over the host. The cross-check of {@link WakeBench} in
 * JMH's average-time mode; the pair also includes the scheduler's sleep hook.
 *
 * <p>Run: {@code bin/bench jmh Wake} (with {@link WakeBench}) or {@code bin/bench jmh WakeSleep}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
public class WakeSleepBench {
    @Param({"credit", "credit2"})
    public String scheduler;

    @Param({"16", "256", "4096"})
    public int pcpus;

    private BusyHost host;
    private int next;

    @Setup(Level.Trial)
    public void boot() {
        host = new BusyHost(scheduler, pcpus, Math.max(pcpus, 64));
    }

    @Benchmark
    public int wakeAndSleep() throws Exception {
        int s = next = (next + 1) % host.sleepers.length;
        host.wakeAndSleep(s);
        return s;
    }

    @TearDown(Level.Trial)
    public void stop() {
        host.sim.close();
    }
}
