package org.hvkit.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The operator's {@code g!} prompt on a JLine line editor: Emacs keys, Ctrl-L clears the screen,
 * history (in {@code ~/.hvkit_history}), completion of command names and file names, and a
 * secondary prompt while braces or quotes are open. Each line runs in one Gogo session, as
 * gogo.shell's console runs it.
 *
 * <p>Ctrl-C while a line is typed drops it (JLine's reader); while a command runs it interrupts that
 * command only ({@link SigintComponent#interruptFromTerminal()}); other signals keep the JVM's
 * meaning ({@code nativeSignals(false)}: no Ctrl-Z that would stop the hypervisor inside JLine). Ctrl-D on an empty line is {@code exit} (which asks while
 * domains run); the input really ending (the terminal gone, a pipe's end with {@code --shell})
 * leaves the host as gogo.shell did.
 */
final class JlineConsole {
    static final String PROMPT = "g! ";

    private final CommandProcessor processor;
    private final Path history;
    private final Runnable leave;
    private final java.util.function.BooleanSupplier hostEnding;
    private volatile Terminal terminal;
    private volatile boolean stopping;

    /**
     * @param history the file the line history is kept in
     * @param leave ends the host when the input is gone (stops the framework)
     * @param hostEnding whether the host is being left (after {@code exit}: no further prompt)
     */
    JlineConsole(CommandProcessor processor, Path history, Runnable leave, java.util.function.BooleanSupplier hostEnding) {
        this.processor = processor;
        this.history = history;
        this.leave = leave;
        this.hostEnding = hostEnding;
    }

    /** Reads and runs lines on the process's terminal until the console is stopped or the host is left. */
    void run() throws IOException {
        run(openTerminal(), new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true));
    }

    /** Reads and runs lines on {@code t}; errors go to {@code err}. Closes {@code t} at the end. */
    void run(Terminal t, PrintStream err) throws IOException {
        terminal = t;
        if (t.getWidth() <= 0 && !(t instanceof org.jline.terminal.impl.DumbTerminal)) {
            t.setSize(new org.jline.terminal.Size(80, 24)); // a tty that reports no size (serial lines, some ptys): the editor needs one
        }
        // JLine registers SIGINT natively as its reader starts and ends each line: while a line is read
        // its reader drops the line (UserInterruptException), otherwise this handler interrupts the command
        t.handle(Terminal.Signal.INT, signal -> SigintComponent.interruptFromTerminal());
        PrintStream out = new PrintStream(t.output(), true);
        InputStream in = t.input();
        try (CommandSession session = processor.createSession(in, out, err)) {
            session.put("SCOPE", "gogo:*"); // gosh_profile's: gogo:exit and hvkit's grep before system:exit and others
            session.put("prompt", PROMPT);
            LineReader reader = reader(t, session, history);
            long lastCtrlD = Long.MIN_VALUE;
            while (!stopping) {
                String line;
                boolean ctrlD = false;
                try {
                    line = reader.readLine(PROMPT);
                } catch (UserInterruptException ctrlC) {
                    continue; // the typed line is dropped; a fresh prompt
                } catch (EndOfFileException eof) {
                    if (stopping) break;
                    if (!typedCtrlD(reader, t, lastCtrlD)) {
                        err.println("hvkit: end of console input: leaving the host");
                        leave.run();
                        break;
                    }
                    line = "exit"; // Ctrl-D on an empty line: exit, which asks while domains run
                    ctrlD = true;
                    out.println("exit");
                }
                if (line.isBlank()) continue;
                execute(session, line, out, err);
                lastCtrlD = ctrlD ? System.nanoTime() : Long.MIN_VALUE;
                if (hostEnding.getAsBoolean()) break;
            }
        } finally {
            close();
        }
    }

    private static Terminal openTerminal() throws IOException {
        // JLine finds its terminal providers through the context class loader: in OSGi that must be JLine's own
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(Terminal.class.getClassLoader());
        try {
            return TerminalBuilder.builder()
                    .name("hvkit")
                    .system(true)
                    .nativeSignals(false) // only the signals the reader asks for (INT, WINCH) become JLine's
                    .signalHandler(Terminal.SignalHandler.SIG_IGN)
                    .dumb(true) // no terminal (--shell over a pipe): a plain line reader, without a warning
                    .build();
        } finally {
            self.setContextClassLoader(before);
        }
    }

    private static LineReader reader(Terminal t, CommandSession session, Path history) {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(true); // a secondary prompt, as Gogo's scripts span lines
        parser.setEofOnUnclosedBracket(DefaultParser.Bracket.CURLY, DefaultParser.Bracket.ROUND, DefaultParser.Bracket.SQUARE);
        parser.setEscapeChars(new char[0]); // Gogo reads the line's backslashes itself
        return LineReaderBuilder.builder()
                .appName("hvkit")
                .terminal(t)
                .parser(parser)
                .completer(new CommandCompleter(session))
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.HISTORY_FILE_SIZE, 2000)
                .variable(LineReader.HISTORY_SIZE, 500)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%M> ")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is a plain character in Gogo
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .build();
    }

    /**
     * Whether an end of input is a Ctrl-D typed on an empty line rather than the input itself
     * ending: JLine reports both alike. A pipe ({@code --shell}, a dumb terminal) has no Ctrl-D;
     * on a tty the end must come from the key, and not straight back (within 300 ms) after the
     * {@code exit} of the last one: that is a terminal gone, whose question read nothing.
     */
    static boolean typedCtrlD(LineReader reader, Terminal t, long lastCtrlDExitNanos) {
        if (t instanceof org.jline.terminal.impl.DumbTerminal) return false;
        if (!String.valueOf((char) t.getAttributes().getControlChar(org.jline.terminal.Attributes.ControlChar.VEOF)).equals(reader.getLastBinding())) return false;
        return lastCtrlDExitNanos == Long.MIN_VALUE || System.nanoTime() - lastCtrlDExitNanos > 300_000_000L;
    }

    /** Runs one line as gogo.shell's console does: its result printed, an exception as one line. */
    static void execute(CommandSession session, String line, PrintStream out, PrintStream err) {
        try {
            Object result = session.execute(line);
            session.put("_", result);
            if (result != null && !Boolean.FALSE.equals(session.get(".Gogo.format"))) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            session.put("exception", e);
            Throwable t = ScriptExecution.unwrap(e);
            if (t instanceof InterruptedException || ScriptExecution.statusOf(e) != null) {
                return; // Ctrl-C (the handler printed ^C), or a command that printed its own error
            }
            err.println("gogo: " + t.getClass().getSimpleName() + ": " + t.getMessage());
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Ends the console (the bundle stops): the pending read returns and the terminal is restored. */
    void close() {
        stopping = true;
        Terminal t = terminal;
        terminal = null;
        if (t != null) {
            try {
                t.close();
            } catch (IOException e) {
                // the terminal is gone anyway
            }
        }
    }

    /** First word: the session's commands, scoped and not; later words: file names. */
    private static final class CommandCompleter implements Completer {
        private final CommandSession session;
        private final Completer files = new Completers.FileNameCompleter();

        CommandCompleter(CommandSession session) {
            this.session = session;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            if (line.wordIndex() > 0) {
                files.complete(reader, line, candidates);
                return;
            }
            Set<String> names = new TreeSet<>();
            if (session.get(".commands") instanceof Set<?> commands) {
                for (Object c : commands) {
                    String name = String.valueOf(c);
                    names.add(name);
                    names.add(name.substring(name.indexOf(':') + 1));
                }
            }
            for (String n : names) candidates.add(new Candidate(n));
        }
    }
}
