package org.hvkit.core.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Stops start-up on a bad setting: one line on stderr naming property, value and accepted form,
 * then the framework stops and the JVM exits with status 2. A half-started host (no machine, a
 * shell whose xl throws) is worse. Exiting at once raced the launcher's bundle cache, so the exit
 * waits (bounded) for the framework to have stopped; it runs on its own thread, never in DS's.
 */
final class StartupRefusal {
    static final int STATUS = 2;
    private static final long STOP_WAIT_MS = 10_000;

    private StartupRefusal() { }

    static void refuse(BundleContext bc, String line) {
        System.err.println("hvkit: cannot start: " + line);
        System.err.flush();
        Bundle system = bc.getBundle(0);
        Thread.ofPlatform().name("hvkit-startup-refusal").start(() -> {
            try {
                system.stop();
                long deadline = System.currentTimeMillis() + STOP_WAIT_MS;
                while ((system.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) != 0
                        && System.currentTimeMillis() < deadline) Thread.sleep(20);
            } catch (Exception e) {
                System.err.println("hvkit: stopping the framework: " + e);
            }
            System.exit(STATUS);
        });
    }
}
