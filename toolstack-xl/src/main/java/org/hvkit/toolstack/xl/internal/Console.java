package org.hvkit.toolstack.xl.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import org.hvkit.api.toolstack.ConsoleChunk;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;

/**
 * {@code xl console [-t pv|serial] [-n NUM] <Domain>}: prints what the guest wrote and follows its
 * console until the guest shuts down or the user types Ctrl-] (xl's escape character).
 */
final class Console {
    static final int ESCAPE = 0x1d;
    private static final long POLL_MS = 50;

    private Console() {
    }

    static int run(Hypervisor hv, List<String> a, InputStream in, PrintStream out, PrintStream err) {
        String dom = null;
        boolean options = true;
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if (!options || s.equals("--")) { // DefGetopt's end of options: the rest are operands
                if (s.equals("--") && options) options = false;
                else dom = s;
            } else if ((s.equals("-t") || s.equals("-n")) && i + 1 < a.size()) {
                // one console per guest here: a valid type and any number are accepted and ignored
                if (s.equals("-t") && !a.get(i + 1).equals("pv") && !a.get(i + 1).equals("serial")) {
                    err.println("console type supported are: pv, serial");
                    return 2;
                }
                i++;
            } else if (s.startsWith("-")) {
                err.println("xl console: unsupported option " + s);
                return 2;
            } else {
                dom = s;
            }
        }
        if (dom == null) {
            err.println("Usage: xl [-v] console [-t <pv|serial>] [-n <number>] <Domain>");
            return 2;
        }
        Integer d = XlCommand.findDomain(hv, dom, err);
        if (d == null) return 2;
        long offset = 0;
        boolean first = true;
        try (Keyboard keys = Keyboard.open(in)) {
            while (true) {
                ConsoleChunk c;
                try {
                    c = hv.guestConsole(d, offset);
                } catch (HypervisorException e) {
                    if (!first) throw e;
                    err.println(LibxlLog.error(LibxlLog.CONSOLE_TTY, e.getMessage())); // refused (XSM) rather than ended
                    return 1;
                }
                first = false;
                out.write(c.data(), 0, c.data().length);
                out.flush();
                offset = c.nextOffset();
                if (!c.open() || keys.typed(ESCAPE) || out.checkError()) return 0;
                Thread.sleep(POLL_MS);
            }
        } catch (HypervisorException e) {
            return 0; // the domain went away while we followed it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Ctrl-C, or the socket client went away
            return 0;
        }
    }
}
