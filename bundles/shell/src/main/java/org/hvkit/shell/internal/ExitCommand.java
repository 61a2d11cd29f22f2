package org.hvkit.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;

/**
 * {@code exit [-f] [status]}: leaves the host. Without it the name resolves to
 * {@code System.exit(int)} (gosh_profile's {@code addcommand system}), which throws when no status
 * is given and ends every domain without a word. Registered in scope {@code gogo}, which the
 * console's {@code SCOPE} (and the script runner's) searches first.
 *
 * <p>In a script ({@code ./hvkit -c}) it ends the script with the status, never asking. At the
 * prompt, while domains other than Domain-0 run, it asks first unless {@code -f} is given.
 */
public final class ExitCommand {
    private final Supplier<List<String>> guests;
    private final IntConsumer leave;

    /**
     * @param guests names of the running domains other than Domain-0
     * @param leave ends the host with a status (the component: stops the framework)
     */
    ExitCommand(Supplier<List<String>> guests, IntConsumer leave) {
        this.guests = guests;
        this.leave = leave;
    }

    /** Ends a script with a status; the script runner reads {@link #status()}. */
    static final class ScriptExit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        ScriptExit(int status) {
            super("exit " + status, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    @Descriptor("leave the host (asks while domains run, unless -f); in a script, end it with a status")
    public void exit(CommandSession session, @Descriptor("[-f] [status]") String... args) throws IOException {
        boolean force = false;
        int status = 0;
        for (String a : args) {
            if (a.equals("-f") || a.equals("--force")) {
                force = true;
            } else if (a.matches("-?\\d{1,9}")) {
                status = Integer.parseInt(a);
            } else {
                throw new IllegalArgumentException("exit: '" + a + "' is not a status (usage: exit [-f] [status])");
            }
        }
        if (Boolean.TRUE.equals(session.get(ScriptExecution.SCRIPT_VARIABLE))) {
            throw new ScriptExit(status);
        }
        PrintStream out = session.getConsole();
        List<String> running = guests.get();
        if (!force && !running.isEmpty()) {
            out.print(running.size() + " domain(s) running (" + String.join(", ", running)
                    + "): leaving the host ends them. Leave? [y/N] ");
            out.flush();
            String answer = readLine(session.getKeyboard());
            if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
                out.println("exit: cancelled; the host keeps running");
                return;
            }
        }
        leave.accept(status);
    }

    /** One line, byte by byte: the shell reads the next command from the same stream afterwards. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
