package org.hvkit.xsm.flask.internal;

import java.util.function.Consumer;

/**
 * Where avc lines go, at most {@link #BURST} at once and {@link #PER_SECOND} a second after that, so a
 * guest looping on a denied hypercall cannot flood the console; what was dropped is counted in the next line.
 */
final class AuditLog {
    static final int BURST = 200, PER_SECOND = 100;
    private volatile Consumer<String> console;
    private double tokens = BURST;
    private long last = System.nanoTime();
    private long suppressed;

    AuditLog(Consumer<String> console) {
        this.console = console;
    }

    void attach(Consumer<String> c) {
        console = c;
    }

    void log(String line) {
        long dropped;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(BURST, tokens + (now - last) * 1e-9 * PER_SECOND);
            last = now;
            if (tokens < 1) {
                suppressed++;
                return;
            }
            tokens--;
            dropped = suppressed;
            suppressed = 0;
        }
        Consumer<String> c = console;
        if (dropped > 0) c.accept("avc:  " + dropped + " messages suppressed");
        c.accept(line);
    }
}
