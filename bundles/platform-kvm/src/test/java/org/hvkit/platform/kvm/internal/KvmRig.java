package org.hvkit.platform.kvm.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.hvkit.api.domain.CpuMask;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.core.internal.CoreConfig;
import org.hvkit.core.internal.HypervisorCore;
import org.hvkit.guests.Guests;
import org.junit.jupiter.api.Assumptions;

/** The real core on the KVM platform, with the test guests written to a directory. */
final class KvmRig implements AutoCloseable {
    private static Path guestDir;

    final KvmPlatform platform;
    final HypervisorCore core;
    final String scheduler;

    /** Skips the calling test when /dev/kvm does not work here. */
    static void assumeKvm() {
        String why = Kvm.probe();
        Assumptions.assumeTrue(why == null, "no /dev/kvm: " + why);
    }

    static synchronized Path guests() throws java.io.IOException {
        if (guestDir == null) {
            guestDir = Files.createTempDirectory("hvkit-guests");
            Guests.writeAll(guestDir);
            guestDir.toFile().deleteOnExit();
        }
        return guestDir;
    }

    /** Credit1 when its provider is on the class path, else the core's round robin. */
    static SchedulerProvider credit1() {
        try {
            return (SchedulerProvider) Class.forName("org.hvkit.sched.credit1.internal.Credit1Provider").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    KvmRig(String cpus, boolean wantCredit1) {
        this(cpus, wantCredit1 ? credit1() : null);
    }

    /** A machine whose Pool-0 runs {@code sched} (credit or credit2, by class name), or the core's round robin when null. */
    KvmRig(String cpus, String sched) {
        this(cpus, provider(sched));
    }

    private KvmRig(String cpus, SchedulerProvider provider) {
        assumeKvm();
        platform = new KvmPlatform(cpus, "4096", new org.hvkit.timer.internal.TimerFactoryComponent());
        core = new HypervisorCore(platform, CoreConfig.defaults().withDefaultScheduler(provider == null ? "credit" : provider.optName()));
        if (provider != null) core.addScheduler(provider);
        scheduler = provider == null ? "rr-fallback" : provider.optName();
        core.start();
    }

    static SchedulerProvider provider(String sched) {
        String cls = sched.equals("credit2") ? "org.hvkit.sched.credit2.internal.Credit2Provider" : "org.hvkit.sched.credit1.internal.Credit1Provider";
        try {
            return (SchedulerProvider) Class.forName(cls).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    DomainInfo create(String name, String guest, String extra, int memMb, CpuMask cpus, Integer weight) throws java.io.IOException {
        Map<String, String> opts = new HashMap<>();
        opts.put("kernel", guests().resolve(guest + ".hvk").toString());
        if (extra != null) opts.put("extra", extra);
        DomainConfig.Builder b = DomainConfig.builder(name).memoryMb(memMb).platformOptions(opts);
        if (cpus != null) b.cpus(cpus);
        if (weight != null) b.weight(weight);
        return core.createDomain(b.build());
    }

    /** A domain of one vCPU that stays (preserved) after it powers off, so its reports can be read. */
    DomainInfo createPreserved(String name, String guest, String extra, int memMb) throws java.io.IOException {
        Map<String, String> opts = new HashMap<>();
        opts.put("kernel", guests().resolve(guest + ".hvk").toString());
        if (extra != null) opts.put("extra", extra);
        return core.createDomain(DomainConfig.builder(name).memoryMb(memMb).platformOptions(opts)
                .onPoweroff(org.hvkit.api.domain.LifecycleAction.PRESERVE).build());
    }

    /** Whether the domain has shut down (or is gone). */
    boolean shutDown(int domid) {
        return core.domain(domid).map(DomainInfo::shutdown).orElse(true);
    }

    /** The newest value the guest reported under {@code key} (as hv reports shows it), 0 if none or the domain is gone. */
    long reported(int domid, int key) {
        try {
            return core.guestReports(domid).stream().filter(r -> r.key() == key).mapToLong(org.hvkit.api.toolstack.GuestReport::last).findFirst().orElse(0);
        } catch (org.hvkit.api.toolstack.HypervisorException gone) {
            return 0;
        }
    }

    List<String> console() {
        return core.readConsole(false);
    }

    static boolean waitFor(BooleanSupplier cond, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(5);
        }
        return cond.getAsBoolean();
    }

    boolean gone(int domid) {
        return core.domain(domid).isEmpty();
    }

    @Override
    public void close() {
        core.stop();
    }
}
