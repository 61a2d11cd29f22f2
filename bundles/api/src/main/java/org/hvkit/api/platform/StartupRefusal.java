package org.hvkit.api.platform;

/**
 * Stops start-up on a bad setting: one line on stderr naming property, value and accepted form,
 * then the framework stops and the process ends with status {@value #STATUS}. A half-started host
 * (no machine, a shell whose xl throws) is worse.
 *
 * <p>No bundle may end the JVM (the exit guard refuses it), so the status is asked for, not taken:
 * the refusal sets the system property {@value #EXIT_STATUS_PROPERTY}, and the guard, the last
 * bundle to stop, makes it the process's status once the launcher ends the JVM. Runs on its own
 * thread, never in DS's.
 */
public final class StartupRefusal {
    /** The status of a refused start (as a usage error). */
    public static final int STATUS = 2;
    /** The system property through which a bundle asks for the process's exit status. */
    public static final String EXIT_STATUS_PROPERTY = "hvkit.exit.status";

    private StartupRefusal() { }

    /** How the framework is stopped, e.g. {@code bundleContext.getBundle(0)::stop}. */
    @FunctionalInterface
    public interface FrameworkStop {
        void stop() throws Exception;
    }

    /** Prints {@code hvkit: cannot start: LINE} and stops the framework; the process ends with {@link #STATUS}. */
    public static void refuse(FrameworkStop framework, String line) {
        System.err.println("hvkit: cannot start: " + line);
        System.err.flush();
        System.setProperty(EXIT_STATUS_PROPERTY, Integer.toString(STATUS));
        Thread.ofPlatform().name("hvkit-startup-refusal").start(() -> {
            try {
                framework.stop();
            } catch (Exception e) {
                System.err.println("hvkit: stopping the framework: " + e);
            }
        });
    }
}
