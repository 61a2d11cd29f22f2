package org.hvkit.toolstack.xl.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Keys typed while {@code xl console} or {@code xl top} runs, read without blocking. On the
 * process's own terminal the line discipline is switched to byte-at-a-time without echo for the
 * command's duration (signals stay on, so Ctrl-C still interrupts), since a cooked terminal hands
 * over Ctrl-] or {@code q} only after Enter; the terminal's settings are restored on close, and by
 * a shutdown hook should the JVM end first. Elsewhere (a socket client's forwarded keys, a pipe)
 * the bytes are read as they come.
 */
final class Keyboard implements AutoCloseable {
    private final InputStream in;
    private final String saved;
    private final Thread restoreOnExit;

    private Keyboard(InputStream in, String saved) {
        this.in = in;
        this.saved = saved;
        this.restoreOnExit = saved == null ? null : Thread.ofPlatform().unstarted(() -> stty(saved));
        if (restoreOnExit != null) Runtime.getRuntime().addShutdownHook(restoreOnExit);
    }

    /** Keys from {@code in}; raw mode only when {@code in} is this process's terminal. */
    static Keyboard open(InputStream in) {
        if (in == null || in != System.in || System.console() == null || !System.console().isTerminal()) return new Keyboard(in, null);
        String saved = stty("-g");
        if (saved == null || !saved.matches("[0-9a-fA-F:]+")) return new Keyboard(in, null);
        // the terminal itself: the shell's own stream over it does not tell what is waiting
        InputStream tty;
        try {
            tty = new java.io.FileInputStream("/dev/tty");
        } catch (IOException e) {
            return new Keyboard(in, null);
        }
        if (stty("-icanon", "-echo", "min", "1", "time", "0") == null) {
            closeQuietly(tty);
            return new Keyboard(in, null);
        }
        return new Keyboard(tty, saved);
    }

    /** The next key typed, or -1 when none is waiting (or the input ended). */
    int poll() {
        try {
            return in != null && in.available() > 0 ? in.read() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Whether {@code key} was typed since the last look (other keys are dropped). */
    boolean typed(int key) {
        for (int k = poll(); k >= 0; k = poll()) if (k == key) return true;
        return false;
    }

    @Override
    public void close() {
        if (saved == null) return;
        closeQuietly(in);
        stty(saved);
        try {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        } catch (IllegalStateException ending) {
            // the hook restores it
        }
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed anyway
        }
    }

    /** Runs stty on the controlling terminal; its output, or null when it failed. */
    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
