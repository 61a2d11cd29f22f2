package org.hvkit.platform.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.GuestReport;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.MigrationReport;
import org.hvkit.guests.Guests;
import org.junit.jupiter.api.Test;

/**
 * Live migration of real guests between two hvkit hosts (two cores on KVM in one process) over a
 * loopback TCP connection: pre-copy with dirty logging, stop-and-copy, then the commit xl makes
 * (destroy at the source, rename and unpause at the target). The guests' own counters and
 * checksums prove they went on; a cut or garbled stream leaves the source running and nothing
 * on the target.
 */
class KvmMigrateTest {
    /** What one migration did: the sender's report, the target's domain, the downtime as xl sees it. */
    record Moved(MigrationReport report, DomainInfo target, long downtimeNs) { }

    /**
     * Migrates {@code domid} from {@code a} to {@code b} through a TCP connection whose bytes
     * pass {@code tamper} (null: untouched); commits as xl does. Throws what the target said when
     * it refused, after the source was resumed as xl resumes it.
     */
    static Moved migrate(KvmRig a, int domid, KvmRig b, UnaryOperator<InputStream> tamper) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<DomainInfo> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = ss.accept(); InputStream in = tamper == null ? s.getInputStream() : tamper.apply(s.getInputStream())) {
                    return b.core.migrateReceive(new java.io.BufferedInputStream(in, 1 << 20), "--incoming");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String name = a.core.domain(domid).orElseThrow().name();
            MigrationReport rep;
            try (Socket s = new Socket(ss.getInetAddress(), ss.getLocalPort()); OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 20)) {
                rep = a.core.migrateSend(domid, out, line -> { });
            } catch (HypervisorException e) {
                // the stream broke at the sender's end: the core resumed the domain; the receiver's verdict is the error of interest
                try {
                    received.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException x) {
                    throw (Exception) x.getCause();
                }
                throw e;
            }
            DomainInfo in;
            try {
                in = received.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException x) {
                a.core.unpauseDomain(domid); // xl: no ready message, "Migration failed, resuming at sender."
                throw (Exception) x.getCause();
            }
            assertEquals(name + "--incoming", in.name());
            a.core.renameDomain(domid, name + "--migratedaway");
            b.core.renameDomain(in.id(), name);
            b.core.unpauseDomain(in.id());
            long downtime = System.nanoTime() - rep.pausedNanos();
            a.core.destroyDomain(domid);
            return new Moved(rep, b.core.domain(in.id()).orElseThrow(), downtime);
        }
    }

    private static GuestReport report(KvmRig rig, int domid, int key) {
        return rig.core.guestReports(domid).stream().filter(r -> r.key() == key).findFirst().orElse(null);
    }

    @Test
    void aRunningBurnMovesAndCountsOn() throws Exception {
        try (KvmRig a = new KvmRig(null, true); KvmRig b = new KvmRig(null, true)) {
            DomainInfo d = a.create("burn", "burn", "1m", 64, null, null);
            assertTrue(KvmRig.waitFor(() -> a.reported(d.id(), 0) >= 30, 20_000), "burn got going");
            long before = a.reported(d.id(), 0);
            Moved m = migrate(a, d.id(), b, null);
            assertTrue(a.gone(d.id()), "destroyed at the source");
            assertEquals("burn", m.target().name());
            System.out.println("64 MiB burn: " + m.report().pagesPerRound() + " pages per round, downtime " + m.downtimeNs() / 1000 + " us");
            assertTrue(KvmRig.waitFor(() -> b.reported(m.target().id(), 0) >= before + 40, 20_000), "the moved burn counts on: " + b.reported(m.target().id(), 0));
            GuestReport k0 = report(b, m.target().id(), 0);
            assertTrue(k0.min() > before, "from where it was (" + k0.min() + " after " + before + "), not from the start");
            assertTrue(b.core.domain(m.target().id()).orElseThrow().shutdownReason() == null, "no crash: " + b.console());
        }
    }

    @Test
    void aSleepingPingerMovesAndItsRoundsGoOn() throws Exception {
        try (KvmRig a = new KvmRig(null, true); KvmRig b = new KvmRig(null, true)) {
            DomainInfo p = a.create("pinger", "pinger", "5ms 0", 8, null, null);
            assertTrue(KvmRig.waitFor(() -> a.reported(p.id(), 0) >= 20, 20_000));
            long before = a.reported(p.id(), 0);
            Moved m = migrate(a, p.id(), b, null);
            int id = m.target().id();
            assertTrue(KvmRig.waitFor(() -> b.reported(id, 0) >= before + 40, 20_000), "rounds go on: " + b.reported(id, 0));
            assertTrue(report(b, id, 0).min() > before, "from where they were");
            GuestReport lat = report(b, id, 1);
            assertTrue(lat.min() > -1_000_000 && lat.max() < 2_000_000_000L, "its TSC went on: latency " + lat.min() + ".." + lat.max() + " ns");
        }
    }

    @Test
    void pagesWrittenDuringPreCopyArriveDirtyLoggingMisssesNone() throws Exception {
        try (KvmRig a = new KvmRig(null, true); KvmRig b = new KvmRig(null, true)) {
            // 1024 pages rewritten every 3 ms: every pre-copy round finds them dirty again
            DomainInfo w = a.createPreserved("writer", "writer", "0 1024 2000 3ms", 16);
            assertTrue(KvmRig.waitFor(() -> a.reported(w.id(), 0) >= 20, 20_000), "writer got going: " + a.console());
            Moved m = migrate(a, w.id(), b, null);
            System.out.println("16 MiB writer: " + m.report().pagesPerRound() + " pages per round, downtime " + m.downtimeNs() / 1000 + " us");
            assertTrue(m.report().pagesPerRound().size() > 2, "several rounds: " + m.report().pagesPerRound());
            int id = m.target().id();
            assertTrue(KvmRig.waitFor(() -> b.shutDown(id), 60_000), "the writer finishes on the target: " + b.reported(id, 0) + " rounds; " + b.console());
            assertEquals(Guests.writerChecksum(1024, 2000), b.reported(id, 1), "and its memory holds exactly what it wrote: " + b.console());
        }
    }

    /** Passes the first {@code n} bytes, then ends the stream (the connection cut). */
    private static InputStream cutAfter(InputStream in, long n) {
        return new java.io.FilterInputStream(in) {
            long left = n;

            @Override
            public int read() throws IOException {
                if (left <= 0) return -1;
                left--;
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    in.close();
                    return -1;
                }
                int r = super.read(b, off, (int) Math.min(len, left));
                if (r > 0) left -= r;
                return r;
            }
        };
    }

    /** Flips one bit at byte {@code at}. */
    private static InputStream flipAt(InputStream in, long at) {
        return new java.io.FilterInputStream(in) {
            long pos;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int r = super.read(b, off, len);
                if (r > 0 && at >= pos && at < pos + r) b[off + (int) (at - pos)] ^= 0x10;
                if (r > 0) pos += r;
                return r;
            }
        };
    }

    @Test
    void aCutOrGarbledStreamLeavesTheSourceRunningAndNothingOnTheTarget() throws Exception {
        try (KvmRig a = new KvmRig(null, true); KvmRig b = new KvmRig(null, true)) {
            DomainInfo d = a.create("burn", "burn", "1m", 64, null, null);
            assertTrue(KvmRig.waitFor(() -> a.reported(d.id(), 0) >= 10, 20_000));
            long mapped = ((KvmHostMemory) b.platform.memory()).mapped.get();
            int domains = b.core.listDomains().size();
            for (long cut : new long[] {10, 300, 20_000}) {
                Exception e = assertThrows(Exception.class, () -> migrate(a, d.id(), b, in -> cutAfter(in, cut)));
                assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("wrong magic"), "cut at " + cut + ": " + e.getMessage());
                assertRunsOn(a, d.id());
                assertEquals(domains, b.core.listDomains().size(), "nothing half-created on the target");
                assertEquals(mapped, ((KvmHostMemory) b.platform.memory()).mapped.get(), "no guest memory left mapped on the target");
            }
            Exception e = assertThrows(Exception.class, () -> migrate(a, d.id(), b, in -> flipAt(in, 15_000)));
            assertTrue(e.getMessage().contains("corrupt (CRC-32C mismatch)"), e.getMessage());
            assertRunsOn(a, d.id());
            assertEquals(domains, b.core.listDomains().size());
            assertEquals(mapped, ((KvmHostMemory) b.platform.memory()).mapped.get());
            Moved m = migrate(a, d.id(), b, null);
            assertTrue(KvmRig.waitFor(() -> b.reported(m.target().id(), 0) > 0, 20_000), "a clean migration still works after the faults");
        }
    }

    private static void assertRunsOn(KvmRig a, int domid) throws InterruptedException {
        DomainInfo d = a.core.domain(domid).orElseThrow();
        assertEquals("burn", d.name(), "the source domain keeps its name");
        long now = a.reported(domid, 0);
        assertTrue(KvmRig.waitFor(() -> a.reported(domid, 0) > now + 3, 20_000), "and runs on: " + a.reported(domid, 0));
    }
}
