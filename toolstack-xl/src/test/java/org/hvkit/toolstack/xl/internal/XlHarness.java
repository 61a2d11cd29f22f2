package org.hvkit.toolstack.xl.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.testkit.Simulation;

/** A fixed simulated host (4 pCPUs, credit1, 1 vCPU Domain-0) with xl run against it. */
final class XlHarness implements AutoCloseable {
    record Result(int status, String out, String err) { }

    final Simulation sim;
    final XlCommand xl;

    XlHarness() {
        this(HostTopology.of(1, 4, 1, 1, 8L << 30));
    }

    XlHarness(HostTopology topo, org.hvkit.api.sched.SchedulerProvider... extra) {
        Simulation.Builder b = Simulation.builder().topology(topo).scheduler(new Credit1Provider()).seed(1);
        for (var p : extra) b.scheduler(p);
        sim = b.build();
        xl = new XlCommand(sim.hypervisor());
    }

    /** A host built by {@code b} (e.g. with a trace listener). */
    XlHarness(Simulation.Builder b) {
        sim = b.build();
        xl = new XlCommand(sim.hypervisor());
    }

    /** A host whose only scheduler is {@code only}. */
    XlHarness(org.hvkit.api.sched.SchedulerProvider only, HostTopology topo) {
        sim = Simulation.builder().topology(topo).scheduler(only).seed(1).build();
        xl = new XlCommand(sim.hypervisor());
    }

    Result run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int status = xl.run(Arrays.asList(args), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Result(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        sim.close();
    }
}
