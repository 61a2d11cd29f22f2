package org.hvkit.shell.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.UndeclaredThrowableException;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Runs a Gogo script the way the interactive shell runs one line, and turns the outcome into a
 * process exit status.
 *
 * <p>Semantics (Gogo's own): statements separated by {@code ;} or newlines run in order; the first
 * statement that throws ends the script, and later statements do not run. The status is 0 when
 * the script completes; when a statement throws, it is the exception's {@code int status()} if
 * its class (or a cause's class) has a public one — the {@code xl} command's {@code ExitException}
 * does, and has already printed Xen's error — otherwise 1, and the message goes to stderr as
 * {@code gogo: <Exception>: <message>}. A non-null result of the script is printed like the
 * shell prints it.
 */
final class ScriptExecution {
    /**
     * Set to true in the script's session: xl and hv then end a failing command with their exit
     * exception (stopping the script); at the interactive prompt they print only xl's message.
     */
    static final String SCRIPT_VARIABLE = ".hvkit.script";

    private ScriptExecution() {}

    static int run(CommandProcessor processor, CharSequence script, InputStream in, PrintStream out,
            PrintStream err) {
        try (CommandSession session = processor.createSession(in, out, err)) {
            session.put(SCRIPT_VARIABLE, Boolean.TRUE);
            session.put("SCOPE", "gogo:*"); // as at the prompt (gosh_profile): gogo:exit before system:exit
            try {
                Object result = session.execute(script);
                if (result != null && !Boolean.FALSE.equals(session.get(".Gogo.format"))) {
                    out.println(session.format(result, Converter.INSPECT));
                }
                return 0;
            } catch (Exception e) {
                Integer status = statusOf(e);
                if (status == null) {
                    Throwable t = unwrap(e);
                    err.println("gogo: " + t.getClass().getSimpleName() + ": " + t.getMessage());
                    if (Boolean.getBoolean("hvkit.script.trace")) {
                        e.printStackTrace(err);
                    }
                    return 1;
                }
                return status;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    /** The exception a command threw, out of the reflection wrappers Gogo may leave around it. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The value of a public {@code int status()} on the exception or one of its causes, or null. */
    static Integer statusOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            try {
                Method m = c.getClass().getMethod("status");
                if (m.getReturnType() == int.class && Modifier.isPublic(m.getModifiers())
                        && !Modifier.isStatic(m.getModifiers())) {
                    m.setAccessible(true); // the class itself may be package-private
                    return (Integer) m.invoke(c);
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // no usable status(): look at the cause
            }
        }
        return null;
    }
}
