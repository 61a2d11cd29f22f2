package org.hvkit.core.internal;

import static org.hvkit.api.toolstack.HypervisorException.Errno.EINVAL;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.platform.Guest;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.MigrationReport;

/**
 * Live migration (xl migrate / migrate-receive) over {@link MigrationStream}. The sender copies
 * memory in pre-copy rounds while the guest runs (dirty logging), then pauses it and sends the
 * pages still dirty, the core state and the guest's vCPU and device state; the receiver builds
 * the domain paused as soon as the stream names it and fills it as rounds arrive. Everything
 * slow (pages, the stream) happens outside machine context; {@link Calls} enters it.
 */
final class Migration {
    /** Enters machine context (HypervisorCore.call). */
    interface Calls {
        <T> T call(Callable<T> task);
    }

    /** 4.2's libxc (xc_domain_save): at most 29 live rounds, stop once fewer than 50 pages are dirty or 3x memory was sent. */
    static final int MAX_ROUNDS = 29, FEW_DIRTY = 50, MAX_FACTOR = 3;
    static final long SETTLE_NS = 5_000_000_000L;

    private final Machine m;
    private final DomainOps ops;
    private final SaveRestore saves;
    private final Calls calls;

    Migration(Machine m, DomainOps ops, SaveRestore saves, Calls calls) {
        this.m = m;
        this.ops = ops;
        this.saves = saves;
        this.calls = calls;
    }

    private <T> T call(Callable<T> task) {
        return calls.call(task);
    }

    MigrationStream.Cpu hostCpu() {
        var c = m.platform().cpuModel();
        return new MigrationStream.Cpu(c.vendor(), c.name(), c.features());
    }

    // ------------------------------------------------------------------ sending

    private record Start(Domain domain, Guest guest, byte[] domainRecord, long pages) { }

    /** Sends domain {@code domid}; {@code replacement} (xl migrate -C), when not null, goes as its configuration. */
    MigrationReport send(int domid, DomainConfig replacement, OutputStream os, Consumer<String> progress) {
        long t0 = System.nanoTime();
        Start s = call(() -> {
            Domain d = ops.require(domid);
            if (d.isControlDomain()) throw new HypervisorException(HypervisorException.Errno.EPERM, "Domain-0 cannot be migrated");
            if (d.shutdown || d.dying) throw new HypervisorException(EINVAL, "domain " + domid + " is shutting down; it cannot be migrated");
            return new Start(d, d.guest, SaveImage.of(m.platform().name(), d).withConfig(replacement).encode(), d.guest.migrationPages());
        });
        List<Long> rounds = new ArrayList<>();
        boolean logging = false, paused = false, wasPaused = false;
        long pausedAt = 0;
        try {
            MigrationStream.Writer w = new MigrationStream.Writer(os);
            w.record(MigrationStream.CPU, hostCpu().encode());
            w.record(MigrationStream.DOMAIN, s.domainRecord());
            w.flush();
            Pages pages = new Pages(s, w);
            BitSet dirty = new BitSet();
            if (s.pages() > 0) {
                s.guest().logDirty(true);
                logging = true;
                dirty.set(0, (int) s.pages());
                long sent = 0;
                for (int round = 1;; round++) {
                    long n = pages.send(dirty, round, round == 1); // round 1: every page, but zero pages are zero at the target already
                    rounds.add(n);
                    sent += n;
                    progress.accept("round " + round + ": " + n + " pages");
                    dirty.clear();
                    s.guest().takeDirty(dirty);
                    if (dirty.cardinality() < FEW_DIRTY || round >= MAX_ROUNDS || sent > MAX_FACTOR * s.pages()) break;
                }
            }
            // stop-and-copy: the guest stops here until the target runs it
            pausedAt = System.nanoTime();
            wasPaused = call(() -> saves.pause(domid));
            paused = true;
            long deadline = System.nanoTime() + SETTLE_NS;
            while (!call(() -> saves.quiescent(domid))) {
                if (System.nanoTime() > deadline) throw new IOException("domain " + domid + " did not settle within 5 s after pausing");
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
            if (logging) {
                s.guest().takeDirty(dirty);
                long n = pages.send(dirty, rounds.size() + 1, false);
                rounds.add(n);
                progress.accept("stop-and-copy: " + n + " pages");
            }
            byte[][] state = call(() -> {
                if (m.domains.get(domid) != s.domain()) throw new HypervisorException(EINVAL, "domain " + domid + " was destroyed during the migration");
                ByteArrayOutputStream g = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(g);
                s.guest().saveState(out, m.now());
                out.flush();
                return new byte[][] {SaveImage.of(m.platform().name(), s.domain()).withConfig(replacement).encode(), g.toByteArray()};
            });
            w.record(MigrationStream.DOMAIN, state[0]);
            w.record(MigrationStream.GUEST, state[1]);
            w.record(MigrationStream.END, new byte[0]);
            w.flush();
            if (logging) s.guest().logDirty(false);
            return new MigrationReport(rounds, w.bytes, t0, pausedAt, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            HookGuard.rethrowIfAbandoned(e);
            if (logging) {
                try {
                    s.guest().logDirty(false);
                } catch (RuntimeException ignored) {
                    // the guest is gone
                }
            }
            boolean resume = paused && !wasPaused;
            if (resume) call(() -> {
                saves.unpauseIf(domid, false);
                return null;
            });
            String why = e instanceof HypervisorException he ? he.getMessage() : e instanceof IOException ? "writing the migration stream: " + e.getMessage() : e.toString();
            throw new HypervisorException(EINVAL, why, e);
        }
    }

    /** Sends pages in PAGES records of up to {@link MigrationStream#BATCH}. */
    private static final class Pages {
        private final Start s;
        private final MigrationStream.Writer w;
        private final byte[] page = new byte[MigrationStream.PAGE];
        private final ByteBuffer rec = ByteBuffer.allocate((int) MigrationStream.MAX_PAGES_RECORD);

        Pages(Start s, MigrationStream.Writer w) {
            this.s = s;
            this.w = w;
        }

        /** Sends every page set in {@code which} (not the zero ones when {@code skipZero}); returns how many went. */
        long send(BitSet which, int round, boolean skipZero) throws IOException {
            long n = 0;
            int count = 0;
            byte[] data = new byte[MigrationStream.BATCH * MigrationStream.PAGE];
            int[] numbers = new int[MigrationStream.BATCH];
            for (int p = which.nextSetBit(0); p >= 0 && p < s.pages(); p = which.nextSetBit(p + 1)) {
                if (!s.guest().readPage(p, page)) throw new IOException("domain " + s.domain().id + " was destroyed during the migration");
                if (skipZero && zero(page)) continue;
                numbers[count] = p;
                System.arraycopy(page, 0, data, count * MigrationStream.PAGE, MigrationStream.PAGE);
                if (++count == MigrationStream.BATCH) {
                    flush(round, numbers, data, count);
                    n += count;
                    count = 0;
                }
            }
            if (count > 0) flush(round, numbers, data, count);
            w.flush();
            return n + count;
        }

        private void flush(int round, int[] numbers, byte[] data, int count) throws IOException {
            rec.clear();
            rec.putInt(round).putInt(count);
            for (int i = 0; i < count; i++) rec.putInt(numbers[i]);
            rec.put(data, 0, count * MigrationStream.PAGE);
            w.record(MigrationStream.PAGES, rec.array(), rec.position());
        }

        private static boolean zero(byte[] b) {
            for (byte x : b) if (x != 0) return false;
            return true;
        }
    }

    // ------------------------------------------------------------------ receiving

    org.hvkit.api.domain.DomainInfo receive(InputStream is, String suffix) {
        int nrCpus = m.topology().nrCpus();
        Domain d = null;
        try {
            MigrationStream.Reader r = new MigrationStream.Reader(is);
            MigrationStream.Cpu cpu = decodeCpu(r.next(0, MigrationStream.CPU));
            String misfit = cpu.misfit(hostCpu());
            if (misfit != null) throw new MigrationStream.BadStream(misfit);
            SaveImage img = SaveImage.decode(r.next(SaveFile.MAX_DOMAIN_RECORD, MigrationStream.DOMAIN).payload(), nrCpus);
            DomainConfig c = img.config();
            DomainConfig incoming = new DomainConfig(c.name() + suffix, c.memoryMb(), c.maxMemoryMb(), c.vcpus(), c.maxVcpus(), c.cpus(), c.vcpuCpus(), c.weight(),
                    c.cap(), c.pool(), c.onPoweroff(), c.onReboot(), c.onWatchdog(), c.onCrash(), c.startPaused(), c.platformOptions(), c.cpusSoft(), c.seclabel());
            Domain built = call(() -> {
                Domain x = saves.build(img, incoming);
                x.guest.beginIncoming();
                return x;
            });
            d = built;
            long pages = call(() -> built.guest.migrationPages());
            long maxGuest = (long) c.maxVcpus() * (64 << 10) + (1 << 20);
            SaveImage last = img;
            byte[] page = new byte[MigrationStream.PAGE];
            MigrationStream.Rec rec;
            while ((rec = r.next(SaveFile.MAX_DOMAIN_RECORD, MigrationStream.PAGES, MigrationStream.DOMAIN)).type() == MigrationStream.PAGES) {
                ByteBuffer b = ByteBuffer.wrap(rec.payload());
                b.getInt(); // the round, for the reader of a dump
                int count = b.getInt();
                if (count < 1 || count > MigrationStream.BATCH || rec.payload().length != 8 + count * (4 + MigrationStream.PAGE)) {
                    throw new MigrationStream.BadStream("migration stream: PAGES record at byte " + rec.at() + " has " + rec.payload().length + " bytes for " + count + " pages");
                }
                int[] numbers = new int[count];
                for (int i = 0; i < count; i++) {
                    numbers[i] = b.getInt();
                    if (numbers[i] < 0 || numbers[i] >= pages) {
                        throw new MigrationStream.BadStream("migration stream: PAGES record at byte " + rec.at() + " names page " + numbers[i] + ", beyond the domain's " + pages);
                    }
                }
                for (int i = 0; i < count; i++) {
                    b.get(page);
                    if (!built.guest.writePage(numbers[i], page)) throw new MigrationStream.BadStream("domain " + built.id + " was destroyed while it was received");
                }
            }
            last = SaveImage.decode(rec.payload(), nrCpus);
            byte[] guest = r.next(maxGuest, MigrationStream.GUEST).payload();
            r.next(0, MigrationStream.END);
            SaveImage fin = last;
            return call(() -> {
                if (m.domains.get(built.id) != built) throw new HypervisorException(EINVAL, "domain " + built.id + " was destroyed while it was received");
                saves.apply(built, fin, new DataInputStream(new ByteArrayInputStream(guest)), guest.length, true);
                m.printk("domain " + built.id + " (" + built.name + ") received from a migration, paused");
                return built.info(m.now());
            });
        } catch (MigrationStream.BadStream | SaveFile.BadSaveFile | RuntimeException e) {
            HookGuard.rethrowIfAbandoned(e);
            if (d != null) {
                Domain gone = d;
                call(() -> {
                    ops.discard(gone);
                    return null;
                });
            }
            if (e instanceof HypervisorException he) throw he;
            throw new HypervisorException(EINVAL, e instanceof RuntimeException ? e.toString() : e.getMessage(), e);
        }
    }

    private static MigrationStream.Cpu decodeCpu(MigrationStream.Rec r) throws MigrationStream.BadStream {
        try {
            return MigrationStream.Cpu.decode(r.payload());
        } catch (IOException e) {
            throw new MigrationStream.BadStream("migration stream: CPU record at byte " + r.at() + ": " + e.getMessage());
        }
    }

}
