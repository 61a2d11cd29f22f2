package org.hvkit.shell.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Job;

/**
 * What Ctrl-C means at the Gogo console: interrupt the command line that runs now, and nothing
 * else. Gogo calls this listener around every line; {@link #interrupt()} interrupts the threads
 * running one. With none running (the operator is typing at the prompt) it returns false: the
 * terminal has already dropped the typed line, and the caller shows a fresh prompt.
 */
final class Interrupts implements CommandSessionListener {
    /** A running line: its thread, and the job already in the foreground before it (gosh's own, or none). */
    private record Line(Thread thread, Job outer) { }

    private final Map<CommandSession, Line> running = new ConcurrentHashMap<>();

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        // nested executions keep the outer line
        running.computeIfAbsent(session, s -> new Line(Thread.currentThread(), s.foregroundJob()));
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
        Line line = running.get(session);
        if (line == null || line.thread() != Thread.currentThread()) return;
        // under the line's monitor, so that interrupt() cannot interrupt it after the clear below
        synchronized (line) {
            if (running.remove(session, line)) {
                // An interrupt the line did not consume must not reach the console's loop, which
                // ends (and with it the framework) on a pending interrupt.
                Thread.interrupted();
            }
        }
    }

    /** Interrupts every running command line; true when there was one. */
    boolean interrupt() {
        boolean any = false;
        for (Map.Entry<CommandSession, Line> e : running.entrySet()) {
            Line line = e.getValue();
            synchronized (line) {
                if (running.get(e.getKey()) != line) continue; // it ended meanwhile
                interrupt(e.getKey(), line);
            }
            any = true;
        }
        return any;
    }

    private static void interrupt(CommandSession session, Line line) {
        Job job = session.foregroundJob();
        if (job != null && job != line.outer()) {
            job.interrupt(); // the line's commands run on pipe threads
            // Gogo 1.1.6 leaves a cancelled job marked foreground, refusing every later line
            // ("A job is already in foreground"): move the dead job out of the way.
            if (job.status() == Job.Status.Foreground) {
                job.background();
            }
        }
        line.thread().interrupt(); // the thread waiting for them
    }
}
