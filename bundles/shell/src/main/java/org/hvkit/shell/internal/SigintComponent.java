package org.hvkit.shell.internal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ctrl-C at the interactive console interrupts the running command, or at the prompt cancels the
 * typed line, instead of ending the JVM (and every domain) with status 130. Installed only for an
 * interactive console (hvkit's {@link JlineConsole}, or gogo.shell's where a distribution keeps
 * it): with {@code -c}, {@code --no-shell} or a daemon SIGINT keeps its default meaning. With the
 * JLine console, JLine takes SIGINT over once its reader runs and passes it back through
 * {@link #interruptFromTerminal()}. The JDK's sun.misc.Signal is reached
 * through the system class loader, so the bundle imports nothing from jdk.unsupported.
 */
@Component(service = {}, immediate = true)
public final class SigintComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SigintComponent.class);

    private final Interrupts interrupts = new Interrupts();
    private ServiceRegistration<?> registration;
    private Object previous;
    private Method handle;
    private Object signal;
    private PrintStream console;
    private static volatile SigintComponent installed;
    private Object previousWinch;

    @Activate
    void activate(BundleContext bc) {
        String args = bc.getProperty("gosh.args");
        boolean goshConsole = args == null || !args.contains("--nointeractive");
        if (bc.getProperty(ScriptRunner.SCRIPT) != null || !(goshConsole || ConsoleComponent.wanted(bc))) {
            return;
        }
        registration = bc.registerService(CommandSessionListener.class, interrupts, null);
        console = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        try {
            ClassLoader system = ClassLoader.getSystemClassLoader();
            Class<?> signalClass = system.loadClass("sun.misc.Signal");
            Class<?> handlerClass = system.loadClass("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(system, new Class<?>[] {handlerClass}, (proxy, method, margs) -> {
                if (method.getName().equals("handle")) {
                    if (interrupts.interrupt()) {
                        console.println(); // the tty has echoed ^C
                    } else if (ConsoleComponent.current() == null) {
                        console.print("\n" + "g! "); // gogo.shell's cooked tty dropped the typed line: a fresh prompt
                    }
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == margs[0];
                    default -> "hvkit SIGINT handler";
                };
            });
            signal = signalClass.getConstructor(String.class).newInstance("INT");
            handle = signalClass.getMethod("handle", signalClass, handlerClass);
            previous = handle.invoke(null, signal, handler);
            installed = this;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warn("hvkit shell: cannot handle Ctrl-C (SIGINT ends the JVM as before): {}", e.toString());
        }
    }

    /**
     * Ctrl-C as the JLine console's terminal reports it: JLine registers SIGINT natively whenever
     * its line reader starts and ends a line, so outside a line it hands the signal here.
     */
    static void interruptFromTerminal() {
        SigintComponent self = installed;
        if (self != null && self.interrupts.interrupt()) self.console.println(); // the tty has echoed ^C
    }

    @Deactivate
    void deactivate() {
        installed = null;
        if (previous != null) {
            try {
                handle.invoke(null, signal, previous); // the JVM's own: a later Ctrl-C ends the process
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("hvkit shell: cannot restore the SIGINT handler: {}", e.toString());
            }
            previous = null;
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            registration = null;
        }
    }
}
