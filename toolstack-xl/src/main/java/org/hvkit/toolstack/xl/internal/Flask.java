package org.hvkit.toolstack.xl.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.xsm.PolicyException;
import org.hvkit.api.xsm.Xsm;

/**
 * xl's FLASK commands as 4.2's xl_cmdimpl.c has them, messages and exit statuses included: a
 * command's return value is xl's exit status, so {@code getenforce} exits 1 when enforcing and a
 * failure's -1 is 255.
 */
final class Flask {
    private static final int FAIL = 255;

    private Flask() {
    }

    private static boolean disabled(Xsm xsm) {
        return xsm == null || xsm.mode() == Xsm.Mode.DISABLED;
    }

    static int getenforce(Xsm xsm, PrintStream out, PrintStream err) {
        if (disabled(xsm)) {
            out.println("Flask XSM Disabled");
            return FAIL;
        }
        switch (xsm.mode()) {
            case ENFORCING -> {
                out.println("Enforcing");
                return 1;
            }
            case PERMISSIVE -> {
                out.println("Permissive");
                return 0;
            }
            default -> {
                err.println("Failed to get enforcing mode"); // the security module is being replaced
                return FAIL;
            }
        }
    }

    static int setenforce(Xsm xsm, List<String> a, XlCommand.Ctx ctx) {
        if (a.isEmpty()) return usage("setenforce", ctx);
        String p = a.get(0);
        boolean enforcing;
        if (p.equals("1") || p.toLowerCase(Locale.ROOT).equals("enforcing")) enforcing = true;
        else if (p.equals("0") || p.toLowerCase(Locale.ROOT).equals("permissive")) enforcing = false;
        else return usage("setenforce", ctx);
        if (disabled(xsm)) {
            ctx.err.println("Flask XSM disabled");
            return FAIL;
        }
        try {
            xsm.setEnforcing(enforcing);
            return 0;
        } catch (HypervisorException e) {
            ctx.err.println(LibxlLog.error(LibxlLog.FLASK_SETENFORCE, e.getMessage()));
            ctx.err.println("error occured while setting enforcing mode (-1)");
            return FAIL;
        }
    }

    static int loadpolicy(Xsm xsm, List<String> a, XlCommand.Ctx ctx) {
        if (a.isEmpty()) return usage("loadpolicy", ctx);
        String file = a.get(0);
        String text;
        try {
            text = ConfigFile.read(ctx.cwd, file);
        } catch (IOException e) {
            ctx.err.println("Error occurred opening policy file '" + file + "': " + e.getMessage());
            return FAIL;
        }
        if (disabled(xsm)) {
            ctx.err.println("Flask XSM disabled");
            return FAIL;
        }
        try {
            xsm.loadPolicy(file, text);
        } catch (PolicyException e) {
            ctx.err.println(e.getMessage()); // where, before 4.2's one line
            ctx.err.println("Unable to load new Flask policy: Invalid argument");
            return FAIL;
        } catch (HypervisorException e) {
            ctx.err.println(LibxlLog.error(LibxlLog.FLASK_LOADPOLICY, e.getMessage()));
            ctx.err.println("Unable to load new Flask policy: " + (e.errno() == HypervisorException.Errno.EACCES ? "Permission denied" : e.getMessage()));
            return FAIL;
        }
        ctx.out.println("Successfully loaded policy.");
        return 0;
    }

    private static int usage(String cmd, XlCommand.Ctx ctx) {
        XlCommand.helpFor(cmd, ctx.out);
        return 2;
    }

    /** A domain's label for list -Z / -v, or null (printed as {@code -}). */
    static String label(Xsm xsm, int domid) {
        if (disabled(xsm)) return null;
        try {
            return xsm.domainContext(domid).orElse(null);
        } catch (HypervisorException e) {
            return null;
        }
    }

    static DomainConfig withoutLabel(DomainConfig c) {
        return new DomainConfig(c.name(), c.memoryMb(), c.maxMemoryMb(), c.vcpus(), c.maxVcpus(), c.cpus(), c.vcpuCpus(), c.weight(), c.cap(), c.pool(),
                c.onPoweroff(), c.onReboot(), c.onWatchdog(), c.onCrash(), c.startPaused(), c.platformOptions(), c.cpusSoft(), null);
    }
}
