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
 * typed line, instead of ending the JVM (and every domain) with status 130. Installed only for the
 * interactive shell: with {@code -c}, {@code --no-shell} or a daemon (gosh.args has
 * {@code --nointeractive}) SIGINT keeps its default meaning. The JDK's sun.misc.Signal is reached
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

    @Activate
    void activate(BundleContext bc) {
        String args = bc.getProperty("gosh.args");
        if (bc.getProperty(ScriptRunner.SCRIPT) != null || (args != null && args.contains("--nointeractive"))) {
            return;
        }
        registration = bc.registerService(CommandSessionListener.class, interrupts, null);
        PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        try {
            ClassLoader system = ClassLoader.getSystemClassLoader();
            Class<?> signalClass = system.loadClass("sun.misc.Signal");
            Class<?> handlerClass = system.loadClass("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(system, new Class<?>[] {handlerClass}, (proxy, method, margs) -> {
                if (method.getName().equals("handle")) {
                    if (!interrupts.interrupt()) {
                        console.print("\n" + "g! "); // the tty dropped the typed line: a fresh prompt
                    } else {
                        console.println("^C");
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
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warn("hvkit shell: cannot handle Ctrl-C (SIGINT ends the JVM as before): {}", e.toString());
        }
    }

    @Deactivate
    void deactivate() {
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
