package org.hvkit.shell.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Job;

/**
 * What Ctrl-C means at the Gogo console: interrupt the command that runs now, and nothing else.
 * Gogo calls this listener around every command line; {@link #interrupt()} interrupts the lines
 * that are running (their foreground job and the thread that started them). With none running
 * (the operator is typing at the prompt) it returns false: the terminal has already dropped the
 * typed line, and the caller shows a fresh prompt.
 */
final class Interrupts implements CommandSessionListener {
    private final Map<CommandSession, Thread> running = new ConcurrentHashMap<>();

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        running.putIfAbsent(session, Thread.currentThread()); // nested executions keep the outer thread
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        done(session);
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        done(session);
    }

    private void done(CommandSession session) {
        running.remove(session, Thread.currentThread());
    }

    /** Interrupts every running command line; true when there was one. */
    boolean interrupt() {
        boolean any = false;
        for (Map.Entry<CommandSession, Thread> e : running.entrySet()) {
            Job job = null;
            try {
                job = e.getKey().foregroundJob(); // its commands run on pipe threads
            } catch (RuntimeException closing) {
                // the session is closing
            }
            if (job != null) {
                job.interrupt();
                // Gogo 1.1.6 leaves a cancelled job marked foreground and refuses every later
                // line ("A job is already in foreground"): move the dead job out of the way,
                // which also lets the console's thread return to the prompt.
                if (job.status() == Job.Status.Foreground) {
                    job.background();
                }
            } else {
                // Never both: an interrupt left pending on the console's thread ends the console
                // loop, and with it the framework.
                e.getValue().interrupt();
            }
            any = true;
        }
        return any;
    }
}
