package org.hvkit.shell.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The non-interactive runner behind {@code ./hvkit -c '<commands>'}.
 *
 * <p>When the framework property {@code hvkit.script} is set (an empty script is a script too:
 * it runs nothing and exits with 0), this registers a
 * {@code Callable<Integer>} service with {@code main.thread=true}. The bnd launcher (the
 * executable jars of {@code runtime/}) calls it on its main thread once every bundle has been
 * started; it waits for the {@code xl} command when the script uses it (property
 * {@code hvkit.script.timeout}, seconds, default 15), runs the script in a Gogo session (see
 * {@link ScriptExecution} for the semantics), and returns the exit status. The launcher then stops
 * the framework in order and calls {@code System.exit} with that status.
 *
 * <p>Without the bnd launcher (no {@code aQute.launcher.Launcher} service) the script runs on a
 * thread of its own once the framework is up, and {@code System.exit(status)} is called directly.
 */
@Component(service = {}, immediate = true)
public final class ScriptRunner implements Callable<Integer> {
    static final String SCRIPT = "hvkit.script";
    static final String TIMEOUT = "hvkit.script.timeout";
    static final String XL_FILTER = "(&(osgi.command.scope=hvkit)(osgi.command.function=xl))";
    static final String HV_FILTER = "(&(osgi.command.scope=hvkit)(osgi.command.function=hv))";
    private static final Pattern USES_XL = Pattern.compile("(^|[^\\w.-])(hvkit:)?xl($|[^\\w.-])");
    private static final Pattern USES_HV = Pattern.compile("(^|[^\\w.-])(hvkit:)?hv($|[^\\w.-])");

    private final CommandProcessor processor;
    private final BundleContext bc;
    private final String script;
    private ServiceRegistration<?> registration;
    private Thread fallback;

    @Activate
    public ScriptRunner(@Reference CommandProcessor processor, BundleContext bc) {
        this.processor = processor;
        this.bc = bc;
        this.script = bc.getProperty(SCRIPT);
    }

    @Activate
    void activate() {
        if (script == null) {
            return; // interactive: the Gogo shell owns the console
        }
        if (bc.getServiceReference("aQute.launcher.Launcher") != null) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("main.thread", Boolean.TRUE);
            registration = bc.registerService(Callable.class.getName(), this, props);
        } else {
            fallback = Thread.ofPlatform().name("hvkit-script").daemon(false).start(() -> {
                int status = call();
                System.exit(status);
            });
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            registration = null;
        }
    }

    /** Runs the script once; returns its exit status. */
    @Override
    public Integer call() {
        // The process's own descriptors, as gosh does: System.out and System.err are Gogo's
        // per-thread streams once the runtime is up, and a session writing to them loops.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        awaitStartedBundles(err); // a plugin's scheduler or CPU model is there before the first line
        if (usesXl(script)) {
            await(XL_FILTER, "xl", err);
        }
        if (usesHv(script)) { // registered by the same bundle, but not at the same instant
            await(HV_FILTER, "hv", err);
        }
        return ScriptExecution.run(processor, script, new FileInputStream(FileDescriptor.in), out, err);
    }

    static boolean usesXl(String script) {
        return USES_XL.matcher(script).find();
    }

    static boolean usesHv(String script) {
        return USES_HV.matcher(script).find();
    }

    /**
     * Waits (bounded, as for the commands) until every bundle meant to run at the framework's start
     * level is active: the script's start runs in parallel with the start level's other bundles,
     * and a line like {@code xl cpupool-create sched=PLUGIN} must not race the plugin's start.
     */
    private void awaitStartedBundles(PrintStream err) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds(bc.getProperty(TIMEOUT)));
        String pending = null;
        do {
            pending = null;
            int level = bc.getBundle(0).adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class).getStartLevel();
            for (org.osgi.framework.Bundle b : bc.getBundles()) {
                var sl = b.adapt(org.osgi.framework.startlevel.BundleStartLevel.class);
                if (sl == null || !sl.isPersistentlyStarted() || sl.getStartLevel() > level || b.getHeaders().get("Fragment-Host") != null) continue;
                if ((b.getState() & (org.osgi.framework.Bundle.ACTIVE | org.osgi.framework.Bundle.UNINSTALLED)) == 0) {
                    pending = b.getSymbolicName();
                    break;
                }
            }
            if (pending == null) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (System.nanoTime() < deadline);
        err.println("hvkit: bundle " + pending + " is not active yet; running the script anyway");
    }

    private void await(String command, String name, PrintStream err) {
        long seconds = timeoutSeconds(bc.getProperty(TIMEOUT));
        Filter filter;
        try {
            filter = FrameworkUtil.createFilter(command);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(bc, filter, null);
        tracker.open();
        try {
            if (tracker.waitForService(TimeUnit.SECONDS.toMillis(seconds)) == null) {
                err.println("hvkit: the " + name + " command is not available after " + seconds
                        + " s (no toolstack, or no hypervisor: check --platform); running the script anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tracker.close();
        }
    }

    static long timeoutSeconds(String value) {
        if (value == null || value.isBlank()) {
            return 15;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return 15;
        }
    }
}
