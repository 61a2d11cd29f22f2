package org.hvkit.toolstack.xl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hvkit.api.domain.VcpuInfo;
import org.hvkit.api.platform.HostTopology;
import org.hvkit.api.sched.Scheduler;
import org.hvkit.api.sched.SchedulerContext;
import org.hvkit.api.sched.SchedulerProvider;
import org.hvkit.api.sched.SchedVcpu;
import org.hvkit.sched.credit1.internal.Credit1Provider;
import org.hvkit.sched.credit2.internal.Credit2Provider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** xl vcpu-set and xl rename on the real core, the simulated machine and the real credit schedulers. */
class XlVcpuSetTest {
    @TempDir
    Path dir;

    /** A real scheduler whose insert_vcpu / remove_vcpu calls are written down (the instance itself decides everything). */
    static final class Recording implements SchedulerProvider {
        final SchedulerProvider real;
        final List<String> calls = new ArrayList<>();

        Recording(SchedulerProvider real) {
            this.real = real;
        }

        @Override public String name() { return real.name(); }
        @Override public String optName() { return real.optName(); }
        @Override public int schedulerId() { return real.schedulerId(); }
        @Override public Map<String, Long> defaultPoolParams() { return real.defaultPoolParams(); }
        @Override public Map<String, Long> defaultDomainParams() { return real.defaultDomainParams(); }

        @Override
        public Scheduler create(SchedulerContext ctx, Map<String, Long> poolParams) {
            Scheduler inner = real.create(ctx, poolParams);
            return (Scheduler) Proxy.newProxyInstance(Scheduler.class.getClassLoader(), new Class<?>[] {Scheduler.class}, (p, m, args) -> {
                if ((m.getName().equals("insertVcpu") || m.getName().equals("removeVcpu")) && ((SchedVcpu) args[0]).domain().id() != 0) {
                    calls.add(m.getName() + " " + ((SchedVcpu) args[0]).vcpuId());
                }
                try {
                    return m.invoke(inner, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }
    }

    private String cfg(String body) throws IOException {
        Path p = dir.resolve("d.cfg");
        Files.writeString(p, body);
        return p.toString();
    }

    private static List<VcpuInfo> vcpus(XlHarness h, String name) {
        return h.sim.hypervisor().vcpus(h.sim.hypervisor().findDomain(name).orElseThrow().id());
    }

    private static long[] times(XlHarness h, String name) {
        return vcpus(h, name).stream().mapToLong(VcpuInfo::cpuTimeNs).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"credit", "credit2"})
    void vcpusGoOfflineAndComeBackUnderTheScheduler(String sched) throws IOException {
        Recording rec = new Recording(sched.equals("credit") ? new Credit1Provider() : new Credit2Provider());
        try (XlHarness h = new XlHarness(rec, HostTopology.of(1, 4, 1, 1, 8L << 30))) {
            assertEquals(0, h.run("create", cfg("name='h'\nvcpus=2\nmaxvcpus=4\nworkload='cpu'\n")).status());
            assertEquals(List.of("insertVcpu 0", "insertVcpu 1"), rec.calls, "only online vCPUs enter the scheduler");
            h.sim.run(Duration.ofSeconds(1));
            List<VcpuInfo> v = vcpus(h, "h");
            assertTrue(v.get(1).cpuTimeNs() > 0);
            assertFalse(v.get(2).online());
            assertEquals(0, v.get(3).cpuTimeNs());
            assertTrue(h.run("vcpu-list", "h").out().contains("1     2    -   --p       0.0  any cpu"), h.run("vcpu-list", "h").out());

            rec.calls.clear();
            assertEquals(new XlHarness.Result(0, "", ""), h.run("vcpu-set", "h", "4"));
            assertEquals(List.of("insertVcpu 2", "insertVcpu 3"), rec.calls);
            assertTrue(h.run("list", "h").out().contains(" 4     r-----"), h.run("list", "h").out());
            h.sim.run(Duration.ofSeconds(1));
            long[] up = times(h, "h");
            for (int i = 0; i < 4; i++) assertTrue(up[i] > 500_000_000L * (i < 2 ? 2 : 1) / 2, "vcpu " + i + " ran " + up[i]);

            rec.calls.clear();
            assertEquals(new XlHarness.Result(0, "", ""), h.run("vcpu-set", "h", "1"));
            assertEquals(List.of("removeVcpu 1", "removeVcpu 2", "removeVcpu 3"), rec.calls);
            long[] down = times(h, "h");
            h.sim.run(Duration.ofSeconds(1));
            long[] later = times(h, "h");
            for (int i = 1; i < 4; i++) assertEquals(down[i], later[i], "offline vcpu " + i + " does not run");
            assertTrue(later[0] - down[0] > 900_000_000L, "vcpu 0 keeps a pCPU: " + (later[0] - down[0]));
            assertTrue(h.run("list", "h").out().contains(" 1     r-----"));

            // a scheduler change hands over only what is online; bringing vCPUs back still works after it
            h.sim.hypervisor().switchScheduler(0, sched);
            rec.calls.clear();
            assertEquals(0, h.run("vcpu-set", "h", "2").status());
            assertEquals(List.of("insertVcpu 1"), rec.calls);
            h.sim.run(Duration.ofMillis(500));
            assertTrue(times(h, "h")[1] > later[1]);
            assertTrue(h.run("dmesg").out().contains("domain 1 (h): vcpus online 1 -> 2 of 4"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "x", "0"})
    void refusalsAreXlsMessagesAndStatus(String n) throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("name='h'\nvcpus=2\nmaxvcpus=4\nworkload='cpu'\n"));
            XlHarness.Result r = h.run("vcpu-set", "h", n);
            String want = switch (n) {
                case "5" -> "libxl: error: libxl.c:3983:libxl_set_vcpuonline: Requested 5 VCPUs, however maxcpus is 4!\nlibxl_set_vcpuonline failed domid=1 max_vcpus=5\n";
                case "x" -> "Error: Invalid argument.\n";
                default -> "libxl: error: libxl.c:3976:libxl_set_vcpuonline: domain 1: at least one vcpu must stay online (requested 0)\nlibxl_set_vcpuonline failed domid=1 max_vcpus=0\n";
            };
            assertEquals(new XlHarness.Result(0, "", want), r, "4.2's vcpuset() prints and returns 0");
            assertEquals(2, h.sim.hypervisor().findDomain("h").orElseThrow().onlineVcpus());
            assertEquals(2, h.run("vcpu-set", "nope", "1").status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"3abc", " +3"})
    void theCountIsReadAsStrtoulDoes(String n) throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("name='h'\nvcpus=1\nmaxvcpus=4\nworkload='cpu'\n"));
            assertEquals(new XlHarness.Result(0, "", ""), h.run("vcpu-set", "h", n));
            assertEquals(3, h.sim.hypervisor().findDomain("h").orElseThrow().onlineVcpus());
        }
    }

    @org.junit.jupiter.api.Test
    void renameKeepsTheDomainAndFreesTheOldName() throws IOException {
        try (XlHarness h = new XlHarness()) {
            h.run("create", cfg("name='a'\nworkload='cpu'\n"));
            h.run("create", cfg("name='b'\nworkload='cpu'\n"));
            assertEquals(new XlHarness.Result(0, "", ""), h.run("rename", "a", "c"));
            assertEquals(1, h.sim.hypervisor().findDomain("c").orElseThrow().id());
            assertTrue(h.sim.hypervisor().findDomain("a").isEmpty());
            assertEquals(new XlHarness.Result(1, "", "libxl: error: libxl.c:331:libxl__domain_rename: domain with name \"b\" already exists.\nCan't rename domain 'c'.\n"), h.run("rename", "c", "b"));
            assertEquals(new XlHarness.Result(1, "", "libxl: error: libxl.c:378:libxl__domain_rename: domain name \"42\" is all digits: xl would read it as a domain id\nCan't rename domain '1'.\n"),
                    h.run("rename", "1", "42"));
            assertEquals(0, h.run("create", cfg("name='a'\nworkload='cpu'\n")).status(), "the old name is free again");
            assertEquals(2, h.run("rename", "zz", "q").status());
        }
    }
}
