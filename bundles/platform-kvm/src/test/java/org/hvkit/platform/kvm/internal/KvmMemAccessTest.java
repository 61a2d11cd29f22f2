package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.memaccess.AccessEvent;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccess;
import org.hvkit.api.memaccess.MemAccessListener;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.guests.Guests;
import org.hvkit.memaccess.internal.MemAccessService;
import org.junit.jupiter.api.Test;

/**
 * Acceptance on KVM: the mem-access bundle's service and {@code hv xen-access}, unchanged, on the
 * KVM platform's {@code AccessPlatform}, against the writer and inject guests. Skipped without /dev/kvm.
 */
class KvmMemAccessTest {
    /** hv xen-access, run as its command does (its class is internal to the toolstack bundle). */
    record XenAccessRun(CompletableFuture<Integer> status, ByteArrayOutputStream out, ByteArrayOutputStream err, PipedOutputStream keys) {
        String outText() {
            return out.toString(StandardCharsets.UTF_8);
        }

        /** PAGE ACCESS lines per gfn. */
        Map<Long, Integer> pages(char kind) {
            Map<Long, Integer> m = new TreeMap<>();
            for (String l : outText().lines().toList()) {
                if (!l.startsWith("PAGE ACCESS: ")) continue;
                String rwx = l.substring(13, 16);
                if (rwx.indexOf(kind) < 0) continue;
                long gfn = Long.parseLong(l.replaceAll(".* for GFN ([0-9a-f]+) .*", "$1"), 16);
                m.merge(gfn, 1, Integer::sum);
            }
            return m;
        }
    }

    static XenAccessRun xenAccess(Hypervisor hv, MemAccess ma, String... args) throws Exception {
        Class<?> c = Class.forName("org.hvkit.toolstack.xl.internal.XenAccess");
        Constructor<?> k = c.getDeclaredConstructor(Hypervisor.class, MemAccess.class);
        k.setAccessible(true);
        Object xa = k.newInstance(hv, ma);
        Method run = c.getDeclaredMethod("run", List.class, InputStream.class, PrintStream.class, PrintStream.class);
        run.setAccessible(true);
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> {
            try {
                return (Integer) run.invoke(xa, List.of(args), in, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
            } catch (ReflectiveOperationException x) {
                throw new IllegalStateException(x);
            }
        });
        return new XenAccessRun(f, o, e, keys);
    }

    static long fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static long maps() throws IOException {
        try (Stream<String> s = Files.lines(Path.of("/proc/self/maps"))) {
            return s.count();
        }
    }

    private static boolean noVcpuHeld(KvmRig rig) throws Exception {
        return rig.platform.call(() -> rig.platform.guests().stream().flatMap(g -> Stream.of(g.vcpus)).noneMatch(KvmVcpu::accessPaused));
    }

    @Test
    void xenAccessWriteOnWriterLogsOnePerPageWrittenThenNoneAndTheChecksumHolds() throws Exception {
        try (KvmRig rig = new KvmRig(null, false); MemAccessService ma = new MemAccessService(rig.platform, 1_000_000_000L)) {
            DomainInfo d = rig.createPreserved("writer", "writer", "delay=1s pages=64 rounds=3 pause=50ms", 16);
            XenAccessRun r = xenAccess(rig.core, ma, "writer", "write");
            assertTrue(KvmRig.waitFor(() -> r.err.toString(StandardCharsets.UTF_8).contains("starting write"), 10_000), r.err.toString());
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 60_000), "writer did not finish: " + rig.console());
            Thread.sleep(300); // xen-access drains its lines every 100 ms
            r.keys.write('q');
            r.keys.flush();
            assertEquals(0, r.status.get(20, TimeUnit.SECONDS), r.err.toString());
            Map<Long, Integer> w = r.pages('w');
            System.out.println("xen-access write on writer: " + w.size() + " pages " + w.keySet().stream().map(Long::toHexString).toList());
            for (long g = 0x400; g < 0x440; g++) assertEquals(1, w.getOrDefault(g, 0), "data page 0x" + Long.toHexString(g) + " in\n" + r.outText());
            assertTrue(w.values().stream().allMatch(n -> n == 1), "exactly one event per page: " + w);
            // the kernel stack (vCPU 0: gfns 0x7c-0x7f) is written when an interrupt comes while watched, which depends on timing
            assertTrue(w.keySet().stream().allMatch(g -> (g >= 0x400 && g < 0x440) || (g >= 0x3c0 && g < 0x3d0) || (g >= 0x7c && g < 0x80)),
                    "only the data pages and the user and kernel stacks were written: " + w.keySet());
            assertEquals(Guests.writerChecksum(64, 3), rig.reported(d.id(), 1), "the checksum is unchanged by being watched");
            assertTrue(r.err.toString().contains("xenaccess shut down on signal 15"), r.err.toString());
            assertEquals(0, rig.platform.guests().iterator().next().access.guard().slotCount() - 1, "rwx restored: one slot over RAM again");
        }
    }

    @Test
    void xenAccessExecOnInjectLogsTheFirstExecutePerPage() throws Exception {
        try (KvmRig rig = new KvmRig(null, false); MemAccessService ma = new MemAccessService(rig.platform, 1_000_000_000L)) {
            DomainInfo d = rig.createPreserved("inject", "inject", "delay=1s", 16);
            XenAccessRun r = xenAccess(rig.core, ma, "inject", "exec");
            assertTrue(KvmRig.waitFor(() -> r.err.toString(StandardCharsets.UTF_8).contains("starting exec"), 10_000), r.err.toString());
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 60_000), "inject did not finish: " + rig.console());
            Thread.sleep(300);
            r.keys.write('q');
            r.keys.flush();
            assertEquals(0, r.status.get(20, TimeUnit.SECONDS), r.err.toString());
            Map<Long, Integer> x = r.pages('x');
            System.out.println("xen-access exec on inject: " + x.keySet().stream().map(Long::toHexString).toList() + "\n" + r.outText());
            assertEquals(1, x.getOrDefault(0x200L, 0), "its code page, the first fetch after the listener attached");
            assertEquals(1, x.getOrDefault(Guests.INJECT_PAGE >>> 12, 0), "the payload page");
            assertTrue(x.values().stream().allMatch(n -> n == 1), "one event per page: " + x);
            assertTrue(r.outText().contains(String.format("gla %016x", Guests.INJECT_PAGE)), "the fetch's linear address is known: " + r.outText());
            assertEquals(Guests.INJECT_MARK, rig.reported(d.id(), 1), "the payload ran");
        }
    }

    @Test
    void aListenerThatThrowsIsDisconnectedAndLeavesNothingBehind() throws Exception {
        try (KvmRig rig = new KvmRig(null, false); MemAccessService ma = new MemAccessService(rig.platform, 300_000_000L)) {
            // warm up: one watched run, so class loading does not count as a leak
            DomainInfo w0 = rig.createPreserved("warm", "writer", "delay=10ms pages=4 rounds=1", 16);
            ma.enable(w0.id(), e -> AccessResponse.resume(P2mAccess.RWX)).close();
            assertTrue(KvmRig.waitFor(() -> rig.shutDown(w0.id()), 30_000));
            rig.core.destroyDomain(w0.id());
            long fds = fds(), maps = maps();
            // another domain, whose progress must not depend on a listener misbehaving elsewhere
            DomainInfo other = rig.createPreserved("other", "pinger", "2ms 0", 8);
            for (String how : List.of("throws", "stalls")) {
                DomainInfo d = rig.createPreserved("w-" + how, "writer", "delay=300ms pages=16 rounds=2", 16);
                AtomicInteger calls = new AtomicInteger();
                String[] why = new String[1];
                MemAccessSession s = ma.enable(d.id(), new MemAccessListener() {
                    @Override
                    public AccessResponse onEvent(AccessEvent e) {
                        calls.incrementAndGet();
                        if (how.equals("throws")) throw new IllegalStateException("listener bug");
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException x) {
                            Thread.currentThread().interrupt();
                        }
                        return AccessResponse.resume();
                    }

                    @Override
                    public void disconnected(String reason) {
                        why[0] = reason;
                    }
                });
                long o0 = rig.reported(other.id(), 0), t0 = System.nanoTime();
                ma.setAccess(d.id(), 0x400, 16, P2mAccess.RX);
                assertTrue(KvmRig.waitFor(() -> !s.active(), 10_000), how + ": not disconnected");
                long o1 = rig.reported(other.id(), 0), t1 = System.nanoTime();
                double rate = (o1 - o0) / ((t1 - t0) / 1e9);
                System.out.printf("%s listener: disconnected after %.0f ms (%s); the other domain's pinger meanwhile: %d rounds, %.0f/s (period 2 ms: 500/s at most)%n",
                        how, (t1 - t0) / 1e6, why[0], o1 - o0, rate);
                assertTrue(o1 > o0, how + ": the other domain made no progress while the listener misbehaved");
                assertTrue(KvmRig.waitFor(() -> rig.shutDown(d.id()), 30_000), how + ": the guest did not go on after the disconnect: " + rig.console());
                assertEquals(Guests.writerChecksum(16, 2), rig.reported(d.id(), 1), how + ": checksum");
                assertTrue(calls.get() >= 1 && why[0] != null, how + ": " + why[0]);
                assertTrue(noVcpuHeld(rig), how + ": a vCPU is still held");
                rig.core.destroyDomain(d.id());
            }
            rig.core.destroyDomain(other.id());
            // a second listener on one domain is refused; destroy with events pending frees everything
            DomainInfo d = rig.createPreserved("busy", "writer", "delay=300ms pages=16 rounds=1", 16);
            MemAccessSession first = ma.enable(d.id(), e -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
                return AccessResponse.resume();
            });
            org.hvkit.api.toolstack.HypervisorException busy = org.junit.jupiter.api.Assertions.assertThrows(org.hvkit.api.toolstack.HypervisorException.class,
                    () -> ma.enable(d.id(), e -> AccessResponse.resume()));
            assertEquals("EBUSY", String.valueOf(busy.errno()), "a second listener");
            ma.setAccess(d.id(), 0x400, 16, P2mAccess.RX);
            assertTrue(KvmRig.waitFor(() -> first.delivered() >= 1, 10_000), "no event");
            rig.core.destroyDomain(d.id());
            assertTrue(KvmRig.waitFor(() -> !first.active(), 5_000), "the session outlived its domain");
            assertEquals(0, rig.platform.mappedBytes(), "guest memory left mapped");
            assertTrue(KvmRig.waitFor(() -> {
                try {
                    return fds() <= fds && maps() <= maps + 4;
                } catch (IOException e) {
                    return false;
                }
            }, 5_000), "fds " + fds + " -> " + fds() + ", maps " + maps + " -> " + maps());
            assertFalse(first.active());
        }
    }
}
