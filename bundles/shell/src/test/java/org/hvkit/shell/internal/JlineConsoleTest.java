package org.hvkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's console on a real Gogo runtime and a JLine terminal over pipes, keys typed as bytes. */
class JlineConsoleTest {
    /** A command for the console to run. */
    public static final class Hello {
        public String hello() {
            return "hello from the host";
        }

        public void boom() {
            throw new IllegalStateException("boom on purpose");
        }
    }

    private final ThreadIOImpl tio = new ThreadIOImpl();
    private CommandProcessorImpl processor;
    private final AtomicInteger exited = new AtomicInteger(-1);
    private final AtomicInteger left = new AtomicInteger();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private PipedOutputStream keys;
    private Thread console;
    private List<String> domains = List.of("web");

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws IOException {
        tio.start();
        processor = new CommandProcessorImpl(tio);
        processor.addCommand("test", new Hello(), "hello");
        processor.addCommand("test", new Hello(), "boom");
        processor.addCommand("gogo", new ExitCommand(() -> domains, exited::set), "exit");
        keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 1 << 16);
        Terminal t = TerminalBuilder.builder().system(false).streams(in, screen).type("xterm").size(new Size(80, 24)).build();
        Attributes tty = t.getAttributes(); // a tty's: ^D is the end-of-file key
        tty.setControlChar(Attributes.ControlChar.VEOF, 4);
        t.setAttributes(tty);
        JlineConsole c = new JlineConsole(processor, dir.resolve("history"), left::incrementAndGet, () -> exited.get() >= 0);
        PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);
        console = Thread.ofPlatform().start(() -> {
            try {
                c.run(t, err);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        keys.close();
        console.join(5000);
        processor.stop();
        tio.stop();
    }

    private void type(String s) throws IOException, InterruptedException {
        keys.write(s.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Waits until the screen shows {@code what} after {@code from}; returns the index past it. */
    private int await(String what, int from) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            String s;
            synchronized (screen) {
                s = screen.toString(StandardCharsets.UTF_8);
            }
            int at = s.indexOf(what, from);
            if (at >= 0) return at + what.length();
            Thread.sleep(10);
        }
        fail("the screen never showed " + what + " after " + from + ":\n" + screen.toString(StandardCharsets.UTF_8).substring(Math.min(from, screen.size())));
        return -1;
    }

    @Test
    void runsALineAndPrintsItsResult() throws Exception {
        int at = await("g! ", 0);
        type("hello\r");
        await("hello from the host", at);
    }

    @Test
    void ctrlLClearsTheScreenAndRedrawsTheTypedLine() throws Exception {
        int at = await("g! ", 0);
        type("hel\f");
        at = await("\033[H", at); // cursor home, then the erase of the screen
        await("g! hel", at);
    }

    @Test
    void theUpArrowRecallsTheLastLineRunFromTheHistoryFile() throws Exception {
        int at = await("g! ", 0);
        type("hello\r");
        at = await("hello from the host", at);
        type("boom and more");
        at = await("boom and more", at);
        type("\025\r"); // Ctrl-U drops the typed line (Ctrl-C does too: tests/shell-pty.py, on a real tty)
        at = await("g! ", at);
        type("\033OA\r"); // the up arrow as an xterm in keypad mode sends it: the last line run, not the dropped one
        await("hello from the host", at);
        assertTrue(Files.readString(dir.resolve("history")).contains("hello"), "history kept in its file");
    }

    @Test
    void aCommandThatThrowsPrintsOneLineAndTheConsoleGoesOn() throws Exception {
        int at = await("g! ", 0);
        type("boom\r");
        at = await("g! ", at);
        type("hello\r");
        await("hello from the host", at);
        assertEquals("gogo: IllegalStateException: boom on purpose\n", errors.toString(StandardCharsets.UTF_8).replace("\r", ""));
    }

    @Test
    void ctrlDIsExitWhichAsksWhileDomainsRun() throws Exception {
        int at = await("g! ", 0);
        type("\004");
        at = await("Leave? [y/N] ", at);
        type("n\r");
        at = await("g! ", await("cancelled", at));
        Thread.sleep(400); // an operator's pause: an end straight after a cancelled Ctrl-D is the input gone
        type("\004");
        at = await("Leave? [y/N] ", at);
        type("y\r");
        console.join(5000);
        assertEquals(0, exited.get(), "exit left with status 0");
        assertEquals(0, left.get(), "an exit, not the end of input");
    }

    @Test
    void theInputEndingLeavesTheHost() throws Exception {
        await("g! ", 0);
        keys.close();
        console.join(5000);
        assertEquals(1, left.get());
        assertTrue(errors.toString(StandardCharsets.UTF_8).contains("end of console input"), errors.toString(StandardCharsets.UTF_8));
    }
}
