package org.hvkit.xsm.flask.internal;

import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.xsm.Caller;
import org.hvkit.api.xsm.Subject;
import org.hvkit.core.internal.CoreConfig;
import org.hvkit.core.internal.HypervisorCore;
import org.hvkit.platform.sim.internal.SimConfig;
import org.hvkit.platform.sim.internal.SimPlatform;
import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.timer.internal.TimerFactoryComponent;

/** The real core on the real simulated machine (stepped by the test) with FLASK bound. */
final class Host implements AutoCloseable {
    static final Subject MONITOR = new Subject("system_u:system_r:monitor_t", 0, "user alice");

    final RecordingPlatform platform;
    final HypervisorCore core;
    FlaskModule flask;

    Host(FlaskModule flask) {
        platform = new RecordingPlatform(new SimPlatform(new SimConfig(HostTopology.of(1, 4, 1, 1, 16L << 30), 1, SimConfig.Mode.MANUAL, 1),
                new TimerFactoryComponent()));
        core = new HypervisorCore(platform, new CoreConfig("credit", 1, 1024, null));
        core.addScheduler(new Credit1Provider());
        core.start();
        this.flask = flask;
        if (flask != null) core.bindSecurityModule(flask);
    }

    static Host withExample(boolean enforcing) throws Exception {
        return new Host(new FlaskModule("xen.te", FlaskModule.example(), enforcing));
    }

    static DomainConfig guest(String name, String seclabel) {
        return DomainConfig.builder(name).memoryMb(64).seclabel(seclabel).platformOptions(Map.of("workload", "cpu")).build();
    }

    void run(long ms) {
        platform.sim.advance(platform.sim.timers().now() + ms * 1_000_000);
    }

    /** Runs {@code task} as {@code who}, as the xl socket does for a peer. */
    static <T> T as(Subject who, java.util.concurrent.Callable<T> task) throws Exception {
        return Caller.call(who, task);
    }

    List<String> avcLines() {
        return core.readConsole(false).stream().filter(l -> l.contains("avc:  ")).map(l -> l.substring(l.indexOf("avc:  "))).toList();
    }

    @Override
    public void close() {
        core.stop();
    }
}
