package org.hvkit.toolstack.xl.internal;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.PhysInfo;

/**
 * {@code xl top}, in the spirit of xentop: a summary and one row per domain, refreshed every
 * {@code -d} seconds. {@code -b} (batch) prints plain tables one after the other, {@code -i N}
 * iterations of them, for scripts and tests; without {@code -b} the screen is cleared between
 * tables (ANSI) until interrupted. CPU(%) is measured over the last interval in hypervisor time
 * (0.0 on the first table); the clock shown is the hypervisor's.
 */
final class Top {
    private Top() {
    }

    static final String HEADER = String.format(Locale.ROOT, "%10s %5s %10s %6s %10s %6s %10s %9s %5s %4s %4s %s",
            "NAME", "STATE", "CPU(sec)", "CPU(%)", "MEM(k)", "MEM(%)", "MAXMEM(k)", "MAXMEM(%)", "VCPUS", "NETS", "VBDS", "POOL");

    static int run(Hypervisor hv, List<String> args, java.io.InputStream in, PrintStream out, PrintStream err) {
        boolean batch = false;
        int iterations = -1;
        double delay = 3;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            try {
                switch (a) {
                    case "-b", "--batch" -> batch = true;
                    case "-i", "--iterations" -> iterations = Integer.parseInt(args.get(++i));
                    case "-d", "--delay" -> delay = Double.parseDouble(args.get(++i));
                    default -> {
                        err.println("xl top: unrecognized option '" + a + "'");
                        return 2;
                    }
                }
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                err.println("xl top: option " + a + " needs a number");
                return 2;
            }
        }
        if (iterations < 0) iterations = batch ? 1 : Integer.MAX_VALUE;
        Map<Integer, Long> lastCpu = new HashMap<>();
        long lastNow = -1;
        try (Keyboard keys = Keyboard.open(batch ? null : in)) {
            for (int it = 0; it < iterations; it++) {
                // q leaves, as in xentop; the wait is cut in steps so the key takes effect at once
                if (it > 0 && !waitUnlessQuit(keys, (long) (delay * 1000))) return 0;
                long now = hv.now();
                if (!batch) out.print("\033[H\033[2J");
                for (String line : table(hv, now, lastNow, lastCpu)) out.println(line);
                out.flush();
                lastNow = now;
                if (out.checkError()) return 0;
            }
        }
        return 0;
    }

    /** Waits {@code ms}; false when q was typed or the thread was interrupted (Ctrl-C, the client left). */
    private static boolean waitUnlessQuit(Keyboard keys, long ms) {
        long end = System.nanoTime() + ms * 1_000_000L;
        try {
            while (true) {
                if (keys.typed('q')) return false;
                long left = end - System.nanoTime();
                if (left <= 0) return true;
                Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000L)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static List<String> table(Hypervisor hv, long now, long lastNow, Map<Integer, Long> lastCpu) {
        PhysInfo p = hv.physInfo();
        List<DomainInfo> ds = hv.listDomains();
        long secs = now / 1_000_000_000L;
        int running = 0, blocked = 0, paused = 0, crashed = 0, dying = 0, shutdown = 0;
        for (DomainInfo d : ds) {
            if (d.running()) running++;
            if (d.blocked()) blocked++;
            if (d.paused()) paused++;
            if (d.shutdown() && d.shutdownReason() != null && d.shutdownReason().letter() == 'c') crashed++;
            else if (d.shutdown()) shutdown++;
            if (d.dying()) dying++;
        }
        long totalK = p.totalMemoryMb() * 1024, freeK = p.freeMemoryMb() * 1024;
        java.util.ArrayList<String> lines = new java.util.ArrayList<>();
        lines.add(String.format(Locale.ROOT, "xl top - %02d:%02d:%02d   hvkit (Xen 4.2 interface) on %s", secs / 3600 % 24, secs / 60 % 60, secs % 60,
                p.platform()));
        lines.add(String.format(Locale.ROOT, "%d domains: %d running, %d blocked, %d paused, %d crashed, %d dying, %d shutdown", ds.size(), running,
                blocked, paused, crashed, dying, shutdown));
        lines.add(String.format(Locale.ROOT, "Mem: %dk total, %dk used, %dk free    CPUs: %d @ %dMHz", totalK, totalK - freeK, freeK,
                p.topology().nrCpus(), p.cpuMhz()));
        lines.add(HEADER);
        for (DomainInfo d : ds) {
            Long before = lastCpu.put(d.id(), d.cpuTimeNs());
            double pct = before == null || lastNow < 0 || now <= lastNow ? 0.0 : 100.0 * (d.cpuTimeNs() - before) / (now - lastNow);
            long memK = d.memoryMb() * 1024, maxK = d.maxMemoryMb() * 1024;
            lines.add(String.format(Locale.ROOT, "%10s %5s %10d %6.1f %10d %6.1f %10d %9.1f %5d %4d %4d %s", d.name(), d.stateString(),
                    d.cpuTimeNs() / 1_000_000_000L, pct, memK, 100.0 * memK / Math.max(1, totalK), maxK, 100.0 * maxK / Math.max(1, totalK),
                    d.onlineVcpus(), 0, 0, d.poolName()));
        }
        return lines;
    }
}
