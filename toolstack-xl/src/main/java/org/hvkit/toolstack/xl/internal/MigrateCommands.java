package org.hvkit.toolstack.xl.internal;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.hvkit.api.domain.DomainConfig;
import org.hvkit.api.domain.DomainInfo;
import org.hvkit.api.toolstack.Hypervisor;
import org.hvkit.api.toolstack.HypervisorException;
import org.hvkit.api.toolstack.MigrationReport;

/**
 * xl migrate and xl migrate-receive as Xen 4.2's xl has them (xl_cmdimpl.c migrate_domain,
 * migrate_receive): the sender runs {@code ssh HOST xl migrate-receive} (or the {@code -s}
 * command; with {@code -s ''} HOST itself) under {@code sh -c} and speaks 4.2's handshake over
 * that child's stdin and stdout, with hvkit's migration stream where 4.2 has libxl's. The receiver
 * is the other end: through {@code ./xl} it reaches the target hvkit's daemon, so two hvkit
 * hosts migrate as two Xen hosts do.
 */
final class MigrateCommands {
    // 4.2's fixed messages; the banner goes without its NUL, the others with it (sizeof)
    static final byte[] BANNER = "xl migration receiver ready, send binary domain data.\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] READY = nul("domain received, ready to unpause");
    static final byte[] GO = nul("domain is yours, you are cleared to unpause");
    static final byte[] REPORT = nul("my copy unpause results are as follows");
    /** libxl's ERROR_FAIL and ERROR_BADFAIL, which xl exits with negated. */
    static final int ERROR_FAIL = 3, ERROR_BADFAIL = 7;
    static final String INCOMING = "--incoming", AWAY = "--migratedaway";

    private MigrateCommands() {
    }

    private static byte[] nul(String s) {
        byte[] b = Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), s.length() + 1);
        return b;
    }

    /** The message was not what was expected (4.2's migrate_read_fixedmessage). */
    static final class Unexpected extends Exception {
        Unexpected(String message) {
            super(message);
        }
    }

    /** Reads exactly {@code msg}; says what came instead, naming the command run when there is one. */
    static void expect(InputStream in, byte[] msg, String what, String rune) throws Unexpected {
        String stream = rune != null ? "migration receiver stream" : "migration stream";
        byte[] got;
        try {
            got = in.readNBytes(msg.length);
        } catch (IOException e) {
            throw new Unexpected("xl: error reading " + what + " from " + stream + ": " + e.getMessage());
        }
        if (got.length < msg.length) throw new Unexpected("xl: " + stream + " ended (EOF) while reading " + what + (rune != null ? "\n(command run was: " + rune + " )" : ""));
        if (!Arrays.equals(got, msg)) throw new Unexpected(stream + " contained unexpected data instead of " + what + (rune != null ? "\n(command run was: " + rune + " )" : ""));
    }

    // ------------------------------------------------------------------ xl migrate

    /** 4.2's exit(2) after "Unable to get config file" or find_domain's refusal: status 2 without the usage text. */
    static final int NO_CONFIG = -2;

    /** xl migrate [-C config] [-s sshcommand] [-e] [-F] [-d] DOMAIN HOST. */
    static int migrate(Hypervisor hv, String cwd, List<String> args, PrintStream err) {
        String ssh = "ssh", config = null, dom = null, host = null;
        boolean daemonize = true, debug = false, options = true;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (options && a.equals("--")) options = false; // DefGetopt's end of options
            else if (options && a.startsWith("-") && a.length() > 1 && dom == null) {
                for (int k = 1; k < a.length(); k++) {
                    char c = a.charAt(k);
                    if (c == 's' || c == 'C') {
                        String v = k + 1 < a.length() ? a.substring(k + 1) : i + 1 < args.size() ? args.get(++i) : null;
                        if (v == null) return 2;
                        if (c == 's') ssh = v;
                        else config = v;
                        break;
                    }
                    if (c == 'e' || c == 'F') daemonize = false;
                    else if (c == 'd') debug = true;
                    else return 2;
                }
            } else if (dom == null) dom = a;
            else if (host == null) host = a;
            else return 2;
        }
        if (dom == null || host == null) return 2;
        Integer domid = XlCommand.findDomain(hv, dom, err);
        if (domid == null) return NO_CONFIG; // find_domain's exit(2): no usage text either
        DomainConfig replacement = null;
        if (config != null) { // 4.2 save_domain_core_begin: the file's text goes instead of the domain's stored config
            String text;
            try {
                text = ConfigFile.read(cwd, config);
            } catch (java.io.IOException e) {
                err.println("Unable to get config file");
                return NO_CONFIG;
            }
            if (text.isEmpty()) {
                err.println("No config file stored for running domain and none supplied - cannot migrate.");
                return 1;
            }
            try {
                replacement = ReplacementConfig.parse(hv, config, text, err);
            } catch (ReplacementConfig.Invalid e) {
                return 1;
            }
        }
        if (domid == 0) { // refused before anything is run on the other host
            // hvkit's check; 4.2 gets as far as saving Domain-0 and fails there: the closest is that save's end
            err.println(LibxlLog.error(LibxlLog.DOMAIN_SAVE, "Domain-0 cannot be migrated"));
            return 1;
        }
        String name = hv.domain(domid).map(DomainInfo::name).orElse(dom);
        // 4.2 main_migrate: with an empty -s, HOST is the whole command
        String rune = ssh.isEmpty() ? host : "exec " + ssh + " " + host + " xl migrate-receive" + (daemonize ? "" : " -e") + (debug ? " -d" : "");
        return new Sender(hv, domid, name, replacement, rune, cwd, err, debug).run();
    }

    /** One xl migrate: the child, the handshake and what to do with the domain at each failure. */
    private static final class Sender {
        private final Hypervisor hv;
        private final int domid;
        private final String name, rune, cwd;
        private final PrintStream err;
        private final boolean debug;
        private final DomainConfig replacement;
        private Process child;
        private Thread stderrPump;

        Sender(Hypervisor hv, int domid, String name, DomainConfig replacement, String rune, String cwd, PrintStream err, boolean debug) {
            this.hv = hv;
            this.replacement = replacement;
            this.domid = domid;
            this.name = name;
            this.rune = rune;
            this.cwd = cwd;
            this.err = err;
            this.debug = debug;
        }

        int run() {
            try {
                ProcessBuilder pb = new ProcessBuilder("sh", "-c", rune);
                File dir = new File(cwd);
                if (dir.isDirectory()) pb.directory(dir);
                child = pb.start();
            } catch (IOException e) {
                err.println("failed to exec sh: " + e.getMessage());
                return 1;
            }
            // what the target says on its stderr is the user's to read, as 4.2's child inherits it
            InputStream childErr = child.getErrorStream();
            stderrPump = Thread.ofVirtual().name("xl-migrate-stderr").start(() -> {
                try {
                    byte[] b = new byte[4096];
                    int n;
                    while ((n = childErr.read(b)) > 0) {
                        err.write(b, 0, n);
                        err.flush();
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            });
            InputStream recv = child.getInputStream();
            OutputStream send = new BufferedOutputStream(child.getOutputStream(), 1 << 20);
            try {
                return handshake(recv, send);
            } finally {
                closeQuietly(send);
                childReport();
            }
        }

        private int handshake(InputStream recv, OutputStream send) {
            try {
                expect(recv, BANNER, "banner", rune);
            } catch (Unexpected e) {
                err.println(e.getMessage());
                return 1;
            }
            MigrationReport rep;
            try {
                rep = hv.migrateSend(domid, replacement, send, line -> {
                    if (debug) err.println("migration sender: " + line);
                });
            } catch (HypervisorException e) {
                err.println(LibxlLog.error(LibxlLog.DOMAIN_SAVE, e.getMessage()));
                err.println("migration sender: libxl_domain_suspend failed (rc=-" + ERROR_FAIL + ")");
                closeQuietly(send);
                err.println("Migration failed, resuming at sender."); // the core resumed it already
                return ERROR_FAIL;
            }
            try {
                expect(recv, READY, "ready message", rune);
            } catch (Unexpected e) {
                err.println(e.getMessage());
                return failedResume(send);
            }
            err.println("migration sender: Target has acknowledged transfer.");
            String away = name + AWAY;
            try {
                hv.renameDomain(domid, away);
            } catch (HypervisorException e) {
                err.println(LiveCommands.renameLine(e));
                return failedResume(send);
            }
            // point of no return: once "go" may have reached the target, carrying on here is not safe
            err.println("migration sender: Giving target permission to start.");
            int status;
            try {
                send.write(GO);
                send.flush();
                expect(recv, REPORT, "success/failure report message", rune);
                status = recv.read();
                if (status < 0) throw new Unexpected("xl: migration ack stream ended (EOF) while reading success/failure status");
            } catch (IOException | Unexpected e) {
                err.println(e.getMessage());
                return failedBadly();
            }
            if (status != 0) {
                err.println("migration sender: Target reports startup failure (status code " + status + ").");
                try {
                    expect(recv, GO, "permission for sender to resume", rune);
                } catch (Unexpected e) {
                    err.println(e.getMessage());
                    return failedBadly();
                }
                err.println("migration sender: Trying to resume at our end.");
                try {
                    hv.renameDomain(domid, name);
                    hv.unpauseDomain(domid);
                    err.println("migration sender: Resumed OK.");
                } catch (HypervisorException e) { // 4.2 resumes with libxl_domain_resume
                    err.println(LibxlLog.error(LibxlLog.DOMAIN_RESUME, e.getMessage()));
                }
                err.println("Migration failed due to problems at target.");
                return ERROR_FAIL;
            }
            err.println("migration sender: Target reports successful startup.");
            long downtime = System.nanoTime() - rep.pausedNanos();
            hv.destroyDomain(domid); // bang!
            if (debug) err.println(summary(rep, downtime));
            err.println("Migration successful.");
            return 0;
        }

        /** 4.2's failed_resume: the target does not have it; ours goes on under its own name. */
        private int failedResume(OutputStream send) {
            closeQuietly(send);
            childReport();
            err.println("Migration failed, resuming at sender.");
            try {
                if (hv.domain(domid).map(DomainInfo::name).orElse(name).equals(name + AWAY)) hv.renameDomain(domid, name);
                hv.unpauseDomain(domid);
            } catch (HypervisorException e) { // 4.2 resumes with libxl_domain_resume
                err.println(LibxlLog.error(LibxlLog.DOMAIN_RESUME, e.getMessage()));
            }
            return ERROR_FAIL;
        }

        private int failedBadly() {
            err.println("** Migration failed during final handshake **\n"
                    + "Domain state is now undefined !\n"
                    + "Please CHECK AT BOTH ENDS for running instances, before renaming and\n"
                    + " resuming at most one instance.  Two simultaneous instances of the domain\n"
                    + " would probably result in SEVERE DATA LOSS and it is now your\n"
                    + " responsibility to avoid that.  Sorry.");
            return ERROR_BADFAIL;
        }

        private boolean reported;

        /** 4.2's migration_child_report: waits up to 2 s for the child and says how it ended. */
        private void childReport() {
            if (reported) return;
            reported = true;
            try {
                if (!child.waitFor(2, TimeUnit.SECONDS)) {
                    err.println("migration child [" + child.pid() + "] not exiting, no longer waiting (exit status will be unreported)");
                    child.destroy(); // hvkit's xl runs in a daemon: a child it gives up on must not linger
                } else {
                    if (stderrPump != null) stderrPump.join(1000);
                    int st = child.exitValue();
                    if (st != 0) err.println("migration target process [" + child.pid() + "] exited with error status " + st);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.destroy();
            }
        }
    }

    /** Total time, downtime and pages per round (the last is the stop-and-copy), for -d and the benchmark. */
    static String summary(MigrationReport r, long downtimeNanos) {
        return String.format(Locale.ROOT, "migration sender: %d KiB in %.1f ms, downtime %.1f ms, pages per round %s",
                r.bytes() >> 10, (r.endNanos() - r.startNanos()) / 1e6, downtimeNanos / 1e6, r.pagesPerRound());
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // the child is gone
        }
    }

    /** The target's start: the domain takes its own name back (libxl_domain_rename), then runs (libxl_domain_unpause). */
    private static boolean start(Hypervisor hv, int domid, String name, PrintStream err) {
        try {
            hv.renameDomain(domid, name);
        } catch (HypervisorException e) {
            err.println(LiveCommands.renameLine(e));
            return false;
        }
        try {
            hv.unpauseDomain(domid);
        } catch (HypervisorException e) {
            err.println(LibxlLog.error(LibxlLog.DOMAIN_UNPAUSE, e.getMessage()));
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ xl migrate-receive

    /** xl migrate-receive [-d] [-e] [-F]: the domain comes on {@code in}, the handshake goes to {@code out}. */
    static int receive(Hypervisor hv, List<String> args, InputStream in, PrintStream out, PrintStream err) {
        boolean debug = false;
        for (String a : args) {
            if (!a.startsWith("-") || a.length() < 2) return 2;
            for (char c : a.substring(1).toCharArray()) {
                if (c == 'r') {
                    err.println("xl migrate-receive: -r (Remus) is not supported by hvkit yet");
                    return 1;
                }
                if (c == 'd') debug = true;
                else if (c != 'e' && c != 'F') return 2;
            }
        }
        err.println("migration target: Ready to receive domain.");
        out.write(BANNER, 0, BANNER.length);
        out.flush();
        if (out.checkError()) return 1;
        DomainInfo d;
        try {
            d = hv.migrateReceive(in, INCOMING);
        } catch (HypervisorException e) {
            err.println(LibxlLog.error(LibxlLog.DOMAIN_RESTORE, e.getMessage()));
            err.println("migration target: Domain creation failed (code -" + ERROR_FAIL + ").");
            return ERROR_FAIL;
        }
        String name = d.name().substring(0, d.name().length() - INCOMING.length());
        if (debug) err.println("migration target: received domain " + name + " as domain " + d.id() + " (" + d.name() + ")");
        err.println("migration target: Transfer complete, requesting permission to start domain.");
        out.write(READY, 0, READY.length);
        out.flush();
        int rc = 0;
        try {
            expect(in, GO, "GO message", null);
            err.println("migration target: Got permission, starting domain.");
            if (start(hv, d.id(), name, err)) err.println("migration target: Domain started successsfully.");
            else rc = ERROR_FAIL;
        } catch (Unexpected e) {
            err.println(e.getMessage());
            rc = ERROR_FAIL;
        }
        out.write(REPORT, 0, REPORT.length);
        out.write(rc);
        out.flush();
        if (rc != 0) {
            err.println("migration target: Failure, destroying our copy.");
            try {
                hv.destroyDomain(d.id());
            } catch (HypervisorException e) {
                err.println("migration target: Failed to destroy our copy (code -" + ERROR_FAIL + ").");
                return ERROR_BADFAIL;
            }
            err.println("migration target: Cleanup OK, granting sender permission to resume.");
            out.write(GO, 0, GO.length);
            out.flush();
        }
        return 0;
    }
}
