package org.hvkit.benchmarks;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.xsm.Caller;
import org.hvkit.api.xsm.InitialSid;
import org.hvkit.api.xsm.Permission;
import org.hvkit.api.xsm.Subject;
import org.hvkit.testkit.Simulation;
import org.hvkit.toolstack.xl.internal.XlCommand;
import org.hvkit.xsm.flask.internal.FlaskModule;
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
 * What XSM costs. {@code check*}: one FLASK decision through the access vector cache (example
 * policy, enforcing): an allowed permission, a denial that is not audited ({@code dontaudit}), and
 * four triples in turn. {@code xlList}: {@code xl list} of 32 domains on the real core as the
 * read-only monitor, with FLASK bound ({@code flask=true}: a check per domain) and without (the dummy).
 *
 * <p>Run: {@code bin/bench jmh Xsm}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class XsmBench {
    private FlaskModule flask;
    private int dom0, domU, isolated, monitor, xen;
    private int i;

    @Param({"false", "true"})
    public boolean flaskBound;

    private Simulation sim;
    private XlCommand xl;
    private PrintStream sink;
    private static final Subject MONITOR = new Subject("system_u:system_r:monitor_t", 0, "bench");
    private static final Subject DOM0 = Subject.DOMAIN0;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        flask = new FlaskModule("xen.te", FlaskModule.example(), true);
        flask.attach(line -> { });
        dom0 = flask.initialSid(InitialSid.DOM0);
        domU = flask.initialSid(InitialSid.DOMU);
        xen = flask.initialSid(InitialSid.XEN);
        isolated = flask.contextToSid("system_u:system_r:isolated_domU_t");
        monitor = flask.contextToSid("system_u:system_r:monitor_t");
        sim = Simulation.builder().topology(HostTopology.of(1, 8, 1, 1, 64L << 30)).scheduler(Schedulers.byName("credit")).build();
        if (flaskBound) sim.core().bindSecurityModule(new FlaskModule("xen.te", FlaskModule.example(), true));
        for (int d = 0; d < 32; d++) sim.create(DomainConfig.builder("d" + d).memoryMb(16).platformOptions(Map.of("workload", "idle")).build());
        xl = new XlCommand(sim.hypervisor());
        sink = new PrintStream(OutputStream.nullOutputStream());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sim.close();
    }

    @Benchmark
    public boolean checkAllowed() {
        return flask.check(dom0, domU, Permission.DOMAIN_DESTROY, 0, 1);
    }

    @Benchmark
    public boolean checkDeniedQuietly() {
        return flask.check(monitor, isolated, Permission.DOMAIN_GETDOMAININFO, 0, 2);
    }

    @Benchmark
    public boolean checkMixed() {
        return switch (i++ & 3) {
            case 0 -> flask.check(dom0, domU, Permission.DOMAIN_PAUSE, 0, 1);
            case 1 -> flask.check(monitor, domU, Permission.DOMAIN_GETDOMAININFO, 0, 1);
            case 2 -> flask.check(dom0, xen, Permission.XEN_PHYSINFO, 0, -1);
            default -> flask.check(domU, xen, Permission.XEN_WRITECONSOLE, 1, -1);
        };
    }

    @Benchmark
    public int xlList() throws Exception {
        return Caller.call(flaskBound ? MONITOR : DOM0, () -> xl.run("/", List.of("list"), sink, sink));
    }
}
