package org.hvkit.toolstack.xl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.hvkit.api.memaccess.AccessEvent;
import org.hvkit.api.memaccess.AccessResponse;
import org.hvkit.api.memaccess.MemAccess;
import org.hvkit.api.memaccess.MemAccessListener;
import org.hvkit.api.memaccess.MemAccessSession;
import org.hvkit.api.p2m.P2mAccess;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * {@code hv xen-access [-m] [-t SECONDS] DOMAIN write|exec}: Xen 4.2's
 * {@code tools/tests/xen-access} on the memory access service. {@code write} makes every page rx
 * (and the default for new pages), logs the first write of each page and opens it to rwx;
 * {@code exec} does the same from rw for instruction fetches. Its lines are xen-access's:
 * {@code PAGE ACCESS: -w- for GFN 1f (offset 000000) gla 0000000000000000 (vcpu 0)} on stdout, the
 * {@code DPRINTF} lines on stderr (not "Got event from Xen", which 4.2 prints per notification and
 * says nothing here). It leaves as 4.2 does on a signal — restoring rwx everywhere and as the
 * default, then disabling the listener — on Ctrl-C (signal 2), on {@code q} read from its input
 * (reported as signal 15), and when {@code -t} runs out (signal 14, as alarm).
 */
final class XenAccess {
    static final String USAGE = """
            Usage: hv xen-access [-m] [-t SECONDS] <domain> write|exec

            Logs first page writes or execs that occur on the domain.

            -m requires this program to run, or else the domain may pause
            -t SECONDS leaves after that long (for scripts); Ctrl-C or q leaves at any time""";
    static final int SIGINT = 2, SIGALRM = 14, SIGTERM = 15;

    /** What the arguments ask for; {@link #parse} refuses anything else with a usage error. */
    record Args(boolean required, long timeoutMs, String domain, boolean write) {
    }

    /** @throws IllegalArgumentException with the reason, for the usage message */
    static Args parse(List<String> a) {
        boolean required = false;
        long timeout = 0;
        int i = 0;
        while (i < a.size() && a.get(i).startsWith("-") && a.get(i).length() > 1) {
            String o = a.get(i);
            if (o.equals("-m")) {
                if (required) throw new IllegalArgumentException("-m given twice");
                required = true;
                i++;
            } else if (o.equals("-t")) {
                if (timeout != 0) throw new IllegalArgumentException("-t given twice");
                if (i + 1 >= a.size()) throw new IllegalArgumentException("-t needs SECONDS");
                timeout = seconds(a.get(i + 1));
                i += 2;
            } else {
                throw new IllegalArgumentException("unknown option '" + o + "'");
            }
        }
        if (a.size() - i != 2) throw new IllegalArgumentException("expected <domain> write|exec");
        String mode = a.get(i + 1);
        if (mode.equals("int3")) throw new IllegalArgumentException("int3 mode needs INT3 events, which hvkit's platforms do not deliver");
        if (!mode.equals("write") && !mode.equals("exec")) throw new IllegalArgumentException("mode must be write or exec, not '" + mode + "'");
        if (a.get(i).isEmpty()) throw new IllegalArgumentException("empty domain");
        return new Args(required, timeout, a.get(i), mode.equals("write"));
    }

    private static long seconds(String s) {
        try {
            long v = Long.parseLong(s);
            if (v >= 1 && v <= 86_400) return v * 1000;
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("-t takes whole seconds from 1 to 86400, not '" + s + "'");
    }

    private final Hypervisor hv;
    private final MemAccess ma;

    XenAccess(Hypervisor hv, MemAccess ma) {
        this.hv = hv;
        this.ma = ma;
    }

    int run(List<String> argv, InputStream in, PrintStream out, PrintStream err) {
        Args a;
        try {
            a = parse(argv);
        } catch (IllegalArgumentException e) {
            err.println("hv xen-access: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (ma == null) {
            err.println("hv xen-access: no memory access service (install the mem-access bundle)");
            return 1;
        }
        Integer d = XlCommand.findDomain(hv, a.domain(), err);
        if (d == null) return 2;
        P2mAccess dflt = a.write() ? P2mAccess.RX : P2mAccess.RW;
        int bit = a.write() ? P2mAccess.WRITE : P2mAccess.EXEC;
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        String[] ended = new String[1];
        MemAccessListener listener = new MemAccessListener() {
            @Override
            public AccessResponse onEvent(AccessEvent e) {
                lines.add(String.format(Locale.ROOT, "PAGE ACCESS: %c%c%c for GFN %x (offset %06x) gla %016x (vcpu %d)", e.read() ? 'r' : '-', e.write() ? 'w' : '-',
                        e.exec() ? 'x' : '-', e.gfn(), e.offset(), e.gla(), e.vcpu()));
                // the first access of the kind watched opens the page (after_first_access = rwx)
                return AccessResponse.resume(P2mAccess.RWX);
            }

            @Override
            public void disconnected(String reason) {
                synchronized (ended) {
                    ended[0] = reason;
                }
            }
        };
        long maxPages;
        MemAccessSession s;
        try {
            maxPages = hv.p2m(d).maxPages();
            s = ma.enable(d, listener);
        } catch (HypervisorException e) {
            err.println("xc: error: " + switch (e.errno()) {
                case EBUSY -> "xenaccess is (or was) active on this domain";
                case ENODEV -> "EPT not supported for this guest";
                default -> "Error initialising shared page: " + e.getMessage();
            } + ": Internal error");
            err.println("xc: error: Error initialising xenaccess: Internal error");
            return 1;
        }
        err.println("max_pages = " + Long.toHexString(maxPages));
        err.println("starting " + (a.write() ? "write" : "exec") + " " + d);
        int signal = 0;
        int status = 0;
        try {
            ma.setAccessRequired(d, a.required());
            ma.setDefaultAccess(d, dflt);
            ma.setAccess(d, 0, maxPages, dflt);
            long deadline = a.timeoutMs() == 0 ? Long.MAX_VALUE : System.nanoTime() + a.timeoutMs() * 1_000_000L;
            while (signal == 0) {
                drain(lines, out);
                if (Thread.interrupted()) signal = SIGINT;
                else if (System.nanoTime() >= deadline) signal = SIGALRM;
                else if (quit(in)) signal = SIGTERM;
                else if (!s.active()) break;
                else {
                    try {
                        Thread.sleep(100); // xen-access polls its event channel with a 100 ms timeout
                    } catch (InterruptedException e) {
                        signal = SIGINT;
                    }
                }
            }
        } catch (HypervisorException e) {
            err.println("xc: error: " + e.getMessage() + ": Internal error");
            status = 1;
        }
        if (signal != 0) err.println("xenaccess shutting down on signal " + signal);
        try {
            ma.setDefaultAccess(d, P2mAccess.RWX);
            ma.setAccess(d, 0, maxPages, P2mAccess.RWX);
        } catch (HypervisorException e) {
            // the domain is gone: nothing to restore
        }
        s.close();
        drain(lines, out);
        if (signal != 0) {
            err.println("xenaccess shut down on signal " + signal);
        } else {
            String why;
            synchronized (ended) {
                why = ended[0] != null ? ended[0] : s.endReason();
            }
            err.println("xc: error: Error getting event (" + why + "): Internal error");
            status = 1;
        }
        out.flush();
        return status;
    }

    private static void drain(ConcurrentLinkedQueue<String> lines, PrintStream out) {
        for (String l; (l = lines.poll()) != null;) out.println(l);
        out.flush();
    }

    /** A {@code q} on the input (never blocking: only what is already there is read). */
    private static boolean quit(InputStream in) {
        if (in == null) return false;
        try {
            while (in.available() > 0) {
                int c = in.read();
                if (c == 'q' || c == 'Q' || c < 0) return c >= 0;
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
