package org.hvkit.shell.internal;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the operator's {@link JlineConsole} when the framework property {@value #PROPERTY} is
 * {@code jline} and no script runs: the distributions set it (with gogo.shell's own console off),
 * {@code ./hvkit --no-shell} and the daemon set it to {@code none}. One console per process:
 * {@link SigintComponent} reaches it through {@link #current()}.
 */
@Component(service = {}, immediate = true)
public final class ConsoleComponent {
    static final String PROPERTY = "hvkit.console";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleComponent.class);
    private static volatile JlineConsole current;
    /** The operator's line history, kept across sessions as bash keeps ~/.bash_history. */
    static final java.nio.file.Path HISTORY = java.nio.file.Path.of(System.getProperty("user.home", "."), ".hvkit_history");

    private final CommandProcessor processor;
    private JlineConsole console;
    private Thread thread;

    @Activate
    public ConsoleComponent(@Reference CommandProcessor processor) {
        this.processor = processor;
    }

    /** Whether this process's operator console is the JLine one (read by the Ctrl-C handler too). */
    static boolean wanted(BundleContext bc) {
        return "jline".equals(bc.getProperty(PROPERTY)) && bc.getProperty(ScriptRunner.SCRIPT) == null;
    }

    static JlineConsole current() {
        return current;
    }

    @Activate
    void activate(BundleContext bc) {
        if (!wanted(bc)) return;
        console = new JlineConsole(processor, HISTORY, () -> leave(bc), () -> ending(bc));
        current = console;
        thread = Thread.ofPlatform().name("hvkit-console").start(() -> {
            try {
                console.run();
            } catch (Exception | LinkageError e) {
                LOG.error("hvkit console: cannot run the operator console: {}", e.toString());
            }
        });
    }

    @Deactivate
    void deactivate() {
        if (console == null) return;
        current = null;
        console.close();
        if (thread != Thread.currentThread()) thread.interrupt();
    }

    private static boolean ending(BundleContext bc) {
        try {
            return (bc.getBundle(0).getState() & (org.osgi.framework.Bundle.STOPPING | org.osgi.framework.Bundle.RESOLVED)) != 0;
        } catch (IllegalStateException stale) {
            return true; // this bundle's context is gone: the framework is stopping
        }
    }

    private static void leave(BundleContext bc) {
        try {
            bc.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.error("hvkit console: cannot stop the framework: {}", e.toString());
        }
    }
}
